package mock

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// Tests of the operations beyond the application lifecycle (decisions D36 to
// D53, docs/decisions.md). Every exchange is held against the contract when
// each test ends (mocktest.Env).

const missingID = "00000000-0000-4000-8000-000000000000"

// fixture is a profile with a task, a check, an image, a file, a note, a tag
// and an event, made through the API.
type fixture struct {
	pid, task, check, image, file, note, tag, event string
}

func (e *env) fixture(t *testing.T) fixture {
	t.Helper()
	p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace", "dob", "1990-12-10", "nationality", "GBR"), "forexo_basic")).Want(200)
	f := fixture{pid: p.Str("id"), task: p.Str("tasks.0.id")}
	pre := "/profiles/" + f.pid
	f.check = e.Post(pre+"/checks", map[string]any{"check_type": "IDENTITY_CHECK", "task_ids": []any{}}).Want(200).Str("id")
	f.image = e.Post(pre+"/document_images", map[string]any{"data": "data:image/png;base64,iVBORw0KGgo=", "image_type": "FRONT"}).Want(200).Str("id")
	f.file = e.Post(pre+"/files", map[string]any{"data": "JVBERi0xLjQK", "name": "bill.pdf"}).Want(200).Str("id")
	f.note = e.Post(pre+"/tasks/"+f.task+"/notes", map[string]any{"text": "seen", "attachments": []any{map[string]any{"id": f.file}}}).Want(200).Str("id")
	f.tag = e.Post(pre+"/tags", map[string]any{"name": "High-Value"}).Want(200).Str("id")
	f.event = e.Post(pre+"/events", map[string]any{"data": map[string]any{"event_type": "PEP_FLAG"}}).Want(200).Str("id")
	require.NotContains(t, []string{f.pid, f.task, f.check, f.image, f.file, f.note, f.tag, f.event}, "")
	return f
}

