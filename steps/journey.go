package steps

import (
	"context"
	"fmt"

	"github.com/tidwall/gjson"
)

// The KYC journey's own checks: a task's state, as checks move it
// (decision D56, docs/decisions.md).

func journeyDefinitions() []Def {
	const g = "Lifecycle"
	return []Def{
		{g, `^within (\d+) seconds? the task ` + quoted + ` is (INCOMPLETE|COMPLETED_PASS|COMPLETED_FAIL)$`, "Polls the profile's task of this type until its state is the value (a completed check moves it), failing after the bound with the last state seen.", `Then within 5 seconds the task "INDIVIDUAL_VERIFY_IDENTITY" is COMPLETED_PASS`, taskBecomes},
	}
}

func taskBecomes(ctx context.Context, seconds int, taskType, state string) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	got := "none"
	b := w.within(seconds)
	done, err := poll(ctx, b, func() (bool, error) {
		ex, err := w.get(ctx, "/profiles/"+pid+"/tasks")
		if err != nil {
			return false, err
		}
		if ex.Status != 200 {
			return false, fmt.Errorf("list tasks: got %d, want 200", ex.Status)
		}
		for _, t := range gjson.ParseBytes(ex.ResponseBody).Array() {
			if t.Get("type").String() == taskType && !t.Get("is_expired").Bool() {
				got = t.Get("state").String()
				return got == state, nil
			}
		}
		return false, nil
	})
	if err != nil || done {
		return err
	}
	return fmt.Errorf("task %s within %s: got state %s, want %s", taskType, b, got, state)
}
