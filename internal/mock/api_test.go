package mock

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

func TestAuth(t *testing.T) {
	e := newEnv(t, Options{APIKey: "secret"})
	tests := map[string]struct {
		method, path string
		header       []string
		status, code int
	}{
		"missing key":                 {"GET", "/whoami", []string{"Apikey", ""}, 401, codeMissingAPIKey},
		"wrong key":                   {"GET", "/whoami", []string{"Apikey", "nope"}, 401, codeInvalidAPIKey},
		"right key":                   {"GET", "/whoami", []string{"Apikey", "secret"}, 200, 0},
		"deprecated query key":        {"GET", "/whoami?apikey=secret", []string{"Apikey", ""}, 200, 0},
		"wrong query key":             {"GET", "/whoami?apikey=nope", []string{"Apikey", ""}, 401, codeInvalidAPIKey},
		"auth before routing":         {"GET", "/nowhere", []string{"Apikey", ""}, 401, codeMissingAPIKey},
		"auth before method":          {"DELETE", "/profiles", []string{"Apikey", "nope"}, 401, codeInvalidAPIKey},
		"auth before body validation": {"POST", "/profiles", []string{"Apikey", ""}, 401, codeMissingAPIKey},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var body any
			if tc.method == "POST" {
				body = "{}"
			}
			r := e.Request(tc.method, tc.path, body, tc.header...)
			if tc.code != 0 {
				r.Want(tc.status, tc.code)
				assert.False(t, r.Str("errors.0.source") != "API" || r.Str("errors.0.message") == "", "envelope = %s; want source API and a message", r.Body)
				return
			}
			r.Want(tc.status)
		})
	}
	r := e.Request("GET", "/whoami", nil, "Apikey", "secret").Want(200)
	assert.False(t, r.Str("institution.name") == "" || !r.Get("user").Exists() || r.Get("user").Raw != "null", "whoami = %s; want an institution and user null", r.Body)
}

// The SDK gate reads bodies before the API: internal/sdkgate holds it to
// the same answers.
func TestRoutingAndLimits(t *testing.T) {
	e := newEnv(t, Options{MaxBodyBytes: 100})
	pid := e.newProfileSmall()
	tests := map[string]struct {
		method, path string
		body         any
		header       []string
		status, code int
	}{
		"unknown path":              {"GET", "/nothing", nil, nil, 404, codeInvalidInputData},
		"unknown sub path":          {"GET", "/profiles/" + pid + "/notes", nil, nil, 404, codeInvalidInputData},
		"trailing slash":            {"GET", "/profiles/", nil, nil, 404, codeInvalidInputData},
		"too deep":                  {"GET", "/profiles/" + pid + "/tasks/a/b/c", nil, nil, 404, codeInvalidInputData},
		"malformed profile id":      {"GET", "/profiles/xyz", nil, nil, 404, codeInvalidInputData},
		"unknown profile":           {"GET", "/profiles/00000000-0000-0000-0000-000000000000", nil, nil, 404, codeInvalidInputData},
		"malformed application id":  {"GET", "/profiles/" + pid + "/applications/xyz", nil, nil, 404, codeInvalidInputData},
		"unknown application":       {"GET", "/profiles/" + pid + "/applications/00000000-0000-0000-0000-000000000000", nil, nil, 404, codeInvalidInputData},
		"unknown task":              {"GET", "/profiles/" + pid + "/tasks/00000000-0000-0000-0000-000000000000", nil, nil, 404, codeInvalidInputData},
		"unknown event":             {"GET", "/profiles/" + pid + "/events/00000000-0000-0000-0000-000000000000", nil, nil, 404, codeInvalidInputData},
		"wrong method":              {"DELETE", "/profiles/" + pid, nil, nil, 405, codeInvalidInputData},
		"wrong method on whoami":    {"POST", "/whoami", "{}", nil, 405, codeInvalidInputData},
		"body too large":            {"POST", "/profiles", `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"},"x":"` + strings.Repeat("a", 100) + `"}`, nil, 413, codeInvalidInputData},
		"not json content type":     {"POST", "/profiles", `{}`, []string{"Content-Type", "text/plain"}, 415, codeInvalidInputData},
		"bad content type":          {"POST", "/profiles", `{}`, []string{"Content-Type", "application/"}, 415, codeInvalidInputData},
		"malformed json":            {"POST", "/profiles", `{"role":`, nil, 400, codeInvalidInputData},
		"json array body":           {"POST", "/profiles", `[]`, nil, 400, codeInvalidInputData},
		"empty body":                {"POST", "/profiles", ``, nil, 400, codeMissingRequiredFields},
		"json with charset is fine": {"POST", "/profiles/" + pid + "/status", `"NORMAL"`, []string{"Content-Type", "application/json; charset=utf-8"}, 200, 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := e.Request(tc.method, tc.path, tc.body, tc.header...)
			if tc.code == 0 {
				r.Want(tc.status)
				return
			}
			r.Want(tc.status, tc.code)
			assert.False(t, tc.status == 405 && r.Header.Get("Allow") == "", "405 without an Allow header")
		})
	}
	r := e.Get("/profiles/00000000-0000-0000-0000-000000000000")
	assert.True(t, strings.Contains(r.Str("errors.0.message"), "Profile not found: 00000000"), "404 message = %q; want it to name the profile", r.Str("errors.0.message"))
}