// TestNewOperationsAnswers holds each new operation to its documented
// answers: positive and negative.
func TestNewOperationsAnswers(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture(t)
	pre := "/profiles/" + f.pid
	tests := map[string]struct {
		method, path string
		body         any
		header       []string
		status, code int
	}{
		"list checks":                    {"GET", pre + "/checks", nil, nil, 200, 0},
		"get check":                      {"GET", pre + "/checks/" + f.check, nil, nil, 200, 0},
		"unknown check":                  {"GET", pre + "/checks/" + missingID, nil, nil, 404, 201},
		"check of unknown profile":       {"GET", "/profiles/" + missingID + "/checks", nil, nil, 404, 201},
		"check without type":             {"POST", pre + "/checks", `{}`, nil, 400, 101},
		"check type outside enum":        {"POST", pre + "/checks", `{"check_type":"NOPE"}`, nil, 400, 201},
		"result without external":        {"POST", pre + "/checks", `{"check_type":"IDENTITY_CHECK","result":"Pass"}`, nil, 400, 201},
		"check of unknown task":          {"POST", pre + "/checks", `{"check_type":"IDENTITY_CHECK","task_ids":["` + missingID + `"]}`, nil, 400, 201},
		"bad mode":                       {"POST", pre + "/checks?mode=later", `{"check_type":"IDENTITY_CHECK"}`, nil, 400, 201},
		"external check":                 {"POST", pre + "/checks", `{"check_type":"PEPS_AND_SANCTIONS_SCREEN","instructed_externally":true,"result":"Refer","output_data":{}}`, nil, 200, 0},
		"link check":                     {"POST", pre + "/checks/" + f.check, `{"task_ids":["` + f.task + `"]}`, nil, 200, 0},
		"link check without task_ids":    {"POST", pre + "/checks/" + f.check, `{}`, nil, 400, 101},
		"link unknown check":             {"POST", pre + "/checks/" + missingID, `{"task_ids":[]}`, nil, 404, 201},
		"approve check":                  {"POST", pre + "/checks/" + f.check + "/approve", nil, nil, 200, 0},
		"reject check with {}":           {"POST", pre + "/checks/" + f.check + "/reject", `{}`, nil, 200, 0},
		"approve unknown check":          {"POST", pre + "/checks/" + missingID + "/approve", nil, nil, 404, 201},
		"get check wrong method":         {"DELETE", pre + "/checks/" + f.check, nil, nil, 405, 201},
		"collected data":                 {"GET", pre + "/collected_data", nil, nil, 200, 0},
		"replace without entity_type":    {"POST", pre + "/collected_data", `{}`, nil, 400, 101},
		"replace with the wrong entity":  {"POST", pre + "/collected_data", `{"entity_type":"COMPANY"}`, nil, 400, 201},
		"replace on a stale If-Match":    {"POST", pre + "/collected_data", `{"entity_type":"INDIVIDUAL"}`, []string{"If-Match", `W/"1.99"`}, 412, 105},
		"collected data wrong method":    {"DELETE", pre + "/collected_data", nil, nil, 405, 201},
		"document":                       {"POST", pre + "/collected_data/documents", map[string]any{"category": "PROOF_OF_IDENTITY", "document_type": "PASSPORT", "images": []any{map[string]any{"id": f.image}}}, nil, 200, 0},
		"document of unknown image":      {"POST", pre + "/collected_data/documents", map[string]any{"category": "PROOF_OF_IDENTITY", "document_type": "PASSPORT", "images": []any{map[string]any{"id": missingID}}}, nil, 400, 201},
		"document without images":        {"POST", pre + "/collected_data/documents", `{"category":"PROOF_OF_IDENTITY","document_type":"PASSPORT"}`, nil, 400, 101},
		"images":                         {"GET", pre + "/document_images", nil, nil, 200, 0},
		"full image":                     {"GET", pre + "/document_images/" + f.image + "?full=true", nil, nil, 200, 0},
		"unknown image":                  {"GET", pre + "/document_images/" + missingID, nil, nil, 404, 201},
		"image neither base64 nor URI":   {"POST", pre + "/document_images", `{"data":"hello"}`, nil, 400, 201},
		"image of base64 with bad chars": {"POST", pre + "/document_images", `{"data":"iVBORw0K!!!="}`, nil, 400, 201},
		"image data URI of bad base64":   {"POST", pre + "/document_images", `{"data":"data:image/png;base64,iVBORw0K!!!="}`, nil, 400, 201},
		"image data URI without base64":  {"POST", pre + "/document_images", `{"data":"data:image/png,hello"}`, nil, 400, 201},
		"image as plain base64":          {"POST", pre + "/document_images", `{"data":"iVBORw0KGgo=","image_type":"BACK"}`, nil, 200, 0},
		"image without data":             {"POST", pre + "/document_images", `{}`, nil, 400, 101},
		"image over the content limit":   {"POST", pre + "/document_images", `{"data":"data:image/png;base64,` + strings.Repeat("AAAA", maxContentBytes/3+1) + `"}`, nil, 413, 201},
		"file":                           {"GET", pre + "/files/" + f.file, nil, nil, 200, 0},
		"unknown file":                   {"GET", pre + "/files/" + missingID, nil, nil, 404, 201},
		"file not base64":                {"POST", pre + "/files", `{"data":"not base64!"}`, nil, 400, 201},
		"file of bad base64, length 4":   {"POST", pre + "/files", `{"data":"ab!d"}`, nil, 400, 201},
		"file as a data URI":             {"POST", pre + "/files", `{"data":"data:application/pdf;base64,JVBERi0xLjQK"}`, nil, 400, 201},
		"file over the content limit":    {"POST", pre + "/files", `{"data":"` + strings.Repeat("AAAA", maxContentBytes/3+1) + `"}`, nil, 413, 201},
		"notes":                          {"GET", pre + "/tasks/" + f.task + "/notes", nil, nil, 200, 0},
		"notes of unknown task":          {"GET", pre + "/tasks/" + missingID + "/notes", nil, nil, 404, 201},
		"note without text":              {"POST", pre + "/tasks/" + f.task + "/notes", `{}`, nil, 400, 101},
		"note of unknown attachment":     {"POST", pre + "/tasks/" + f.task + "/notes", `{"text":"x","attachments":[{"id":"` + missingID + `"}]}`, nil, 400, 201},
		"delete unknown note":            {"DELETE", pre + "/tasks/" + f.task + "/notes/" + missingID, nil, nil, 404, 201},
		"note wrong method":              {"GET", pre + "/tasks/" + f.task + "/notes/" + f.note, nil, nil, 405, 201},
		"tag again, other case":          {"POST", pre + "/tags", `{"name":"high-value"}`, nil, 200, 0},
		"tag without name":               {"POST", pre + "/tags", `{}`, nil, 400, 101},
		"tag with a blank name":          {"POST", pre + "/tags", `{"name":"  "}`, nil, 400, 201},
		"remove unknown tag":             {"DELETE", pre + "/tags/" + missingID, nil, nil, 404, 201},
		"tags wrong method":              {"GET", pre + "/tags", nil, nil, 405, 201},
		"tag search":                     {"GET", "/tags/search/valu", nil, nil, 200, 0},
		"tag search bad limit":           {"GET", "/tags/search/valu?limit=0", nil, nil, 400, 201},
		"steps":                          {"GET", pre + "/collection_steps", nil, nil, 200, 0},
		"steps not an array":             {"POST", pre + "/collection_steps", `{}`, nil, 400, 201},
		"document step without fields":   {"POST", pre + "/collection_steps", `[{"collection_type":"DOCUMENT"}]`, nil, 400, 101},
		"bulk update":                    {"POST", pre + "/events/bulk_update", `[{"id":"` + f.event + `","resolution":"MISMATCH"}]`, nil, 200, 0},
		"bulk update empty":              {"POST", pre + "/events/bulk_update", `[]`, nil, 400, 201},
		"bulk update same id twice":      {"POST", pre + "/events/bulk_update", `[{"id":"` + f.event + `","resolution":"MATCH"},{"id":"` + f.event + `","resolution":"MATCH"}]`, nil, 400, 201},
		"bulk update unknown event":      {"POST", pre + "/events/bulk_update", `[{"id":"` + f.event + `","resolution":"MATCH"},{"id":"` + missingID + `","resolution":"MATCH"}]`, nil, 404, 201},
		"bulk update wrong method":       {"DELETE", pre + "/events/bulk_update", nil, nil, 405, 201},
		"GET bulk_update names no event": {"GET", pre + "/events/bulk_update", nil, nil, 404, 201},
		"audit":                          {"GET", pre + "/audit-items", nil, nil, 200, 0},
		"audit of unknown profile":       {"GET", "/profiles/" + missingID + "/audit-items", nil, nil, 404, 201},
		"company by number":              {"GET", "/search/companies?country=GBR&number=09565115", nil, nil, 200, 0},
		"company without country":        {"GET", "/search/companies?query=x", nil, nil, 400, 101},
		"address search":                 {"GET", "/address/search?address=downing&country_code=GBR", nil, nil, 200, 0},
		"address search without text":    {"GET", "/address/search?country_code=GBR", nil, nil, 400, 101},
		"address format":                 {"GET", "/address/format?id=GB%7CRM%7CA%7C12345678&country_code=GBR", nil, nil, 200, 0},
		"address format unknown id":      {"GET", "/address/format?id=nope&country_code=GBR", nil, nil, 404, 201},
		"collection key":                 {"POST", "/api_keys/collect", `{"profile_ids":["` + f.pid + `"]}`, nil, 200, 0},
		"collection key unknown profile": {"POST", "/api_keys/collect", `{"profile_ids":["` + missingID + `"]}`, nil, 404, 201},
		"collection key empty":           {"POST", "/api_keys/collect", `{"profile_ids":[]}`, nil, 400, 201},
		"profile collection key":         {"POST", "/api_keys/collect/" + f.pid, nil, nil, 200, 0},
		"profile collection key 404":     {"POST", "/api_keys/collect/" + missingID, nil, nil, 404, 201},
		"ad-hoc task":                    {"POST", pre + "/tasks", `{"type":"INDIVIDUAL_MANUAL_TASK"}`, nil, 200, 0},
		"ad-hoc task of a company type":  {"POST", pre + "/tasks", `{"type":"COMPANY_MANUAL_TASK"}`, nil, 400, 201},
		"ad-hoc task without type":       {"POST", pre + "/tasks", `{}`, nil, 400, 101},
	}
	// Before the table: approving a check linked to the task (in the table,
	// in any order) passes the task (decision D56), and the task is open no more.
	e.Post(pre+"/tasks", map[string]any{"type": "INDIVIDUAL_VERIFY_IDENTITY"}).Want(409, codeDataPresent)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := e.Request(tc.method, tc.path, tc.body, tc.header...)
			if tc.code != 0 {
				r.Want(tc.status, tc.code)
				return
			}
			r.Want(tc.status)
		})
	}
}

