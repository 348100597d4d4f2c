package spec_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"gopkg.in/yaml.v3"

	"github.com/passfort-conformance/harness/spec"
)

// guideSample is the response of "Add a product application to a profile" as
// PassFort's guide shows it, with the parts the guide elides ("[ ... ]") filled
// in the way the contract decides.
const guideSample = `{
  "approval_blockers": [
    {"blocker_type": "INCOMPLETE_TASK", "task_type": "INDIVIDUAL_VERIFY_IDENTITY",
     "task_id": "3d7a333c-418d-72a1-007b-06854dbb28eb"}
  ],
  "assignments": [],
  "flag": "AUTOMATING",
  "flag_history": [
    {"status": "APPLIED", "flag": "AUTOMATING", "date": "2024-05-14 09:30:12"}
  ],
  "hidden": false,
  "history": [
    {"status": "APPLIED", "date": "2024-05-14 09:30:12", "decisioner": null}
  ],
  "id": "edc23993-eb6a-9d89-bb79-5b8925b33224",
  "product": {
    "alias": "forexo_basic",
    "automatically_approve": false,
    "id": "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8",
    "name": "Forexo Basic Account"
  },
  "required_tasks": [
    {"id": "3d7a333c-418d-72a1-007b-06854dbb28eb", "task_type": "INDIVIDUAL_VERIFY_IDENTITY"}
  ],
  "status": "APPLIED"
}`

// loadDoc loads and resolves the embedded spec once per test.
func loadDoc(t *testing.T) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	loader.Context = context.Background()
	doc, err := loader.LoadFromData(spec.OpenAPI)
	if err != nil {
		t.Fatalf("load spec/passfort-4.0.yaml: %v", err)
	}
	return doc
}

func TestSpecValidatesWithExamples(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("validate spec/passfort-4.0.yaml: %v", err)
	}
	if got := doc.OpenAPI; got != "3.0.3" {
		t.Errorf("openapi: got %q, want 3.0.3", got)
	}
	if len(doc.Servers) != 1 || doc.Servers[0].URL != "/4.0" {
		t.Errorf("servers: got %v, want exactly [/4.0]", serverURLs(doc))
	}
	if len(doc.Security) != 1 || len(doc.Security[0]) != 1 {
		t.Errorf("security: got %v, want [{apikey: []}]", doc.Security)
	} else if _, ok := doc.Security[0]["apikey"]; !ok {
		t.Errorf("security: got %v, want [{apikey: []}]", doc.Security)
	}
	scheme := doc.Components.SecuritySchemes["apikey"]
	if scheme == nil || scheme.Value.Type != "apiKey" || scheme.Value.In != "header" || scheme.Value.Name != "apikey" {
		t.Errorf("securitySchemes.apikey: got %+v, want apiKey in header named apikey", scheme)
	}
}

// TestExampleValidationIsOn guards the test above: it must catch an example that
// breaks its schema, or "validates with examples" would prove nothing.
func TestExampleValidationIsOn(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	mt := addApplicationOK(t, doc)
	broken, ok := mt.Example.(map[string]any)
	if !ok {
		t.Fatalf("addProductApplication 200 example: got %T, want an object", mt.Example)
	}
	broken["status"] = "WITHDRAWN"
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err == nil {
		t.Fatal("validate with a broken example: got nil error, want an example violation")
	}
}

// addApplicationOK returns the JSON media type of addProductApplication's 200.
func addApplicationOK(t *testing.T, doc *openapi3.T) *openapi3.MediaType {
	t.Helper()
	item := doc.Paths.Find("/profiles/{profile_id}/applications")
	if item == nil || item.Post == nil {
		t.Fatal("POST /profiles/{profile_id}/applications: missing")
	}
	resp := item.Post.Responses.Value("200")
	if resp == nil || resp.Value == nil {
		t.Fatal("POST /profiles/{profile_id}/applications: no 200 response")
	}
	mt := resp.Value.Content.Get("application/json")
	if mt == nil {
		t.Fatal("POST /profiles/{profile_id}/applications 200: no application/json content")
	}
	return mt
}

func serverURLs(doc *openapi3.T) []string {
	var urls []string
	for _, s := range doc.Servers {
		urls = append(urls, s.URL)
	}
	return urls
}

