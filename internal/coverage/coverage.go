// Package coverage measures what of the contract and the lifecycle model a
// run exercised (reports/coverage.json), from the run's exchanges alone, and
// holds the coverage gate.
package coverage

import (
	"encoding/json"
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/passfort-conformance/harness/internal/atomicfile"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/report"
)

// FileName is the coverage file every reports directory holds.
const FileName = "coverage.json"

// File is reports/coverage.json: what of the contract and the
// lifecycle model the run exercised. It is computed from the run's
// exchanges alone, so a merged or re-checked run has the same coverage as
// the run it stands for.
type File struct {
	// Operations is operations × documented status codes observed.
	Operations Operations `json:"operations"`
	// Lifecycle is statuses, flags and transitions of the lifecycle model.
	Lifecycle lifecycle.CoverageReport `json:"lifecycle"`
	// Enums is the values of every enum the responses carry.
	Enums Enums `json:"enums"`
	// Fields is the documented response fields seen, within the
	// operation × status pairs the run received.
	Fields Fields `json:"fields"`
}

// Operations counts the documented operation × status pairs.
type Operations struct {
	Documented int     `json:"documented"`
	Observed   int     `json:"observed"`
	Percent    float64 `json:"percent"`
	// Items lists every documented pair, observed or not, by operation.
	Items []OpStatus `json:"items"`
	// Undocumented lists pairs the run received that the spec does not document.
	Undocumented []OpStatus `json:"undocumented,omitempty"`
	// ByOperation is one entry per operation of the contract, in the
	// order of Items: whether the run observed it with a documented 2xx
	// and with a documented 4xx.
	ByOperation []OperationClasses `json:"by_operation"`
	// Both2xx4xx counts the operations of ByOperation observed with a
	// documented 2xx and a documented 4xx.
	Both2xx4xx int `json:"both_2xx_4xx"`
}

// OperationClasses is what a run saw of one operation by class of status:
// the documented 2xx and 4xx statuses, and whether any of each was
// observed. An operation that documents no 4xx has Documented4xx empty
// and Observed4xx false.
type OperationClasses struct {
	Operation     string `json:"operation"`
	Documented2xx []int  `json:"documented_2xx"`
	Documented4xx []int  `json:"documented_4xx"`
	Observed2xx   bool   `json:"observed_documented_2xx"`
	Observed4xx   bool   `json:"observed_documented_4xx"`
}

// OpStatus is one operation with one HTTP status and how often the run got it.
type OpStatus struct {
	Operation string `json:"operation"`
	Status    int    `json:"status"`
	Count     int    `json:"count"`
}

// Enums counts the documented enum values seen.
type Enums struct {
	Documented int     `json:"documented"`
	Observed   int     `json:"observed"`
	Percent    float64 `json:"percent"`
	// Items is one per enum, by name.
	Items []EnumItem `json:"items"`
}

// EnumItem is one enum: its documented values with how often each was seen,
// and the values seen that it does not list.
type EnumItem struct {
	Name         string       `json:"name"`
	Values       []ValueCount `json:"values"`
	Undocumented []ValueCount `json:"undocumented,omitempty"`
	// Extensible is true when the contract marks the enum vendor-extensible
	// (x-extensible-enum): its undocumented values are drift, not breaks
	// (decision D54, docs/decisions.md).
	Extensible bool `json:"extensible,omitempty"`
}

// ValueCount is one value and how often it was seen.
type ValueCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Fields counts the documented response fields seen.
type Fields struct {
	Documented int     `json:"documented"`
	Observed   int     `json:"observed"`
	Percent    float64 `json:"percent"`
	// Never lists the documented fields never seen, as
	// "operation status pointer", sorted.
	Never []string `json:"never,omitempty"`
}

func percent(observed, total int) float64 {
	if total == 0 {
		return 100
	}
	return math.Round(1000*float64(observed)/float64(total)) / 10
}

