package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/target"
)

// Checks: run one on the profile's collected data (or record one run
// outside PassFort), follow it to COMPLETE, link it to tasks, and pass or
// fail it by hand (decision D36, docs/decisions.md). The check a step ran
// is {{check_id}}.

const checkTypes = `([A-Z][A-Z_]+)`

func checkDefinitions() []Def {
	const g = "Checks"
	return []Def{
		{g, `^I run an? ` + checkTypes + ` on the profile$`, "Runs a check of this type on the profile's collected data in the type's default mode (IDENTITY_CHECK waits for its result, others do not); saves its id as {{check_id}}.", `When I run an IDENTITY_CHECK on the profile`, runCheck},
		{g, `^I run an? ` + checkTypes + ` on the profile (synchronously|asynchronously)$`, "Runs a check with mode=sync (the answer is the finished check) or mode=async (the answer comes at once, PENDING or RUNNING).", `When I run a PEPS_AND_SANCTIONS_SCREEN on the profile asynchronously`, runCheckMode},
		{g, `^I record an? ` + checkTypes + ` run outside PassFort with the result ` + quoted + `$`, "Records a check run elsewhere (instructed_externally: true) with its result; saves its id as {{check_id}}.", `When I record a PEPS_AND_SANCTIONS_SCREEN run outside PassFort with the result "Pass"`, recordExternalCheck},
		{g, `^I fetch the check$`, "GETs the scenario's check.", `When I fetch the check`, fetchCheck},
		{g, `^I list the profile's checks$`, "GETs the profile's checks.", `When I list the profile's checks`, listChecks},
		{g, `^the check is (PENDING|RUNNING|COMPLETE)$`, "Fetches the check: it is in this state now.", `Then the check is COMPLETE`, checkStateIs},
		{g, `^within (\d+) seconds? the check is (PENDING|RUNNING|COMPLETE)$`, "Polls the check until it is in this state, failing after the bound with every state seen.", `Then within 5 seconds the check is COMPLETE`, checkStateBecomes},
		{g, `^the check's decision is (PASS|FAIL|PARTIAL|WARN|ERROR)$`, "Fetches the check: its decision class is this.", `Then the check's decision is PASS`, checkDecisionIs},
		{g, `^I link the check to the task ` + quoted + `$`, "Sets the tasks the check counts towards to the profile's task of this type (saved as {{task_id}}).", `When I link the check to the task "INDIVIDUAL_VERIFY_IDENTITY"`, linkCheckToTask},
		{g, `^I (approve|reject) the check$`, "Passes or fails the check by hand (PassFort makes a new check with the manual outcome); asserts nothing, so the scenario can expect the change or its refusal.", `When I approve the check`, decideCheck},
		{g, `^the profile has (\d+) checks?$`, "Lists the profile's checks: there are this many.", `Then the profile has 2 checks`, checkCount},
	}
}

// checkPath returns the path of the scenario's check.
func (w *World) checkPath() (string, error) {
	pid, err := w.profile()
	if err != nil {
		return "", err
	}
	cid, err := w.need("check_id", `run one first: "When I run an IDENTITY_CHECK on the profile"`)
	if err != nil {
		return "", err
	}
	return "/profiles/" + pid + "/checks/" + cid, nil
}

func startCheck(ctx context.Context, mode string, body map[string]any) error {
	suffix := "/checks"
	if mode != "" {
		suffix += "?" + query("mode", mode)
	}
	return profilePost(ctx, suffix, body, saves{"check_id": "id"})
}

func runCheck(ctx context.Context, checkType string) error {
	return startCheck(ctx, "", map[string]any{"check_type": checkType})
}

var checkModes = map[string]string{"synchronously": "sync", "asynchronously": "async"}

func runCheckMode(ctx context.Context, checkType, mode string) error {
	return startCheck(ctx, checkModes[mode], map[string]any{"check_type": checkType})
}

func recordExternalCheck(ctx context.Context, checkType, result string) error {
	return startCheck(ctx, "", map[string]any{"check_type": checkType, "instructed_externally": true, "result": result, "output_data": map[string]any{}})
}

func fetchCheck(ctx context.Context) error { return fetchPath(ctx, (*World).checkPath) }

func listChecks(ctx context.Context) error { return profileGet(ctx, "/checks") }

// currentCheck GETs the scenario's check, which must answer 200.
func (w *World) currentCheck(ctx context.Context) (gjson.Result, error) {
	path, err := w.checkPath()
	if err != nil {
		return gjson.Result{}, err
	}
	return w.getOK(ctx, "fetch check", path)
}

// withCheck runs check on the scenario's check as it is now.
func withCheck(ctx context.Context, check func(c gjson.Result) error) error {
	return withCurrent(ctx, (*World).currentCheck, check)
}

func checkStateIs(ctx context.Context, want string) error {
	return withCheck(ctx, func(c gjson.Result) error {
		if got := c.Get("state").String(); got != want {
			return fmt.Errorf("check state: got %s, want %s (decision %s)", got, want, c.Get("decision").Raw)
		}
		return nil
	})
}

func checkStateBecomes(ctx context.Context, seconds int, want string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	var seen []string
	b := w.within(seconds)
	done, err := poll(ctx, b, func() (bool, error) {
		c, err := w.currentCheck(ctx)
		if err != nil {
			return false, err
		}
		if got := c.Get("state").String(); len(seen) == 0 || seen[len(seen)-1] != got {
			seen = append(seen, got)
		}
		return seen[len(seen)-1] == want, nil
	})
	if err != nil || done {
		return err
	}
	return fmt.Errorf("check state: got %s after %s, want %s (seen: %s)", seen[len(seen)-1], b, want, strings.Join(seen, " → "))
}

func checkDecisionIs(ctx context.Context, want string) error {
	return withCheck(ctx, func(c gjson.Result) error {
		if got := c.Get("decision").String(); got != want {
			return fmt.Errorf("check decision: got %q, want %s (state %s, result %s, errors %s)", got, want, c.Get("state"), c.Get("result"), compact(c.Get("errors").Raw))
		}
		return nil
	})
}

func linkCheckToTask(ctx context.Context, taskType string) error {
	w, path, err := worldAnd(ctx, (*World).checkPath)
	if err != nil {
		return err
	}
	tid, err := w.taskID(ctx, taskType)
	if err != nil {
		return err
	}
	w.setVar("task_id", tid)
	_, err = w.post(ctx, path, map[string]any{"task_ids": []string{tid}})
	return err
}

func decideCheck(ctx context.Context, verb string) error {
	w, path, err := worldAnd(ctx, (*World).checkPath)
	if err != nil {
		return err
	}
	// No body: the operation takes none (an absent body or {}).
	_, err = w.send(ctx, target.Request{Method: "POST", Path: path + "/" + verb})
	return err
}

func checkCount(ctx context.Context, n int) error {
	_, checks, err := profileGetOK(ctx, "list checks", "/checks")
	if err != nil {
		return err
	}
	if got := len(checks.Array()); got != n {
		return fmt.Errorf("profile's checks: got %d, want %d: %s", got, n, snippet([]byte(checks.Raw)))
	}
	return nil
}
