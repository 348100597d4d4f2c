package mock

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

// switchEnv is a mock with test switches, its log, and a way to send
// requests without holding the answers to the contract (the switches break
// it on purpose; the tests say how).
type switchEnv struct {
	*env
	log *lockedBuffer
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newSwitchEnv(t *testing.T, opts Options) *switchEnv {
	t.Helper()
	lb := &lockedBuffer{}
	opts.Logger = slog.New(slog.NewTextHandler(lb, nil))
	opts.AutomationDelay = -1
	return &switchEnv{env: newEnv(t, opts), log: lb}
}

// exchange sends a request unrecorded and returns it as an exchange for the
// contract checks.
func (e *switchEnv) exchange(method, path string, body any) *exchange.Exchange {
	e.t.Helper()
	r := e.unrecorded(method, path, body)
	return &exchange.Exchange{Method: method, Path: path, Status: r.status, ResponseHeader: r.header, ResponseBody: r.body}
}

func TestGate(t *testing.T) {
	t.Parallel()
	e := newSwitchEnv(t, Options{Gate: true})
	pid := e.newProfile() // a good request
	e.get("/profiles/" + pid).want(200)
	e.unrecorded("POST", "/profiles/"+pid+"/applications", map[string]any{"associated_role": "DIRECTOR"}).want(400)
	e.unrecorded("GET", "/profiles?limit=999", nil).want(400)
	e.request("GET", "/whoami", nil, "Apikey", "").want(401)
	req := httptest.NewRequest("GET", "/profiles", nil) // outside /4.0
	req.Header.Set("apikey", DefaultAPIKey)
	e.s.ServeHTTP(httptest.NewRecorder(), req)

	g, ok := e.s.Gate()
	if !ok {
		t.Fatal("Gate() is off with Options.Gate")
	}
	if g.Requests != 6 || g.BadRequests != 3 || !g.Failed() {
		t.Errorf("requests %d, bad %d; want 6 and 3", g.Requests, g.BadRequests)
	}
	wantOps := map[string]map[int]int64{
		"POST /profiles":                           {200: 1},
		"GET /profiles/{profile_id}":               {200: 1},
		"POST /profiles/{profile_id}/applications": {400: 1},
		"GET /profiles":                            {400: 1},
		"GET /whoami":                              {401: 1},
		"GET /profiles (outside /4.0)":             {404: 1},
	}
	if len(g.Operations) != len(wantOps) {
		t.Errorf("operations = %q; want %d", g.OperationNames(), len(wantOps))
	}
	for op, statuses := range wantOps {
		got, ok := g.Operations[op]
		if !ok {
			t.Errorf("operation %s not recorded: %q", op, g.OperationNames())
			continue
		}
		if len(got.Statuses) != len(statuses) {
			t.Errorf("%s statuses = %v; want %v", op, got.Statuses, statuses)
		}
		for st, n := range statuses {
			if got.Statuses[st] != n {
				t.Errorf("%s status %d counted %d; want %d", op, st, got.Statuses[st], n)
			}
		}
	}
	lines := g.Lines()
	sort.Strings(lines)
	want := []string{
		"GET /profiles (outside /4.0) 404: the API lives below /4.0",
		"GET /profiles 400: query parameter \"limit\": got 999: number must be at most 200 [invalid-request maximum]",
		"POST /profiles/{profile_id}/applications 400: /product: value is required [invalid-request required]",
	}
	if len(lines) != len(want) {
		t.Fatalf("lines = %q; want %d", lines, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q; want it to start with %q", i, lines[i], w)
		}
	}
	for _, f := range g.Findings {
		if f.Class != finding.Contract || f.Status == 0 {
			t.Errorf("finding %+v: want a contract finding with the status answered", f)
		}
	}

	// The admin endpoint serves the same record; DELETE starts afresh.
	req = httptest.NewRequest("GET", "/__mock/gate", nil)
	req.Header.Set("apikey", DefaultAPIKey)
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"bad_requests":3`) {
		t.Errorf("GET /__mock/gate = %d %s", rec.Code, rec.Body)
	}
	req = httptest.NewRequest("DELETE", "/__mock/gate", nil)
	req.Header.Set("apikey", DefaultAPIKey)
	e.s.ServeHTTP(httptest.NewRecorder(), req)
	if g, _ := e.s.Gate(); g.Requests != 0 || len(g.Findings) != 0 || len(g.Operations) != 0 {
		t.Errorf("after DELETE: %+v; want an empty record", g)
	}
}

func TestGateBounds(t *testing.T) {
	t.Parallel()
	s, err := New(Options{Gate: true, AutomationDelay: -1})
	if err != nil {
		t.Fatal(err)
	}
	for i := range maxGateFindings + maxGateOperations + 50 {
		req := httptest.NewRequest("GET", "/4.0/nowhere/"+strings.Repeat("x", i%400+1), nil)
		req.Header.Set("apikey", DefaultAPIKey)
		s.ServeHTTP(httptest.NewRecorder(), req)
	}
	g, _ := s.Gate()
	if len(g.Findings) != maxGateFindings || g.DroppedFindings != int64(maxGateOperations+50) {
		t.Errorf("findings %d, dropped %d; want %d and %d", len(g.Findings), g.DroppedFindings, maxGateFindings, maxGateOperations+50)
	}
	if len(g.Operations) > maxGateOperations+1 {
		t.Errorf("operations = %d; want at most %d", len(g.Operations), maxGateOperations+1)
	}
}

func TestGateOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	if _, ok := e.s.Gate(); ok {
		t.Error("Gate() is on without Options.Gate")
	}
	if e.s.x.intercepts(httptest.NewRequest("GET", "/4.0/whoami", nil)) {
		t.Error("a mock with every switch off intercepts API requests")
	}
}

// TestDriftSwitch is the drift issue's target: exactly one undocumented
// field, one enum value and one status code, found where the drift report
// expects them.
func TestDriftSwitch(t *testing.T) {
	t.Parallel()
	e := newSwitchEnv(t, Options{Drift: true})
	created := e.exchange("POST", "/profiles", withApps(individual("Ada", "Lovelace")))
	pid := resp{t: t, body: created.ResponseBody}.str("id")
	app := e.exchange("POST", "/profiles/"+pid+"/applications", map[string]any{"product": map[string]any{"alias": "forexo_basic"}})
	aid := resp{t: t, body: app.ResponseBody}.str("id")
	exs := []*exchange.Exchange{
		app,
		e.exchange("GET", "/profiles/"+pid+"/applications/"+aid, nil),
		e.exchange("GET", "/profiles/"+pid, nil),
		e.exchange("GET", "/whoami", nil),
	}
	var got []string
	for _, ex := range exs {
		for _, f := range sharedValidatorMust(t).CheckResponse(ex) {
			got = append(got, string(f.Class)+" "+f.Kind+" "+f.Operation+" "+strconv.Itoa(f.Status)+" "+f.Pointer)
		}
	}
	sort.Strings(got)
	want := []string{
		"contract outside-enum GET /profiles/{profile_id}/applications/{application_id} 200 /flag",
		"contract undocumented-status GET /whoami 202 ",
		"drift undocumented-field GET /profiles/{profile_id} 200 /applications/0/drift_probe",
		"drift undocumented-field GET /profiles/{profile_id}/applications/{application_id} 200 /drift_probe",
		"drift undocumented-field POST /profiles/{profile_id}/applications 200 /drift_probe",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(e.log.String(), "drift: answered an undocumented flag") {
		t.Errorf("log = %q; want each drift change logged", e.log.String())
	}
}

func sharedValidatorMust(t *testing.T) interface {
	CheckResponse(*exchange.Exchange) []finding.Finding
} {
	t.Helper()
	v, err := sharedValidator()
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTolerance holds tolerance mode to its promise: what it serves breaks
// the contract only by the undocumented fields and unknown enum values it
// adds on purpose; optional fields go, nullable ones are null; each change
// is logged.
func TestTolerance(t *testing.T) {
	t.Parallel()
	e := newSwitchEnv(t, Options{Tolerance: true})
	v := sharedValidatorMust(t)
	plain := newEnv(t, Options{AutomationDelay: -1})
	created := e.exchange("POST", "/profiles", withApps(individual("Ada", "Lovelace", "dob", "1990-12-10", "nationality", "GBR"), "forexo_basic"))
	pid := resp{t: t, body: created.ResponseBody}.str("id")
	if pid == "" {
		t.Fatalf("create = %d %s", created.Status, created.ResponseBody)
	}
	aid := resp{t: t, body: created.ResponseBody}.str("applications.0.id")
	exs := []*exchange.Exchange{
		created,
		e.exchange("GET", "/profiles/"+pid, nil),
		e.exchange("GET", "/profiles/"+pid+"/applications", nil),
		e.exchange("GET", "/profiles/"+pid+"/applications/"+aid, nil),
		e.exchange("GET", "/profiles/"+pid+"/tasks", nil),
		e.exchange("GET", "/profiles?q=ada", nil),
		e.exchange("GET", "/whoami", nil),
		e.exchange("POST", "/profiles/"+pid+"/events", map[string]any{"data": map[string]any{"event_type": "PEP_FLAG"}}),
		e.exchange("POST", "/profiles/"+pid+"/events", map[string]any{"data": map[string]any{"event_type": "PEP_FLAG"}, "resolution": "MISMATCH", "resolution_reason": "not the same person"}),
	}
	kinds := map[string]int{}
	for _, ex := range exs {
		if ex.Status != 200 {
			t.Fatalf("%s %s = %d %s", ex.Method, ex.Path, ex.Status, ex.ResponseBody)
		}
		for _, f := range v.CheckResponse(ex) {
			kinds[f.Kind]++
			switch {
			case f.Class == finding.Drift && f.Kind == finding.UndocumentedField && strings.HasSuffix(f.Pointer, "/"+toleranceField):
			case f.Class == finding.Contract && f.Kind == finding.OutsideEnum && strings.Contains(f.Message, toleranceEnum):
			default:
				t.Errorf("%s %s: %s\nbody: %.500s", ex.Method, ex.Path, f, ex.ResponseBody)
			}
		}
	}
	if kinds[finding.UndocumentedField] == 0 || kinds[finding.OutsideEnum] == 0 {
		t.Errorf("findings by kind %v; want undocumented fields and unknown enum values", kinds)
	}
	// Against the same answer without tolerance: fields went, nulls came.
	plainProfile := plain.post("/profiles", withApps(individual("Ada", "Lovelace", "dob", "1990-12-10", "nationality", "GBR"), "forexo_basic")).want(200)
	tol := resp{t: t, body: exs[1].ResponseBody}
	for _, f := range []string{"collected_data", "applications", "tasks"} {
		if plainProfile.get(f).Exists() && !tol.get(f).Exists() && !strings.Contains(e.log.String(), "/"+f) {
			t.Errorf("%s left out but not logged", f)
		}
	}
	resolved := resp{t: t, body: exs[8].ResponseBody}
	if got := resolved.get("resolution_date"); !got.Exists() || got.Type != gjson.Null {
		t.Errorf("resolved event = %s; want resolution_date null", exs[8].ResponseBody)
	}
	if resolved.get("resolution").String() != "MISMATCH" {
		t.Errorf("resolved event = %s; want its required resolution kept", exs[8].ResponseBody)
	}
	logs := e.log.String()
	// Each kind of change happened at least once: its list is not empty.
	for _, w := range []string{"tolerance: served what the contract allows", `absent="[/`, `null="[/`, `extra="[/`, `unknown_enum="[/`} {
		if !strings.Contains(logs, w) {
			t.Errorf("log lacks %q:\n%.2000s", w, logs)
		}
	}
	if !strings.Contains(logs, "level=INFO") {
		t.Errorf("tolerance changes are not logged at Info: %.500s", logs)
	}
}

func TestToleranceBadSpec(t *testing.T) {
	t.Parallel()
	if _, err := New(Options{Tolerance: true, ToleranceSpec: []byte("openapi: [")}); err == nil || !strings.Contains(err.Error(), "tolerance") {
		t.Errorf("New with a broken tolerance spec: %v; want an error naming tolerance", err)
	}
}

var _ http.Handler = (*Server)(nil)
