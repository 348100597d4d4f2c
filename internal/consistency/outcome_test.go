package consistency

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
)

// sent is one exchange of a scenario: a read of read's shape with its status.
type sent struct {
	read
	status int
}

func ok200(r read) sent { return sent{r, 200} }

// checkOf renders a check of id serving task tid in a state, with a decision
// when COMPLETE.
func checkOf(id, state, decision string) string {
	d := ""
	if decision != "" {
		d = `,"decision":"` + decision + `"`
	}
	return `{"id":"` + id + `","check_type":"IDENTITY_CHECK","state":"` + state + `"` + d + `,"task_ids":["` + tid + `"]}`
}

func updateTask(body string, status int) sent {
	return sent{read{"POST /profiles/{profile_id}/tasks/{task_id}", "/profiles/" + pid + "/tasks/" + tid, body}, status}
}

func listChecks(checks ...string) sent {
	return ok200(read{"GET /profiles/{profile_id}/checks", "/profiles/" + pid + "/checks", "[" + strings.Join(checks, ",") + "]"})
}

func approve(check, verb string) sent {
	return ok200(read{"POST /profiles/{profile_id}/checks/{check_id}/" + verb, "/profiles/" + pid + "/checks/" + check + "/" + verb, `{}`})
}

// outcomeFindings feeds the exchanges to one checker in order and returns
// the messages of the findings of rule check-outcome-moves-task.
func outcomeFindings(t *testing.T, exs []sent) []string {
	t.Helper()
	m, err := Default()
	require.NoError(t, err)
	c := m.NewChecker()
	var out []string
	for _, x := range exs {
		ex := &exchange.Exchange{Method: strings.Fields(x.op)[0], Path: x.path, Status: x.status, ResponseBody: []byte(x.body)}
		for _, f := range c.Observe(ex, x.op) {
			if f.Rule == "check-outcome-moves-task" {
				out = append(out, f.Pointer+": "+f.Message)
			}
		}
	}
	return out
}

