package target

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
)

// InProcess returns a transport that serves requests with h directly, without
// a socket: the embedded mock's transport. Each scenario gets its own mock,
// so this is what lets hundreds of scenarios start in milliseconds. The
// handler runs on the caller's goroutine with the request's context, so a
// handler that ignores its context is not cut short by the client timeout.
func InProcess(h http.Handler) http.RoundTripper { return inProcess{h} }

type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := req.Context().Err(); err != nil {
		if req.Body != nil {
			req.Body.Close() // a RoundTripper closes the body, even on error
		}
		return nil, err
	}
	// The handler sees what a server would: a request URI, a remote
	// address, a body that is never nil.
	in := req.Clone(req.Context())
	in.RequestURI = req.URL.RequestURI()
	in.RemoteAddr = "127.0.0.1:0"
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	if in.Body == nil {
		in.Body = http.NoBody
	}
	rec := httptest.NewRecorder()
	w := &inProcessWriter{ResponseRecorder: rec}
	t.h.ServeHTTP(w, in)
	if in.Body != http.NoBody {
		in.Body.Close()
	}
	if w.hijacked {
		// The handler took the connection and closed it without an answer
		// (the mock's drop fault): a client sees a server that hung up.
		return nil, fmt.Errorf("in-process: the handler closed the connection without answering: %w", io.EOF)
	}
	if err := req.Context().Err(); err != nil {
		// An answer that comes after the client gave up is never read, as
		// over a socket: the mock's latency and slow-body faults time out.
		return nil, err
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}

// inProcessWriter lets a handler take over the connection, as a server's
// ResponseWriter does: it gets one end of a pipe whose other end is closed.
type inProcessWriter struct {
	*httptest.ResponseRecorder
	hijacked bool
}

// Hijack hands the handler a connection nobody reads; RoundTrip then
// reports the connection closed without an answer.
func (w *inProcessWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	if w.hijacked {
		return nil, nil, http.ErrHijacked
	}
	w.hijacked = true
	c, peer := net.Pipe()
	_ = peer.Close()
	return c, bufio.NewReadWriter(bufio.NewReader(c), bufio.NewWriter(c)), nil
}