// Measure walks every exchange of the run once. Each scenario's
// exchanges go through a fresh lifecycle checker, in order, as they did
// during the run.
func Measure(run *report.Run, v *contract.Validator, model *lifecycle.Model) *File {
	type key struct {
		op     string
		status int
	}
	pairs := map[key]int{}
	observedFields := map[key]map[string]bool{}
	enumSeen := map[string]map[string]int{} // enum name → value → count
	enumCache := map[key][]contract.EnumField{}
	var lcov []lifecycle.Coverage
	for _, f := range run.Features {
		for _, sc := range f.Scenarios {
			checker := model.NewChecker()
			seen := false
			for _, st := range sc.Steps {
				for i := range st.Exchanges {
					ex := &st.Exchanges[i]
					if ex.Err != "" || ex.Status == 0 {
						continue
					}
					seen = true
					opName := ex.Method + " " + ex.Path
					o, documented := v.Operation(ex.Method, ex.Path)
					if documented {
						opName = o.String()
					}
					checker.Observe(ex, opName)
					k := key{opName, ex.Status}
					pairs[k]++
					if !documented {
						continue
					}
					fs := observedFields[k]
					if fs == nil {
						fs = map[string]bool{}
						observedFields[k] = fs
					}
					for _, p := range contract.ObservedFields(ex.ResponseBody) {
						fs[p] = true
					}
					enums, ok := enumCache[k]
					if !ok {
						enums = v.DocumentedEnums(o, ex.Status)
						enumCache[k] = enums
					}
					if len(enums) == 0 {
						continue
					}
					var body any
					if json.Unmarshal(ex.ResponseBody, &body) != nil {
						continue
					}
					for _, ef := range enums {
						for _, val := range valuesAt(body, ef.Pointer) {
							if val == nil {
								continue
							}
							m := enumSeen[ef.Name]
							if m == nil {
								m = map[string]int{}
								enumSeen[ef.Name] = m
							}
							m[contract.EnumValue(val)]++
						}
					}
				}
			}
			if seen {
				lcov = append(lcov, checker.Coverage())
			}
		}
	}

	cf := &File{Lifecycle: model.Coverage(lcov...)}
	documented := map[key]bool{}
	enumDocs := map[string][]string{} // enum name → documented values, union
	extensible := map[string]bool{}   // enum name → marked extensible
	for _, o := range v.Operations() {
		classes := OperationClasses{Operation: o.String(), Documented2xx: []int{}, Documented4xx: []int{}}
		for _, status := range v.DocumentedStatuses(o) {
			k := key{o.String(), status}
			documented[k] = true
			cf.Operations.Items = append(cf.Operations.Items, OpStatus{Operation: k.op, Status: status, Count: pairs[k]})
			if pairs[k] > 0 {
				cf.Operations.Observed++
			}
			switch status / 100 {
			case 2:
				classes.Documented2xx = append(classes.Documented2xx, status)
				classes.Observed2xx = classes.Observed2xx || pairs[k] > 0
			case 4:
				classes.Documented4xx = append(classes.Documented4xx, status)
				classes.Observed4xx = classes.Observed4xx || pairs[k] > 0
			}
			for _, ef := range v.DocumentedEnums(o, status) {
				extensible[ef.Name] = extensible[ef.Name] || ef.Extensible
				for _, val := range ef.Values {
					if !slices.Contains(enumDocs[ef.Name], val) {
						enumDocs[ef.Name] = append(enumDocs[ef.Name], val)
					}
				}
			}
			if pairs[k] == 0 {
				continue
			}
			seen := observedFields[k]
			for _, d := range v.DocumentedFields(o, status) {
				cf.Fields.Documented++
				if fieldSeen(d, seen) {
					cf.Fields.Observed++
				} else {
					cf.Fields.Never = append(cf.Fields.Never, fmt.Sprintf("%s %d %s", k.op, status, d))
				}
			}
		}
		cf.Operations.ByOperation = append(cf.Operations.ByOperation, classes)
		if classes.Observed2xx && classes.Observed4xx {
			cf.Operations.Both2xx4xx++
		}
	}
	cf.Operations.Documented = len(cf.Operations.Items)
	cf.Operations.Percent = percent(cf.Operations.Observed, cf.Operations.Documented)
	for k, n := range pairs {
		if !documented[k] {
			cf.Operations.Undocumented = append(cf.Operations.Undocumented, OpStatus{Operation: k.op, Status: k.status, Count: n})
		}
	}
	sort.Slice(cf.Operations.Undocumented, func(i, j int) bool {
		a, b := cf.Operations.Undocumented[i], cf.Operations.Undocumented[j]
		return a.Operation < b.Operation || a.Operation == b.Operation && a.Status < b.Status
	})
	sort.Strings(cf.Fields.Never)
	cf.Fields.Percent = percent(cf.Fields.Observed, cf.Fields.Documented)

	names := make([]string, 0, len(enumDocs))
	for n := range enumDocs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		it := EnumItem{Name: n, Extensible: extensible[n]}
		for _, val := range enumDocs[n] {
			c := enumSeen[n][val]
			it.Values = append(it.Values, ValueCount{Value: val, Count: c})
			cf.Enums.Documented++
			if c > 0 {
				cf.Enums.Observed++
			}
		}
		for val, c := range enumSeen[n] {
			if !slices.Contains(enumDocs[n], val) {
				it.Undocumented = append(it.Undocumented, ValueCount{Value: val, Count: c})
			}
		}
		sort.Slice(it.Undocumented, func(i, j int) bool { return it.Undocumented[i].Value < it.Undocumented[j].Value })
		cf.Enums.Items = append(cf.Enums.Items, it)
	}
	cf.Enums.Percent = percent(cf.Enums.Observed, cf.Enums.Documented)
	return cf
}