// wantOperations is the surface the lifecycle touches: method and path to operationId.
var wantOperations = map[string]string{
	"GET /whoami":                                                               "getWhoAmI",
	"POST /profiles":                                                            "createProfile",
	"GET /profiles":                                                             "listProfiles",
	"GET /profiles/{profile_id}":                                                "getProfile",
	"POST /profiles/{profile_id}/delete":                                        "deleteProfile",
	"GET /profiles/{profile_id}/status":                                         "getProfileStatus",
	"POST /profiles/{profile_id}/status":                                        "updateProfileStatus",
	"GET /profiles/{profile_id}/events":                                         "listProfileEvents",
	"POST /profiles/{profile_id}/events":                                        "createProfileEvent",
	"GET /profiles/{profile_id}/tasks":                                          "listTasks",
	"GET /profiles/{profile_id}/tasks/{task_id}":                                "getTask",
	"POST /profiles/{profile_id}/tasks/{task_id}":                               "updateTask",
	"GET /profiles/{profile_id}/events/{event_id}":                              "getProfileEvent",
	"POST /profiles/{profile_id}/events/{event_id}":                             "updateProfileEvent",
	"GET /profiles/{profile_id}/applications":                                   "listProductApplications",
	"POST /profiles/{profile_id}/applications":                                  "addProductApplication",
	"GET /profiles/{profile_id}/applications/{application_id}":                  "getProductApplication",
	"POST /profiles/{profile_id}/applications/{application_id}":                 "updateProductApplication",
	"POST /profiles/{profile_id}/applications/{application_id}/revert_decision": "revertProductApplicationDecision",
}

type operation struct {
	key string // "METHOD /path"
	op  *openapi3.Operation
}

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			ops = append(ops, operation{key: method + " " + path, op: op})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].key < ops[j].key })
	return ops
}

func TestOperationsAreTheLifecycleSurface(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	got := map[string]string{}
	for _, o := range operations(doc) {
		got[o.key] = o.op.OperationID
	}
	for key, id := range wantOperations {
		if got[key] != id {
			t.Errorf("%s: operationId got %q, want %q", key, got[key], id)
		}
	}
	for key := range got {
		if _, ok := wantOperations[key]; !ok {
			t.Errorf("%s: operation not in the expected surface", key)
		}
	}
}

var lowerCamel = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)

func TestEveryOperationIsDocumented(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	seen := map[string]string{}
	for _, o := range operations(doc) {
		t.Run(o.key, func(t *testing.T) {
			op := o.op
			if !lowerCamel.MatchString(op.OperationID) {
				t.Errorf("operationId: got %q, want lowerCamel", op.OperationID)
			}
			if prev, dup := seen[op.OperationID]; dup {
				t.Errorf("operationId %q: also used by %s", op.OperationID, prev)
			}
			seen[op.OperationID] = o.key
			if strings.TrimSpace(op.Summary) == "" {
				t.Error("summary: got empty, want the guide's words")
			}
			if !strings.Contains(op.Description, "Decided:") {
				t.Errorf("description: got %q, want the decisions written as \"Decided: ...\"", op.Description)
			}
			if op.Responses.Value("401") == nil {
				t.Error("responses: no 401, want one on every operation (auth is checked first)")
			}
			checkSuccessIs200(t, op)
			checkErrorsUseEnvelope(t, op)
			checkExamples(t, op)
			checkBodyErrors(t, o.key, op)
		})
	}
}

// checkSuccessIs200 pins the decision that every success, creates included, is 200.
func checkSuccessIs200(t *testing.T, op *openapi3.Operation) {
	t.Helper()
	var success []string
	for code := range op.Responses.Map() {
		if strings.HasPrefix(code, "2") {
			success = append(success, code)
		}
	}
	if !slices.Equal(success, []string{"200"}) {
		t.Errorf("success statuses: got %v, want exactly [200]", success)
	}
}

// checkErrorsUseEnvelope requires every 4xx answer with a body to be an ErrorResponse.
func checkErrorsUseEnvelope(t *testing.T, op *openapi3.Operation) {
	t.Helper()
	for code, ref := range op.Responses.Map() {
		if !strings.HasPrefix(code, "4") || ref.Value.Content == nil {
			continue
		}
		mt := ref.Value.Content.Get("application/json")
		if mt == nil || mt.Schema == nil || mt.Schema.Ref != "#/components/schemas/ErrorResponse" {
			t.Errorf("response %s: want application/json with schema ErrorResponse", code)
		}
	}
}