// newProfileSmall creates a profile with a small body (for tests with a tiny body limit).
func (e *env) newProfileSmall() string {
	e.T.Helper()
	return e.Post("/profiles", `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"}}`).Want(200).Str("id")
}

func TestCreateProfile(t *testing.T) {
	basicID := "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8"
	tests := map[string]struct {
		body         any
		status, code int
		check        func(t *testing.T, r mocktest.Resp)
	}{
		"individual with an application by alias": {body: mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic"), status: 200,
			check: func(t *testing.T, r mocktest.Resp) {
				assert.False(t, r.Str("display_name") != "Ada Lovelace" || r.Str("role") != "INDIVIDUAL_CUSTOMER" || r.Str("status") != "NORMAL" || r.Str("category") != "APPLICANT", "profile = %s", r.Body)
				assert.False(t, r.Get("applications.#").Int() != 1 || r.Str("applications.0.flag") != "AUTOMATING" || r.Get("tasks.#").Int() != 1, "applications/tasks = %s", r.Body)
				assert.Equal(t, "Lovelace", r.Str("collected_data.personal_details.name.family_name"), "collected_data not echoed: %s", r.Get("collected_data").Raw)
				assert.False(t, r.Get("task_progress.total_count").Int() != 1 || r.Str("task_types.0") != "INDIVIDUAL_VERIFY_IDENTITY", "task summary = %s %s", r.Get("task_progress").Raw, r.Get("task_types").Raw)
			}},
		"by id, and alias and id that agree": {body: map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{"entity_type": "INDIVIDUAL"},
			"applications": []any{map[string]any{"product": map[string]any{"id": basicID, "alias": "forexo_basic"}}, map[string]any{"product": map[string]any{"alias": "forexo_plus"}}}}, status: 200,
			check: func(t *testing.T, r mocktest.Resp) {
				assert.False(t, r.Get("applications.#").Int() != 2 || r.Get("tasks.#").Int() != 3, "want 2 applications sharing the identity task (3 tasks): %s", r.Body)
				assert.False(t, r.Str("applications.0.required_tasks.0.id") != r.Str("applications.1.required_tasks.0.id"), "the identity task is not shared by the two applications (decision D13, docs/decisions.md)")
			}},
		"no applications applies automatically_apply products": {body: mocktest.Individual("Ada", "Lovelace"), status: 200,
			check: func(t *testing.T, r mocktest.Resp) {
				assert.False(t, r.Get("applications.#").Int() != 1 || r.Str("applications.0.product.alias") != "forexo_welcome", "applications = %s; want forexo_welcome only (decision D19, docs/decisions.md)", r.Get("applications").Raw)
			}},
		"empty applications applies nothing": {body: mocktest.WithApps(mocktest.Individual("Ada", "Lovelace")), status: 200,
			check: func(t *testing.T, r mocktest.Resp) {
				assert.False(t, r.Get("applications.#").Int() != 0, "applications = %s; want none", r.Get("applications").Raw)
			}},
		"company": {body: mocktest.WithApps(mocktest.Company("Forexo Trading Ltd"), "forexo_business"), status: 200,
			check: func(t *testing.T, r mocktest.Resp) {
				assert.False(t, r.Str("display_name") != "Forexo Trading Ltd" || r.Get("tasks.#").Int() != 4 || !strings.HasPrefix(r.Str("tasks.0.type"), "COMPANY_"), "company profile = %s", r.Body)
			}},
		"company without applications gets none": {body: mocktest.Company("X Ltd"), status: 200,
			check: func(t *testing.T, r mocktest.Resp) {
				assert.False(t, r.Get("applications.#").Int() != 0, "applications = %s; want none (no automatic company product)", r.Get("applications").Raw)
			}},
		"associated individual with a role": {body: map[string]any{"role": "INDIVIDUAL_ASSOCIATED", "collected_data": map[string]any{"entity_type": "INDIVIDUAL"},
			"applications": []any{map[string]any{"product": map[string]any{"alias": "forexo_basic"}, "associated_role": "DIRECTOR"}}}, status: 200,
			check: func(t *testing.T, r mocktest.Resp) {
				assert.Equal(t, "DIRECTOR", r.Str("applications.0.associated_role"), "associated_role = %q; want DIRECTOR", r.Str("applications.0.associated_role"))
			}},
		"missing role":           {body: map[string]any{"collected_data": map[string]any{"entity_type": "INDIVIDUAL"}}, status: 400, code: 101},
		"missing both":           {body: map[string]any{}, status: 400, code: 101},
		"missing collected_data": {body: map[string]any{"role": "INDIVIDUAL_CUSTOMER"}, status: 400, code: 101},
		"missing entity_type":    {body: map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{}}, status: 400, code: 101},
		"role outside the enum":  {body: map[string]any{"role": "PERSON", "collected_data": map[string]any{"entity_type": "INDIVIDUAL"}}, status: 400, code: 201},
		"role of wrong type":     {body: map[string]any{"role": 7, "collected_data": map[string]any{"entity_type": "INDIVIDUAL"}}, status: 400, code: 201},
		"entity does not match":  {body: map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{"entity_type": "COMPANY"}}, status: 400, code: 201},
		"collected_data string":  {body: map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": "x"}, status: 400, code: 201},
		"bad dob":                {body: mocktest.Individual("A", "B", "dob", "10/12/1990"), status: 400, code: 201},
		"bad nationality":        {body: mocktest.Individual("A", "B", "nationality", "gb"), status: 400, code: 201},
		"unknown alias":          {body: mocktest.WithApps(mocktest.Individual("A", "B"), "forexo_gold"), status: 400, code: 201},
		"unknown id": {body: map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{"entity_type": "INDIVIDUAL"},
			"applications": []any{map[string]any{"product": map[string]any{"id": "00000000-0000-0000-0000-000000000000"}}}}, status: 400, code: 201},
		"alias and id disagree": {body: map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{"entity_type": "INDIVIDUAL"},
			"applications": []any{map[string]any{"product": map[string]any{"id": basicID, "alias": "forexo_plus"}}}}, status: 400, code: 201},
		"product without alias or id": {body: map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{"entity_type": "INDIVIDUAL"},
			"applications": []any{map[string]any{"product": map[string]any{}}}}, status: 400, code: 101},
		"associated_role on a customer": {body: map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{"entity_type": "INDIVIDUAL"},
			"applications": []any{map[string]any{"product": map[string]any{"alias": "forexo_basic"}, "associated_role": "DIRECTOR"}}}, status: 400, code: 201},
		"company product on an individual": {body: mocktest.WithApps(mocktest.Individual("A", "B"), "forexo_business"), status: 400, code: 201},
		"same product twice":               {body: mocktest.WithApps(mocktest.Individual("A", "B"), "forexo_basic", "forexo_basic"), status: 400, code: 201},
		"applications not an array":        {body: map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{"entity_type": "INDIVIDUAL"}, "applications": "x"}, status: 400, code: 201},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, Options{})
			r := e.Post("/profiles", tc.body)
			if tc.code != 0 {
				r.Want(tc.status, tc.code)
				return
			}
			r.Want(tc.status)
			if tc.check != nil {
				tc.check(t, r)
			}
			// The created profile reads back the same, apart from the flags that moved.
			got := e.Get("/profiles/" + r.Str("id")).Want(200)
			assert.False(t, got.Str("display_name") != r.Str("display_name") || got.Get("applications.#").Int() != r.Get("applications.#").Int(), "GET after create = %s; want the created profile", got.Body)
		})
	}
}

