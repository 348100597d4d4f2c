// Package stacktest serves a mockstack.Stack to tests as a mocktest.Env:
// the tests of the mock's capabilities share it.
package stacktest

import (
	"log/slog"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/mocktest"
)

// Validator returns the default contract, parsed once per test binary.
func Validator(t testing.TB) *contract.Validator { return mocktest.Validator(t) }

// Env is a stack under test on a test clock, with its log.
type Env struct {
	*mocktest.Env
	Stack *mockstack.Stack
	Log   *mocktest.LockedBuffer
}

// New serves a stack configured by opts on a test clock (unless opts sets
// one), logging to Env.Log; every recorded exchange is held against the
// contract and the lifecycle model when the test ends, and the stack is
// closed.
func New(t testing.TB, opts mockstack.Options) *Env {
	t.Helper()
	v, m := mocktest.Validator(t), mocktest.Model(t)
	c := mocktest.NewClock()
	if opts.Clock == nil && opts.Now == nil {
		opts.Clock = c
	}
	if opts.Validator == nil {
		opts.Validator = v
	}
	if opts.Model == nil {
		opts.Model = m
	}
	lb := &mocktest.LockedBuffer{}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(lb, nil))
	}
	st, err := mockstack.New(opts)
	require.NoError(t, err, "mockstack.New")
	t.Cleanup(st.Close)
	return &Env{Env: mocktest.NewEnv(t, st, c, v, opts.Model), Stack: st, Log: lb}
}
