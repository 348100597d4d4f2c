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
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	require.NoError(t, err, "load spec/passfort-4.0.yaml")
	return doc
}

func TestSpecValidatesWithExamples(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	require.NoError(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()), "validate spec/passfort-4.0.yaml")
	assert.Equal(t, "3.0.3", doc.OpenAPI, "openapi")
	assert.Equal(t, []string{"/4.0"}, serverURLs(doc), "servers: want exactly [/4.0]")
	if assert.Len(t, doc.Security, 1, "security: want [{apikey: []}]") &&
		assert.Len(t, doc.Security[0], 1, "security: want [{apikey: []}]") {
		assert.Contains(t, doc.Security[0], "apikey", "security: want [{apikey: []}]")
	}
	scheme := doc.Components.SecuritySchemes["apikey"]
	if assert.NotNil(t, scheme, "securitySchemes.apikey: want apiKey in header named apikey") {
		assert.Equal(t, "apiKey", scheme.Value.Type, "securitySchemes.apikey: type")
		assert.Equal(t, "header", scheme.Value.In, "securitySchemes.apikey: in")
		assert.Equal(t, "apikey", scheme.Value.Name, "securitySchemes.apikey: name")
	}
}

// TestExampleValidationIsOn guards the test above: it must catch an example that
// breaks its schema, or "validates with examples" would prove nothing.
func TestExampleValidationIsOn(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	mt := addApplicationOK(t, doc)
	require.IsType(t, map[string]any{}, mt.Example, "addProductApplication 200 example: want an object")
	broken := mt.Example.(map[string]any)
	broken["status"] = "WITHDRAWN"
	assert.Error(t, doc.Validate(context.Background(), openapi3.EnableExamplesValidation()), "validate with a broken example: want an example violation")
}

// addApplicationOK returns the JSON media type of addProductApplication's 200.
func addApplicationOK(t *testing.T, doc *openapi3.T) *openapi3.MediaType {
	t.Helper()
	item := doc.Paths.Find("/profiles/{profile_id}/applications")
	require.NotNil(t, item, "POST /profiles/{profile_id}/applications: missing")
	require.NotNil(t, item.Post, "POST /profiles/{profile_id}/applications: missing")
	resp := item.Post.Responses.Value("200")
	require.NotNil(t, resp, "POST /profiles/{profile_id}/applications: no 200 response")
	require.NotNil(t, resp.Value, "POST /profiles/{profile_id}/applications: no 200 response")
	mt := resp.Value.Content.Get("application/json")
	require.NotNil(t, mt, "POST /profiles/{profile_id}/applications 200: no application/json content")
	return mt
}

func serverURLs(doc *openapi3.T) []string {
	var urls []string
	for _, s := range doc.Servers {
		urls = append(urls, s.URL)
	}
	return urls
}

// wantOperations is the contract's whole surface, method and path to
// operationId: the operations the product-application lifecycle touches,
// then those beyond it (checks, collected data, documents and files, task
// notes, tags, collection steps, bulk event updates, the audit trail,
// search and data-collection keys).
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

	"GET /profiles/{profile_id}/checks":                              "listChecks",
	"POST /profiles/{profile_id}/checks":                             "runCheck",
	"GET /profiles/{profile_id}/checks/{check_id}":                   "getCheck",
	"POST /profiles/{profile_id}/checks/{check_id}":                  "updateCheck",
	"POST /profiles/{profile_id}/checks/{check_id}/approve":          "approveCheck",
	"POST /profiles/{profile_id}/checks/{check_id}/reject":           "rejectCheck",
	"GET /profiles/{profile_id}/collected_data":                      "getCollectedData",
	"POST /profiles/{profile_id}/collected_data":                     "replaceCollectedData",
	"POST /profiles/{profile_id}/collected_data/documents":           "addDocument",
	"GET /profiles/{profile_id}/document_images":                     "listDocumentImages",
	"POST /profiles/{profile_id}/document_images":                    "uploadDocumentImage",
	"GET /profiles/{profile_id}/document_images/{document_image_id}": "getDocumentImage",
	"POST /profiles/{profile_id}/files":                              "uploadFile",
	"GET /profiles/{profile_id}/files/{file_id}":                     "getFile",
	"POST /profiles/{profile_id}/tasks":                              "addTask",
	"GET /profiles/{profile_id}/tasks/{task_id}/notes":               "listTaskNotes",
	"POST /profiles/{profile_id}/tasks/{task_id}/notes":              "addTaskNote",
	"DELETE /profiles/{profile_id}/tasks/{task_id}/notes/{note_id}":  "deleteTaskNote",
	"POST /profiles/{profile_id}/tags":                               "addProfileTag",
	"DELETE /profiles/{profile_id}/tags/{tag_id}":                    "removeProfileTag",
	"GET /tags/search/{term}":                                        "searchTags",
	"GET /profiles/{profile_id}/collection_steps":                    "listCollectionSteps",
	"POST /profiles/{profile_id}/collection_steps":                   "replaceCollectionSteps",
	"POST /profiles/{profile_id}/events/bulk_update":                 "bulkUpdateProfileEvents",
	"GET /profiles/{profile_id}/audit-items":                         "listAuditItems",
	"GET /search/companies":                                          "searchCompanies",
	"GET /address/search":                                            "searchAddresses",
	"GET /address/format":                                            "formatAddress",
	"POST /api_keys/collect":                                         "createCollectionKey",
	"POST /api_keys/collect/{profile_id}":                            "createProfileCollectionKey",
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