func TestCreateProfileErrorNamesTheField(t *testing.T) {
	e := newEnv(t, Options{})
	r := e.Post("/profiles", map[string]any{}).Want(400, 101)
	msg := r.Str("errors.0.message")
	assert.Contains(t, msg, "role", "both missing fields named")
	assert.Contains(t, msg, "collected_data", "both missing fields named")
	assert.Equal(t, int64(2), r.Get("errors.0.info.fields.#").Int(), "info = %s; want the two missing fields", r.Get("errors.0.info").Raw)
	r = e.Post("/profiles", mocktest.WithApps(mocktest.Individual("A", "B"), "forexo_gold")).Want(400, 201)
	msg = r.Str("errors.0.message")
	assert.Contains(t, msg, "forexo_gold", "the unknown alias named")
}

func TestListProfiles(t *testing.T) {
	e := newEnv(t, Options{})
	var ids []string
	for _, n := range []string{"Ada Lovelace", "Grace Hopper", "Alan Turing", "Ada Byron"} {
		given, family, _ := strings.Cut(n, " ")
		ids = append(ids, e.Post("/profiles", mocktest.WithApps(mocktest.Individual(given, family))).Want(200).Str("id"))
		e.Clock.Advance(1e9)
	}
	tests := map[string]struct {
		query   string
		count   int
		results []string // ids, in order
	}{
		"all newest first":   {"", 4, []string{ids[3], ids[2], ids[1], ids[0]}},
		"q case-insensitive": {"?q=ADA", 2, []string{ids[3], ids[0]}},
		"q substring":        {"?q=ur", 1, []string{ids[2]}},
		"q no match":         {"?q=zzz", 0, nil},
		"limit":              {"?limit=2", 4, []string{ids[3], ids[2]}},
		"offset":             {"?limit=2&offset=3", 4, []string{ids[0]}},
		"offset past end":    {"?offset=10", 4, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			r := e.Get("/profiles" + tc.query).Want(200)
			assert.False(t, int(r.Get("count").Int()) != tc.count, "count = %d; want %d", r.Get("count").Int(), tc.count)
			var got []string
			for _, x := range r.Get("results.#.id").Array() {
				got = append(got, x.String())
			}
			assert.False(t, mocktest.CSV(got) != mocktest.CSV(tc.results), "results = %v; want %v", got, tc.results)
		})
	}
	r := e.Get("/profiles?limit=1").Want(200)
	assert.False(t, r.Get("limit").Int() != 1 || r.Get("offset").Int() != 0 || r.Str("results.0.display_name") != "Ada Byron" || r.Str("results.0.category") != "APPLICANT", "page = %s", r.Body)
	for _, q := range []string{"?limit=0", "?limit=201", "?limit=x", "?offset=-1", "?offset=1.5"} {
		e.Get("/profiles"+q).Want(400, 201)
	}
}