// TestCheckProgression moves an asynchronous check through PENDING, RUNNING
// and COMPLETE on the injected clock.
func TestCheckProgression(t *testing.T) {
	e := newEnv(t, Options{CheckDuration: 4 * time.Second})
	pid := e.NewProfile()
	c := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "PEPS_AND_SANCTIONS_SCREEN"}).Want(200)
	path := "/profiles/" + pid + "/checks/" + c.Str("id")
	assert.Equal(t, "PENDING", c.Str("state"))
	assert.False(t, c.Get("decision").Exists(), "a pending check has no decision: %s", c.Body)
	e.Post(path+"/approve", nil).Want(409, codeTransitionError)
	e.Clock.Advance(time.Second)
	assert.Equal(t, "RUNNING", e.Get(path).Want(200).Str("state"))
	e.Clock.Advance(3 * time.Second)
	done := e.Get(path).Want(200)
	assert.Equal(t, "COMPLETE", done.Str("state"))
	assert.Equal(t, "PASS", done.Str("decision"))
	assert.Equal(t, "Pass", done.Str("result"))

	sync := e.Post("/profiles/"+pid+"/checks?mode=sync", map[string]any{"check_type": "PEPS_AND_SANCTIONS_SCREEN"}).Want(200)
	assert.Equal(t, "COMPLETE", sync.Str("state"), "mode=sync")
	identity := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(200)
	assert.Equal(t, "COMPLETE", identity.Str("state"), "IDENTITY_CHECK defaults to sync")
	async := e.Post("/profiles/"+pid+"/checks?mode=async", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(200)
	assert.Equal(t, "PENDING", async.Str("state"), "mode=async")

	// Approve makes a new check, linked to the same tasks; the old one stays.
	e.Post(path+"/reject", nil).Want(200)
	list := e.Get("/profiles/" + pid + "/checks").Want(200)
	require.Len(t, list.Get("@this").Array(), 5)
	last := list.Get("4")
	assert.Equal(t, "FAIL", last.Get("decision").String())
	assert.Equal(t, "PASS", list.Get("0.decision").String(), "the rejected check is unchanged")
	assert.Len(t, e.Get("/profiles/"+pid).Want(200).Get("checks").Array(), 5, "the profile carries its checks")
}

