// Package mock is a stateful, in-memory PassFort API 4.0: an http.Handler
// that serves every operation of the harness's contract (spec/passfort-4.0.yaml)
// under /4.0, and moves product applications through the same lifecycle model
// (spec/lifecycle.yaml) the checker holds every response against.
//
// State lives in memory, sharded by profile, and is safe for concurrent
// requests; reads take read locks only. Ids and timestamps are deterministic:
// ids come from a seeded generator, times from the clock in Options. Nothing
// runs in the background: time-driven changes are pending events with a due
// time, worked out (and dated when they were due) by the first request that
// reads the profile afterwards, or when an Observer (observe.go) asks for
// them with WorkOutDue.
//
// Beyond the lifecycle, the mock keeps per profile its checks (their state
// read off the clock: PENDING, RUNNING, COMPLETE, each check linked to the
// tasks it serves), collected data with an ETag, document images, files,
// task notes, tags, collection steps and an audit trail, each bounded
// (state.go); company and address search answer from a small catalogue of
// its own (search.go). Decisions D36 to D53, docs/decisions.md.
//
// The mock is the API and nothing else. Test-side capabilities (faults, the
// SDK request gate, tolerance mode, the drift switch, webhooks) live in
// packages of their own, composed around it by internal/mockstack; what they
// may use of the API is in wrap.go.
//
// Every request is checked against the contract (internal/contract) and
// refused with the documented status and error envelope. Applications move
// as follows; the product catalogue (spec/products.yaml) says which product
// reaches which flag:
//
//   - AUTOMATING: for Options.AutomationDelay after the application is created.
//   - WAITING_ON_CHECKS: while a task's check runs (a task variant's
//     check_duration, counted from the end of automation).
//   - REQUIRES_RISK_SCORE: the product needs risk data (needs_risk_data) and
//     the profile lacks it (dob and nationality, or a company's country of
//     incorporation); the application carries an UNDETERMINED_RISK blocker.
//   - REQUIRES_MANUAL_TASK_COMPLETION: a required task is not passed, or the
//     profile has an unresolved event.
//   - WAITING_ON_ESCALATION: every task passed on a product whose outcome is
//     ESCALATE; a client's approval stands for the escalation teams' approval.
//   - READY_FOR_DECISION, DECIDED: as the lifecycle model says.
//   - NEARING_EXPIRY: an APPROVED application whose passed task expires within
//     30 days (the product's task_expiry_days); when it expires the task is
//     INCOMPLETE again and the application goes to IN_REVIEW.
//
// Automatic status changes: AUTOMATIC_APPROVAL products are approved once
// automation and checks are done and nothing blocks approval;
// IMMEDIATE_REJECTION products reject a never-approved application when one
// of its tasks is COMPLETED_FAIL; an APPROVED application with an incomplete
// task or an unresolved event goes to IN_REVIEW.
package mock

import (
	"github.com/passfort-conformance/harness/internal/finding"

	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/lifecycle"
)

// DefaultAPIKey is the API key a mock accepts when Options.APIKey is empty.
// It is meant for local use only; it is not a secret.
const DefaultAPIKey = "local-mock-key"

// Defaults of Options.
const (
	DefaultAutomationDelay = 50 * time.Millisecond
	DefaultMaxBodyBytes    = 1 << 20
	// DefaultMaxProfiles and DefaultMaxStoredBytes keep a shared mock's
	// store under about 400 MiB (decision D82, docs/decisions.md).
	DefaultMaxProfiles    = 20000
	DefaultMaxStoredBytes = 128 << 20
	// DefaultMaxApplicationsPerProfile and DefaultMaxHistory bound one
	// profile's applications and one application's history, so that one GET
	// stays small (decision D92).
	DefaultMaxApplicationsPerProfile = 100
	DefaultMaxHistory                = 1000
	DefaultCheckDuration             = time.Second
)

