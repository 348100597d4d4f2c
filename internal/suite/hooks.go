package suite

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/targets"
	"github.com/passfort-conformance/harness/steps"
)

type scenarioKey struct{}

// scenarioState is what the hooks of one scenario share.
type scenarioState struct {
	// worker is the concurrent slot the scenario holds until it ends.
	worker  int
	world   *steps.World
	session *targets.Session // nil when the scenario never reached the target
	rec     *recorder
	sc      *report.Scenario
	stepIdx map[string]int // godog step id → index in sc.Steps
	started time.Time
	// skip is why a step skipped the scenario (a product role the account
	// lacks); godog then ends the scenario without an error.
	skip error
	// cassetteName is the name the scenario's exchanges are recorded under.
	cassetteName, uri string
}

// initScenario returns godog's scenario initializer for one attempt of a
// set of scenarios, recorded into rec, each on a slot of slots, each
// counted by prog when it ends.
func (r *runner) initScenario(rec *recorder, attempt int, slots *workers, prog *progress) func(*godog.ScenarioContext) {
	return func(sc *godog.ScenarioContext) {
		steps.Register(sc)
		sc.Before(func(ctx context.Context, s *godog.Scenario) (context.Context, error) {
			return r.beforeScenario(ctx, s, rec, attempt, slots)
		})
		sc.StepContext().Before(r.beforeStep)
		sc.StepContext().After(r.afterStep)
		sc.After(func(ctx context.Context, s *godog.Scenario, err error) (context.Context, error) {
			ctx, err = r.afterScenario(ctx, s, err)
			if st, ok := ctx.Value(scenarioKey{}).(*scenarioState); ok {
				slots.release(st.worker)
				prog.tick(st.sc.Status)
			}
			return ctx, err
		})
	}
}

func (r *runner) beforeScenario(ctx context.Context, s *godog.Scenario, rec *recorder, attempt int, slots *workers) (context.Context, error) {
	texts := make([]string, len(s.Steps))
	idx := make(map[string]int, len(s.Steps))
	for i, st := range s.Steps {
		texts[i] = st.Text
		idx[st.Id] = i
	}
	rs := rec.start(s.Uri, s.Name, texts)
	rs.Worker = slots.take()
	st := &scenarioState{worker: rs.Worker, sc: rs, rec: rec, stepIdx: idx, started: time.Now(), cassetteName: cassetteName(rs, attempt), uri: s.Uri}
	ctx = context.WithValue(ctx, scenarioKey{}, st)
	if hasTag(rs.Tags, "@mock-only") && !r.target.Capabilities().MockOnly() {
		rs.Status, rs.Error = report.Skipped, "skipped: @mock-only needs the embedded mock or cmd/passfort-mock; the target is "+r.target.Name()
		return ctx, godog.ErrSkip
	}
	if reason := r.guard.RefuseScenario(rs.Tags); reason != "" {
		rs.Status, rs.Error = report.Skipped, reason
		return ctx, godog.ErrSkip
	}
	w := steps.NewWorld(r.env)
	session, err := r.connect(w, rs, s.Uri, attempt)
	if err != nil {
		return ctx, err
	}
	w.Attach(session.Client)
	st.world, st.session = w, session
	return steps.WithWorld(ctx, w), nil
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
	if r.cassette != nil {
		r.expected.note(s.cassetteName, s.uri, step)
	}
	step.Status = stepStatus(status)
	if err != nil && !errors.Is(err, godog.ErrSkip) {
		step.Error = err.Error()
		step.Usage = errors.Is(err, steps.ErrUsage)
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
	st, ok := ctx.Value(scenarioKey{}).(*scenarioState)
	if !ok {
		return ctx, nil
	}
	if err == nil && st.skip != nil {
		err = st.skip
	}
	if st.session != nil {
		defer st.session.End(st.world)
	}
	sc := st.sc
	sc.Started, sc.Duration, sc.Attempts = st.started, time.Since(st.started), 1
	// Skipped and failed scenarios are listed once, when the run ends
	// (report.WriteNotPassed).
	switch {
	case sc.Status == report.Skipped:
		// Skipped before its first step, with the reason already set.
	case err == nil:
		sc.Status = report.Passed
	case errors.Is(err, godog.ErrSkip):
		// A step skipped it, e.g. a product role the account lacks.
		sc.Status, sc.Error = report.Skipped, "skipped: "+oneline.Fold(err.Error())
	case errors.Is(err, godog.ErrUndefined), errors.Is(err, godog.ErrPending):
		sc.Status = report.Undefined
		sc.Error = oneline.Fold(err.Error())
	default:
		sc.Status = report.Failed
		sc.Error = oneline.First(err.Error())
	}
	for i := range sc.Steps {
		if sc.Steps[i].Status == "" {
			sc.Steps[i].Status = report.Skipped
		}
	}
	return ctx, nil
}

func hasTag(tags []string, tag string) bool { return slices.Contains(tags, tag) }

// workers hands out the concurrent slots scenarios run on, numbered from 1:
// a starting scenario takes the lowest free one and gives it back when it
// ends, so with concurrency n the numbers stay within 1..n and a timeline
// can draw one lane per slot.
type workers struct {
	mu   sync.Mutex
	busy []bool // busy[i]: slot i+1 is taken
}

// take returns the lowest free slot and marks it taken.
func (w *workers) take() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i, b := range w.busy {
		if !b {
			w.busy[i] = true
			return i + 1
		}
	}
	w.busy = append(w.busy, true)
	return len(w.busy)
}

// release frees slot n; 0 and unknown slots are ignored.
func (w *workers) release(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if n >= 1 && n <= len(w.busy) {
		w.busy[n-1] = false
	}
}
