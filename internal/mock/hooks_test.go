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

// inbox receives webhooks; fail makes its first answers 500.
type inbox struct {
	mu   sync.Mutex
	got  []map[string]any
	raw  [][]byte
	fail int
}

func newInbox(t *testing.T, fail int) (*inbox, string) {
	in := &inbox{fail: fail}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		in.mu.Lock()
		defer in.mu.Unlock()
		if in.fail > 0 {
			in.fail--
			w.WriteHeader(http.StatusInternalServerError)
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

// A webhook set with a scope receives the changes of the profiles created
// in that scope only; /__mock/webhooks refuses what it cannot use.
func TestScopedWebhooks(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	e := newEnv(t, Options{AutomationDelay: -1})
	admin := func(method, body, scope string) resp {
		t.Helper()
		h := http.Header{"Apikey": {DefaultAPIKey}, "Content-Type": {"application/json"}}
		if scope != "" {
			h.Set(ScopeHeader, scope)
		}
		req := httptest.NewRequest(method, "http://mock.test/__mock/webhooks", strings.NewReader(body))
		req.Header = h
		rec := httptest.NewRecorder()
		e.s.ServeHTTP(rec, req)
		return resp{t: t, status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
	}
	admin("POST", `{"url":"`+url+`","secret":"a-secret"}`, "a").want(200)
	if r := admin("GET", "", "a"); r.str("url") != url {
		t.Errorf("GET in scope a: %s, want the URL", r.body)
	}
	if r := admin("GET", "", ""); r.str("url") != "" {
		t.Errorf("GET without a scope: %s, want none", r.body)
	}
	admin("POST", `{"url":"ftp://x"}`, "a").want(400, codeInvalidInputData)
	admin("POST", `{"url":"`+url+`","extra":1}`, "a").want(400, codeInvalidInputData)

	create := func(scope string) (string, string) {
		h := http.Header{"Apikey": {DefaultAPIKey}, "Content-Type": {"application/json"}}
		if scope != "" {
			h.Set(ScopeHeader, scope)
		}
		body := `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL","customer_ref":"ref-` + scope + `"},"applications":[{"product":{"alias":"forexo_basic"}}]}`
		r := e.send("POST", "/profiles", h, []byte(body)).want(200)
		return r.str("id"), r.str("applications.0.id")
	}
	inA, appA := create("a")
	outside, appOut := create("")
	e.setStatus(outside, appOut, "REJECTED").want(200)
	e.setStatus(inA, appA, "REJECTED").want(200)
	got, _ := in.wait(t, 1)
	if d := got[0]["data"].(map[string]any); d["profile_id"] != inA || d["customer_ref"] != "ref-a" || got[0]["secret"] != "a-secret" {
		t.Errorf("webhook: %v, want scope a's profile %s with its customer_ref and secret", got[0], inA)
	}
	admin("DELETE", "", "a").want(200)
	if r := admin("GET", "", "a"); r.str("url") != "" {
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
