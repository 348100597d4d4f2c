package suite

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/mockadmin"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/targets"
	"github.com/passfort-conformance/harness/steps"
)

// The steps' World is what a scenario leaves on the target.
var _ targets.Leftovers = (*steps.World)(nil)

// openTarget builds the run's target, takes the production guard's
// decision and runs the target's preflight, in that order: nothing is sent
// before the guard has decided. It then sets what depends on the target:
// the default concurrency, the webhook inbox of a mock, the recorder.
func (r *runner) openTarget() error {
	env := r.env
	t := targets.New(r.cfg.Target.Settings, targets.Shared{
		RunID: env.RunID, Validator: env.Validator, Model: env.Model, MockCatalog: env.MockCatalog,
		Meter: r.meter, Shards: r.cfg.Shard.Total,
	})
	guard, err := t.Guard(r.cfg.Guard)
	if err != nil {
		return err
	}
	if t, err = t.Preflight(context.Background(), r.cfg.Output); err != nil {
		return err
	}
	r.target, r.guard = t, guard
	// A target nothing set a time scale for gets its kind's: 1 on a mock
	// the harness controls, longer on an account (decision D99).
	env.TimeScale = defaultTimeScale(env.TimeScale, t.Capabilities().MockOnly())
	if r.cfg.Target.Client.BaseURL != "" && t.Capabilities().MockOnly() {
		// A standalone mock follows its own flags, and reports none.
		if line := standaloneOptionsNote(env.Model); line != "" {
			fmt.Fprintln(r.cfg.Output, line)
		}
	}
	if r.cfg.Concurrency <= 0 {
		r.cfg.Concurrency = t.Concurrency()
	}
	if t.Capabilities().Webhooks {
		// A mock target sends its webhooks to the harness (steps/webhooks.go).
		env.Webhooks = steps.NewInbox()
	}
	if r.cfg.Target.Record != "" {
		r.cassette = target.NewRecorder(t.Name(), env.RunID, func(method, path string) string {
			if op, ok := env.Validator.Operation(method, path); ok {
				return op.String()
			}
			return method + " " + path
		}).Redacting(r.red)
	}
	return nil
}

// connect opens a scenario's session on the target: its client checks
// every exchange in the world w, records it to the cassette when the run
// records, and refuses writes unless the scenario is tagged @mutating.
func (r *runner) connect(w *steps.World, sc *report.Scenario, uri string, attempt int) (*targets.Session, error) {
	observe := w.Observe
	if r.cassette != nil {
		name := cassetteName(sc, attempt)
		observe = func(ex *exchange.Exchange) {
			w.Observe(ex)
			// The mock's control calls (faults, clock) are the harness
			// talking to its mock, not exchanges with the API: a re-check
			// has nothing to judge in them (decision D77).
			if !strings.HasPrefix(ex.Path, mockadmin.Prefix) {
				r.cassette.Add(name, uri, sc.Line, ex)
			}
		}
	}
	scope := fmt.Sprintf("%s/%d", sc.ID, attempt)
	return r.target.Connect(scope, observe, targets.AllowMutations(hasTag(sc.Tags, "@mutating")))
}

// ExpectedHeader is the pseudo request header a cassette carries on an
// exchange whose findings the scenario provoked on purpose: the finding
// classes it expected, comma-separated. It was never sent; Recheck marks
// the findings of those classes expected again, so a passing run re-checks
// to a pass (decision D77, docs/decisions.md).
const ExpectedHeader = "X-Harness-Expected-Findings"

// expectations remembers, while a run records, which exchanges had
// expected findings, to mark them in the cassette it writes.
type expectations struct {
	mu sync.Mutex
	m  map[string]string // exchangeKey → expected classes, comma-separated
}

func exchangeKey(scenario, feature string, ex *exchange.Exchange) string {
	return fmt.Sprintf("%s\x00%s\x00%s %s\x00%d", feature, scenario, ex.Method, ex.Path, ex.Started.UnixNano())
}

// note records the classes of st's expected findings against each of its
// exchanges.
func (e *expectations) note(scenario, feature string, st *report.Step) {
	var classes []string
	for _, f := range st.Findings {
		if f.Expected && !slices.Contains(classes, string(f.Class)) {
			classes = append(classes, string(f.Class))
		}
	}
	if len(classes) == 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.m == nil {
		e.m = map[string]string{}
	}
	for i := range st.Exchanges {
		e.m[exchangeKey(scenario, feature, &st.Exchanges[i])] = strings.Join(classes, ",")
	}
}

// mark sets ExpectedHeader on the cassette's exchanges that had expected
// findings.
func (e *expectations) mark(c *target.Cassette) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := range c.Exchanges {
		en := &c.Exchanges[i]
		if classes, ok := e.m[exchangeKey(en.Scenario, en.Feature, &en.Exchange)]; ok {
			if en.RequestHeader == nil {
				en.RequestHeader = http.Header{}
			}
			en.RequestHeader.Set(ExpectedHeader, classes)
		}
	}
}

// attemptSuffix marks the cassette entries of a retried scenario's later attempts.
const attemptSuffix = " [attempt "

// cassetteName is the name a scenario's exchanges are recorded under: the
// line tells the rows of an outline apart, the suffix the attempts.
func cassetteName(sc *report.Scenario, attempt int) string {
	name := fmt.Sprintf("%s (line %d)", sc.Name, sc.Line)
	if attempt > 1 {
		name += fmt.Sprintf("%s%d]", attemptSuffix, attempt)
	}
	return name
}

// writeCassette writes the recording, when the run records, and says so.
func (r *runner) writeCassette() error {
	if r.cassette == nil {
		return nil
	}
	c := r.cassette.Cassette()
	c.Seed = r.cfg.Seed
	r.expected.mark(c)
	c = latestAttempts(c)
	if r.mask != nil {
		maskCassette(c, r.mask)
	}
	if err := target.WriteCassette(r.cfg.Target.Record, c); err != nil {
		return fmt.Errorf("record: %w", err)
	}
	fmt.Fprintf(r.cfg.Output, "recorded %s to %s\n", oneline.Count(len(c.Exchanges), "exchange"), r.cfg.Target.Record)
	return nil
}

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
