// Package suite is the one definition of the conformance suite. harness_test.go
// (under go test) and cmd/conformance (a standalone binary) both call Run;
// neither holds logic of its own.
package suite

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockscope"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/steps"
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
	// Concurrency is how many scenarios run at once; 0 means 2×GOMAXPROCS.
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
	CoverageMin Thresholds
	// StrictDrift fails the run on any drift entry, accepted or not.
	StrictDrift bool
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
	Guard Guard
	// SpecPath is another OpenAPI file (PASSFORT_SPEC); "" means the embedded one.
	SpecPath string
	// CatalogPath maps product roles to a real account's products
	// (PASSFORT_CATALOG); "" means spec/products.yaml.
	CatalogPath string
}

// Target is where the suite sends its requests.
type Target struct {
	// Client configures every scenario's client. Client.BaseURL "" means the
	// embedded mock (one per scenario); Client.APIKey "" then means the
	// mock's key. Transport, Limiter, Meter, Allow and Observe are set by the run.
	Client target.Config
	// Mock configures the embedded mocks.
	Mock mockstack.Options
	// WrapMock, when set, wraps each embedded mock's handler: tests use it
	// to inject faults (a response that breaks the contract or the lifecycle).
	WrapMock func(http.Handler) http.Handler
	// RateLimit paces requests to PassFort's rate-limited operations:
	// "passfort" (the documented 10,000 an hour, GCRA with a burst), "off",
	// or "" for the default: on for every target but a loopback one (a
	// local mock only needs it when it enforces the limit itself).
	RateLimit string
	// Record, when set, is the cassette file the run's exchanges are
	// recorded to (redacted), for an offline re-check.
	Record string
}

// Result is what a run produced.
type Result struct {
	Run *report.Run
	// Failed reports whether any scenario failed or was undefined.
	Failed bool
	// Coverage is reports/coverage.json.
	Coverage *CoverageFile
	// Drift is the drift report (reports/drift.json).
	Drift *drift.Report
	// Verdict is the run's verdict by cause (see Verdict).
	Verdict Verdict
	// Reasons are one line per reason the run did not pass: failed
	// scenarios by class, each unmet coverage threshold, the drift gate's
	// lines, flaky scenarios under FailOnFlaky.
	Reasons []string
}

// InfrastructureError is a set-up failure of the target itself, before any
// scenario ran: it could not be reached, or answered the preflight with a
// server error.
type InfrastructureError struct{ Err error }

