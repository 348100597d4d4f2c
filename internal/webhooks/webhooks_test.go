package webhooks_test

import (
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

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockscope"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/mockstack/stacktest"
	"github.com/passfort-conformance/harness/internal/mocktest"
	"github.com/passfort-conformance/harness/internal/webhooks"
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
		assert.NoError(t, json.Unmarshal(b, &m), "webhook %s: want a JSON body", b)
		assert.Equal(t, "application/json", r.Header.Get("Content-Type"), "webhook %s", b)
		in.got, in.raw = append(in.got, m), append(in.raw, b)
	}))
	t.Cleanup(srv.Close)
	return in, srv.URL + "/hooks"
}

func (in *inbox) received() ([]map[string]any, [][]byte, int) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return append([]map[string]any(nil), in.got...), append([][]byte(nil), in.raw...), in.tries
}

// wait returns the webhooks once n have arrived, failing after 5 s. With
// a test clock, it moves the clock whenever something waits on it (a
// retry's pause), so deliveries never wait for the wall clock.
func (in *inbox) wait(t *testing.T, n int, clock *mocktest.Clock) ([]map[string]any, [][]byte) {
	t.Helper()
	var got []map[string]any
	var raw [][]byte
	require.Eventually(t, func() bool {
		if clock != nil && clock.Waiting() > 0 {
			clock.Advance(200 * time.Millisecond)
		}
		got, raw, _ = in.received()
		return len(got) >= n
	}, 5*time.Second, time.Millisecond, "webhooks: want %d", n)
	require.Len(t, got, n, "webhooks: %s", raw)
	return got, raw
}

func newEnv(t *testing.T, opts mockstack.Options) *stacktest.Env {
	t.Helper()
	if opts.AutomationDelay == 0 {
		opts.AutomationDelay = -1
	}
	return stacktest.New(t, opts)
}

func TestWebhooks(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	e := newEnv(t, mockstack.Options{Webhook: webhooks.Config{URL: url, Secret: "hook-secret"}})
	pid := e.NewProfile()
	basic := e.Apply(pid, "forexo_basic")
	e.Clock.Advance(time.Second)
	e.SetStatus(pid, basic.Str("id"), "REJECTED").Want(200)
	instant := e.Apply(pid, "forexo_instant")
	e.PassAll(pid, instant) // approves it by itself
	got, raw := in.wait(t, 2, nil)

	v := stacktest.Validator(t)
	for _, b := range raw {
		assert.Empty(t, v.CheckWebhook("PRODUCT_STATUS_CHANGED", b), "webhook %s", b)
	}
	want := []struct {
		app, status string
		key         any // the apikey object, nil for the mock's own change
	}{
		{basic.Str("id"), "REJECTED", map[string]any{"name": "PassFort mock API key"}},
		{instant.Str("id"), "APPROVED", nil},
	}
	for i, w := range want {
		h := got[i]
		d := h["data"].(map[string]any)
		assert.Equal(t, "PRODUCT_STATUS_CHANGED", h["event"], "webhook %d", i)
		assert.Equal(t, "hook-secret", h["secret"], "webhook %d", i)
		assert.Equal(t, pid, d["profile_id"], "webhook %d", i)
		assert.Equal(t, w.app, d["application_id"], "webhook %d", i)
		assert.Equal(t, w.status, d["new_status"], "webhook %d", i)
		assert.Nil(t, d["user"], "webhook %d", i)
		assert.Equal(t, w.key, d["apikey"], "webhook %d: apikey", i)
		ts := int64(h["timestamp"].(float64))
		assert.Contains(t, []int64{e.Clock.Now().Unix(), e.Clock.Now().Add(-time.Second).Unix()}, ts, "webhook %d: timestamp, want the change's time", i)
	}
}

// A receiver that fails twice gets the webhook on the third attempt; the
// pauses between attempts are on the mock's clock, which the test moves.
func TestWebhookRetries(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 2)
	e := newEnv(t, mockstack.Options{Webhook: webhooks.Config{URL: url}})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	e.SetStatus(pid, app.Str("id"), "REJECTED").Want(200)
	in.wait(t, 1, e.Clock)
	_, _, tries := in.received()
	assert.Equal(t, 3, tries)
}