func TestDeleteProfile(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	other := e.NewProfile()
	e.Post("/profiles/"+pid+"/delete", map[string]any{}).Want(400, 101)
	e.Post("/profiles/"+pid+"/delete", map[string]any{"confirm_id": other}).Want(400, 201)
	e.Post("/profiles/"+pid+"/delete", map[string]any{"confirm_id": "not-an-id"}).Want(400, 201)
	e.Post("/profiles/"+pid+"/delete", map[string]any{"confirm_id": 5}).Want(400, 201)
	r := e.Post("/profiles/"+pid+"/delete", map[string]any{"confirm_id": pid, "message": "duplicate"}).Want(200)
	assert.Equal(t, "{}\n", string(r.Body))
	e.Get("/profiles/"+pid).Want(404, 201)
	e.Post("/profiles/"+pid+"/delete", map[string]any{"confirm_id": pid}).Want(404, 201)
	e.Get("/profiles/" + other).Want(200)
	r = e.Get("/profiles").Want(200)
	assert.False(t, r.Get("count").Int() != 1, "count after delete = %d; want 1", r.Get("count").Int())
}

func TestProfileStatus(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	aid := app.Str("id")
	e.Settled()
	r := e.Get("/profiles/" + pid + "/status").Want(200)
	assert.Equal(t, "\"NORMAL\"\n", string(r.Body), "status = %s; want \"NORMAL\"", r.Body)
	e.PassAll(pid, app)
	e.SetStatus(pid, aid, "APPROVED").Want(200)

	r = e.Post("/profiles/"+pid+"/status", `"SUSPENDED"`).Want(200)
	assert.Equal(t, "\"SUSPENDED\"\n", string(r.Body), "POST status = %s; want \"SUSPENDED\"", r.Body)
	a := e.App(pid, aid)
	assert.False(t, a.Str("status") != "APPROVED" || a.Str("approval_blockers.0.blocker_type") != "SUSPENDED_PROFILE" || a.Get("approval_blockers.#").Int() != 1, "suspended approved application = %s; want APPROVED with one SUSPENDED_PROFILE blocker (decision D16, docs/decisions.md)", a.Body)
	// A second application of the suspended profile cannot be approved.
	app2 := e.Apply(pid, "forexo_instant")
	e.Settled()
	e.PassAll(pid, app2)
	a2 := e.App(pid, app2.Str("id"))
	assert.False(t, a2.Str("status") != "APPLIED" || a2.Str("approval_blockers.0.blocker_type") != "SUSPENDED_PROFILE", "auto-approve product on a suspended profile = %s; want APPLIED, blocked", a2.Body)
	e.SetStatus(pid, app2.Str("id"), "APPROVED").Want(409, 402)
	// Restoring the profile lets the smart policy approve it.
	e.Post("/profiles/"+pid+"/status", `"NORMAL"`).Want(200)
	a2 = e.App(pid, app2.Str("id"))
	assert.False(t, a2.Str("status") != "APPROVED" || a2.Get("approval_blockers.#").Int() != 0, "after NORMAL = %s; want APPROVED without blockers", a2.Body)
	e.Post("/profiles/"+pid+"/status", `"BANNED"`).Want(200)
	a = e.App(pid, aid)
	assert.Equal(t, "SUSPENDED_PROFILE", a.Str("approval_blockers.0.blocker_type"), "banned = %s; want a SUSPENDED_PROFILE blocker", a.Body)
	e.Post("/profiles/"+pid+"/status", `"GONE"`).Want(400, 201)
	e.Post("/profiles/"+pid+"/status", `{"status":"NORMAL"}`).Want(400, 201)
	e.Post("/profiles/00000000-0000-0000-0000-000000000000/status", `"NORMAL"`).Want(404, 201)
}

