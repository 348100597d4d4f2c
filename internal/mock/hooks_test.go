package mock

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passfort-conformance/harness/internal/contract"
)

// inbox receives webhooks; its first fail answers have status failWith
// (500 by default).
type inbox struct {
	mu       sync.Mutex
	got      []map[string]any
	raw      [][]byte
	fail     int
	failWith int
	tries    int
}

func newInbox(t *testing.T, fail int) (*inbox, string) {
	in := &inbox{fail: fail, failWith: http.StatusInternalServerError}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		in.mu.Lock()
		defer in.mu.Unlock()
		in.tries++
		if in.fail > 0 {
			in.fail--
			w.WriteHeader(in.failWith)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil || r.Header.Get("Content-Type") != "application/json" {
			t.Errorf("webhook %s (%s): want a JSON body", b, r.Header.Get("Content-Type"))
		}
		in.got, in.raw = append(in.got, m), append(in.raw, b)
	}))
	t.Cleanup(srv.Close)
	return in, srv.URL + "/hooks"
}

// wait returns the webhooks once n have arrived, failing after 5 s.
func (in *inbox) wait(t *testing.T, n int) ([]map[string]any, [][]byte) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		in.mu.Lock()
		got, raw := append([]map[string]any(nil), in.got...), append([][]byte(nil), in.raw...)
		in.mu.Unlock()
		if len(got) >= n || time.Now().After(deadline) {
			if len(got) != n {
				t.Fatalf("webhooks: got %d, want %d: %s", len(got), n, raw)
			}
			return got, raw
		}
	}
}

func TestWebhooks(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	e := newEnv(t, Options{AutomationDelay: -1, Webhook: WebhookConfig{URL: url, Secret: "hook-secret"}})
	pid := e.newProfile()
	basic := e.apply(pid, "forexo_basic")
	e.clock.Advance(time.Second)
	e.setStatus(pid, basic.str("id"), "REJECTED").want(200)
	instant := e.apply(pid, "forexo_instant")
	e.passAll(pid, instant) // approves it by itself
	got, raw := in.wait(t, 2)

	v, err := contract.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range raw {
		if fs := v.CheckWebhook("PRODUCT_STATUS_CHANGED", b); len(fs) != 0 {
			t.Errorf("webhook %s: %v, want none", b, fs)
		}
	}
	want := []struct {
		app, status string
		key         any // the apikey object, nil for the mock's own change
	}{
		{basic.str("id"), "REJECTED", map[string]any{"name": "PassFort mock API key"}},
		{instant.str("id"), "APPROVED", nil},
	}
	for i, w := range want {
		h := got[i]
		d := h["data"].(map[string]any)
		if h["event"] != "PRODUCT_STATUS_CHANGED" || h["secret"] != "hook-secret" || d["profile_id"] != pid ||
			d["application_id"] != w.app || d["new_status"] != w.status || d["user"] != nil {
			t.Errorf("webhook %d: %v, want %s %s of profile %s", i, h, w.app, w.status, pid)
		}
		k, _ := json.Marshal(d["apikey"])
		if wk, _ := json.Marshal(w.key); string(k) != string(wk) {
			t.Errorf("webhook %d: apikey %s, want %s", i, k, wk)
		}
		if ts := int64(h["timestamp"].(float64)); ts != e.clock.Now().Unix() && ts != e.clock.Now().Add(-time.Second).Unix() {
			t.Errorf("webhook %d: timestamp %d, want the change's time", i, ts)
		}
	}
}

// A receiver that fails twice gets the webhook on the third attempt.
func TestWebhookRetries(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 2)
	e := newEnv(t, Options{AutomationDelay: -1, Webhook: WebhookConfig{URL: url}})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_basic")
	e.setStatus(pid, app.str("id"), "REJECTED").want(200)
	in.wait(t, 1)
}

// A receiver that refuses a webhook (a 4xx) is not asked again.
func TestWebhookRefusedIsNotRetried(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 1)
	in.failWith = http.StatusBadRequest
	e := newEnv(t, Options{AutomationDelay: -1, Webhook: WebhookConfig{URL: url}})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_basic")
	e.setStatus(pid, app.str("id"), "REJECTED").want(200)
	e.setStatus(pid, app.str("id"), "CANCELLED").want(409) // a REJECTED application changes no more
	time.Sleep(400 * time.Millisecond)                     // longer than the retries would take
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.tries != 1 {
		t.Errorf("tries: %d, want 1", in.tries)
	}
}

// A receiver that hangs delays only its own webhooks: scope b's arrives
// within the inbox's 5 s, not after scope a's three 5 s attempts.
func TestWebhookSlowReceiverDelaysOnlyItself(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	e := newEnv(t, Options{AutomationDelay: -1})
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) }) // before the mock's Close, which waits for deliveries
	e.adminWebhook("POST", "a", `{"url":"`+hang.URL+`"}`).want(200)
	e.adminWebhook("POST", "b", `{"url":"`+url+`"}`).want(200)
	for _, scope := range []string{"a", "b"} {
		pid, app := e.createIn(scope)
		e.setStatus(pid, app, "REJECTED").want(200)
	}
	in.wait(t, 1)
}

