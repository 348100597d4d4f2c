package suite

import (
	"net/url"

	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

// redactor redacts the run's configured secrets.
func (r *runner) redactor() target.Redactor { return runRedactor(r.cfg) }

// runRedactor redacts the API key, the configured secrets and a password in
// the base URL.
func runRedactor(cfg Config) target.Redactor {
	c := cfg.Target.Client
	return target.NewRedactor(c.APIKey).With(append(append([]string(nil), c.Secrets...), urlSecrets(c.BaseURL)...)...)
}

// redactRun removes secrets from everything a report prints that did not
// come through the target client: a feature may spell a key out in a step
// ("with the API key ..."), and errors may quote it. Exchanges were
// redacted by the client already.
func redactRun(run *report.Run, red target.Redactor) {
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

// urlSecrets are the secrets a base URL carries: its password.
func urlSecrets(base string) []string {
	u, err := url.Parse(base)
	if err != nil || u.User == nil {
		return nil
	}
	if pw, ok := u.User.Password(); ok {
		return []string{pw}
	}
	return nil
}
