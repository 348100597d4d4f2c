package mock

import (
	"bytes"
	"container/heap"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Webhooks: with a webhook configured (Options.Webhook, -webhook-url, or
// POST /__mock/webhooks), the mock POSTs PRODUCT_STATUS_CHANGED to it for
// every status change of an application, as the contract's
// WebhookProductStatusChanged describes: none for an application's
// creation, in the order of the history, automatic changes too, with the
// timestamp of when they happened.
//
// The mock works out time-driven changes when a profile is next read; while
// a webhook is set, one sweeper goroutine per mock also works them out when
// they are due (it sleeps until the earliest), so their webhooks go out on
// time.
//
// A webhook set with the X-Mock-Scope header receives the changes of the
// profiles created with the same header, and only those: each scenario of a
// run sharing one standalone mock gets its own. Profiles created without
// the header use the mock's own webhook.
//
// Deliveries to one URL go out one at a time, in order, from a goroutine
// that runs only while some are queued; URLs do not wait for each other. A
// delivery is tried three times (100 ms and 200 ms apart) until the receiver
// answers 2xx, unless it answers a 4xx other than 408 or 429; then it is
// dropped with a log line. At most maxQueuedHooks wait for one URL.

// WebhookConfig is where a mock sends its webhooks.
type WebhookConfig struct {
	// URL receives the webhooks (absolute http or https); "" for none.
	URL string `json:"url"`
	// Secret is sent in every webhook's "secret", for the receiver to check.
	Secret string `json:"secret"`
}

// Bounds of what webhooks may hold.
const (
	maxQueuedHooks  = 1024
	maxHookURL      = 2048
	maxHookSecret   = 256
	maxScopeLen     = 256 // of an X-Mock-Scope value, for faults and webhooks
	hookAttempts    = 3
	hookTimeout     = 5 * time.Second
	maxSweepWait    = time.Second // a clock set by tests may jump: look again at least this often
	closeDrainLimit = 2 * time.Second
)

const eventProductStatusChanged = "PRODUCT_STATUS_CHANGED"

type hooks struct {
	log    func(msg string, args ...any)
	client *http.Client
	ids    *idGen // webhook ids, apart from the API's so they stay deterministic

	on     atomic.Bool // some webhook is set
	mu     sync.Mutex
	global WebhookConfig
	scoped map[string]WebhookConfig
	out    map[string]*outbox // by URL

	due      dueHeap            // when watched profiles next have a timed event
	sched    map[*profile]stamp // each watched profile's entry in due
	sweeping bool
	wake     chan struct{} // an earlier event than the sweeper waits for
	closed   chan struct{} // closed by Server.Close
	sending  sync.WaitGroup
}

// outbox is the queue of one URL.
type outbox struct {
	queue   [][]byte
	running bool
}

func newHooks(s *Server, cfg WebhookConfig, seed int64) (*hooks, error) {
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("mock: webhook: %w", err)
	}
	h := &hooks{
		log:    s.log.Warn,
		client: &http.Client{Timeout: hookTimeout},
		ids:    newIDGen(seed ^ 0x5eed),
		global: cfg,
		scoped: map[string]WebhookConfig{},
		out:    map[string]*outbox{},
		sched:  map[*profile]stamp{},
		wake:   make(chan struct{}, 1),
		closed: make(chan struct{}),
	}
	h.on.Store(cfg.URL != "")
	return h, nil
}

func (c WebhookConfig) check() error {
	if len(c.Secret) > maxHookSecret {
		return fmt.Errorf("secret: got %d bytes, want at most %d", len(c.Secret), maxHookSecret)
	}
	if c.URL == "" {
		return nil
	}
	if len(c.URL) > maxHookURL {
		return fmt.Errorf("url: got %d bytes, want at most %d", len(c.URL), maxHookURL)
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url: got %q, want an absolute http or https URL", c.URL)
	}
	return nil
}

// config returns the webhook of a profile created in scope: the scope's
// own, or none; the mock's own for profiles created without a scope.
func (h *hooks) config(scope string) WebhookConfig {
	h.mu.Lock()
	defer h.mu.Unlock()
	if scope != "" {
		return h.scoped[scope]
	}
	return h.global
}

// set replaces the webhook of a scope ("" for the mock's own); false when
// maxScopes other scopes hold one. It reports whether webhooks went from
// none to some.
func (h *hooks) set(scope string, c WebhookConfig) (ok, turnedOn bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case scope == "":
		h.global = c
	case c.URL == "":
		delete(h.scoped, scope)
	default:
		if _, had := h.scoped[scope]; !had && len(h.scoped) >= maxScopes {
			return false, false
		}
		h.scoped[scope] = c
	}
	on := h.global.URL != "" || len(h.scoped) > 0
	was := h.on.Swap(on)
	return true, on && !was
}