func (e *InfrastructureError) Error() string { return "infrastructure: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *InfrastructureError) Unwrap() error { return e.Err }

// Run runs the suite. A set-up problem (a spec, catalogue or feature file that
// does not load, a bad target) is returned as a one-line error before any
// scenario starts; a target that cannot be reached then is an
// *InfrastructureError.
func Run(cfg Config) (*Result, error) {
	cfg = withDefaults(cfg)
	defer cfg.Output.(*lockedWriter).Flush()
	b, err := prepare(cfg)
	if err != nil {
		return nil, err
	}
	env := b.env
	files, err := loadFeatures(cfg.Features, cfg.Paths, cfg.FeatureBase)
	if err != nil {
		return nil, err
	}
	if cfg.Name != nil {
		if files, err = selectScenarios(files, selection{name: cfg.Name}.keep); err != nil {
			return nil, err
		}
		if len(files) == 0 {
			return nil, fmt.Errorf("features: got no scenario whose name matches %q", cfg.Name)
		}
	}
	if files, err = selectScenarios(files, selection{shard: cfg.Shard}.keep); err != nil {
		return nil, err
	}
	guard, err := decideGuard(cfg.Target, cfg.Guard, env.Local)
	if err != nil {
		return nil, err
	}
	r := &runner{cfg: cfg, env: env, guard: guard, meter: &target.Meter{}}
	if cfg.Target.Client.BaseURL != "" {
		if cfg.Target.RateLimit == "passfort" || (cfg.Target.RateLimit == "" && !env.Local) {
			// One budget for the whole run: every scenario's client shares
			// it, and shards of one run against one account divide it.
			r.limiter = target.NewLimiter(max(cfg.Shard.Total, 1), target.PassFortLimits()...)
		}
		if err := r.preflight(); err != nil {
			return nil, err
		}
	}
	if r.env.Mock {
		// A mock target sends its webhooks to the harness (steps/webhooks.go).
		r.env.Webhooks = steps.NewInbox()
		defer r.env.Webhooks.Close()
	}
	if cfg.Target.Record != "" {
		r.cassette = target.NewRecorder(r.targetName(), env.RunID, func(method, path string) string {
			if op, ok := env.Validator.Operation(method, path); ok {
				return op.String()
			}
			return method + " " + path
		})
	}
	run := &report.Run{
		ID:       env.RunID,
		Suite:    "passfort-conformance",
		Started:  time.Now(),
		Target:   r.targetName(),
		Seed:     cfg.Seed,
		SpecHash: env.Validator.Hash(),
		Guard:    guard.String(),
	}
	shard := ""
	if s := cfg.Shard.String(); s != "" {
		shard = fmt.Sprintf(", shard %s (reproduce: SHARD=%s)", s, s)
	}
	fmt.Fprintf(cfg.Output, "passfort-conformance: target %s, seed %d (reproduce: SEED=%d)%s, spec %.12s\nguard: %s\n", run.Target, cfg.Seed, cfg.Seed, shard, run.SpecHash, run.Guard)
	t := cfg.TestingT
	if cfg.Retries > 0 {
		t = nil
	}
	feats, status := r.runGodog(files, t, 1)
	if status == 2 {
		return nil, errors.New("godog: the suite could not start (bad options)")
	}
	feats = r.retry(files, feats)
	run.Finished = time.Now()
	run.Features = feats
	redactRun(run, r.redactor())

	st := r.meter.Stats()
	run.Requests = st
	fmt.Fprintf(cfg.Output, "requests: %d exchanges, %d sent, %d retries, %d errors; waited %s (%s rate-limited)\n",
		st.Exchanges, st.Requests, st.Retries, st.Errors, st.Waited.Round(time.Millisecond), st.Throttled.Round(time.Millisecond))
	var limits []target.Limit
	if r.limiter != nil {
		limits = target.PassFortLimits()
	}
	fmt.Fprintln(cfg.Output, measureCriticalPath(run, limits, cfg.Shard.Total))
	if len(r.leftBehind) > 0 {
		fmt.Fprintf(cfg.Output, "left behind on the target (delete by hand; customer_ref %s): %s\n", env.RunID, strings.Join(r.leftBehind, ", "))
	}
	if r.cassette != nil {
		c := latestAttempts(r.cassette.Cassette())
		if err := target.WriteCassette(cfg.Target.Record, c); err != nil {
			return nil, fmt.Errorf("record: %w", err)
		}
		fmt.Fprintf(cfg.Output, "recorded %d exchanges to %s\n", len(c.Exchanges), cfg.Target.Record)
	}
	return finish(cfg, b, run)
}

func withDefaults(cfg Config) Config {
	if cfg.Output == nil {
		cfg.Output = os.Stdout
	}
	// godog's formatter and the failure prints write from many goroutines.
	// They also print step texts, which may spell a key out: redact it.
	cfg.Output = &lockedWriter{w: cfg.Output, red: runRedactor(cfg)}
	if cfg.Features == nil {
		cfg.Features = os.DirFS(".")
	}
	if len(cfg.Paths) == 0 {
		cfg.Paths = []string{"features"}
	}
	if cfg.Concurrency <= 0 {
		// The embedded mock is CPU-bound; a remote target is I/O-bound, and
		// its slow answers are waited for in parallel.
		cfg.Concurrency = 2 * runtime.GOMAXPROCS(0)
		if cfg.Target.Client.BaseURL != "" {
			cfg.Concurrency = 32
		}
	}
	if cfg.Seed == 0 {
		cfg.Seed = newSeed()
	}
	return cfg
}

// runGodog runs the scenarios of files with godog and returns their
// records in file order, and godog's status (2: bad options).
func (r *runner) runGodog(files []featureFile, t *testing.T, attempt int) ([]report.Feature, int) {
	if len(files) == 0 {
		return nil, 0
	}
	rec := newRecorder(files)
	contents := make([]godog.Feature, len(files))
	for i, f := range files {
		contents[i] = godog.Feature{Name: f.URI, Contents: f.Contents}
	}
	opts := godog.Options{
		Format:          "progress",
		Output:          r.cfg.Output,
		Tags:            r.cfg.Tags,
		Concurrency:     r.cfg.Concurrency,
		Randomize:       r.cfg.Seed,
		Strict:          true,
		NoColors:        true,
		TestingT:        t,
		FeatureContents: contents,
		// Paths must not default to ./features: the contents above are the suite.
		Paths: []string{},
	}
	status := godog.TestSuite{
		Name:                "passfort-conformance",
		ScenarioInitializer: r.initScenario(rec, attempt),
		Options:             &opts,
	}.Run()
	return rec.features(), status
}

// retry runs again, up to the retry budget, the scenarios that failed only
// on infrastructure findings. One that passes is flaky: its record is the
// passing attempt's, with the number of attempts and the first error.
func (r *runner) retry(files []featureFile, feats []report.Feature) []report.Feature {
	firstErr := map[string]string{}
	for attempt := 2; attempt <= r.cfg.Retries+1; attempt++ {
		ids := map[string]bool{}
		for fi := range feats {
			for si := range feats[fi].Scenarios {
				sc := &feats[fi].Scenarios[si]
				if sc.FailureClass() != report.FailInfrastructure {
					continue
				}
				ids[sc.ID] = true
				if _, ok := firstErr[sc.ID]; !ok {
					firstErr[sc.ID] = oneLine(sc.FailedStepError())
				}
			}
		}
		if len(ids) == 0 {
			break
		}
		sel, err := selectScenarios(files, func(uri string, p pickle) bool { return ids[fmt.Sprintf("%s:%d", uri, p.Line)] })
		if err != nil {
			fmt.Fprintf(r.cfg.Output, "retry: %v\n", err)
			break
		}
		fmt.Fprintf(r.cfg.Output, "\nretry %d of %d: %d scenario(s) failed only on infrastructure findings\n", attempt-1, r.cfg.Retries, len(ids))
		again, _ := r.runGodog(sel, nil, attempt)
		byID := map[string]report.Scenario{}
		for _, f := range again {
			for _, sc := range f.Scenarios {
				byID[sc.ID] = sc
			}
		}
		for fi := range feats {
			for si := range feats[fi].Scenarios {
				old := &feats[fi].Scenarios[si]
				sc, ok := byID[old.ID]
				if !ok || !ids[old.ID] {
					continue
				}
				sc.Attempts = attempt
				if sc.Status == report.Passed {
					sc.Status = report.Flaky
					sc.Error = fmt.Sprintf("flaky: passed on attempt %d of %d; attempt 1 failed: %s", attempt, r.cfg.Retries+1, firstErr[old.ID])
				}
				*old = sc
			}
		}
	}
	return feats
}

// attemptSuffix marks the cassette entries of a retried scenario's later attempts.
const attemptSuffix = " [attempt "

// latestAttempts keeps, of a retried scenario, only the exchanges of its
// last attempt, so a re-check of the cassette judges what the run reported.
func latestAttempts(c *target.Cassette) *target.Cassette {
	base := func(name string) (string, int) {
		if i := strings.LastIndex(name, attemptSuffix); i >= 0 && strings.HasSuffix(name, "]") {
			if n, err := strconv.Atoi(name[i+len(attemptSuffix) : len(name)-1]); err == nil {
				return name[:i], n
			}
		}
		return name, 1
	}
	last := map[string]int{}
	for _, e := range c.Exchanges {
		b, n := base(e.Scenario)
		last[e.Feature+"\x00"+b] = max(last[e.Feature+"\x00"+b], n)
	}
	out := c.Exchanges[:0]
	for _, e := range c.Exchanges {
		b, n := base(e.Scenario)
		if n == last[e.Feature+"\x00"+b] {
			e.Scenario = b
			out = append(out, e)
		}
	}
	c.Exchanges = out
	return c
}

// lockedWriter serialises writes to the console.
type lockedWriter struct {
	mu   sync.Mutex
	w    io.Writer
	red  target.Redactor
	line []byte // the unfinished line
}

// Write redacts whole lines: godog writes a step's text in pieces (its
// arguments apart), so a secret can only be recognised in the whole line.
// The unfinished rest waits for its newline or for Flush.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.line = append(l.line, p...)
	if i := bytes.LastIndexByte(l.line, '\n'); i >= 0 {
		if _, err := l.w.Write(l.red.Bytes(l.line[:i+1])); err != nil {
			return 0, err
		}
		l.line = append(l.line[:0], l.line[i+1:]...)
	}
	return len(p), nil
}

