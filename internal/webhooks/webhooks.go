// Package webhooks sends the mock's webhooks: with one configured
// (-webhook-url, or POST /__mock/webhooks, the admin endpoint this package
// serves), it POSTs PRODUCT_STATUS_CHANGED for every status change of an
// application, as the contract's WebhookProductStatusChanged describes:
// none for an application's creation, in the order of the history,
// automatic changes too, with the timestamp of when they happened; and
// CHECK_COMPLETED and MANUAL_ACTION_REQUIRED when a check completes and when
// it leaves a task to a user (checks.go, decision D57).
//
// Hooks learns of changes as the API's mock.Observer. The API works out
// time-driven changes when a profile is next read; while a webhook is set,
// one sweeper goroutine per mock also has them worked out when they are due
// (it waits on the mock's clock until the earliest), so their webhooks go
// out on time.
//
// A webhook set with the X-Mock-Scope header receives the changes of the
// profiles created with the same header, and only those: each scenario of a
// run sharing one standalone mock gets its own. Profiles created without
// the header use the mock's own webhook.
//
// Deliveries to one URL go out one at a time, in order, from a goroutine
// that runs only while some are queued; URLs do not wait for each other. A
// delivery is tried three times (100 ms and 200 ms apart on the mock's
// clock) until the receiver answers 2xx, unless it answers a 4xx other than
// 408 or 429; then it is dropped with a log line. At most maxQueued wait
// for one URL.
package webhooks

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockscope"
)

// Config is where a mock sends its webhooks.
type Config struct {
	// URL receives the webhooks (absolute http or https); "" for none.
	URL string `json:"url"`
	// Secret is sent in every webhook's "secret", for the receiver to check.
	Secret string `json:"secret"`
}

// Bounds of what webhooks may hold.
const (
	maxQueued       = 1024
	maxURL          = 2048
	maxSecret       = 256
	attempts        = 3
	sendTimeout     = 5 * time.Second
	maxSweepWait    = time.Second // a clock that is not the wall clock may jump: look again at least this often
	closeDrainLimit = 2 * time.Second
)

const eventProductStatusChanged = "PRODUCT_STATUS_CHANGED"

// Clock is the mock's clock: the sweeper and the pauses between attempts
// wait on it, so a test that moves its clock moves them too.
type Clock interface {
	Now() time.Time
	// After sends the time once d has passed on the clock.
	After(d time.Duration) <-chan time.Time
}

// API is what Hooks needs of the API it follows (a *mock.Server): having
// due time-driven changes worked out, and its answers for the admin
// endpoint.
type API interface {
	WorkOutDue(profileID string)
	AnnounceDue()
	Error(w http.ResponseWriter, status, code int, message string)
	MethodNotAllowed(w http.ResponseWriter, r *http.Request, allow string)
	ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, bool)
	WriteJSON(w http.ResponseWriter, status int, v any)
}

// Hooks queues and sends the webhooks of one mock. Create it with New, hand
// it to mock.Options.Observer, then Bind it to the mock; Close it when the
// mock is done with.
type Hooks struct {
	log    *slog.Logger
	clock  Clock
	client *http.Client
	egress Egress
	ids    *mock.IDSequence // webhook ids, apart from the API's so they stay deterministic
	api    API

	on       atomic.Bool // some webhook is set
	profiles sync.Map    // profile id → the scope it was created in, when it was
	mu       sync.Mutex
	global   Config
	scoped   map[string]Config
	out      map[string]*outbox // by URL

	due      dueHeap          // when watched profiles next have a timed change
	sched    map[string]int64 // each watched profile's entry in due (Unix ns)
	sweeping bool
	wake     chan struct{} // an earlier change than the sweeper waits for
	closed   chan struct{} // closed by Close
	sending  sync.WaitGroup
}

var _ mock.Observer = (*Hooks)(nil)

// outbox is the queue of one URL.
type outbox struct {
	queue   [][]byte
	running bool
}