// TestCheckOutcomeByName: FAIL fails, 1+1 is partial, a plain name passes, a
// user-assigned country cannot be checked (decision D52), and a name that
// names a check error gets it (decision D115).
func TestCheckOutcomeByName(t *testing.T) {
	tests := map[string]struct {
		given, family, nationality string
		decision, result           string
		code                       int64
	}{
		"plain":         {"Ada", "Lovelace", "GBR", "PASS", "Pass", 0},
		"FAIL":          {"Ada", "FAIL", "GBR", "FAIL", "Fail", 0},
		"fail any case": {"Failing", "Lovelace", "GBR", "FAIL", "Fail", 0},
		"1+1":           {"Ada", "Lovelace 1+1", "GBR", "PARTIAL", "1+1", 0},
		"no provider":   {"Ada", "Lovelace", "XXX", "ERROR", "Error", 106},
		"104 by name":   {"Ada", "Chargeable_Limit_Reached", "GBR", "ERROR", "Error", 104},
		"107 by name":   {"Ada", "CHECK_LIMIT_REACHED", "GBR", "ERROR", "Error", 107},
		"302 by name":   {"Ada", "PROVIDER_CONNECTION_ERROR", "GBR", "ERROR", "Error", 302},
		"303 by name":   {"Ada", "provider_unknown_error", "GBR", "ERROR", "Error", 303},
		"106 first":     {"Ada", "PROVIDER_UNKNOWN_ERROR", "ZZZ", "ERROR", "Error", 106},
		"107 over FAIL": {"Fail", "CHECK_LIMIT_REACHED", "GBR", "ERROR", "Error", 107},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, Options{})
			pid := e.Post("/profiles", mocktest.Individual(tc.given, tc.family, "nationality", tc.nationality)).Want(200).Str("id")
			c := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(200)
			assert.Equal(t, tc.decision, c.Str("decision"))
			assert.Equal(t, tc.result, c.Str("result"))
			assert.Equal(t, tc.code, c.Get("errors.0.code").Int())
		})
	}
}