// Flush writes the unfinished line.
func (l *lockedWriter) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.line) > 0 {
		_, _ = l.w.Write(l.red.Bytes(l.line))
		l.line = l.line[:0]
	}
}

func newSeed() int64 {
	n, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return time.Now().UnixNano()
	}
	return n.Int64() + 1
}

func newRunID() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "run-" + time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(b)
}

// basis is what a run, a merge and a re-check share: the contract, the
// lifecycle model, the catalogues and the drift settings.
type basis struct {
	env       *steps.Env
	baseline  *drift.Baseline
	driftOpts []drift.Option
}

// prepare loads the basis of a run; every error is a usage error.
func prepare(cfg Config) (*basis, error) {
	if cfg.Retries < 0 {
		return nil, fmt.Errorf("-retries: got %d, want 0 or more", cfg.Retries)
	}
	var spec []byte // the -spec file, read once for the contract, the variants and drift
	if cfg.SpecPath != "" {
		var err error
		if spec, err = os.ReadFile(cfg.SpecPath); err != nil {
			return nil, fmt.Errorf("spec: %w", err)
		}
	}
	env, err := newEnv(cfg, spec)
	if err != nil {
		return nil, err
	}
	b := &basis{env: env}
	if spec != nil {
		enums, err := drift.LoadEnums(spec)
		if err != nil {
			return nil, err
		}
		b.driftOpts = append(b.driftOpts, drift.WithEnums(enums))
	}
	if cfg.DriftBaseline != "" {
		if b.baseline, err = drift.LoadBaseline(cfg.DriftBaseline); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// newEnv loads what every scenario shares: the contract (spec, the -spec
// file's bytes, or the embedded one when nil), the lifecycle model and the
// catalogues.
func newEnv(cfg Config, spec []byte) (*steps.Env, error) {
	var v *contract.Validator
	var err error
	if spec != nil {
		if v, err = contract.New(spec, contract.Options{Lenient: true}); err != nil {
			err = fmt.Errorf("%s: %w", cfg.SpecPath, err)
		}
	} else {
		v, err = contract.Default()
	}
	if err != nil {
		return nil, err
	}
	model, err := lifecycle.Default()
	if err != nil {
		return nil, err
	}
	mockCatalog, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	cat := mockCatalog
	if cfg.CatalogPath != "" {
		if cat, err = catalog.LoadFile(cfg.CatalogPath); err != nil {
			return nil, err
		}
	}
	return &steps.Env{
		Validator:   v,
		Model:       model,
		Catalog:     cat,
		MockCatalog: mockCatalog,
		Local:       cfg.Target.Client.BaseURL == "" || isLoopback(cfg.Target.Client.BaseURL),
		Mock:        cfg.Target.Client.BaseURL == "",
		RunID:       newRunID(),
		Spec:        spec,
	}, nil
}

// runner holds one run's shared, read-only state.
type runner struct {
	cfg      Config
	env      *steps.Env
	guard    guardDecision
	meter    *target.Meter
	limiter  *target.Limiter  // nil for the embedded mock
	cassette *target.Recorder // nil unless recording

	leftMu     sync.Mutex
	leftBehind []string // profiles the run created and could not delete
}

func (r *runner) targetName() string {
	if r.cfg.Target.Client.BaseURL == "" {
		return "embedded mock"
	}
	return displayURL(r.cfg.Target.Client.BaseURL)
}

// displayURL is the base URL as printed: a password in it is redacted.
func displayURL(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return "(an unparsable base URL)"
	}
	return u.Redacted()
}

// urlSecrets are the secrets a base URL carries: its password.
func urlSecrets(base string) []string {
	u, err := url.Parse(base)
	if err != nil || u.User == nil {
		return nil
	}
	if pw, ok := u.User.Password(); ok {
		return []string{pw}
	}
	return nil
}

type scenarioKey struct{}

// scenarioState is what the hooks of one scenario share.
type scenarioState struct {
	world   *steps.World
	rec     *recorder
	sc      *report.Scenario
	stepIdx map[string]int // godog step id → index in sc.Steps
	started time.Time
	close   func()
	// skip is why a step skipped the scenario (a product role the account
	// lacks); godog then ends the scenario without an error.
	skip error
}

// initScenario returns godog's scenario initializer for one attempt of a
// set of scenarios, recorded into rec.
func (r *runner) initScenario(rec *recorder, attempt int) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		steps.Register(sc)
		sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
			return r.beforeScenario(ctx, s, rec, attempt)
		})
		sc.StepContext().Before(r.beforeStep)
		sc.StepContext().After(r.afterStep)
		sc.After(r.afterScenario)
	}
}

