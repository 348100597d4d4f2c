package target

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/passfort-conformance/harness/internal/finding"
)

// ErrNoRecording is what a Replay answers a request it holds no recorded
// exchange for (wrapped, with the request and what the cassette holds).
var ErrNoRecording = errors.New("cassette: no recorded exchange")

// NewReplay returns a transport that answers requests from c instead of a
// target, so the same features run against a recording. Requests are
// matched on method, path below the base URL (with query) and body (JSON
// bodies compared compacted); equal requests get their recorded answers in
// recorded order. A recorded transport failure is answered with an error of
// the same kind. Exchanges that never reached the target (refused by the
// guard, stopped by the deadline) are not replayed. A client replaying a
// cassette should set MaxRetries to -1 and no Limiter, so an exchange
// recorded as retries-exhausted replays as one. c must not change while the
// transport is in use. Safe for concurrent use.
func NewReplay(c *Cassette) http.RoundTripper {
	r := &replay{queues: map[replayKey][]*CassetteEntry{}, routes: map[string]int{}}
	prefixes := map[string]bool{} // recorded base paths
	for i := range c.Exchanges {
		e := &c.Exchanges[i]
		if e.Status == 0 && e.Attempts == 0 {
			continue
		}
		k := replayKey{route: e.Method + " " + e.Path, body: normalBody(e.RequestBody)}
		r.queues[k] = append(r.queues[k], e)
		r.routes[k.route]++
		r.total++
		// "" when the URL does not say (a hand-written entry): the path
		// is then matched as it is.
		prefixes[basePath(e.URL, e.Path)] = true
	}
	for p := range prefixes {
		r.prefixes = append(r.prefixes, p)
	}
	// Longest first: "/4.0" before "", so a request is matched below the
	// recorded base path when it has one.
	slices.SortFunc(r.prefixes, func(a, b string) int { return len(b) - len(a) })
	return r
}

type replayKey struct{ route, body string }

type replay struct {
	prefixes []string // recorded base paths, longest first
	total    int
	routes   map[string]int // recorded exchanges per method and path

	mu     sync.Mutex
	queues map[replayKey][]*CassetteEntry
	served map[replayKey]int
}

// basePath derives the base URL's path from a recorded full URL and the
// path below it; "" when the URL does not end in the path.
func basePath(full, below string) string {
	u, err := url.Parse(full)
	if err != nil || !strings.HasSuffix(u.RequestURI(), below) {
		return ""
	}
	return strings.TrimSuffix(u.RequestURI(), below)
}

func normalBody(b []byte) string {
	if len(b) > 0 && json.Valid(b) {
		var buf bytes.Buffer
		if json.Compact(&buf, b) == nil {
			return buf.String()
		}
	}
	return string(b)
}

func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		body, err = io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("cassette: reading the request body: %w", err)
		}
	}
	if err := req.Context().Err(); err != nil {
		return nil, err
	}
	uri := req.URL.RequestURI()
	nb := normalBody(body)
	e, ok := r.next(req.Method, uri, nb)
	if !ok {
		return nil, r.miss(req.Method, uri, nb)
	}
	if e.Status == 0 {
		return nil, replayedError{kind: recordedKind(e.Err), msg: e.Err}
	}
	h := e.ResponseHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	h.Del("Content-Length") // the body may have been edited by hand
	h.Set("Content-Length", strconv.Itoa(len(e.ResponseBody)))
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", e.Status, http.StatusText(e.Status)),
		StatusCode:    e.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(e.ResponseBody)),
		ContentLength: int64(len(e.ResponseBody)),
		Request:       req,
	}, nil
}

// next pops the next recorded exchange for the request, trying each
// recorded base path.
func (r *replay) next(method, uri, body string) (*CassetteEntry, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range r.prefixes {
		if !strings.HasPrefix(uri, p) {
			continue
		}
		k := replayKey{route: method + " " + uri[len(p):], body: body}
		q := r.queues[k]
		if len(q) == 0 {
			continue
		}
		r.queues[k] = q[1:]
		if r.served == nil {
			r.served = map[replayKey]int{}
		}
		r.served[k]++
		return q[0], true
	}
	return nil, false
}

// miss explains a request the cassette cannot answer.
func (r *replay) miss(method, uri, body string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	// Name the request below the recorded base path, as the cassette does,
	// preferring a base path under which the route was recorded.
	route := ""
	for _, p := range r.prefixes {
		if !strings.HasPrefix(uri, p) {
			continue
		}
		rt := method + " " + uri[len(p):]
		if route == "" || r.routes[rt] > 0 {
			route = rt
		}
		if r.routes[rt] > 0 {
			break
		}
	}
	if route == "" { // outside every recorded base path
		return fmt.Errorf("%w for %s %s (%d recorded for other requests)", ErrNoRecording, method, uri, r.total)
	}
	replayed := r.served[replayKey{route: route, body: body}]
	otherBody := r.routes[route] - replayed
	var notes []string
	if replayed > 0 {
		notes = append(notes, fmt.Sprintf("%d already replayed", replayed))
	}
	if otherBody > 0 {
		notes = append(notes, fmt.Sprintf("%d recorded with another request body", otherBody))
	}
	notes = append(notes, fmt.Sprintf("%d recorded for other requests", r.total-r.routes[route]))
	return fmt.Errorf("%w for %s (%s)", ErrNoRecording, route, strings.Join(notes, ", "))
}

// recordedKind reads the kind back from a recorded error, which the client
// wrote as "kind: message".
func recordedKind(err string) string {
	kind, _, ok := strings.Cut(err, ": ")
	if !ok || kind == "" || strings.ContainsAny(kind, " \t") {
		return finding.Refused
	}
	return kind
}

// replayedError is a recorded transport failure, replayed with its kind.
type replayedError struct{ kind, msg string }

func (e replayedError) Error() string       { return "cassette: recorded " + e.msg }
func (e replayedError) FindingKind() string { return e.kind }
