package steps

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/target"
)

// A step error that quotes the key (a feature spelled it out) reaches godog
// redacted; errors.Is still sees through it.
func TestStepErrorsAreRedacted(t *testing.T) {
	t.Parallel()
	const key = "step-canary-KEY-0001"
	c, err := target.New(target.Config{BaseURL: "http://mock.test/4.0", APIKey: key})
	require.NoError(t, err)
	w := NewWorld(&Env{})
	w.Attach(c)
	ctx := WithWorld(context.Background(), w)
	tests := map[string]struct {
		fn     func(context.Context, string) error
		want   string
		isSkip bool
	}{
		"quotes the key": {func(_ context.Context, s string) error { return fmt.Errorf("want %q", s) }, `want "[REDACTED]"`, false},
		"a skip":         {func(_ context.Context, s string) error { return fmt.Errorf("%w: %s", godog.ErrSkip, s) }, "skipped: [REDACTED]", true},
		"no secret":      {func(_ context.Context, s string) error { return errors.New("plain") }, "plain", false},
	}
	for name, tc := range tests {
		wrapped := redacting(tc.fn).(func(context.Context, string) error)
		err := wrapped(ctx, key)
		if assert.Error(t, err, name) {
			assert.Equal(t, tc.want, err.Error(), name)
			assert.NotContains(t, err.Error(), key, name)
		}
		assert.Equal(t, tc.isSkip, errors.Is(err, godog.ErrSkip), "%s: errors.Is(ErrSkip)", name)
	}
	assert.NoError(t, redacting(tc0).(func(context.Context) error)(ctx), "a nil error")
}

func tc0(context.Context) error { return nil }