// scopeOf returns a request's fault and webhook scope; "" for none, or for
// one longer than the admin endpoints accept (no fault or webhook can have it).
func scopeOf(r *http.Request) string {
	if sc := r.Header.Get(ScopeHeader); len(sc) <= maxScopeLen {
		return sc
	}
	return ""
}

// statusChanged queues the webhook of a's change to its current status at
// t. auto is true for changes the mock made by itself (no API key made
// them). p is locked.
func (s *Server) statusChanged(p *profile, a *application, t stamp, auto bool) {
	h := s.hooks
	if !h.on.Load() {
		return
	}
	to := h.config(p.scope)
	if to.URL == "" {
		return
	}
	prod := s.products[a.product]
	var cd struct {
		CustomerRef *string `json:"customer_ref"`
	}
	_ = json.Unmarshal(p.collected, &cd) // stored compacted from a checked body
	type apikey struct {
		Name string `json:"name"`
	}
	var key *apikey
	if !auto {
		key = &apikey{Name: s.whoami.AuditeeName}
	}
	body, err := json.Marshal(map[string]any{
		"id":        h.ids.next().String(),
		"event":     eventProductStatusChanged,
		"secret":    to.Secret,
		"timestamp": int64(t) / int64(time.Second),
		"data": map[string]any{
			"profile_id":     p.id.String(),
			"application_id": a.id.String(),
			"customer_ref":   cd.CustomerRef,
			"new_status":     statusNames[a.status],
			"product":        map[string]string{"id": prod.ID, "alias": prod.Alias, "name": prod.Name},
			"apikey":         key,
			"user":           nil,
		},
	})
	if err != nil {
		s.log.Error("cannot encode a webhook", "error", err)
		return
	}
	h.enqueue(to.URL, body)
}

func (h *hooks) enqueue(url string, body []byte) {
	h.mu.Lock()
	ob := h.out[url]
	if ob == nil {
		ob = &outbox{}
		h.out[url] = ob
	}
	if len(ob.queue) >= maxQueuedHooks {
		h.mu.Unlock()
		h.log("webhook dropped: the queue is full", "url", url, "queued", maxQueuedHooks)
		return
	}
	ob.queue = append(ob.queue, body)
	if !ob.running {
		ob.running = true
		h.sending.Add(1)
		go h.drain(url, ob)
	}
	h.mu.Unlock()
}

// drain sends one URL's queued webhooks in order and ends when none is left.
func (h *hooks) drain(url string, ob *outbox) {
	defer h.sending.Done()
	for {
		h.mu.Lock()
		if len(ob.queue) == 0 {
			ob.running = false
			delete(h.out, url)
			h.mu.Unlock()
			return
		}
		body := ob.queue[0]
		ob.queue[0] = nil
		ob.queue = ob.queue[1:]
		h.mu.Unlock()
		h.send(url, body)
	}
}

