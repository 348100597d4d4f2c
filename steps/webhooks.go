package steps

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/mockadmin"
)

// Webhooks: a mock sends PRODUCT_STATUS_CHANGED, CHECK_COMPLETED and
// MANUAL_ACTION_REQUIRED (decision D57) to the harness, which checks
// each webhook against the contract (its x-webhook-event schema) and the
// application's history. One Inbox serves a run on loopback; each scenario
// has a box of its own, which the mock's webhooks are pointed at through
// its admin API (in the scenario's X-Mock-Scope on a standalone mock).

// webhookSecret is the test secret the harness gives the mock, and expects
// back in every webhook: not a credential.
const webhookSecret = "conformance-webhook-secret"

// Inbox receives the webhooks of a run.
type Inbox struct {
	srv   *httptest.Server
	mu    sync.Mutex
	boxes map[string]*box
	next  int
}

// box holds one scenario's webhooks in arrival order.
type box struct {
	mu      sync.Mutex
	got     [][]byte
	checked int // how many have been checked against the contract
}

// NewInbox starts a receiver on loopback; Close stops it.
func NewInbox() *Inbox {
	in := &Inbox{boxes: map[string]*box{}}
	in.srv = httptest.NewServer(http.HandlerFunc(in.receive))
	return in
}

// Close stops the receiver.
func (in *Inbox) Close() { in.srv.Close() }

func (in *Inbox) receive(w http.ResponseWriter, r *http.Request) {
	in.mu.Lock()
	b := in.boxes[strings.TrimPrefix(r.URL.Path, "/")]
	in.mu.Unlock()
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if b == nil || r.Method != http.MethodPost || err != nil {
		http.Error(w, "no such webhook box", http.StatusNotFound)
		return
	}
	b.mu.Lock()
	b.got = append(b.got, body)
	b.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// open returns a new box and the URL that fills it.
func (in *Inbox) open() (*box, string) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.next++
	name := "box-" + strconv.Itoa(in.next)
	b := &box{}
	in.boxes[name] = b
	return b, in.srv.URL + "/" + name
}

func webhookDefinitions() []Def {
	const hooks = "Webhooks (mock only)"
	return []Def{
		{hooks, `^the mock sends its webhooks to the harness$`, "Points the mock's webhooks (PRODUCT_STATUS_CHANGED, CHECK_COMPLETED, MANUAL_ACTION_REQUIRED) at the harness for the rest of the scenario; each one received is checked against the contract.", `Given the mock sends its webhooks to the harness`, mockSendsWebhooks},
		{hooks, `^within (\d+) seconds? a PRODUCT_STATUS_CHANGED webhook says the application is ([A-Z_]+)$`, "Waits for the webhook of the scenario's application with this new_status, failing after the bound with every status received.", `Then within 5 seconds a PRODUCT_STATUS_CHANGED webhook says the application is APPROVED`, webhookSays},
		{hooks, `^within (\d+) seconds? the profile's webhooks are, in order:$`, "Waits until the webhooks about the scenario's profile are the table's | event | detail | rows, in order: the detail of PRODUCT_STATUS_CHANGED is its new_status, of CHECK_COMPLETED the check's decision, of MANUAL_ACTION_REQUIRED the state of the task to act on.", "Then within 5 seconds the profile's webhooks are, in order:\n  | event                  | detail   |\n  | CHECK_COMPLETED        | PASS     |\n  | PRODUCT_STATUS_CHANGED | APPROVED |", profileWebhooksAre},
		{hooks, `^the application's webhooks follow its history$`, "Waits (up to 5 s, re-reading the application) until its webhooks' new_status values are its history after APPLIED, in order.", `Then the application's webhooks follow its history`, webhooksFollowHistory},
	}
}

func mockSendsWebhooks(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	if w.env.Webhooks == nil {
		return fmt.Errorf("webhooks: got a target the harness cannot point them at, want the embedded mock or cmd/passfort-mock")
	}
	b, url := w.env.Webhooks.open()
	if err := w.admin().SetWebhook(ctx, mockadmin.Webhook{URL: url, Secret: webhookSecret}); err != nil {
		return err
	}
	w.mu.Lock()
	w.box, w.hooked = b, true
	w.mu.Unlock()
	return nil
}

// ClearWebhooks stops the mock's webhooks to the scenario, if it set them:
// on a standalone mock, those of the scenario's scope. The suite calls it
// when the scenario ends.
func (w *World) ClearWebhooks(ctx context.Context) error {
	return w.clearIfSet(ctx, &w.hooked, w.admin().ClearWebhook)
}

