package mock

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The mock's test switches sit in front of the API, outside the hot path:
// the admin endpoints, faults, the SDK request gate, the drift switch and
// tolerance mode. A request reaches them only while one of them is on
// (extras.intercepts); otherwise ServeHTTP goes straight to serveAPI.

// adminPrefix is where the admin endpoints live, outside /4.0.
const adminPrefix = "/__mock/"

// ScopeHeader names a scope of faults. Faults set through /__mock/faults
// with it apply only to requests that carry it, with the same value, before
// the mock's own: scenarios that share one standalone mock each get their
// own faults. The harness sends it on every request of a scenario.
const ScopeHeader = "X-Mock-Scope"

// maxScopes bounds the scopes with faults a mock keeps at once.
const maxScopes = 1024

// extras is the state of the test switches of one Server.
type extras struct {
	s         *Server
	faults    atomic.Pointer[faultSet]
	scopesMu  sync.Mutex                           // serialises changes of scoped
	scoped    atomic.Pointer[map[string]*faultSet] // faults by ScopeHeader value; nil for none
	gate      *gate                                // nil: not recording
	drift     bool                                 // the drift switch
	tolerance *tolerance                           // nil: off
	always    bool                                 // gate, drift or tolerance: every request passes through serve
}

func newExtras(s *Server, opts Options) (*extras, error) {
	x := &extras{s: s, drift: opts.Drift}
	set, err := newFaultSet(opts.Faults)
	if err != nil {
		return nil, fmt.Errorf("mock: %w", err)
	}
	if set != nil {
		x.faults.Store(set)
	}
	if opts.Gate {
		x.gate = newGate()
	}
	if opts.Tolerance {
		if x.tolerance, err = newTolerance(opts.ToleranceSpec); err != nil {
			return nil, fmt.Errorf("mock: tolerance: %w", err)
		}
	}
	x.always = x.gate != nil || x.drift || x.tolerance != nil
	return x, nil
}

// intercepts reports whether a request must pass through serve.
func (x *extras) intercepts(r *http.Request) bool {
	return x.always || x.faults.Load() != nil || x.scoped.Load() != nil || strings.HasPrefix(r.URL.Path, adminPrefix)
}

// scopeFaults returns the faults of a scope; nil for none.
func (x *extras) scopeFaults(scope string) *faultSet {
	if m := x.scoped.Load(); m != nil && scope != "" {
		return (*m)[scope]
	}
	return nil
}

// setScopeFaults replaces the faults of a scope (nil removes them); false
// when the mock already holds maxScopes other scopes. The map is copied on
// write: requests read it without a lock.
func (x *extras) setScopeFaults(scope string, set *faultSet) bool {
	x.scopesMu.Lock()
	defer x.scopesMu.Unlock()
	var cur map[string]*faultSet
	if m := x.scoped.Load(); m != nil {
		cur = *m
	}
	_, had := cur[scope]
	if set != nil && !had && len(cur) >= maxScopes {
		return false
	}
	next := maps.Clone(cur)
	if next == nil {
		next = map[string]*faultSet{}
	}
	if set == nil {
		delete(next, scope)
	} else {
		next[scope] = set
	}
	if len(next) == 0 {
		x.scoped.Store(nil)
	} else {
		x.scoped.Store(&next)
	}
	return true
}

