package mock

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// env is one mock under test with a test clock (mocktest.Env), and the
// Server itself for the tests that look inside it.
type env struct {
	*mocktest.Env
	s *Server
}

// newEnv serves a mock configured by opts on a test clock; every exchange
// is held against the contract and the lifecycle model when the test ends.
func newEnv(t testing.TB, opts Options) *env {
	t.Helper()
	v, m := mocktest.Validator(t), mocktest.Model(t)
	c := mocktest.NewClock()
	if opts.Now == nil {
		opts.Now = c.Now
	}
	if opts.Validator == nil {
		opts.Validator = v
	}
	if opts.Model == nil {
		opts.Model = m
	}
	s, err := New(opts)
	require.NoError(t, err, "New")
	return &env{Env: mocktest.NewEnv(t, s, c, v, s.policy.model), s: s}
}
