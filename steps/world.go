// Package steps holds the Gherkin step definitions: thin functions that parse
// a step's arguments, call the engine (target client, checks) and return an
// error. Per-scenario state lives in a World carried in context.Context;
// there is no package-level mutable state.
package steps

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/consistency"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/timescale"
)

// Env is what every scenario of a run shares. It is read-only once the run
// starts.
type Env struct {
	Validator *contract.Validator
	Model     *lifecycle.Model
	// Consistency is the read-consistency model every response is judged
	// against, as Model judges applications; nil: not judged.
	Consistency *consistency.Model
	// Catalog maps the suite's product roles to the target's products
	// (PASSFORT_CATALOG, or spec/products.yaml).
	Catalog *catalog.Catalog
	// MockCatalog is spec/products.yaml: the aliases features are written
	// with. A feature's alias is translated to Catalog's product of the same role.
	MockCatalog *catalog.Catalog
	// RunID tags the data the run creates (customer_ref).
	RunID string
	// Webhooks receives the webhooks a mock target sends; nil when the
	// target is not a mock.
	Webhooks *Inbox
	// Spec is the OpenAPI document variants are generated from; nil means
	// the embedded spec/passfort-4.0.yaml.
	Spec []byte
	// TimeScale stretches every written time bound ("within 5 seconds")
	// for a target slower than the mock: the steps wait TimeScale times as
	// long. 0 means 1 (decision D99, docs/decisions.md).
	TimeScale timescale.Scale

	docOnce sync.Once
	doc     *openapi3.T
	docErr  error
}

// World is one scenario's state.
type World struct {
	env     *Env
	client  *target.Client
	checker *lifecycle.Checker
	consist *consistency.Checker

	mu       sync.Mutex
	vars     map[string]string
	last     *exchange.Exchange
	step     *StepRecord
	findings []finding.Finding // every finding of the scenario, in order

	created []string // profiles this scenario created
	// owners maps an application's id to its profile's, learned from every
	// answer that shows both, so an application the scenario saved as
	// {{application_id}} from any response can be acted on.
	owners  map[string]string
	faulted bool // faults set on the mock, cleared when the scenario ends
	hooked  bool // the mock's webhooks set, cleared when the scenario ends
	box     *box // where the mock's webhooks arrive; nil before they are asked for
}

// StepRecord is what one step sent and what the checks found.
type StepRecord struct {
	Exchanges []exchange.Exchange
	Findings  []finding.Finding
}

type worldKey struct{}

// NewWorld returns a scenario's world. The client must have been built with
// Observe set to the world's Observe method; see Attach.
func NewWorld(env *Env) *World {
	w := &World{env: env, vars: map[string]string{}, owners: map[string]string{}}
	if env.Model != nil {
		w.checker = env.Model.NewChecker()
	}
	if env.Consistency != nil {
		w.consist = env.Consistency.NewChecker()
	}
	return w
}

// Attach sets the client the world sends with.
func (w *World) Attach(c *target.Client) { w.client = c }

// WithWorld stores w in ctx.
func WithWorld(ctx context.Context, w *World) context.Context {
	return context.WithValue(ctx, worldKey{}, w)
}

// WorldFrom returns the scenario's world.
func WorldFrom(ctx context.Context) *World {
	w, _ := ctx.Value(worldKey{}).(*World)
	return w
}

func world(ctx context.Context) (*World, error) {
	w := WorldFrom(ctx)
	if w == nil || w.client == nil {
		return nil, errors.New("scenario has no world: the suite did not set one up")
	}
	return w, nil
}

// worldAnd returns the scenario's world and what get reads from it: the
// profile's id with (*World).profile, the application's path with
// (*World).applicationPath.
func worldAnd(ctx context.Context, get func(*World) (string, error)) (*World, string, error) {
	w, err := world(ctx)
	if err != nil {
		return nil, "", err
	}
	v, err := get(w)
	return w, v, err
}

// BeginStep starts recording a step.
func (w *World) BeginStep() {
	w.mu.Lock()
	w.step = &StepRecord{}
	w.mu.Unlock()
}

// EndStep returns what the step recorded.
func (w *World) EndStep() StepRecord {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.step == nil {
		return StepRecord{}
	}
	rec := *w.step
	w.step = nil
	return rec
}

// Last returns the last exchange of the scenario, nil before the first.
func (w *World) Last() *exchange.Exchange {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last
}

// Findings returns every finding the scenario saw so far.
func (w *World) Findings() []finding.Finding {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]finding.Finding(nil), w.findings...)
}

// Observe runs every check on a finished exchange and records it with its
// findings in the current step. The target client calls it for every
// exchange, so no response escapes the checks whatever the steps assert.
func (w *World) Observe(ex *exchange.Exchange) {
	var fs []finding.Finding
	if ex.Err == "" && w.env.Validator != nil {
		fs = w.env.Validator.CheckResponse(ex)
		op := w.operation(ex.Method, ex.Path) // matched once for both checkers
		if w.checker != nil {
			fs = append(fs, w.checker.Observe(ex, op)...)
		}
		if w.consist != nil {
			fs = append(fs, w.consist.Observe(ex, op)...)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if ex.Method == "POST" && ex.Path == "/profiles" && ex.Status == 200 {
		if id := gjson.GetBytes(ex.ResponseBody, "id").String(); id != "" {
			w.created = append(w.created, id)
		}
	}
	if ex.Status == 200 {
		w.learnOwners(ex)
	}
	w.last = ex
	w.findings = append(w.findings, fs...)
	if w.step != nil {
		w.step.Exchanges = append(w.step.Exchanges, *ex)
		w.step.Findings = append(w.step.Findings, fs...)
	}
}

// operation names the operation of method and path as findings do: its
// template when the contract has it, else the method and path as sent.
func (w *World) operation(method, path string) string {
	if o, ok := w.env.Validator.Operation(method, path); ok {
		return o.String()
	}
	return method + " " + path
}

// addFindings records findings the scenario's checks made outside an
// exchange (a webhook's), in the scenario and its current step.
func (w *World) addFindings(fs []finding.Finding) {
	if len(fs) == 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.findings = append(w.findings, fs...)
	if w.step != nil {
		w.step.Findings = append(w.step.Findings, fs...)
	}
}

// CreatedProfiles returns the ids of the profiles the scenario created, for
// clean-up on real targets.
func (w *World) CreatedProfiles() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.created...)
}