// checkExamples requires an example for every response body.
func checkExamples(t *testing.T, op *openapi3.Operation) {
	t.Helper()
	for code, ref := range op.Responses.Map() {
		for ct, mt := range ref.Value.Content {
			if mt.Example == nil && len(mt.Examples) == 0 {
				t.Errorf("response %s %s: no example", code, ct)
			}
		}
	}
}

// checkBodyErrors requires the statuses the decisions give to requests: every
// POST (all of them carry a body) documents 400, 413 and 415; every operation
// under a path id documents 404.
func checkBodyErrors(t *testing.T, key string, op *openapi3.Operation) {
	t.Helper()
	var want []string
	if strings.HasPrefix(key, "POST ") {
		if op.RequestBody == nil {
			t.Error("requestBody: missing on a POST")
		}
		want = append(want, "400", "413", "415")
	}
	if strings.Contains(key, "{") {
		want = append(want, "404")
	}
	for _, code := range want {
		if op.Responses.Value(code) == nil {
			t.Errorf("responses: no %s", code)
		}
	}
}

func TestComponentNames(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	schemas := []string{
		"UUID", "DateTime", "Date", "Error", "ErrorResponse", "ErrorCode",
		"ProductApplication", "ProductApplicationStatus", "ProductApplicationFlag",
		"ApprovalBlocker", "ApprovalBlockerType", "ProductResource", "ProductRef",
		"AddProductApplicationRequest", "UpdateProductApplicationRequest", "RevertDecisionRequest",
		"HistoryEntry", "FlagHistoryEntry", "User", "TaskVariantRef", "TaskResource", "TaskState",
		"TaskType", "UpdateTaskRequest", "ProfileResource", "ProfileCreateRequest", "ProfileRole",
		"ProfileStatus", "ProfileCategory", "IndividualData", "CompanyData", "CollectedData",
		"ProfileSearchResults", "EventResource", "EventCreateRequest", "EventUpdateRequest",
		"EventType", "EventResolution", "AssociatedRole", "WhoAmI", "DeleteProfileRequest",
	}
	for _, name := range schemas {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("components.schemas.%s: missing", name)
		}
	}
	for _, name := range []string{"Unauthorized", "BadRequest", "NotFound", "Conflict", "PayloadTooLarge", "UnsupportedMediaType"} {
		if doc.Components.Responses[name] == nil {
			t.Errorf("components.responses.%s: missing", name)
		}
	}
}

func TestEnumSizes(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	want := map[string]int{
		"ProductApplicationStatus": 5,
		"ProductApplicationFlag":   11,
		"ApprovalBlockerType":      8,
		"TaskType":                 30,
		"TaskState":                3,
		"AssociatedRole":           10,
		"ProfileRole":              4,
		"ProfileStatus":            3,
		"ProfileCategory":          4,
		"ErrorCode":                18,
	}
	for name, n := range want {
		ref := doc.Components.Schemas[name]
		if ref == nil || ref.Value == nil {
			t.Errorf("components.schemas.%s: missing", name)
			continue
		}
		if got := len(ref.Value.Enum); got != n {
			t.Errorf("%s: got %d enum values, want %d", name, got, n)
		}
	}
}

// TestAddApplicationExampleIsTheGuideSample pins the operation's example to the guide.
func TestAddApplicationExampleIsTheGuideSample(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	mt := addApplicationOK(t, doc)
	got, err := json.Marshal(mt.Example)
	if err != nil {
		t.Fatalf("marshal example: %v", err)
	}
	if !jsonEqual(t, got, []byte(guideSample)) {
		t.Errorf("addProductApplication 200 example:\ngot  %s\nwant %s", got, guideSample)
	}
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var va, vb any
	if err := json.Unmarshal(a, &va); err != nil {
		t.Fatalf("decode %s: %v", a, err)
	}
	if err := json.Unmarshal(b, &vb); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	ca, _ := json.Marshal(va)
	cb, _ := json.Marshal(vb)
	return string(ca) == string(cb)
}