func TestAddApplication(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	assoc := e.Post("/profiles", map[string]any{"role": "INDIVIDUAL_ASSOCIATED", "collected_data": map[string]any{"entity_type": "INDIVIDUAL"}, "applications": []any{}}).Want(200).Str("id")
	tests := map[string]struct {
		profile      string
		body         string
		status, code int
	}{
		"by alias":                    {pid, `{"product":{"alias":"forexo_basic"}}`, 200, 0},
		"duplicate open application":  {pid, `{"product":{"alias":"forexo_basic"}}`, 409, 202},
		"by id":                       {pid, `{"product":{"id":"1c9e5a27-40d3-4f6b-8e21-9a7b3c5d2e02"}}`, 200, 0},
		"upper-case id":               {pid, `{"product":{"id":"2D0F6B38-51E4-4A7C-9F32-AB8C4D6E3F05"}}`, 400, 201}, // a company product
		"unknown fields ignored":      {pid, `{"product":{"alias":"forexo_instant","extra":1},"note":"x"}`, 200, 0},
		"associate with a role":       {assoc, `{"product":{"alias":"forexo_basic"},"associated_role":"SHAREHOLDER"}`, 200, 0},
		"missing product":             {pid, `{}`, 400, 101},
		"product with neither":        {pid, `{"product":{}}`, 400, 101},
		"product null":                {pid, `{"product":null}`, 400, 201},
		"empty alias":                 {pid, `{"product":{"alias":""}}`, 400, 201},
		"unknown alias":               {pid, `{"product":{"alias":"forexo_gold"}}`, 400, 201},
		"malformed id":                {pid, `{"product":{"id":"123"}}`, 400, 201},
		"alias and id disagree":       {pid, `{"product":{"alias":"forexo_basic","id":"1c9e5a27-40d3-4f6b-8e21-9a7b3c5d2e02"}}`, 400, 201},
		"associated_role on customer": {pid, `{"product":{"alias":"forexo_private"},"associated_role":"DIRECTOR"}`, 400, 201},
		"bad associated_role":         {assoc, `{"product":{"alias":"forexo_private"},"associated_role":"BOSS"}`, 400, 201},
		"unknown profile":             {"00000000-0000-0000-0000-000000000000", `{"product":{"alias":"forexo_basic"}}`, 404, 201},
	}
	order := []string{"by alias", "duplicate open application", "by id", "upper-case id", "unknown fields ignored", "associate with a role",
		"missing product", "product with neither", "product null", "empty alias", "unknown alias", "malformed id",
		"alias and id disagree", "associated_role on customer", "bad associated_role", "unknown profile"}
	require.False(t, len(order) != len(tests), "order lists %d cases; want %d", len(order), len(tests))
	for _, name := range order {
		tc := tests[name]
		t.Run(name, func(t *testing.T) {
			r := e.Post("/profiles/"+tc.profile+"/applications", tc.body)
			if tc.code != 0 {
				r.Want(tc.status, tc.code)
				return
			}
			r.Want(tc.status)
			assert.False(t, r.Str("status") != "APPLIED" || r.Str("flag") != "AUTOMATING", "new application = %s; want APPLIED/AUTOMATING", r.Body)
		})
	}
	r := e.Get("/profiles/" + assoc + "/applications").Want(200)
	assert.Equal(t, "SHAREHOLDER", r.Str("0.associated_role"), "associate's applications = %s; want associated_role SHAREHOLDER", r.Body)
	// A rejected application no longer blocks a new one for the same product.
	list := e.Get("/profiles/" + pid + "/applications").Want(200)
	first := list.Str("0.id")
	e.SetStatus(pid, first, "REJECTED").Want(200)
	e.Apply(pid, "forexo_basic")
	n := e.Get("/profiles/" + pid + "/applications").Want(200).Get("#").Int()
	assert.False(t, n != 4, "applications = %d; want 4", n)
}