// Coverage returns the lifecycle coverage the scenario observed.
func (w *World) Coverage() (lifecycle.Coverage, bool) {
	if w.checker == nil {
		return lifecycle.Coverage{}, false
	}
	return w.checker.Coverage(), true
}

// FailingFindings returns the error a step fails with because of the
// findings it recorded, nil if none fails. Every failing finding is one line.
func FailingFindings(fs []finding.Finding) error {
	var lines []string
	for _, f := range fs {
		if f.Fails() {
			lines = append(lines, f.String())
		}
	}
	if len(lines) == 0 {
		return nil
	}
	return fmt.Errorf("%d finding(s) in the response:\n  %s", len(lines), strings.Join(lines, "\n  "))
}

// profile returns the scenario's profile id: {{profile_id}}, whichever step
// saved it, else the profile of the scenario's application.
func (w *World) profile() (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if id := w.vars["profile_id"]; id != "" {
		return id, nil
	}
	if id := w.owners[w.vars["application_id"]]; id != "" {
		return id, nil
	}
	return "", errors.New(`no profile yet: start the scenario with "Given an INDIVIDUAL profile", or save a profile's id as {{profile_id}}`)
}

// applicationPath returns the path of the scenario's application.
func (w *World) applicationPath() (string, error) {
	pid, aid, err := w.ids()
	if err != nil {
		return "", err
	}
	return "/profiles/" + pid + "/applications/" + aid, nil
}

// ids returns the scenario's profile and application ids. The application
// is {{application_id}}, whichever step saved it: a domain step, or a save
// from a raw response (decision D96, docs/decisions.md). Its profile is the
// one an answer showed it under, else {{profile_id}}.
func (w *World) ids() (profile, application string, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	aid := w.vars["application_id"]
	if aid == "" {
		return "", "", errors.New(`no application yet: add a product to a profile first, or save an application's id as {{application_id}}`)
	}
	pid := w.owners[aid]
	if pid == "" {
		pid = w.vars["profile_id"]
	}
	if pid == "" {
		return "", "", fmt.Errorf("application %s: no profile known for it; save its profile's id as {{profile_id}}", aid)
	}
	return pid, aid, nil
}

// learnOwners records which profile the applications in a 200 answer
// belong to: a created or fetched profile's applications, a profile's
// application list, an added, fetched or decided application. The caller
// holds w.mu.
func (w *World) learnOwners(ex *exchange.Exchange) {
	path, _, _ := strings.Cut(ex.Path, "?")
	seg := strings.Split(strings.Trim(path, "/"), "/")
	if len(seg) == 0 || seg[0] != "profiles" {
		return
	}
	body := gjson.ParseBytes(ex.ResponseBody)
	own := func(pid string, app gjson.Result) {
		if id := app.Get("id").String(); pid != "" && id != "" {
			w.owners[id] = pid
		}
	}
	ownAll := func(pid string, apps gjson.Result) {
		apps.ForEach(func(_, a gjson.Result) bool {
			own(pid, a)
			return true
		})
	}
	switch {
	case len(seg) == 1 && ex.Method == "POST": // a created profile
		ownAll(body.Get("id").String(), body.Get("applications"))
	case len(seg) == 2: // a fetched profile
		ownAll(seg[1], body.Get("applications"))
	case len(seg) == 3 && seg[2] == "applications" && body.IsArray(): // the list
		ownAll(seg[1], body)
	case len(seg) == 3 && seg[2] == "applications": // an added application
		own(seg[1], body)
	case len(seg) >= 4 && seg[2] == "applications":
		w.owners[seg[3]] = seg[1]
		if len(seg) == 5 && seg[4] == "revert_decision" { // may answer a new application
			own(seg[1], body)
		}
	}
}

// get sends a GET.
func (w *World) get(ctx context.Context, path string) (*exchange.Exchange, error) {
	return w.send(ctx, target.Request{Method: "GET", Path: path})
}

// post sends body as JSON; a []byte body is sent as is. The body is not
// expanded: a step expands what it takes from the feature before building it.
func (w *World) post(ctx context.Context, path string, body any) (*exchange.Exchange, error) {
	data, err := jsonBody(body)
	if err != nil {
		return nil, err
	}
	return w.sendBody(ctx, target.Request{Method: "POST", Path: path, Body: data}, false)
}

// postOK is post for set-up steps, which need the change to succeed.
func (w *World) postOK(ctx context.Context, what, path string, body any) (*exchange.Exchange, error) {
	ex, err := w.post(ctx, path, body)
	if err != nil {
		return nil, err
	}
	if ex.Status != 200 {
		return nil, fmt.Errorf("%s: got %d, want 200; body: %s", what, ex.Status, snippet(ex.ResponseBody))
	}
	return ex, nil
}

// setVar saves a variable for {{name}}.
func (w *World) setVar(name, value string) {
	w.mu.Lock()
	w.vars[name] = value
	w.mu.Unlock()
}

// variable returns a saved variable.
func (w *World) variable(name string) (string, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	v, ok := w.vars[name]
	return v, ok
}
