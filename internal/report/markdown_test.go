package report

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

func markdown(t *testing.T, r *Run, c *Comparison) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, WriteMarkdown(&b, r, c))
	return b.String()
}

func TestMarkdownSummary(t *testing.T) {
	t.Parallel()
	r := sampleRun()
	r.Verdict, r.Reasons = "contract", []string{"1 scenario(s) failed on contract findings"}
	r.Build = &Build{Label: "nightly", SDK: "passfort-go", SDKVersion: "1.2.3", Commit: "abc123", Branch: "main", URL: "https://ci.example.test/job/7"}
	prev := sampleRun()
	prev.ID = "run-0"
	prev.Features[1].Scenarios[2].Status = Passed // "Wrong status" passed before
	prev.Features[1].Scenarios[2].Steps[0] = Step{Status: Passed}
	md := markdown(t, r, Compare(prev, r))
	for _, want := range []string{
		"## ❌ PassFort conformance: contract\n",
		"- 1 scenario(s) failed on contract findings\n",
		"| 8 | 1 | 4 | 1 | 1 | 1 | 1.42s |\n",
		"| target | embedded mock |\n",
		"| seed | 42 (reproduce: `SEED=42`) |\n",
		"| SDK | passfort-go 1.2.3 |\n",
		"| commit | `abc123` |\n",
		"| build | https://ci.example.test/job/7 |\n",
		"### Not passed (5)\n",
		"| Profile has a \"status\" \\& &lt;role&gt; | `features/profiles.feature:10` | contract | `" + missingStatus.String() + "` |\n",
		"| Wrong status | `features/applications.feature:12` | assertion | `status: got 200, want 201` |\n",
		"| Not written yet | `features/applications.feature:16` | undefined | `undefined step: When something nobody wrote` |\n",
		"### Compared with run run-0",
		"| 1 | 0 | 4 | 0 | 0 |\n",
		"#### Newly failing (1)\n",
		"| Wrong status | `features/applications.feature:12` | assertion |\n",
	} {
		assert.Contains(t, md, want)
	}
	assert.NotContains(t, md, "Read a profile", "a passed scenario is not listed")
}

func TestMarkdownPassedRun(t *testing.T) {
	t.Parallel()
	r := &Run{ID: "run-1", SpecHash: "abc", Features: []Feature{{URI: "f.feature", Scenarios: []Scenario{{Name: "a", Status: Passed}}}}}
	md := markdown(t, r, nil)
	assert.True(t, strings.HasPrefix(md, "## ✅ PassFort conformance: pass\n"), md)
	assert.NotContains(t, md, "Not passed")
	assert.NotContains(t, md, "Compared with")
}

// unescapedPipes counts the pipes of a table row that end a cell.
var unescapedPipe = regexp.MustCompile(`(^|[^\\])\|`)

