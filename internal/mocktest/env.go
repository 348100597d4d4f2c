package mocktest

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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/lifecycle"
)

// APIKey is the key Env sends: the mock's default (mock.DefaultAPIKey).
const APIKey = "local-mock-key"

// Env is one mock under test with a test clock. Every exchange it serves is
// recorded and, when the test ends, held against the contract (zero contract
// and zero drift findings) and the lifecycle model (zero findings): a mock
// that drifts from either fails the build.
type Env struct {
	T     testing.TB
	H     http.Handler
	Clock *Clock
	// Unordered says requests run concurrently, so the record's order is not
	// the order the mock served them in; the lifecycle check then holds each
	// snapshot on its own, without comparing it to the one before.
	Unordered bool

	mu     sync.Mutex
	record []*exchange.Exchange
}

// NewEnv returns an Env serving h, on clock, whose exchanges are held
// against v and m when the test ends.
func NewEnv(t testing.TB, h http.Handler, clock *Clock, v *contract.Validator, m *lifecycle.Model) *Env {
	e := &Env{T: t, H: h, Clock: clock}
	t.Cleanup(func() { e.verify(v, m) })
	return e
}

// verify holds every recorded exchange against the contract and the lifecycle model.
func (e *Env) verify(v *contract.Validator, m *lifecycle.Model) {
	e.mu.Lock()
	defer e.mu.Unlock()
	checker := m.NewChecker()
	for _, ex := range e.record {
		op, ok := v.Operation(ex.Method, ex.Path)
		if !ok {
			// No operation of the contract: only the error envelope can be checked.
			assert.True(e.T, ex.Status >= 400 && ValidEnvelope(ex.ResponseBody),
				"%s %s (not in the contract) answered %d with %s; want a 4xx error envelope", ex.Method, ex.Path, ex.Status, ex.ResponseBody)
			continue
		}
		assert.Empty(e.T, v.CheckResponse(ex), "%s %s answered %d\nbody: %.400s", ex.Method, ex.Path, ex.Status, ex.ResponseBody)
		if ex.Status >= 300 {
			continue
		}
		if e.Unordered {
			checker = m.NewChecker()
		}
		assert.Empty(e.T, checker.Observe(ex, op.String()), "%s %s\nbody: %.600s", ex.Method, ex.Path, ex.ResponseBody)
	}
}

// ValidEnvelope reports whether body is the error envelope of decision D2
// (docs/decisions.md):
// {"errors":[{"code":int,"message":string,"source":"API"}, ...]} with at least one error.
func ValidEnvelope(body []byte) bool {
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

// Resp is one answer of the mock.
type Resp struct {
	t      testing.TB
	Status int
	Header http.Header
	Body   []byte
}

// For returns r with its checks (Want) reporting to t: for a Resp built
// from an answer the test got by itself.
func (r Resp) For(t testing.TB) Resp { r.t = t; return r }

// Get reads a gjson path of the body.
func (r Resp) Get(path string) gjson.Result { return gjson.GetBytes(r.Body, path) }

// Str reads a gjson path of the body as a string.
func (r Resp) Str(path string) string { return r.Get(path).String() }

// Want stops the test unless the answer has the status (and, for errors, the code).
func (r Resp) Want(status int, code ...int) Resp {
	r.t.Helper()
	require.Equal(r.t, status, r.Status, "status; body: %s", r.Body)
	if len(code) > 0 {
		require.Equal(r.t, int64(code[0]), r.Get("errors.0.code").Int(), "error code; body: %s", r.Body)
	}
	return r
}

// Request sends a request with the default API key. body is sent as is if
// it is a string, encoded as JSON otherwise, and not at all if nil.
func (e *Env) Request(method, path string, body any, header ...string) Resp {
	e.T.Helper()
	h, raw := e.build(body, header)
	return e.Send(method, path, h, raw)
}

// Unrecorded sends a request as Request does, but its exchange is not held
// against the contract when the test ends: its answer breaks the contract
// on purpose (an injected fault, a test switch).
func (e *Env) Unrecorded(method, path string, body any, header ...string) Resp {
	e.T.Helper()
	h, raw := e.build(body, header)
	return e.do(method, path, h, raw, false)
}

// Exchange sends a request unrecorded and returns it as an exchange, for
// the test to check itself.
func (e *Env) Exchange(method, path string, body any) *exchange.Exchange {
	e.T.Helper()
	r := e.Unrecorded(method, path, body)
	return &exchange.Exchange{Method: method, Path: path, Status: r.Status, ResponseHeader: r.Header, ResponseBody: r.Body}
}

// build makes the headers and body of a request (see Request).
func (e *Env) build(body any, header []string) (http.Header, []byte) {
	e.T.Helper()
	h := http.Header{"Apikey": {APIKey}}
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
		raw, err = json.Marshal(b)
		require.NoError(e.T, err, "encode request")
	}
	if raw != nil && h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json")
	}
	return h, raw
}

