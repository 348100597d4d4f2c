package mock

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/lifecycle"
)

// Building the contract validator parses the whole spec: do it once per test
// binary. Both values are immutable after construction.
var (
	sharedValidator = sync.OnceValues(contract.Default)
	sharedModel     = sync.OnceValues(lifecycle.Default)
)

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2024, 5, 14, 9, 30, 12, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is one mock under test with a test clock. Every exchange it serves is
// recorded and, when the test ends, held against the contract (zero contract
// and zero drift findings) and the lifecycle model (zero findings): a mock
// that drifts from either fails the build.
type env struct {
	t      testing.TB
	s      *Server
	clock  *clock
	mu     sync.Mutex
	record []*exchange.Exchange
	// unordered: requests run concurrently, so the record's order is not the
	// order the mock served them in; the lifecycle check then holds each
	// snapshot on its own, without comparing it to the one before.
	unordered bool
}

func newEnv(t testing.TB, opts Options) *env {
	t.Helper()
	v, err := sharedValidator()
	if err != nil {
		t.Fatalf("contract.Default: %v", err)
	}
	m, err := sharedModel()
	if err != nil {
		t.Fatalf("lifecycle.Default: %v", err)
	}
	c := newClock()
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if opts.Validator == nil {
		opts.Validator = v
	}
	if opts.Model == nil {
		opts.Model = m
	}
	s, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(s.Close)
	e := &env{t: t, s: s, clock: c}
	t.Cleanup(func() { e.verify(v, s.policy.model) })
	return e
}

// verify holds every recorded exchange against the contract and the lifecycle model.
func (e *env) verify(v *contract.Validator, m *lifecycle.Model) {
	e.mu.Lock()
	defer e.mu.Unlock()
	checker := m.NewChecker()
	for _, ex := range e.record {
		op, ok := v.Operation(ex.Method, ex.Path)
		if !ok {
			// No operation of the contract: only the error envelope can be checked.
			if ex.Status < 400 || !validEnvelope(ex.ResponseBody) {
				e.t.Errorf("%s %s (not in the contract) answered %d with %s; want a 4xx error envelope", ex.Method, ex.Path, ex.Status, ex.ResponseBody)
			}
			continue
		}
		for _, f := range v.CheckResponse(ex) {
			e.t.Errorf("%s %s answered %d: %s\nbody: %.400s", ex.Method, ex.Path, ex.Status, f, ex.ResponseBody)
		}
		if ex.Status >= 300 {
			continue
		}
		if e.unordered {
			checker = m.NewChecker()
		}
		for _, f := range checker.Observe(ex, op.String()) {
			e.t.Errorf("%s %s: %s\nbody: %.600s", ex.Method, ex.Path, f, ex.ResponseBody)
		}
	}
}

// validEnvelope reports whether body is the error envelope of D2:
// {"errors":[{"code":int,"message":string,"source":"API"}, ...]} with at least one error.
func validEnvelope(body []byte) bool {
	if !gjson.ValidBytes(body) {
		return false
	}
	errs := gjson.GetBytes(body, "errors")
	if !errs.IsArray() || len(errs.Array()) == 0 {
		return false
	}
	for _, x := range errs.Array() {
		code := x.Get("code")
		if code.Type != gjson.Number || code.Int() < 100 || x.Get("message").Type != gjson.String || x.Get("source").String() != "API" {
			return false
		}
	}
	return true
}

// resp is one answer of the mock.
type resp struct {
	t      testing.TB
	status int
	header http.Header
	body   []byte
}

func (r resp) get(path string) gjson.Result { return gjson.GetBytes(r.body, path) }

func (r resp) str(path string) string { return r.get(path).String() }

// want fails the test unless the answer has the status (and, for errors, the code).
func (r resp) want(status int, code ...int) resp {
	r.t.Helper()
	if r.status != status {
		r.t.Fatalf("status = %d; want %d\nbody: %s", r.status, status, r.body)
	}
	if len(code) > 0 {
		if got := r.get("errors.0.code").Int(); got != int64(code[0]) {
			r.t.Fatalf("error code = %d; want %d\nbody: %s", got, code[0], r.body)
		}
	}
	return r
}