func TestTasks(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_plus")
	tid := app.Str("required_tasks.1.id")
	list := e.Get("/profiles/" + pid + "/tasks").Want(200)
	require.False(t, list.Get("#").Int() != 3 || list.Str("1.id") != tid || list.Str("1.type") != "INDIVIDUAL_VERIFY_ADDRESS" || list.Str("1.state") != "INCOMPLETE", "tasks = %s", list.Body)
	assert.False(t, list.Str("1.variant.id") != "6a1d4b2f-8c3e-4d9a-b2f1-4e5a6b7c8d03" || list.Str("1.variant.task_type") != "INDIVIDUAL_VERIFY_ADDRESS", "variant = %s", list.Get("1.variant").Raw)
	path := "/profiles/" + pid + "/tasks/" + tid
	tests := []struct {
		name         string
		body         string
		status, code int
		state        string
		complete     bool
	}{
		{"legacy is_complete true", `{"is_complete":true}`, 200, 0, "COMPLETED_PASS", true},
		{"re-open with is_complete false", `{"is_complete":false}`, 200, 0, "INCOMPLETE", false},
		{"fail", `{"state":"COMPLETED_FAIL"}`, 200, 0, "COMPLETED_FAIL", true},
		{"re-open with state", `{"state":"INCOMPLETE"}`, 200, 0, "INCOMPLETE", false},
		{"both agree", `{"state":"COMPLETED_PASS","is_complete":true,"check_ids":["a2c4393a-e219-67a4-5ab4-2186952e9038"]}`, 200, 0, "COMPLETED_PASS", true},
		{"both disagree", `{"state":"COMPLETED_PASS","is_complete":false}`, 400, 201, "", false},
		{"neither", `{}`, 400, 101, "", false},
		{"bad state", `{"state":"DONE"}`, 400, 201, "", false},
		{"bad is_complete", `{"is_complete":"yes"}`, 400, 201, "", false},
		{"bad check id", `{"state":"INCOMPLETE","check_ids":["x"]}`, 400, 201, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.Post(path, tc.body)
			if tc.code != 0 {
				r.Want(tc.status, tc.code)
				return
			}
			r.Want(tc.status)
			assert.False(t, r.Str("state") != tc.state || r.Get("is_complete").Bool() != tc.complete || r.Str("id") != tid, "task = %s; want state %s, is_complete %t", r.Body, tc.state, tc.complete)
		})
	}
	r := e.Get(path).Want(200)
	assert.Equal(t, "a2c4393a-e219-67a4-5ab4-2186952e9038", r.Str("check_ids.0"), "check_ids = %s; want the one sent", r.Get("check_ids").Raw)
	e.Post("/profiles/"+pid+"/tasks/00000000-0000-0000-0000-000000000000", `{"state":"INCOMPLETE"}`).Want(404, 201)
	e.Request("DELETE", path, nil).Want(405, 201)
}

