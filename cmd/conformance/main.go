// Command conformance runs the PassFort conformance suite as a standalone
// binary, with the features and the spec embedded, for CI without a Go
// toolchain. It runs the one suite definition (internal/suite) that
// `make conformance` runs under go test; it only turns flags and the
// environment into a suite.Config, and the verdict into an exit code.
//
//	conformance [flags]                         run the suite (reports in reports/)
//	conformance -recheck run.cassette.json      re-check a recorded run offline
//	conformance merge -out reports shard1 ...   merge the shards' reports
//
// The target comes from the environment, as for `make conformance`:
// PASSFORT_BASE_URL (unset: the embedded mock), PASSFORT_API_KEY,
// PASSFORT_ENV (demo or live; required for a remote target),
// PASSFORT_ALLOW_LIVE_MUTATIONS, PASSFORT_ALLOW_LIVE_CHECKS, PASSFORT_MASK_PII
// (1 masks personal data on any target, 0 keeps it; unset masks it on every
// target but a local one), PASSFORT_TIMEOUT, PASSFORT_RUN_TIMEOUT,
// PASSFORT_MAX_RETRIES, PASSFORT_SECRETS, PASSFORT_RECORD, PASSFORT_SPEC, PASSFORT_CATALOG
// and PASSFORT_PREVIOUS (the flags -spec, -catalog, -record and -previous win
// over the last four), PASSFORT_MODEL_OPTIONS (the lifecycle model's options
// for the target, e.g. revert_mode=new_application) and PASSFORT_TIME_SCALE
// (how many times longer the features' time bounds are). What the reports say about the build comes from
// PASSFORT_RUN_LABEL, PASSFORT_SDK, PASSFORT_SDK_VERSION, PASSFORT_COMMIT,
// PASSFORT_BRANCH and PASSFORT_BUILD_URL, else from GitHub's and GitLab's
// standard CI variables.
//
// Exit codes (when several apply, the first in this list that applies
// wins, after 2):
//
//	2  usage: a bad flag or environment value, a tag expression godog would
//	   misread, a feature file that does not parse or uses a step the
//	   suite does not define, a spec, catalogue,
//	   baseline, cassette or run.json that does not load, reports that
//	   cannot be written, no scenario selected (a tag typo), a write from a
//	   scenario not tagged @mutating; one line on stderr
//	1  contract: a scenario failed on a contract finding (verdict
//	   "contract") or on an assertion of its steps (verdict "assertion")
//	3  lifecycle: a scenario failed on a lifecycle finding
//	4  infrastructure: the target could not be reached, timed out or ran
//	   out of retries (retries included)
//	6  drift gate failed (-strict-drift, or -drift-baseline)
//	5  coverage below -coverage-min
//	7  a scenario passed only on a retry, with -fail-on-flaky
//	0  pass
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/passfort-conformance/harness/features"
	"github.com/passfort-conformance/harness/internal/coverage"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/suite"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/targets"
)

// Exit codes; see the package documentation.
const (
	exitPass           = 0
	exitContract       = 1
	exitUsage          = 2
	exitLifecycle      = 3
	exitInfrastructure = 4
	exitCoverage       = 5
	exitDrift          = 6
	exitFlaky          = 7
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.LookupEnv))
}

