package contract

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

const createPath = "/profiles/" + profileID + "/applications"

func blocker(app map[string]any, i int) map[string]any {
	return app["approval_blockers"].([]any)[i].(map[string]any)
}

// TestCheckResponseBody changes one thing in a valid ProductApplication and
// expects exactly the findings that change causes.
func TestCheckResponseBody(t *testing.T) {
	t.Parallel()
	v := mini(t)
	contract := func(kind, ptr, rule string) summary { return summary{finding.Contract, kind, ptr, rule} }
	drift := func(ptr string) summary { return summary{finding.Drift, finding.UndocumentedField, ptr, "properties"} }

	tests := map[string]struct {
		change func(app map[string]any)
		want   []summary
	}{
		"valid":                      {func(map[string]any) {}, []summary{}},
		"missing required":           {func(a map[string]any) { delete(a, "hidden") }, []summary{contract(finding.MissingRequired, "/hidden", "required")}},
		"missing required via allOf": {func(a map[string]any) { delete(blocker(a, 0), "task_type") }, []summary{contract(finding.MissingRequired, "/approval_blockers/0/task_type", "required")}},
		"missing nested required":    {func(a map[string]any) { delete(a["product"].(map[string]any), "name") }, []summary{contract(finding.MissingRequired, "/product/name", "required")}},
		"wrong type":                 {func(a map[string]any) { a["hidden"] = "no" }, []summary{contract(finding.WrongType, "/hidden", "type")}},
		"wrong type in enum":         {func(a map[string]any) { a["flag"] = 3 }, []summary{contract(finding.WrongType, "/flag", "type")}},
		"not nullable":               {func(a map[string]any) { a["product"].(map[string]any)["name"] = nil }, []summary{contract(finding.WrongType, "/product/name", "nullable")}},
		"outside enum":               {func(a map[string]any) { a["status"] = "FOO" }, []summary{contract(finding.OutsideEnum, "/status", "enum")}},
		"outside discriminator": {
			func(a map[string]any) { blocker(a, 0)["blocker_type"] = "NOPE" },
			[]summary{contract(finding.OutsideEnum, "/approval_blockers/0/blocker_type", "discriminator")},
		},
		"bad uuid (pattern)": {func(a map[string]any) { a["id"] = "not-a-uuid" }, []summary{contract(finding.BadFormat, "/id", "pattern")}},
		"upper-case uuid":    {func(a map[string]any) { a["id"] = "A2C4393A-E219-67A4-5AB4-2186952E9038" }, []summary{contract(finding.BadFormat, "/id", "pattern")}},
		"bad uuid (format)":  {func(a map[string]any) { blocker(a, 1)["event_id"] = "xyz" }, []summary{contract(finding.BadFormat, "/approval_blockers/1/event_id", "format")}},
		"non-RFC-4122 uuid":  {func(a map[string]any) { blocker(a, 1)["event_id"] = "a2c4393a-e219-67a4-5ab4-2186952e9038" }, []summary{}},
		"bad date":           {func(a map[string]any) { a["history"].([]any)[0].(map[string]any)["date"] = "2017-02-08T15:16:01Z" }, []summary{contract(finding.BadFormat, "/history/0/date", "pattern")}},
		"map values are keys": {func(a map[string]any) {
			a["product"].(map[string]any)["risk_models"].(map[string]any)["COMPANY"] = profileID
		}, []summary{}},
		"bad map value": {
			func(a map[string]any) { a["product"].(map[string]any)["risk_models"].(map[string]any)["COMPANY"] = "x" },
			[]summary{contract(finding.BadFormat, "/product/risk_models/COMPANY", "pattern")},
		},
		"undocumented field in array item": {func(a map[string]any) { blocker(a, 1)["extra"] = true }, []summary{drift("/approval_blockers/1/extra")}},
		"undocumented field via allOf":     {func(a map[string]any) { a["surprise"] = 1 }, []summary{drift("/surprise")}},
		"undocumented field via oneOf": {
			// task_type is documented by the INCOMPLETE_TASK branch, not by the
			// UNRESOLVED_EVENT branch this blocker's discriminator picks.
			func(a map[string]any) { blocker(a, 1)["task_type"] = "X" },
			[]summary{drift("/approval_blockers/1/task_type")},
		},
		"undocumented nested object": {
			func(a map[string]any) {
				a["history"].([]any)[0].(map[string]any)["decisioner"] = map[string]any{"id": "u", "email": "e@x"}
			},
			[]summary{drift("/history/0/decisioner/email")},
		},
		"undocumented field through a self-reference": {
			func(a map[string]any) {
				a["notes"] = []any{map[string]any{"text": "a", "replies": []any{map[string]any{"text": "b", "replies": []any{map[string]any{"oops": 1}}}}}}
			},
			[]summary{drift("/notes/0/replies/0/replies/0/oops")},
		},
		"pointer escaping": {func(a map[string]any) { a["product"].(map[string]any)["a/b~c"] = 1 }, []summary{drift("/product/a~1b~0c")}},
		"free-form objects are not drift": {
			func(a map[string]any) {
				a["assignments"] = []any{map[string]any{"anything": map[string]any{"goes": 1}}}
			},
			[]summary{},
		},
		"contract and drift together": {
			func(a map[string]any) { a["status"] = "FOO"; blocker(a, 1)["extra"] = 1 },
			[]summary{contract(finding.OutsideEnum, "/status", "enum"), drift("/approval_blockers/1/extra")},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			app := application(t)
			tc.change(app)
			got := v.CheckResponse(jsonExchange(http.MethodPost, createPath, 200, mustJSON(t, app)))
			assert.Equal(t, tc.want, summarize(got), lines(got))
			for _, f := range got {
				assert.Equal(t, "POST /profiles/{profile_id}/applications", f.Operation, "finding %q", f)
				assert.Equal(t, 200, f.Status, "finding %q", f)
			}
		})
	}
}

