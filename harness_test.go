// The go test entry of the conformance suite: `make conformance` runs it.
// The suite itself is defined once, in internal/suite; this file only binds
// godog's flags and the environment to it.
package harness

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/cucumber/godog"
	"github.com/spf13/pflag"

	"github.com/passfort-conformance/harness/internal/suite"
)

var godogOpts godog.Options

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
	tgt, guard, err := suite.Environ()
	if err != nil {
		t.Fatal(err)
	}
	cfg := suite.Config{
		Paths:       godogOpts.Paths,
		Tags:        godogOpts.Tags,
		Seed:        godogOpts.Randomize,
		TestingT:    t,
		ReportsDir:  envOr("PASSFORT_REPORTS", "reports"),
		Target:      tgt,
		Guard:       guard,
		SpecPath:    os.Getenv("PASSFORT_SPEC"),
		CatalogPath: os.Getenv("PASSFORT_CATALOG"),
	}
	if pflag.CommandLine.Changed("godog.concurrency") {
		cfg.Concurrency = godogOpts.Concurrency
	}
	if cfg.Seed < 0 {
		cfg.Seed = 0 // --godog.random without a value: pick one
	}
	res, err := suite.Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed {
		c := res.Run.Count()
		t.Errorf("conformance: %d of %d scenarios failed, %d undefined (seed %d)", c.Failed, c.Total, c.Undefined, res.Run.Seed)
	}
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
