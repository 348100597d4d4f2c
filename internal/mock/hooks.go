package mock

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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
// creation, in the order of the history, automatic changes too (sent when
// the mock works them out, with the timestamp of when they happened).
//
// The mock works out time-driven changes when a profile is next read; with
// a webhook set, one sweeper goroutine (per mock, while profiles have timed
// events to come) works them out when they are due, so their webhooks go out
// on time. Close stops it.
//
// Deliveries go out one at a time, in order, from one goroutine that runs
// only while some are queued. A delivery is tried three times (100 ms and
// 200 ms apart) until the receiver answers 2xx, then dropped with a log line;
// at most maxQueuedHooks wait, more are dropped with a log line.
//
// A webhook set with the X-Mock-Scope header goes to the profiles created
// with the same header (each scenario of a run sharing one standalone mock
// gets its own); other profiles use the mock's own webhook.

// WebhookConfig is where a mock sends its webhooks.
type WebhookConfig struct {
	// URL receives the webhooks (absolute http or https); "" for none.
	URL string `json:"url"`
	// Secret is sent in every webhook's "secret", for the receiver to check.
	Secret string `json:"secret"`
}

const (
	sweepEvery       = 20 * time.Millisecond
	maxQueuedHooks   = 4096
	hookAttempts     = 3
	hookTimeout      = 5 * time.Second
	eventProductStat = "PRODUCT_STATUS_CHANGED"
)

type hooks struct {
	log    func(msg string, args ...any)
	client *http.Client
	ids    *idGen // webhook ids, apart from the API's so they stay deterministic

	on       atomic.Bool // some webhook is set: status changes look up theirs
	mu       sync.Mutex
	global   WebhookConfig
	scoped   map[string]WebhookConfig
	queue    []delivery
	running  bool
	pending  map[*profile]struct{} // profiles with timed events to come
	sweeping bool
	closed   chan struct{} // closed by Server.Close
}

type delivery struct {
	to   WebhookConfig
	body []byte
}

func newHooks(s *Server, cfg WebhookConfig, seed int64) (*hooks, error) {
	if err := cfg.check(); err != nil {
		return nil, fmt.Errorf("mock: webhook: %w", err)
	}
	h := &hooks{
		log:     s.log.Warn,
		client:  &http.Client{Timeout: hookTimeout},
		ids:     newIDGen(seed ^ 0x5eed),
		global:  cfg,
		scoped:  map[string]WebhookConfig{},
		pending: map[*profile]struct{}{},
		closed:  make(chan struct{}),
	}
	h.on.Store(cfg.URL != "")
	return h, nil
}

func (c WebhookConfig) check() error {
	if c.URL == "" {
		return nil
	}
	u, err := url.Parse(c.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("url: got %q, want an absolute http or https URL", c.URL)
	}
	return nil
}

// config returns the webhook of a profile created in scope.
func (h *hooks) config(scope string) WebhookConfig {
	h.mu.Lock()
	defer h.mu.Unlock()
	if c, ok := h.scoped[scope]; ok && scope != "" {
		return c
	}
	return h.global
}

// set replaces the webhook of a scope ("" for the mock's own); false when
// maxScopes other scopes hold one.
func (h *hooks) set(scope string, c WebhookConfig) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	defer func() { h.on.Store(h.global.URL != "" || len(h.scoped) > 0) }()
	if scope == "" {
		h.global = c
		return true
	}
	if c.URL == "" {
		delete(h.scoped, scope)
		return true
	}
	if _, had := h.scoped[scope]; !had && len(h.scoped) >= maxScopes {
		return false
	}
	h.scoped[scope] = c
	return true
}

