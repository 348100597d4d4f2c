// Command spec-diff lists the changes between two OpenAPI specs that can break
// clients of the first, per operation, using oasdiff's checks, and sets its
// exit status for CI.
//
// Usage:
//
//	spec-diff [flags] -base a.yaml -revision b.yaml
//	spec-diff [flags] a.yaml b.yaml
//
// Flags:
//
//	-base file          the spec clients were written against
//	-revision file      the spec that replaces it
//	-format name        text (default), json or markdown
//	-fail-on level      error (default): exit 1 on errors; warning: on warnings too
//	-include-info       also list info-level (non-breaking) changes; never fails
//	-out file           write the report to file and print only the summary line
//	-timeout duration   give up after this long (default 5m)
//
// Exit status:
//
//	0  no change at the -fail-on level or above
//	1  breaking changes found at the -fail-on level or above
//	2  usage error, a spec that cannot be loaded, or a report that cannot be
//	   written; one line on stderr
//
// make spec-diff BASE=a.yaml REVISION=b.yaml runs it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/specdiff"
)

// Exit statuses; see the package comment.
const (
	exitOK       = 0
	exitBreaking = 1
	exitError    = 2
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// config is the parsed command line.
type config struct {
	base, revision string
	format         string
	write          func(io.Writer, *specdiff.Result) error // the -format's writer
	opts           specdiff.Options
	out            string
	timeout        time.Duration
}

// writerFor returns the report writer for a -format value.
func writerFor(format string) (func(io.Writer, *specdiff.Result) error, bool) {
	switch format {
	case "text":
		return specdiff.WriteText, true
	case "json":
		return specdiff.WriteJSON, true
	case "markdown":
		return specdiff.WriteMarkdown, true
	default:
		return nil, false
	}
}

// run is the whole command, minus os.Exit, so tests can call it.
func run(args []string, stdout, stderr io.Writer) int {
	cfg, err := parse(args, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "spec-diff: %v (see spec-diff -h)\n", err)
		return exitError
	}

	ctx, cancel := context.WithTimeout(context.Background(), cfg.timeout)
	defer cancel()
	result, err := specdiff.Compare(ctx, cfg.base, cfg.revision, cfg.opts)
	if err != nil {
		fmt.Fprintf(stderr, "spec-diff: %v\n", err)
		return exitError
	}

	if cfg.out == "" {
		err = cfg.write(stdout, result)
	} else {
		err = writeFile(cfg.out, result, cfg.write)
		if err == nil {
			_, err = fmt.Fprintln(stdout, result.Summary())
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "spec-diff: write report: %v\n", err)
		return exitError
	}
	if result.Failed() {
		return exitBreaking
	}
	return exitOK
}

// parse reads the command line; -h prints the usage to stdout and returns
// flag.ErrHelp.
func parse(args []string, stdout io.Writer) (config, error) {
	var cfg config
	var failOn string
	fs := flag.NewFlagSet("spec-diff", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported on one line by run
	fs.StringVar(&cfg.base, "base", "", "the spec clients were written against")
	fs.StringVar(&cfg.revision, "revision", "", "the spec that replaces it")
	fs.StringVar(&cfg.format, "format", "text", "report format: text, json or markdown")
	fs.StringVar(&failOn, "fail-on", string(specdiff.LevelError), "exit 1 on changes at this level or above: error or warning")
	fs.BoolVar(&cfg.opts.IncludeInfo, "include-info", false, "also list info-level (non-breaking) changes")
	fs.StringVar(&cfg.out, "out", "", "write the report to this file and print only the summary line")
	fs.DurationVar(&cfg.timeout, "timeout", 5*time.Minute, "give up after this long")
	usage := func() {
		fmt.Fprintf(stdout, "usage: spec-diff [flags] -base a.yaml -revision b.yaml\n       spec-diff [flags] a.yaml b.yaml\n\nflags:\n")
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fmt.Fprintf(stdout, "\nexit status: 0 no breaking change, 1 breaking changes at the -fail-on level, 2 usage or load error\n")
	}
	fs.Usage = func() {} // flag calls Usage on any parse error; only -h should print it
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage()
		}
		return cfg, err
	}

	switch rest := fs.Args(); {
	case len(rest) == 0:
	case len(rest) == 2 && cfg.base == "" && cfg.revision == "":
		cfg.base, cfg.revision = rest[0], rest[1]
	default:
		return cfg, fmt.Errorf("arguments: got %q, want two spec files or -base and -revision", strings.Join(rest, " "))
	}
	if cfg.base == "" || cfg.revision == "" {
		return cfg, errors.New("specs: got none, want -base and -revision (or two spec files)")
	}
	var ok bool
	if cfg.write, ok = writerFor(cfg.format); !ok {
		return cfg, fmt.Errorf("-format: got %q, want text, json or markdown", cfg.format)
	}
	switch l := specdiff.Level(failOn); l {
	case specdiff.LevelError, specdiff.LevelWarning:
		cfg.opts.FailOn = l
	default:
		return cfg, fmt.Errorf("-fail-on: got %q, want error or warning", failOn)
	}
	if cfg.timeout <= 0 {
		return cfg, fmt.Errorf("-timeout: got %s, want a positive duration", cfg.timeout)
	}
	return cfg, nil
}

// writeFile writes the report to path; a failed close (a full disk) is an error.
func writeFile(path string, r *specdiff.Result, write func(io.Writer, *specdiff.Result) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f, r); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}
