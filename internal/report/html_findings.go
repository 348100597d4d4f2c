package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// htmlGroup is one row of the grouped findings: every finding of one class,
// kind, rule, operation and pointer, or every failure without a finding
// that has the same failed step and error, with how often it occurred and
// the scenarios it occurred in.
type htmlGroup struct {
	Class                    string
	Kind, Rule               string
	Operation, Pointer       string
	Statuses                 string // the HTTP statuses seen, "200, 201"
	Message                  string // the first occurrence's message or error
	Count                    int
	Messages                 int // distinct messages within the group
	Expected                 bool
	Scenarios                []htmlScenarioRef
	MoreScenarios            int // scenarios beyond those listed
	scenarioSeen, messageSet map[string]bool
	statusSet                []int
}

// ScenarioCount is how many scenarios hit the group, listed or not.
func (g htmlGroup) ScenarioCount() int {
	return len(g.Scenarios) + g.MoreScenarios
}

// htmlScenarioRef links to one scenario of the page.
type htmlScenarioRef struct {
	Name, Anchor, Where string
}

// maxGroupScenarios caps the scenarios a group lists by name; the rest are
// counted (decision D102, docs/decisions.md).
const maxGroupScenarios = 50

// classOrder ranks classes for sorting: the ones that fail a run first.
func classOrder(c string) int {
	switch c {
	case FailContract:
		return 0
	case FailLifecycle:
		return 1
	case FailInfrastructure:
		return 2
	case string(finding.Drift):
		return 3
	case FailAssertion:
		return 4
	case FailUsage:
		return 5
	}
	return 6
}

type groupKey struct {
	expected                                  bool
	class, kind, rule, operation, pointer, by string
}

// groupBuilder collects findings and failures without findings into groups
// in the order first seen; groups() sorts them.
type groupBuilder struct {
	index map[groupKey]*htmlGroup
	order []*htmlGroup
}

func (b *groupBuilder) group(k groupKey, g htmlGroup) *htmlGroup {
	if b.index == nil {
		b.index = map[groupKey]*htmlGroup{}
	}
	if got, ok := b.index[k]; ok {
		return got
	}
	g.scenarioSeen, g.messageSet = map[string]bool{}, map[string]bool{}
	p := &g
	b.index[k] = p
	b.order = append(b.order, p)
	return p
}

// addFinding counts one finding of the scenario at ref.
func (b *groupBuilder) addFinding(fd finding.Finding, ref htmlScenarioRef) {
	ptr := jsonpointer.Templated(fd.Pointer)
	k := groupKey{expected: fd.Expected, class: string(fd.Class), kind: fd.Kind, rule: fd.Rule, operation: fd.Operation, pointer: ptr}
	g := b.group(k, htmlGroup{
		Class: string(fd.Class), Kind: cleanText(fd.Kind), Rule: cleanText(fd.Rule), Operation: cleanText(fd.Operation),
		Pointer: cleanText(ptr), Message: cleanText(fd.Message), Expected: fd.Expected,
	})
	if fd.Status != 0 && !slices.Contains(g.statusSet, fd.Status) {
		g.statusSet = append(g.statusSet, fd.Status)
	}
	b.count(g, fd.Message, ref)
}

// addFailure counts a failed scenario no finding explains: class is its
// FailureClass (assertion, usage or undefined), step its failed step.
func (b *groupBuilder) addFailure(class, step, err string, ref htmlScenarioRef) {
	line := oneline.First(err)
	g := b.group(groupKey{class: class, by: step + "\x00" + line}, htmlGroup{
		Class: class, Kind: cleanText(step), Message: cleanText(line),
	})
	b.count(g, line, ref)
}

func (b *groupBuilder) count(g *htmlGroup, msg string, ref htmlScenarioRef) {
	g.Count++
	if !g.messageSet[msg] {
		g.messageSet[msg] = true
		g.Messages++
	}
	if g.scenarioSeen[ref.Anchor] {
		return
	}
	g.scenarioSeen[ref.Anchor] = true
	if len(g.Scenarios) < maxGroupScenarios {
		g.Scenarios = append(g.Scenarios, ref)
	} else {
		g.MoreScenarios++
	}
}

// groups returns the findings' groups and the expected findings' groups,
// each by class (contract first), then count (most first), then key.
func (b *groupBuilder) groups() (found, expected []htmlGroup) {
	for _, g := range b.order {
		slices.Sort(g.statusSet)
		var st []string
		for _, s := range g.statusSet {
			st = append(st, fmt.Sprint(s))
		}
		g.Statuses = strings.Join(st, ", ")
		g.scenarioSeen, g.messageSet = nil, nil
		if g.Expected {
			expected = append(expected, *g)
		} else {
			found = append(found, *g)
		}
	}
	sortGroups := func(gs []htmlGroup) {
		slices.SortStableFunc(gs, func(a, b htmlGroup) int {
			return cmp.Or(cmp.Compare(classOrder(a.Class), classOrder(b.Class)), cmp.Compare(b.Count, a.Count),
				cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Rule, b.Rule), cmp.Compare(a.Operation, b.Operation),
				cmp.Compare(a.Pointer, b.Pointer), cmp.Compare(a.Message, b.Message))
		})
	}
	sortGroups(found)
	sortGroups(expected)
	return found, expected
}

// htmlClassFilter is one button of the findings' class filter.
type htmlClassFilter struct {
	Class          string
	Groups, Counts int
}

// classFilters returns a button per class that has a group, in classOrder.
func classFilters(groups []htmlGroup) []htmlClassFilter {
	var out []htmlClassFilter
	for _, g := range groups {
		i := slices.IndexFunc(out, func(f htmlClassFilter) bool { return f.Class == g.Class })
		if i < 0 {
			out = append(out, htmlClassFilter{Class: g.Class})
			i = len(out) - 1
		}
		out[i].Groups++
		out[i].Counts += g.Count
	}
	slices.SortStableFunc(out, func(a, b htmlClassFilter) int { return cmp.Compare(classOrder(a.Class), classOrder(b.Class)) })
	return out
}

// failedStep returns the keyword and text of the scenario's first failed
// step, "" when none failed.
func failedStep(s *Scenario) string {
	for _, st := range s.Steps {
		if st.Status == Failed || st.Status.IsUndefined() {
			return strings.TrimSpace(st.Keyword) + " " + st.Text
		}
	}
	return ""
}