// run is the command without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer, env func(string) (string, bool)) int {
	if len(args) > 0 && args[0] == "merge" {
		return merge(args[1:], stdout, stderr, env)
	}
	fset := flag.NewFlagSet("conformance", flag.ContinueOnError)
	var (
		tags        = fset.String("tags", "", "godog tag expression: ~@tag (not), && (and), \",\" (or), e.g. '@smoke && ~@mutating'")
		name        = fset.String("name", "", "run only the scenarios whose name matches this regular expression")
		seed        = fset.Int64("seed", 0, "random order seed (0: a new one, printed)")
		concurrency = fset.Int("concurrency", 0, "scenarios run at once (0: the target's own: 4×GOMAXPROCS on the embedded mock, 32 over HTTP)")
		reports     = fset.String("reports", envOr(env, "PASSFORT_REPORTS", "reports"), "directory for the reports (\"\": none; env PASSFORT_REPORTS)")
		shard       = fset.String("shard", "", "run shard i of n, e.g. 2/3")
		retries     = fset.Int("retries", 0, "runs again, up to N times, a scenario that failed only on infrastructure findings")
		failFlaky   = fset.Bool("fail-on-flaky", false, "exit 7 when a scenario passed only on a retry")
		featureDir  = fset.String("features", "", "read the .feature files from this directory instead of the embedded ones")
		specPath    = fset.String("spec", envValue(env, "PASSFORT_SPEC"), "OpenAPI file to check against (default: the embedded spec; env PASSFORT_SPEC)")
		catalogPath = fset.String("catalog", envValue(env, "PASSFORT_CATALOG"), "product catalogue of a real account (env PASSFORT_CATALOG)")
		coverageMin = fset.String("coverage-min", "", "coverage gate: N for every metric, or metric:N,... (operations, transitions, states, flags, enums, fields, all)")
		strictDrift = fset.Bool("strict-drift", false, "exit 6 on any drift")
		strictEnums = fset.Bool("strict-enums", envValue(env, "PASSFORT_STRICT_ENUMS") == "1", "a value outside an extensible enum fails as a contract break instead of being drift (env PASSFORT_STRICT_ENUMS=1)")
		baseline    = fset.String("drift-baseline", "", "accepted drift (e.g. spec/drift-baseline.yaml): exit 6 on drift it does not accept")
		record      = fset.String("record", "", "record the run's exchanges (redacted) to this cassette (env PASSFORT_RECORD)")
		recheck     = fset.String("recheck", "", "re-check the exchanges of this cassette offline instead of running the suite")
		previous    = fset.String("previous", envValue(env, "PASSFORT_PREVIOUS"), "compare with an earlier run: its reports folder or run.json (env PASSFORT_PREVIOUS)")
	)
	if code, done := parseFlags(fset, args, stderr, runUsage); done {
		return code
	}
	// An empty -features (say, an unset variable in a script) is refused,
	// not read as "the embedded features": the run would test other files
	// than the ones meant.
	emptyFeatures := false
	fset.Visit(func(f *flag.Flag) { emptyFeatures = emptyFeatures || f.Name == "features" && *featureDir == "" })
	if emptyFeatures {
		return usage(stderr, errors.New("-features: got an empty folder name, want a folder of .feature files (leave the flag out for the embedded ones)"))
	}
	// One positional argument is the features folder, as -features names it.
	switch {
	case fset.NArg() == 1 && *featureDir == "":
		*featureDir = fset.Arg(0)
	case fset.NArg() > 0:
		return usage(stderr, fmt.Errorf("unexpected arguments %q: want at most one features folder, given once", fset.Args()))
	}
	tgt, guard, err := suite.TargetFromEnv(env)
	if err != nil {
		return usage(stderr, err)
	}
	if *record != "" {
		tgt.Record = *record
	}
	build, err := suite.BuildFromEnv(env)
	if err != nil {
		return usage(stderr, err)
	}
	cfg := suite.Config{
		Features:      features.FS,
		Paths:         []string{"."},
		FeatureBase:   "features",
		Tags:          *tags,
		Seed:          *seed,
		Concurrency:   *concurrency,
		Retries:       *retries,
		FailOnFlaky:   *failFlaky,
		StrictDrift:   *strictDrift,
		StrictEnums:   *strictEnums,
		DriftBaseline: *baseline,
		Output:        stdout,
		ReportsDir:    *reports,
		Target:        tgt,
		Guard:         guard,
		SpecPath:      *specPath,
		CatalogPath:   *catalogPath,
		Build:         build,
		Previous:      *previous,
	}
	if *featureDir != "" {
		cfg.Features = os.DirFS(*featureDir)
		cfg.FeatureBase = filepath.ToSlash(filepath.Clean(*featureDir))
	}
	if *name != "" {
		if cfg.Name, err = regexp.Compile(*name); err != nil {
			return usage(stderr, fmt.Errorf("-name: %w", err))
		}
	}
	if cfg.Shard, err = suite.ParseShard(*shard); err != nil {
		return usage(stderr, err)
	}
	if cfg.CoverageMin, err = coverage.ParseThresholds(*coverageMin); err != nil {
		return usage(stderr, err)
	}

	var res *suite.Result
	if *recheck != "" {
		c, err := target.ReadCassette(*recheck)
		if err != nil {
			return usage(stderr, err)
		}
		res, err = suite.Recheck(c, cfg)
		if err != nil {
			return setupFailure(stderr, err)
		}
	} else {
		res, err = suite.Run(cfg)
		if err != nil {
			return setupFailure(stderr, err)
		}
	}
	return verdict(stderr, res)
}

