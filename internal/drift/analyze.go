// Package drift tells users that the target changed before their SDK breaks.
//
// After a run, Analyze builds the drift report from what the run recorded:
// the drift findings the contract checks produced (fields a response carried
// that its schema does not document, at any depth), the documented fields
// the target never returned, and the contract findings an SDK can break on
// that the report lists too (enum values, status codes and content types the
// spec does not list). Entries are keyed stably across runs (templated
// pointers, no scenario), so a committed baseline (LoadBaseline) can accept
// known drift with a reason and an expiry date, and Gate fails on what is new
// or expired. Observe records what a run saw (operations, statuses, field
// paths, enum values) and Compare lists what appeared and vanished between
// two runs.
//
// Files: analyze.go (the report), scan.go (one pass over a run's exchanges),
// pointer.go (templated pointers), enums.go (enum pointers from the spec),
// observe.go and compare.go (run against run), baseline.go and gate.go (the
// gate), write.go (drift.json and drift.md).
package drift

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/report"
)

// exampleMax caps every example and value in the report, in bytes.
const exampleMax = 80

// redacted replaces the example of a field whose name says it holds a
// secret; it reads as target.Redacted does.
const redacted = "[REDACTED]"

// Report is the drift report of one run.
type Report struct {
	// Run is the run's id.
	Run string `json:"run"`
	// Target is the run's target: "embedded mock" or the base URL.
	Target string `json:"target"`
	// Generated is when the report was built.
	Generated time.Time `json:"generated"`
	// Entries are sorted: drift first, then the contract findings, each by
	// operation, status, pointer, kind and value.
	Entries []Entry `json:"entries"`
	// Verdict is the gate's verdict, when the report was gated before being
	// written (nil otherwise).
	Verdict *Verdict `json:"verdict,omitempty"`
	// Observations is what the run saw, for comparing runs. Write puts it in
	// its own file (observations.json), not in drift.json.
	Observations *Observations `json:"-"`
}

// Entry is one kind of drift at one place, however often the run saw it.
type Entry struct {
	// Class is finding.Drift, or finding.Contract for the contract findings
	// the drift report lists too (outside-enum, undocumented-status,
	// wrong-content-type).
	Class finding.Class `json:"class"`
	// Kind is the finding kind, e.g. "undocumented-field", "never-returned".
	Kind string `json:"kind"`
	// Operation is e.g. "GET /profiles/{profile_id}/applications/{application_id}".
	Operation string `json:"operation"`
	// Status is the HTTP status of the responses concerned.
	Status int `json:"status"`
	// Pointer is templated: "*" for array indexes and documented map keys,
	// e.g. "/approval_blockers/*/extra"; "" for the whole response.
	Pointer string `json:"pointer"`
	// Value tells entries at one place apart where the value is the news: the
	// value outside an enum (BRAND_NEW_FLAG, closed or extensible) or the
	// undocumented media type.
	// "" for the other kinds.
	Value string `json:"value,omitempty"`
	// Rule is the rule the first finding named, e.g. "enum", "properties".
	Rule string `json:"rule,omitempty"`
	// Message is the first finding's one-line message.
	Message string `json:"message"`
	// Example is a first value seen, redacted and cut to 80 bytes.
	Example string `json:"example,omitempty"`
	// Count is how often the run saw it: findings for the kinds the checks
	// report; for never-returned, the objects seen without the field.
	Count int `json:"count"`
	// FirstScenario is the first scenario, in run order, that saw it.
	FirstScenario string `json:"first_scenario,omitempty"`
	// Key identifies the entry across runs; baselines match on it:
	// "class|kind|operation|status|pointer", plus "|value" when Value is set.
	Key string `json:"key"`
}

