// Package suite is the one definition of the conformance suite. harness_test.go
// (under go test) and cmd/conformance (a standalone binary) both call Run;
// neither holds logic of its own. The suite is godog's orchestration: which
// scenarios run, in what order, how often, and what is recorded of them;
// what the target is lives in internal/targets, what a run covered in
// internal/coverage, what the reports say in internal/report.
package suite

import (
	"io"
	"io/fs"
	"regexp"
	"testing"

	"github.com/passfort-conformance/harness/internal/coverage"
	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/targets"
)

// Config is one run of the suite.
type Config struct {
	// Features holds the .feature files; nil means the working directory.
	Features fs.FS
	// Paths are files or folders in Features; empty means "features".
	Paths []string
	// FeatureBase is put before the names in Features to make the feature
	// URIs reports, shards and cassettes use: "features" when Features is
	// the features folder itself (cmd/conformance), so both entries name a
	// scenario alike. "" uses the names as they are.
	FeatureBase string
	// Tags is a godog tag expression, e.g. "@smoke && ~@mutating".
	Tags string
	// Name, when set, keeps only the scenarios whose name it matches.
	Name *regexp.Regexp
	// Shard runs one part of the suite; the zero Shard runs it all.
	Shard Shard
	// Seed orders scenarios at random reproducibly; 0 picks a new seed.
	Seed int64
	// Concurrency is how many scenarios run at once; 0 means the target's
	// own (targets.Target's Concurrency: 4×GOMAXPROCS on the embedded mock,
	// 32 on an account or a standalone mock).
	Concurrency int
	// Retries is the retry budget of a scenario that failed only on
	// infrastructure findings (timeout, refused, ...): it runs again up to
	// Retries times, and one that then passes is reported flaky. Contract,
	// lifecycle and assertion failures are never retried. With Retries > 0,
	// scenarios are not go test subtests (a first failed attempt would fail
	// the test whatever the retry says).
	Retries int
	// FailOnFlaky makes a flaky scenario fail the run (VerdictFlaky).
	FailOnFlaky bool
	// CoverageMin is the coverage gate; nil means none.
	CoverageMin coverage.Thresholds
	// StrictDrift fails the run on any drift entry, accepted or not.
	StrictDrift bool
	// StrictEnums makes a response value outside a vendor-extensible enum
	// (x-extensible-enum: true) a contract failure; by default it is an
	// unknown-enum-value drift finding (decision D54, docs/decisions.md).
	StrictEnums bool
	// DriftBaseline is the accepted-drift file (spec/drift-baseline.yaml);
	// when set, drift no entry accepts (or an expired acceptance) fails the run.
	DriftBaseline string
	// Output is the console; nil means os.Stdout.
	Output io.Writer
	// TestingT runs each scenario as a subtest (go test); nil for cmd/conformance.
	TestingT *testing.T
	// ReportsDir receives the report files; "" writes none.
	ReportsDir string
	// Target says where requests go.
	Target Target
	// Guard protects live accounts.
	Guard targets.Guard
	// SpecPath is another OpenAPI file (PASSFORT_SPEC); "" means the embedded one.
	SpecPath string
	// CatalogPath maps product roles to a real account's products
	// (PASSFORT_CATALOG); "" means spec/products.yaml.
	CatalogPath string
	// Build is what the pipeline tells the run about itself (BuildFromEnv);
	// nil for nothing. A merge keeps the first shard's when nil.
	Build *report.Build
	// Previous is an earlier run to compare with: a reports folder or its
	// run.json (-previous, PASSFORT_PREVIOUS); "" compares with none. One
	// that cannot be read is a usage error before any scenario runs.
	Previous string
}

// Target is where the suite sends its requests: the target's settings, and
// the recording of the run's exchanges.
type Target struct {
	targets.Settings
	// Record, when set, is the cassette file the run's exchanges are
	// recorded to (redacted), for an offline re-check.
	Record string
	// MaskPII is PASSFORT_MASK_PII: MaskDefault (mask on every target but
	// a local one), MaskOn or MaskOff (decision D86, docs/decisions.md).
	MaskPII string
	// ModelOptions is PASSFORT_MODEL_OPTIONS as written: lifecycle model
	// options for the target, "revert_mode=new_application[,name=value]";
	// they win over the catalogue's model_options. "" sets none (decision
	// D98, docs/decisions.md).
	ModelOptions string
	// TimeScale is PASSFORT_TIME_SCALE as written: how many times longer
	// than written the features' time bounds wait on this target; it wins
	// over the catalogue's time_scale. "" leaves it to the catalogue, else
	// to the target (decision D99, docs/decisions.md).
	TimeScale string
}

// Result is what a run produced.
type Result struct {
	Run *report.Run
	// Failed reports whether any scenario failed or was undefined.
	Failed bool
	// Coverage is reports/coverage.json.
	Coverage *coverage.File
	// Drift is the drift report (reports/drift.json).
	Drift *drift.Report
	// Verdict is the run's verdict by cause (see Verdict).
	Verdict Verdict
	// Reasons are one line per reason the run did not pass: failed
	// scenarios by class, each unmet coverage threshold, the drift gate's
	// lines, flaky scenarios under FailOnFlaky.
	Reasons []string
	// Comparison sets the run against Config.Previous; nil without one.
	Comparison *report.Comparison
}
