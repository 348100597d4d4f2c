package suite

import (
	"fmt"
	"strings"
	"time"
)

// Guard is the production guard's configuration: demo and live keys share one
// host, so the run must say which it is talking to.
type Guard struct {
	// Env is PASSFORT_ENV: "demo" or "live"; required for non-local targets.
	Env string
	// AllowLiveMutations is PASSFORT_ALLOW_LIVE_MUTATIONS=yes: send @mutating
	// scenarios to a live account anyway.
	AllowLiveMutations bool
}

// TargetFromEnv reads the public environment interface (see README):
// PASSFORT_BASE_URL, PASSFORT_API_KEY, PASSFORT_ENV,
// PASSFORT_ALLOW_LIVE_MUTATIONS and PASSFORT_TIMEOUT.
func TargetFromEnv(getenv func(string) string) (Target, Guard, error) {
	t := Target{
		BaseURL: strings.TrimRight(strings.TrimSpace(getenv("PASSFORT_BASE_URL")), "/"),
		APIKey:  getenv("PASSFORT_API_KEY"),
	}
	g := Guard{Env: strings.ToLower(strings.TrimSpace(getenv("PASSFORT_ENV")))}
	if t.BaseURL != "" && !strings.HasSuffix(t.BaseURL, "/4.0") {
		return t, g, fmt.Errorf("PASSFORT_BASE_URL: got %q, want a URL ending in /4.0 (e.g. https://api.passfort.com/4.0)", t.BaseURL)
	}
	if v := getenv("PASSFORT_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return t, g, fmt.Errorf("PASSFORT_TIMEOUT: got %q, want a positive duration such as 30s", v)
		}
		t.Timeout = d
	}
	switch v := strings.ToLower(getenv("PASSFORT_ALLOW_LIVE_MUTATIONS")); v {
	case "", "no", "0", "false":
	case "yes", "1", "true":
		g.AllowLiveMutations = true
	default:
		return t, g, fmt.Errorf("PASSFORT_ALLOW_LIVE_MUTATIONS: got %q, want yes or no", v)
	}
	if g.Env != "" && g.Env != "demo" && g.Env != "live" {
		return t, g, fmt.Errorf("PASSFORT_ENV: got %q, want demo or live", g.Env)
	}
	return t, g, nil
}