func (r *runner) beforeScenario(ctx context.Context, s *godog.Scenario, rec *recorder, attempt int) (context.Context, error) {
	texts := make([]string, len(s.Steps))
	idx := make(map[string]int, len(s.Steps))
	for i, st := range s.Steps {
		texts[i] = st.Text
		idx[st.Id] = i
	}
	rs := rec.start(s.Uri, s.Name, texts)
	st := &scenarioState{sc: rs, rec: rec, stepIdx: idx, started: time.Now()}
	ctx = context.WithValue(ctx, scenarioKey{}, st)
	if hasTag(rs.Tags, "@mock-only") && !r.env.Mock {
		rs.Status, rs.Error = report.Skipped, "skipped: @mock-only needs the embedded mock or cmd/passfort-mock; the target is "+r.targetName()
		return ctx, godog.ErrSkip
	}
	if reason := r.guard.refuseScenario(rs.Tags); reason != "" {
		rs.Status, rs.Error = report.Skipped, reason
		return ctx, godog.ErrSkip
	}
	w := steps.NewWorld(r.env)
	client, closeFn, err := r.newClient(w, rs, s.Uri, attempt)
	if err != nil {
		return ctx, err
	}
	w.Attach(client)
	st.world, st.close = w, closeFn
	return steps.WithWorld(ctx, w), nil
}

