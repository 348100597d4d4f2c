package drift

import (
	"fmt"
	"time"

	"github.com/passfort-conformance/harness/internal/oneline"
)

// GateOptions tunes Gate.
type GateOptions struct {
	// Strict fails the gate on any entry, accepted or not.
	Strict bool
}

// Verdict is the gate's decision on one report.
type Verdict struct {
	// Pass is false when anything is new, any acceptance expired, or (strict)
	// the report has any entry.
	Pass bool `json:"pass"`
	// Strict says the verdict was taken in strict mode.
	Strict bool `json:"strict,omitempty"`
	// New are the report's entries no acceptance covers.
	New []Entry `json:"new"`
	// Expired are the baseline's acceptances past their date, whether or not
	// the run still saw their drift.
	Expired []Accepted `json:"expired"`
	// Accepted are the report's entries a valid acceptance covers.
	Accepted []Entry `json:"accepted"`
	// Unused are valid acceptances the run did not see (fixed drift, or
	// scenarios that did not run): worth removing, never a failure.
	Unused []Accepted `json:"unused"`
	// Lines is the verdict as the gate prints it: one line per new entry,
	// expired acceptance and (strict) accepted entry, then a summary line.
	Lines []string `json:"lines"`
}

// Gate decides whether a report passes against a baseline. An acceptance
// holds through its expiry date and is expired from the next day on, judged
// by today's calendar date. b may be nil (nothing accepted).
func Gate(r *Report, b *Baseline, opts GateOptions, today time.Time) Verdict {
	v := Verdict{Strict: opts.Strict, New: []Entry{}, Expired: []Accepted{}, Accepted: []Entry{}, Unused: []Accepted{}}
	day := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)

	valid := map[string]bool{}
	expired := map[string]bool{}
	used := map[string]bool{}
	if b != nil {
		for _, a := range b.Entries {
			if day.After(a.expiry()) {
				expired[a.Key()] = true
				v.Expired = append(v.Expired, a)
				v.Lines = append(v.Lines, fmt.Sprintf("expired: %s: accepted until %s (line %d): %s", a, a.Expires, a.Line, oneline.Fold(a.Reason)))
				continue
			}
			valid[a.Key()] = true
		}
	}
	if r != nil {
		for _, e := range r.Entries {
			switch {
			case valid[e.Key]:
				used[e.Key] = true
				v.Accepted = append(v.Accepted, e)
				if opts.Strict {
					v.Lines = append(v.Lines, "accepted (fails in strict mode): "+e.String())
				}
			case expired[e.Key]:
				// Its expired acceptance already fails the gate and has its line.
			default:
				v.New = append(v.New, e)
				v.Lines = append(v.Lines, "new: "+e.String())
			}
		}
	}
	if b != nil {
		for _, a := range b.Entries {
			if valid[a.Key()] && !used[a.Key()] {
				v.Unused = append(v.Unused, a)
			}
		}
	}

	v.Pass = len(v.New) == 0 && len(v.Expired) == 0
	if opts.Strict && r != nil && len(r.Entries) > 0 {
		v.Pass = false
	}
	v.Lines = append(v.Lines, "drift gate"+v.Summary())
	return v
}

// Summary is the verdict in a few words, as the gate's last line ends:
// " (strict): FAIL: 1 new, 0 expired, 3 accepted, 0 unused acceptances".
func (v Verdict) Summary() string {
	verdict := "PASS"
	if !v.Pass {
		verdict = "FAIL"
	}
	mode := ""
	if v.Strict {
		mode = " (strict)"
	}
	return fmt.Sprintf("%s: %s: %d new, %d expired, %d accepted, %d unused acceptances",
		mode, verdict, len(v.New), len(v.Expired), len(v.Accepted), len(v.Unused))
}
