// Package fidelity compares two runs of the same features against two
// targets — the mock and a recording or a second server — and lists the
// scenarios and response fields whose outcomes differ, so the mock cannot
// silently drift from the real API.
package fidelity

import (
	"github.com/passfort-conformance/harness/internal/idshape"
	"github.com/passfort-conformance/harness/internal/oneline"

	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/report"
)

// Difference is one way the two runs disagree.
type Difference struct {
	// Scenario is "feature.feature:line name".
	Scenario string `json:"scenario"`
	// Step is the step text, "" for a scenario-level difference.
	Step string `json:"step,omitempty"`
	// What differs: "outcome", "missing", "status", "field".
	What string `json:"what"`
	// Detail is one line: `status: mock 200, recording 404`.
	Detail string `json:"detail"`
}

// Result is the comparison of run A with run B.
type Result struct {
	A           string       `json:"a"` // the targets' names
	B           string       `json:"b"`
	Compared    int          `json:"compared"` // scenarios present in both runs
	Differences []Difference `json:"differences"`
}

// Compare lists how run b's outcomes differ from run a's: scenario status,
// scenarios only one run has, and per step, each exchange's status code
// and the set of response field paths (array indexes as *).
//
// Differences name each run by its target; two runs of one target (the
// mock before and after a change, say) are "A (target)" and "B (target)".
func Compare(a, b *report.Run) *Result {
	an, bn := a.Target, b.Target
	if an == bn {
		an, bn = "A ("+an+")", "B ("+bn+")"
	}
	res := &Result{A: an, B: bn}
	bs := index(b)
	seen := map[string]bool{}
	for key, sa := range index(a) {
		seen[key] = true
		sb, ok := bs[key]
		if !ok {
			res.add(key, "", "missing", fmt.Sprintf("only %s ran it", an))
			continue
		}
		res.Compared++
		if sa.Status != sb.Status {
			res.add(key, "", "outcome", fmt.Sprintf("%s %s, %s %s", an, sa.Status, bn, sb.Status))
		}
		for i := 0; i < len(sa.Steps) && i < len(sb.Steps); i++ {
			res.compareStep(key, sa.Steps[i], sb.Steps[i], an, bn)
		}
	}
	for key := range bs {
		if !seen[key] {
			res.add(key, "", "missing", fmt.Sprintf("only %s ran it", bn))
		}
	}
	sort.Slice(res.Differences, func(i, j int) bool {
		di, dj := res.Differences[i], res.Differences[j]
		if di.Scenario != dj.Scenario {
			return di.Scenario < dj.Scenario
		}
		if di.Step != dj.Step {
			return di.Step < dj.Step
		}
		return di.Detail < dj.Detail
	})
	return res
}

func (r *Result) add(scenario, step, what, detail string) {
	r.Differences = append(r.Differences, Difference{Scenario: scenario, Step: step, What: what, Detail: detail})
}

func (r *Result) compareStep(scenario string, a, b report.Step, an, bn string) {
	xa, xb := settled(a.Exchanges), settled(b.Exchanges)
	for i := 0; i < len(xa) || i < len(xb); i++ {
		if i >= len(xa) || i >= len(xb) {
			r.add(scenario, a.Text, "missing", fmt.Sprintf("%s sent %s, %s %d", an, oneline.Count(len(xa), "request"), bn, len(xb)))
			return
		}
		ea, eb := xa[i], xb[i]
		if ea.Status != eb.Status {
			r.add(scenario, a.Text, "status", fmt.Sprintf("%s %s: %s %d, %s %d", ea.Method, template(ea), an, ea.Status, bn, eb.Status))
			continue
		}
		fa, fb := fields(ea), fields(eb)
		// An empty list says nothing of its elements' shape: their fields
		// are compared only where both runs returned some.
		for p := range emptyArrays(ea.ResponseBody) {
			dropUnder(fb, p)
		}
		for p := range emptyArrays(eb.ResponseBody) {
			dropUnder(fa, p)
		}
		for _, f := range minus(fa, fb) {
			r.add(scenario, a.Text, "field", fmt.Sprintf("%s %s %d: %s only from %s", ea.Method, template(ea), ea.Status, f, an))
		}
		for _, f := range minus(fb, fa) {
			r.add(scenario, a.Text, "field", fmt.Sprintf("%s %s %d: %s only from %s", ea.Method, template(ea), ea.Status, f, bn))
		}
	}
}