// patch returns the guide sample with the JSON fragment merged at top level.
func patch(t *testing.T, fields map[string]any, drop ...string) string {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(guideSample), &v); err != nil {
		t.Fatalf("decode guide sample: %v", err)
	}
	for k, f := range fields {
		v[k] = f
	}
	for _, k := range drop {
		delete(v, k)
	}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return string(b)
}

func TestSchemas(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	type tc struct {
		schema  string
		value   string
		wantErr bool
	}
	blocker := func(s string) string { return `{"blocker_type":"` + s + `"}` }
	cases := map[string]tc{
		"guide sample application":                    {"ProductApplication", guideSample, false},
		"application missing status":                  {"ProductApplication", patch(t, nil, "status"), true},
		"application missing assignments":             {"ProductApplication", patch(t, nil, "assignments"), true},
		"application missing flag_history":            {"ProductApplication", patch(t, nil, "flag_history"), true},
		"application without associated_role is fine": {"ProductApplication", patch(t, nil, "associated_role"), false},
		"application flag outside the enum":           {"ProductApplication", patch(t, map[string]any{"flag": "SLEEPING"}), true},
		"application status outside the enum":         {"ProductApplication", patch(t, map[string]any{"status": "REVOKED"}), true},
		"application id not-a-uuid":                   {"ProductApplication", patch(t, map[string]any{"id": "not-a-uuid"}), true},
		"application associated_role outside the enum": {"ProductApplication",
			patch(t, map[string]any{"associated_role": "CEO"}), true},
		"application with an undocumented field stays valid": {"ProductApplication",
			patch(t, map[string]any{"brand_new_field": 1}), false},
		"application history date in ISO 8601": {"ProductApplication",
			patch(t, map[string]any{"history": []any{map[string]any{"status": "APPLIED", "date": "2017-02-08T15:16:01Z"}}}), true},
		"application empty history": {"ProductApplication", patch(t, map[string]any{"history": []any{}}), true},
		"application product without alias": {"ProductApplication",
			patch(t, map[string]any{"product": map[string]any{"id": "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8", "name": "x", "automatically_approve": false}}), true},

		"UUID from the guide":              {"UUID", `"a2c4393a-e219-67a4-5ab4-2186952e9038"`, false},
		"UUID not-a-uuid":                  {"UUID", `"not-a-uuid"`, true},
		"UUID too short":                   {"UUID", `"a2c4393a-e219-67a4-5ab4-2186952e903"`, true},
		"DateTime PassFort form":           {"DateTime", `"2017-02-08 15:16:01"`, false},
		"DateTime ISO 8601":                {"DateTime", `"2017-02-08T15:16:01Z"`, true},
		"DateTime month 13":                {"DateTime", `"2017-13-08 15:16:01"`, true},
		"Date":                             {"Date", `"2017-02-08"`, false},
		"Date with time":                   {"Date", `"2017-02-08 15:16:01"`, true},
		"HistoryEntry decisioner null":     {"HistoryEntry", `{"status":"APPLIED","date":"2017-02-08 15:16:01","decisioner":null}`, false},
		"HistoryEntry decisioner user":     {"HistoryEntry", `{"status":"APPROVED","date":"2017-02-08 15:16:01","decisioner":{"id":"a2c4393a-e219-67a4-5ab4-2186952e9038","name":"Ann"}}`, false},
		"FlagHistoryEntry missing flag":    {"FlagHistoryEntry", `{"status":"APPLIED","date":"2017-02-08 15:16:01"}`, true},
		"TaskVariantRef as in the guide":   {"TaskVariantRef", `{"id":"3d7a333c-418d-72a1-007b-06854dbb28eb","task_type":"INDIVIDUAL_VERIFY_IDENTITY"}`, false},
		"TaskVariantRef unknown task type": {"TaskVariantRef", `{"id":"3d7a333c-418d-72a1-007b-06854dbb28eb","task_type":"INDIVIDUAL_READ_PALM"}`, true},

		"ProductRef empty":          {"ProductRef", `{}`, true},
		"ProductRef alias":          {"ProductRef", `{"alias":"forexo_basic"}`, false},
		"ProductRef id":             {"ProductRef", `{"id":"b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8"}`, false},
		"ProductRef empty alias":    {"ProductRef", `{"alias":""}`, true},
		"ProductRef bad id":         {"ProductRef", `{"id":"forexo_basic"}`, true},
		"add request empty product": {"AddProductApplicationRequest", `{"product":{}}`, true},
		"add request no product":    {"AddProductApplicationRequest", `{"associated_role":"DIRECTOR"}`, true},
		"add request guide body":    {"AddProductApplicationRequest", `{"product":{"alias":"forexo_basic"}}`, false},
		"update request approve":    {"UpdateProductApplicationRequest", `{"status":"APPROVED","comment":"ok"}`, false},
		"update request no status":  {"UpdateProductApplicationRequest", `{"comment":"ok"}`, true},
		"revert request null":       {"RevertDecisionRequest", `null`, false},
		"revert request empty":      {"RevertDecisionRequest", `{}`, false},
		"task update empty":         {"UpdateTaskRequest", `{}`, true},
		"task update is_complete":   {"UpdateTaskRequest", `{"is_complete":true}`, false},
		"task update bad state":     {"UpdateTaskRequest", `{"state":"DONE"}`, true},

		"blocker incomplete task with an unknown key": {"ApprovalBlocker",
			`{"blocker_type":"INCOMPLETE_TASK","task_type":"INDIVIDUAL_VERIFY_IDENTITY","colour":"red"}`, false},
		"blocker incomplete task without task_type": {"ApprovalBlocker", blocker("INCOMPLETE_TASK"), true},
		"blocker unresolved event":                  {"ApprovalBlocker", `{"blocker_type":"UNRESOLVED_EVENT","event_id":"9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"}`, false},
		"blocker unresolved event without event_id": {"ApprovalBlocker", blocker("UNRESOLVED_EVENT"), true},
		"blocker unresolved event bad event_id":     {"ApprovalBlocker", `{"blocker_type":"UNRESOLVED_EVENT","event_id":"e1"}`, true},
		"blocker wrong type":                        {"ApprovalBlocker", blocker("MISSING_PAPERWORK"), true},
		"blocker without type":                      {"ApprovalBlocker", `{"task_type":"INDIVIDUAL_VERIFY_IDENTITY"}`, true},

		"collected data company": {"CollectedData",
			`{"entity_type":"COMPANY","metadata":{"country_of_incorporation":"GBR","number":"09565115"}}`, false},
		// personal_details is only typed in the individual branch, so a COMPANY
		// value carrying a bad one passes only if the company branch was chosen.
		"collected data company takes the company branch": {"CollectedData",
			`{"entity_type":"COMPANY","personal_details":"not an object"}`, false},
		"collected data company bad metadata": {"CollectedData", `{"entity_type":"COMPANY","metadata":"x"}`, true},
		"collected data individual": {"CollectedData",
			`{"entity_type":"INDIVIDUAL","personal_details":{"name":{"given_names":["Ada"],"family_name":"Lovelace"},"dob":"1990-12-10","nationality":"GBR"}}`, false},
		"collected data individual takes the individual branch": {"CollectedData",
			`{"entity_type":"INDIVIDUAL","metadata":"not an object"}`, false},
		"collected data individual bad personal_details": {"CollectedData", `{"entity_type":"INDIVIDUAL","personal_details":"x"}`, true},
		"collected data wrong entity_type":               {"CollectedData", `{"entity_type":"PERSON"}`, true},
		"collected data without entity_type":             {"CollectedData", `{"personal_details":{}}`, true},
		"profile create without collected_data":          {"ProfileCreateRequest", `{"role":"INDIVIDUAL_CUSTOMER"}`, true},
		"profile create with applications": {"ProfileCreateRequest",
			`{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"},"applications":[{"product":{"alias":"forexo_basic"}}]}`, false},
		"profile create with an empty product": {"ProfileCreateRequest",
			`{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"},"applications":[{"product":{}}]}`, true},
		"profile status bare string":  {"ProfileStatus", `"SUSPENDED"`, false},
		"profile status object":       {"ProfileStatus", `{"status":"SUSPENDED"}`, true},
		"delete without confirm_id":   {"DeleteProfileRequest", `{"message":"bye"}`, true},
		"search results page":         {"ProfileSearchResults", `{"count":0,"limit":50,"offset":0,"results":[]}`, false},
		"search results over limit":   {"ProfileSearchResults", `{"count":0,"limit":500,"offset":0,"results":[]}`, true},
		"event create without type":   {"EventCreateRequest", `{"data":{}}`, true},
		"event update resolution":     {"EventUpdateRequest", `{"resolution":"MATCH"}`, false},
		"event update bad resolution": {"EventUpdateRequest", `{"resolution":"MAYBE"}`, true},
		"whoami with a null user":     {"WhoAmI", `{"institution":{"id":"5f1d3b4a-8c2e-4d7f-9a6b-0e3c2d1f4a5b","name":"Forexo Ltd"},"user":null}`, false},

		"error envelope":              {"ErrorResponse", `{"errors":[{"code":203,"message":"no key","source":"API"}]}`, false},
		"error envelope empty":        {"ErrorResponse", `{"errors":[]}`, true},
		"error envelope unknown code": {"ErrorResponse", `{"errors":[{"code":999,"message":"x"}]}`, true},
		"error envelope bad source":   {"ErrorResponse", `{"errors":[{"code":201,"message":"x","source":"CLIENT"}]}`, true},
		"error without message":       {"Error", `{"code":201}`, true},
	}
	// Each blocker type that needs nothing else is valid on its own.
	for _, bt := range []string{"SUSPENDED_PROFILE", "UNDETERMINED_RISK", "RISK_SCORE", "UNDETERMINED_OUTCOME", "REJECTION_OUTCOME", "WAITING_ON_ESCALATION"} {
		cases["blocker "+bt] = tc{"ApprovalBlocker", blocker(bt), false}
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ref := doc.Components.Schemas[c.schema]
			if ref == nil {
				t.Fatalf("components.schemas.%s: missing", c.schema)
			}
			var v any
			if err := json.Unmarshal([]byte(c.value), &v); err != nil {
				t.Fatalf("decode test value: %v", err)
			}
			err := ref.Value.VisitJSON(v, openapi3.MultiErrors())
			switch {
			case c.wantErr && err == nil:
				t.Errorf("%s accepted %s, want a violation", c.schema, c.value)
			case !c.wantErr && err != nil:
				t.Errorf("%s refused %s: %v", c.schema, c.value, err)
			}
		})
	}
}

