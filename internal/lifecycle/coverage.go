package lifecycle

import (
	"fmt"
	"maps"
	"math"
	"slices"
)

// Coverage is what one Checker observed: how many snapshots showed each
// status and flag, and how many times each modelled transition was seen.
// A flag also counts once per application whose flag_history records it, so
// a short-lived flag no read caught (WAITING_ON_CHECKS between two polls) is
// still observed: the target reported it.
type Coverage struct {
	Snapshots   int            `json:"snapshots"`
	Statuses    map[string]int `json:"statuses"`
	Flags       map[string]int `json:"flags"`
	Transitions map[string]int `json:"transitions"`
}

func newCoverage() Coverage {
	return Coverage{Statuses: map[string]int{}, Flags: map[string]int{}, Transitions: map[string]int{}}
}

func (c *Coverage) add(a *appSnap) {
	c.Snapshots++
	c.Statuses[a.Status]++
	if a.Flag != "" { // an application without a flag shows none
		c.Flags[a.Flag]++
	}
}

// addHistoryFlags counts the flags of a's flag_history that no snapshot of
// the application showed yet, once each; seen holds "id|flag" keys.
func (c *Coverage) addHistoryFlags(a *appSnap, seen map[string]bool) {
	seen[a.ID+"|"+a.Flag] = true
	for _, e := range a.FlagHistory {
		if k := a.ID + "|" + e.Flag; !seen[k] {
			seen[k] = true
			c.Flags[e.Flag]++
		}
	}
}

// Coverage returns a copy of what the checker observed so far.
func (c *Checker) Coverage() Coverage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Coverage{
		Snapshots:   c.cov.Snapshots,
		Statuses:    maps.Clone(c.cov.Statuses),
		Flags:       maps.Clone(c.cov.Flags),
		Transitions: maps.Clone(c.cov.Transitions),
	}
}

// CoverageItem is one modelled (or observed but unmodelled) status, flag or transition.
type CoverageItem struct {
	Name string `json:"name"`
	// Count is how many times it was observed (0: never).
	Count int `json:"count"`
	// Detail describes a transition: "APPLIED→APPROVED (manual)".
	Detail string `json:"detail,omitempty"`
	Source string `json:"source,omitempty"`
}

// CoverageSet is modelled against observed for one kind of item.
type CoverageSet struct {
	Modelled int `json:"modelled"`
	Observed int `json:"observed"`
	// Percent is Observed/Modelled in percent, one decimal.
	Percent float64 `json:"percent"`
	// Items lists every modelled item in model order, observed or not.
	Items []CoverageItem `json:"items"`
	// Unmodelled lists what was observed but is not in the model (sorted).
	Unmodelled []CoverageItem `json:"unmodelled,omitempty"`
}

// CoverageReport is the lifecycle part of reports/coverage.json.
type CoverageReport struct {
	Snapshots   int         `json:"snapshots"`
	Statuses    CoverageSet `json:"statuses"`
	Flags       CoverageSet `json:"flags"`
	Transitions CoverageSet `json:"transitions"`
}

// Coverage merges what checkers observed and sets it against the model.
func (m *Model) Coverage(observed ...Coverage) CoverageReport {
	all := newCoverage()
	for _, o := range observed {
		all.Snapshots += o.Snapshots
		for k, v := range o.Statuses {
			all.Statuses[k] += v
		}
		for k, v := range o.Flags {
			all.Flags[k] += v
		}
		for k, v := range o.Transitions {
			all.Transitions[k] += v
		}
	}
	var statuses, flags, transitions []CoverageItem
	for _, s := range m.statuses {
		statuses = append(statuses, CoverageItem{Name: s, Count: all.Statuses[s]})
	}
	for _, f := range m.flags {
		flags = append(flags, CoverageItem{Name: f.name, Count: all.Flags[f.name]})
	}
	for _, t := range m.transitions {
		transitions = append(transitions, CoverageItem{
			Name: t.Name, Count: all.Transitions[t.Name],
			Detail: fmt.Sprintf("%s→%s (%s)", t.From, t.To, t.Cause), Source: t.Source,
		})
	}
	return CoverageReport{
		Snapshots:   all.Snapshots,
		Statuses:    coverageSet(statuses, all.Statuses),
		Flags:       coverageSet(flags, all.Flags),
		Transitions: coverageSet(transitions, all.Transitions),
	}
}

func coverageSet(items []CoverageItem, seen map[string]int) CoverageSet {
	s := CoverageSet{Modelled: len(items), Items: items}
	modelled := map[string]bool{}
	for _, it := range items {
		modelled[it.Name] = true
		if it.Count > 0 {
			s.Observed++
		}
	}
	for _, name := range slices.Sorted(maps.Keys(seen)) {
		if !modelled[name] {
			s.Unmodelled = append(s.Unmodelled, CoverageItem{Name: name, Count: seen[name]})
		}
	}
	if s.Modelled > 0 {
		s.Percent = math.Round(1000*float64(s.Observed)/float64(s.Modelled)) / 10
	}
	return s
}

// String is the one line of the run summary, e.g.
// "lifecycle coverage: transitions 9/14 (64.3%), flags 6/11 (54.5%), statuses 5/5 (100%) in 120 snapshots".
func (r CoverageReport) String() string {
	return fmt.Sprintf("lifecycle coverage: transitions %d/%d (%g%%), flags %d/%d (%g%%), statuses %d/%d (%g%%) in %d snapshots",
		r.Transitions.Observed, r.Transitions.Modelled, r.Transitions.Percent,
		r.Flags.Observed, r.Flags.Modelled, r.Flags.Percent,
		r.Statuses.Observed, r.Statuses.Modelled, r.Statuses.Percent, r.Snapshots)
}