// String is the entry as one line, as the gate prints it.
func (e Entry) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s %s %d", e.Class, e.Kind, e.Operation, e.Status)
	if e.Pointer != "" {
		b.WriteString(" " + e.Pointer)
	}
	if e.Value != "" {
		b.WriteString(" " + strconv.Quote(e.Value))
	}
	if e.Example != "" && !enumKind(e.Kind) {
		b.WriteString(" example " + e.Example)
	}
	fmt.Fprintf(&b, " (%d×)", e.Count)
	return b.String()
}

// EntryKey builds the key of an entry from its parts (see Entry.Key).
func EntryKey(class finding.Class, kind, operation string, status int, pointer, value string) string {
	k := fmt.Sprintf("%s|%s|%s|%d|%s", class, kind, operation, status, pointer)
	if value != "" {
		k += "|" + value
	}
	return k
}

// enumKind reports whether a kind is about a value outside an enum: the
// value is the news, so entries tell values apart and baselines accept
// each value on its own.
func enumKind(kind string) bool {
	return kind == finding.OutsideEnum || kind == finding.UnknownEnumValue
}

// listed reports whether the drift report lists a finding: every drift
// finding, and the contract findings an SDK breaks on that a spec change
// would fix, as the README's section "Drift" promises.
func listed(f finding.Finding) bool {
	switch f.Class {
	case finding.Drift:
		return true
	case finding.Contract:
		switch f.Kind {
		case finding.OutsideEnum, finding.UndocumentedStatus, finding.WrongContentType:
			return true
		}
	}
	return false
}

// Analyze builds the drift report of a finished run. It reads the run's
// findings and exchanges (already redacted) and never fails: a nil run gives
// an empty report. v must be the validator the run was checked with; it
// names operations and lists the documented fields.
//
// "Never returned" is decided per operation and status that returned JSON:
// a documented field is drift when no response had it although its parent
// object was seen at least once (so a field of a oneOf branch the run saw
// counts, and fields under an object that was null or absent do not). Map
// values ("/metadata/*") are never reported: no particular key is documented.
func Analyze(run *report.Run, v *contract.Validator, opts ...Option) *Report {
	s := newScanner(v, options(v, opts))
	sc := scan(run, s)
	r := &Report{Generated: time.Now().UTC().Truncate(time.Second), Observations: sc.obs, Entries: []Entry{}}
	if run == nil {
		return r
	}
	r.Run, r.Target = run.ID, run.Target

	a := &analyzer{s: s, required: map[opStatus]map[string]bool{}, byKey: map[string]*Entry{}, bodies: map[*exchange.Exchange]any{}}
	for fi := range run.Features {
		f := &run.Features[fi]
		for si := range f.Scenarios {
			scen := &f.Scenarios[si]
			for sti := range scen.Steps {
				for _, fd := range scen.Steps[sti].Findings {
					switch {
					case fd.Expected:
						// A fault the scenario injected on purpose is not
						// something the target does.
					case listed(fd):
						a.add(fd, scen, sti)
					case fd.Class == finding.Contract && fd.Kind == finding.MissingRequired:
						a.missingRequired(fd, scen, sti)
					}
				}
			}
		}
	}
	a.neverReturned(sc, v)

	for _, k := range a.order {
		r.Entries = append(r.Entries, *a.byKey[k])
	}
	sortEntries(r.Entries)
	return r
}

// analyzer folds findings into entries.
type analyzer struct {
	s *scanner
	// required holds the templated pointers of missing-required findings:
	// a required field the target left out is a contract break, reported
	// as such, and not again as a field never returned.
	required map[opStatus]map[string]bool
	byKey    map[string]*Entry
	order    []string
	bodies   map[*exchange.Exchange]any // decoded bodies, nil when not JSON
}

func (a *analyzer) body(ex *exchange.Exchange) any {
	if v, ok := a.bodies[ex]; ok {
		return v
	}
	v, _ := decodeBody(ex.ResponseBody)
	a.bodies[ex] = v
	return v
}

// located is a finding resolved against the response that produced it.
type located struct {
	ex      *exchange.Exchange // nil when no recorded response matches
	pointer string             // templated
	at      any                // the value at the pointer
	found   bool               // at is set
}

