package suite

import (
	"fmt"
	"sync"

	"github.com/passfort-conformance/harness/internal/report"
)

// recorder collects the report record of every scenario as godog runs
// them, concurrently and in random order, and gives them back in file order.
type recorder struct {
	mu    sync.Mutex
	files []featureFile
	byKey map[string][]slot    // pickle key → its slots in file order
	ran   [][]*report.Scenario // [file][pickle], nil until it starts
}

type slot struct{ file, pickle int }

func newRecorder(files []featureFile) *recorder {
	r := &recorder{files: files, byKey: map[string][]slot{}, ran: make([][]*report.Scenario, len(files))}
	for fi, f := range files {
		r.ran[fi] = make([]*report.Scenario, len(f.Pickles))
		for pi, p := range f.Pickles {
			k := pickleKey(f.URI, p.Name, stepTexts(p))
			r.byKey[k] = append(r.byKey[k], slot{file: fi, pickle: pi})
		}
	}
	return r
}

func stepTexts(p pickle) []string {
	out := make([]string, len(p.Steps))
	for i, s := range p.Steps {
		out[i] = s.Text
	}
	return out
}

// start returns the record for a scenario godog is starting. Two pickles
// with the same file, name and steps (an outline with duplicate rows) take
// the slots in file order.
func (r *recorder) start(uri, name string, texts []string) *report.Scenario {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := pickleKey(uri, name, texts)
	for _, sl := range r.byKey[k] {
		if r.ran[sl.file][sl.pickle] != nil {
			continue
		}
		p := r.files[sl.file].Pickles[sl.pickle]
		sc := &report.Scenario{ID: fmt.Sprintf("%s:%d", uri, p.Line), Name: p.Name, Line: p.Line, Tags: p.Tags}
		for _, st := range p.Steps {
			sc.Steps = append(sc.Steps, report.Step{Keyword: st.Keyword, Text: st.Text, Line: st.Line, DocString: st.DocString})
		}
		r.ran[sl.file][sl.pickle] = sc
		return sc
	}
	// godog ran something our parse does not know: record it bare rather
	// than lose it.
	sc := &report.Scenario{ID: uri + ":" + name, Name: name}
	for _, t := range texts {
		sc.Steps = append(sc.Steps, report.Step{Text: t})
	}
	return sc
}

// features returns the scenarios that ran, grouped by feature in file order.
func (r *recorder) features() []report.Feature {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]report.Feature, 0, len(r.files))
	for fi, f := range r.files {
		feat := report.Feature{URI: f.URI, Name: f.Name, Description: f.Desc, Line: f.Line, Tags: f.Tags}
		for _, sc := range r.ran[fi] {
			if sc != nil {
				feat.Scenarios = append(feat.Scenarios, *sc)
			}
		}
		if len(feat.Scenarios) > 0 {
			out = append(out, feat)
		}
	}
	return out
}
