// Package sdkgate is the SDK request gate: it records, for every request
// the mock receives, the contract findings of the request (what the
// contract says a client must not send) and which operations and statuses
// were exercised. An SDK's integration tests run against the mock, and
// cmd/sdk-gate fails them when any request broke the contract. The record
// is served on GET /__mock/gate (this package's admin endpoint) and
// returned by Gate.Report.
//
// Gate wraps the API as middleware; it hands its contract check of each
// request to the API (mock.JudgedBody), which does not check it twice.
package sdkgate

import (
	"bytes"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/mock"
)

// Report is what the gate recorded.
type Report struct {
	// Requests counts every request the API answered or dropped (admin
	// ones excluded): the sum of Operations' counts.
	Requests int64 `json:"requests"`
	// BadRequests counts the requests with at least one finding.
	BadRequests int64 `json:"bad_requests"`
	// Operations maps "METHOD /template" (or "METHOD /path" outside the
	// contract) to the statuses answered; status 0 means no answer (a
	// dropped connection, a client that gave up).
	Operations map[string]Operation `json:"operations"`
	// Findings are the contract findings of the bad requests, oldest first,
	// each with the status the mock answered.
	Findings []finding.Finding `json:"findings"`
	// DroppedFindings counts the findings over the record's bound of 1000.
	DroppedFindings int64 `json:"dropped_findings,omitempty"`
}

// Operation is one operation's record.
type Operation struct {
	// Statuses counts the answers by HTTP status.
	Statuses map[int]int64 `json:"statuses"`
}

// Failed reports whether any request broke the contract.
func (g Report) Failed() bool { return g.BadRequests > 0 }

// Gate records requests. Counting takes no lock once an operation and
// status pair has been seen; findings take one. It is safe for concurrent
// use.
type Gate struct {
	api API
	// queryRequired holds the GET operations with a required query
	// parameter: without a query, the router cannot vouch for them.
	queryRequired map[string]bool
	requests      atomic.Int64
	bad           atomic.Int64
	counts        sync.Map // gateKey → *atomic.Int64
	others        atomic.Int64

	mu       sync.Mutex
	findings []finding.Finding
	dropped  int64
}

// API is what the gate needs of the API it wraps (a *mock.Server): its
// contract, its body limit and its error answers for the admin endpoint.
type API interface {
	Validator() *contract.Validator
	MaxBodyBytes() int64
	MethodNotAllowed(w http.ResponseWriter, r *http.Request, allow string)
	WriteJSON(w http.ResponseWriter, status int, v any)
}

// New returns a gate with an empty record.
func New(api API) *Gate {
	g := &Gate{api: api, queryRequired: map[string]bool{}}
	if v := api.Validator(); v != nil {
		for _, o := range v.Document().Operations() {
			if o.Method == http.MethodGet && requiresQuery(o) {
				g.queryRequired[o.Key()] = true
			}
		}
	}
	return g
}

// requiresQuery says whether an operation has a required query parameter.
func requiresQuery(o apispec.Operation) bool {
	for _, params := range []openapi3.Parameters{o.Item.Parameters, o.Op.Parameters} {
		for _, p := range params {
			if p != nil && p.Value != nil && p.Value.In == openapi3.ParameterInQuery && p.Value.Required {
				return true
			}
		}
	}
	return false
}

type gateKey struct {
	op     string
	status int
}

// visit is one request on its way through the mock.
type visit struct {
	g        *Gate
	op       string
	other    bool // op is outside the contract
	findings []finding.Finding
}

// Wrap returns next with every request recorded: checked against the
// contract before next serves it (the body is read and handed on as a
// mock.JudgedBody), and counted with the status next answered.
func (g *Gate) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := g.visit(r)
		sw := &statusWriter{ResponseWriter: w, v: v}
		next.ServeHTTP(sw, r)
		sw.finish()
	})
}