func TestEvents(t *testing.T) {
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	app := e.Apply(pid, "forexo_basic")
	e.Settled()
	ev := e.Post("/profiles/"+pid+"/events", `{"data":{"event_type":"PEP_FLAG","match_name":"Ada Lovelace","score":0.8}}`).Want(200)
	eid := ev.Str("id")
	assert.False(t, ev.Str("resolution") != "UNRESOLVED" || ev.Str("data.match_name") != "Ada Lovelace" || ev.Str("creation_date") == "" || ev.Get("resolution_date").Exists(), "event = %s; want UNRESOLVED with the data sent", ev.Body)
	a := e.App(pid, app.Str("id"))
	assert.False(t, a.Str("approval_blockers.1.blocker_type") != "UNRESOLVED_EVENT" || a.Str("approval_blockers.1.event_id") != eid, "blockers = %s; want an UNRESOLVED_EVENT for %s", a.Get("approval_blockers").Raw, eid)
	p := e.Get("/profiles/" + pid).Want(200)
	assert.False(t, p.Str("unresolved_event_types.0") != "PEP_FLAG" || p.Get("events.#").Int() != 1, "profile events = %s %s", p.Get("events").Raw, p.Get("unresolved_event_types").Raw)
	r := e.Post("/profiles/"+pid+"/events/"+eid, `{"resolution":"MISMATCH","resolution_reason":"Different dob"}`).Want(200)
	assert.False(t, r.Str("resolution") != "MISMATCH" || r.Str("resolution_reason") != "Different dob" || r.Str("resolution_date") == "", "resolved event = %s", r.Body)
	a = e.App(pid, app.Str("id"))
	assert.False(t, a.Get("approval_blockers.#").Int() != 1, "blockers after resolving = %s; want only the task", a.Get("approval_blockers").Raw)
	r = e.Get("/profiles/" + pid + "/events").Want(200)
	assert.False(t, r.Get("#").Int() != 1 || r.Str("0.id") != eid, "events = %s", r.Body)
	e.Get("/profiles/" + pid + "/events/" + eid).Want(200)
	resolved := e.Post("/profiles/"+pid+"/events", `{"data":{"event_type":"REFER_FLAG"},"resolution":"IGNORE"}`).Want(200)
	assert.False(t, resolved.Str("resolution") != "IGNORE" || resolved.Str("resolution_date") == "", "event created resolved = %s", resolved.Body)
	errs := []struct {
		path, body   string
		status, code int
	}{
		{"/events", `{}`, 400, 101},
		{"/events", `{"data":{}}`, 400, 101},
		{"/events", `{"data":{"event_type":"BAD"}}`, 400, 201},
		{"/events", `{"data":{"event_type":"PEP_FLAG","score":2}}`, 400, 201},
		{"/events", `{"data":{"event_type":"PEP_FLAG"},"resolution":"MAYBE"}`, 400, 201},
		{"/events/" + eid, `{}`, 400, 101},
		{"/events/" + eid, `{"resolution":"NOPE"}`, 400, 201},
		{"/events/00000000-0000-0000-0000-000000000000", `{"resolution":"MATCH"}`, 404, 201},
	}
	for _, tc := range errs {
		e.Post("/profiles/"+pid+tc.path, tc.body).Want(tc.status, tc.code)
	}
	e.Request(http.MethodGet, "/profiles/00000000-0000-0000-0000-000000000000/events", nil).Want(404, 201)
}