// locate finds the response a finding is about: an exchange of its step
// (else of its scenario) with the finding's operation and status in which
// its pointer resolves, and templates the pointer with it.
func (a *analyzer) locate(f finding.Finding, sc *report.Scenario, step int) located {
	var fallback *exchange.Exchange
	try := func(st *report.Step) (located, bool) {
		for i := range st.Exchanges {
			ex := &st.Exchanges[i]
			if ex.Status != f.Status || a.s.operation(ex) != f.Operation {
				continue
			}
			if fallback == nil {
				fallback = ex
			}
			if f.Pointer == "" {
				return located{ex: ex, found: true, at: a.body(ex)}, true
			}
			sh := a.s.shape(ex, opStatus{f.Operation, f.Status})
			ptr, at, ok := sh.template(a.body(ex), f.Pointer)
			if !ok {
				continue
			}
			// Several responses of a step may hold the pointer: an enum
			// finding is about the one whose value its message quotes.
			if enumKind(f.Kind) && !quotes(f.Message, at) {
				continue
			}
			return located{ex: ex, pointer: ptr, at: at, found: true}, true
		}
		return located{}, false
	}
	if l, ok := try(&sc.Steps[step]); ok {
		return l
	}
	for i := range sc.Steps {
		if i == step {
			continue
		}
		if l, ok := try(&sc.Steps[i]); ok {
			return l
		}
	}
	l := located{ex: fallback}
	var sh shape
	if fallback != nil {
		sh = a.s.shape(fallback, opStatus{f.Operation, f.Status})
	}
	l.pointer = sh.guessTemplate(f.Pointer)
	return l
}

func (a *analyzer) add(f finding.Finding, sc *report.Scenario, step int) {
	l := a.locate(f, sc, step)
	var value, example string
	switch f.Kind {
	case finding.UndocumentedField:
		example = f.Example
		if example == "" && l.found {
			example = exampleOf(l.at)
		}
	case finding.OutsideEnum, finding.UnknownEnumValue:
		if l.found {
			value, example = enumValue(l.at), exampleOf(l.at)
		} else {
			value = valueFromMessage(f.Message)
			example = strconv.Quote(value)
		}
	case finding.UndocumentedStatus:
		if l.ex != nil {
			example = fmt.Sprintf("%s (%d bytes)", orNone(l.ex.ContentType()), len(l.ex.ResponseBody))
		}
	case finding.WrongContentType:
		if l.ex != nil {
			value = strings.ToLower(l.ex.ContentType())
			example = orNone(l.ex.ResponseHeader.Get("Content-Type"))
		}
	default:
		example = f.Example
	}
	if secretName(jsonpointer.Last(l.pointer)) && example != "" {
		example = redacted
	}
	value = oneline.Clip(value, exampleMax) // before the key: baselines match on what the report shows
	k := EntryKey(f.Class, f.Kind, f.Operation, f.Status, l.pointer, value)
	if e := a.byKey[k]; e != nil {
		e.Count++
		return
	}
	a.byKey[k] = &Entry{
		Class: f.Class, Kind: f.Kind, Operation: f.Operation, Status: f.Status,
		Pointer: l.pointer, Value: value, Rule: f.Rule,
		Message: oneline.Fold(f.Message), Example: oneline.Clip(example, exampleMax),
		Count: 1, FirstScenario: cmp.Or(f.Scenario, sc.Name), Key: k,
	}
	a.order = append(a.order, k)
}

func (a *analyzer) missingRequired(f finding.Finding, sc *report.Scenario, step int) {
	if f.Pointer == "" {
		return // the whole body is missing: no field to exempt
	}
	k := opStatus{f.Operation, f.Status}
	// The field is missing, so its pointer does not resolve: template its
	// parent, which does.
	parent := f
	parent.Pointer = jsonpointer.Parent(f.Pointer)
	l := a.locate(parent, sc, step)
	if a.required[k] == nil {
		a.required[k] = map[string]bool{}
	}
	a.required[k][l.pointer+"/"+jsonpointer.Escape(jsonpointer.Last(f.Pointer))] = true
}

