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
// reads the profile afterwards. The one exception is webhooks (hooks.go):
// with one set, a sweeper works the events out when they are due, so their
// webhooks go out on time.
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
	// Catalog is the product catalogue; catalog.Default() if nil.
	Catalog *catalog.Catalog
	// MaxBodyBytes is the largest request body accepted (413 above it);
	// DefaultMaxBodyBytes if 0.
	MaxBodyBytes int64
	// Validator checks requests against the contract (D3, D4);
	// contract.Default() if nil. A GET without a query is not passed to it:
	// the mock's router has already checked all such a request carries.
	Validator *contract.Validator
	// Model is the lifecycle model that moves applications; lifecycle.Default()
	// if nil.
	Model *lifecycle.Model
	// RevertMode overrides the model's revert_mode option: "same_id" or
	// "new_application" (D10); "" keeps the model's.
	RevertMode string
	// Logger receives the mock's diagnostics; nothing is logged if nil.
	Logger *slog.Logger

	// Test switches (intercept.go); all off by default, and off the hot
	// path while off.

	// Faults are misbehaviours on purpose (faults.go): latency, rate
	// limits, error statuses, dropped connections, slow or cut-short
	// bodies, per route. The admin endpoint /__mock/faults replaces them
	// at run time.
	Faults []Fault
	// Gate records the contract findings of every request and the
	// operations and statuses exercised, for the SDK request gate
	// (gate.go, cmd/sdk-gate): Server.Gate and GET /__mock/gate.
	Gate bool
	// Drift adds one undocumented field, enum value and status code to
	// what the mock serves, for the drift report's acceptance test
	// (driftswitch.go).
	Drift bool
	// Tolerance serves what the contract allows but SDKs often mishandle:
	// optional fields absent, nullable fields null, undocumented fields,
	// unknown enum values (tolerance.go).
	Tolerance bool
	// ToleranceSpec is the OpenAPI document tolerance mode reads the
	// response schemas from; spec/passfort-4.0.yaml if nil.
	ToleranceSpec []byte
	// Webhook is where PRODUCT_STATUS_CHANGED webhooks go (hooks.go); none
	// if its URL is "". /__mock/webhooks replaces it at run time.
	Webhook WebhookConfig
}

// Server is the mock PassFort API. Create it with New; it is safe for
// concurrent use.
type Server struct {
	apiKey      []byte
	now         func() time.Time
	delay       time.Duration
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
	x           *extras // test switches: intercept.go
	hooks       *hooks  // webhooks: hooks.go
}

// New returns a mock configured by opts, or an error if an option is invalid.
func New(opts Options) (*Server, error) {
	s := &Server{
		apiKey:  []byte(opts.APIKey),
		now:     opts.Now,
		delay:   opts.AutomationDelay,
		maxBody: opts.MaxBodyBytes,
		log:     opts.Logger,
		ids:     newIDGen(opts.Seed),
		store:   newStore(),
		catalog: opts.Catalog,
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
	if s.hooks, err = newHooks(s, opts.Webhook, opts.Seed); err != nil {
		return nil, err
	}
	if s.x, err = newExtras(s, opts); err != nil {
		return nil, err
	}
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

// ServeHTTP serves one request. While a test switch is on (faults, the
// gate, drift, tolerance) or for the admin endpoints, the request goes
// through intercept.go first; otherwise straight to the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.x.intercepts(r) {
		s.x.serve(w, r)
		return
	}
	s.serveAPI(w, r, nil)
}

