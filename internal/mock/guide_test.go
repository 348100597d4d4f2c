package mock

import (
	"github.com/passfort-conformance/harness/internal/idshape"
	"github.com/stretchr/testify/assert"

	"sort"
	"testing"

	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// TestGuideSample adds forexo_basic to a profile as the user's guide does
// ("Add a product application to a profile using the API") and compares the
// answer with the guide's sample response field by field; only ids and dates
// differ, and their shapes are checked.
func TestGuideSample(t *testing.T) {
	e := newEnv(t, Options{Seed: 1})
	pid := e.NewProfile()
	r := e.Post("/profiles/"+pid+"/applications", `{"product": {"alias": "forexo_basic"}}`).Want(200)

	var keys []string
	r.Get("@this").ForEach(func(k, _ gjson.Result) bool { keys = append(keys, k.String()); return true })
	sort.Strings(keys)
	wantKeys := "approval_blockers,assignments,flag,flag_history,hidden,history,id,product,required_tasks,status"
	assert.False(t, mocktest.CSV(keys) != wantKeys, "keys = %s; want exactly the guide's %s", mocktest.CSV(keys), wantKeys)
	taskID := r.Str("required_tasks.0.id")
	checks := []struct{ path, want string }{
		{"status", "APPLIED"},
		{"flag", "AUTOMATING"},
		{"hidden", "false"},
		{"assignments", "[]"},
		{"product.alias", "forexo_basic"},
		{"product.automatically_approve", "false"},
		{"product.id", "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8"},
		{"product.name", "Forexo Basic Account"},
		{"product.@keys", `["id","alias","name","automatically_approve"]`},
		{"required_tasks.#", "1"},
		{"required_tasks.0.task_type", "INDIVIDUAL_VERIFY_IDENTITY"},
		{"required_tasks.0.@keys", `["id","task_type"]`},
		{"approval_blockers.#", "1"},
		{"approval_blockers.0.blocker_type", "INCOMPLETE_TASK"},
		{"approval_blockers.0.task_type", "INDIVIDUAL_VERIFY_IDENTITY"},
		{"approval_blockers.0.task_id", taskID},
		{"history.#", "1"},
		{"history.0.status", "APPLIED"},
		{"history.0.decisioner", "null"},
		{"history.0.date", "2024-05-14 09:30:12"},
		{"flag_history.#", "1"},
		{"flag_history.0.status", "APPLIED"},
		{"flag_history.0.flag", "AUTOMATING"},
		{"flag_history.0.date", "2024-05-14 09:30:12"},
	}
	for _, c := range checks {
		got := r.Get(c.path)
		s := got.String()
		if got.IsArray() || got.IsObject() || got.Type == gjson.Null {
			s = got.Raw
		}
		assert.False(t, s != c.want, "%s = %s; want %s", c.path, s, c.want)
	}
	assert.False(t, !idshape.IsLower(r.Str("id")) || !idshape.IsLower(taskID), "ids %q, %q are not lower-case 8-4-4-4-12 hex", r.Str("id"), taskID)
	// The required task's id is the profile task's id: decision D13
	// (docs/decisions.md).
	e.Get("/profiles/" + pid + "/tasks/" + taskID).Want(200)
	ct := r.Header.Get("Content-Type")
	assert.Equal(t, "application/json", ct, "Content-Type = %q; want application/json", ct)
}
