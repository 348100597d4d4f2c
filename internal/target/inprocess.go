package target

import (
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
	t.h.ServeHTTP(rec, in)
	if in.Body != http.NoBody {
		in.Body.Close()
	}
	resp := rec.Result()
	resp.Request = req
	return resp, nil
}
