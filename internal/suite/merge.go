package suite

import (
	"cmp"
	"fmt"
	"maps"
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
	if err := checkShards(runs); err != nil {
		return nil, err
	}
	run, err := mergeRuns(runs, b.env.Validator.Hash())
	if err != nil {
		return nil, err
	}
	if cfg.Build != nil {
		// The merging job's own identity wins over the shards'.
		run.Build = copyBuild(cfg.Build)
	}
	fmt.Fprintf(cfg.Output, "passfort-conformance: merged %d runs (%s) against %s\n", len(runs), run.ID, run.Target)
	return finish(cfg, b, run)
}

func mergeRuns(runs []*report.Run, specHash string) (*report.Run, error) {
	first := runs[0]
	out := &report.Run{
		Suite: first.Suite, Started: first.Started, Finished: first.Finished, Target: first.Target,
		Seed: first.Seed, SpecHash: first.SpecHash, Guard: first.Guard, ModelOptions: first.ModelOptions,
		Build: copyBuild(first.Build),
	}
	if sel := first.Selection; sel != nil {
		out.Selection = &report.Selection{Tags: sel.Tags, Name: sel.Name}
	}
	ids := make([]string, 0, len(runs))
	byURI := map[string]*report.Feature{}
	var order []string
	seen := map[string]string{} // scenario id → run id
	// Shards run at the same time, each numbering its workers from 1: each
	// shard's workers follow the ones of the shards before it, so that the
	// report's timeline draws one lane per worker of the whole run.
	workerBase := 0
	for _, r := range runs {
		switch {
		case r.SpecHash != specHash:
			return nil, fmt.Errorf("merge: run %s was checked against spec %.12s, want %.12s (pass the same -spec as the shards)", r.ID, r.SpecHash, specHash)
		case r.Target != first.Target:
			return nil, fmt.Errorf("merge: run %s ran against %s, want %s like run %s", r.ID, r.Target, first.Target, first.ID)
		case !maps.Equal(r.ModelOptions, first.ModelOptions):
			return nil, fmt.Errorf("merge: run %s judged with model options %v, want %v like run %s (give every shard the same PASSFORT_MODEL_OPTIONS)", r.ID, r.ModelOptions, first.ModelOptions, first.ID)
		}
		ids = append(ids, r.ID)
		out.Requests = out.Requests.Add(r.Requests)
		if r.Started.Before(out.Started) {
			out.Started = r.Started
		}
		if r.Finished.After(out.Finished) {
			out.Finished = r.Finished
		}
		most := 0
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
				if sc.Worker > 0 {
					most = max(most, sc.Worker)
					sc.Worker += workerBase
				}
				mf.Scenarios = append(mf.Scenarios, sc)
			}
		}
		workerBase += most
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

// checkShards refuses runs that are not the shards of one whole run: when
// any run records a shard, every run must, with one split and one
// selection, and each shard 1..n must be there exactly once (decision D75,
// docs/decisions.md). Runs that record no shard (older run.json) are left
// to the per-scenario checks.
func checkShards(runs []*report.Run) error {
	var first *report.Run
	for _, r := range runs {
		if r.Selection != nil && r.Selection.Shard != "" {
			first = r
			break
		}
	}
	if first == nil {
		return nil
	}
	want, err := ParseShard(first.Selection.Shard)
	if err != nil {
		return fmt.Errorf("merge: run %s: %w", first.ID, err)
	}
	byIndex := map[int]string{}
	for _, r := range runs {
		if r.Selection == nil || r.Selection.Shard == "" {
			return fmt.Errorf("merge: run %s records no shard, want shards of one run like %s (shard %s)", r.ID, first.ID, first.Selection.Shard)
		}
		s, err := ParseShard(r.Selection.Shard)
		if err != nil {
			return fmt.Errorf("merge: run %s: %w", r.ID, err)
		}
		if s.Total != want.Total {
			return fmt.Errorf("merge: run %s is shard %s, want shards of %d like %s (shard %s)", r.ID, r.Selection.Shard, want.Total, first.ID, first.Selection.Shard)
		}
		if r.Selection.Tags != first.Selection.Tags || r.Selection.Name != first.Selection.Name {
			return fmt.Errorf("merge: run %s selected tags %q name %q, want tags %q name %q like %s", r.ID, r.Selection.Tags, r.Selection.Name, first.Selection.Tags, first.Selection.Name, first.ID)
		}
		if other, dup := byIndex[s.Index]; dup {
			return fmt.Errorf("merge: shard %s is in runs %s and %s, want each shard once", r.Selection.Shard, other, r.ID)
		}
		byIndex[s.Index] = r.ID
	}
	var missing []string
	for i := 1; i <= want.Total; i++ {
		if _, ok := byIndex[i]; !ok {
			missing = append(missing, fmt.Sprintf("%d/%d", i, want.Total))
		}
	}
	switch len(missing) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("merge: shard %s is missing, want all %d shards of the run", missing[0], want.Total)
	default:
		return fmt.Errorf("merge: shards %s are missing, want all %d shards of the run", strings.Join(missing, ", "), want.Total)
	}
}