// TestCollectedDataReplaceAndETag: POST replaces, If-Match guards.
func TestCollectedDataReplaceAndETag(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	path := "/profiles/" + pid + "/collected_data"
	first := e.Get(path).Want(200)
	tag := first.Header.Get("ETag")
	require.NotEmpty(t, tag)
	assert.True(t, first.Get("personal_details.dob").Exists())
	repl := map[string]any{"entity_type": "INDIVIDUAL", "personal_details": map[string]any{"name": map[string]any{"given_names": []string{"Grace"}, "family_name": "Hopper"}}}
	r := e.Request("POST", path, repl, "If-Match", tag).Want(200)
	assert.False(t, r.Get("personal_details.dob").Exists(), "replaced, not merged: %s", r.Body)
	newTag := r.Header.Get("ETag")
	assert.NotEqual(t, tag, newTag)
	stale := e.Request("POST", path, repl, "If-Match", tag).Want(412, 105)
	assert.Equal(t, newTag, stale.Header.Get("ETag"), "412 names the current version")
	got := e.Get(path).Want(200)
	assert.JSONEq(t, string(r.Body), string(got.Body))
	assert.Equal(t, "Grace Hopper", e.Get("/profiles/"+pid).Want(200).Str("display_name"))
	e.Post(path, repl).Want(200) // without If-Match the last write wins
}

// TestCategoriesFilter: GET /profiles honours categories.
func TestCategoriesFilter(t *testing.T) {
	e := newEnv(t, Options{})
	applicant := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ann", "Applicant"), "forexo_basic")).Want(200).Str("id")
	p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Cee", "Customer"), "forexo_basic")).Want(200)
	e.Settled()
	e.PassAll(p.Str("id"), e.App(p.Str("id"), p.Str("applications.0.id")))
	e.SetStatus(p.Str("id"), p.Str("applications.0.id"), "APPROVED").Want(200)
	customers := e.Get("/profiles?categories=CUSTOMER").Want(200)
	assert.Equal(t, int64(1), customers.Get("count").Int(), "%s", customers.Body)
	assert.Equal(t, p.Str("id"), customers.Str("results.0.id"))
	applicants := e.Get("/profiles?categories=APPLICANT,INACTIVE_APPLICANT").Want(200)
	assert.Equal(t, applicant, applicants.Str("results.0.id"))
	assert.Equal(t, int64(1), applicants.Get("count").Int())
	assert.Equal(t, int64(2), e.Get("/profiles").Want(200).Get("count").Int())
	e.Get("/profiles?categories=NOPE").Want(400, 201)
}

// TestAdHocTaskSendsApprovedToReview: a new task blocks open applications.
func TestAdHocTaskSendsApprovedToReview(t *testing.T) {
	e := newEnv(t, Options{})
	p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic")).Want(200)
	pid, aid := p.Str("id"), p.Str("applications.0.id")
	e.Settled()
	e.PassAll(pid, e.App(pid, aid))
	e.SetStatus(pid, aid, "APPROVED").Want(200)
	task := e.Post("/profiles/"+pid+"/tasks", map[string]any{"type": "INDIVIDUAL_MANUAL_TASK"}).Want(200)
	assert.False(t, task.Get("variant").Exists(), "an ad-hoc task without a variant: %s", task.Body)
	app := e.App(pid, aid)
	assert.Equal(t, "IN_REVIEW", app.Str("status"))
	assert.Contains(t, app.Get("approval_blockers.#.task_id").String(), task.Str("id"))
	e.Post("/profiles/"+pid+"/tasks", map[string]any{"type": "INDIVIDUAL_MANUAL_TASK"}).Want(409, codeDataPresent)
}