// fieldSeen reports whether a documented templated pointer was seen: a "*"
// in the documented pointer matches any one segment (an array item or a
// map key).
func fieldSeen(documented string, seen map[string]bool) bool {
	if seen[documented] {
		return true
	}
	if !strings.Contains(documented, "*") {
		return false
	}
	want := strings.Split(documented, "/")
	for p := range seen {
		got := strings.Split(p, "/")
		if len(got) != len(want) {
			continue
		}
		match := true
		for i := range want {
			if want[i] != "*" && want[i] != got[i] {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// valuesAt returns the values at a templated pointer of a decoded JSON
// body: "*" walks every array item and every object value.
func valuesAt(v any, pointer string) []any {
	cur := []any{v}
	for _, tok := range strings.Split(strings.TrimPrefix(pointer, "/"), "/") {
		var next []any
		for _, c := range cur {
			switch x := c.(type) {
			case map[string]any:
				if tok == "*" {
					for _, e := range x {
						next = append(next, e)
					}
				} else if e, ok := x[jsonpointer.Unescape(tok)]; ok {
					next = append(next, e)
				}
			case []any:
				if tok == "*" {
					next = append(next, x...)
				}
			}
		}
		cur = next
	}
	return cur
}

// Write writes cf as dir/coverage.json.
func Write(dir string, cf *File) error {
	data, err := json.MarshalIndent(cf, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(filepath.Join(dir, FileName), append(data, '\n'))
}

// Summary is the run summary's coverage lines, and the modelled
// flags and transitions the run never saw.
func Summary(cf *File) string {
	cov := cf.Lifecycle
	s := fmt.Sprintf("coverage: operations × statuses %d/%d (%.1f%%), response fields %d/%d (%.1f%%), enum values %d/%d (%.1f%%)\n",
		cf.Operations.Observed, cf.Operations.Documented, cf.Operations.Percent,
		cf.Fields.Observed, cf.Fields.Documented, cf.Fields.Percent,
		cf.Enums.Observed, cf.Enums.Documented, cf.Enums.Percent)
	s += cov.String()
	for _, set := range []struct {
		name string
		set  lifecycle.CoverageSet
	}{{"flags", cov.Flags}, {"transitions", cov.Transitions}} {
		var missing []string
		for _, it := range set.set.Items {
			if it.Count == 0 {
				missing = append(missing, it.Name)
			}
		}
		if len(missing) > 0 {
			s += fmt.Sprintf("\n  modelled %s never observed: %s", set.name, strings.Join(missing, ", "))
		}
	}
	return s
}

// HTMLExtras gives the HTML report its lifecycle diagram and coverage tables.
func HTMLExtras(cf *File, model *lifecycle.Model) report.HTMLExtras {
	cov := cf.Lifecycle
	diagram := &report.LifecycleDiagram{Title: "Product application lifecycle"}
	for _, it := range cov.Statuses.Items {
		diagram.Statuses = append(diagram.Statuses, report.LifecycleStatus{Name: it.Name, Modelled: true, Observed: it.Count > 0})
	}
	counts := map[string]int{}
	for _, it := range cov.Transitions.Items {
		counts[it.Name] = it.Count
	}
	for _, t := range model.Transitions() {
		diagram.Transitions = append(diagram.Transitions, report.LifecycleTransition{
			Name: t.Name, From: t.From, To: t.To, Modelled: true, Observed: counts[t.Name] > 0, Count: counts[t.Name],
		})
	}

	ops := report.CoverageTable{
		Title:   fmt.Sprintf("Operations × documented status codes: %d of %d observed", cf.Operations.Observed, cf.Operations.Documented),
		Columns: []string{"operation", "status", "observed"}, Percent: cf.Operations.Percent,
	}
	for _, it := range cf.Operations.Items {
		ops.Rows = append(ops.Rows, []string{it.Operation, strconv.Itoa(it.Status), strconv.Itoa(it.Count)})
	}
	for _, it := range cf.Operations.Undocumented {
		ops.Rows = append(ops.Rows, []string{it.Operation, strconv.Itoa(it.Status) + " (not documented)", strconv.Itoa(it.Count)})
	}
	enums := report.CoverageTable{
		Title:   fmt.Sprintf("Enum values: %d of %d observed", cf.Enums.Observed, cf.Enums.Documented),
		Columns: []string{"enum", "value", "observed"}, Percent: cf.Enums.Percent,
	}
	for _, it := range cf.Enums.Items {
		for _, vc := range it.Values {
			enums.Rows = append(enums.Rows, []string{it.Name, vc.Value, strconv.Itoa(vc.Count)})
		}
		for _, vc := range it.Undocumented {
			enums.Rows = append(enums.Rows, []string{it.Name, vc.Value + " (not documented)", strconv.Itoa(vc.Count)})
		}
	}
	fields := report.CoverageTable{
		Title:   fmt.Sprintf("Response fields of the responses received: %d of %d observed; never returned:", cf.Fields.Observed, cf.Fields.Documented),
		Columns: []string{"operation, status and field never returned"}, Percent: cf.Fields.Percent,
	}
	for _, n := range cf.Fields.Never {
		fields.Rows = append(fields.Rows, []string{n})
	}
	return report.HTMLExtras{
		Lifecycle: diagram,
		Rollup:    rollup(cf.Operations),
		Coverage: []report.CoverageTable{
			ops,
			coverageTable("Lifecycle transitions", cov.Transitions, true),
			coverageTable("Application statuses", cov.Statuses, false),
			coverageTable("Application flags", cov.Flags, false),
			enums,
			fields,
		},
	}
}

// rollup is the operation × documented status matrix of the HTML report,
// one row per operation in the order of ops.Items.
func rollup(ops Operations) *report.CoverageRollup {
	r := &report.CoverageRollup{}
	index := map[string]int{}
	row := func(op string) *report.OperationStatuses {
		i, ok := index[op]
		if !ok {
			i = len(r.Operations)
			index[op] = i
			r.Operations = append(r.Operations, report.OperationStatuses{Operation: op, Documented: map[int]int{}, Undocumented: map[int]int{}})
		}
		return &r.Operations[i]
	}
	for _, it := range ops.Items {
		row(it.Operation).Documented[it.Status] += it.Count
	}
	for _, it := range ops.Undocumented {
		row(it.Operation).Undocumented[it.Status] += it.Count
	}
	return r
}

func coverageTable(title string, set lifecycle.CoverageSet, detail bool) report.CoverageTable {
	t := report.CoverageTable{Title: fmt.Sprintf("%s: %d of %d observed", title, set.Observed, set.Modelled), Columns: []string{"name", "observed"}, Percent: set.Percent}
	if detail {
		t.Columns = []string{"name", "transition", "source", "observed"}
	}
	for _, it := range set.Items {
		row := []string{it.Name, strconv.Itoa(it.Count)}
		if detail {
			row = []string{it.Name, it.Detail, it.Source, strconv.Itoa(it.Count)}
		}
		t.Rows = append(t.Rows, row)
	}
	for _, it := range set.Unmodelled {
		row := []string{it.Name + " (not in the model)", strconv.Itoa(it.Count)}
		if detail {
			row = []string{it.Name + " (not in the model)", "", "", strconv.Itoa(it.Count)}
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
