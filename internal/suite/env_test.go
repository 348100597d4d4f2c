package suite

import (
	"github.com/passfort-conformance/harness/internal/targets"

	"strings"
	"testing"
)

func TestTargetFromEnv(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		env       map[string]string
		err       string
		rateLimit string
		guard     targets.Guard
	}{
		"nothing: the embedded mock": {env: nil},
		"demo":                       {env: map[string]string{"PASSFORT_BASE_URL": "https://api.passfort.com/4.0", "PASSFORT_ENV": "Demo"}, guard: targets.Guard{Env: "demo"}},
		"live with mutations":        {env: map[string]string{"PASSFORT_ENV": "live", "PASSFORT_ALLOW_LIVE_MUTATIONS": "yes"}, guard: targets.Guard{Env: "live", AllowLiveMutations: true}},
		"rate limit on":              {env: map[string]string{"PASSFORT_RATE_LIMIT": "passfort"}, rateLimit: "passfort"},
		"rate limit off":             {env: map[string]string{"PASSFORT_RATE_LIMIT": "OFF"}, rateLimit: "off"},
		"bad env":                    {env: map[string]string{"PASSFORT_ENV": "prod"}, err: `PASSFORT_ENV: got "prod", want demo or live`},
		"bad override":               {env: map[string]string{"PASSFORT_ALLOW_LIVE_MUTATIONS": "maybe"}, err: `PASSFORT_ALLOW_LIVE_MUTATIONS: got "maybe", want yes or no`},
		"bad rate limit":             {env: map[string]string{"PASSFORT_RATE_LIMIT": "fast"}, err: `PASSFORT_RATE_LIMIT: got "fast", want passfort or off`},
		"base url without /4.0":      {env: map[string]string{"PASSFORT_BASE_URL": "https://api.passfort.com"}, err: "PASSFORT_BASE_URL"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			tgt, g, err := TargetFromEnv(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("err = %v, want one line containing %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tgt.RateLimit != tc.rateLimit || g != tc.guard {
				t.Fatalf("got rate limit %q guard %+v, want %q %+v", tgt.RateLimit, g, tc.rateLimit, tc.guard)
			}
		})
	}
}
