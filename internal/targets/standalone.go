package targets

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/mockscope"
)

// StandaloneMock is a cmd/passfort-mock on loopback, found by the
// preflight of an Account. Concurrent scenarios share it, so each sends
// its requests in a scope of its own (mockscope.Header): it sets and sees
// only its own faults, and they are cleared when it ends.
type StandaloneMock struct {
	*Account
}

var _ Target = (*StandaloneMock)(nil)

// foundStandaloneMock is the account a's preflight found to be a
// cmd/passfort-mock, as the console is told.
func foundStandaloneMock(a *Account, out io.Writer) *StandaloneMock {
	fmt.Fprintf(out, "preflight: the target is a cmd/passfort-mock: @mock-only scenarios run, each with faults of its own (%s)\n", mockscope.Header)
	return &StandaloneMock{Account: a}
}

// Preflight has been run: it is how the mock was found.
func (m *StandaloneMock) Preflight(context.Context, io.Writer) (Target, error) { return m, nil }

// Capabilities: the mock's faults and webhooks, in the scenario's scope.
func (*StandaloneMock) Capabilities() Capabilities { return Capabilities{Faults: true, Webhooks: true} }

// Connect builds the scenario's client in its own scope; End clears the
// faults and webhooks it set there and deletes the profiles it created.
func (m *StandaloneMock) Connect(scope string, observe func(*exchange.Exchange), allow func(method, path string) error) (*Session, error) {
	header := http.Header{mockscope.Header: {m.shared.RunID + "/" + scope}}
	c, err := m.client(observe, allow, header)
	if err != nil {
		return nil, err
	}
	return &Session{Client: c, end: func(left Leftovers) {
		// A failure leaves faults or a webhook only in this scenario's scope.
		_ = left.ClearFaults(context.Background())
		_ = left.ClearWebhooks(context.Background())
		m.deleteProfiles(c, left.CreatedProfiles())
	}}, nil
}