// webhooks returns the webhooks received so far, after checking the new
// ones against the contract (by their event's x-webhook-event schema) and
// every one's secret.
func (w *World) webhooks() ([][]byte, error) {
	w.mu.Lock()
	b := w.box
	w.mu.Unlock()
	if b == nil {
		return nil, fmt.Errorf("webhooks: none asked for: add \"Given the mock sends its webhooks to the harness\" first")
	}
	b.mu.Lock()
	got, fresh := b.got, b.got[b.checked:]
	b.checked = len(b.got)
	b.mu.Unlock()
	var fs []finding.Finding
	for _, body := range fresh {
		fs = append(fs, w.env.Validator.CheckWebhook(gjson.GetBytes(body, "event").String(), body)...)
	}
	w.addFindings(fs)
	for _, body := range got {
		if secret := gjson.GetBytes(body, "secret").String(); secret != webhookSecret {
			return nil, fmt.Errorf("webhook secret: got %q, want the one the harness set", secret)
		}
	}
	return got, nil
}

// webhookStatuses returns the new_status values of the webhooks about application
// received so far, after checking the new ones against the contract.
func (w *World) webhookStatuses(application string) ([]string, error) {
	got, err := w.webhooks()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, body := range got {
		if gjson.GetBytes(body, "event").String() == "PRODUCT_STATUS_CHANGED" && gjson.GetBytes(body, "data.application_id").String() == application {
			out = append(out, gjson.GetBytes(body, "data.new_status").String())
		}
	}
	return out, nil
}

func webhookSays(ctx context.Context, seconds int, status string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	_, app, err := w.ids()
	if err != nil {
		return err
	}
	var got []string
	b := w.within(seconds)
	done, err := poll(ctx, b, func() (bool, error) {
		got, err = w.webhookStatuses(app)
		return slices.Contains(got, status), err
	})
	if err != nil || done {
		return err
	}
	return fmt.Errorf("webhooks of the application within %s: got new_status %s, want %s", b, orNothing(got), status)
}

func webhooksFollowHistory(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	var got, want []string
	done, err := poll(ctx, w.within(5), func() (bool, error) {
		// Re-read each time: an automatic change may land while we wait.
		app, err := w.currentApplication(ctx)
		if err != nil {
			return false, err
		}
		want = nil
		for i, h := range app.Get("history").Array() {
			if i > 0 { // the first entry is the creation, which sends none
				want = append(want, h.Get("status").String())
			}
		}
		got, err = w.webhookStatuses(app.Get("id").String())
		return slices.Equal(got, want), err
	})
	if err != nil || done {
		return err
	}
	return fmt.Errorf("webhooks of the application: got new_status %s, want %s (the history after APPLIED, in order)", orNothing(got), orNothing(want))
}

func orNothing(s []string) string {
	if len(s) == 0 {
		return "nothing"
	}
	return strings.Join(s, ", ")
}

// webhookSummary is one webhook as profileWebhooksAre compares it: its event
// and the one value that says what happened.
func webhookSummary(body []byte) string {
	ev := gjson.GetBytes(body, "event").String()
	detail := ""
	switch ev {
	case "PRODUCT_STATUS_CHANGED":
		detail = gjson.GetBytes(body, "data.new_status").String()
	case "CHECK_COMPLETED":
		detail = gjson.GetBytes(body, "data.check.decision").String()
	case "MANUAL_ACTION_REQUIRED":
		detail = gjson.GetBytes(body, "data.actions.0.task.state").String()
	}
	return ev + " " + detail
}

func profileWebhooksAre(ctx context.Context, seconds int, table *godog.Table) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	if len(table.Rows) < 2 || len(table.Rows[0].Cells) != 2 {
		return fmt.Errorf("table: want a header row | event | detail | and one row per webhook")
	}
	var want []string
	for _, row := range table.Rows[1:] {
		want = append(want, row.Cells[0].Value+" "+row.Cells[1].Value)
	}
	var got []string
	b := w.within(seconds)
	done, err := poll(ctx, b, func() (bool, error) {
		bodies, err := w.webhooks()
		got = nil
		for _, body := range bodies {
			if gjson.GetBytes(body, "data.profile_id").String() == pid {
				got = append(got, webhookSummary(body))
			}
		}
		return slices.Equal(got, want), err
	})
	if err != nil || done {
		return err
	}
	return fmt.Errorf("webhooks of the profile within %s: got %s, want %s", b, orNothing(got), orNothing(want))
}
