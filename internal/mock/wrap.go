package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/finding"
)

// What the test-side capabilities wrapped around the API (faults, the SDK
// request gate, tolerance mode, the drift switch, webhooks) may use of it:
// its key check, its error envelope, its body limits, its clock and its
// contract, so that what they answer reads like the API's own answers.

// Error codes of PassFort's envelope that middleware answers with.
const (
	// CodeInvalidInputData is PassFort's 201 INVALID_INPUT_DATA.
	CodeInvalidInputData = codeInvalidInputData
	// CodeUnknownInternal is PassFort's 401 UNKNOWN_INTERNAL_ERROR: the code
	// of injected errors, as no documented code means "overloaded".
	CodeUnknownInternal = 401
)

// AdminPrefix is where the admin endpoints of the test-side capabilities
// live, outside the API's /4.0.
const AdminPrefix = "/__mock/"

// Authorized reports whether r carries the mock's API key.
func (s *Server) Authorized(r *http.Request) bool { return s.authenticate(r) == nil }

// Authenticate reports whether r carries the mock's API key; when it does
// not, it has answered 401 as the API does.
func (s *Server) Authenticate(w http.ResponseWriter, r *http.Request) bool {
	if e := s.authenticate(r); e != nil {
		s.fail(w, e)
		return false
	}
	return true
}

// Error answers with the API's error envelope.
func (s *Server) Error(w http.ResponseWriter, status, code int, message string) {
	s.fail(w, &apiError{status: status, code: code, message: message})
}

// MethodNotAllowed answers 405 with the Allow header, as the API does.
func (s *Server) MethodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	s.fail(w, &apiError{status: http.StatusMethodNotAllowed, code: codeInvalidInputData,
		message: fmt.Sprintf("Method %s is not allowed on %s: use %s", r.Method, r.URL.Path, allow)})
}

// ReadBody reads a request body as the API does: within its size limit,
// declared JSON when not empty. When it cannot, it has answered the API's
// refusal (413, 415, 400) and returns false.
func (s *Server) ReadBody(w http.ResponseWriter, r *http.Request) ([]byte, bool) {
	body, e := s.readBody(w, r)
	if e != nil {
		s.fail(w, e)
		return nil, false
	}
	return body, true
}

// WriteJSON answers v as a JSON body, encoded as the API encodes its own.
func (s *Server) WriteJSON(w http.ResponseWriter, status int, v any) { s.write(w, status, v) }

// JSONKind names the JSON type of a raw value by its first byte ("nothing"
// for none), in the words of the API's own "got X, want Y" messages.
func JSONKind(raw json.RawMessage) string { return jsonKind(raw) }

// Now returns the time on the mock's clock (Options.Now).
func (s *Server) Now() time.Time { return s.now() }

// Validator returns the contract the API checks requests against.
func (s *Server) Validator() *contract.Validator { return s.validator }

// MaxBodyBytes returns the largest request body the API accepts.
func (s *Server) MaxBodyBytes() int64 { return s.maxBody }

// Logger returns the mock's logger (Options.Logger; it discards if nil).
func (s *Server) Logger() *slog.Logger { return s.log }

// Routes reports whether the API's router serves method on path (with
// /4.0) with well-formed ids: such a GET without a query carries nothing
// else for the contract to check, unless its operation requires a query
// parameter (the SDK gate checks those itself).
func Routes(method, path string) bool {
	m := route(path)
	return m.res != resNone && handlerFor(m.res, method) != nil && checkPathIDs(m) == nil
}

// JudgedBody is a request body a middleware has read in full and, when
// Judged, checked against the API's contract (the SDK request gate). Set as
// the request's Body, it hands the API the bytes and the verdict, so the
// request is neither read nor checked twice.
type JudgedBody struct {
	*bytes.Reader
	// Bytes is the whole body.
	Bytes []byte
	// Judged says Findings and JSONBody hold the contract's verdict on the
	// request (its method, target, headers and body).
	Judged bool
	// Findings are what the contract says is wrong with the request.
	Findings []finding.Finding
	// JSONBody says the check read the body as JSON.
	JSONBody bool
}

// NewJudgedBody returns a body of b, not judged yet.
func NewJudgedBody(b []byte) *JudgedBody { return &JudgedBody{Reader: bytes.NewReader(b), Bytes: b} }

// Close does nothing: the body is in memory.
func (*JudgedBody) Close() error { return nil }
