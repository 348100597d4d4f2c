package suite

import (
	"errors"
	"fmt"
	"net/http"
)

// guardDecision is the production guard's verdict for a run, taken before
// anything is sent.
type guardDecision struct {
	local, live, allowMutations bool
	env                         string
}

// decideGuard refuses a non-local target that did not declare whether it is
// a demo or a live account: the host cannot tell them apart.
func decideGuard(t Target, g Guard, local bool) (guardDecision, error) {
	// A declaration wins over the host: a loopback proxy may front a live account.
	d := guardDecision{local: local && g.Env == "", env: g.Env, live: g.Env == "live", allowMutations: g.AllowLiveMutations}
	if !local && g.Env == "" {
		return d, fmt.Errorf("guard: PASSFORT_ENV is not set for %s; set PASSFORT_ENV=demo or PASSFORT_ENV=live (nothing was sent)", displayURL(t.Client.BaseURL))
	}
	return d, nil
}

func (d guardDecision) String() string {
	switch {
	case d.local:
		return "local target: no declaration needed, every scenario allowed"
	case d.live && d.allowMutations:
		return "live account: @mutating scenarios ALLOWED by PASSFORT_ALLOW_LIVE_MUTATIONS"
	case d.live:
		return "live account: @mutating scenarios refused (not sent)"
	default:
		return "demo account: every scenario allowed"
	}
}

// refuseScenario returns why a scenario must not run, "" if it may.
func (d guardDecision) refuseScenario(tags []string) string {
	if d.live && !d.allowMutations && hasTag(tags, "@mutating") {
		return "refused by the production guard: @mutating scenario on a live account (set PASSFORT_ALLOW_LIVE_MUTATIONS=yes to send it)"
	}
	return ""
}

var errUntaggedMutation = errors.New("scenario is not tagged @mutating")

// allowMutations enforces the @mutating tag on every target, the mock
// included, so a scenario that writes cannot slip past the live guard by
// lacking its tag: every PassFort write is a POST.
func allowMutations(tagged bool) func(method, path string) error {
	return func(method, path string) error {
		if method == http.MethodGet || method == http.MethodHead || tagged {
			return nil
		}
		return fmt.Errorf("%w: %s %s changes data", errUntaggedMutation, method, path)
	}
}
