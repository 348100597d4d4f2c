package report

import (
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// Console limits: a failure lists at most this many finding lines and
// error lines; report.html and junit.xml hold the rest.
const (
	maxConsoleFindings = 10
	maxConsoleErrLines = 10
)

// WriteNotPassed writes, for the console and in file order, one
// "--- SKIP:" line per skipped scenario with its reason, then one block per
// scenario that did not pass: "--- FAIL: name (feature:line) [class]", its
// failing findings, the lines of its failed step's error that are not those
// findings again (the assertion), and its last exchange as method, path
// and status. Each scenario is written once.
func WriteNotPassed(w io.Writer, r *Run) error {
	var b strings.Builder
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			if s.Status == Skipped {
				fmt.Fprintf(&b, "--- SKIP: %s (%s:%d): %s\n", oneLine(s.Name), oneLine(f.URI), s.Line, oneLine(s.Error))
			}
		}
	}
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			if class := s.FailureClass(); class != "" {
				writeFailure(&b, &f, &s, class)
			}
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// writeFailure writes one failed scenario's block.
func writeFailure(b *strings.Builder, f *Feature, s *Scenario, class string) {
	fmt.Fprintf(b, "\n--- FAIL: %s (%s:%d) [%s]\n", oneLine(s.Name), oneLine(f.URI), s.Line, class)
	fs := s.FailingFindings()
	printed := map[string]bool{}
	for i, fd := range fs {
		line := fd.String()
		printed[line] = true
		if i < maxConsoleFindings {
			fmt.Fprintf(b, "    %s\n", line)
		}
	}
	if n := len(fs) - maxConsoleFindings; n > 0 {
		fmt.Fprintf(b, "    ... and %d more findings (report.html, junit.xml)\n", n)
	}
	var step *Step
	for i := range s.Steps {
		if st := &s.Steps[i]; st.Status != Passed && (st.Error != "" || st.Status.IsUndefined()) {
			step = st
			break
		}
	}
	switch {
	case step != nil && step.Error != "":
		var rest []string
		for _, l := range strings.Split(step.Error, "\n") {
			l = strings.TrimSpace(cleanText(l))
			if l == "" || printed[l] || findingsHeader.MatchString(l) {
				continue
			}
			rest = append(rest, l)
		}
		if len(rest) > 0 {
			fmt.Fprintf(b, "    step %q (line %d):\n", oneLine(strings.TrimSpace(step.Keyword)+" "+step.Text), step.Line)
			for i, l := range rest {
				if i == maxConsoleErrLines {
					fmt.Fprintf(b, "      ... and %d more lines (report.html)\n", len(rest)-i)
					break
				}
				fmt.Fprintf(b, "      %s\n", l)
			}
		}
	case step != nil:
		fmt.Fprintf(b, "    %s step: %s\n", step.Status, oneLine(strings.TrimSpace(step.Keyword)+" "+step.Text))
	case len(fs) == 0 && s.Error != "":
		fmt.Fprintf(b, "    error: %s\n", oneLine(s.Error))
	}
	if ex := lastExchange(s); ex != nil {
		path := ex.Path
		if path == "" {
			path = ex.URL
		}
		if ex.Err != "" {
			fmt.Fprintf(b, "    last exchange: %s %s -> %s\n", oneLine(ex.Method), oneLine(path), oneLine(ex.Err))
		} else {
			fmt.Fprintf(b, "    last exchange: %s %s -> %d\n", oneLine(ex.Method), oneLine(path), ex.Status)
		}
	}
}

// findingsHeader is the line a step's error opens its failing findings with.
var findingsHeader = regexp.MustCompile(`^\d+ finding\(s\) in the response:$`)

// lastExchange is the scenario's last exchange, nil when it sent none.
func lastExchange(s *Scenario) *exchange.Exchange {
	for i := len(s.Steps) - 1; i >= 0; i-- {
		if exs := s.Steps[i].Exchanges; len(exs) > 0 {
			return &exs[len(exs)-1]
		}
	}
	return nil
}