// visit checks a request against the contract before the API serves it;
// the body is read and put back.
func (g *Gate) visit(r *http.Request) *visit {
	v := &visit{g: g}
	validator := g.api.Validator()
	path := r.URL.Path
	if !strings.HasPrefix(path, "/4.0/") {
		v.op, v.other = g.otherOp(r.Method, path+" (outside /4.0)"), true
		v.findings = []finding.Finding{{Class: finding.Contract, Kind: finding.UndocumentedOperation, Rule: "operation",
			Operation: v.op, Message: "the API lives below /4.0: check the SDK's base URL"}}
		return v
	}
	below := strings.TrimPrefix(path, "/4.0")
	name := func(op string, documented bool) {
		if documented {
			v.op = op
		} else {
			v.op, v.other = g.otherOp(r.Method, below), true
		}
	}
	var body []byte
	var judged *mock.JudgedBody
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = mock.ReadAll(io.LimitReader(r.Body, g.api.MaxBodyBytes()+1), r.ContentLength)
		_ = r.Body.Close()
		if err != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			name(validator.OperationName(r.Method, below))
			return v // the API answers the cut-short body
		}
		judged = mock.NewJudgedBody(body)
		r.Body = judged
	}
	if r.Method == http.MethodGet && r.URL.RawQuery == "" && len(body) == 0 && mock.Routes(r.Method, path) {
		// The API's router has checked all such a request carries, unless
		// the operation requires a query parameter it lacks.
		if op, documented := validator.OperationName(r.Method, below); !documented || !g.queryRequired[op] {
			name(op, documented)
			return v
		}
	}
	target := below
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	verdict := validator.JudgeRequest(r.Method, target, r.Header, body)
	name(verdict.Operation, verdict.Operation != "")
	v.findings = verdict.Findings
	if judged == nil {
		judged = mock.NewJudgedBody(nil)
		r.Body = judged
	}
	judged.Judged, judged.Findings, judged.JSONBody = true, verdict.Findings, verdict.JSONBody
	return v
}

// otherOp names a request outside the contract, within the record's bound.
func (g *Gate) otherOp(method, path string) string {
	if g.others.Load() >= maxOperations {
		return method + " (other paths outside the contract)"
	}
	return method + " " + path
}

// done records the status the request was answered with.
func (v *visit) done(status int) {
	g := v.g
	g.requests.Add(1)
	k := gateKey{v.op, status}
	c, ok := g.counts.Load(k)
	if !ok {
		var loaded bool
		if c, loaded = g.counts.LoadOrStore(k, new(atomic.Int64)); !loaded && v.other {
			g.others.Add(1)
		}
	}
	c.(*atomic.Int64).Add(1)
	if len(v.findings) == 0 {
		return
	}
	g.bad.Add(1)
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, f := range v.findings {
		if len(g.findings) >= maxGateFindings {
			g.dropped++
			continue
		}
		f.Status = status
		g.findings = append(g.findings, f)
	}
}

// Report returns a copy of the record.
func (g *Gate) Report() Report {
	out := Report{Requests: g.requests.Load(), BadRequests: g.bad.Load(), Operations: map[string]Operation{}}
	g.counts.Range(func(k, c any) bool {
		key := k.(gateKey)
		op, ok := out.Operations[key.op]
		if !ok {
			op = Operation{Statuses: map[int]int64{}}
			out.Operations[key.op] = op
		}
		op.Statuses[key.status] += c.(*atomic.Int64).Load()
		return true
	})
	g.mu.Lock()
	out.Findings = append([]finding.Finding{}, g.findings...)
	out.DroppedFindings = g.dropped
	g.mu.Unlock()
	return out
}

// reset starts the record afresh.
func (g *Gate) reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests.Store(0)
	g.bad.Store(0)
	g.others.Store(0)
	g.counts.Clear()
	g.findings, g.dropped = nil, 0
}

// Lines renders each finding as one line for a console:
// "POST /profiles/{profile_id}/applications 400: /product: value is required [invalid-request required]".
func (g Report) Lines() []string {
	out := make([]string, 0, len(g.Findings))
	for _, f := range g.Findings {
		var b strings.Builder
		b.WriteString(f.Operation)
		if f.Status != 0 {
			b.WriteString(" " + strconv.Itoa(f.Status))
		}
		b.WriteString(": ")
		if f.Pointer != "" {
			b.WriteString(f.Pointer + ": ")
		}
		b.WriteString(f.OneLineMessage())
		b.WriteString(" [" + f.KindRule() + "]")
		out = append(out, b.String())
	}
	return out
}

// OperationNames lists the recorded operations, sorted.
func (g Report) OperationNames() []string {
	out := make([]string, 0, len(g.Operations))
	for op := range g.Operations {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}
