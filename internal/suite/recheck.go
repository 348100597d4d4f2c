package suite

import (
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

// scenarioLine reads the "name (line N)" a run records its scenarios under.
var scenarioLine = regexp.MustCompile(`^(.*) \(line (\d+)\)$`)

// Recheck runs every contract, lifecycle, consistency and drift check again on the
// exchanges a cassette recorded, offline: nothing is sent. Each recorded
// scenario becomes one scenario with fresh lifecycle and consistency checkers and one
// pseudo-step per exchange, in the order it was sent; a recorded transport
// error is an infrastructure finding again. The steps' own assertions
// ("Then the status is 200") are not re-run: they are not in a cassette.
// Findings of the classes an exchange's ExpectedHeader lists are expected,
// as they were in the recorded run.
// The run is then judged, summarised and written like Run's, with cfg's
// gates, spec, reports directory and output.
func Recheck(c *target.Cassette, cfg Config) (*Result, error) {
	if cfg.Output == nil {
		cfg.Output = os.Stdout
	}
	cfg.Shard = Shard{}
	if c == nil {
		return nil, fmt.Errorf("recheck: got no cassette")
	}
	b, err := prepare(cfg)
	if err != nil {
		return nil, err
	}
	env := b.env
	run := &report.Run{
		ID:       "recheck-" + c.Run,
		Suite:    "passfort-conformance",
		Started:  time.Now(),
		Target:   c.Target,
		Seed:     c.Seed,
		SpecHash: env.Validator.Hash(),
		Guard:    "offline re-check of a cassette: nothing sent",
		Build:    copyBuild(cfg.Build),
	}
	fmt.Fprintf(cfg.Output, "passfort-conformance: re-checking %d recorded exchanges of run %s against %s, spec %.12s\n", len(c.Exchanges), c.Run, c.Target, run.SpecHash)

	featIdx := map[string]int{}
	scIdx := map[string]int{} // feature + scenario → index in its feature
	for _, e := range c.Exchanges {
		fi, ok := featIdx[e.Feature]
		if !ok {
			fi = len(run.Features)
			featIdx[e.Feature] = fi
			run.Features = append(run.Features, report.Feature{URI: e.Feature, Name: e.Feature})
		}
		f := &run.Features[fi]
		key := e.Feature + "\x00" + e.Scenario
		si, ok := scIdx[key]
		if !ok {
			si = len(f.Scenarios)
			scIdx[key] = si
			name, line := e.Scenario, e.Line
			if m := scenarioLine.FindStringSubmatch(e.Scenario); m != nil {
				name = m[1]
				line, _ = strconv.Atoi(m[2])
			}
			f.Scenarios = append(f.Scenarios, report.Scenario{
				ID: fmt.Sprintf("%s:%d", e.Feature, line), Name: name, Line: line, Attempts: 1, Started: e.Started,
			})
		}
		sc := &f.Scenarios[si]
		sc.Steps = append(sc.Steps, recheckStep(e))
	}
	for fi := range run.Features {
		for si := range run.Features[fi].Scenarios {
			sc := &run.Features[fi].Scenarios[si]
			checker := env.Model.NewChecker()
			consist := env.Consistency.NewChecker()
			sc.Status = report.Passed
			for ti := range sc.Steps {
				st := &sc.Steps[ti]
				ex := &st.Exchanges[0]
				var fs []finding.Finding
				op := ex.Method + " " + ex.Path
				if o, ok := env.Validator.Operation(ex.Method, ex.Path); ok {
					op = o.String()
				}
				expected := strings.Split(ex.RequestHeader.Get(ExpectedHeader), ",")
				ex.RequestHeader.Del(ExpectedHeader)
				if ex.Err != "" {
					fs = append(fs, finding.Finding{Class: finding.Infrastructure, Kind: recordedKind(ex.Err), Operation: op, Status: ex.Status, Message: ex.Err})
				} else {
					fs = append(fs, env.Validator.CheckResponse(ex)...)
					fs = append(fs, checker.Observe(ex, op)...)
					fs = append(fs, consist.Observe(ex, op)...)
				}
				for i := range fs {
					fs[i].Expected = slices.Contains(expected, string(fs[i].Class))
				}
				st.Findings = fs
				st.Status = report.Passed
				for _, f := range fs {
					if f.Fails() {
						st.Status = report.Failed
						st.Error = strings.TrimSpace(st.Error + "\n" + f.String())
					}
				}
				sc.Duration += ex.Duration
				if st.Status == report.Failed && sc.Status != report.Failed {
					sc.Status, sc.Error = report.Failed, oneline.First(st.Error)
				}
			}
		}
	}
	run.Finished = time.Now()
	return finish(cfg, b, run)
}

func recheckStep(e target.CassetteEntry) report.Step {
	text := fmt.Sprintf("%s %s -> %d", e.Method, e.Path, e.Status)
	if e.Err != "" {
		text = fmt.Sprintf("%s %s -> %s", e.Method, e.Path, e.Err)
	}
	return report.Step{Keyword: "Exchange ", Text: text, Line: e.Line, Duration: e.Duration, Exchanges: []exchange.Exchange{e.Exchange}}
}

// recordedKind reads the infrastructure kind a recorded error starts with
// ("timeout: ..."); anything else was a failure to reach the target.
func recordedKind(err string) string {
	kind, _, _ := strings.Cut(err, ":")
	switch kind {
	case finding.Timeout, finding.Refused, finding.RetriesExhausted, finding.TruncatedBody, finding.ResponseTooLarge, finding.ServerError, finding.Guarded:
		return kind
	}
	return finding.Refused
}