// TestTagsNotesStepsAudit covers the smaller collections end to end.
func TestTagsNotesStepsAudit(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture(t)
	pre := "/profiles/" + f.pid
	again := e.Post(pre+"/tags", map[string]any{"name": "HIGH-VALUE"}).Want(200)
	assert.Equal(t, f.tag, again.Str("id"), "a tag is reused by name")
	other := e.fixture(t)
	assert.Equal(t, f.tag, e.Post("/profiles/"+other.pid+"/tags", map[string]any{"name": "high-value"}).Want(200).Str("id"), "tags belong to the account")
	found := e.Get("/tags/search/VALUE").Want(200)
	assert.Len(t, found.Get("@this").Array(), 1)
	assert.JSONEq(t, "[]", string(e.Get("/tags/search/nothing-like-it").Want(200).Body))
	assert.Equal(t, f.tag, e.Request("DELETE", pre+"/tags/"+f.tag, nil).Want(200).Str("id"))
	e.Request("DELETE", pre+"/tags/"+f.tag, nil).Want(404, 201)
	assert.Len(t, e.Get(pre).Want(200).Get("tags").Array(), 0)

	notes := e.Get(pre + "/tasks/" + f.task + "/notes").Want(200)
	assert.Equal(t, "bill.pdf", notes.Str("0.attachments.0.name"))
	assert.Equal(t, "{}", strings.TrimSpace(string(e.Request("DELETE", pre+"/tasks/"+f.task+"/notes/"+f.note, nil).Want(200).Body)))
	e.Request("DELETE", pre+"/tasks/"+f.task+"/notes/"+f.note, nil).Want(404, 201)

	steps := e.Post(pre+"/collection_steps", `[{"collection_type":"DOB"},{"collection_type":"DOCUMENT","category":"PROOF_OF_IDENTITY","allowed_types":["PASSPORT"]}]`).Want(200)
	assert.NotEmpty(t, steps.Str("1.id"), "a document step gets an id")
	prof := e.Get(pre).Want(200)
	assert.True(t, prof.Get("has_collection_steps").Bool())
	e.Settled()
	assert.Equal(t, "WAITING_ON_COLLECTION_STEPS", e.Get(pre).Want(200).Str("applications.0.flag"))
	e.Post(pre+"/collection_steps", `[]`).Want(200)
	assert.False(t, e.Get(pre).Want(200).Get("has_collection_steps").Bool())

	audit := e.Get(pre + "/audit-items").Want(200)
	actions := audit.Get("#.action").String()
	for _, a := range []string{"created-profile", "added-product", "instructed-check", "added-a-tag", "removed-a-tag", "added-a-task-note", "deleted-a-task-note", "requested-data"} {
		assert.Contains(t, actions, `"`+a+`"`)
	}
	assert.Equal(t, "created-profile", audit.Str("0.action"), "oldest first")
	assert.Equal(t, f.pid, audit.Str("0.profileID"))
}

// TestProfileCarriesEveryKey: decision D50's keys are all there.
func TestProfileCarriesEveryKey(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture(t)
	p := e.Get("/profiles/" + f.pid).Want(200)
	for _, k := range []string{"checks", "collection_steps", "document_images", "tags", "risk", "has_collection_steps", "linked_to", "verified_data"} {
		assert.True(t, p.Get(k).Exists(), "key %s missing: %s", k, p.Body)
	}
	assert.Len(t, p.Get("checks").Array(), 1)
	assert.Len(t, p.Get("document_images").Array(), 1)
	assert.False(t, p.Get("document_images.0.decrypted_data").Exists(), "no image content in a profile")
	assert.False(t, p.Get("document_images.0.data").Exists(), "no image content in a profile")
	assert.Equal(t, http.StatusOK, e.Get("/profiles/"+f.pid+"/document_images/"+f.image+"?full=true").Status)
}