// Options configure a mock. The zero value is a working mock.
type Options struct {
	// APIKey is the key the mock accepts in the apikey header (or the
	// deprecated ?apikey= query parameter); DefaultAPIKey if "".
	APIKey string
	// Seed makes ids deterministic: two mocks with the same seed answer the
	// same requests, in the same order, with the same ids.
	Seed int64
	// Now is the clock; time.Now if nil. Tests control time with it.
	Now func() time.Time
	// AutomationDelay is how long a new application shows flag AUTOMATING.
	// 0 means DefaultAutomationDelay; a negative value means none (automation
	// completes at the first read after creation).
	AutomationDelay time.Duration
	// CheckDuration is how long an asynchronous check takes: PENDING for its
	// first quarter, RUNNING until it ends, then COMPLETE (decision D52,
	// docs/decisions.md). 0 means DefaultCheckDuration; a negative value
	// completes checks at once.
	CheckDuration time.Duration
	// Catalog is the product catalogue; catalog.Default() if nil.
	Catalog *catalog.Catalog
	// MaxBodyBytes is the largest request body accepted (413 above it);
	// DefaultMaxBodyBytes if 0.
	MaxBodyBytes int64
	// Validator checks requests against the contract (decisions D3 and D4,
	// docs/decisions.md);
	// contract.Default() if nil. A GET without a query is not passed to it:
	// the mock's router has already checked all such a request carries.
	Validator *contract.Validator
	// Model is the lifecycle model that moves applications; lifecycle.Default()
	// if nil.
	Model *lifecycle.Model
	// RevertMode overrides the model's revert_mode option: "same_id" or
	// "new_application" (decision D10, docs/decisions.md); "" keeps the model's.
	RevertMode string
	// Logger receives the mock's diagnostics; nothing is logged if nil.
	Logger *slog.Logger
	// MaxProfiles is how many profiles the mock holds at once (507 above
	// it, decision D82, docs/decisions.md); DefaultMaxProfiles if 0, no
	// limit if negative.
	MaxProfiles int
	// MaxStoredBytes is how many bytes of collected data, document images,
	// files, checks' input_data and output_data (decision D124) and
	// application records (decision D92) all profiles hold together (507
	// above it); DefaultMaxStoredBytes if 0, no limit if negative.
	MaxStoredBytes int64
	// MaxApplicationsPerProfile is how many applications one profile holds,
	// hidden ones (replaced by a revert) included: 507 for one more
	// (decision D92, docs/decisions.md); DefaultMaxApplicationsPerProfile if
	// 0, no limit if negative.
	MaxApplicationsPerProfile int
	// MaxHistory is how many entries an application's history, and its
	// flag_history, reach before the operations that could move it are 507
	// (decision D92); DefaultMaxHistory if 0, no limit if negative.
	MaxHistory int

	// Observer is told of status changes and time-driven changes
	// (observe.go); none if nil.
	Observer Observer
}

// Server is the mock PassFort API. Create it with New; it is safe for
// concurrent use.
type Server struct {
	apiKey      []byte
	now         func() time.Time
	delay       time.Duration
	checkTime   time.Duration
	tags        tagIndex // the account's tags
	maxBody     int64
	log         *slog.Logger
	ids         *idGen
	store       *store
	policy      *policy
	validator   *contract.Validator
	catalog     *catalog.Catalog
	products    []catalog.Product // catalogue order, indexed by application.product
	productJSON []productJSON     // rendered once per product
	whoami      whoAmIJSON
	bufs        sync.Pool
	observer    Observer // nil: none
}

