// Command passfort-mock serves the stateful PassFort API 4.0 mock
// (internal/mock, with the capabilities of internal/mockstack) over HTTP, for local development and for running the
// conformance suite against a separate process.
//
// Usage:
//
//	passfort-mock [-addr 127.0.0.1:8080] [-api-key KEY] [-seed N]
//	              [-automation-delay 50ms] [-check-duration 2s] [-revert-mode same_id|new_application]
//	              [-spec FILE] [-catalog FILE] [-quiet]
//	              [-fault 'METHOD PATH: KEY=VALUE ...']... [-latency D]
//	              [-rate-limit [-rate-limit-per-hour N] [-rate-limit-burst N]]
//	              [-gate=true|false] [-gate-report FILE] [-drift] [-tolerance]
//	              [-webhook-url URL [-webhook-secret S]] [-webhook-allow host[:port],...]
//	              [-max-profiles 20000] [-max-stored-bytes 134217728]
//	              [-max-applications-per-profile 100] [-max-history 1000]
//	              [-read-timeout 30s] [-write-timeout 60s] [-idle-timeout 30s] [-max-conns 512]
//
// It prints the base URL (http://127.0.0.1:8080/4.0) on start, logs one line
// per request (method, path, status, duration; never the API key) unless
// -quiet, and shuts down gracefully on SIGINT or SIGTERM. A bad flag, spec or
// catalogue is reported on one line with exit status 2, and so is a
// non-loopback -addr with the public default key (decision D84): give
// -api-key to serve beyond loopback.
//
// The store (decision D82) holds at most -max-profiles profiles and
// -max-stored-bytes of collected data, images, files, checks' input and
// output data and application records; a
// profile at most -max-applications-per-profile applications, and an
// application -max-history entries of history (decision D92; 0: no limit).
// Past one, the operation is 507 with the error envelope, and nothing stored
// changes.
//
// Connections (decision D81): a request must arrive within -read-timeout,
// its answer leave within -write-timeout, a keep-alive connection is closed
// after -idle-timeout without a request, and at most -max-conns are open at
// once. Webhooks reach loopback receivers only, unless -webhook-allow names
// others, and never follow a redirect (decision D80).
//
// Test switches (internal/mockstack):
//
//   - -fault (repeatable) injects a fault on a route, in the syntax of
//     faults.Parse: 'GET /profiles/*: status=503 retry-after=1',
//     'POST /profiles: drop every=3', '*: latency=100ms',
//     'GET /profiles/{profile_id}: truncate', 'GET /profiles/*: slow-body=200ms chunk=16',
//     'POST /profiles: rate-limit=2/h burst=1'. -latency D is '*: latency=D'.
//   - -rate-limit enforces PassFort's documented limits on POST /profiles and
//     POST /profiles/{profile_id}/collected_data (GCRA; 429 with the
//     X-RateLimit-* headers), -rate-limit-per-hour each with a burst of
//     -rate-limit-burst.
//   - Faults change at run time on the admin endpoint /__mock/faults (GET
//     lists, POST replaces with a JSON array, DELETE clears; the API key is needed).
//   - The SDK request gate (on by default) records the contract findings of
//     every request and the operations and statuses exercised: GET
//     /__mock/gate, and the file -gate-report on shutdown.
//   - -drift adds one undocumented field ("drift_probe" on every application),
//     one enum value (audit action brand-new-action on GET of the audit items)
//     and one status (202 on GET /tags/search/{term}), for the drift
//     report's acceptance test; a whole suite runs against it.
//   - -tolerance serves what the contract allows but SDKs often mishandle:
//     optional fields absent, nullable fields null, undocumented fields,
//     unknown enum values, each logged.
//   - -webhook-url sends a PRODUCT_STATUS_CHANGED webhook there for every
//     status change of an application, CHECK_COMPLETED when a check
//     completes and MANUAL_ACTION_REQUIRED when a check leaves a task to a
//     user, with -webhook-secret in its "secret"; /__mock/webhooks changes
//     it at run time.
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
	"os/signal"
	"syscall"
	"time"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/faults"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/sdkgate"
	"github.com/passfort-conformance/harness/internal/webhooks"
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
	checkTime  time.Duration
	revertMode string
	spec       string
	catalog    string
	quiet      bool

	// Test switches.
	faults     []faults.Fault
	latency    time.Duration
	rateLimit  bool
	perHour    int
	burst      int
	gate       bool
	gateReport string
	drift      bool
	tolerance  bool
	webhook    webhooks.Config
	egress     webhooks.Egress
	serving    serving
	maxProfs   int
	maxBytes   int64
	maxApps    int
	maxHistory int
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("passfort-mock", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "address to listen on (host:port; port 0 picks a free one)")
	fs.StringVar(&c.apiKey, "api-key", mock.DefaultAPIKey, "the API key the mock accepts (a documented default for local use)")
	fs.Int64Var(&c.seed, "seed", 0, "seed of the deterministic ids")
	fs.DurationVar(&c.delay, "automation-delay", mock.DefaultAutomationDelay, "how long new applications show flag AUTOMATING (0 for none)")
	fs.DurationVar(&c.checkTime, "check-duration", mock.DefaultCheckDuration, "how long an asynchronous check takes to COMPLETE (0: at once)")
	fs.StringVar(&c.revertMode, "revert-mode", "", "override the lifecycle model's revert_mode: same_id or new_application")
	fs.StringVar(&c.spec, "spec", "", "validate requests against this OpenAPI file instead of the embedded spec/passfort-4.0.yaml")
	fs.StringVar(&c.catalog, "catalog", "", "serve the products of this file instead of the embedded spec/products.yaml")
	fs.BoolVar(&c.quiet, "quiet", false, "do not log requests")
	fs.Func("fault", "inject a fault, repeatable: '[METHOD] PATH: KEY=VALUE ...' with one of latency=D, status=CODE [retry-after=S], drop, truncate[=BYTES], slow-body=D [chunk=BYTES], rate-limit=N/h [burst=N], and every=N, times=N or probability=P; e.g. 'GET /profiles/*: status=503 retry-after=1'", func(v string) error {
		f, err := faults.Parse(v)
		if err != nil {
			return err
		}
		c.faults = append(c.faults, f)
		return nil
	})
	fs.DurationVar(&c.latency, "latency", 0, "delay every answer by this much (the fault '*: latency=D')")
	fs.BoolVar(&c.rateLimit, "rate-limit", false, "enforce PassFort's rate limits on POST /profiles and POST /profiles/{profile_id}/collected_data (429 with X-RateLimit-* headers)")
	fs.IntVar(&c.perHour, "rate-limit-per-hour", faults.DefaultRateLimitPerHour, "requests an hour each rate-limited operation allows, with -rate-limit")
	fs.IntVar(&c.burst, "rate-limit-burst", faults.DefaultRateLimitBurst, "requests each rate-limited operation allows back to back, with -rate-limit")
	fs.BoolVar(&c.gate, "gate", true, "record the contract findings of every request, and the operations and statuses exercised (GET /__mock/gate); -gate=false for benchmarks")
	fs.StringVar(&c.gateReport, "gate-report", "", "write the gate's record (JSON) to this file on shutdown")
	fs.BoolVar(&c.drift, "drift", false, "test-only: add one undocumented field (drift_probe on every application), one enum value (audit action brand-new-action on GET of the audit items) and one status (202 on GET /tags/search/{term})")
	fs.StringVar(&c.webhook.URL, "webhook-url", "", "send webhooks to this URL: PRODUCT_STATUS_CHANGED for every status change of an application, CHECK_COMPLETED and MANUAL_ACTION_REQUIRED for checks")
	fs.StringVar(&c.webhook.Secret, "webhook-secret", "", "the secret every webhook carries in its \"secret\", with -webhook-url")
	fs.Func("webhook-allow", "comma-separated receivers webhooks may reach besides loopback, each host or host:port (repeatable)", func(v string) error {
		allow, err := webhooks.ParseAllow(v)
		c.egress.Allow = append(c.egress.Allow, allow...)
		return err
	})
	fs.DurationVar(&c.serving.readTimeout, "read-timeout", defaultReadTimeout, "longest a request may take to arrive, body included")
	fs.DurationVar(&c.serving.writeTimeout, "write-timeout", defaultWriteTimeout, "longest an answer may take, from the end of the request's headers")
	fs.DurationVar(&c.serving.idleTimeout, "idle-timeout", defaultIdleTimeout, "how long a keep-alive connection may wait for its next request")
	fs.IntVar(&c.serving.maxConns, "max-conns", defaultMaxConns, "connections open at once; more wait to be accepted")
	fs.IntVar(&c.maxProfs, "max-profiles", mock.DefaultMaxProfiles, "profiles the mock holds at once (507 above it); 0 for no limit")
	fs.Int64Var(&c.maxBytes, "max-stored-bytes", mock.DefaultMaxStoredBytes, "bytes of collected data, images, files, checks' input and output data and application records all profiles hold together (507 above it); 0 for no limit")
	fs.IntVar(&c.maxApps, "max-applications-per-profile", mock.DefaultMaxApplicationsPerProfile, "applications one profile holds, a revert's hidden ones included (507 for one more); 0 for no limit")
	fs.IntVar(&c.maxHistory, "max-history", mock.DefaultMaxHistory, "entries of an application's history or flag_history at which operations that could move it are 507; 0 for no limit")
	fs.BoolVar(&c.tolerance, "tolerance", false, "serve what the contract allows but SDKs often mishandle: optional fields absent, nullable fields null, undocumented fields, unknown enum values (each logged)")
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
	if err := checkExposure(c.addr, c.apiKey); err != nil {
		return c, err
	}
	if err := c.serving.check(); err != nil {
		return c, err
	}
	if c.maxProfs < 0 || c.maxBytes < 0 {
		return c, fmt.Errorf("-max-profiles and -max-stored-bytes: got %d and %d, want 0 (no limit) or more", c.maxProfs, c.maxBytes)
	}
	if c.maxApps < 0 || c.maxHistory < 0 {
		return c, fmt.Errorf("-max-applications-per-profile and -max-history: got %d and %d, want 0 (no limit) or more", c.maxApps, c.maxHistory)
	}
	if c.delay < 0 {
		return c, fmt.Errorf("-automation-delay: got %s, want 0 or more", c.delay)
	}
	if c.checkTime < 0 {
		return c, fmt.Errorf("-check-duration: got %s, want 0 or more", c.checkTime)
	}
	if c.latency < 0 {
		return c, fmt.Errorf("-latency: got %s, want 0 or more", c.latency)
	}
	if c.perHour <= 0 || c.burst <= 0 {
		return c, fmt.Errorf("-rate-limit-per-hour and -rate-limit-burst: got %d and %d, want positive numbers", c.perHour, c.burst)
	}
	if c.gateReport != "" && !c.gate {
		return c, errors.New("-gate-report: the gate is off (-gate=false), so there is nothing to write")
	}
	if c.latency > 0 {
		c.faults = append(c.faults, faults.Fault{Path: "*", Kind: faults.Latency, Latency: c.latency})
	}
	if c.rateLimit {
		c.faults = append(c.faults, faults.PassFortRateLimits(c.perHour, c.burst)...)
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
	opts := mockstack.Options{Options: mock.Options{APIKey: c.apiKey, Seed: c.seed, RevertMode: c.revertMode,
		AutomationDelay: orNone(c.delay), CheckDuration: orNone(c.checkTime),
		MaxProfiles: orNone(c.maxProfs), MaxStoredBytes: orNone(c.maxBytes),
		MaxApplicationsPerProfile: orNone(c.maxApps), MaxHistory: orNone(c.maxHistory)},
		Faults: c.faults, Gate: c.gate, Drift: c.drift, Tolerance: c.tolerance, Webhook: c.webhook, WebhookEgress: c.egress}
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
	srv, err := mockstack.New(opts)
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
	hs := c.serving.server(h)
	ln = limit(ln, c.serving.maxConns)
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
	srv.Close()
	if c.gateReport != "" {
		if err := writeGateReport(srv.Gate, c.gateReport); err != nil {
			fmt.Fprintf(stderr, "passfort-mock: -gate-report: %v\n", err)
			return 1
		}
		logger.Info("gate report written", "file", c.gateReport)
	}
	logger.Info("stopped")
	return 0
}

// writeGateReport writes the gate's record as indented JSON.
func writeGateReport(g *sdkgate.Gate, path string) error {
	b, err := json.MarshalIndent(g.Report(), "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
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

// Unwrap lets http.ResponseController reach the connection: the mock's
// drop, truncate and slow-body faults hijack or flush it.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

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

// orNone is a flag's value as mock.Options reads it: the flag's 0 (no limit,
// no delay) is the Options' negative, since their 0 means the default.
func orNone[T ~int | ~int64](v T) T {
	if v == 0 {
		return -1
	}
	return v
}
