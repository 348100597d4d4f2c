package suite

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

// lastLine is the last non-empty line of out.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	return lines[len(lines)-1]
}

// assertConsoleListsEachOnce holds a finished run's console to the order
// of decision D106: every scenario that did not pass is listed once, its
// failing findings are each printed once, godog's own report of failed
// steps is gone, and the counts line and the verdict come last.
func assertConsoleListsEachOnce(t *testing.T, res *Result, out string) {
	t.Helper()
	failing := 0
	findingLines := map[string]int{}
	for _, f := range res.Run.Features {
		for _, sc := range f.Scenarios {
			if sc.FailureClass() == "" {
				continue
			}
			failing++
			head := "--- FAIL: " + sc.Name + " (" + f.URI + ":"
			assert.Equal(t, 1, strings.Count(out, head), "%q is listed once", head)
			for _, fd := range sc.FailingFindings()[:min(10, len(sc.FailingFindings()))] {
				findingLines[fd.String()]++
			}
		}
	}
	require.Positive(t, failing, "the run has failing scenarios")
	for line, n := range findingLines {
		assert.Equal(t, n, strings.Count(out, line), "finding line %q: once per failing scenario that saw it", line)
	}
	assert.NotContains(t, out, "Failed steps:", "godog's own list of failed steps")
	assert.Equal(t, "verdict: "+string(res.Verdict), lastLine(out))
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	assert.Regexp(t, `^\d+ scenarios: \d+ passed, \d+ failed`, lines[len(lines)-2], "the counts just before the verdict")
}

// A failing run prints each failing scenario once (its findings, its
// assertion lines, its last exchange), a compact progress line, and ends
// with the counts and the verdict.
func TestConsolePrintsEachFailureOnce(t *testing.T) {
	t.Parallel()
	feature := `Feature: console
  @mutating
  Scenario: wrong status
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then the status is 201

  @mutating
  Scenario: a table of differences
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then the JSON has:
      | path   | value      |
      | status | "APPROVED" |
      | flag   | "X"        |

  Scenario: passes
    When I send a GET request to "/whoami"
    Then the status is 200
`
	res, out := run(t, map[string]string{"c.feature": feature}, nil)
	require.True(t, res.Failed)
	assertConsoleListsEachOnce(t, res, out)
	assert.Regexp(t, `(?m)^[.F]{3} +3 scenarios, 2 failed \(\d+\.\ds\)$`, out, "one progress line")
	assert.Contains(t, out, "    step \"Then the status is 201\" (line 6):\n      status: got 200, want 201")
	assert.Contains(t, out, "      2 of 2 values differ:\n      JSON at \"status\": got \"APPLIED\", want \"APPROVED\"\n      JSON at \"flag\": got \"AUTOMATING\", want \"X\"\n")
	assert.Regexp(t, `    last exchange: POST /profiles/[0-9a-f-]+/applications -> 200\n`, out)
	assert.Equal(t, 1, strings.Count(out, "status: got 200, want 201"), "the assertion once")
}

// The progress writes one line per 50 scenarios and a last, partial one,
// each with the counts so far.
func TestProgressLines(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	p := newProgress(&b, time.Now())
	for i := range 120 {
		s := report.Passed
		switch {
		case i == 3:
			s = report.Failed
		case i == 60:
			s = report.Skipped
		case i == 110:
			s = report.Undefined
		}
		p.tick(s)
	}
	p.done()
	p.done() // nothing more
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	require.Len(t, lines, 3, b.String())
	assert.Regexp(t, `^\.{3}F\.{46}  50 scenarios, 1 failed \(\d+\.\ds\)$`, lines[0])
	assert.Regexp(t, `^\.{10}S\.{39}  100 scenarios, 1 failed, 1 skipped \(`, lines[1])
	assert.Regexp(t, `^\.{10}U\.{9} {30}  120 scenarios, 1 failed, 1 skipped, 1 undefined \(`, lines[2])
}

// A starting scenario takes the lowest free slot; slots stay within the
// number running at once.
func TestWorkersTakeTheLowestFreeSlot(t *testing.T) {
	t.Parallel()
	var w workers
	assert.Equal(t, 1, w.take())
	assert.Equal(t, 2, w.take())
	assert.Equal(t, 3, w.take())
	w.release(2)
	assert.Equal(t, 2, w.take())
	w.release(1)
	w.release(3)
	w.release(0)  // unknown: ignored
	w.release(17) // unknown: ignored
	assert.Equal(t, 1, w.take())
	assert.Equal(t, 3, w.take())
	assert.Equal(t, 4, w.take())

	var c workers
	var wg sync.WaitGroup
	var mu sync.Mutex
	most := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				n := c.take()
				mu.Lock()
				most = max(most, n)
				mu.Unlock()
				c.release(n)
			}
		}()
	}
	wg.Wait()
	assert.LessOrEqual(t, most, 8, "never more slots than goroutines")
}

// Each scenario records the slot that ran it, within 1..concurrency, into
// run.json.
func TestScenariosRecordTheirWorker(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	features := map[string]string{}
	for _, n := range []string{"a", "b", "c"} {
		features[n+".feature"] = strings.Replace(approveJourney, "approve forexo_basic", "approve "+n, 1)
	}
	res, out := run(t, features, func(c *Config) { c.Concurrency = 2; c.ReportsDir = dir })
	require.False(t, res.Failed, out)
	saved, err := ReadRun(dir)
	require.NoError(t, err)
	used := map[int]bool{}
	for _, f := range saved.Features {
		for _, sc := range f.Scenarios {
			assert.True(t, sc.Worker >= 1 && sc.Worker <= 2, "scenario %s: worker %d, want 1..2", sc.Name, sc.Worker)
			used[sc.Worker] = true
		}
	}
	assert.True(t, used[1], "slot 1 is always the first taken")
}

// The build the pipeline names is in run.json and summary.md, redacted
// like every other text.
func TestBuildIsRecordedRedacted(t *testing.T) {
	t.Parallel()
	const secret = "s3cret-token-value"
	dir := t.TempDir()
	res, out := run(t, map[string]string{"a.feature": addApplication}, func(c *Config) {
		c.ReportsDir = dir
		c.Target.Client = target.Config{Secrets: []string{secret}}
		c.Build = &report.Build{Label: "nightly " + secret, SDK: "passfort-go", SDKVersion: "1.2.3", Commit: "abc123", URL: "https://ci.example/j/1"}
	})
	require.False(t, res.Failed, out)
	saved, err := ReadRun(dir)
	require.NoError(t, err)
	require.NotNil(t, saved.Build)
	assert.Equal(t, report.Build{Label: "nightly [REDACTED]", SDK: "passfort-go", SDKVersion: "1.2.3", Commit: "abc123", URL: "https://ci.example/j/1"}, *saved.Build)
	md, err := os.ReadFile(filepath.Join(dir, report.SummaryFile))
	require.NoError(t, err)
	assert.Contains(t, string(md), "| SDK | passfort-go 1.2.3 |")
	assert.NotContains(t, string(md), secret)
	assert.NotContains(t, out, secret)
	assert.Contains(t, out, "build: nightly [REDACTED]; passfort-go 1.2.3; commit abc123; https://ci.example/j/1\n")
}
