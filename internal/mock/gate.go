package mock

import (
	"bytes"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/passfort-conformance/harness/internal/finding"
)

// The SDK request gate: with Options.Gate the mock records, for every
// request it receives, the contract findings of the request (what the
// contract says a client must not send) and which operations and statuses
// were exercised. An SDK's integration tests run against the mock, and
// cmd/sdk-gate fails them when any request broke the contract. The record
// is served on GET /__mock/gate and returned by Server.Gate.

// Bounds of the gate's record: a misbehaving client cannot grow it without end.
const (
	maxGateFindings   = 1000
	maxGateOperations = 256 // distinct undocumented method and path pairs kept apart
)

// GateReport is what the gate recorded.
type GateReport struct {
	// Requests counts every request the API answered or dropped (admin
	// ones excluded): the sum of Operations' counts.
	Requests int64 `json:"requests"`
	// BadRequests counts the requests with at least one finding.
	BadRequests int64 `json:"bad_requests"`
	// Operations maps "METHOD /template" (or "METHOD /path" outside the
	// contract) to the statuses answered; status 0 means no answer (a
	// dropped connection, a client that gave up).
	Operations map[string]GateOperation `json:"operations"`
	// Findings are the contract findings of the bad requests, oldest first,
	// each with the status the mock answered.
	Findings []finding.Finding `json:"findings"`
	// DroppedFindings counts the findings over the record's bound of 1000.
	DroppedFindings int64 `json:"dropped_findings,omitempty"`
}

// GateOperation is one operation's record.
type GateOperation struct {
	// Statuses counts the answers by HTTP status.
	Statuses map[int]int64 `json:"statuses"`
}

// Failed reports whether any request broke the contract.
func (g GateReport) Failed() bool { return g.BadRequests > 0 }

// gate records requests. Counting takes no lock once an operation and
// status pair has been seen; findings take one.
type gate struct {
	requests atomic.Int64
	bad      atomic.Int64
	counts   sync.Map // gateKey → *atomic.Int64
	others   atomic.Int64

	mu       sync.Mutex
	findings []finding.Finding
	dropped  int64
}

type gateKey struct {
	op     string
	status int
}

func newGate() *gate { return &gate{} }

// gateVisit is one request on its way through the mock.
type gateVisit struct {
	g        *gate
	op       string
	other    bool // op is outside the contract
	findings []finding.Finding
	// checked says the request went through the contract check, so the
	// API reuses findings and jsonBody instead of checking it twice.
	checked  bool
	jsonBody bool // the check read the body as JSON
}

// visit checks a request against the contract before the API serves it;
// the body is read and put back.
func (g *gate) visit(s *Server, r *http.Request) *gateVisit {
	v := &gateVisit{g: g}
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
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = readAll(io.LimitReader(r.Body, s.maxBody+1), r.ContentLength)
		_ = r.Body.Close()
		if err != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			name(s.validator.OperationName(r.Method, below))
			return v // the API answers the cut-short body
		}
		r.Body = replay{bytes.NewReader(body), body}
	}
	if r.Method == http.MethodGet && r.URL.RawQuery == "" && len(body) == 0 && s.routes(r.Method, path) {
		// The router has checked all such a request carries, as in serveAPI.
		name(s.validator.OperationName(r.Method, below))
		return v
	}
	target := below
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	verdict := s.validator.JudgeRequest(r.Method, target, r.Header, body)
	name(verdict.Operation, verdict.Operation != "")
	v.findings, v.jsonBody, v.checked = verdict.Findings, verdict.JSONBody, true
	return v
}

// replay is a request body the gate has read in full, served again to the
// API, which takes its bytes without copying them.
type replay struct {
	*bytes.Reader
	b []byte
}

func (replay) Close() error { return nil }

// routes reports whether the mock's router serves method on path with
// well-formed ids.
func (s *Server) routes(method, path string) bool {
	m := route(path)
	return m.res != resNone && handlerFor(m.res, method) != nil && checkPathIDs(m) == nil
}

// otherOp names a request outside the contract, within the record's bound.
func (g *gate) otherOp(method, path string) string {
	if g.others.Load() >= maxGateOperations {
		return method + " (other paths outside the contract)"
	}
	return method + " " + path
}

// done records the status the request was answered with. A nil visit
// (the gate is off) records nothing.
func (v *gateVisit) done(status int) {
	if v == nil {
		return
	}
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

// report returns a copy of the record.
func (g *gate) report() GateReport {
	out := GateReport{Requests: g.requests.Load(), BadRequests: g.bad.Load(), Operations: map[string]GateOperation{}}
	g.counts.Range(func(k, c any) bool {
		key := k.(gateKey)
		op, ok := out.Operations[key.op]
		if !ok {
			op = GateOperation{Statuses: map[int]int64{}}
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
func (g *gate) reset() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.requests.Store(0)
	g.bad.Store(0)
	g.others.Store(0)
	g.counts.Clear()
	g.findings, g.dropped = nil, 0
}

// Gate returns the SDK request gate's record; false when Options.Gate is off.
func (s *Server) Gate() (GateReport, bool) {
	if s.x.gate == nil {
		return GateReport{}, false
	}
	return s.x.gate.report(), true
}

// Lines renders each finding as one line for a console:
// "POST /profiles/{profile_id}/applications 400: /product: value is required [invalid-request required]".
func (g GateReport) Lines() []string {
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
		b.WriteString(oneLine(f.Message))
		b.WriteString(" [" + f.Kind)
		if f.Rule != "" && f.Rule != f.Kind {
			b.WriteString(" " + f.Rule)
		}
		b.WriteString("]")
		out = append(out, b.String())
	}
	return out
}

// OperationNames lists the recorded operations, sorted.
func (g GateReport) OperationNames() []string {
	out := make([]string, 0, len(g.Operations))
	for op := range g.Operations {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}
