package suite

import (
	"os"
	"regexp"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

// runRedactor redacts the API key, the configured secrets, a password in
// the base URL and keys, the other keys the features send ("with the API
// key ...", which the vocabulary says is redacted like the real one:
// featureKeys).
func runRedactor(cfg Config, keys []string) target.Redactor {
	c := cfg.Target.Client
	secrets := append(append([]string(nil), c.Secrets...), urlSecrets(c.BaseURL)...)
	secrets = append(secrets, keys...)
	return target.NewRedactor(c.APIKey).With(secrets...)
}

// otherKeyStep matches the step that sends another key, whose value is the
// last quoted argument.
var otherKeyStep = regexp.MustCompile(`with the API key "([^"]*)"$`)

// minKeyLen is the shortest other key redacted: the client's rule for
// secrets (a shorter value would garble every text it occurs in).
const minKeyLen = 4

// configFeatureKeys returns the other keys cfg's features send, for a merge
// or a re-check, which read no feature otherwise. A feature that does not
// load yields none.
func configFeatureKeys(cfg Config) []string {
	fsys, paths := cfg.Features, cfg.Paths
	if fsys == nil {
		fsys = os.DirFS(".")
	}
	if len(paths) == 0 {
		paths = []string{"features"}
	}
	files, err := loadFeatures(fsys, paths, cfg.FeatureBase)
	if err != nil {
		return nil
	}
	return featureKeys(files)
}

// featureKeys returns the other keys the steps of files send.
func featureKeys(files []featureFile) []string {
	var keys []string
	for _, f := range files {
		for _, p := range f.Pickles {
			for _, st := range p.Steps {
				if m := otherKeyStep.FindStringSubmatch(st.Text); m != nil && len(m[1]) >= minKeyLen {
					keys = append(keys, m[1])
				}
			}
		}
	}
	return keys
}

// redactOutput redacts what a run writes out that its checks read as the
// target sent it: the exchanges and the drift report. It runs after every
// check and analysis, before anything is printed or written (decision D70,
// docs/decisions.md).
func redactOutput(run *report.Run, d *drift.Report, red target.Redactor) {
	for fi := range run.Features {
		for si := range run.Features[fi].Scenarios {
			sc := &run.Features[fi].Scenarios[si]
			for ti := range sc.Steps {
				exs := sc.Steps[ti].Exchanges
				for i := range exs {
					exs[i] = *red.Exchange(&exs[i])
				}
			}
		}
	}
	rewriteDrift(d, red)
}

// textRewriter rewrites a text for writing out: a target.Redactor, a
// mask.Masker.
type textRewriter interface{ String(string) string }

// rewriteDrift rewrites the texts of a drift report's entries.
func rewriteDrift(d *drift.Report, red textRewriter) {
	if d == nil {
		return
	}
	for i := range d.Entries {
		e := &d.Entries[i]
		e.Operation, e.Pointer, e.Value = red.String(e.Operation), red.String(e.Pointer), red.String(e.Value)
		e.Message, e.Example, e.FirstScenario, e.Key = red.String(e.Message), red.String(e.Example), red.String(e.FirstScenario), red.String(e.Key)
	}
}

// redactBuild redacts what the pipeline said about the run (a label may
// quote anything); Run, Merge and Recheck write it out alike.
func redactBuild(b *report.Build, red textRewriter) {
	if b == nil {
		return
	}
	b.Label, b.SDK, b.SDKVersion = red.String(b.Label), red.String(b.SDK), red.String(b.SDKVersion)
	b.Commit, b.Branch, b.URL = red.String(b.Commit), red.String(b.Branch), red.String(b.URL)
}

// redactRun removes secrets from everything a report prints that did not
// come through the target client: a feature may spell a key out in a step
// ("with the API key ..."), and errors may quote it. Exchanges were
// redacted by the client already.
func redactRun(run *report.Run, red textRewriter) {
	run.Target = red.String(run.Target)
	for fi := range run.Features {
		f := &run.Features[fi]
		f.Name, f.Description = red.String(f.Name), red.String(f.Description)
		for i := range f.Tags {
			f.Tags[i] = red.String(f.Tags[i])
		}
		for si := range f.Scenarios {
			sc := &f.Scenarios[si]
			sc.Name, sc.Error = red.String(sc.Name), red.String(sc.Error)
			for i := range sc.Tags {
				sc.Tags[i] = red.String(sc.Tags[i])
			}
			for ti := range sc.Steps {
				st := &sc.Steps[ti]
				st.Text, st.DocString, st.Error = red.String(st.Text), red.String(st.DocString), red.String(st.Error)
				for k := range st.Findings {
					st.Findings[k].Message = red.String(st.Findings[k].Message)
					st.Findings[k].Example = red.String(st.Findings[k].Example)
					st.Findings[k].Step = red.String(st.Findings[k].Step)
				}
			}
		}
	}
}

// urlSecrets are the secrets a base URL carries: its password, decoded and
// as written.
func urlSecrets(base string) []string { return target.URLSecrets(base) }
