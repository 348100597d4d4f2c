package suite

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/report"
)

// CoverageFile is reports/coverage.json.
type CoverageFile struct {
	Lifecycle lifecycle.CoverageReport `json:"lifecycle"`
}

// lifecycleCoverage merges what every scenario's checker observed.
func (r *runner) lifecycleCoverage() lifecycle.CoverageReport {
	r.covMu.Lock()
	defer r.covMu.Unlock()
	return r.env.Model.Coverage(r.coverage...)
}

func (r *runner) writeCoverage(dir string) error {
	data, err := json.MarshalIndent(CoverageFile{Lifecycle: r.lifecycleCoverage()}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "coverage.json"), append(data, '\n'), 0o644)
}

// coverageSummary is the run summary's lifecycle lines: coverage, and the
// modelled flags and transitions the run never saw.
func (r *runner) coverageSummary() string {
	cov := r.lifecycleCoverage()
	s := cov.String()
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

// htmlExtras gives the HTML report its lifecycle diagram and coverage tables.
func (r *runner) htmlExtras() report.HTMLExtras {
	cov := r.lifecycleCoverage()
	diagram := &report.LifecycleDiagram{Title: "Product application lifecycle"}
	for _, it := range cov.Statuses.Items {
		diagram.Statuses = append(diagram.Statuses, report.LifecycleStatus{Name: it.Name, Modelled: true, Observed: it.Count > 0})
	}
	counts := map[string]int{}
	for _, it := range cov.Transitions.Items {
		counts[it.Name] = it.Count
	}
	for _, t := range r.env.Model.Transitions() {
		diagram.Transitions = append(diagram.Transitions, report.LifecycleTransition{
			Name: t.Name, From: t.From, To: t.To, Modelled: true, Observed: counts[t.Name] > 0, Count: counts[t.Name],
		})
	}
	return report.HTMLExtras{
		Lifecycle: diagram,
		Coverage: []report.CoverageTable{
			coverageTable("Lifecycle transitions", cov.Transitions, true),
			coverageTable("Application statuses", cov.Statuses, false),
			coverageTable("Application flags", cov.Flags, false),
		},
	}
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