// New returns a mock configured by opts, or an error if an option is invalid.
func New(opts Options) (*Server, error) {
	s := &Server{
		apiKey:   []byte(opts.APIKey),
		now:      opts.Now,
		delay:    opts.AutomationDelay,
		maxBody:  opts.MaxBodyBytes,
		log:      opts.Logger,
		ids:      newIDGen(opts.Seed),
		store:    newStore(),
		catalog:  opts.Catalog,
		observer: opts.Observer,
	}
	if len(s.apiKey) == 0 {
		s.apiKey = []byte(DefaultAPIKey)
	}
	if s.now == nil {
		s.now = time.Now
	}
	switch {
	case s.delay == 0:
		s.delay = DefaultAutomationDelay
	case s.delay < 0:
		s.delay = 0
	}
	switch {
	case opts.CheckDuration == 0:
		s.checkTime = DefaultCheckDuration
	case opts.CheckDuration > 0:
		s.checkTime = opts.CheckDuration
	}
	s.store.maxProfiles, s.store.maxBytes = int64(opts.MaxProfiles), opts.MaxStoredBytes
	if opts.MaxProfiles == 0 {
		s.store.maxProfiles = DefaultMaxProfiles
	}
	if opts.MaxStoredBytes == 0 {
		s.store.maxBytes = DefaultMaxStoredBytes
	}
	s.store.maxApps, s.store.maxHistory = opts.MaxApplicationsPerProfile, opts.MaxHistory
	if opts.MaxApplicationsPerProfile == 0 {
		s.store.maxApps = DefaultMaxApplicationsPerProfile
	}
	if opts.MaxHistory == 0 {
		s.store.maxHistory = DefaultMaxHistory
	}
	switch {
	case s.maxBody == 0:
		s.maxBody = DefaultMaxBodyBytes
	case s.maxBody < 0:
		return nil, fmt.Errorf("mock: max body bytes: got %d, want a positive size", s.maxBody)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.catalog == nil {
		c, err := catalog.Default()
		if err != nil {
			return nil, fmt.Errorf("mock: %w", err)
		}
		s.catalog = c
	}
	if n := s.catalog.Len(); n == 0 || n > 1<<16 {
		return nil, fmt.Errorf("mock: catalog: got %d products, want 1 to %d", n, 1<<16)
	}
	s.products = s.catalog.Products()
	for _, p := range s.products {
		s.productJSON = append(s.productJSON, productJSON{ID: p.ID, Alias: p.Alias, Name: p.Name, AutomaticallyApprove: p.AutomaticallyApprove})
	}
	pol, err := newPolicy(opts.Model, opts.RevertMode)
	if err != nil {
		return nil, err
	}
	s.policy = pol
	s.validator = opts.Validator
	if s.validator == nil {
		v, err := contract.Default()
		if err != nil {
			return nil, fmt.Errorf("mock: %w", err)
		}
		s.validator = v
	}
	s.whoami = whoAmIJSON{
		AuditeeName: "PassFort mock API key",
		Institution: institutionJSON{ID: s.ids.at(0).String(), Name: "PassFort mock institution"},
	}
	s.bufs.New = func() any { return new(bytes.Buffer) }
	return s, nil
}

// call is one request being served.
type call struct {
	r        *http.Request
	m        match
	body     []byte
	jsonBody bool // the contract check read body as JSON
	now      stamp
}

// object reads the request body as a JSON object.
func (c *call) object() (object, *apiError) { return parseBody(c.body, c.jsonBody) }

type handler func(*Server, *call) (any, *apiError)

// ServeHTTP serves one API request: authentication first (D5), then the
// route, the method, the body limits and the operation itself. A request
// whose Body is a JudgedBody carrying a verdict is not checked again.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if e := s.authenticate(r); e != nil {
		s.fail(w, e)
		return
	}
	m := route(r.URL.Path)
	if m.res == resNone {
		s.fail(w, notFound("No such path: %s", r.URL.Path))
		return
	}
	h := handlerFor(m.res, r.Method)
	if h == nil {
		s.MethodNotAllowed(w, r, allowed(m.res))
		return
	}
	if e := checkPathIDs(m); e != nil {
		s.fail(w, e)
		return
	}
	c := &call{r: r, m: m}
	if r.Method == http.MethodPost {
		body, e := s.readBody(w, r)
		if e != nil {
			s.fail(w, e)
			return
		}
		c.body = body
	}
	// Every request is checked against the contract, except a GET without a
	// query: the router has already checked all such a request carries (the
	// path and its ids), and GETs of one resource are the hot path.
	if r.Method != http.MethodGet || r.URL.RawQuery != "" {
		path := strings.TrimPrefix(r.URL.Path, "/4.0")
		if r.URL.RawQuery != "" {
			path += "?" + r.URL.RawQuery
		}
		var fs []finding.Finding
		if jb, ok := r.Body.(*JudgedBody); ok && jb.Judged {
			fs, c.jsonBody = jb.Findings, jb.JSONBody
		} else {
			v := s.validator.JudgeRequest(r.Method, path, r.Header, c.body)
			fs, c.jsonBody = v.Findings, v.JSONBody
		}
		if len(fs) > 0 {
			s.fail(w, requestError(fs))
			return
		}
	}
	c.now = stampOf(s.now())
	v, e := h(s, c)
	if e != nil {
		s.fail(w, e)
		return
	}
	s.write(w, http.StatusOK, v)
}