// statusChanged queues the webhook of a's change to its current status at
// t. auto is true for changes the mock made by itself (no API key made them).
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
	var customerRef *string
	var cd struct {
		CustomerRef *string `json:"customer_ref"`
	}
	if json.Unmarshal(p.collected, &cd) == nil {
		customerRef = cd.CustomerRef
	}
	type apikey struct {
		Name string `json:"name"`
	}
	var key *apikey
	if !auto {
		key = &apikey{Name: s.whoami.AuditeeName}
	}
	body, err := json.Marshal(map[string]any{
		"id":        h.ids.next().String(),
		"event":     eventProductStat,
		"secret":    to.Secret,
		"timestamp": int64(t) / int64(time.Second),
		"data": map[string]any{
			"profile_id":     p.id.String(),
			"application_id": a.id.String(),
			"customer_ref":   customerRef,
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
	h.enqueue(delivery{to: to, body: body})
}

// watch has the sweeper work out p's timed events when they are due, while
// a webhook is set. p is locked, or not yet shared.
func (s *Server) watch(p *profile) {
	h := s.hooks
	if !h.on.Load() || p.next == never {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.closed:
		return
	default:
	}
	h.pending[p] = struct{}{}
	if !h.sweeping {
		h.sweeping = true
		go s.sweep()
	}
}

// sweep works out the due events of the watched profiles every sweepEvery,
// and ends when none is left, no webhook is set or the mock is closed.
func (s *Server) sweep() {
	h := s.hooks
	tick := time.NewTicker(sweepEvery)
	defer tick.Stop()
	for {
		select {
		case <-h.closed:
			return
		case <-tick.C:
		}
		h.mu.Lock()
		watched := make([]*profile, 0, len(h.pending))
		for p := range h.pending {
			watched = append(watched, p)
		}
		h.mu.Unlock()
		now := stampOf(s.now())
		var done []*profile
		for _, p := range watched {
			p.mu.Lock()
			if !p.deleted && p.next <= now {
				s.advance(p, now)
			}
			if p.deleted || p.next == never {
				done = append(done, p)
			}
			p.mu.Unlock()
		}
		h.mu.Lock()
		for _, p := range done {
			delete(h.pending, p)
		}
		if len(h.pending) == 0 || !h.on.Load() {
			clear(h.pending)
			h.sweeping = false
			h.mu.Unlock()
			return
		}
		h.mu.Unlock()
	}
}

// Close stops the mock's background work (the webhook sweeper). Webhooks
// already queued are still sent. The Server must not be used afterwards.
func (s *Server) Close() {
	h := s.hooks
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.closed:
	default:
		close(h.closed)
	}
}

func (h *hooks) enqueue(d delivery) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.queue) >= maxQueuedHooks {
		h.log("webhook dropped: the queue is full", "url", d.to.URL, "queued", len(h.queue))
		return
	}
	h.queue = append(h.queue, d)
	if !h.running {
		h.running = true
		go h.drain()
	}
}

// drain sends the queued webhooks in order and ends when none is left.
func (h *hooks) drain() {
	for {
		h.mu.Lock()
		if len(h.queue) == 0 {
			h.running = false
			h.mu.Unlock()
			return
		}
		d := h.queue[0]
		h.queue = h.queue[1:]
		h.mu.Unlock()
		h.send(d)
	}
}

func (h *hooks) send(d delivery) {
	var last string
	for i := range hookAttempts {
		if i > 0 {
			time.Sleep(time.Duration(i) * 100 * time.Millisecond)
		}
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, d.to.URL, bytes.NewReader(d.body))
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
		_ = resp.Body.Close()
		if resp.StatusCode/100 == 2 {
			return
		}
		last = resp.Status
	}
	h.log("webhook not delivered", "url", d.to.URL, "attempts", hookAttempts, "last", last)
}

// serveWebhooks serves /__mock/webhooks: GET, POST (replace) and DELETE of
// the mock's own webhook, or a scope's with the X-Mock-Scope header.
func (x *extras) serveWebhooks(w http.ResponseWriter, r *http.Request) bool {
	s := x.s
	scope := r.Header.Get(ScopeHeader)
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
		if !s.hooks.set(scope, c) {
			s.fail(w, invalid("Too many webhook scopes: %d hold one; DELETE %swebhooks with a scope's %s header to free one", maxScopes, adminPrefix, ScopeHeader))
			return true
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