// TestMediaRoundTrip: what is uploaded is what is read back (decisions D41,
// D113 and D114): an image sent as a data URI comes back as sent, one sent
// as plain base64 comes back as a data URI of the same base64 with the media
// type its content shows, and a file comes back the same way. Upload
// answers and image listings carry no content.
func TestMediaRoundTrip(t *testing.T) {
	const png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
	pdf := base64.StdEncoding.EncodeToString([]byte("%PDF-1.4\n% uploaded by a test\n"))
	jpeg := base64.StdEncoding.EncodeToString([]byte("\xff\xd8\xff\xe0 a JPEG's first bytes"))
	unknown := base64.StdEncoding.EncodeToString([]byte{0, 1, 2, 3, 4})
	tests := map[string]struct {
		collection, data, want string
	}{
		"image as a data URI":               {"document_images", "data:image/png;base64," + png, "data:image/png;base64," + png},
		"image data URI keeps its own type": {"document_images", "data:image/gif;base64," + png, "data:image/gif;base64," + png},
		"image as plain base64 PNG":         {"document_images", png, "data:image/png;base64," + png},
		"image as plain base64 JPEG":        {"document_images", jpeg, "data:image/jpeg;base64," + jpeg},
		"image as plain base64 PDF":         {"document_images", pdf, "data:application/pdf;base64," + pdf},
		"image of content nothing names":    {"document_images", unknown, "data:application/octet-stream;base64," + unknown},
		"image of empty base64":             {"document_images", "", "data:text/plain;base64,"},
		"file of a PDF":                     {"files", pdf, "data:application/pdf;base64," + pdf},
		"file of text drops the charset":    {"files", base64.StdEncoding.EncodeToString([]byte("plain words")), "data:text/plain;base64,cGxhaW4gd29yZHM="},
		"file of content nothing names":     {"files", unknown, "data:application/octet-stream;base64," + unknown},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{})
			pre := "/profiles/" + e.NewProfile() + "/" + tc.collection
			up := e.Post(pre, map[string]any{"data": tc.data}).Want(200)
			id := up.Str("id")
			require.NotEmpty(t, id, "upload answer: %s", up.Body)
			assert.False(t, up.Get("decrypted_data").Exists(), "upload answer carries no content: %s", up.Body)
			assert.False(t, up.Get("data").Exists(), "upload answer carries no content: %s", up.Body)
			path := pre + "/" + id
			if tc.collection == "document_images" {
				path += "?full=true"
			}
			read := e.Get(path).Want(200)
			assert.Equal(t, tc.want, read.Str("decrypted_data"), "decrypted_data read back")
			assert.False(t, read.Get("data").Exists(), "a read answers decrypted_data, not data: %s", read.Body)
			if tc.collection == "document_images" {
				list := e.Get(pre).Want(200)
				assert.False(t, list.Get("0.decrypted_data").Exists(), "a listing carries no content: %s", list.Body)
			}
		})
	}
}

// TestCheckUpdateChangesOnlyTaskIDs: a check is immutable but for its
// links (decision D52): POST …/checks/{id} with other fields beside
// task_ids changes task_ids and ignores the rest.
func TestCheckUpdateChangesOnlyTaskIDs(t *testing.T) {
	e := newEnv(t, Options{})
	f := e.fixture(t)
	path := "/profiles/" + f.pid + "/checks/" + f.check
	linked := e.Post(path, map[string]any{"task_ids": []any{f.task}}).Want(200)
	require.Equal(t, []any{f.task}, linked.Get("task_ids").Value(), "precondition: the check is linked to the task")
	before := e.Get(path).Want(200)
	require.Equal(t, []string{"COMPLETE", "Pass", "IDENTITY_CHECK"}, []string{before.Str("state"), before.Str("result"), before.Str("check_type")}, "precondition: %s", before.Body)

	got := e.Post(path, map[string]any{"task_ids": []any{}, "result": "Fail", "state": "PENDING", "check_type": "COMPANY_FILINGS"}).Want(200)
	for _, r := range []mocktest.Resp{got, e.Get(path).Want(200)} {
		assert.Equal(t, []any{}, r.Get("task_ids").Value(), "task_ids: %s", r.Body)
		for _, k := range []string{"id", "result", "state", "check_type", "decision", "errors", "instructed_on", "completed_on"} {
			assert.Equal(t, before.Get(k).Raw, r.Get(k).Raw, "%s: got %s, want it unchanged", k, r.Get(k).Raw)
		}
	}
}