// Names, messages and ids a run carries are shown as text: no HTML, no
// link, no mention, no code span broken out of, no table cell split.
func TestMarkdownEscapesHostileText(t *testing.T) {
	t.Parallel()
	hostile := map[string]string{
		"pipes":       "a | b || c",
		"html":        `<script>alert(1)</script><img src=x onerror=alert(1)>`,
		"backticks":   "``` ` code ``",
		"link":        "[click](https://evil.example/) ![img](https://evil.example/x.png)",
		"mention":     "@here @everyone #123 !456",
		"references":  "!456 $7 %milestone ~label #8 &9 epic and $x^2$ math",
		"emphasis":    "**bold** _it_ ~~gone~~",
		"newlines":    "line one\n| x | y |\n# heading",
		"backslash":   `ends in a backslash \`,
		"entity":      "&lt;b&gt; &amp;",
		"long":        strings.Repeat("x", 5000),
		"heading":     "# not a heading",
		"trailing ` ": "`",
	}
	for name, text := range hostile {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fd := finding.Finding{Class: finding.Contract, Kind: finding.WrongType, Operation: "GET /x", Pointer: "/" + text, Message: text}
			r := &Run{ID: "run-" + text, Target: text, SpecHash: "abc", Guard: text, Verdict: "contract", Reasons: []string{text},
				Build: &Build{Label: text, SDK: text, Commit: text, Branch: text, URL: text},
				Features: []Feature{{URI: "features/" + text + ".feature", Scenarios: []Scenario{{
					Name: text, Line: 3, Status: Failed,
					Steps: []Step{{Status: Failed, Error: text, Findings: []finding.Finding{fd}}},
				}}}}}
			c := &Comparison{PreviousID: text,
				NewlyFailing: []ScenarioRef{{Feature: text, Name: text, Line: 3, Class: FailContract}},
				NewDrift:     []DriftRef{{Rule: text, Operation: text, Pointer: text, Count: 1}}}
			md := markdown(t, r, c)
			assert.Less(t, len(md), 20_000, "each cell is capped")
			for _, line := range strings.Split(md, "\n") {
				text, ok := outsideCode(line)
				if !assert.True(t, ok, "an unclosed code span in %q", line) {
					continue
				}
				assert.NotContains(t, text, "<", "raw HTML in %q", line)
				assert.NotRegexp(t, `(^|[^\\])\]`, text, "a link in %q", line)
				assert.NotRegexp(t, `@\w`, text, "a mention in %q", line)
				// GitLab links #1, !2, &3, $4, %m and ~l to issues,
				// merge requests, epics, snippets, milestones and labels
				// (and notes them there) unless escaped; GitHub reads $…$
				// as math. (An epic is & and digits; &lt; is ours.)
				assert.NotRegexp(t, `(^|[^\\])([#!$%~]\w|&\d)`, text, "a reference in %q", line)
				if strings.HasPrefix(line, "#") {
					assert.Regexp(t, `^#{2,4} `, line, "only the summary's own headings")
				}
				if strings.HasPrefix(line, "|") {
					// A row keeps its cells: every table here has 2, 3,
					// 4, 5 or 7 columns.
					n := len(unescapedPipe.FindAllString(text, -1)) - 1
					assert.Contains(t, []int{2, 3, 4, 5, 7}, n, "row %q", line)
				}
			}
		})
	}
}

// outsideCode returns line without its code spans, as CommonMark reads
// them (a backslash escapes the next character outside code; a fence of n
// backticks closes at the next run of exactly n); ok is false when a fence
// never closes.
func outsideCode(line string) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(line); {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			b.WriteString(line[i : i+2])
			i += 2
		case line[i] == '`':
			n := 0
			for i+n < len(line) && line[i+n] == '`' {
				n++
			}
			j, closed := i+n, false
			for j < len(line) {
				if line[j] != '`' {
					j++
					continue
				}
				m := 0
				for j+m < len(line) && line[j+m] == '`' {
					m++
				}
				if m == n {
					closed = true
					j += m
					break
				}
				j += m
			}
			if !closed {
				return "", false
			}
			b.WriteString("CODE")
			i = j
		default:
			b.WriteByte(line[i])
			i++
		}
	}
	return b.String(), true
}

// A run of a thousand failures keeps summary.md small: the first 50 are
// listed, the rest counted.
func TestMarkdownCapsLongRuns(t *testing.T) {
	t.Parallel()
	r := &Run{ID: "run-big", SpecHash: "abc", Verdict: "contract"}
	f := Feature{URI: "features/big.feature"}
	var refs []ScenarioRef
	for i := range 1000 {
		fd := finding.Finding{Class: finding.Contract, Kind: finding.OutsideEnum, Operation: "GET /profiles/{profile_id}", Pointer: "/status",
			Message: "got \"FOO\", want one of " + strings.Repeat("APPLIED, ", 60)}
		name := fmt.Sprintf("scenario %04d", i)
		f.Scenarios = append(f.Scenarios, Scenario{Name: name, Line: i + 1, Status: Failed,
			Steps: []Step{{Status: Failed, Error: "x", Findings: []finding.Finding{fd}}}})
		refs = append(refs, ScenarioRef{Feature: f.URI, Name: name, Line: i + 1, Class: FailContract})
	}
	r.Features = []Feature{f}
	md := markdown(t, r, &Comparison{PreviousID: "run-0", NewlyFailing: refs})
	assert.Less(t, len(md), 100_000, "summary.md of 1,000 failures")
	assert.Contains(t, md, "### Not passed (1000)\n")
	assert.Contains(t, md, "scenario 0049")
	assert.Equal(t, 2, strings.Count(md, "scenario 0049"), "listed once as not passed, once as newly failing")
	assert.NotContains(t, md, "scenario 0050")
	assert.Equal(t, 2, strings.Count(md, "… and 950 more"))
}