func TestOperationsAreTheWholeSurface(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	got := map[string]string{}
	for _, o := range operations(doc) {
		got[o.key] = o.op.OperationID
	}
	for key, id := range wantOperations {
		assert.Equal(t, id, got[key], "%s: operationId", key)
	}
	for key := range got {
		assert.Contains(t, wantOperations, key, "%s: operation not in the expected surface", key)
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
			assert.Regexp(t, lowerCamel, op.OperationID, "operationId: want lowerCamel")
			assert.NotContains(t, seen, op.OperationID, "operationId %q: also used by %s", op.OperationID, seen[op.OperationID])
			seen[op.OperationID] = o.key
			assert.NotEmpty(t, strings.TrimSpace(op.Summary), "summary: want the guide's words")
			assert.Contains(t, op.Description, "Decided:", "description: want the decisions written as \"Decided: ...\"")
			assert.NotNil(t, op.Responses.Value("401"), "responses: no 401, want one on every operation (auth is checked first)")
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
	assert.Equal(t, []string{"200"}, success, "success statuses: want exactly [200]")
}

// checkErrorsUseEnvelope requires every 4xx answer with a body to be an ErrorResponse.
func checkErrorsUseEnvelope(t *testing.T, op *openapi3.Operation) {
	t.Helper()
	for code, ref := range op.Responses.Map() {
		if !strings.HasPrefix(code, "4") || ref.Value.Content == nil {
			continue
		}
		mt := ref.Value.Content.Get("application/json")
		if assert.NotNil(t, mt, "response %s: want application/json with schema ErrorResponse", code) &&
			assert.NotNil(t, mt.Schema, "response %s: want application/json with schema ErrorResponse", code) {
			assert.Equal(t, "#/components/schemas/ErrorResponse", mt.Schema.Ref, "response %s: want application/json with schema ErrorResponse", code)
		}
	}
}

// checkExamples requires an example for every response body.
func checkExamples(t *testing.T, op *openapi3.Operation) {
	t.Helper()
	for code, ref := range op.Responses.Map() {
		for ct, mt := range ref.Value.Content {
			assert.True(t, mt.Example != nil || len(mt.Examples) > 0, "response %s %s: no example", code, ct)
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
		assert.NotNil(t, op.RequestBody, "requestBody: missing on a POST")
		want = append(want, "400", "413", "415")
	}
	if strings.Contains(key, "{") {
		want = append(want, "404")
	}
	for _, code := range want {
		assert.NotNil(t, op.Responses.Value(code), "responses: no %s", code)
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
		assert.NotNil(t, doc.Components.Schemas[name], "components.schemas.%s: missing", name)
	}
	for _, name := range []string{"Unauthorized", "BadRequest", "NotFound", "Conflict", "PayloadTooLarge", "UnsupportedMediaType"} {
		assert.NotNil(t, doc.Components.Responses[name], "components.responses.%s: missing", name)
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
		if !assert.NotNil(t, ref, "components.schemas.%s: missing", name) ||
			!assert.NotNil(t, ref.Value, "components.schemas.%s: missing", name) {
			continue
		}
		assert.Len(t, ref.Value.Enum, n, "%s: enum values", name)
	}
}

// TestAddApplicationExampleIsTheGuideSample pins the operation's example to the guide.
func TestAddApplicationExampleIsTheGuideSample(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	mt := addApplicationOK(t, doc)
	got, err := json.Marshal(mt.Example)
	require.NoError(t, err, "marshal example")
	assert.JSONEq(t, guideSample, string(got), "addProductApplication 200 example")
}

// patch returns the guide sample with the JSON fragment merged at top level.
func patch(t *testing.T, fields map[string]any, drop ...string) string {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(guideSample), &v), "decode guide sample")
	for k, f := range fields {
		v[k] = f
	}
	for _, k := range drop {
		delete(v, k)
	}
	b, err := json.Marshal(v)
	require.NoError(t, err, "encode")
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
		"guide sample application":              {"ProductApplication", guideSample, false},
		"application missing status":            {"ProductApplication", patch(t, nil, "status"), true},
		"application missing history":           {"ProductApplication", patch(t, nil, "history"), true},
		"application missing approval_blockers": {"ProductApplication", patch(t, nil, "approval_blockers"), true},
		// An older account's answer leaves these out (decision D116, docs/decisions.md).
		"application missing assignments is fine":     {"ProductApplication", patch(t, nil, "assignments"), false},
		"application missing flag_history is fine":    {"ProductApplication", patch(t, nil, "flag_history"), false},
		"application missing flag is fine":            {"ProductApplication", patch(t, nil, "flag"), false},
		"application missing hidden is fine":          {"ProductApplication", patch(t, nil, "hidden"), false},
		"application missing required_tasks is fine":  {"ProductApplication", patch(t, nil, "required_tasks"), false},
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
		"application product without alias is fine": {"ProductApplication",
			patch(t, map[string]any{"product": map[string]any{"id": "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8", "name": "x"}}), false},
		"application product without name": {"ProductApplication",
			patch(t, map[string]any{"product": map[string]any{"id": "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8"}}), true},

		// A data URI carries padded base64, as Base64 does and the mock
		// decodes it (decisions D41 and D113, docs/decisions.md).
		"DataURI padded":                   {"DataURI", `"data:image/png;base64,iVBORw0KGgo="`, false},
		"DataURI unpadded":                 {"DataURI", `"data:image/png;base64,abc"`, true},
		"DataURI bad length":               {"DataURI", `"data:image/png;base64,a"`, true},
		"DataURI without base64":           {"DataURI", `"data:text/plain,hello"`, true},
		"Base64 padded":                    {"Base64", `"aGk="`, false},
		"Base64 unpadded":                  {"Base64", `"aGk"`, true},
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

		// An address's dates are a year and a month, as in both PassFort
		// descriptions (decision D39, docs/decisions.md).
		"address entry dated by month": {"AddressHistoryEntry", `{"address":{"type":"STRUCTURED"},"start_date":"2015-04","end_date":"2019-08"}`, false},
		"address entry dated by year":  {"AddressHistoryEntry", `{"address":{"type":"STRUCTURED"},"start_date":"2015"}`, true},
		"address entry dated by day":   {"AddressHistoryEntry", `{"address":{"type":"STRUCTURED"},"start_date":"2015-04-01"}`, true},
		"address entry ended by a day": {"AddressHistoryEntry", `{"address":{"type":"STRUCTURED"},"start_date":"2015-04","end_date":"2019-08-31"}`, true},
		"address entry in month 13":    {"AddressHistoryEntry", `{"address":{"type":"STRUCTURED"},"start_date":"2015-13"}`, true},
		"dob may be a year alone":      {"IndividualData", `{"entity_type":"INDIVIDUAL","personal_details":{"dob":"1990"}}`, false},

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
			require.NotNil(t, ref, "components.schemas.%s: missing", c.schema)
			var v any
			require.NoError(t, json.Unmarshal([]byte(c.value), &v), "decode test value")
			err := ref.Value.VisitJSON(v, openapi3.MultiErrors())
			if c.wantErr {
				assert.Error(t, err, "%s accepted %s, want a violation", c.schema, c.value)
			} else {
				assert.NoError(t, err, "%s refused %s", c.schema, c.value)
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
		require.NoError(t, err, "read %s", f)
		var v any
		require.NoError(t, json.Unmarshal(raw, &v), "decode %s", f)
		walkStrings(v, func(_ string, s string) {
			s = normalizeSpace(s)
			for i := 0; i+window <= len(s); i++ {
				windows[s[i:i+window]] = filepath.Base(f)
			}
		})
	}

	var ours any
	require.NoError(t, yaml.Unmarshal(spec.OpenAPI, &ours), "decode spec/passfort-4.0.yaml")
	checked := 0
	walkStrings(ours, func(key, s string) {
		if key != "description" && key != "summary" && key != "title" {
			return
		}
		s = normalizeSpace(s)
		for i := 0; i+window <= len(s); i++ {
			checked++
			if f, hit := windows[s[i:i+window]]; hit {
				assert.Fail(t, "a description repeats the upstream text", "%s %q repeats %s verbatim: %q", key, abbreviate(s), f, s[i:i+window])
				return
			}
		}
	})
	require.NotZero(t, checked, "no description longer than 80 characters found in our spec: the check ran on nothing")
}

func upstreamDir(t *testing.T) string {
	t.Helper()
	wd, err := os.Getwd()
	require.NoError(t, err, "getwd")
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
	} else {
		require.NoError(t, err, "stat %s", dir)
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
	require.NoError(t, err, "build router")
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
			require.NoError(t, err, "route %s %s", c.method, c.url)
			reqIn := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts}
			reqErr := openapi3filter.ValidateRequest(context.Background(), reqIn)
			if c.wantReqErr {
				assert.Error(t, reqErr, "request validation")
			} else {
				assert.NoError(t, reqErr, "request validation")
			}
			header := http.Header{"Content-Type": []string{"application/json"}}
			respIn := &openapi3filter.ResponseValidationInput{
				RequestValidationInput: reqIn, Status: c.status, Header: header, Options: opts,
			}
			respIn.SetBodyBytes([]byte(c.respBody))
			respErr := openapi3filter.ValidateResponse(context.Background(), respIn)
			if c.wantRespErr {
				assert.Error(t, respErr, "response validation")
			} else {
				assert.NoError(t, respErr, "response validation")
			}
		})
	}
}
