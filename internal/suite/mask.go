package suite

import (
	"fmt"
	"strings"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/mask"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

// The values of Target.MaskPII (PASSFORT_MASK_PII).
const (
	// MaskDefault masks personal data on every target but a local one.
	MaskDefault = ""
	// MaskOn masks personal data on every target.
	MaskOn = "on"
	// MaskOff keeps personal data in the reports and the cassette, for a
	// private run.
	MaskOff = "off"
)

// parseMaskPII reads PASSFORT_MASK_PII.
func parseMaskPII(v string) (string, error) {
	switch strings.ToLower(v) {
	case "":
		return MaskDefault, nil
	case "1", "yes", "true", "on":
		return MaskOn, nil
	case "0", "no", "false", "off":
		return MaskOff, nil
	}
	return "", fmt.Errorf("PASSFORT_MASK_PII: got %q, want 1 (mask) or 0 (keep personal data)", v)
}

// newMasker returns the run's personal-data mask, nil when the run keeps
// personal data: by default every target but a local one is masked
// (decision D86, docs/decisions.md).
func newMasker(setting string, local bool) *mask.Masker {
	if setting == MaskOff || (setting == MaskDefault && local) {
		return nil
	}
	return mask.New()
}

// learnRun teaches m the personal data of every exchange of run.
func learnRun(m *mask.Masker, run *report.Run) {
	for _, f := range run.Features {
		for _, sc := range f.Scenarios {
			for _, st := range sc.Steps {
				for i := range st.Exchanges {
					m.LearnJSON(st.Exchanges[i].RequestBody)
					m.LearnJSON(st.Exchanges[i].ResponseBody)
				}
			}
		}
	}
}

// maskExchange masks what an exchange carries of personal data: its
// bodies, and its path and URL (a query may search by name).
func maskExchange(m *mask.Masker, ex *exchange.Exchange) {
	ex.Path, ex.URL, ex.Err = m.String(ex.Path), m.String(ex.URL), m.String(ex.Err)
	ex.RequestBody, ex.ResponseBody = m.Bytes(ex.RequestBody), m.Bytes(ex.ResponseBody)
}

// maskRun masks personal data in everything the reports print: like the
// redaction, after every check and analysis (decision D70), so masking
// never changes a verdict.
func maskRun(run *report.Run, d *drift.Report, m *mask.Masker) {
	redactRun(run, m)
	for fi := range run.Features {
		for si := range run.Features[fi].Scenarios {
			sc := &run.Features[fi].Scenarios[si]
			for ti := range sc.Steps {
				for i := range sc.Steps[ti].Exchanges {
					maskExchange(m, &sc.Steps[ti].Exchanges[i])
				}
			}
		}
	}
	rewriteDrift(d, m)
}

// maskCassette masks personal data in a cassette about to be written,
// learning what its exchanges carry first.
func maskCassette(c *target.Cassette, m *mask.Masker) {
	for i := range c.Exchanges {
		m.LearnJSON(c.Exchanges[i].RequestBody)
		m.LearnJSON(c.Exchanges[i].ResponseBody)
	}
	for i := range c.Exchanges {
		e := &c.Exchanges[i]
		maskExchange(m, &e.Exchange)
		e.Scenario, e.Feature = m.String(e.Scenario), m.String(e.Feature)
	}
}
