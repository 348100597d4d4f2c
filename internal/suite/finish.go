package suite

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/passfort-conformance/harness/internal/atomicfile"
	"github.com/passfort-conformance/harness/internal/boundedfile"
	"github.com/passfort-conformance/harness/internal/coverage"
	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/report"
)

// Verdict is a finished run's verdict by cause. When several causes apply
// the first in this order wins: undefined, usage, contract, assertion,
// lifecycle, infrastructure, drift, coverage, flaky.
type Verdict string

// The verdicts, in order of precedence after VerdictPass.
const (
	// VerdictPass: every scenario passed (or was flaky without FailOnFlaky)
	// and every gate held.
	VerdictPass Verdict = "pass"
	// VerdictUndefined: a step no definition matches (or pending,
	// ambiguous): the features are not runnable by this suite.
	VerdictUndefined Verdict = "undefined"
	// VerdictUsage: a scenario failed on its own mistake, such as a write
	// from a scenario not tagged @mutating (decision D76, docs/decisions.md).
	VerdictUsage Verdict = "usage"
	// VerdictContract: a scenario failed on a contract finding.
	VerdictContract Verdict = "contract"
	// VerdictAssertion: a scenario failed on an assertion of its steps, no
	// finding explaining it (the target did not do what the feature says).
	VerdictAssertion Verdict = "assertion"
	// VerdictLifecycle: a scenario failed on a lifecycle finding.
	VerdictLifecycle Verdict = "lifecycle"
	// VerdictInfrastructure: a scenario failed only on infrastructure
	// findings (timeout, refused, retries exhausted), retries included.
	VerdictInfrastructure Verdict = "infrastructure"
	// VerdictDrift: the drift gate failed (StrictDrift or DriftBaseline).
	VerdictDrift Verdict = "drift"
	// VerdictCoverage: a coverage threshold was not reached.
	VerdictCoverage Verdict = "coverage"
	// VerdictFlaky: a scenario passed only on a retry, and FailOnFlaky.
	VerdictFlaky Verdict = "flaky"
)

// RunFile is the machine-readable run every reports directory holds: the
// report.Run as JSON. Merge and re-writing reports read it.
const RunFile = "run.json"

// finish judges a finished run, prints its summary and writes its reports:
// the last part of Run, Merge and Recheck alike. Gates (coverage and drift)
// are left to the merge when the run is one shard.
func finish(cfg Config, b *basis, run *report.Run) (*Result, error) {
	env := b.env
	c := run.Count()
	res := &Result{Run: run, Failed: c.Failed > 0 || c.Undefined > 0}
	res.Coverage = coverage.Measure(run, env.Validator, env.Model)
	res.Drift = drift.Analyze(run, env.Validator, b.driftOpts...)
	// Checked and analysed as the target sent it; written out redacted.
	redactOutput(run, res.Drift, b.red)
	redactBuild(run.Build, b.red)
	if b.mask != nil {
		maskRun(run, res.Drift, b.mask)
	}

	sharded := cfg.Shard.Total > 1
	var unmet, gateLines []string
	gateFailed := false
	if !sharded {
		unmet = cfg.CoverageMin.Unmet(res.Coverage)
		if cfg.StrictDrift || b.baseline != nil {
			v := drift.Gate(res.Drift, b.baseline, drift.GateOptions{Strict: cfg.StrictDrift}, time.Now())
			res.Drift.Verdict = &v
			gateFailed = !v.Pass
			if gateFailed {
				gateLines = v.Lines
			}
		}
	}
	res.Verdict, res.Reasons = judge(run, c.Flaky, unmet, gateFailed, gateLines, cfg.FailOnFlaky)
	run.Verdict, run.Reasons = string(res.Verdict), res.Reasons
	// A newly failing scenario fails the run by its class already; the
	// comparison informs and changes no verdict (decision D105,
	// docs/decisions.md).
	res.Comparison = report.Compare(b.previous, run)

	// The console's end, each part once (decision D106, docs/decisions.md):
	// the scenarios that did not pass, coverage and drift, the comparison,
	// the run's identity and counts, and the verdict last.
	out := cfg.Output
	report.WriteNotPassed(out, run)
	fmt.Fprintln(out)
	fmt.Fprintln(out, coverage.Summary(res.Coverage))
	fmt.Fprintln(out, driftSummary(res.Drift))
	if v := res.Drift.Verdict; v != nil && len(v.Lines) > 0 {
		fmt.Fprintln(out, v.Lines[len(v.Lines)-1])
	}
	for _, l := range unmet {
		fmt.Fprintln(out, l)
	}
	if sharded && (len(cfg.CoverageMin) > 0 || cfg.StrictDrift || b.baseline != nil) {
		fmt.Fprintf(out, "gates: coverage and drift gates are left to the merge of the %d shards (a shard sees part of the suite)\n", cfg.Shard.Total)
	}
	report.WriteComparison(out, res.Comparison)
	report.WriteSummary(out, run)
	fmt.Fprintf(out, "verdict: %s\n", res.Verdict)

	if cfg.ReportsDir != "" {
		if err := writeReports(cfg.ReportsDir, run, res, env.Model); err != nil {
			return res, fmt.Errorf("reports: %w", err)
		}
	}
	return res, nil
}

