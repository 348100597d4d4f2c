package suite

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/cucumber/godog"

	"github.com/passfort-conformance/harness/internal/boundedfile"
	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/consistency"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/mask"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/targets"
	"github.com/passfort-conformance/harness/steps"
)

// Run runs the suite. A set-up problem (a spec, catalogue or feature file that
// does not load, a bad target) is returned as a one-line error before any
// scenario starts; a target that cannot be reached then is a
// *targets.InfrastructureError.
func Run(cfg Config) (*Result, error) {
	cfg = withDefaults(cfg)
	if err := checkTags(cfg.Tags); err != nil {
		return nil, err
	}
	// The features are read once, for the redactor's keys and for godog; a
	// feature that does not load is reported after the basis's own errors.
	files, loadErr := loadFeatures(cfg.Features, cfg.Paths, cfg.FeatureBase)
	b, err := prepareWith(cfg, featureKeys(files))
	if err != nil {
		return nil, err
	}
	// godog's formatter and the failure prints write from many goroutines.
	// They also print step texts, which may spell a key out: redact it.
	out := &lockedWriter{w: cfg.Output, red: b.red}
	cfg.Output = out
	defer out.Flush()
	env := b.env
	if loadErr != nil {
		return nil, loadErr
	}
	if files, err = redactNames(files, b.red); err != nil {
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
	r := &runner{cfg: cfg, env: env, meter: &target.Meter{}, red: b.red}
	if err := r.openTarget(); err != nil {
		return nil, err
	}
	if r.env.Webhooks != nil {
		defer r.env.Webhooks.Close()
	}
	run := &report.Run{
		ID:        env.RunID,
		Suite:     "passfort-conformance",
		Started:   time.Now(),
		Target:    r.target.Name(),
		Seed:      r.cfg.Seed,
		SpecHash:  env.Validator.Hash(),
		Guard:     r.guard.String(),
		Selection: &report.Selection{Tags: cfg.Tags},
		// Every option in effect, defaults included: a reader of run.json
		// need not know the model's defaults (decision D98).
		ModelOptions: modelOptionsInEffect(env.Model),
		Build:        copyBuild(cfg.Build),
	}
	if cfg.Shard.Total > 0 {
		run.Selection.Shard = fmt.Sprintf("%d/%d", cfg.Shard.Index, cfg.Shard.Total)
	}
	if cfg.Name != nil {
		run.Selection.Name = cfg.Name.String()
	}
	printHeader(r.cfg.Output, run, r.cfg.Shard, describeSettings(env.Model, env.TimeScale))
	t := r.cfg.TestingT
	if r.cfg.Retries > 0 {
		t = nil
	}
	feats, status := r.runGodog(files, t, 1)
	if status == 2 {
		return nil, errors.New("godog: the suite could not start (bad options)")
	}
	if len(feats) == 0 {
		// A typo in a tag must not pass as a green run of nothing
		// (decision D75, docs/decisions.md).
		return nil, noScenarioRun(r.cfg)
	}
	feats = r.retry(files, feats)
	run.Finished = time.Now()
	run.Features = feats
	redactRun(run, r.red)
	if r.mask = newMasker(cfg.Target.MaskPII, r.guard.Local()); r.mask != nil {
		learnRun(r.mask, run)
		b.mask = r.mask
		fmt.Fprintln(r.cfg.Output, "personal data: masked in the reports and the cassette (PASSFORT_MASK_PII=0 keeps it)")
	}

	run.Requests = r.meter.Stats()
	printRequests(r.cfg.Output, run.Requests)
	fmt.Fprintln(r.cfg.Output, measureCriticalPath(run, r.target.RateLimits(), r.cfg.Shard.Total))
	printLeftBehind(r.cfg.Output, r.target.LeftBehind(), env.RunID)
	if err := r.writeCassette(); err != nil {
		return nil, err
	}
	return finish(r.cfg, b, run)
}

// describeSelection names what selected a run's scenarios, for the error
// when nothing was selected: the tags, name and shard given, "" for none.
func describeSelection(cfg Config) string {
	var parts []string
	if cfg.Tags != "" {
		parts = append(parts, fmt.Sprintf("tags %q", cfg.Tags))
	}
	if cfg.Name != nil {
		parts = append(parts, fmt.Sprintf("name %q", cfg.Name))
	}
	if v := cfg.Shard.String(); v != "" {
		parts = append(parts, "shard "+v)
	}
	return strings.Join(parts, ", ")
}

// noScenarioRun is the error of a run whose selection left no scenario.
func noScenarioRun(cfg Config) error {
	if by := describeSelection(cfg); by != "" {
		return fmt.Errorf("features: got no scenario selected by %s, want at least one", by)
	}
	return errors.New("features: got no scenario to run, want at least one")
}

func withDefaults(cfg Config) Config {
	if cfg.Output == nil {
		cfg.Output = os.Stdout
	}
	if cfg.Features == nil {
		cfg.Features = os.DirFS(".")
	}
	if len(cfg.Paths) == 0 {
		cfg.Paths = []string{"features"}
	}
	if cfg.Seed == 0 {
		cfg.Seed = newSeed()
	}
	return cfg
}

// runner holds one run's shared, read-only state.
type runner struct {
	cfg      Config
	env      *steps.Env
	target   targets.Target
	guard    targets.GuardDecision
	meter    *target.Meter
	cassette *target.Recorder // nil unless recording
	red      target.Redactor  // the run's secrets (basis.red)
	mask     *mask.Masker     // nil unless personal data is masked
	expected expectations     // the recorded exchanges with expected findings
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
	prog := newProgress(r.cfg.Output, time.Now())
	defer prog.done()
	opts := godog.Options{
		// godog's own output (a character per step, then every failed
		// step again) is not shown: the hooks print a line of progress per
		// 50 scenarios and finish prints each failure once (decision D106,
		// docs/decisions.md). godog reports a feature it cannot parse on
		// stderr, not here.
		Format:          "progress",
		Output:          io.Discard,
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
		ScenarioInitializer: r.initScenario(rec, attempt, &workers{}, prog),
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
					firstErr[sc.ID] = oneline.Fold(sc.FailedStepError())
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
	// mask, when not nil, masks personal data in what the run writes out.
	mask *mask.Masker
	// previous is the run to compare with (Config.Previous), nil for none;
	// it holds only what report.Compare reads (ReadPrevious).
	previous *report.Run
	// red redacts the run's secrets (runRedactor) in everything it prints
	// and writes; built once.
	red target.Redactor
}

// prepare loads the basis of a merge or a re-check; every error is a usage
// error.
func prepare(cfg Config) (*basis, error) { return prepareWith(cfg, configFeatureKeys(cfg)) }

// prepareWith loads the basis of a run whose features send keys, the other
// keys its redactor hides (featureKeys); every error is a usage error.
func prepareWith(cfg Config, keys []string) (*basis, error) {
	if cfg.Retries < 0 {
		return nil, fmt.Errorf("-retries: got %d, want 0 or more", cfg.Retries)
	}
	if cfg.Concurrency < 0 {
		return nil, fmt.Errorf("-concurrency: got %d, want 0 (the target's own) or more", cfg.Concurrency)
	}
	var spec []byte // the -spec file, read and parsed once for the contract, the variants and drift
	if cfg.SpecPath != "" {
		var err error
		if spec, err = boundedfile.Read(cfg.SpecPath, boundedfile.SpecLimit); err != nil {
			return nil, fmt.Errorf("spec: %w", err)
		}
	}
	env, err := newEnv(cfg, spec)
	if err != nil {
		return nil, err
	}
	b := &basis{env: env, red: runRedactor(cfg, keys)}
	if spec != nil {
		// The -spec file's enums, from the document the validator parsed.
		b.driftOpts = append(b.driftOpts, drift.WithEnums(env.Validator.Document().Enums()))
	}
	if cfg.DriftBaseline != "" {
		if b.baseline, err = drift.LoadBaseline(cfg.DriftBaseline); err != nil {
			return nil, err
		}
	}
	if cfg.Previous != "" {
		if b.previous, err = ReadPrevious(cfg.Previous); err != nil {
			return nil, fmt.Errorf("-previous: %w", err)
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
		if v, err = contract.New(spec, contract.Options{Lenient: true, StrictEnums: cfg.StrictEnums}); err != nil {
			err = fmt.Errorf("%s: %w", cfg.SpecPath, err)
		}
	} else {
		v, err = contract.DefaultWith(contract.Options{StrictEnums: cfg.StrictEnums})
	}
	if err != nil {
		return nil, err
	}
	model, err := lifecycle.Default()
	if err != nil {
		return nil, err
	}
	consist, err := consistency.Default()
	if err != nil {
		return nil, err
	}
	mockCatalog, err := catalog.Default()
	if err != nil {
		return nil, err
	}
	cat, catalogName := mockCatalog, "spec/products.yaml"
	if cfg.CatalogPath != "" {
		if cat, err = catalog.LoadFile(cfg.CatalogPath); err != nil {
			return nil, err
		}
		catalogName = cfg.CatalogPath
	}
	if model, err = applyModelOptions(model, cat, catalogName, cfg.Target.ModelOptions); err != nil {
		return nil, err
	}
	scale, err := resolveTimeScale(cfg.Target.TimeScale, cat)
	if err != nil {
		return nil, err
	}
	return &steps.Env{
		Validator:   v,
		Model:       model,
		Consistency: consist,
		Catalog:     cat,
		MockCatalog: mockCatalog,
		RunID:       newRunID(),
		Spec:        spec,
		TimeScale:   scale,
	}, nil
}
