package faults

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/passfort-conformance/harness/internal/answer"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockscope"
)

// API is what the faults need of the API they wrap (a *mock.Server): its
// key check and error envelope, so injected errors read like its own, its
// body reading and encoding for the admin endpoint, and its clock for the
// rate limit.
type API interface {
	Authorized(r *http.Request) bool
	Error(w http.ResponseWriter, status, code int, message string)
	MethodNotAllowed(w http.ResponseWriter, r *http.Request, allow string)
	ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, bool)
	WriteJSON(w http.ResponseWriter, status int, v any)
	Now() time.Time
	Logger() *slog.Logger
}

// Injector holds the faults in force, the mock's own and each scope's, and
// applies them to the requests it passes to the API. It is safe for
// concurrent use.
type Injector struct {
	api      API
	faults   atomic.Pointer[faultSet]
	scopesMu sync.Mutex                           // serialises changes of scoped
	scoped   atomic.Pointer[map[string]*faultSet] // faults by scope; nil for none
}

// New returns an Injector with the mock's own faults, or an error if one is
// invalid.
func New(api API, faults []Fault) (*Injector, error) {
	in := &Injector{api: api}
	set, err := newFaultSet(faults)
	if err != nil {
		return nil, err
	}
	if set != nil {
		in.faults.Store(set)
	}
	return in, nil
}

// active reports whether any fault is in force.
func (in *Injector) active() bool { return in.faults.Load() != nil || in.scoped.Load() != nil }

// scopeFaults returns the faults of a scope; nil for none.
func (in *Injector) scopeFaults(scope string) *faultSet {
	if m := in.scoped.Load(); m != nil && scope != "" {
		return (*m)[scope]
	}
	return nil
}

// setScopeFaults replaces the faults of a scope (nil removes them); false
// when the mock already holds mockscope.Max other scopes. The map is copied
// on write: requests read it without a lock.
func (in *Injector) setScopeFaults(scope string, set *faultSet) bool {
	in.scopesMu.Lock()
	defer in.scopesMu.Unlock()
	var cur map[string]*faultSet
	if m := in.scoped.Load(); m != nil {
		cur = *m
	}
	_, had := cur[scope]
	if set != nil && !had && len(cur) >= mockscope.Max {
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
		in.scoped.Store(nil)
	} else {
		in.scoped.Store(&next)
	}
	return true
}

// Wrap returns next with the faults applied: to authenticated requests
// only, as PassFort's rate limit is; next answers the others (401). While
// no fault is in force a request goes straight to next.
func (in *Injector) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !in.active() || !in.api.Authorized(r) {
			next.ServeHTTP(w, r)
			return
		}
		in.serve(next, w, r)
	})
}

// serve applies the faults' latency, rate limit and answer, then lets next
// answer, its body sent the way a body fault says.
func (in *Injector) serve(next http.Handler, w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/4.0")
	// A scope's faults come first: they were set for this very request's
	// scenario, so their rate limit, answer or body fault wins.
	p := in.scopeFaults(mockscope.Of(r)).planFor(r.Method, path)
	in.faults.Load().addTo(&p, r.Method, path)
	if p.latency > 0 && !sleepCtx(r.Context(), p.latency) {
		return // the client gave up: nothing is sent
	}
	if p.limit != nil {
		now := in.api.Now()
		v := p.limit.limit.take(now)
		v.setHeaders(w.Header(), now)
		if !v.ok {
			in.api.Error(w, http.StatusTooManyRequests, mock.CodeUnknownInternal,
				fmt.Sprintf("Rate limit of %s %s exceeded: retry in %s seconds", p.limit.Method, p.limit.Path, seconds(v.retry)))
			return
		}
	}
	if f := p.answer; f != nil {
		if f.Kind == Drop {
			in.drop(w, r)
			return
		}
		in.answerFault(w, r, f)
		return
	}
	if p.body == nil {
		next.ServeHTTP(w, r)
		return
	}
	c := answer.NewCapture(w.Header())
	next.ServeHTTP(c, r)
	status, body := c.Status(), c.Body()
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if p.body.Kind == Truncate {
		sendTruncated(w, p.body, status, body)
		return
	}
	sendSlowly(w, r, p.body, status, body)
}

// answerFault answers with a status fault instead of the API.
func (in *Injector) answerFault(w http.ResponseWriter, r *http.Request, f *liveFault) {
	if f.RetryAfter > 0 {
		secs := int64((f.RetryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		w.Header().Set("X-RateLimit-Retry-Secs", seconds(f.RetryAfter))
	}
	in.api.Error(w, f.Status, mock.CodeUnknownInternal,
		fmt.Sprintf("Injected fault: %s %s answers %d", r.Method, r.URL.Path, f.Status))
}

// drop closes the connection without answering. A ResponseWriter that
// cannot hand over its connection (an in-process transport, HTTP/2) gets
// the nearest thing: a response whose body never comes, which a client
// reads as cut short.
func (in *Injector) drop(w http.ResponseWriter, r *http.Request) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		_ = conn.Close()
		return
	}
	in.api.Logger().Warn("fault drop: cannot take over the connection; sending a response cut short instead",
		"method", r.Method, "path", r.URL.Path, "error", err)
	w.Header().Set("Content-Length", "1")
	w.WriteHeader(http.StatusBadGateway)
}

// sendTruncated sends the headers of the whole answer and only part of its
// body. The body is then short of its Content-Length: net/http closes the
// connection after the handler (it cannot be reused), and an in-process
// client sees the body short.
func sendTruncated(w http.ResponseWriter, f *liveFault, status int, body []byte) {
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
func sendSlowly(w http.ResponseWriter, r *http.Request, f *liveFault, status int, body []byte) {
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

// Replace replaces the mock's own faults (none for an empty list), as POST
// /__mock/faults does; an invalid fault changes nothing.
func (in *Injector) Replace(faults []Fault) error {
	set, err := newFaultSet(faults)
	if err != nil {
		return err
	}
	in.faults.Store(set)
	return nil
}

// Faults returns the mock's own faults in force.
func (in *Injector) Faults() []Fault { return in.faults.Load().faults() }
