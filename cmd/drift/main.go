// Command drift gates a run's drift report against the committed baseline
// and compares the observations of two runs.
//
//	drift gate -report reports/drift.json -baseline spec/drift-baseline.yaml [-strict] [-today YYYY-MM-DD] [-markdown reports/drift.md]
//	drift compare [-fail-on-vanished] old.json new.json
//	drift accept -report reports/drift.json -baseline spec/drift-baseline.yaml -reason "..." -expires YYYY-MM-DD
//
// gate prints one line per new drift entry and per expired acceptance, then
// a summary, and exits 0 when the report passes, 1 when it fails. compare
// prints what appeared and what vanished between two runs (their
// observations.json files) and exits 0, or 1 with -fail-on-vanished when anything
// vanished. accept prints, as baseline entries to review and paste under
// "accepted:", the report's entries the baseline does not accept yet. All
// exit 2 on a usage error or a file that does not load.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// Exit codes.
const (
	exitPass  = 0
	exitFail  = 1
	exitUsage = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
  drift gate -report reports/drift.json -baseline spec/drift-baseline.yaml [-strict] [-today YYYY-MM-DD] [-markdown reports/drift.md]
  drift compare [-fail-on-vanished] old.json new.json
  drift accept -report reports/drift.json -baseline spec/drift-baseline.yaml -reason "..." -expires YYYY-MM-DD
`

// run is the command without the process: it returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "gate":
		return gate(args[1:], stdout, stderr)
	case "compare":
		return compare(args[1:], stdout, stderr)
	case "accept":
		return accept(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitPass
	}
	fmt.Fprintf(stderr, "drift: unknown command %q, want gate, compare or accept\n%s", args[0], usage)
	return exitUsage
}

func gate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("drift gate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reportPath := fs.String("report", "reports/drift.json", "the run's drift report")
	baselinePath := fs.String("baseline", "spec/drift-baseline.yaml", "the accepted drift")
	strict := fs.Bool("strict", false, "fail on any drift, accepted or not")
	todayFlag := fs.String("today", "", "judge expiry dates as of this day (YYYY-MM-DD; default: today)")
	markdown := fs.String("markdown", "", "also write the report with the verdict as Markdown to this file")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "drift gate: unexpected arguments %q\n", rest)
		return exitUsage
	}
	today := time.Now()
	if *todayFlag != "" {
		if today, err = time.Parse(drift.DateLayout, *todayFlag); err != nil {
			fmt.Fprintf(stderr, "drift gate: -today: got %q, want a date YYYY-MM-DD\n", *todayFlag)
			return exitUsage
		}
	}
	r, err := drift.ReadReport(*reportPath)
	if err != nil {
		fmt.Fprintln(stderr, "drift gate:", err)
		return exitUsage
	}
	b, err := drift.LoadBaseline(*baselinePath)
	if err != nil {
		fmt.Fprintln(stderr, "drift gate:", err)
		return exitUsage
	}
	v := drift.Gate(r, b, drift.GateOptions{Strict: *strict}, today)
	for _, l := range v.Lines {
		fmt.Fprintln(stdout, l)
	}
	if *markdown != "" {
		r.Verdict = &v
		if err := writeMarkdown(*markdown, r); err != nil {
			fmt.Fprintln(stderr, "drift gate:", err)
			return exitUsage
		}
	}
	if !v.Pass {
		return exitFail
	}
	return exitPass
}

func writeMarkdown(path string, r *drift.Report) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return drift.WriteMarkdown(f, r)
}

func compare(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("drift compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	failOnVanished := fs.Bool("fail-on-vanished", false, "exit 1 when anything the old run saw vanished")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(rest) != 2 {
		fmt.Fprintf(stderr, "drift compare: got %d files, want 2 (old.json new.json)\n", len(rest))
		return exitUsage
	}
	old, err := drift.ReadObservations(rest[0])
	if err != nil {
		fmt.Fprintln(stderr, "drift compare:", err)
		return exitUsage
	}
	cur, err := drift.ReadObservations(rest[1])
	if err != nil {
		fmt.Fprintln(stderr, "drift compare:", err)
		return exitUsage
	}
	d := drift.Compare(old, cur)
	if err := drift.WriteDiff(stdout, d); err != nil {
		fmt.Fprintln(stderr, "drift compare:", err)
		return exitUsage
	}
	if *failOnVanished && len(d.Vanished) > 0 {
		return exitFail
	}
	return exitPass
}

func accept(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("drift accept", flag.ContinueOnError)
	fs.SetOutput(stderr)
	reportPath := fs.String("report", "reports/drift.json", "the run's drift report")
	baselinePath := fs.String("baseline", "spec/drift-baseline.yaml", "the accepted drift so far (\"\" for none)")
	reason := fs.String("reason", "", "why the drift is accepted (required)")
	expires := fs.String("expires", "", "the last day the acceptance holds, YYYY-MM-DD (required)")
	rest, err := parseInterleaved(fs, args)
	if err != nil {
		return usageError(err)
	}
	if len(rest) > 0 {
		fmt.Fprintf(stderr, "drift accept: unexpected arguments %q\n", rest)
		return exitUsage
	}
	r, err := drift.ReadReport(*reportPath)
	if err != nil {
		fmt.Fprintln(stderr, "drift accept:", err)
		return exitUsage
	}
	var b *drift.Baseline
	if *baselinePath != "" {
		if b, err = drift.LoadBaseline(*baselinePath); err != nil {
			fmt.Fprintln(stderr, "drift accept:", err)
			return exitUsage
		}
	}
	as, err := drift.Suggest(r, b, *reason, *expires, time.Now())
	if err != nil {
		fmt.Fprintln(stderr, "drift accept:", err)
		return exitUsage
	}
	if err := drift.WriteAccepted(stdout, as); err != nil {
		fmt.Fprintln(stderr, "drift accept:", err)
		return exitUsage
	}
	fmt.Fprintf(stderr, "drift accept: %s to review and paste under \"accepted:\"\n", oneline.CountAs(len(as), "entry", "entries"))
	return exitPass
}

// parseInterleaved parses flags placed before, between or after the
// positional arguments, which Go's flag package alone stops at.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		left := fs.Args()
		if n := len(args) - len(left); n > 0 && args[n-1] == "--" {
			return append(rest, left...), nil // everything after "--" is positional
		}
		if len(left) == 0 {
			return rest, nil
		}
		rest = append(rest, left[0])
		args = left[1:]
	}
}

// usageError maps a flag error to the exit code; flag has printed it.
func usageError(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return exitPass
	}
	return exitUsage
}