// newClient builds the scenario's client: for the embedded mock, a fresh
// mock served in-process, so scenarios never share state.
func (r *runner) newClient(w *steps.World, sc *report.Scenario, uri string, attempt int) (*target.Client, func(), error) {
	t := r.cfg.Target
	cfg := t.Client
	cfg.Observe, cfg.Allow, cfg.Meter, cfg.Limiter = w.Observe, allowMutations(hasTag(sc.Tags, "@mutating")), r.meter, r.limiter
	if r.cassette != nil {
		// The line tells the rows of an outline apart.
		name := fmt.Sprintf("%s (line %d)", sc.Name, sc.Line)
		if attempt > 1 {
			name += fmt.Sprintf("%s%d]", attemptSuffix, attempt)
		}
		cfg.Observe = func(ex *exchange.Exchange) {
			w.Observe(ex)
			r.cassette.Add(name, uri, sc.Line, ex)
		}
	}
	var c *target.Client
	closeFn := func() { r.cleanUp(c, w) }
	if cfg.BaseURL != "" && r.env.Mock {
		// A standalone mock shared by concurrent scenarios: each sets and
		// sees only the faults of its own scope.
		cfg.Header = http.Header{mockscope.Header: {fmt.Sprintf("%s/%s/%d", r.env.RunID, sc.ID, attempt)}}
	}
	if cfg.BaseURL == "" {
		opts := t.Mock
		opts.Validator, opts.Model = r.env.Validator, r.env.Model
		if opts.Catalog == nil {
			opts.Catalog = r.env.MockCatalog
		}
		srv, err := mockstack.New(opts)
		if err != nil {
			return nil, nil, fmt.Errorf("embedded mock: %w", err)
		}
		closeFn = srv.Close // the scenario's mock is thrown away whole
		var h http.Handler = srv
		if t.WrapMock != nil {
			h = t.WrapMock(h)
		}
		cfg.BaseURL = "http://embedded.mock/4.0"
		cfg.Transport = target.InProcess(h)
		if cfg.APIKey == "" {
			cfg.APIKey = mock.DefaultAPIKey
			if opts.APIKey != "" {
				cfg.APIKey = opts.APIKey
			}
		}
	}
	c, err := target.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	return c, closeFn, nil
}