// Send sends a request with exactly these headers and body, and records
// the exchange.
func (e *Env) Send(method, path string, h http.Header, raw []byte) Resp {
	e.T.Helper()
	return e.do(method, path, h, raw, true)
}

func (e *Env) do(method, path string, h http.Header, raw []byte, record bool) Resp {
	e.T.Helper()
	req := httptest.NewRequest(method, "http://mock.test/4.0"+path, bytes.NewReader(raw))
	req.Header = h
	rec := httptest.NewRecorder()
	e.H.ServeHTTP(rec, req)
	res := rec.Result()
	out, _ := io.ReadAll(res.Body)
	if record {
		e.mu.Lock()
		e.record = append(e.record, &exchange.Exchange{
			Method: method, Path: path, URL: req.URL.String(), RequestHeader: h, RequestBody: raw,
			Status: res.StatusCode, ResponseHeader: res.Header, ResponseBody: out, Attempts: 1,
		})
		e.mu.Unlock()
	}
	return Resp{t: e.T, Status: res.StatusCode, Header: res.Header, Body: out}
}

// Get sends a GET.
func (e *Env) Get(path string) Resp { e.T.Helper(); return e.Request(http.MethodGet, path, nil) }

// Post sends a POST of body (see Request).
func (e *Env) Post(path string, body any) Resp {
	e.T.Helper()
	return e.Request(http.MethodPost, path, body)
}

// Request bodies used across the tests.

// Individual is the body of an individual profile; extra are pairs of
// personal_details fields.
func Individual(given, family string, extra ...string) map[string]any {
	pd := map[string]any{"name": map[string]any{"given_names": []string{given}, "family_name": family}}
	for i := 0; i+1 < len(extra); i += 2 {
		pd[extra[i]] = extra[i+1]
	}
	return map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{"entity_type": "INDIVIDUAL", "personal_details": pd}}
}

// Company is the body of a company profile.
func Company(name string) map[string]any {
	return map[string]any{"role": "COMPANY_CUSTOMER", "collected_data": map[string]any{
		"entity_type": "COMPANY", "metadata": map[string]any{"name": name, "number": "09565115", "country_of_incorporation": "GBR"}}}
}

// WithApps adds applications of the products to a profile body.
func WithApps(body map[string]any, aliases ...string) map[string]any {
	apps := []any{}
	for _, a := range aliases {
		apps = append(apps, map[string]any{"product": map[string]any{"alias": a}})
	}
	body["applications"] = apps
	return body
}

// NewProfile creates an individual profile (with dob and nationality) without applications.
func (e *Env) NewProfile() string {
	e.T.Helper()
	return e.Post("/profiles", WithApps(Individual("Ada", "Lovelace", "dob", "1990-12-10", "nationality", "GBR"))).Want(200).Str("id")
}

// Apply adds a product to a profile and returns the application.
func (e *Env) Apply(profileID, alias string) Resp {
	e.T.Helper()
	return e.Post("/profiles/"+profileID+"/applications", map[string]any{"product": map[string]any{"alias": alias}}).Want(200)
}

// Settled moves the clock past automation and checks.
func (e *Env) Settled() { e.Clock.Advance(time.Second) }

// App reads one application.
func (e *Env) App(profileID, appID string) Resp {
	e.T.Helper()
	return e.Get("/profiles/" + profileID + "/applications/" + appID).Want(200)
}

// PassAll passes every required task of an application.
func (e *Env) PassAll(profileID string, app Resp) {
	e.T.Helper()
	for _, t := range app.Get("required_tasks.#.id").Array() {
		e.Post("/profiles/"+profileID+"/tasks/"+t.String(), map[string]any{"state": "COMPLETED_PASS"}).Want(200)
	}
}

// SetStatus decides an application.
func (e *Env) SetStatus(profileID, appID, status string) Resp {
	e.T.Helper()
	return e.Post("/profiles/"+profileID+"/applications/"+appID, map[string]any{"status": status})
}

// Flags returns the flag_history flags of an application, in order.
func Flags(r Resp) []string {
	var out []string
	for _, f := range r.Get("flag_history.#.flag").Array() {
		out = append(out, f.String())
	}
	return out
}

// Statuses returns the history statuses of an application, in order.
func Statuses(r Resp) []string {
	var out []string
	for _, f := range r.Get("history.#.status").Array() {
		out = append(out, f.String())
	}
	return out
}

// CSV joins xs with commas, for short failure messages.
func CSV(xs []string) string { return strings.Join(xs, ",") }
