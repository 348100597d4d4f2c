package suite

import (
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/targets"
	"github.com/passfort-conformance/harness/internal/timescale"
)

// TargetFromEnv reads the public environment interface (see README):
// PASSFORT_BASE_URL, PASSFORT_API_KEY, PASSFORT_TIMEOUT, PASSFORT_RUN_TIMEOUT,
// PASSFORT_MAX_RETRIES, PASSFORT_SECRETS (through target.ConfigFromEnv), PASSFORT_ENV,
// PASSFORT_ALLOW_LIVE_MUTATIONS, PASSFORT_ALLOW_LIVE_CHECKS, PASSFORT_RATE_LIMIT,
// PASSFORT_MASK_PII, PASSFORT_RECORD, PASSFORT_MODEL_OPTIONS and
// PASSFORT_TIME_SCALE (the last two as written: the run checks them against
// the lifecycle model and the catalogue).
func TargetFromEnv(lookup func(string) (string, bool)) (Target, targets.Guard, error) {
	get := func(k string) string {
		v, _ := lookup(k)
		return strings.TrimSpace(v)
	}
	var g targets.Guard
	client, err := target.ConfigFromEnv(lookup, time.Now())
	if err != nil {
		return Target{}, g, err
	}
	t := Target{Settings: targets.Settings{Client: client, RateLimit: strings.ToLower(get("PASSFORT_RATE_LIMIT"))}, Record: get("PASSFORT_RECORD"),
		ModelOptions: get(lifecycle.OptionsEnv), TimeScale: get(timescale.Env)}
	if t.RateLimit != "" && t.RateLimit != "passfort" && t.RateLimit != "off" {
		return t, g, fmt.Errorf("PASSFORT_RATE_LIMIT: got %q, want passfort or off", t.RateLimit)
	}
	if t.MaskPII, err = parseMaskPII(get("PASSFORT_MASK_PII")); err != nil {
		return t, g, err
	}
	g.Env = strings.ToLower(get("PASSFORT_ENV"))
	if g.Env != "" && g.Env != "demo" && g.Env != "live" {
		return t, g, fmt.Errorf("PASSFORT_ENV: got %q, want demo or live", g.Env)
	}
	for _, o := range []struct {
		name string
		to   *bool
	}{{"PASSFORT_ALLOW_LIVE_MUTATIONS", &g.AllowLiveMutations}, {"PASSFORT_ALLOW_LIVE_CHECKS", &g.AllowLiveChecks}} {
		switch v := strings.ToLower(get(o.name)); v {
		case "", "no", "0", "false":
		case "yes", "1", "true":
			*o.to = true
		default:
			return t, g, fmt.Errorf("%s: got %q, want yes or no", o.name, v)
		}
	}
	return t, g, nil
}

// Environ is TargetFromEnv over the process environment.
func Environ() (Target, targets.Guard, error) { return TargetFromEnv(os.LookupEnv) }