// A receiver that refuses a webhook (a 4xx) is not asked again.
func TestWebhookRefusedIsNotRetried(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 1)
	in.failWith = http.StatusBadRequest
	e := newEnv(t, mockstack.Options{Webhook: webhooks.Config{URL: url}})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	e.SetStatus(pid, app.Str("id"), "REJECTED").Want(200)
	e.SetStatus(pid, app.Str("id"), "CANCELLED").Want(409) // a REJECTED application changes no more
	require.Eventually(t, func() bool { return strings.Contains(e.Log.String(), "webhook not delivered") },
		5*time.Second, time.Millisecond, "the refused webhook is given up")
	_, _, tries := in.received()
	assert.Equal(t, 1, tries)
	assert.Zero(t, e.Clock.Waiting(), "no attempt waits")
}

// A receiver that hangs delays only its own webhooks: scope b's arrives
// within the inbox's 5 s, not after scope a's three 5 s attempts.
func TestWebhookSlowReceiverDelaysOnlyItself(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	e := newEnv(t, mockstack.Options{})
	release := make(chan struct{})
	hang := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { <-release }))
	t.Cleanup(hang.Close)
	t.Cleanup(func() { close(release) }) // before the mock's Close, which waits for deliveries
	adminWebhook(e, "POST", "a", `{"url":"`+hang.URL+`"}`).Want(200)
	adminWebhook(e, "POST", "b", `{"url":"`+url+`"}`).Want(200)
	for _, scope := range []string{"a", "b"} {
		pid, app := createIn(e, scope)
		e.SetStatus(pid, app, "REJECTED").Want(200)
	}
	in.wait(t, 1, nil)
}

// A webhook set after a change was scheduled still gets it on time, with
// no request reading the profile.
func TestWebhookSetAfterTheChangeWasScheduled(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	e := newEnv(t, mockstack.Options{Options: mock.Options{Now: time.Now, AutomationDelay: 200 * time.Millisecond}})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_instant")
	e.PassAll(pid, app) // approved when automation ends
	adminWebhook(e, "POST", "", `{"url":"`+url+`"}`).Want(200)
	got, _ := in.wait(t, 1, nil)
	assert.Equal(t, "APPROVED", got[0]["data"].(map[string]any)["new_status"], "webhook %v", got[0])
}

// adminWebhook sends method to /__mock/webhooks in scope ("" for none).
func adminWebhook(e *stacktest.Env, method, scope, body string) mocktest.Resp {
	e.T.Helper()
	h := http.Header{"Apikey": {mock.DefaultAPIKey}, "Content-Type": {"application/json"}}
	if scope != "" {
		h.Set(mockscope.Header, scope)
	}
	req := httptest.NewRequest(method, "http://mock.test"+webhooks.AdminPath, strings.NewReader(body))
	req.Header = h
	rec := httptest.NewRecorder()
	e.Stack.ServeHTTP(rec, req)
	return mocktest.Resp{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}.For(e.T)
}

// createIn creates a profile with forexo_basic in a scope; its id and the application's.
func createIn(e *stacktest.Env, scope string) (string, string) {
	e.T.Helper()
	h := http.Header{"Apikey": {mock.DefaultAPIKey}, "Content-Type": {"application/json"}}
	if scope != "" {
		h.Set(mockscope.Header, scope)
	}
	body := `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL","customer_ref":"ref-` + scope + `"},"applications":[{"product":{"alias":"forexo_basic"}}]}`
	r := e.Send("POST", "/profiles", h, []byte(body)).Want(200)
	return r.Str("id"), r.Str("applications.0.id")
}