// serveAPI serves one API request: authentication first (D5), then the
// route, the method, the body limits and the operation itself.
// serveAPI answers a request of the contract. checked, when not nil, holds
// the SDK gate's contract check of this very request, which is reused.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, checked *gateVisit) {
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
		w.Header().Set("Allow", allowed(m.res))
		s.fail(w, &apiError{status: http.StatusMethodNotAllowed, code: codeInvalidInputData,
			message: fmt.Sprintf("Method %s is not allowed on %s: use %s", r.Method, r.URL.Path, allowed(m.res))})
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
		if checked != nil && checked.checked {
			fs, c.jsonBody = checked.findings, checked.jsonBody
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
// non-empty body is declared JSON (D7).
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
	if rb, ok := r.Body.(replay); ok {
		if body = rb.b; int64(len(body)) > s.maxBody {
			return nil, tooLarge
		}
	} else {
		body, err = readAll(http.MaxBytesReader(w, r.Body, s.maxBody), r.ContentLength)
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
	return body, nil
}

// readAll reads r to its end. With the body's size known (a Content-Length
// up to 64 KiB), it reads into a buffer of that size at once instead of
// growing one from 512 bytes.
func readAll(r io.Reader, size int64) ([]byte, error) {
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
	s.log.Debug("refused", "status", e.status, "code", e.code, "message", e.message)
	s.write(w, e.status, e.body())
}

// write encodes v as the JSON body of a response with the given status.
func (s *Server) write(w http.ResponseWriter, status int, v any) {
	buf := s.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer s.bufs.Put(buf)
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

// Resources of the contract's paths.
type resource uint8

const (
	resNone resource = iota
	resWhoAmI
	resProfiles
	resProfile
	resProfileDelete
	resProfileStatus
	resEvents
	resEvent
	resApplications
	resApplication
	resRevert
	resTasks
	resTask
)

// match is a routed path: the resource and the ids in it.
type match struct {
	res     resource
	profile string // {profile_id}
	sub     string // {application_id}, {task_id} or {event_id}
}

// route maps a request path to a resource without regular expressions.
func route(path string) match {
	const prefix = "/4.0/"
	if !strings.HasPrefix(path, prefix) {
		return match{}
	}
	var seg [5]string
	n, rest := 0, path[len(prefix):]
	for {
		if n == len(seg) {
			return match{}
		}
		i := strings.IndexByte(rest, '/')
		if i < 0 {
			seg[n] = rest
			n++
			break
		}
		seg[n], rest = rest[:i], rest[i+1:]
		n++
	}
	for _, s := range seg[:n] {
		if s == "" {
			return match{}
		}
	}
	switch {
	case n == 1 && seg[0] == "whoami":
		return match{res: resWhoAmI}
	case seg[0] != "profiles":
		return match{}
	case n == 1:
		return match{res: resProfiles}
	case n == 2:
		return match{res: resProfile, profile: seg[1]}
	case n == 3:
		switch seg[2] {
		case "delete":
			return match{res: resProfileDelete, profile: seg[1]}
		case "status":
			return match{res: resProfileStatus, profile: seg[1]}
		case "events":
			return match{res: resEvents, profile: seg[1]}
		case "applications":
			return match{res: resApplications, profile: seg[1]}
		case "tasks":
			return match{res: resTasks, profile: seg[1]}
		}
	case n == 4:
		switch seg[2] {
		case "events":
			return match{res: resEvent, profile: seg[1], sub: seg[3]}
		case "applications":
			return match{res: resApplication, profile: seg[1], sub: seg[3]}
		case "tasks":
			return match{res: resTask, profile: seg[1], sub: seg[3]}
		}
	case n == 5 && seg[2] == "applications" && seg[4] == "revert_decision":
		return match{res: resRevert, profile: seg[1], sub: seg[3]}
	}
	return match{}
}

// handlerFor returns the operation serving method on res, nil if none.
func handlerFor(res resource, method string) handler {
	get := method == http.MethodGet
	post := method == http.MethodPost
	switch {
	case res == resWhoAmI && get:
		return (*Server).getWhoAmI
	case res == resProfiles && get:
		return (*Server).listProfiles
	case res == resProfiles && post:
		return (*Server).createProfile
	case res == resProfile && get:
		return (*Server).getProfile
	case res == resProfileDelete && post:
		return (*Server).deleteProfile
	case res == resProfileStatus && get:
		return (*Server).getProfileStatus
	case res == resProfileStatus && post:
		return (*Server).updateProfileStatus
	case res == resEvents && get:
		return (*Server).listEvents
	case res == resEvents && post:
		return (*Server).createEvent
	case res == resEvent && get:
		return (*Server).getEvent
	case res == resEvent && post:
		return (*Server).updateEvent
	case res == resApplications && get:
		return (*Server).listApplications
	case res == resApplications && post:
		return (*Server).addApplicationOp
	case res == resApplication && get:
		return (*Server).getApplication
	case res == resApplication && post:
		return (*Server).updateApplication
	case res == resRevert && post:
		return (*Server).revertDecision
	case res == resTasks && get:
		return (*Server).listTasks
	case res == resTask && get:
		return (*Server).getTask
	case res == resTask && post:
		return (*Server).updateTask
	}
	return nil
}

// allowed lists the methods a resource supports, for 405 answers.
func allowed(res resource) string {
	switch res {
	case resWhoAmI, resTasks:
		return "GET"
	case resProfileDelete, resRevert:
		return "POST"
	}
	return "GET, POST"
}

func (s *Server) getWhoAmI(*call) (any, *apiError) { return &s.whoami, nil }

// Access to profiles. view and change hold the profile's lock while fn runs;
// view takes only the read lock unless a timed event is due.

func (s *Server) lookup(c *call) (*profile, *apiError) {
	x, ok := parseID(c.m.profile)
	if !ok {
		return nil, notFound("Profile not found: %s", c.m.profile)
	}
	p := s.store.get(x)
	if p == nil {
		return nil, notFound("Profile not found: %s", c.m.profile)
	}
	return p, nil
}

func (s *Server) view(c *call, fn func(p *profile) (any, *apiError)) (any, *apiError) {
	p, e := s.lookup(c)
	if e != nil {
		return nil, e
	}
	return s.viewProfile(p, c.now, fn)
}

func (s *Server) viewProfile(p *profile, now stamp, fn func(p *profile) (any, *apiError)) (any, *apiError) {
	p.mu.RLock()
	if p.next > now && !p.deleted {
		defer p.mu.RUnlock()
		return fn(p)
	}
	p.mu.RUnlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.deleted {
		return nil, notFound("Profile not found: %s", p.id)
	}
	s.advance(p, now)
	return fn(p)
}

func (s *Server) change(c *call, fn func(p *profile, t stamp) (any, *apiError)) (any, *apiError) {
	p, e := s.lookup(c)
	if e != nil {
		return nil, e
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.deleted {
		return nil, notFound("Profile not found: %s", c.m.profile)
	}
	s.advance(p, c.now)
	defer s.watch(p)
	return fn(p, p.clamp(c.now))
}

// checkPathIDs answers 404 for a path id that is not id-shaped: it names no
// resource (D6), whatever the contract's pattern would say.
func checkPathIDs(m match) *apiError {
	if m.profile != "" {
		if _, ok := parseID(m.profile); !ok {
			return notFound("Profile not found: %s", m.profile)
		}
	}
	if m.sub == "" {
		return nil
	}
	if _, ok := parseID(m.sub); ok {
		return nil
	}
	switch m.res {
	case resEvent:
		return notFound("Event not found: %s", m.sub)
	case resTask:
		return notFound("Task not found: %s", m.sub)
	}
	return notFound("Application not found: %s", m.sub)
}