// TestCheckOutcomeMovesTask: a task read after its check completed shows the
// check's outcome; an update of the task, a later check on the profile, an
// outcome that moves nothing, an expiry, or an order the scenario cannot
// tell frees it.
func TestCheckOutcomeMovesTask(t *testing.T) {
	t.Parallel()
	const cid2 = "66666666-6666-6666-6666-666666666666"
	passed := runCheck(checkOf(cid, "COMPLETE", "PASS"))
	cases := map[string]struct {
		exs  []sent
		want string // the start of the one finding's message; "" for none
	}{
		"a passed check's task read open": {
			exs:  []sent{ok200(passed), ok200(taskRead(task("INCOMPLETE", false)))},
			want: "/state: task " + tid + ": got state INCOMPLETE, want COMPLETED_PASS: check " + cid + " completed with decision PASS",
		},
		"a failed check's task read passed": {
			exs:  []sent{ok200(runCheck(checkOf(cid, "COMPLETE", "FAIL"))), ok200(taskRead(task("COMPLETED_PASS", true)))},
			want: "/state: task " + tid + ": got state COMPLETED_PASS, want COMPLETED_FAIL",
		},
		"a passed check's task read open in its profile": {
			exs:  []sent{ok200(passed), ok200(profileRead(`"check_ids":["`+cid+`"]`, `"check_ids":[]`, `"state":"RUNNING"`, `"state":"COMPLETE","decision":"PASS"`))},
			want: "/tasks/0/state: task " + tid + ": got state INCOMPLETE, want COMPLETED_PASS",
		},
		"a task without a state says it is not complete": {
			exs:  []sent{ok200(passed), ok200(taskRead(strings.Replace(task("INCOMPLETE", false), `"state":"INCOMPLETE",`, "", 1)))},
			want: "/is_complete: task " + tid + ": got is_complete false, want true",
		},
		"a check request on another profile frees nothing": {
			exs: []sent{ok200(passed),
				ok200(read{"POST /profiles/{profile_id}/checks", "/profiles/" + xid + "/checks", `{"id":"` + cid2 + `","check_type":"IDENTITY_CHECK","state":"PENDING","task_ids":[]}`}),
				ok200(taskRead(task("INCOMPLETE", false)))},
			want: "/state: task " + tid + ": got state INCOMPLETE, want COMPLETED_PASS",
		},
		"the task after an approve still shows the failed original": {
			exs: []sent{ok200(runCheck(checkOf(cid, "COMPLETE", "FAIL"))), approve(cid, "approve"),
				listChecks(checkOf(cid, "COMPLETE", "FAIL"), checkOf(cid2, "COMPLETE", "PASS")),
				ok200(taskRead(task("COMPLETED_FAIL", true)))},
			want: "/state: task " + tid + ": got state COMPLETED_FAIL, want COMPLETED_PASS: check " + cid2,
		},
		"the passed check's task": {
			exs: []sent{ok200(passed), ok200(taskRead(task("COMPLETED_PASS", true)))},
		},
		"the task updated after the check": {
			exs: []sent{ok200(passed), updateTask(task("INCOMPLETE", false), 200), ok200(taskRead(task("INCOMPLETE", false)))},
		},
		"a task update counts whatever its answer": {
			exs: []sent{ok200(passed), updateTask(`{"errors":[{"code":201}]}`, 400), ok200(taskRead(task("INCOMPLETE", false)))},
		},
		"the task updated while its check ran": {
			exs: []sent{ok200(runCheck(checkOf(cid, "PENDING", ""))), updateTask(task("INCOMPLETE", false), 200),
				ok200(checkRead(checkOf(cid, "COMPLETE", "PASS"))), ok200(taskRead(task("INCOMPLETE", false)))},
		},
		"a partial result": {
			exs: []sent{ok200(runCheck(checkOf(cid, "COMPLETE", "PARTIAL"))), ok200(taskRead(task("INCOMPLETE", false)))},
		},
		"an error result": {
			exs: []sent{ok200(runCheck(checkOf(cid, "COMPLETE", "ERROR"))), ok200(taskRead(task("INCOMPLETE", false)))},
		},
		"an approve's copy": {
			exs: []sent{ok200(runCheck(checkOf(cid, "COMPLETE", "FAIL"))), ok200(taskRead(task("COMPLETED_FAIL", true))), approve(cid, "approve"),
				listChecks(checkOf(cid, "COMPLETE", "FAIL"), checkOf(cid2, "COMPLETE", "PASS")), ok200(taskRead(task("COMPLETED_PASS", true)))},
		},
		"a reject's copy": {
			exs: []sent{ok200(passed), ok200(taskRead(task("COMPLETED_PASS", true))), approve(cid, "reject"),
				listChecks(checkOf(cid, "COMPLETE", "PASS"), checkOf(cid2, "COMPLETE", "FAIL")), ok200(taskRead(task("COMPLETED_FAIL", true)))},
		},
		"the task read between an approve and its copy": {
			exs: []sent{ok200(runCheck(checkOf(cid, "COMPLETE", "FAIL"))), approve(cid, "approve"), ok200(taskRead(task("COMPLETED_PASS", true)))},
		},
		"another check still running on the task": {
			exs: []sent{ok200(passed), listChecks(checkOf(cid, "COMPLETE", "PASS"), checkOf(cid2, "RUNNING", "")), ok200(taskRead(task("INCOMPLETE", false)))},
		},
		"a check seen running earlier, not yet seen complete, when another is first seen complete": {
			exs: []sent{ok200(runCheck(checkOf(cid2, "RUNNING", ""))),
				ok200(checkRead(checkOf(cid, "COMPLETE", "PASS"))),
				ok200(taskRead(task("COMPLETED_FAIL", true)))},
		},
		"a check seen running earlier and since seen complete": {
			exs: []sent{ok200(runCheck(checkOf(cid2, "RUNNING", ""))),
				ok200(read{getCheck, "/profiles/" + pid + "/checks/" + cid2, checkOf(cid2, "COMPLETE", "PARTIAL")}),
				ok200(checkRead(checkOf(cid, "COMPLETE", "PASS"))),
				ok200(taskRead(task("INCOMPLETE", false)))},
			want: "/state: task " + tid + ": got state INCOMPLETE, want COMPLETED_PASS: check " + cid,
		},
		"an earlier check first seen complete after a later one": {
			exs: []sent{ok200(runCheck(checkOf(cid, "PENDING", ""))), ok200(runCheck(checkOf(cid2, "PENDING", ""))),
				ok200(checkRead(checkOf(cid2, "COMPLETE", "FAIL"))),
				ok200(read{getCheck, "/profiles/" + pid + "/checks/" + cid, checkOf(cid, "COMPLETE", "PASS")}),
				ok200(taskRead(task("COMPLETED_FAIL", true)))},
		},
		"two checks first seen complete together, with different outcomes": {
			exs: []sent{listChecks(checkOf(cid, "COMPLETE", "PASS"), checkOf(cid2, "COMPLETE", "FAIL")), ok200(taskRead(task("COMPLETED_FAIL", true)))},
		},
		"an expired task": {
			exs: []sent{ok200(passed), ok200(taskRead(strings.Replace(task("INCOMPLETE", false), `"is_complete":false`, `"is_complete":false,"is_expired":true`, 1)))},
		},
		"the response that shows the check complete": {
			exs: []sent{ok200(profileRead(`"state":"RUNNING"`, `"state":"COMPLETE","decision":"PASS"`))},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := outcomeFindings(t, tc.exs)
			if tc.want == "" {
				assert.Empty(t, got)
				return
			}
			require.Len(t, got, 1)
			assert.True(t, strings.HasPrefix(got[0], tc.want), "got %q, want it to start with %q", got[0], tc.want)
		})
	}
}
