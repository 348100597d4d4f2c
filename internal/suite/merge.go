package suite

import (
	"cmp"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/passfort-conformance/harness/internal/report"
)

// Merge merges the runs of the shards of one suite run (each shard's
// run.json) into one run, then judges it and writes every report from it as
// Run does, with cfg's gates, ReportsDir, spec and output: the coverage and
// drift gates a shard leaves alone apply here. The runs must have been
// checked against the spec cfg names, against one target; a scenario may
// be in one shard only.
func Merge(cfg Config, runs ...*report.Run) (*Result, error) {
	if cfg.Output == nil {
		cfg.Output = os.Stdout
	}
	cfg.Shard = Shard{}
	if len(runs) == 0 {
		return nil, fmt.Errorf("merge: got no run, want the run.json of every shard")
	}
	b, err := prepare(cfg)
	if err != nil {
		return nil, err
	}
	run, err := mergeRuns(runs, b.env.Validator.Hash())
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(cfg.Output, "passfort-conformance: merged %d runs (%s) against %s\n", len(runs), run.ID, run.Target)
	return finish(cfg, b, run)
}

func mergeRuns(runs []*report.Run, specHash string) (*report.Run, error) {
	first := runs[0]
	out := &report.Run{
		Suite: first.Suite, Started: first.Started, Finished: first.Finished, Target: first.Target,
		Seed: first.Seed, SpecHash: first.SpecHash, Guard: first.Guard,
	}
	ids := make([]string, 0, len(runs))
	byURI := map[string]*report.Feature{}
	var order []string
	seen := map[string]string{} // scenario id → run id
	for _, r := range runs {
		switch {
		case r.SpecHash != specHash:
			return nil, fmt.Errorf("merge: run %s was checked against spec %.12s, want %.12s (pass the same -spec as the shards)", r.ID, r.SpecHash, specHash)
		case r.Target != first.Target:
			return nil, fmt.Errorf("merge: run %s ran against %s, want %s like run %s", r.ID, r.Target, first.Target, first.ID)
		}
		ids = append(ids, r.ID)
		out.Requests = out.Requests.Add(r.Requests)
		if r.Started.Before(out.Started) {
			out.Started = r.Started
		}
		if r.Finished.After(out.Finished) {
			out.Finished = r.Finished
		}
		for _, f := range r.Features {
			mf := byURI[f.URI]
			if mf == nil {
				cp := f
				cp.Scenarios = nil
				mf = &cp
				byURI[f.URI] = mf
				order = append(order, f.URI)
			}
			for _, sc := range f.Scenarios {
				if other, dup := seen[sc.ID]; dup {
					return nil, fmt.Errorf("merge: scenario %s is in runs %s and %s, want it in one shard", sc.ID, other, r.ID)
				}
				seen[sc.ID] = r.ID
				mf.Scenarios = append(mf.Scenarios, sc)
			}
		}
	}
	out.ID = strings.Join(ids, "+")
	slices.Sort(order) // the suite runs feature files in name order
	for _, uri := range order {
		f := byURI[uri]
		slices.SortStableFunc(f.Scenarios, func(a, b report.Scenario) int { return cmp.Compare(a.Line, b.Line) })
		out.Features = append(out.Features, *f)
	}
	return out, nil
}
