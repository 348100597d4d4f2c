// Command sdk-gate runs a command (an SDK's integration tests) against the
// PassFort mock and fails when the command fails or when any request it sent
// broke the contract.
//
// Usage:
//
//	sdk-gate [-addr 127.0.0.1:0] [-report reports/sdk-gate.json] [-api-key KEY] [-v] -- COMMAND [ARG...]
//
// It starts the mock (internal/mock, with its request gate on) on a loopback
// port, runs COMMAND with PASSFORT_BASE_URL (http://127.0.0.1:PORT/4.0),
// PASSFORT_API_KEY and PASSFORT_ENV=demo set, stops the mock, writes the
// gate's record (requests, the operations and statuses exercised, the
// contract findings) to -report as JSON, and prints each bad request as one
// line:
//
//	sdk-gate: POST /profiles/{profile_id}/applications 400: /product: value is required [invalid-request required]
//
// Exit status: 0 the command passed and no request broke the contract; 1
// some request broke the contract; 2 bad usage or set-up; 3 the command
// failed (or could not start), whatever the gate found; 4 the command passed
// but sent the mock no request, so nothing was gated.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"time"

	"github.com/passfort-conformance/harness/internal/atomicfile"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/sdkgate"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
	exitCommand  = 3
	// exitNoRequest: the command passed but sent the mock no request, so
	// the gate checked nothing (decision D75, docs/decisions.md).
	exitNoRequest = 4
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type config struct {
	addr    string
	report  string
	apiKey  string
	verbose bool
	command []string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("sdk-gate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:0", "loopback address the mock listens on (port 0 picks a free one)")
	fs.StringVar(&c.report, "report", "reports/sdk-gate.json", "where the gate's record is written (JSON); \"\" for nowhere")
	fs.StringVar(&c.apiKey, "api-key", mock.DefaultAPIKey, "the API key the mock accepts, passed to the command as PASSFORT_API_KEY")
	fs.BoolVar(&c.verbose, "v", false, "log the mock's requests and diagnostics to stderr")
	usage := func() {
		fs.SetOutput(stderr)
		fmt.Fprintln(stderr, "usage: sdk-gate [flags] -- COMMAND [ARG...]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			usage()
		}
		return c, err
	}
	c.command = fs.Args()
	if len(c.command) == 0 {
		return c, errors.New("no command: want sdk-gate [flags] -- COMMAND [ARG...]")
	}
	if c.apiKey == "" {
		return c, errors.New("-api-key: got an empty key, want one")
	}
	host, _, err := net.SplitHostPort(c.addr)
	if err != nil {
		return c, fmt.Errorf("-addr: %w", err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return c, fmt.Errorf("-addr: got host %q, want a loopback address such as 127.0.0.1", host)
	}
	return c, nil
}

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "sdk-gate: %v\n", err)
		return exitUsage
	}
	logger := slog.New(slog.DiscardHandler)
	if c.verbose {
		logger = slog.New(slog.NewTextHandler(stderr, nil))
	}
	srv, err := mockstack.New(mockstack.Options{Options: mock.Options{APIKey: c.apiKey, Logger: logger}, Gate: true})
	if err != nil {
		fmt.Fprintf(stderr, "sdk-gate: %v\n", err)
		return exitUsage
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		fmt.Fprintf(stderr, "sdk-gate: -addr: %v\n", err)
		return exitUsage
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	base := fmt.Sprintf("http://%s/4.0", ln.Addr())
	fmt.Fprintf(stderr, "sdk-gate: mock on %s; running %q\n", base, c.command)

	cmd := exec.CommandContext(ctx, c.command[0], c.command[1:]...)
	cmd.Env = append(os.Environ(), "PASSFORT_BASE_URL="+base, "PASSFORT_API_KEY="+c.apiKey, "PASSFORT_ENV=demo")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	cmdErr := cmd.Run()

	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "sdk-gate: stopping the mock: %v\n", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(stderr, "sdk-gate: the mock stopped: %v\n", err)
	}
	g := srv.Gate.Report()
	if c.report != "" {
		if err := writeReport(c.report, g); err != nil {
			fmt.Fprintf(stderr, "sdk-gate: -report: %v\n", err)
			return exitUsage
		}
	}
	for _, line := range g.Lines() {
		fmt.Fprintf(stdout, "sdk-gate: %s\n", line)
	}
	if g.DroppedFindings > 0 {
		fmt.Fprintf(stdout, "sdk-gate: ... and %d more findings (see %s)\n", g.DroppedFindings, c.report)
	}
	fmt.Fprintf(stdout, "sdk-gate: %s, %s exercised, %d broke the contract\n", oneline.Count(int(g.Requests), "request"), oneline.Count(len(g.Operations), "operation"), g.BadRequests)
	switch {
	case cmdErr != nil:
		fmt.Fprintf(stdout, "sdk-gate: FAIL: the command failed: %v\n", cmdErr)
		return exitCommand
	case g.Failed():
		fmt.Fprintln(stdout, "sdk-gate: FAIL: requests broke the contract")
		return exitFindings
	case g.Requests == 0:
		fmt.Fprintf(stdout, "sdk-gate: FAIL: the command sent no request to the mock (does it read PASSFORT_BASE_URL=%s?)\n", base)
		return exitNoRequest
	}
	fmt.Fprintln(stdout, "sdk-gate: PASS")
	return exitOK
}

// writeReport writes the gate's record as indented JSON, creating its folder.
func writeReport(path string, g sdkgate.Report) error {
	b, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, append(b, '\n'))
}
