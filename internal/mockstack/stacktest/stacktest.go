// Package stacktest serves a mockstack.Stack to tests as a mocktest.Env:
// the tests of the mock's capabilities share it.
package stacktest

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/mocktest"
)

// Building the contract validator parses the whole spec: do it once per test
// binary. Both values are immutable after construction.
var (
	sharedValidator = sync.OnceValues(contract.Default)
	sharedModel     = sync.OnceValues(lifecycle.Default)
)

// Validator returns the default contract, parsed once per test binary.
func Validator(t testing.TB) *contract.Validator {
	t.Helper()
	v, err := sharedValidator()
	require.NoError(t, err, "contract.Default")
	return v
}

// Env is a stack under test on a test clock, with its log.
type Env struct {
	*mocktest.Env
	Stack *mockstack.Stack
	Log   *LockedBuffer
}

// New serves a stack configured by opts on a test clock (unless opts sets
// one), logging to Env.Log; every recorded exchange is held against the
// contract and the lifecycle model when the test ends, and the stack is
// closed.
func New(t testing.TB, opts mockstack.Options) *Env {
	t.Helper()
	v := Validator(t)
	m, err := sharedModel()
	require.NoError(t, err, "lifecycle.Default")
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
	lb := &LockedBuffer{}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(lb, nil))
	}
	st, err := mockstack.New(opts)
	require.NoError(t, err, "mockstack.New")
	t.Cleanup(st.Close)
	return &Env{Env: mocktest.NewEnv(t, st, c, v, opts.Model), Stack: st, Log: lb}
}

// LockedBuffer is a log written from several goroutines.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write adds to the log.
func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns the log so far.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
