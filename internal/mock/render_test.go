package mock

import (
	"bytes"
	"encoding/json"
	"testing"
	"testing/quick"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// stdJSON is what encoding/json writes for v with HTML escaping off, the
// reference the hand-written encoders are held to.
func stdJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	require.NoError(t, err, "encoding/json")
	return string(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

func TestAppendJSONString(t *testing.T) {
	tests := []string{
		"", "plain", `quote " backslash \`, "controls \b\f\n\r\t \x00 \x01 \x1f \x7f",
		"html <a href='x'>&amp;</a>", "unicode é 日本 🎉", "separators \u2028 \u2029",
		"invalid \xff\xfe utf-8 \xc3", "truncated \xe6\x97",
	}
	for _, s := range tests {
		got, want := string(appendJSONString(nil, s)), stdJSON(t, s)
		assert.False(t, got != want, "appendJSONString(%q): got %s, want %s", s, got, want)
	}
	same := func(s string) bool { return string(appendJSONString(nil, s)) == stdJSON(t, s) }
	assert.NoError(t, quick.Check(same, &quick.Config{MaxCount: 2000}))
	bytesSame := func(b []byte) bool { return same(string(b)) }
	assert.NoError(t, quick.Check(bytesSame, &quick.Config{MaxCount: 2000}))
}

// TestAppendJSONShapes holds every hand-written encoder to encoding/json,
// with each optional field both absent and present, and nil slices.
func TestAppendJSONShapes(t *testing.T) {
	comment, date, reason := "a \"quoted\" comment\n", "2024-05-14 09:30:12", "EXPIRY_PERIOD_ENDED"
	prod := &productJSON{ID: "p-1", Alias: "forexo_basic", Name: "Forexo <Basic>", AutomaticallyApprove: true}
	full := applicationJSON{
		ID: "a-1", Product: prod, AssociatedRole: "DIRECTOR", Status: "APPLIED", Flag: "AUTOMATING", Hidden: true,
		RequiredTasks:    []requiredTaskJSON{{ID: "t-1", TaskType: "INDIVIDUAL_VERIFY_IDENTITY"}, {ID: "t-2", TaskType: "X"}},
		ApprovalBlockers: []blockerJSON{{BlockerType: "INCOMPLETE_TASK", TaskType: "X", TaskID: "t-2"}, {BlockerType: "UNRESOLVED_EVENT", EventID: "e-1"}, {BlockerType: "SUSPENDED_PROFILE"}},
		History:          []historyJSON{{Status: "APPLIED", Date: date}, {Status: "APPROVED", Date: date, Comment: &comment, Decisioner: &struct{}{}}},
		FlagHistory:      []flagHistoryJSON{{Status: "APPLIED", Flag: "AUTOMATING", Date: date}},
	}
	task := taskJSON{ID: "t-1", Type: "X", Variant: variantJSON{ID: "v", Name: "n", TaskType: "X"}, State: "COMPLETED_PASS",
		IsComplete: true, CreationDate: date, WillExpireAt: &date, CheckIDs: []string{"c-1", "c-2"}}
	expired := task
	expired.WillExpireAt, expired.ExpiredAt, expired.ExpiryReason, expired.IsExpired, expired.CheckIDs = nil, &date, &reason, true, nil
	ev := eventJSON{ID: "e-1", CreationDate: date, Resolution: "MISMATCH", ResolutionReason: &comment, ResolutionDate: &date,
		ResolutionTaskIDs: []string{"t-1"}, Data: json.RawMessage(`{"event_type":"PEP_FLAG","score":0.8}`)}
	tests := []struct {
		name string
		v    jsonAppender
	}{
		{"product", prod},
		{"application full", &full},
		{"application empty", &applicationJSON{}},
		{"application empty slices", &applicationJSON{Product: prod, RequiredTasks: []requiredTaskJSON{}, ApprovalBlockers: []blockerJSON{}, History: []historyJSON{}, FlagHistory: []flagHistoryJSON{}}},
		{"applications", applicationsJSON{full, {}}},
		{"applications nil", applicationsJSON(nil)},
		{"applications empty", applicationsJSON{}},
		{"task", &task},
		{"task expired", &expired},
		{"task empty", &taskJSON{}},
		{"tasks", tasksJSON{task, expired}},
		{"tasks nil", tasksJSON(nil)},
		{"event", &ev},
		{"event empty", &eventJSON{}},
		{"profile full", &profileJSON{ID: "p", CreationDate: date, Role: "INDIVIDUAL_CUSTOMER", DisplayName: "Ada \u2028 Lovelace", Category: "APPLICANT",
			Status: "NORMAL", CollectedData: json.RawMessage(`{"entity_type":"INDIVIDUAL"}`), Applications: []applicationJSON{full},
			Tasks: []taskJSON{task, expired}, TaskTypes: []string{"X", "Y"}, TaskProgress: taskProgressJSON{CompletedCount: 1, TotalCount: 2},
			Events: []eventJSON{ev, {}}, UnresolvedEventTypes: []string{"PEP_FLAG"}, HasAssociates: true}},
		{"profile empty", &profileJSON{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, want := string(tt.v.appendJSON(nil)), stdJSON(t, tt.v)
			assert.False(t, got != want, "appendJSON:\ngot  %s\nwant %s", got, want)
		})
	}
}

// TestAppendJSONStore renders every profile a lifecycle leaves in the store
// (tasks passed, events resolved, decisions, a revert) both ways.
func TestAppendJSONStore(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	e.Settled()
	e.PassAll(pid, e.App(pid, app.Str("id")))
	ev := e.Post("/profiles/"+pid+"/events", `{"data":{"event_type":"PEP_FLAG","match_name":"Ada \"Lovelace\"","score":0.8}}`).Want(200)
	e.Post("/profiles/"+pid+"/events/"+ev.Str("id"), `{"resolution":"MISMATCH","resolution_reason":"Different dob"}`).Want(200)
	e.Settled()
	e.Post("/profiles/"+pid+"/applications/"+app.Str("id"), map[string]any{"status": "APPROVED", "comment": "ok <fine>"})
	e.Post("/profiles/"+pid+"/applications/"+app.Str("id")+"/revert_decision", map[string]any{"comment": "undo"})
	e.Post("/profiles", mocktest.WithApps(mocktest.Company("Acme \u00e9 Ltd"), "forexo_business"))
	e.Post("/profiles/"+pid+"/events", `{"data":{"event_type":"PEP_FLAG","match_name":"x"}}`)

	n := 0
	for _, p := range e.s.store.search(func(*profile) bool { return true }) {
		p.mu.RLock()
		out := e.s.renderProfile(p, 0)
		// The extra keys are encoded by encoding/json already; the rest must match it.
		assert.True(t, json.Valid(append(append([]byte("{"), out.Extras[1:]...), '}')), "extras: %s", out.Extras)
		out.Extras = nil
		tasks := make(tasksJSON, len(p.tasks))
		for i := range p.tasks {
			tasks[i] = e.s.renderTask(&p.tasks[i])
		}
		p.mu.RUnlock()
		for _, v := range []jsonAppender{&out, applicationsJSON(out.Applications), tasks} {
			got, want := string(v.appendJSON(nil)), stdJSON(t, v)
			assert.False(t, got != want, "profile %s:\ngot  %s\nwant %s", p.id, got, want)
		}
		n++
	}
	assert.False(t, n != 2, "profiles in the store: got %d, want 2", n)
}