// serve answers a request with the switches that are on: admin endpoints
// first; then, for authenticated requests, the faults' latency, rate limit
// and answer; then the API, its answer transformed by the drift switch and
// tolerance mode and sent the way a body fault says. The gate records it all.
func (x *extras) serve(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, adminPrefix) {
		x.serveAdmin(w, r)
		return
	}
	s := x.s
	var seen *gateVisit
	if x.gate != nil {
		seen = x.gate.visit(s, r)
	}
	if s.authenticate(r) != nil {
		// Faults and switches act on authenticated requests only, as
		// PassFort's rate limit does; serveAPI answers 401.
		sw := &statusWriter{ResponseWriter: w}
		s.serveAPI(sw, r, seen)
		seen.done(sw.code())
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/4.0")
	// A scope's faults come first: they were set for this very request's
	// scenario, so their rate limit, answer or body fault wins.
	p := x.scopeFaults(scopeOf(r)).planFor(r.Method, path)
	x.faults.Load().addTo(&p, r.Method, path)
	if p.latency > 0 && !sleepCtx(r.Context(), p.latency) {
		seen.done(0) // the client gave up: nothing is sent
		return
	}
	if p.limit != nil {
		now := s.now()
		v := p.limit.limit.take(now)
		v.setHeaders(w.Header(), now)
		if !v.ok {
			s.fail(w, &apiError{status: http.StatusTooManyRequests, code: codeUnknownInternal,
				message: fmt.Sprintf("Rate limit of %s %s exceeded: retry in %s seconds", p.limit.Method, p.limit.Path, seconds(v.retry))})
			seen.done(http.StatusTooManyRequests)
			return
		}
	}
	if f := p.answer; f != nil {
		if f.Kind == FaultDrop {
			// Recorded first: a server's shutdown does not wait for a
			// connection that was taken over.
			seen.done(0)
			x.drop(w, r)
			return
		}
		seen.done(x.answerFault(w, r, f))
		return
	}
	if p.body == nil && !x.drift && x.tolerance == nil {
		sw := &statusWriter{ResponseWriter: w}
		s.serveAPI(sw, r, seen)
		seen.done(sw.code())
		return
	}
	c := &capture{header: w.Header(), status: http.StatusOK}
	s.serveAPI(c, r, seen)
	status, body := c.status, c.buf.Bytes()
	if x.drift || x.tolerance != nil {
		status, body = x.transform(r, path, status, body)
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	switch {
	case p.body == nil:
		w.WriteHeader(status)
		_, _ = w.Write(body)
	case p.body.Kind == FaultTruncate:
		x.sendTruncated(w, p.body, status, body)
	default:
		x.sendSlowly(w, r, p.body, status, body)
	}
	seen.done(status)
}

// codeUnknownInternal is PassFort's 401 UNKNOWN_INTERNAL_ERROR: the code of
// the mock's injected errors, as no documented code means "overloaded".
const codeUnknownInternal = 401

// answerFault answers with a status fault instead of the API and returns
// the status sent.
func (x *extras) answerFault(w http.ResponseWriter, r *http.Request, f *liveFault) int {
	if f.RetryAfter > 0 {
		secs := int64((f.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		w.Header().Set("X-RateLimit-Retry-Secs", seconds(f.RetryAfter))
	}
	x.s.fail(w, &apiError{status: f.Status, code: codeUnknownInternal,
		message: fmt.Sprintf("Injected fault: %s %s answers %d", r.Method, r.URL.Path, f.Status)})
	return f.Status
}

// drop closes the connection without answering. A ResponseWriter that
// cannot hand over its connection (an in-process transport, HTTP/2) gets
// the nearest thing: a response whose body never comes, which a client
// reads as cut short.
func (x *extras) drop(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
		return
	}
	x.s.log.Warn("fault drop: cannot take over the connection; sending a response cut short instead",
		"method", r.Method, "path", r.URL.Path, "error", err)
	w.Header().Set("Content-Length", "1")
	w.WriteHeader(http.StatusBadGateway)
}

// sendTruncated sends the headers of the whole answer and only part of its
// body. The body is then short of its Content-Length: net/http closes the
// connection after the handler (it cannot be reused), and an in-process
// client sees the body short.
func (x *extras) sendTruncated(w http.ResponseWriter, f *liveFault, status int, body []byte) {
	keep := f.Bytes
	if keep <= 0 {
		keep = len(body) / 2
	}
	keep = min(keep, max(len(body)-1, 0))
	w.WriteHeader(status)
	_, _ = w.Write(body[:keep])
	_ = http.NewResponseController(w).Flush()
}

// sendSlowly sends the body in chunks, a pause apart, until it is sent or
// the client gives up.
func (x *extras) sendSlowly(w http.ResponseWriter, r *http.Request, f *liveFault, status int, body []byte) {
	rc := http.NewResponseController(w)
	w.WriteHeader(status)
	for len(body) > 0 {
		n := min(f.Bytes, len(body))
		if _, err := w.Write(body[:n]); err != nil {
			return
		}
		_ = rc.Flush()
		body = body[n:]
		if len(body) > 0 && !sleepCtx(r.Context(), f.Latency) {
			return
		}
	}
}

// sleepCtx waits d; it returns false if ctx ended first.
func sleepCtx(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// statusWriter remembers the status a handler answered with.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) code() int {
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// capture holds an answer of the API for the switches to change before it
// is sent. Headers go straight to the real response.
type capture struct {
	header      http.Header
	status      int
	wroteHeader bool
	buf         bytes.Buffer
}

func (c *capture) Header() http.Header { return c.header }

func (c *capture) WriteHeader(code int) {
	if !c.wroteHeader {
		c.status, c.wroteHeader = code, true
	}
}

func (c *capture) Write(b []byte) (int, error) {
	c.wroteHeader = true
	return c.buf.Write(b)
}

var _ io.Writer = (*capture)(nil)

// logSwitch logs what a test switch did to an answer, at Info: SDK authors
// read the mock's log to see what their client was served.
func (x *extras) logSwitch(msg string, r *http.Request, attrs ...any) {
	x.s.log.Info(msg, append([]any{"method", r.Method, "path", r.URL.Path}, attrs...)...)
}
