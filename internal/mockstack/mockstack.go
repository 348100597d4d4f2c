// Package mockstack composes the mock's API (internal/mock) with the
// test-side capabilities that are switched on, in one place, for both
// cmd/passfort-mock and the suite's embedded mock:
//
//	admin endpoints /__mock/faults, /__mock/webhooks, /__mock/gate
//	└ the SDK request gate (sdkgate), when on: records every request
//	  └ faults (faults): latency, rate limit, error answers, body faults
//	    └ the drift switch and tolerance mode (answer), when on
//	      └ the API (mock)
//
// Webhooks (webhooks) follow the API as its mock.Observer. With no switch
// on and no fault in force, a request goes straight to the API after one
// path prefix check and the faults' atomic check.
package mockstack

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/answer"
	"github.com/passfort-conformance/harness/internal/driftswitch"
	"github.com/passfort-conformance/harness/internal/faults"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/sdkgate"
	"github.com/passfort-conformance/harness/internal/tolerance"
	"github.com/passfort-conformance/harness/internal/webhooks"
)

// Options configure a mock and its test-side capabilities; the switches are
// all off by default. The API's options are embedded, so their fields read
// as the stack's own (opts.APIKey).
type Options struct {
	mock.Options

	// Faults are misbehaviours on purpose (internal/faults); the admin
	// endpoint /__mock/faults replaces them at run time.
	Faults []faults.Fault
	// Gate records the contract findings of every request and the
	// operations and statuses exercised (internal/sdkgate), served on
	// /__mock/gate.
	Gate bool
	// Drift adds one undocumented field, enum value and status
	// (internal/driftswitch), for the drift report's acceptance test.
	Drift bool
	// Tolerance serves what the contract allows but SDKs often mishandle
	// (internal/tolerance), from the response schemas of the API's
	// validator's document.
	Tolerance bool
	// Webhook is where PRODUCT_STATUS_CHANGED webhooks go
	// (internal/webhooks); none if its URL is "". /__mock/webhooks replaces
	// it at run time.
	Webhook webhooks.Config
	// WebhookEgress is where webhooks may go: loopback, and the hosts it
	// allows (decision D80, docs/decisions.md).
	WebhookEgress webhooks.Egress
	// Clock is the mock's clock, for the API and the webhooks' waits. If
	// nil: Options.Now (time.Now if nil), with the wall clock's timers.
	Clock webhooks.Clock
}

// Stack is a mock with its capabilities: an http.Handler. Close it when
// done with.
type Stack struct {
	// API is the mock's API.
	API *mock.Server
	// Faults holds the faults in force.
	Faults *faults.Injector
	// Gate is the SDK request gate; nil when off.
	Gate *sdkgate.Gate
	// Hooks sends the webhooks.
	Hooks *webhooks.Hooks

	h http.Handler // the API behind the capabilities that are on
}

// New returns the mock configured by opts, or an error if an option is
// invalid.
func New(opts Options) (*Stack, error) {
	clock := opts.Clock
	if clock == nil {
		now := opts.Now
		if now == nil {
			now = time.Now
		}
		clock = wallTimers{now: now}
	}
	api := opts.Options
	api.Now = clock.Now
	hooks, err := webhooks.New(opts.Webhook, opts.WebhookEgress, opts.Seed, clock, opts.Logger)
	if err != nil {
		return nil, fmt.Errorf("mock: %w", err)
	}
	api.Observer = hooks
	srv, err := mock.New(api)
	if err != nil {
		return nil, err
	}
	hooks.Bind(srv)
	st := &Stack{API: srv, Hooks: hooks}
	if st.Faults, err = faults.New(srv, opts.Faults); err != nil {
		return nil, fmt.Errorf("mock: %w", err)
	}
	var rewriters []answer.Rewriter
	if opts.Drift {
		rewriters = append(rewriters, driftswitch.Switch{Log: srv.Logger()})
	}
	if opts.Tolerance {
		mode, err := tolerance.New(srv.Validator().Document(), srv.Logger())
		if err != nil {
			return nil, fmt.Errorf("mock: tolerance: %w", err)
		}
		rewriters = append(rewriters, mode)
	}
	var h http.Handler = srv
	if len(rewriters) > 0 {
		h = answer.Middleware(srv.Validator(), rewriters...)(h)
	}
	h = st.Faults.Wrap(h)
	if opts.Gate {
		st.Gate = sdkgate.New(srv)
		h = st.Gate.Wrap(h)
	}
	st.h = h
	return st, nil
}

// ServeHTTP serves the admin endpoints, and passes every other request
// through the capabilities that are on to the API.
func (st *Stack) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, mock.AdminPrefix) {
		st.serveAdmin(w, r)
		return
	}
	st.h.ServeHTTP(w, r)
}

// serveAdmin hands an admin request to the capability that owns it. The
// admin endpoints need the API key like the API, and answer errors with the
// same envelope.
func (st *Stack) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if !st.API.Authenticate(w, r) {
		return
	}
	switch r.URL.Path {
	case faults.AdminPath:
		st.Faults.ServeAdmin(w, r)
	case webhooks.AdminPath:
		st.Hooks.ServeAdmin(w, r)
	case sdkgate.AdminPath:
		if st.Gate == nil {
			st.API.Error(w, http.StatusNotFound, mock.CodeInvalidInputData,
				"The SDK request gate is off: start the mock with -gate (Options.Gate)")
			return
		}
		st.Gate.ServeAdmin(w, r)
	default:
		p := mock.AdminPrefix
		st.API.Error(w, http.StatusNotFound, mock.CodeInvalidInputData,
			fmt.Sprintf("No such admin endpoint: %s (see %sfaults, %swebhooks and %sgate)", r.URL.Path, p, p, p))
	}
}

// Close stops the mock's background work: the webhook sweeper at once, and
// the webhooks already queued after at most 2 s of trying to send them.
func (st *Stack) Close() { st.Hooks.Close() }

// wallTimers is a clock read from now whose timers run on the wall clock.
type wallTimers struct{ now func() time.Time }

func (c wallTimers) Now() time.Time                         { return c.now() }
func (c wallTimers) After(d time.Duration) <-chan time.Time { return time.After(d) }
