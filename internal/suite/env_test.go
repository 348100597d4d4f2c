package suite

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/targets"
)

func TestTargetFromEnv(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		env       map[string]string
		err       string
		rateLimit string
		guard     targets.Guard
		mask      string
	}{
		"nothing: the embedded mock": {env: nil},
		"demo":                       {env: map[string]string{"PASSFORT_BASE_URL": "https://api.passfort.com/4.0", "PASSFORT_ENV": "Demo"}, guard: targets.Guard{Env: "demo"}},
		"live with mutations":        {env: map[string]string{"PASSFORT_ENV": "live", "PASSFORT_ALLOW_LIVE_MUTATIONS": "yes"}, guard: targets.Guard{Env: "live", AllowLiveMutations: true}},
		"rate limit on":              {env: map[string]string{"PASSFORT_RATE_LIMIT": "passfort"}, rateLimit: "passfort"},
		"rate limit off":             {env: map[string]string{"PASSFORT_RATE_LIMIT": "OFF"}, rateLimit: "off"},
		"bad env":                    {env: map[string]string{"PASSFORT_ENV": "prod"}, err: `PASSFORT_ENV: got "prod", want demo or live`},
		"live with checks":           {env: map[string]string{"PASSFORT_ENV": "live", "PASSFORT_ALLOW_LIVE_CHECKS": "yes"}, guard: targets.Guard{Env: "live", AllowLiveChecks: true}},
		"bad checks override":        {env: map[string]string{"PASSFORT_ALLOW_LIVE_CHECKS": "maybe"}, err: `PASSFORT_ALLOW_LIVE_CHECKS: got "maybe", want yes or no`},
		"mask on":                    {env: map[string]string{"PASSFORT_MASK_PII": "1"}, mask: MaskOn},
		"mask off":                   {env: map[string]string{"PASSFORT_MASK_PII": "0"}, mask: MaskOff},
		"bad mask":                   {env: map[string]string{"PASSFORT_MASK_PII": "maybe"}, err: `PASSFORT_MASK_PII: got "maybe", want 1 (mask) or 0 (keep personal data)`},
		"bad override":               {env: map[string]string{"PASSFORT_ALLOW_LIVE_MUTATIONS": "maybe"}, err: `PASSFORT_ALLOW_LIVE_MUTATIONS: got "maybe", want yes or no`},
		"bad rate limit":             {env: map[string]string{"PASSFORT_RATE_LIMIT": "fast"}, err: `PASSFORT_RATE_LIMIT: got "fast", want passfort or off`},
		"base url without /4.0":      {env: map[string]string{"PASSFORT_BASE_URL": "https://api.passfort.com"}, err: "PASSFORT_BASE_URL"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tgt, g, err := TargetFromEnv(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if tc.err != "" {
				require.Error(t, err)
				require.Contains(t, err.Error(), tc.err)
				require.NotContains(t, err.Error(), "\n")
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.rateLimit, tgt.RateLimit)
			require.Equal(t, tc.guard, g)
			assert.Equal(t, tc.mask, tgt.MaskPII)
		})
	}
}