// New returns Hooks sending the mock's own webhooks to cfg, to receivers
// egress allows (decision D80, docs/decisions.md). seed makes
// webhook ids deterministic; log receives deliveries that failed (nothing
// if nil).
func New(cfg Config, egress Egress, seed int64, clock Clock, log *slog.Logger) (*Hooks, error) {
	if err := cfg.check(egress); err != nil {
		return nil, fmt.Errorf("webhook: %w", err)
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &Hooks{
		log:    log,
		clock:  clock,
		client: egress.client(),
		egress: egress,
		ids:    mock.NewIDSequence(seed ^ 0x5eed),
		global: cfg,
		scoped: map[string]Config{},
		out:    map[string]*outbox{},
		sched:  map[string]int64{},
		wake:   make(chan struct{}, 1),
		closed: make(chan struct{}),
	}
	h.on.Store(cfg.URL != "")
	return h, nil
}

// Bind gives Hooks the API it observes; call it before the API serves.
func (h *Hooks) Bind(api API) { h.api = api }

func (c Config) check(egress Egress) error {
	if len(c.Secret) > maxSecret {
		return fmt.Errorf("secret: got %d bytes, want at most %d", len(c.Secret), maxSecret)
	}
	if c.URL == "" {
		return nil
	}
	if len(c.URL) > maxURL {
		return fmt.Errorf("url: got %d bytes, want at most %d", len(c.URL), maxURL)
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url: got %q, want an absolute http or https URL", c.URL)
	}
	return egress.checkURL(u)
}

// config returns the webhook of a profile created in scope: the scope's
// own, or none; the mock's own for profiles created without a scope.
func (h *Hooks) config(scope string) Config {
	h.mu.Lock()
	defer h.mu.Unlock()
	if scope != "" {
		return h.scoped[scope]
	}
	return h.global
}

// set replaces the webhook of a scope ("" for the mock's own); false when
// mockscope.Max other scopes hold one. It reports whether webhooks went
// from none to some.
func (h *Hooks) set(scope string, c Config) (ok, turnedOn bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case scope == "":
		h.global = c
	case c.URL == "":
		delete(h.scoped, scope)
	default:
		if _, had := h.scoped[scope]; !had && len(h.scoped) >= mockscope.Max {
			return false, false
		}
		h.scoped[scope] = c
	}
	on := h.global.URL != "" || len(h.scoped) > 0
	was := h.on.Swap(on)
	return true, on && !was
}

// ProfileCreated remembers the scope a profile was created in: its
// webhooks go to that scope's webhook, even one set later.
func (h *Hooks) ProfileCreated(profileID string, r *http.Request) {
	if sc := mockscope.Of(r); sc != "" {
		h.profiles.Store(profileID, sc)
	}
}

// StatusChanged queues the webhook of a change.
func (h *Hooks) StatusChanged(c mock.StatusChange) {
	to, ok := h.receiver(c.ProfileID)
	if !ok {
		return
	}
	type apikey struct {
		Name string `json:"name"`
	}
	var key *apikey
	if c.APIKeyName != "" {
		key = &apikey{Name: c.APIKeyName}
	}
	h.queue(to, eventProductStatusChanged, c.At.Unix(), map[string]any{
		"profile_id":     c.ProfileID,
		"application_id": c.ApplicationID,
		"customer_ref":   c.CustomerRef(),
		"new_status":     c.NewStatus,
		"product":        map[string]string{"id": c.Product.ID, "alias": c.Product.Alias, "name": c.Product.Name},
		"apikey":         key,
		"user":           nil,
	})
}

// receiver returns the webhook the profile's changes go to; false if none.
func (h *Hooks) receiver(profileID string) (Config, bool) {
	if !h.on.Load() {
		return Config{}, false
	}
	scope, _ := h.profiles.Load(profileID)
	sc, _ := scope.(string)
	to := h.config(sc)
	return to, to.URL != ""
}

// Close stops the sweeper at once, and the webhooks already queued after at
// most 2 s of trying to send them. Hooks must not be used afterwards.
func (h *Hooks) Close() {
	h.mu.Lock()
	select {
	case <-h.closed:
	default:
		close(h.closed)
	}
	h.mu.Unlock()
	done := make(chan struct{})
	go func() { h.sending.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(closeDrainLimit):
	}
}
