// The go test entry of the conformance suite: `make conformance` runs it.
// The suite itself is defined once, in internal/suite; this file only binds
// godog's flags and the environment to it.
package harness

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/cucumber/godog"
	"github.com/spf13/pflag"

	"github.com/passfort-conformance/harness/internal/coverage"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/suite"
	"github.com/passfort-conformance/harness/internal/targets"
)

var godogOpts godog.Options

// The suite's own flags (make conformance passes them from SHARD=, RETRIES=,
// COVERAGE_MIN=, ...): the same as cmd/conformance's.
var (
	shardFlag       = pflag.String("shard", "", "run shard i of n, e.g. 2/3")
	nameFlag        = pflag.String("name", "", "run only the scenarios whose name matches this regular expression")
	retriesFlag     = pflag.Int("retries", 0, "runs again, up to N times, a scenario that failed only on infrastructure findings")
	failFlakyFlag   = pflag.Bool("fail-on-flaky", false, "fail when a scenario passed only on a retry")
	coverageMinFlag = pflag.String("coverage-min", "", "coverage gate: N for every metric, or metric:N,...")
	strictDriftFlag = pflag.Bool("strict-drift", false, "fail on any drift")
	strictEnumsFlag = pflag.Bool("strict-enums", false, "a value outside an extensible enum fails as a contract break")
	baselineFlag    = pflag.String("drift-baseline", "", "accepted drift: fail on drift it does not accept")
	previousFlag    = pflag.String("previous", os.Getenv("PASSFORT_PREVIOUS"), "compare with an earlier run: its reports folder or run.json")
)

func TestMain(m *testing.M) {
	godog.BindCommandLineFlags("godog.", &godogOpts)
	pflag.Parse()
	// pflag marks Go's flag set parsed without parsing -test.* flags, which
	// would silently drop -v and -run: parse them again (see go-stack-notes).
	if err := pflag.ParseSkippedFlags(os.Args[1:], flag.CommandLine); err != nil {
		fmt.Fprintln(os.Stderr, "flags:", err)
		os.Exit(2)
	}
	os.Exit(m.Run())
}

// TestConformance runs every feature against the target the environment
// names (the embedded mock by default) and writes the reports.
func TestConformance(t *testing.T) {
	// A bad setting is a usage error in one line, as in cmd/conformance.
	tgt, guard, err := suite.Environ()
	exitOnSetUp(err)
	build, err := suite.BuildEnviron()
	exitOnSetUp(err)
	cfg := suite.Config{
		Paths:       append(godogOpts.Paths, pflag.Args()...), // positional: feature files or folders
		Tags:        godogOpts.Tags,
		Seed:        godogOpts.Randomize,
		TestingT:    scenarioSubtests(t),
		ReportsDir:  envOr("PASSFORT_REPORTS", "reports"),
		Target:      tgt,
		Guard:       guard,
		SpecPath:    os.Getenv("PASSFORT_SPEC"),
		CatalogPath: os.Getenv("PASSFORT_CATALOG"),
		Build:       build,
		Previous:    *previousFlag,
	}
	if pflag.CommandLine.Changed("godog.concurrency") {
		cfg.Concurrency = godogOpts.Concurrency
	}
	if cfg.Seed < 0 {
		cfg.Seed = 0 // --godog.random without a value: pick one
	}
	cfg.Retries, cfg.FailOnFlaky, cfg.StrictDrift, cfg.DriftBaseline = *retriesFlag, *failFlakyFlag, *strictDriftFlag, *baselineFlag
	cfg.StrictEnums = *strictEnumsFlag
	cfg.Shard, err = suite.ParseShard(*shardFlag)
	exitOnSetUp(err)
	cfg.CoverageMin, err = coverage.ParseThresholds(*coverageMinFlag)
	exitOnSetUp(err)
	if *nameFlag != "" {
		if cfg.Name, err = regexp.Compile(*nameFlag); err != nil {
			exitOnSetUp(fmt.Errorf("--name: %w", err))
		}
	}
	res, err := suite.Run(cfg)
	exitOnSetUp(err)
	// One line per reason: failed scenarios by class, each unmet coverage
	// threshold, the drift gate's lines, flaky scenarios with --fail-on-flaky.
	// This is the run's verdict in go test's words, not a check of this
	// file: the lines stay exactly as CI logs and people grep them.
	for _, r := range res.Reasons {
		t.Errorf("conformance: %s (seed %d)", r, res.Run.Seed)
	}
}

// scenarioSubtests returns t when each scenario should run as a go test
// subtest: under -v, or when -run names scenarios (a pattern with "/").
// Otherwise nil: a failed subtest prints its error again after the run's
// verdict, and the console already lists each failure once (decision D106,
// docs/decisions.md).
func scenarioSubtests(t *testing.T) *testing.T {
	if testing.Verbose() || strings.Contains(flag.Lookup("test.run").Value.String(), "/") {
		return t
	}
	return nil
}

// exitOnSetUp ends the run on a set-up failure the way cmd/conformance does:
// one line on stderr and exit 4 for the target's infrastructure, 2 for
// usage (a setting, spec, catalogue or feature file that does not load, no
// scenario selected), not a failed test's multi-line block. A nil err
// returns.
func exitOnSetUp(err error) {
	if err == nil {
		return
	}
	fmt.Fprintln(os.Stderr, oneline.Fold(err.Error()))
	var infra *targets.InfrastructureError
	if errors.As(err, &infra) {
		os.Exit(4)
	}
	os.Exit(2)
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