// TestNoUpstreamCopies makes sure our prose is ours: no 80-character run of any
// description, summary or title appears verbatim (whitespace aside) in a string
// of the upstream PassFort descriptions. It needs ../shared/reference/upstream
// next to the repository and skips where that folder is absent.
func TestNoUpstreamCopies(t *testing.T) {
	t.Parallel()
	const window = 80
	dir := upstreamDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Skipf("no upstream JSON files in %s", dir)
	}
	windows := map[string]string{} // 80-byte run -> upstream file
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatalf("read %s: %v", f, err)
		}
		var v any
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatalf("decode %s: %v", f, err)
		}
		walkStrings(v, func(_ string, s string) {
			s = normalizeSpace(s)
			for i := 0; i+window <= len(s); i++ {
				windows[s[i:i+window]] = filepath.Base(f)
			}
		})
	}

	var ours any
	if err := yaml.Unmarshal(spec.OpenAPI, &ours); err != nil {
		t.Fatalf("decode spec/passfort-4.0.yaml: %v", err)
	}
	checked := 0
	walkStrings(ours, func(key, s string) {
		if key != "description" && key != "summary" && key != "title" {
			return
		}
		s = normalizeSpace(s)
		for i := 0; i+window <= len(s); i++ {
			checked++
			if f, hit := windows[s[i:i+window]]; hit {
				t.Errorf("%s %q repeats %s verbatim: %q", key, abbreviate(s), f, s[i:i+window])
				return
			}
		}
	})
	if checked == 0 {
		t.Fatal("no description longer than 80 characters found in our spec: the check ran on nothing")
	}
}