// neverReturned adds an entry per documented field no response returned
// although its parent object was seen.
func (a *analyzer) neverReturned(sc *scanned, v *contract.Validator) {
	if v == nil {
		return
	}
	ops := map[string]contract.Operation{}
	for _, op := range v.Operations() {
		ops[op.String()] = op
	}
	for _, k := range sc.jsonBodies {
		op, ok := ops[k.op]
		if !ok {
			continue // an undocumented operation documents no field
		}
		fields, objects := sc.fields[k], sc.objects[k]
		for _, d := range v.DocumentedFields(op, k.status) {
			if fields[d] || strings.HasSuffix(d, "/*") || a.required[k][d] {
				continue
			}
			parent := objects[jsonpointer.Parent(d)]
			if parent == nil {
				continue
			}
			key := EntryKey(finding.Drift, finding.NeverReturned, k.op, k.status, d, "")
			if a.byKey[key] != nil {
				continue // the run reported it already
			}
			a.byKey[key] = &Entry{
				Class: finding.Drift, Kind: finding.NeverReturned, Operation: k.op, Status: k.status,
				Pointer: d, Rule: "properties",
				Message: fmt.Sprintf("documented field %q never returned (%d objects seen without it)", jsonpointer.Last(d), parent.count),
				Count:   parent.count, FirstScenario: parent.scenario, Key: key,
			}
			a.order = append(a.order, key)
		}
	}
}

func sortEntries(es []Entry) {
	rank := func(c finding.Class) int {
		if c == finding.Drift {
			return 0
		}
		return 1
	}
	slices.SortFunc(es, func(a, b Entry) int {
		return cmp.Or(
			cmp.Compare(rank(a.Class), rank(b.Class)),
			cmp.Compare(a.Operation, b.Operation),
			cmp.Compare(a.Status, b.Status),
			cmp.Compare(a.Pointer, b.Pointer),
			cmp.Compare(a.Kind, b.Kind),
			cmp.Compare(a.Value, b.Value),
		)
	})
}

// exampleOf renders a value for the report: scalars as JSON, objects and
// arrays compact, all cut to exampleMax.
func exampleOf(v any) string {
	if s, ok := v.(string); ok {
		return oneline.Clip(strconv.Quote(s), exampleMax)
	}
	return enumValue(v)
}

// quotes reports whether an outside-enum message ("got X, want one of ...")
// names v, rendered as contract renders values: strings quoted and cut at 64
// bytes, other scalars as JSON.
func quotes(msg string, v any) bool {
	rest, ok := strings.CutPrefix(msg, "got ")
	if !ok {
		return true // not the usual message: no way to tell, take the first
	}
	got, _, _ := strings.Cut(rest, ", want")
	var want string
	switch x := v.(type) {
	case string:
		if len(x) > 64 {
			want = strconv.Quote(x[:64]) + "..."
		} else {
			want = strconv.Quote(x)
		}
	default:
		want = enumValue(v)
	}
	return got == want
}

// valueFromMessage recovers the value of an outside-enum finding from its
// message ("got \"X\", want one of ...") when no recorded response holds it.
func valueFromMessage(msg string) string {
	rest, ok := strings.CutPrefix(msg, "got ")
	if !ok {
		return ""
	}
	val, _, _ := strings.Cut(rest, ", want")
	if s, err := strconv.Unquote(val); err == nil {
		return s
	}
	return val
}

// secretName reports whether a field's name says it holds a secret.
func secretName(name string) bool {
	n := strings.ToLower(name)
	if n == "key" {
		return true
	}
	for _, w := range []string{"secret", "password", "passwd", "token", "apikey", "api_key", "authorization", "credential", "private_key"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

func orNone(ct string) string {
	if ct == "" {
		return "no Content-Type"
	}
	return ct
}