func (h *hooks) send(url string, body []byte) {
	var last string
	for i := range hookAttempts {
		if i > 0 {
			time.Sleep(time.Duration(i) * 100 * time.Millisecond)
		}
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			last = err.Error()
			break
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := h.client.Do(req)
		if err != nil {
			last = err.Error()
			continue
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
		code := resp.StatusCode
		if code/100 == 2 {
			return
		}
		last = resp.Status
		if code/100 == 4 && code != http.StatusRequestTimeout && code != http.StatusTooManyRequests {
			break // the receiver refuses it: trying again would not help
		}
	}
	h.log("webhook not delivered", "url", url, "last", last)
}

// watch has the sweeper work out p's next timed event when it is due, while
// a webhook is set. p is locked, or not yet shared.
func (s *Server) watch(p *profile) {
	h := s.hooks
	if !h.on.Load() || p.next == never {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.schedule(s, p, p.next)
}

// schedule (with h.mu held) puts p in the sweeper's queue at at, unless it
// is there for an earlier time, and starts or wakes the sweeper.
func (h *hooks) schedule(s *Server, p *profile, at stamp) {
	select {
	case <-h.closed:
		return
	default:
	}
	if cur, ok := h.sched[p]; ok && cur <= at {
		return
	}
	h.sched[p] = at
	heap.Push(&h.due, dueEntry{at: at, p: p})
	if !h.sweeping {
		h.sweeping = true
		go s.sweep()
		return
	}
	if h.due[0].p == p && h.due[0].at == at {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
}

// watchAll watches every stored profile with a timed event to come: a
// webhook was just set, and the profiles made before it need theirs too.
func (s *Server) watchAll() {
	for _, p := range s.store.search(func(*profile) bool { return true }) {
		p.mu.Lock()
		if !p.deleted {
			s.watch(p)
		}
		p.mu.Unlock()
	}
}

// sweep works out the watched profiles' events as they fall due, sleeping
// until the earliest; it ends when none is left, no webhook is set or the
// mock is closed.
func (s *Server) sweep() {
	h := s.hooks
	for {
		h.mu.Lock()
		if len(h.due) == 0 || !h.on.Load() {
			h.due, h.sched, h.sweeping = nil, map[*profile]stamp{}, false
			h.mu.Unlock()
			return
		}
		top := h.due[0]
		now := stampOf(s.now())
		if top.at > now {
			h.mu.Unlock()
			wait := min(time.Duration(top.at-now), maxSweepWait)
			select {
			case <-h.closed:
				return
			case <-h.wake:
			case <-time.After(wait):
			}
			continue
		}
		heap.Pop(&h.due)
		stale := h.sched[top.p] != top.at
		if !stale {
			delete(h.sched, top.p)
		}
		h.mu.Unlock()
		if stale {
			continue // p was scheduled again, for an earlier time
		}
		p := top.p
		p.mu.Lock()
		if !p.deleted {
			if p.next <= now {
				s.advance(p, now)
			}
			if p.next != never {
				h.mu.Lock()
				h.schedule(s, p, p.next)
				h.mu.Unlock()
			}
		}
		p.mu.Unlock()
	}
}

// Close stops the mock's background work: the webhook sweeper at once, and
// the webhooks already queued after at most 2 s of trying to send them.
// The Server must not be used afterwards.
func (s *Server) Close() {
	h := s.hooks
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

// dueHeap orders watched profiles by the time of their next event.
type dueEntry struct {
	at stamp
	p  *profile
}

type dueHeap []dueEntry

func (d dueHeap) Len() int           { return len(d) }
func (d dueHeap) Less(i, j int) bool { return d[i].at < d[j].at }
func (d dueHeap) Swap(i, j int)      { d[i], d[j] = d[j], d[i] }
func (d *dueHeap) Push(x any)        { *d = append(*d, x.(dueEntry)) }
func (d *dueHeap) Pop() any {
	old := *d
	e := old[len(old)-1]
	*d = old[:len(old)-1]
	return e
}

// serveWebhooks serves /__mock/webhooks: GET, POST (replace) and DELETE of
// the mock's own webhook, or a scope's with the X-Mock-Scope header.
func (x *extras) serveWebhooks(w http.ResponseWriter, r *http.Request) bool {
	s := x.s
	scope := r.Header.Get(ScopeHeader)
	if len(scope) > maxScopeLen {
		s.fail(w, invalid("%s: got %d bytes, want at most %d", ScopeHeader, len(scope), maxScopeLen))
		return true
	}
	switch r.Method {
	case http.MethodGet:
		s.write(w, http.StatusOK, s.hooks.config(scope))
	case http.MethodPost:
		body, e := s.readBody(w, r)
		if e != nil {
			s.fail(w, e)
			return true
		}
		var c WebhookConfig
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			s.fail(w, invalid("body: %s: want {\"url\": ..., \"secret\": ...}", oneLine(err.Error())))
			return true
		}
		if err := c.check(); err != nil {
			s.fail(w, invalid("%s", err.Error()))
			return true
		}
		ok, turnedOn := s.hooks.set(scope, c)
		if !ok {
			s.fail(w, invalid("Too many webhook scopes: %d hold one; DELETE %swebhooks with a scope's %s header to free one", maxScopes, adminPrefix, ScopeHeader))
			return true
		}
		if turnedOn {
			s.watchAll()
		}
		s.log.Info("webhook set", "scope", scope, "url", c.URL)
		s.write(w, http.StatusOK, c)
	case http.MethodDelete:
		s.hooks.set(scope, WebhookConfig{})
		s.write(w, http.StatusOK, WebhookConfig{})
	default:
		return false
	}
	return true
}
