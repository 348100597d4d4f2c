// Command fidelity compares two runs of the same features against two
// targets (e.g. the embedded mock and a recording of the demo API, or a
// second server) and lists the scenarios and response fields whose outcomes
// differ, so the mock cannot silently drift from the real API.
//
// Usage:
//
//	fidelity [-json] A B
//
// A and B are run files (run.json, as every run writes into its reports
// folder) or reports folders holding one.
//
// Exit codes: 0 the runs agree, 1 they differ, 2 usage or a file that does
// not load.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/passfort-conformance/harness/internal/fidelity"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/suite"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fidelity", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "write the differences as JSON")
	const usage = "usage: fidelity [-json] A/run.json B/run.json"
	fs.Usage = func() {
		fmt.Fprintln(stderr, usage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		return 2
	}
	if fs.NArg() != 2 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	a, err := load(fs.Arg(0))
	if err != nil {
		fmt.Fprintln(stderr, "fidelity:", err)
		return 2
	}
	b, err := load(fs.Arg(1))
	if err != nil {
		fmt.Fprintln(stderr, "fidelity:", err)
		return 2
	}
	res := fidelity.Compare(a, b)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		err = enc.Encode(res)
	} else {
		err = fidelity.WriteText(stdout, res)
	}
	if err != nil {
		fmt.Fprintln(stderr, "fidelity:", err)
		return 2
	}
	if len(res.Differences) > 0 {
		return 1
	}
	return 0
}

// load reads a run file, or the run.json inside a reports folder.
func load(path string) (*report.Run, error) {
	r, err := suite.ReadRun(path)
	if err != nil {
		return nil, err
	}
	if len(r.Features) == 0 {
		return nil, fmt.Errorf("%s: got a run with no features, want a run file", path)
	}
	return r, nil
}