// request sends a request with the default API key. body is sent as is if
// it is a string, encoded as JSON otherwise, and not at all if nil.
func (e *env) request(method, path string, body any, header ...string) resp {
	e.t.Helper()
	h := http.Header{"Apikey": {DefaultAPIKey}}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			h.Del(header[i])
			continue
		}
		h.Set(header[i], header[i+1])
	}
	var raw []byte
	switch b := body.(type) {
	case nil:
	case string:
		raw = []byte(b)
	case []byte:
		raw = b
	default:
		var err error
		if raw, err = json.Marshal(b); err != nil {
			e.t.Fatalf("encode request: %v", err)
		}
	}
	if raw != nil && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	return e.send(method, path, h, raw)
}

func (e *env) send(method, path string, h http.Header, raw []byte) resp {
	e.t.Helper()
	req := httptest.NewRequest(method, "http://mock.test/4.0"+path, bytes.NewReader(raw))
	req.Header = h
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, req)
	res := rec.Result()
	out, _ := io.ReadAll(res.Body)
	e.mu.Lock()
	e.record = append(e.record, &exchange.Exchange{
		Method: method, Path: path, URL: req.URL.String(), RequestHeader: h, RequestBody: raw,
		Status: res.StatusCode, ResponseHeader: res.Header, ResponseBody: out, Attempts: 1,
	})
	e.mu.Unlock()
	return resp{t: e.t, status: res.StatusCode, header: res.Header, body: out}
}

func (e *env) get(path string) resp { e.t.Helper(); return e.request(http.MethodGet, path, nil) }
func (e *env) post(path string, body any) resp {
	e.t.Helper()
	return e.request(http.MethodPost, path, body)
}

// Request bodies used across the tests.

func individual(given, family string, extra ...string) map[string]any {
	pd := map[string]any{"name": map[string]any{"given_names": []string{given}, "family_name": family}}
	for i := 0; i+1 < len(extra); i += 2 {
		pd[extra[i]] = extra[i+1]
	}
	return map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{"entity_type": "INDIVIDUAL", "personal_details": pd}}
}

func company(name string) map[string]any {
	return map[string]any{"role": "COMPANY_CUSTOMER", "collected_data": map[string]any{
		"entity_type": "COMPANY", "metadata": map[string]any{"name": name, "number": "09565115", "country_of_incorporation": "GBR"}}}
}

func withApps(body map[string]any, aliases ...string) map[string]any {
	apps := []any{}
	for _, a := range aliases {
		apps = append(apps, map[string]any{"product": map[string]any{"alias": a}})
	}
	body["applications"] = apps
	return body
}

// newProfile creates an individual profile (with dob and nationality) without applications.
func (e *env) newProfile() string {
	e.t.Helper()
	return e.post("/profiles", withApps(individual("Ada", "Lovelace", "dob", "1990-12-10", "nationality", "GBR"))).want(200).str("id")
}

// apply adds a product to a profile and returns the application.
func (e *env) apply(profileID, alias string) resp {
	e.t.Helper()
	return e.post("/profiles/"+profileID+"/applications", map[string]any{"product": map[string]any{"alias": alias}}).want(200)
}

// settled moves the clock past automation and checks.
func (e *env) settled() { e.clock.Advance(time.Second) }

// app reads one application.
func (e *env) app(profileID, appID string) resp {
	e.t.Helper()
	return e.get("/profiles/" + profileID + "/applications/" + appID).want(200)
}

// passAll passes every required task of an application.
func (e *env) passAll(profileID string, app resp) {
	e.t.Helper()
	for _, t := range app.get("required_tasks.#.id").Array() {
		e.post("/profiles/"+profileID+"/tasks/"+t.String(), map[string]any{"state": "COMPLETED_PASS"}).want(200)
	}
}

func (e *env) setStatus(profileID, appID, status string) resp {
	e.t.Helper()
	return e.post("/profiles/"+profileID+"/applications/"+appID, map[string]any{"status": status})
}

// flags returns the flag_history flags of an application, in order.
func flags(r resp) []string {
	var out []string
	for _, f := range r.get("flag_history.#.flag").Array() {
		out = append(out, f.String())
	}
	return out
}

func statuses(r resp) []string {
	var out []string
	for _, f := range r.get("history.#.status").Array() {
		out = append(out, f.String())
	}
	return out
}

func csv(xs []string) string { return strings.Join(xs, ",") }