// TestCheckResponseExchange covers what is checked around the body: status,
// content type, headers, the error envelope and unknown operations.
func TestCheckResponseExchange(t *testing.T) {
	t.Parallel()
	v := mini(t)
	valid := mustJSON(t, application(t))
	envelope := []byte(`{"errors":[{"code":201,"message":"profile not found","source":"API"}]}`)
	contract := func(kind, ptr, rule string) summary { return summary{finding.Contract, kind, ptr, rule} }
	withHeader := func(ex *exchange.Exchange, k, val string) *exchange.Exchange {
		if val == "" {
			ex.ResponseHeader.Del(k)
		} else {
			ex.ResponseHeader.Set(k, val)
		}
		return ex
	}
	const app = "/profiles/" + profileID + "/applications/" + profileID

	tests := map[string]struct {
		ex   *exchange.Exchange
		want []summary
	}{
		"no response":               {&exchange.Exchange{Method: "GET", Path: "/profiles", Err: "refused"}, []summary{}},
		"base path is accepted":     {jsonExchange("POST", "/4.0"+createPath, 200, valid), []summary{}},
		"undocumented status":       {jsonExchange("POST", createPath, 201, valid), []summary{contract(finding.UndocumentedStatus, "", "status")}},
		"undocumented error status": {jsonExchange("POST", createPath, 500, envelope), []summary{contract(finding.UndocumentedStatus, "", "status")}},
		"undocumented error status without envelope": {
			jsonExchange("POST", createPath, 500, []byte(`oops`)),
			[]summary{contract(finding.UndocumentedStatus, "", "status"), contract(finding.BadErrorEnvelope, "", "envelope")},
		},
		"wrong content type":  {withHeader(jsonExchange("POST", createPath, 200, []byte("<html/>")), "Content-Type", "text/html"), []summary{contract(finding.WrongContentType, "", "content-type")}},
		"no content type":     {withHeader(jsonExchange("POST", createPath, 200, valid), "Content-Type", ""), []summary{contract(finding.WrongContentType, "", "content-type")}},
		"missing header":      {withHeader(jsonExchange("POST", createPath, 200, valid), "X-Request-Id", ""), []summary{contract(finding.MissingHeader, "", "required")}},
		"not JSON":            {jsonExchange("POST", createPath, 200, []byte(`{"id":`)), []summary{contract(finding.SchemaViolation, "", "json")}},
		"trailing data":       {jsonExchange("POST", createPath, 200, append(append([]byte{}, valid...), []byte(` {}`)...)), []summary{contract(finding.SchemaViolation, "", "json")}},
		"empty body":          {jsonExchange("POST", createPath, 200, nil), []summary{contract(finding.SchemaViolation, "", "body")}},
		"error with envelope": {jsonExchange("GET", app, 404, envelope), []summary{}},
		"range status (4XX)":  {jsonExchange("GET", "/profiles?limit=5", 400, envelope), []summary{}},
		"error without errors": {
			jsonExchange("GET", app, 404, []byte(`{"message":"not found"}`)),
			// The schema's "errors is required" is left to the envelope finding.
			[]summary{{finding.Drift, finding.UndocumentedField, "/message", "properties"}, contract(finding.BadErrorEnvelope, "/errors", "envelope")},
		},
		"error code not an int": {jsonExchange("GET", app, 404, []byte(`{"errors":[{"code":"201","message":"x"}]}`)), []summary{contract(finding.BadErrorEnvelope, "/errors/0/code", "envelope")}},
		"error code a float":    {jsonExchange("GET", app, 404, []byte(`{"errors":[{"code":201.5,"message":"x"}]}`)), []summary{contract(finding.BadErrorEnvelope, "/errors/0/code", "envelope")}},
		"error list empty":      {jsonExchange("GET", app, 404, []byte(`{"errors":[]}`)), []summary{contract(finding.BadErrorEnvelope, "/errors", "envelope")}},
		"error body empty":      {jsonExchange("GET", app, 404, nil), []summary{contract(finding.BadErrorEnvelope, "", "envelope")}},
		"error envelope not documented by the spec": {
			jsonExchange("GET", "/profiles/"+profileID+"/status", 500, []byte(`{"error":"boom"}`)),
			[]summary{contract(finding.UndocumentedStatus, "", "status"), contract(finding.BadErrorEnvelope, "/errors", "envelope")},
		},
		"bare string body":       {jsonExchange("GET", "/profiles/"+profileID+"/status", 200, []byte(`"SUSPENDED"`)), []summary{}},
		"bare string outside":    {jsonExchange("GET", "/profiles/"+profileID+"/status", 200, []byte(`"WEIRD"`)), []summary{contract(finding.OutsideEnum, "", "enum")}},
		"array body":             {jsonExchange("GET", createPath, 200, []byte(`[`+string(valid)+`,{"id":"x"}]`)), nil},
		"non-JSON media type":    {withHeader(jsonExchange("GET", "/profiles/"+profileID+"/audit/pdf_report", 200, []byte("%PDF-1.4")), "Content-Type", "application/pdf"), []summary{}},
		"no content documented":  {jsonExchange("POST", "/profiles/"+profileID+"/events/bulk_update", 200, nil), []summary{}},
		"unexpected body":        {jsonExchange("POST", "/profiles/"+profileID+"/events/bulk_update", 200, []byte(`{}`)), []summary{contract(finding.WrongContentType, "", "content-type")}},
		"undocumented operation": {jsonExchange("GET", "/nope", 404, envelope), []summary{contract(finding.UndocumentedOperation, "", "operation")}},
		"undocumented method":    {jsonExchange("DELETE", "/4.0"+createPath, 405, envelope), []summary{contract(finding.UndocumentedOperation, "", "operation")}},
		"undocumented operation, bad envelope": {
			jsonExchange("GET", "/nope", 404, []byte(`{}`)),
			[]summary{contract(finding.UndocumentedOperation, "", "operation"), contract(finding.BadErrorEnvelope, "/errors", "envelope")},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := v.CheckResponse(tc.ex)
			if tc.want == nil { // the array case: checked below by pointer
				return
			}
			assert.Equal(t, tc.want, summarize(got), lines(got))
		})
	}

	t.Run("array item pointers", func(t *testing.T) {
		got := v.CheckResponse(tests["array body"].ex)
		var ptrs []string
		for _, f := range got {
			ptrs = append(ptrs, f.Pointer)
		}
		want := []string{"/1/id", "/1/status", "/1/flag", "/1/hidden", "/1/product", "/1/approval_blockers", "/1/required_tasks", "/1/history"}
		assert.ElementsMatch(t, want, ptrs, lines(got))
	})
}