// A body of unknown length (chunked) over the limit is refused too.
func TestBodyLimitWithoutContentLength(t *testing.T) {
	e := newEnv(t, Options{MaxBodyBytes: 100})
	body := `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"},"x":"` + strings.Repeat("a", 100) + `"}`
	req := httptest.NewRequest("POST", "http://mock.test/4.0/profiles", strings.NewReader(body))
	req.Header = http.Header{"Apikey": {DefaultAPIKey}, "Content-Type": {"application/json"}}
	req.ContentLength = -1
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code, "%s", rec.Body)
}

func TestReadAll(t *testing.T) {
	const body = "0123456789"
	tests := []struct {
		name string
		size int64
	}{
		{"exact", 10}, {"unknown", -1}, {"short", 3}, {"long", 50}, {"empty", 0}, {"over 64 KiB", 1 << 20},
	}
	for _, tt := range tests {
		got, err := ReadAll(iotest.OneByteReader(strings.NewReader(body)), tt.size)
		assert.False(t, err != nil || string(got) != body, "%s: got %q, %v; want %q", tt.name, got, err, body)
	}
	boom := errors.New("boom")
	_, err := ReadAll(iotest.ErrReader(boom), 10)
	assert.True(t, errors.Is(err, boom), "a failing reader: got %v, want %v", err, boom)
}