// WriteSummary writes the closing lines of the run's console output: drift
// and expected findings counted (findings.json and the HTML report list
// them), the seed, target, spec hash (first 12 characters), guard decision
// and the build the pipeline named, then the counts line last ("38
// scenarios: 37 passed, 1 failed, 0 flaky, 0 skipped (1.42s)"). The
// scenarios themselves are WriteNotPassed's.
func WriteSummary(w io.Writer, r *Run) error {
	var b strings.Builder
	drift, expected := 0, 0
	for _, fd := range r.Findings() {
		switch {
		case fd.Expected:
			expected++
		case !fd.Fails():
			drift++
		}
	}
	if drift > 0 {
		fmt.Fprintf(&b, "drift: %s (not failures; see findings.json)\n", oneline.Count(drift, "finding"))
	}
	if expected > 0 {
		fmt.Fprintf(&b, "expected: %s provoked on purpose by fault scenarios (not failures)\n", oneline.Count(expected, "finding"))
	}
	fmt.Fprintf(&b, "seed: %d\n", r.Seed)
	fmt.Fprintf(&b, "target: %s\n", oneLine(r.Target))
	fmt.Fprintf(&b, "spec: %s\n", r.SpecHash[:min(12, len(r.SpecHash))])
	if r.Guard != "" {
		fmt.Fprintf(&b, "guard: %s\n", oneLine(r.Guard))
	}
	if line := r.Build.String(); line != "" {
		fmt.Fprintf(&b, "build: %s\n", line)
	}
	b.WriteString(countsLine(r))
	b.WriteString("\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write summary: %w", err)
	}
	return nil
}

// countsLine is "38 scenarios: 37 passed, 1 failed, 0 flaky, 0 skipped (1.42s)".
func countsLine(r *Run) string {
	c := r.Count()
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d passed, %d failed, %d flaky, %d skipped", oneline.Count(c.Total, "scenario"), c.Passed, c.Failed, c.Flaky, c.Skipped)
	if c.Undefined > 0 {
		fmt.Fprintf(&b, ", %d undefined", c.Undefined)
	}
	fmt.Fprintf(&b, " (%.2fs)", r.Duration().Seconds())
	return b.String()
}

// String is the build on one line: "label; sdk version; commit c; branch
// b; url", leaving out what is unknown; "" for a nil or empty Build.
func (b *Build) String() string {
	if b == nil {
		return ""
	}
	var parts []string
	add := func(prefix, v string) {
		if v = oneLine(v); v != "" {
			parts = append(parts, prefix+v)
		}
	}
	add("", b.Label)
	add("", strings.TrimSpace(b.SDK+" "+b.SDKVersion))
	add("commit ", b.Commit)
	add("branch ", b.Branch)
	add("", b.URL)
	return strings.Join(parts, "; ")
}

// WriteComparison writes the console's comparison with a previous run:
// one counts line, then the newly failing scenarios by name (the ones a
// reviewer acts on; the first 50, the rest counted); nothing for a nil
// comparison.
func WriteComparison(w io.Writer, c *Comparison) error {
	if c == nil {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "compared with %s: %d newly failing, %d fixed, %d still failing, %d new drift, %d vanished drift\n",
		oneLine(c.PreviousID), len(c.NewlyFailing), len(c.Fixed), len(c.StillFailing), len(c.NewDrift), len(c.VanishedDrift))
	for i, s := range c.NewlyFailing {
		if i == maxMarkdownRows {
			fmt.Fprintf(&b, "  ... and %d more newly failing (summary.md, report.html)\n", len(c.NewlyFailing)-i)
			break
		}
		fmt.Fprintf(&b, "  newly failing: %s (%s:%d) [%s]\n", oneLine(s.Name), oneLine(s.Feature), s.Line, s.Class)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

// findingText is a finding's one line as the reports print it, marked
// "(expected)" when a scenario provoked it on purpose.
func findingText(fd finding.Finding) string {
	if fd.Expected {
		return fd.String() + " (expected)"
	}
	return fd.String()
}

// oneLine folds a multi-line string onto one line.
func oneLine(s string) string {
	return oneline.Fold(cleanText(s))
}

// Headline is the one line that says why the scenario did not pass: its
// first failing finding, else the first line of its failed step's error
// joined to the line after it when the first only introduces a list ("1 of
// 16 values differ: /status: got ..., want ..."), else the undefined or
// pending step; "" for a scenario that did not fail. It is never cut short.
func (s *Scenario) Headline() string {
	if s.FailureClass() == "" {
		return ""
	}
	if fs := s.FailingFindings(); len(fs) > 0 {
		return fs[0].String()
	}
	if e := s.FailedStepError(); strings.TrimSpace(e) != "" {
		return oneLine(headline(e))
	}
	for _, st := range s.Steps {
		if st.Status.IsUndefined() {
			return oneLine(fmt.Sprintf("%s step: %s%s", st.Status, st.Keyword, st.Text))
		}
	}
	return "scenario " + string(s.Status)
}

// headline returns text's first non-empty line, with the next non-empty
// line appended when the first ends with a colon.
func headline(text string) string {
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	if strings.HasSuffix(lines[0], ":") && len(lines) > 1 {
		return lines[0] + " " + lines[1]
	}
	return lines[0]
}
