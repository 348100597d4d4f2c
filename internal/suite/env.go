package suite

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/target"
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
// PASSFORT_BASE_URL, PASSFORT_API_KEY, PASSFORT_TIMEOUT, PASSFORT_RUN_TIMEOUT,
// PASSFORT_MAX_RETRIES, PASSFORT_SECRETS (through target.ConfigFromEnv), PASSFORT_ENV,
// PASSFORT_ALLOW_LIVE_MUTATIONS, PASSFORT_RATE_LIMIT and PASSFORT_RECORD.
func TargetFromEnv(lookup func(string) (string, bool)) (Target, Guard, error) {
	get := func(k string) string {
		v, _ := lookup(k)
		return strings.TrimSpace(v)
	}
	var g Guard
	client, err := target.ConfigFromEnv(lookup, time.Now())
	if err != nil {
		return Target{}, g, err
	}
	t := Target{Client: client, Record: get("PASSFORT_RECORD"), RateLimit: strings.ToLower(get("PASSFORT_RATE_LIMIT"))}
	if t.RateLimit != "" && t.RateLimit != "passfort" && t.RateLimit != "off" {
		return t, g, fmt.Errorf("PASSFORT_RATE_LIMIT: got %q, want passfort or off", t.RateLimit)
	}
	g.Env = strings.ToLower(get("PASSFORT_ENV"))
	if g.Env != "" && g.Env != "demo" && g.Env != "live" {
		return t, g, fmt.Errorf("PASSFORT_ENV: got %q, want demo or live", g.Env)
	}
	switch v := strings.ToLower(get("PASSFORT_ALLOW_LIVE_MUTATIONS")); v {
	case "", "no", "0", "false":
	case "yes", "1", "true":
		g.AllowLiveMutations = true
	default:
		return t, g, fmt.Errorf("PASSFORT_ALLOW_LIVE_MUTATIONS: got %q, want yes or no", v)
	}
	return t, g, nil
}

// Environ is TargetFromEnv over the process environment.
func Environ() (Target, Guard, error) { return TargetFromEnv(os.LookupEnv) }
