// Command passfort-mock serves the stateful PassFort API 4.0 mock
// (internal/mock) over HTTP, for local development and for running the
// conformance suite against a separate process.
//
// Usage:
//
//	passfort-mock [-addr 127.0.0.1:8080] [-api-key KEY] [-seed N]
//	              [-automation-delay 50ms] [-revert-mode same_id|new_application]
//	              [-spec FILE] [-catalog FILE] [-quiet]
//
// It prints the base URL (http://127.0.0.1:8080/4.0) on start, logs one line
// per request (method, path, status, duration; never the API key) unless
// -quiet, and shuts down gracefully on SIGINT or SIGTERM. A bad flag, spec or
// catalogue is reported on one line with exit status 2.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/mock"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// config is the parsed command line.
type config struct {
	addr       string
	apiKey     string
	seed       int64
	delay      time.Duration
	revertMode string
	spec       string
	catalog    string
	quiet      bool
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("passfort-mock", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&c.apiKey, "api-key", mock.DefaultAPIKey, "the API key the mock accepts (a documented default for local use)")
	fs.Int64Var(&c.seed, "seed", 0, "seed of the deterministic ids")
	fs.DurationVar(&c.delay, "automation-delay", mock.DefaultAutomationDelay, "how long new applications show flag AUTOMATING (0 for none)")
	fs.StringVar(&c.revertMode, "revert-mode", "", "override the lifecycle model's revert_mode: same_id or new_application")
	fs.StringVar(&c.spec, "spec", "", "validate requests against this OpenAPI file instead of the embedded spec/passfort-4.0.yaml")
	fs.StringVar(&c.catalog, "catalog", "", "serve the products of this file instead of the embedded spec/products.yaml")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fmt.Fprintln(stderr, "usage: passfort-mock [flags]")
			fs.PrintDefaults()
		}
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q: the mock takes flags only", fs.Arg(0))
	}
	if c.apiKey == "" {
		return c, errors.New("-api-key: got an empty key, want one")
	}
	if c.delay < 0 {
		return c, fmt.Errorf("-automation-delay: got %s, want 0 or more", c.delay)
	}
	return c, nil
}

// run is the whole command; it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "passfort-mock: %v\n", err)
		return 2
	}
	opts := mock.Options{APIKey: c.apiKey, Seed: c.seed, AutomationDelay: c.delay, RevertMode: c.revertMode}
	if c.delay == 0 {
		opts.AutomationDelay = -1 // Options: negative means none
	}
	if c.spec != "" {
		if opts.Validator, err = contract.LoadFile(c.spec, contract.Options{}); err != nil {
			fmt.Fprintf(stderr, "passfort-mock: -spec: %v\n", err)
			return 2
		}
	}
	if c.catalog != "" {
		if opts.Catalog, err = catalog.LoadFile(c.catalog); err != nil {
			fmt.Fprintf(stderr, "passfort-mock: -catalog: %v\n", err)
			return 2
		}
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	opts.Logger = logger
	srv, err := mock.New(opts)
	if err != nil {
		fmt.Fprintf(stderr, "passfort-mock: %v\n", err)
		return 2
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		fmt.Fprintf(stderr, "passfort-mock: -addr: %v\n", err)
		return 2
	}
	var h http.Handler = srv
	if !c.quiet {
		h = logRequests(logger, srv)
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "passfort-mock listening on http://%s/4.0\n", ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "passfort-mock: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "passfort-mock: shutdown: %v\n", err)
		return 1
	}
	logger.Info("stopped")
	return 0
}

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

// logRequests logs one line per request: method, path (without the query,
// which may hold the deprecated ?apikey=), status and duration.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		logger.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	})
}