func upstreamDir(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatalf("getwd: %v", err)
	}
	root := wd
	for {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(root)
		if parent == root {
			t.Skip("repository root (go.mod) not found above the test directory")
		}
		root = parent
	}
	dir := filepath.Join(filepath.Dir(root), "shared", "reference", "upstream")
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		t.Skipf("upstream reference files absent (%s)", dir)
	} else if err != nil {
		t.Fatalf("stat %s: %v", dir, err)
	}
	return dir
}

// walkStrings calls fn for every string value in a decoded JSON or YAML tree,
// with the map key it sits under ("" inside arrays).
func walkStrings(v any, fn func(key, s string)) {
	var walk func(key string, v any)
	walk = func(key string, v any) {
		switch x := v.(type) {
		case string:
			fn(key, x)
		case map[string]any:
			for k, e := range x {
				walk(k, e)
			}
		case []any:
			for _, e := range x {
				walk("", e)
			}
		}
	}
	walk("", v)
}

func normalizeSpace(s string) string { return strings.Join(strings.Fields(s), " ") }

func abbreviate(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// TestSpecRoutesAndValidatesTraffic runs requests and responses through the
// router and validator the contract package uses, so the spec's shape (relative
// server, bare-string bodies, optional revert body) is proven where it matters.
func TestSpecRoutesAndValidatesTraffic(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("build router: %v", err)
	}
	const app = "/4.0/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/applications"
	cases := map[string]struct {
		method, url, body string
		status            int
		respBody          string
		wantReqErr        bool
		wantRespErr       bool
	}{
		"guide request and response": {method: http.MethodPost, url: app,
			body: `{"product":{"alias":"forexo_basic"}}`, status: 200, respBody: guideSample},
		"empty product is refused": {method: http.MethodPost, url: app,
			body: `{"product":{}}`, status: 200, respBody: guideSample, wantReqErr: true},
		"201 for a create is undocumented": {method: http.MethodPost, url: app,
			body: `{"product":{"alias":"forexo_basic"}}`, status: 201, respBody: guideSample, wantRespErr: true},
		"conflict uses the envelope": {method: http.MethodPost, url: app,
			body: `{"product":{"id":"b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8"}}`, status: 409,
			respBody: `{"errors":[{"code":202,"message":"already applied","source":"API"}]}`},
		"error inside a bare object is refused": {method: http.MethodPost, url: app,
			body: `{"product":{"alias":"forexo_basic"}}`, status: 409,
			respBody: `{"code":202,"message":"already applied"}`, wantRespErr: true},
		"status is a bare string": {method: http.MethodPost,
			url:  "/4.0/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/status",
			body: `"SUSPENDED"`, status: 200, respBody: `"SUSPENDED"`},
		"status object is refused": {method: http.MethodPost,
			url:  "/4.0/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/status",
			body: `{"status":"SUSPENDED"}`, status: 200, respBody: `"SUSPENDED"`, wantReqErr: true},
		"revert without a body": {method: http.MethodPost,
			url:    app + "/edc23993-eb6a-9d89-bb79-5b8925b33224/revert_decision",
			status: 200, respBody: guideSample},
		"revert with null": {method: http.MethodPost,
			url:  app + "/edc23993-eb6a-9d89-bb79-5b8925b33224/revert_decision",
			body: `null`, status: 200, respBody: guideSample},
		"search limit over 200": {method: http.MethodGet, url: "/4.0/profiles?limit=500",
			status: 400, respBody: `{"errors":[{"code":201,"message":"limit","source":"API"}]}`, wantReqErr: true},
		"delete answers an empty object": {method: http.MethodPost,
			url:  "/4.0/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/delete",
			body: `{"confirm_id":"a2c4393a-e219-67a4-5ab4-2186952e9038"}`, status: 200, respBody: `{}`},
	}
	opts := &openapi3filter.Options{
		MultiError:            true,
		IncludeResponseStatus: true,
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			req := httptest.NewRequest(c.method, c.url, body)
			req.URL.Scheme, req.URL.Host, req.Host = "", "", ""
			if c.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("apikey", "test-key")
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("route %s %s: %v", c.method, c.url, err)
			}
			reqIn := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
			reqErr := openapi3filter.ValidateRequest(context.Background(), reqIn)
			if (reqErr != nil) != c.wantReqErr {
				t.Errorf("request validation: got %v, want error %v", reqErr, c.wantReqErr)
			}
			header := http.Header{"Content-Type": []string{"application/json"}}
			respIn := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: reqIn, Status: c.status, Header: header, Options: opts,
			}
			respIn.SetBodyBytes([]byte(c.respBody))
			respErr := openapi3filter.ValidateResponse(context.Background(), respIn)
			if (respErr != nil) != c.wantRespErr {
				t.Errorf("response validation: got %v, want error %v", respErr, c.wantRespErr)
			}
		})
	}
}