// TestMessages pins the one-line messages users read.
func TestMessages(t *testing.T) {
	t.Parallel()
	v := mini(t)
	tests := map[string]struct {
		change func(app map[string]any)
		want   string
	}{
		"required": {func(a map[string]any) { delete(a, "hidden") }, "/hidden: value is required"},
		"enum":     {func(a map[string]any) { a["status"] = "FOO" }, `/status: got "FOO", want one of APPLIED, APPROVED, IN_REVIEW, REJECTED, CANCELLED`},
		"type":     {func(a map[string]any) { a["hidden"] = "no" }, "/hidden: got string, want boolean"},
		"integer":  {func(a map[string]any) { a["hidden"] = 1.5 }, "/hidden: got number, want boolean"},
		"uuid":     {func(a map[string]any) { a["id"] = "not-a-uuid" }, `/id: got "not-a-uuid", want a UUID (8-4-4-4-12 hex)`},
		"date": {
			func(a map[string]any) { a["history"].([]any)[0].(map[string]any)["date"] = "2017-02-08T15:16:01Z" },
			`/history/0/date: got "2017-02-08T15:16:01Z", want a PassFort date "YYYY-MM-DD hh:mm:ss"`,
		},
		"drift": {func(a map[string]any) { blocker(a, 1)["extra"] = 1 }, `/approval_blockers/1/extra: field "extra" is not documented`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			app := application(t)
			tc.change(app)
			got := v.CheckResponse(jsonExchange(http.MethodPost, createPath, 200, mustJSON(t, app)))
			require.Len(t, got, 1, lines(got))
			assert.Equal(t, tc.want, got[0].Pointer+": "+got[0].Message)
		})
	}
}