// merge is `conformance merge -out dir shard-dir...`.
func merge(args []string, stdout, stderr io.Writer, env func(string) (string, bool)) int {
	fset := flag.NewFlagSet("conformance merge", flag.ContinueOnError)
	var (
		out         = fset.String("out", "", "directory for the merged reports (required)")
		specPath    = fset.String("spec", envValue(env, "PASSFORT_SPEC"), "the OpenAPI file the shards checked against (default: the embedded spec)")
		coverageMin = fset.String("coverage-min", "", "coverage gate on the merged run (see conformance -h)")
		strictDrift = fset.Bool("strict-drift", false, "exit 6 on any drift in the merged run")
		baseline    = fset.String("drift-baseline", "", "accepted drift: exit 6 on drift it does not accept")
		failFlaky   = fset.Bool("fail-on-flaky", false, "exit 7 when a scenario passed only on a retry")
		previous    = fset.String("previous", envValue(env, "PASSFORT_PREVIOUS"), "compare the merged run with an earlier run: its reports folder or run.json (env PASSFORT_PREVIOUS)")
	)
	if code, done := parseFlags(fset, args, stderr, mergeUsage); done {
		return code
	}
	build, err := suite.BuildFromEnv(env)
	if err != nil {
		return usage(stderr, err)
	}
	if *out == "" || fset.NArg() == 0 {
		return usage(stderr, errors.New("merge: want -out DIR and the reports directories of the shards, e.g. merge -out reports shard-1 shard-2 shard-3"))
	}
	thresholds, err := coverage.ParseThresholds(*coverageMin)
	if err != nil {
		return usage(stderr, err)
	}
	runs := make([]*report.Run, 0, fset.NArg())
	for _, dir := range fset.Args() {
		r, err := suite.ReadRun(dir)
		if err != nil {
			return usage(stderr, err)
		}
		runs = append(runs, r)
	}
	res, err := suite.Merge(suite.Config{
		Output: stdout, ReportsDir: *out, SpecPath: *specPath, CoverageMin: thresholds,
		StrictDrift: *strictDrift, DriftBaseline: *baseline, FailOnFlaky: *failFlaky,
		Build: build, Previous: *previous,
	}, runs...)
	if err != nil {
		return setupFailure(stderr, err)
	}
	return verdict(stderr, res)
}

// The first lines of -h, before the flags.
const (
	runUsage = `usage: conformance [flags] [features folder]
       conformance merge -out DIR SHARD_REPORTS...   merge the shards' reports (see conformance merge -h)
flags:`
	mergeUsage = `usage: conformance merge [flags] -out DIR SHARD_REPORTS...
flags:`
)

// parseFlags parses args into fset. A bad flag is one line on stderr and
// exit 2, not flag's usage after it; -h prints head and the flags and exits
// 0. done is false when the command goes on.
func parseFlags(fset *flag.FlagSet, args []string, stderr io.Writer, head string) (code int, done bool) {
	fset.SetOutput(io.Discard)
	fset.Usage = func() {} // flag calls Usage on every error; only -h prints it
	err := fset.Parse(args)
	switch {
	case err == nil:
		return exitPass, false
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stderr, head)
		fset.SetOutput(stderr)
		fset.PrintDefaults()
		return exitPass, true
	}
	fmt.Fprintf(stderr, "%s: %s (see %s -h)\n", fset.Name(), oneline.Fold(err.Error()), fset.Name())
	return exitUsage, true
}

// verdict prints why a run did not pass, one line each, and returns its exit code.
func verdict(stderr io.Writer, res *suite.Result) int {
	for _, r := range res.Reasons {
		fmt.Fprintln(stderr, "conformance: "+r)
	}
	switch res.Verdict {
	case suite.VerdictPass:
		return exitPass
	case suite.VerdictUndefined, suite.VerdictUsage:
		return exitUsage
	case suite.VerdictContract, suite.VerdictAssertion:
		return exitContract
	case suite.VerdictLifecycle:
		return exitLifecycle
	case suite.VerdictInfrastructure:
		return exitInfrastructure
	case suite.VerdictDrift:
		return exitDrift
	case suite.VerdictCoverage:
		return exitCoverage
	case suite.VerdictFlaky:
		return exitFlaky
	}
	fmt.Fprintf(stderr, "conformance: unknown verdict %q\n", res.Verdict)
	return exitUsage
}

// setupFailure maps an error before or after the scenarios: the target
// unreachable is infrastructure, anything else a usage error.
func setupFailure(stderr io.Writer, err error) int {
	var infra *targets.InfrastructureError
	if errors.As(err, &infra) {
		fmt.Fprintln(stderr, "conformance: "+oneline.Fold(err.Error()))
		return exitInfrastructure
	}
	return usage(stderr, err)
}

func usage(stderr io.Writer, err error) int {
	fmt.Fprintln(stderr, "conformance: "+oneline.Fold(err.Error()))
	return exitUsage
}

func envValue(env func(string) (string, bool), k string) string {
	v, _ := env(k)
	return strings.TrimSpace(v)
}

// envOr is the environment's value for k, or def when it is unset or empty.
func envOr(env func(string) (string, bool), k, def string) string {
	if v := envValue(env, k); v != "" {
		return v
	}
	return def
}
