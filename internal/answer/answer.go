// Package answer lets test-side capabilities change what the mock's API
// answers before it is sent: Capture holds an answer, and Middleware hands
// each 2xx JSON answer of a documented operation, decoded once, to a chain
// of Rewriters (the drift switch, tolerance mode).
package answer

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/passfort-conformance/harness/internal/contract"
)

// Capture holds an answer of a handler for a middleware to change before it
// is sent. Headers go straight to the real response.
type Capture struct {
	header      http.Header
	status      int
	wroteHeader bool
	buf         bytes.Buffer
}

// NewCapture returns a Capture whose headers are h (the real response's).
func NewCapture(h http.Header) *Capture { return &Capture{header: h, status: http.StatusOK} }

// Header returns the real response's headers.
func (c *Capture) Header() http.Header { return c.header }

// WriteHeader records the status; only the first counts.
func (c *Capture) WriteHeader(code int) {
	if !c.wroteHeader {
		c.status, c.wroteHeader = code, true
	}
}

// Write adds to the body.
func (c *Capture) Write(b []byte) (int, error) {
	c.wroteHeader = true
	return c.buf.Write(b)
}

// Status returns the status answered (200 if none was set).
func (c *Capture) Status() int { return c.status }

// Body returns the body answered.
func (c *Capture) Body() []byte { return c.buf.Bytes() }

// Rewriter changes a 2xx JSON answer of a documented operation.
type Rewriter interface {
	// Rewrite changes doc (decoded with json.Number numbers) in place, or
	// returns another, and returns the status to answer. op names the
	// operation, "GET /whoami".
	Rewrite(r *http.Request, op string, status int, doc any) (int, any)
}

// Middleware returns a middleware that passes every 2xx JSON answer of an
// operation of v's contract through the rewriters, in order, and sends the
// result. Other answers are sent as they are.
func Middleware(v *contract.Validator, rewriters ...Rewriter) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c := NewCapture(w.Header())
			next.ServeHTTP(c, r)
			status, body := rewrite(v, rewriters, r, c.Status(), c.Body())
			w.Header().Set("Content-Length", strconv.Itoa(len(body)))
			w.WriteHeader(status)
			_, _ = w.Write(body)
		})
	}
}

func rewrite(v *contract.Validator, rewriters []Rewriter, r *http.Request, status int, body []byte) (int, []byte) {
	if status < 200 || status > 299 {
		return status, body
	}
	op, ok := v.Operation(r.Method, strings.TrimPrefix(r.URL.Path, "/4.0"))
	if !ok {
		return status, body
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return status, body
	}
	name := op.String()
	for _, rw := range rewriters {
		status, doc = rw.Rewrite(r, name, status, doc)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(doc); err != nil {
		return status, body // cannot happen: doc came from JSON
	}
	return status, buf.Bytes()
}

// Log logs what a rewriter did to an answer, at Info: SDK authors read the
// mock's log to see what their client was served.
func Log(log *slog.Logger, msg string, r *http.Request, attrs ...any) {
	log.Info(msg, append([]any{"method", r.Method, "path", r.URL.Path}, attrs...)...)
}