// cleanUp deletes the profiles a scenario created on a real target (the
// embedded mock is thrown away whole), and remembers what it could not; on
// a standalone mock it also removes the scenario's faults.
func (r *runner) cleanUp(c *target.Client, w *steps.World) {
	if r.cfg.Target.Client.BaseURL == "" || c == nil {
		return
	}
	if r.env.Mock {
		// A failure leaves faults or a webhook only in this scenario's scope.
		_ = w.ClearFaults(context.Background())
		_ = w.ClearWebhooks(context.Background())
	}
	for _, id := range w.CreatedProfiles() {
		body := []byte(fmt.Sprintf(`{"confirm_id": %q, "message": "conformance run %s"}`, id, r.env.RunID))
		ex, err := c.Do(context.Background(), target.Request{Method: "POST", Path: "/profiles/" + id + "/delete", Body: body})
		if err != nil || ex.Status != 200 {
			r.leftMu.Lock()
			r.leftBehind = append(r.leftBehind, id)
			r.leftMu.Unlock()
		}
	}
}

// preflight checks the key against a real target with GET /whoami and
// prints the institution before any scenario runs.
func (r *runner) preflight() error {
	cfg := r.cfg.Target.Client
	cfg.Meter, cfg.Allow = r.meter, allowMutations(false)
	c, err := target.New(cfg)
	if err != nil {
		return err
	}
	ex, err := c.Do(context.Background(), target.Request{Method: "GET", Path: "/whoami"})
	if err != nil {
		return &InfrastructureError{Err: fmt.Errorf("preflight GET /whoami: %w", err)}
	}
	if ex.Status >= 500 {
		return &InfrastructureError{Err: fmt.Errorf("preflight GET /whoami: got %d, want 200: %s", ex.Status, clip(string(ex.ResponseBody), 200))}
	}
	if ex.Status != 200 {
		return fmt.Errorf("preflight GET /whoami: got %d, want 200 (check PASSFORT_API_KEY): %s", ex.Status, clip(string(ex.ResponseBody), 200))
	}
	var who struct {
		Institution struct{ ID, Name string } `json:"institution"`
	}
	_ = json.Unmarshal(ex.ResponseBody, &who)
	fmt.Fprintf(r.cfg.Output, "preflight: the API key belongs to %q (%s)\n", who.Institution.Name, who.Institution.ID)
	if r.env.Local && isMock(c) {
		r.env.Mock = true
		fmt.Fprintf(r.cfg.Output, "preflight: the target is a cmd/passfort-mock: @mock-only scenarios run, each with faults of its own (%s)\n", mockscope.Header)
	}
	return nil
}

// isMock reports whether a loopback target serves the mock's admin
// endpoints, the way cmd/passfort-mock does.
func isMock(c *target.Client) bool {
	ex, err := c.Do(context.Background(), target.Request{Method: "GET", Path: "/__mock/faults", Root: true, NoRetry: true})
	return err == nil && ex.Status == 200 && gjson.GetBytes(ex.ResponseBody, "faults").IsArray()
}

func (r *runner) beforeStep(ctx context.Context, st *godog.Step) (context.Context, error) {
	if w := steps.WorldFrom(ctx); w != nil {
		w.BeginStep()
	}
	if s, ok := ctx.Value(scenarioKey{}).(*scenarioState); ok {
		if i, ok := s.stepIdx[st.Id]; ok {
			s.sc.Steps[i].Duration = -time.Duration(time.Now().UnixNano())
		}
	}
	return ctx, nil
}

func (r *runner) afterStep(ctx context.Context, st *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
	s, ok := ctx.Value(scenarioKey{}).(*scenarioState)
	if !ok {
		return ctx, nil
	}
	if errors.Is(err, godog.ErrSkip) && s.skip == nil {
		s.skip = err
	}
	var rec steps.StepRecord
	if w := steps.WorldFrom(ctx); w != nil {
		rec = w.EndStep()
	}
	failing := steps.FailingFindings(rec.Findings)
	i, ok := s.stepIdx[st.Id]
	if !ok {
		return ctx, failing
	}
	step := &s.sc.Steps[i]
	if step.Duration < 0 {
		step.Duration += time.Duration(time.Now().UnixNano())
	}
	step.Exchanges, step.Findings = rec.Exchanges, rec.Findings
	step.Status = stepStatus(status)
	if err != nil && !errors.Is(err, godog.ErrSkip) {
		step.Error = err.Error()
	}
	if failing != nil {
		step.Status = report.Failed
		step.Error = strings.TrimSpace(step.Error + "\n" + failing.Error())
	}
	return ctx, failing
}