// writeReports writes every report of a judged run into dir: those of
// report.Write (summary.md and report.html with the comparison, if any),
// coverage.json, run.json, and drift.json, drift.md and observations.json.
func writeReports(dir string, run *report.Run, res *Result, model *lifecycle.Model) error {
	extras := coverage.HTMLExtras(res.Coverage, model)
	extras.Previous = res.Comparison
	if err := report.Write(dir, run, extras); err != nil {
		return err
	}
	if err := coverage.Write(dir, res.Coverage); err != nil {
		return err
	}
	if err := WriteRun(dir, run); err != nil {
		return err
	}
	return drift.Write(dir, res.Drift)
}

// judge gives the verdict of a run (flaky of its scenarios were flaky) and
// one line per reason it did not pass.
func judge(run *report.Run, flaky int, unmet []string, gateFailed bool, gateLines []string, failOnFlaky bool) (Verdict, []string) {
	counts := map[string]int{}
	for fi := range run.Features {
		for si := range run.Features[fi].Scenarios {
			sc := &run.Features[fi].Scenarios[si]
			if class := sc.FailureClass(); class != "" {
				counts[class]++
			}
		}
	}
	var reasons []string
	verdict := VerdictPass
	pick := func(v Verdict) {
		if verdict == VerdictPass {
			verdict = v
		}
	}
	if n := counts[report.FailUndefined]; n > 0 {
		pick(VerdictUndefined)
		reasons = append(reasons, fmt.Sprintf("%d scenario(s) undefined, pending or ambiguous: a step no definition matches", n))
	}
	if n := counts[report.FailUsage]; n > 0 {
		pick(VerdictUsage)
		reasons = append(reasons, fmt.Sprintf("%d scenario(s) failed on a usage error of the feature (e.g. a write from a scenario not tagged @mutating)", n))
	}
	if n := counts[report.FailContract]; n > 0 {
		pick(VerdictContract)
		reasons = append(reasons, fmt.Sprintf("%d scenario(s) failed on contract findings", n))
	}
	if n := counts[report.FailAssertion]; n > 0 {
		pick(VerdictAssertion)
		reasons = append(reasons, fmt.Sprintf("%d scenario(s) failed on assertions of their steps", n))
	}
	if n := counts[report.FailLifecycle]; n > 0 {
		pick(VerdictLifecycle)
		reasons = append(reasons, fmt.Sprintf("%d scenario(s) failed on lifecycle findings", n))
	}
	if n := counts[report.FailInfrastructure]; n > 0 {
		pick(VerdictInfrastructure)
		reasons = append(reasons, fmt.Sprintf("%d scenario(s) failed on infrastructure findings only", n))
	}
	if gateFailed {
		pick(VerdictDrift)
		reasons = append(reasons, gateLines...)
	}
	if len(unmet) > 0 {
		pick(VerdictCoverage)
		reasons = append(reasons, unmet...)
	}
	if flaky > 0 && failOnFlaky {
		pick(VerdictFlaky)
		reasons = append(reasons, fmt.Sprintf("%d scenario(s) flaky: passed only on a retry (fail on flaky)", flaky))
	}
	return verdict, reasons
}

func driftSummary(r *drift.Report) string {
	d, c := 0, 0
	for _, e := range r.Entries {
		if e.Class == finding.Drift {
			d++
		} else {
			c++
		}
	}
	return fmt.Sprintf("drift: %s: %d drift (undocumented or never-returned fields), %s an SDK can break on; see drift.md", oneline.CountAs(d+c, "entry", "entries"), d, oneline.Count(c, "contract finding"))
}

// WriteRun writes run as dir/run.json, a line of JSON. It is encoded
// straight into the file: a run holds every exchange (tens of megabytes),
// and json.Marshal would copy it once more, and appending the newline
// again.
func WriteRun(dir string, run *report.Run) error {
	err := atomicfile.Write(filepath.Join(dir, RunFile), func(w io.Writer) error {
		return json.NewEncoder(w).Encode(run) // json.Marshal's bytes and a newline
	})
	if err != nil {
		return fmt.Errorf("run.json: %w", err)
	}
	return nil
}

// ReadRun reads dir/run.json (or the file itself when path is one) whole,
// every exchange included, as merge and fidelity need it.
func ReadRun(path string) (*report.Run, error) {
	return readRunWith(path, decodeRun)
}

// ReadPrevious reads dir/run.json (or the file itself) as -previous needs
// it: only what report.Compare reads (report.DecodeCompared), its exchanges
// stepped over. The file is checked as ReadRun checks it.
func ReadPrevious(path string) (*report.Run, error) {
	return readRunWith(path, report.DecodeCompared)
}

func decodeRun(data []byte) (*report.Run, error) {
	var run report.Run
	if err := json.Unmarshal(data, &run); err != nil {
		return nil, err
	}
	return &run, nil
}

// readRunWith reads a bounded run.json with decode and checks that the
// suite wrote it.
func readRunWith(path string, decode func([]byte) (*report.Run, error)) (*report.Run, error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		path = filepath.Join(path, RunFile)
	}
	data, err := boundedfile.Read(path, boundedfile.CassetteLimit) // run.json holds every exchange, as a cassette does
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	run, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("run %s: %s", path, oneline.Fold(err.Error()))
	}
	if run.ID == "" || run.SpecHash == "" {
		return nil, fmt.Errorf("run %s: got no id or spec_hash, want a run.json written by the suite", path)
	}
	return run, nil
}
