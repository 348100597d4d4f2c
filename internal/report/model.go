package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/finding"
)

// Failure classes of a failed scenario, as the writers label it. The first
// three are finding classes; Assertion is a failed step that no check turned
// into a finding (e.g. "status: got 404, want 200" from a Gherkin step), and
// Undefined covers undefined, pending and ambiguous steps; Usage is a step
// that failed on the feature's own mistake (Step.Usage).
const (
	FailContract       = string(finding.Contract)
	FailLifecycle      = string(finding.Lifecycle)
	FailInfrastructure = string(finding.Infrastructure)
	FailAssertion      = "assertion"
	FailUndefined      = "undefined"
	FailUsage          = "usage"
)

// Findings returns every finding of the scenario in step order.
func (s *Scenario) Findings() []finding.Finding {
	var out []finding.Finding
	for _, st := range s.Steps {
		out = append(out, st.Findings...)
	}
	return out
}

// FailingFindings returns the scenario's findings that fail it by default
// (every class but drift), in step order.
func (s *Scenario) FailingFindings() []finding.Finding {
	var out []finding.Finding
	for _, st := range s.Steps {
		for _, f := range st.Findings {
			if f.Fails() {
				out = append(out, f)
			}
		}
	}
	return out
}

// FailureClass says why a scenario did not pass, for the verdict and every
// report that shows one: "" for passed, flaky and skipped scenarios;
// FailUndefined for undefined, pending and ambiguous ones, and for a failed
// one with such a step even after its failed step, so a typo cannot hide
// behind a failure (decision D75, docs/decisions.md); FailUsage for a
// failed one whose step failed on a usage error; for other failed ones the
// worst failing finding's class (contract over lifecycle over
// infrastructure), or FailAssertion when no finding explains the failure.
func (s *Scenario) FailureClass() string {
	switch s.Status {
	case Passed, Flaky, Skipped:
		return ""
	case Failed:
		for _, st := range s.Steps {
			if st.Status.IsUndefined() {
				return FailUndefined
			}
		}
		for _, st := range s.Steps {
			if st.Usage {
				return FailUsage
			}
		}
		if w := finding.Worst(s.FailingFindings()); w != "" {
			return string(w)
		}
		return FailAssertion
	default:
		return FailUndefined
	}
}

// FailedStepError returns the error of the first failed step, or the
// scenario's own error when no step carries one.
func (s *Scenario) FailedStepError() string {
	for _, st := range s.Steps {
		if st.Error != "" && st.Status != Passed {
			return st.Error
		}
	}
	return s.Error
}

// Duration is the run's wall-clock time; when the timestamps are missing or
// out of order it falls back to the sum of the scenarios' durations, so it is
// never negative.
func (r *Run) Duration() time.Duration {
	if d := r.Finished.Sub(r.Started); !r.Started.IsZero() && !r.Finished.IsZero() && d >= 0 {
		return d
	}
	var sum time.Duration
	for _, f := range r.Features {
		sum += f.Duration()
	}
	return sum
}

// Duration is the sum of the feature's scenario durations, each counted as
// zero when negative.
func (f *Feature) Duration() time.Duration {
	var sum time.Duration
	for _, s := range f.Scenarios {
		sum += nonNegative(s.Duration)
	}
	return sum
}

// Started is the earliest start among the feature's scenarios (they may run
// in random order), or the zero time when none has one.
func (f *Feature) Started() time.Time {
	var first time.Time
	for _, s := range f.Scenarios {
		if !s.Started.IsZero() && (first.IsZero() || s.Started.Before(first)) {
			first = s.Started
		}
	}
	return first
}

// LocatedFindings returns every finding of the run, with Feature, Scenario,
// Step and Line filled from where the finding was recorded when the runner
// left them empty, stably sorted by feature URI then line.
func (r *Run) LocatedFindings() []finding.Finding {
	var out []finding.Finding
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			for _, st := range s.Steps {
				for _, fd := range st.Findings {
					out = append(out, locate(fd, &f, &s, &st))
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b finding.Finding) int {
		return cmp.Or(strings.Compare(a.Feature, b.Feature), cmp.Compare(a.Line, b.Line))
	})
	return out
}

// locate fills a finding's empty location fields from the step that holds it.
func locate(fd finding.Finding, f *Feature, s *Scenario, st *Step) finding.Finding {
	if fd.Feature == "" {
		fd.Feature = f.URI
	}
	if fd.Scenario == "" {
		fd.Scenario = s.Name
	}
	if fd.Step == "" {
		fd.Step = strings.TrimSpace(st.Keyword) + " " + st.Text
	}
	if fd.Line == 0 {
		fd.Line = cmp.Or(st.Line, s.Line)
	}
	return fd
}

func nonNegative(d time.Duration) time.Duration {
	return max(d, 0)
}

// cleanText drops the characters XML 1.0 forbids (C0 controls other than tab,
// line feed and carriage return, lone surrogates, U+FFFE and U+FFFF), which
// also keeps them out of HTML and JSON reports meant for people.
func cleanText(s string) string {
	if strings.IndexFunc(s, badChar) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if badChar(r) {
			return -1
		}
		return r
	}, s)
}

func badChar(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r == 0x7f:
		return true
	case r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
		return true
	}
	return false
}
