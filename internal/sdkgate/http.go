package sdkgate

import (
	"bufio"
	"net"
	"net/http"

	"github.com/passfort-conformance/harness/internal/mock"
)

// Bounds of the gate's record: a misbehaving client cannot grow it without end.
const (
	maxGateFindings = 1000
	maxOperations   = 256 // distinct undocumented method and path pairs kept apart
)

// AdminPath is the gate's admin endpoint:
//
//	GET    /__mock/gate     the record (Report)
//	DELETE /__mock/gate     start the record afresh
//
// The caller has checked the API key; requests to it are not recorded.
const AdminPath = mock.AdminPrefix + "gate"

// ServeAdmin serves AdminPath.
func (g *Gate) ServeAdmin(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet:
		g.api.WriteJSON(w, http.StatusOK, g.Report())
	case http.MethodDelete:
		g.reset()
		g.api.WriteJSON(w, http.StatusOK, g.Report())
	default:
		g.api.MethodNotAllowed(w, r, "GET, DELETE")
	}
}

// statusWriter records the status a request was answered with, once:
// status 0 when nothing was sent (a client that gave up) or the connection
// was taken over (a dropped connection).
type statusWriter struct {
	http.ResponseWriter
	v        *visit
	status   int
	recorded bool
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

// Hijack records status 0 before the connection is taken over: a server's
// shutdown does not wait for a connection that was.
func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	w.finishWith(0)
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Flush sends what was written so far.
func (w *statusWriter) Flush() { _ = http.NewResponseController(w.ResponseWriter).Flush() }

// Unwrap lets http.ResponseController reach the connection.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// finish records the status answered, unless one was recorded already.
func (w *statusWriter) finish() { w.finishWith(w.status) }

func (w *statusWriter) finishWith(status int) {
	if !w.recorded {
		w.recorded = true
		w.v.done(status)
	}
}