func stepStatus(s godog.StepResultStatus) report.Status {
	switch s {
	case godog.StepPassed:
		return report.Passed
	case godog.StepFailed:
		return report.Failed
	case godog.StepSkipped:
		return report.Skipped
	case godog.StepPending:
		return report.Pending
	case godog.StepAmbiguous:
		return report.Ambiguous
	default:
		return report.Undefined
	}
}

func (r *runner) afterScenario(ctx context.Context, s *godog.Scenario, err error) (context.Context, error) {
	if st, ok := ctx.Value(scenarioKey{}).(*scenarioState); ok && err == nil && st.skip != nil {
		err = st.skip
	}
	st, ok := ctx.Value(scenarioKey{}).(*scenarioState)
	if !ok {
		return ctx, nil
	}
	if st.close != nil {
		defer st.close()
	}
	sc := st.sc
	sc.Started, sc.Duration, sc.Attempts = st.started, time.Since(st.started), 1
	switch {
	case sc.Status == report.Skipped:
		// Skipped before its first step, with the reason already set.
		st.rec.print(r.cfg.Output, fmt.Sprintf("--- SKIP: %s (%s:%d): %s\n", sc.Name, st.rec.uriOf(sc), sc.Line, sc.Error))
	case err == nil:
		sc.Status = report.Passed
	case errors.Is(err, godog.ErrSkip):
		// A step skipped it, e.g. a product role the account lacks.
		sc.Status, sc.Error = report.Skipped, "skipped: "+oneLine(err.Error())
		st.rec.print(r.cfg.Output, fmt.Sprintf("--- SKIP: %s (%s:%d): %s\n", sc.Name, st.rec.uriOf(sc), sc.Line, sc.Error))
	case errors.Is(err, godog.ErrUndefined), errors.Is(err, godog.ErrPending):
		sc.Status = report.Undefined
		sc.Error = oneLine(err.Error())
	default:
		sc.Status = report.Failed
		sc.Error = firstLine(err.Error())
	}
	for i := range sc.Steps {
		if sc.Steps[i].Status == "" {
			sc.Steps[i].Status = report.Skipped
		}
	}
	if st.world != nil && sc.Status == report.Failed {
		r.printFailure(st.rec, sc, st.world)
	}
	return ctx, nil
}

// printFailure writes a failed scenario's reason and its last exchange
// (redacted) to the console, so nobody has to open a report to see why.
func (r *runner) printFailure(rec *recorder, sc *report.Scenario, w *steps.World) {
	var b strings.Builder
	fmt.Fprintf(&b, "\n--- FAIL: %s (%s:%d)\n", sc.Name, rec.uriOf(sc), sc.Line)
	for _, st := range sc.Steps {
		if st.Status == report.Failed {
			fmt.Fprintf(&b, "    step %q (line %d):\n      %s\n", st.Text, st.Line, strings.ReplaceAll(st.Error, "\n", "\n      "))
		}
	}
	if ex := w.Last(); ex != nil {
		fmt.Fprintf(&b, "    last exchange: %s %s -> %d (%s)\n", ex.Method, ex.URL, ex.Status, ex.Duration.Round(time.Microsecond))
		if len(ex.RequestBody) > 0 {
			fmt.Fprintf(&b, "      request:  %s\n", clip(string(ex.RequestBody), 2000))
		}
		if ex.Err != "" {
			fmt.Fprintf(&b, "      error:    %s\n", ex.Err)
		} else {
			fmt.Fprintf(&b, "      response: %s\n", clip(string(ex.ResponseBody), 2000))
		}
	}
	rec.print(r.cfg.Output, b.String())
}

func clip(s string, n int) string {
	s = oneLine(s)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func hasTag(tags []string, tag string) bool {
	for _, t := range tags {
		if t == tag {
			return true
		}
	}
	return false
}

func isLoopback(base string) bool {
	req, err := http.NewRequest("GET", base, nil)
	if err != nil {
		return false
	}
	h := req.URL.Hostname()
	if h == "localhost" {
		return true
	}
	// By address, not by prefix: 127.0.0.1.nip.io is a public name.
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}
