package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/passfort-conformance/harness/internal/finding"
)

// WriteSummary writes the run's plain-text summary for the console: the
// counts line ("38 scenarios: 37 passed, 1 failed, 0 flaky, 0 skipped
// (1.42s)"), the seed, target, spec hash (first 12 characters) and guard
// decision, then every scenario that did not pass with its feature:line, and
// under it each failing finding and the error, one line each. Drift is
// counted, not listed: findings.json and the HTML report have it.
func WriteSummary(w io.Writer, r *Run) error {
	c := r.Count()
	var b strings.Builder
	fmt.Fprintf(&b, "%d scenarios: %d passed, %d failed, %d flaky, %d skipped", c.Total, c.Passed, c.Failed, c.Flaky, c.Skipped)
	if c.Undefined > 0 {
		fmt.Fprintf(&b, ", %d undefined", c.Undefined)
	}
	fmt.Fprintf(&b, " (%.2fs)\n", r.Duration().Seconds())
	fmt.Fprintf(&b, "seed: %d\n", r.Seed)
	fmt.Fprintf(&b, "target: %s\n", oneLine(r.Target))
	fmt.Fprintf(&b, "spec: %s\n", r.SpecHash[:min(12, len(r.SpecHash))])
	if r.Guard != "" {
		fmt.Fprintf(&b, "guard: %s\n", oneLine(r.Guard))
	}
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
		fmt.Fprintf(&b, "drift: %d findings (not failures; see findings.json)\n", drift)
	}
	if expected > 0 {
		fmt.Fprintf(&b, "expected: %d findings provoked on purpose by fault scenarios (not failures)\n", expected)
	}
	header := false
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			class := s.FailureClass()
			if class == "" {
				continue
			}
			if !header {
				b.WriteString("not passed:\n")
				header = true
			}
			fmt.Fprintf(&b, "  %s:%d %s [%s]\n", f.URI, s.Line, oneLine(s.Name), class)
			for _, fd := range s.FailingFindings() {
				fmt.Fprintf(&b, "    %s\n", fd.String())
			}
			if e := s.FailedStepError(); e != "" {
				fmt.Fprintf(&b, "    error: %s\n", oneLine(e))
			} else if class == FailUndefined {
				fmt.Fprintf(&b, "    %s\n", junitProblemOf(&s, class).Message)
			}
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write summary: %w", err)
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
	return strings.Join(strings.Fields(cleanText(s)), " ")
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
		if st.Status == Undefined || st.Status == Pending || st.Status == Ambiguous {
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