// A webhook set after a change was scheduled still gets it on time, with
// no request reading the profile.
func TestWebhookSetAfterTheChangeWasScheduled(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	e := newEnv(t, Options{Now: time.Now, AutomationDelay: 200 * time.Millisecond})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_instant")
	e.passAll(pid, app) // approved when automation ends
	e.adminWebhook("POST", "", `{"url":"`+url+`"}`).want(200)
	got, _ := in.wait(t, 1)
	if d := got[0]["data"].(map[string]any); d["new_status"] != "APPROVED" {
		t.Errorf("webhook: %v, want APPROVED", got[0])
	}
}

// adminWebhook sends method to /__mock/webhooks in scope ("" for none).
func (e *env) adminWebhook(method, scope, body string) resp {
	e.t.Helper()
	h := http.Header{"Apikey": {DefaultAPIKey}, "Content-Type": {"application/json"}}
	if scope != "" {
		h.Set(ScopeHeader, scope)
	}
	req := httptest.NewRequest(method, "http://mock.test/__mock/webhooks", strings.NewReader(body))
	req.Header = h
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, req)
	return resp{t: e.t, status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
}

// createIn creates a profile with forexo_basic in a scope; its id and the application's.
func (e *env) createIn(scope string) (string, string) {
	e.t.Helper()
	h := http.Header{"Apikey": {DefaultAPIKey}, "Content-Type": {"application/json"}}
	if scope != "" {
		h.Set(ScopeHeader, scope)
	}
	body := `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL","customer_ref":"ref-` + scope + `"},"applications":[{"product":{"alias":"forexo_basic"}}]}`
	r := e.send("POST", "/profiles", h, []byte(body)).want(200)
	return r.str("id"), r.str("applications.0.id")
}

// A webhook set with a scope receives the changes of the profiles created
// in that scope only, and a scope without one sends none (not the mock's
// own); /__mock/webhooks refuses what it cannot use.
func TestScopedWebhooks(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	own, ownURL := newInbox(t, 0)
	e := newEnv(t, Options{AutomationDelay: -1, Webhook: WebhookConfig{URL: ownURL}})
	e.adminWebhook("POST", "a", `{"url":"`+url+`","secret":"a-secret"}`).want(200)
	if r := e.adminWebhook("GET", "a", ""); r.str("url") != url {
		t.Errorf("GET in scope a: %s, want the URL", r.body)
	}
	if r := e.adminWebhook("GET", "b", ""); r.str("url") != "" {
		t.Errorf("GET in scope b: %s, want none", r.body)
	}
	e.adminWebhook("POST", "a", `{"url":"ftp://x"}`).want(400, codeInvalidInputData)
	e.adminWebhook("POST", "a", `{"url":"`+url+`","extra":1}`).want(400, codeInvalidInputData)
	e.adminWebhook("POST", "a", `{"url":"`+url+`","secret":"`+strings.Repeat("s", 300)+`"}`).want(400, codeInvalidInputData)
	e.adminWebhook("POST", strings.Repeat("x", 300), `{"url":"`+url+`"}`).want(400, codeInvalidInputData)

	inA, appA := e.createIn("a")
	inB, appB := e.createIn("b")
	outside, appOut := e.createIn("")
	e.setStatus(inB, appB, "REJECTED").want(200) // scope b has no webhook: none is sent
	e.setStatus(outside, appOut, "REJECTED").want(200)
	e.setStatus(inA, appA, "REJECTED").want(200)
	got, _ := in.wait(t, 1)
	if d := got[0]["data"].(map[string]any); d["profile_id"] != inA || d["customer_ref"] != "ref-a" || got[0]["secret"] != "a-secret" {
		t.Errorf("webhook: %v, want scope a's profile %s with its customer_ref and secret", got[0], inA)
	}
	if got, _ := own.wait(t, 1); got[0]["data"].(map[string]any)["profile_id"] != outside {
		t.Errorf("the mock's own webhook: %v, want only the unscoped profile %s", got[0], outside)
	}
	e.adminWebhook("DELETE", "a", "").want(200)
	if r := e.adminWebhook("GET", "a", ""); r.str("url") != "" {
		t.Errorf("GET in scope a after DELETE: %s, want none", r.body)
	}
}

// A change due later (an automatic approval waiting for automation to end)
// sends its webhook when it is due, without any request reading the profile.
func TestWebhookOfATimedChange(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	e := newEnv(t, Options{Now: time.Now, AutomationDelay: 30 * time.Millisecond, Webhook: WebhookConfig{URL: url}})
	pid := e.newProfile()
	app := e.apply(pid, "forexo_instant")
	e.passAll(pid, app) // while it is AUTOMATING: approved when automation ends
	got, _ := in.wait(t, 1)
	if d := got[0]["data"].(map[string]any); d["new_status"] != "APPROVED" || d["apikey"] != nil {
		t.Errorf("webhook: %v, want the automatic APPROVED (apikey null)", got[0])
	}
}