// settled keeps, of each run of the same request (method and path with
// ids hidden) sent one after the other, the last: a step that polls sends
// as many as the target takes to settle, which differs by design between
// targets and runs (decision D77, docs/decisions.md).
func settled(xs []exchange.Exchange) []exchange.Exchange {
	var out []exchange.Exchange
	for i, e := range xs {
		if i+1 < len(xs) && xs[i+1].Method == e.Method && template(xs[i+1]) == template(e) {
			continue
		}
		out = append(out, e)
	}
	return out
}

// emptyArrays returns the paths (array indexes as *, as fields writes them)
// of the empty arrays in a JSON body.
func emptyArrays(body []byte) map[string]bool {
	out := map[string]bool{}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return out
	}
	var walk func(p string, v any)
	walk = func(p string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				walk(p+"/"+jsonpointer.Escape(k), c)
			}
		case []any:
			if len(x) == 0 {
				out[p] = true
			}
			for _, c := range x {
				walk(p+"/*", c)
			}
		}
	}
	walk("", v)
	return out
}

// dropUnder removes from fs the fields below the array at p.
func dropUnder(fs map[string]bool, p string) {
	for f := range fs {
		if strings.HasPrefix(f, p+"/*") {
			delete(fs, f)
		}
	}
}

// template hides ids so the same request reads the same in both runs.
func template(ex exchange.Exchange) string {
	path, _, _ := strings.Cut(ex.Path, "?")
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if idshape.IsUUID(p) {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}

// fields returns the response's field paths, array indexes as *.
func fields(ex exchange.Exchange) map[string]bool {
	out := map[string]bool{}
	for _, p := range contract.ObservedFields(ex.ResponseBody) {
		out[p] = true
	}
	return out
}

func minus(a, b map[string]bool) []string {
	var out []string
	for k := range a {
		if !b[k] {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func index(r *report.Run) map[string]report.Scenario {
	out := map[string]report.Scenario{}
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			out[fmt.Sprintf("%s:%d %s", f.URI, s.Line, s.Name)] = s
		}
	}
	return out
}

// WriteText writes the comparison for people: the differences grouped by
// what differs (one line), each group with the scenarios (and steps) that
// show it, groups in order of their first difference.
func WriteText(w io.Writer, r *Result) error {
	type group struct {
		head  string
		where []string
	}
	var groups []*group
	byHead := map[string]*group{}
	for _, d := range r.Differences {
		head := d.What + ": " + d.Detail
		g := byHead[head]
		if g == nil {
			g = &group{head: head}
			byHead[head] = g
			groups = append(groups, g)
		}
		where := d.Scenario
		if d.Step != "" {
			where += fmt.Sprintf(", step %q", d.Step)
		}
		g.where = append(g.where, where)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "fidelity: %s vs %s: %s compared, %s", r.A, r.B, oneline.Count(r.Compared, "scenario"), oneline.Count(len(r.Differences), "difference"))
	if len(groups) > 0 {
		fmt.Fprintf(&b, " in %s", oneline.Count(len(groups), "group"))
	}
	b.WriteString("\n")
	for _, g := range groups {
		fmt.Fprintf(&b, "  %s (%s)\n", g.head, oneline.Count(len(g.where), "scenario"))
		for _, wh := range g.where {
			fmt.Fprintf(&b, "    %s\n", wh)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