// TestComposition checks oneOf without a discriminator, whose branches allOf
// back into their parent (the cycle the newer upstream spec has), and a tree
// that refers to itself.
func TestComposition(t *testing.T) {
	t.Parallel()
	v, err := LoadFile("testdata/cycle.yaml", Options{})
	require.NoError(t, err)
	tests := map[string]struct {
		path, body string
		want       []summary
		message    string // of the first finding, when set
	}{
		"one branch":   {path: "/blockers", body: `[{"blocker_type":"E","event_id":"e"}]`, want: []summary{}},
		"drift":        {path: "/blockers", body: `[{"blocker_type":"E","event_id":"e","extra":1}]`, want: []summary{{finding.Drift, finding.UndocumentedField, "/0/extra", "properties"}}},
		"other branch": {path: "/blockers", body: `[{"blocker_type":"T","task_type":"t"}]`, want: []summary{}},
		"no branch": {
			path: "/blockers", body: `[{"blocker_type":"X","event_id":1}]`,
			want:    []summary{{finding.Contract, finding.SchemaViolation, "/0", "oneOf"}},
			message: `matches no "oneOf" branch (EventBlocker, TaskBlocker); closest EventBlocker: /0/event_id: got integer, want string`,
		},
		"only required missing": {
			path: "/blockers", body: `[{"blocker_type":"X"}]`,
			want:    []summary{{finding.Contract, finding.MissingRequired, "/0", "required"}},
			message: "value is required: one of event_id, task_type",
		},
		"two branches": {
			path: "/blockers", body: `[{"blocker_type":"X","event_id":"e","task_type":"t"}]`,
			want:    []summary{{finding.Contract, finding.SchemaViolation, "/0", "oneOf"}},
			message: `matches more than one "oneOf" branch (EventBlocker, TaskBlocker), want exactly one`,
		},
		"deep tree": {
			path: "/tree", body: `{"name":"a","children":[{"name":"b","children":[{"name":"c","x":1},{"children":[]}]}]}`,
			want: []summary{
				{finding.Contract, finding.MissingRequired, "/children/0/children/1/name", "required"},
				{finding.Drift, finding.UndocumentedField, "/children/0/children/0/x", "properties"},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := v.CheckResponse(jsonExchange("GET", tc.path, 200, []byte(tc.body)))
			require.Equal(t, tc.want, summarize(got), lines(got))
			if tc.message != "" {
				assert.Equal(t, tc.message, got[0].Message)
			}
		})
	}
}

// TestCheckResponseConcurrent shares one Validator between goroutines (run
// with -race).
func TestCheckResponseConcurrent(t *testing.T) {
	t.Parallel()
	v := mini(t)
	app := application(t)
	blocker(app, 1)["extra"] = 1
	body := mustJSON(t, app)
	done := make(chan []finding.Finding)
	for range 8 {
		go func() {
			var last []finding.Finding
			for range 20 {
				last = v.CheckResponse(jsonExchange("POST", createPath, 200, body))
			}
			done <- last
		}()
	}
	for range 8 {
		got := <-done
		if assert.Len(t, got, 1, "one drift finding") {
			assert.Equal(t, "/approval_blockers/1/extra", got[0].Pointer)
		}
	}
}

func lines(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString("  " + f.String() + "\n")
	}
	return b.String()
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	count := map[string]int{}
	for _, x := range a {
		count[x]++
	}
	for _, x := range b {
		count[x]--
	}
	for _, n := range count {
		if n != 0 {
			return false
		}
	}
	return true
}