func (s *Server) authenticate(r *http.Request) *apiError {
	key := r.Header.Get("apikey")
	if key == "" && r.URL.RawQuery != "" {
		key = r.URL.Query().Get("apikey")
	}
	if key == "" {
		return &apiError{status: http.StatusUnauthorized, code: codeMissingAPIKey, message: "The apikey header is missing"}
	}
	if subtle.ConstantTimeCompare([]byte(key), s.apiKey) != 1 {
		return &apiError{status: http.StatusUnauthorized, code: codeInvalidAPIKey, message: "The API key is not valid"}
	}
	return nil
}

// readBody reads a POST body within the size limit and checks that a
// non-empty body is declared JSON (decision D7, docs/decisions.md).
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, *apiError) {
	if r.Body == nil {
		return nil, nil
	}
	tooLarge := &apiError{status: http.StatusRequestEntityTooLarge, code: codeInvalidInputData,
		message: fmt.Sprintf("The request body is larger than %d bytes", s.maxBody)}
	if r.ContentLength > s.maxBody {
		return nil, tooLarge
	}
	var body []byte
	var err error
	if jb, ok := r.Body.(*JudgedBody); ok {
		if body = jb.Bytes; int64(len(body)) > s.maxBody {
			return nil, tooLarge
		}
	} else {
		body, err = ReadAll(http.MaxBytesReader(w, r.Body, s.maxBody), r.ContentLength)
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, tooLarge
		}
		return nil, invalid("The request body could not be read: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return body, nil
	}
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		if ct == "" {
			ct = "(none)"
		}
		return nil, &apiError{status: http.StatusUnsupportedMediaType, code: codeInvalidInputData,
			message: fmt.Sprintf("Unsupported Content-Type %s: send application/json", ct)}
	}
	if !utf8.Valid(body) {
		// JSON is UTF-8 (RFC 8259); a string stored raw would be echoed
		// raw, and the answer would not be JSON (decision D83).
		return nil, invalid("The request body is not valid UTF-8 (first bad byte at offset %d)", firstInvalidUTF8(body))
	}
	return body, nil
}

// firstInvalidUTF8 returns the offset of the first byte of b that does not
// start a valid UTF-8 sequence, or -1.
func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return -1
}

// ReadAll reads r to its end. With the body's size known (a Content-Length
// up to 64 KiB), it reads into a buffer of that size at once instead of
// growing one from 512 bytes.
func ReadAll(r io.Reader, size int64) ([]byte, error) {
	if size < 0 || size > 64<<10 {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, size+1) // one byte over: the end is seen without growing
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = slices.Grow(b, 512) // the Content-Length was short
		}
	}
}

func (s *Server) fail(w http.ResponseWriter, e *apiError) {
	if e.etag != "" {
		w.Header().Set("ETag", e.etag)
	}
	s.log.Debug("refused", "status", e.status, "code", e.code, "message", e.message)
	s.write(w, e.status, e.body())
}

// write encodes v as the JSON body of a response with the given status.
func (s *Server) write(w http.ResponseWriter, status int, v any) {
	buf := s.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer s.bufs.Put(buf)
	if t, ok := v.(*versioned); ok {
		w.Header().Set("ETag", t.etag)
	}
	if a, ok := v.(jsonAppender); ok {
		// The hot paths' bodies encode themselves (render.go): same bytes.
		buf.Write(append(a.appendJSON(buf.AvailableBuffer()), '\n'))
	} else if err := encodeJSON(buf, v); err != nil {
		// Only a bug can get here: every body is a struct of this package.
		s.log.Error("cannot encode a response", "error", err)
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"errors":[{"code":401,"message":"The mock could not encode its answer","source":"API"}]}` + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func encodeJSON(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func (s *Server) getWhoAmI(*call) (any, *apiError) { return &s.whoami, nil }
