package targets

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
)

// Guard is the production guard's configuration: demo and live keys share
// one host, so the run must say which it is talking to.
type Guard struct {
	// Env is PASSFORT_ENV: "demo" or "live"; required for non-local targets.
	Env string
	// AllowLiveMutations is PASSFORT_ALLOW_LIVE_MUTATIONS=yes: send @mutating
	// scenarios to a live account anyway.
	AllowLiveMutations bool
	// AllowLiveChecks is PASSFORT_ALLOW_LIVE_CHECKS=yes: send @chargeable
	// scenarios (they run checks, which cost provider money) to a live
	// account anyway (decision D85, docs/decisions.md).
	AllowLiveChecks bool
}

// GuardDecision is the production guard's verdict for a run, taken before
// anything is sent.
type GuardDecision struct {
	local, live, allowMutations, allowChecks bool
}

// decideGuard refuses a non-local target that did not declare whether it is
// a demo or a live account: the host cannot tell them apart. name is the
// target as printed.
func decideGuard(name string, local bool, g Guard) (GuardDecision, error) {
	// A declaration wins over the host: a loopback proxy may front a live account.
	d := GuardDecision{local: local && g.Env == "", live: g.Env == "live", allowMutations: g.AllowLiveMutations, allowChecks: g.AllowLiveChecks}
	if !local && g.Env == "" {
		return d, fmt.Errorf("guard: PASSFORT_ENV is not set for %s; set PASSFORT_ENV=demo or PASSFORT_ENV=live (nothing was sent)", name)
	}
	return d, nil
}

// Local reports whether the run talks to a local target that declared no
// account: the one target whose reports keep personal data by default.
func (d GuardDecision) Local() bool { return d.local }

// String is the decision as the console and the reports print it.
func (d GuardDecision) String() string {
	switch {
	case d.local:
		return "local target: no declaration needed, every scenario allowed"
	case d.live:
		return "live account: " + d.liveRule("@mutating", d.allowMutations, "PASSFORT_ALLOW_LIVE_MUTATIONS") +
			"; " + d.liveRule("@chargeable", d.allowChecks, "PASSFORT_ALLOW_LIVE_CHECKS")
	default:
		return "demo account: every scenario allowed"
	}
}

// liveRule is the decision on a live account for one tag.
func (GuardDecision) liveRule(tag string, allowed bool, setting string) string {
	if allowed {
		return tag + " scenarios ALLOWED by " + setting
	}
	return tag + " scenarios refused (not sent)"
}

// RefuseScenario returns why a scenario with tags must not run, "" if it may.
func (d GuardDecision) RefuseScenario(tags []string) string {
	if !d.live {
		return ""
	}
	if !d.allowMutations && slices.Contains(tags, "@mutating") {
		return "refused by the production guard: @mutating scenario on a live account (set PASSFORT_ALLOW_LIVE_MUTATIONS=yes to send it)"
	}
	if !d.allowChecks && slices.Contains(tags, "@chargeable") {
		return "refused by the production guard: @chargeable scenario on a live account runs checks that cost money (set PASSFORT_ALLOW_LIVE_CHECKS=yes to send it)"
	}
	return ""
}

// ErrUntaggedMutation is why a client refuses a write of a scenario that is
// not tagged @mutating.
var ErrUntaggedMutation = errors.New("scenario is not tagged @mutating")

// AllowMutations enforces the @mutating tag on every target, the mock
// included, so a scenario that writes cannot slip past the live guard by
// lacking its tag: every PassFort write is a POST. tagged says whether the
// scenario is tagged @mutating.
func AllowMutations(tagged bool) func(method, path string) error {
	return func(method, path string) error {
		if method == http.MethodGet || method == http.MethodHead || tagged {
			return nil
		}
		return fmt.Errorf("%w: %s %s changes data", ErrUntaggedMutation, method, path)
	}
}