// A webhook set with a scope receives the changes of the profiles created
// in that scope only, and a scope without one sends none (not the mock's
// own); /__mock/webhooks refuses what it cannot use.
func TestScopedWebhooks(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	own, ownURL := newInbox(t, 0)
	e := newEnv(t, mockstack.Options{Webhook: webhooks.Config{URL: ownURL}})
	adminWebhook(e, "POST", "a", `{"url":"`+url+`","secret":"a-secret"}`).Want(200)
	assert.Equal(t, url, adminWebhook(e, "GET", "a", "").Str("url"), "GET in scope a")
	assert.Empty(t, adminWebhook(e, "GET", "b", "").Str("url"), "GET in scope b")
	adminWebhook(e, "POST", "a", `{"url":"ftp://x"}`).Want(400, mock.CodeInvalidInputData)
	adminWebhook(e, "POST", "a", `{"url":"`+url+`","extra":1}`).Want(400, mock.CodeInvalidInputData)
	adminWebhook(e, "POST", "a", `{"url":"`+url+`","secret":"`+strings.Repeat("s", 300)+`"}`).Want(400, mock.CodeInvalidInputData)
	adminWebhook(e, "POST", strings.Repeat("x", 300), `{"url":"`+url+`"}`).Want(400, mock.CodeInvalidInputData)

	inA, appA := createIn(e, "a")
	inB, appB := createIn(e, "b")
	outside, appOut := createIn(e, "")
	e.SetStatus(inB, appB, "REJECTED").Want(200) // scope b has no webhook: none is sent
	e.SetStatus(outside, appOut, "REJECTED").Want(200)
	e.SetStatus(inA, appA, "REJECTED").Want(200)
	got, _ := in.wait(t, 1, nil)
	d := got[0]["data"].(map[string]any)
	assert.Equal(t, inA, d["profile_id"], "scope a's webhook")
	assert.Equal(t, "ref-a", d["customer_ref"], "scope a's webhook")
	assert.Equal(t, "a-secret", got[0]["secret"], "scope a's webhook")
	ownGot, _ := own.wait(t, 1, nil)
	assert.Equal(t, outside, ownGot[0]["data"].(map[string]any)["profile_id"], "the mock's own webhook: only the unscoped profile")
	adminWebhook(e, "DELETE", "a", "").Want(200)
	assert.Empty(t, adminWebhook(e, "GET", "a", "").Str("url"), "GET in scope a after DELETE")
}

// A change due later (an automatic approval waiting for automation to end)
// sends its webhook when it is due, without any request reading the
// profile: the sweeper waits on the mock's clock, which the test moves.
func TestWebhookOfATimedChange(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	e := newEnv(t, mockstack.Options{Options: mock.Options{AutomationDelay: 30 * time.Millisecond}, Webhook: webhooks.Config{URL: url}})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_instant")
	e.PassAll(pid, app) // while it is AUTOMATING: approved when automation ends
	got, _ := in.wait(t, 1, e.Clock)
	d := got[0]["data"].(map[string]any)
	assert.Equal(t, "APPROVED", d["new_status"], "the automatic approval")
	assert.Nil(t, d["apikey"], "the automatic approval has apikey null")
}

// A check sends CHECK_COMPLETED when it completes, then the status changes
// its outcome causes; a failed check on a manual-review product then asks
// for a user's action on the task (decision D57).
func TestWebhooksOfChecks(t *testing.T) {
	t.Parallel()
	in, url := newInbox(t, 0)
	e := newEnv(t, mockstack.Options{Options: mock.Options{CheckDuration: 100 * time.Millisecond}, Webhook: webhooks.Config{URL: url, Secret: "s"}})
	pid := e.NewProfile()
	e.Apply(pid, "forexo_instant")
	check := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "CRA_BANK_ACCOUNT_VERIFICATION"}).Want(200)
	assert.Equal(t, "PENDING", check.Str("state"), "an asynchronous check")
	e.Clock.Advance(time.Second)
	e.Get("/profiles/" + pid).Want(200)
	got, raw := in.wait(t, 2, nil)

	fail := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada FAIL", "Lovelace"), "forexo_basic")).Want(200)
	e.Post("/profiles/"+fail.Str("id")+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(200)
	got, raw = in.wait(t, 4, nil)

	v := stacktest.Validator(t)
	var events []string
	for i, h := range got {
		ev := h["event"].(string)
		events = append(events, ev)
		assert.Empty(t, v.CheckWebhook(ev, raw[i]), "webhook %s", raw[i])
	}
	assert.Equal(t, []string{"CHECK_COMPLETED", "PRODUCT_STATUS_CHANGED", "CHECK_COMPLETED", "MANUAL_ACTION_REQUIRED"}, events)
	d := func(i int) map[string]any { return got[i]["data"].(map[string]any) }
	assert.Equal(t, check.Str("id"), d(0)["check"].(map[string]any)["id"], "the check that completed")
	assert.Equal(t, "PASS", d(0)["check"].(map[string]any)["decision"])
	assert.Equal(t, "APPROVED", d(1)["new_status"], "the automatic approval the passing check caused")
	assert.Equal(t, "FAIL", d(2)["check"].(map[string]any)["decision"], "Ada FAIL Lovelace's check")
	action := d(3)["actions"].([]any)[0].(map[string]any)
	assert.Equal(t, "COMPLETED_FAIL", action["task"].(map[string]any)["state"], "the task the failed check left")
	assert.Equal(t, "INDIVIDUAL_VERIFY_IDENTITY", action["task"].(map[string]any)["type"])
}
