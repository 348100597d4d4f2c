package contract

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

// The quirks real-world specs bring, one table row (and one spec in
// testdata/quirks/) each. Every quirk either validates correctly or is
// reported, with its location, as a warning (Warnings) or a one-line error.

// quirkCase is one response checked against a quirk's spec.
type quirkCase struct {
	name string
	path string // GET path
	body string
	want []summary
}

func TestQuirks(t *testing.T) {
	t.Parallel()
	c := func(class finding.Class, kind, ptr, rule string) summary { return summary{class, kind, ptr, rule} }
	drift := func(ptr string) summary { return c(finding.Drift, finding.UndocumentedField, ptr, "properties") }
	required := func(ptr string) summary { return c(finding.Contract, finding.MissingRequired, ptr, "required") }
	tests := map[string]struct {
		file     string
		lenient  bool
		warnings []string // one substring per expected warning, in order
		cases    []quirkCase
	}{
		// kin-openapi v0.153.0 loads 3.1 and checks it with the JSON Schema
		// 2020-12 validator; its errors are brought to 3.0's shape.
		"OpenAPI 3.1 type arrays, const, examples, $ref siblings, patternProperties": {
			file: "openapi31.yaml",
			cases: []quirkCase{
				{"null in a type array", "/things/1", `{"kind":"thing","name":null,"code":"ABC"}`, nil},
				{"string in a type array", "/things/1", `{"kind":"thing","name":"Alice","code":"ABC","labels":{"x-a":"1"}}`, nil},
				{"every rule broken", "/things/1", `{"kind":"other","name":3,"code":"abc","extra":1}`, []summary{
					c(finding.Contract, finding.BadFormat, "/code", "pattern"),
					c(finding.Contract, finding.OutsideEnum, "/kind", "const"),
					c(finding.Contract, finding.WrongType, "/name", "type"),
					drift("/extra"),
				}},
				{"missing keys, one finding each", "/things/1", `{"name":"x"}`, []summary{required("/kind"), required("/code")}},
				{"patternProperties value", "/things/1", `{"kind":"thing","name":"a","code":"ABC","labels":{"x-a":2,"other":"b"}}`, []summary{
					c(finding.Contract, finding.WrongType, "/labels/x-a", "type"),
					drift("/labels/other"),
				}},
			},
		},
		"allOf without a discriminator": {
			file: "allof.yaml",
			cases: []quirkCase{
				{"valid", "/person", `{"name":"a","age":3}`, nil},
				{"each member's rules", "/person", `{"age":-1,"x":1}`, []summary{
					required("/name"), c(finding.Contract, finding.SchemaViolation, "/age", "minimum"), drift("/x"),
				}},
			},
		},
		// kin-openapi follows a discriminator only under oneOf/anyOf; for a
		// base the subtypes allOf, the drift walk picks the subtype and checks
		// its own members.
		"allOf with a discriminator on the base": {
			file: "allof.yaml",
			cases: []quirkCase{
				{"subtype by mapping", "/pet", `{"pet_type":"cat","lives":3}`, nil},
				{"subtype's rule", "/pet", `{"pet_type":"cat","lives":30}`, []summary{c(finding.Contract, finding.SchemaViolation, "/lives", "maximum")}},
				{"subtype's required", "/pet", `{"pet_type":"cat"}`, []summary{required("/lives")}},
				{"subtype by component name", "/pet", `{"pet_type":"Dog","bark":true}`, nil},
				{"no such subtype: the base only", "/pet", `{"pet_type":"cow","moo":true}`, []summary{drift("/moo")}},
			},
		},
		"oneOf with a discriminator": {
			file: "oneof.yaml",
			cases: []quirkCase{
				{"valid", "/address", `{"type":"FREEFORM","text":"x"}`, nil},
				{"the named branch's rules", "/address", `{"type":"STRUCTURED","text":"x"}`, []summary{required("/postcode"), drift("/text")}},
				{"unknown value", "/address", `{"type":"NOPE"}`, []summary{c(finding.Contract, finding.OutsideEnum, "/type", "discriminator")}},
				{"no discriminator", "/address", `{"text":"x"}`, []summary{required("/type")}},
			},
		},
		"oneOf without a discriminator": {
			file: "oneof.yaml",
			cases: []quirkCase{
				{"one branch", "/contact", `{"email":"a"}`, nil},
				{"two branches", "/contact", `{"email":"a","phone":"b"}`, []summary{c(finding.Contract, finding.SchemaViolation, "", "oneOf")}},
				{"no branch", "/contact", `{"fax":"a"}`, []summary{required(""), drift("/fax")}},
			},
		},
		"anyOf without a discriminator": {
			file: "anyof.yaml",
			cases: []quirkCase{
				{"one branch", "/product", `{"alias":"a"}`, nil},
				{"both branches", "/product", `{"alias":"a","id":"a2c4393a-e219-67a4-5ab4-2186952e9038"}`, nil},
				{"no branch, only keys missing", "/product", `{"name":"x"}`, []summary{required(""), drift("/name")}},
				{"no branch", "/product", `{"id":"x"}`, []summary{c(finding.Contract, finding.SchemaViolation, "", "anyOf")}},
			},
		},
		// OpenAPI 3.0 ignores keywords beside $ref, nullable included: the
		// allOf wrapper is how a 3.0 spec makes a reference nullable.
		"nullable true and false": {
			file: "nullable.yaml",
			cases: []quirkCase{
				{"nullable true", "/decision", `{"note":null,"plain":"x","decisioner":null}`, nil},
				{"nullable false", "/decision", `{"status":null}`, []summary{c(finding.Contract, finding.WrongType, "/status", "nullable")}},
				{"nullable unset", "/decision", `{"plain":null}`, []summary{c(finding.Contract, finding.WrongType, "/plain", "nullable")}},
				{"nullable beside $ref is ignored (3.0)", "/decision", `{"decisioner_ref":null}`, []summary{c(finding.Contract, finding.WrongType, "/decisioner_ref", "nullable")}},
				{"nullable allOf still checks the value", "/decision", `{"decisioner":{"name":1}}`, []summary{c(finding.Contract, finding.WrongType, "/decisioner/name", "type")}},
			},
		},
		"reference cycles: self, mutual, through composition": {
			file: "cycles.yaml",
			cases: []quirkCase{
				{"self", "/tree", `{"name":"a","parent":{"name":"b","parent":{"name":"c","x":1}},"children":[{"name":"d","children":[{"y":2}]}]}`, []summary{
					required("/children/0/children/0/name"), drift("/children/0/children/0/y"), drift("/parent/parent/x"),
				}},
				{"mutual", "/team", `{"title":"t","lead":{"login":"l","team":{"title":"t2","lead":{"login":3}}}}`, []summary{
					c(finding.Contract, finding.WrongType, "/lead/team/lead/login", "type"),
				}},
				{"oneOf branches allOf their parent", "/blockers", `[{"blocker_type":"UNRESOLVED_EVENT","event_id":"e"},{"blocker_type":"INCOMPLETE_TASK"},{"blocker_type":"INCOMPLETE_TASK","task_type":"x","z":1}]`, []summary{
					required("/1/task_type"), drift("/2/z"),
				}},
			},
		},
		// Non-standard: keys matching it are documented (no drift), their
		// values are not checked, and a warning says so where it is.
		"x-patternProperties": {
			file:     "x-pattern-properties.yaml",
			warnings: []string{`/components/schemas/Details/properties/national_identity_number: x-patternProperties is not OpenAPI`},
			cases: []quirkCase{
				{"matching keys are documented, their values not checked", "/details", `{"national_identity_number":{"GBR":"x","FRA":3,"fr":"z"}}`, []summary{drift("/national_identity_number/fr")}},
			},
		},
		// JSON Schema allows it: the key must be there, with any value, and is
		// not drift when it is.
		"required naming an undefined property": {
			file: "required-undefined.yaml",
			cases: []quirkCase{
				{"missing", "/results", `{"results":[]}`, []summary{required("/associated_results")}},
				{"present", "/results", `{"results":[],"associated_results":[1]}`, nil},
			},
		},
		"trailing spaces in operationId and x- keys": {
			file: "trailing-spaces.yaml",
			cases: []quirkCase{
				{"valid", "/blocker", `{"blocker_type":"INCOMPLETE_TASK"}`, nil},
				{"still checked", "/blocker", `{"blocker_type":"X"}`, []summary{c(finding.Contract, finding.OutsideEnum, "/blocker_type", "enum")}},
			},
		},
		// Go's regexp has no lookahead and go.mod has no other engine: the
		// tempered dot (upstream's only lookahead) is rewritten exactly, any
		// other lookahead is dropped; each with a warning naming the schema.
		"Perl lookahead in a pattern (lenient)": {
			file:    "lookahead.yaml",
			lenient: true,
			warnings: []string{
				`/components/schemas/File/properties/data: pattern "^data:((?:[a-zA-Z0-9+/]+/(?:(?!;).)+)?)((?:;[a-zA-Z0-9+/=]*[^;])*),(.+)$" checked as`,
				`/components/schemas/File/properties/name: pattern "^(?!tmp_)[a-z_]+$" not checked`,
			},
			cases: []quirkCase{
				{"valid data URI", "/file", `{"data":"data:image/png;base64,AAA"}`, nil},
				{"rewritten pattern still checked", "/file", `{"data":"image/png;base64,AAA"}`, []summary{c(finding.Contract, finding.BadFormat, "/data", "pattern")}},
				{"empty parameter", "/file", `{"data":"data:image/png;;,AAA"}`, []summary{c(finding.Contract, finding.BadFormat, "/data", "pattern")}},
				{"dropped pattern not checked", "/file", `{"name":"tmp_x"}`, nil},
			},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			v, err := LoadFile(filepath.Join("testdata", "quirks", tc.file), Options{Lenient: tc.lenient})
			require.NoError(t, err, "LoadFile(%s)", tc.file)
			w := v.Warnings()
			assert.Len(t, w, len(tc.warnings))
			for i := range min(len(w), len(tc.warnings)) {
				assert.Contains(t, w[i], tc.warnings[i], "warning %d", i)
				assertOneLine(t, w[i])
			}
			for _, qc := range tc.cases {
				got := v.CheckResponse(jsonExchange("GET", qc.path, 200, []byte(qc.body)))
				s := summarize(got)
				assert.True(t, sameSummaries(s, qc.want), "%s: findings: got %v, want %v\n%s", qc.name, s, qc.want, lines(got))
				for _, f := range got {
					assertOneLine(t, f.Message)
					assert.NotContains(t, f.Message, "jsonschema", "%s: a plain line", qc.name)
					assert.False(t, strings.HasPrefix(f.Message, "error at"), "%s: finding %q: want a plain line", qc.name, f)
				}
			}
		})
	}
}

// TestQuirkOperationIDVerbatim: an operationId with a trailing space is kept
// as the spec spells it (it names the operation in reports; routing uses the
// method and path).
func TestQuirkOperationIDVerbatim(t *testing.T) {
	t.Parallel()
	v, err := LoadFile(filepath.Join("testdata", "quirks", "trailing-spaces.yaml"), Options{})
	require.NoError(t, err)
	op, ok := v.Operation("GET", "/blocker")
	require.True(t, ok)
	assert.Equal(t, "getBlocker ", op.ID)
}

// TestQuirkLookaheadStrict: without Lenient, a pattern Go cannot compile is
// a one-line load error naming the schema.
func TestQuirkLookaheadStrict(t *testing.T) {
	t.Parallel()
	_, err := LoadFile(filepath.Join("testdata", "quirks", "lookahead.yaml"), Options{})
	require.Error(t, err)
	assertOneLine(t, err.Error())
	assert.Contains(t, err.Error(), `schema "File"`)
	assert.Contains(t, err.Error(), "Perl syntax")
}

// TestQuirkAliasCycle: schemas that are only $refs to each other cannot be
// checked; the error says so with the location, in both modes.
func TestQuirkAliasCycle(t *testing.T) {
	t.Parallel()
	for _, lenient := range []bool{false, true} {
		_, err := LoadFile(filepath.Join("testdata", "quirks", "alias-cycle.yaml"), Options{Lenient: lenient})
		want := "unsupported: a reference cycle with no schema in between at #/components/schemas/A: A -> B -> A"
		require.Error(t, err, "lenient %v", lenient)
		assert.Contains(t, err.Error(), want, "lenient %v", lenient)
		assertOneLine(t, err.Error())
	}
}

// TestQuirkCyclesTerminate: checks and field listings end on recursive
// schemas, whatever the depth of the data.
func TestQuirkCyclesTerminate(t *testing.T) {
	t.Parallel()
	v, err := LoadFile(filepath.Join("testdata", "quirks", "cycles.yaml"), Options{})
	require.NoError(t, err)
	// 500 levels of parent, the innermost with an undocumented key.
	body := `{"name":"leaf","z":1}`
	for range 500 {
		body = `{"name":"n","parent":` + body + `}`
	}
	got := v.CheckResponse(jsonExchange("GET", "/tree", 200, []byte(body)))
	require.Len(t, got, 1, "one drift finding 500 parents down")
	assert.Equal(t, finding.Drift, got[0].Class)
	assert.True(t, strings.HasSuffix(got[0].Pointer, "/parent/z"), got[0].Pointer)
	assert.Equal(t, 500, strings.Count(got[0].Pointer, "/parent"))
	for path, want := range map[string][]string{
		// The listing stops where a schema recurs inside itself.
		"/tree":     {"/children", "/name", "/parent"},
		"/team":     {"/lead", "/lead/login", "/lead/team", "/title"},
		"/blockers": {"/*/blocker_type", "/*/event_id", "/*/task_type"},
	} {
		op, _ := v.Operation("GET", path)
		assert.Equal(t, want, v.DocumentedFields(op, 200), "DocumentedFields(%s)", path)
	}
}

// TestRewriteTemperedDots pins the only lookahead rewrite: exact, or none.
func TestRewriteTemperedDots(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string // want "" for no rewrite
		match    []string
		noMatch  []string
	}{
		{`^(?:(?!;).)+$`, `^(?:[^;\n])+$`, []string{"abc", "a b"}, []string{"a;b", "a\nb", ""}},
		{`^(?:(?!\.).)*$`, `^(?:[^\.\n])*$`, []string{"ab", ""}, []string{"a.b"}},
		{`^(?:(?!\d).)+$`, `^(?:[^\d\n])+$`, []string{"ab"}, []string{"a1"}},
		{`^(?!tmp_)[a-z]+$`, "", nil, nil},   // not a tempered dot
		{`^(?:(?!ab).)+$`, "", nil, nil},     // more than one character
		{`(?s)^(?:(?!;).)+$`, "", nil, nil},  // . matches \n: not the same
		{`^(?:(?!;).)+(?=x)$`, "", nil, nil}, // another lookaround remains
		{`^[a-z]+$`, "", nil, nil},           // nothing to do
		{`^(?:(?!\b).)+$`, "", nil, nil},     // \b is not a character
		{`^(?:(?!;).)+(?:(?!,).)$`, `^(?:[^;\n])+(?:[^,\n])$`, []string{"ab"}, []string{"a,"}},
	}
	for _, tc := range tests {
		got, ok := rewriteTemperedDots(tc.in)
		if !assert.Equal(t, tc.want, got, "rewriteTemperedDots(%q)", tc.in) || !assert.Equal(t, tc.want != "", ok, "rewriteTemperedDots(%q)", tc.in) {
			continue
		}
		if !ok {
			continue
		}
		re, err := compilePattern(got)
		require.NoError(t, err)
		for _, s := range tc.match {
			assert.True(t, re.MatchString(s), "%q does not match %q", got, s)
		}
		for _, s := range tc.noMatch {
			assert.False(t, re.MatchString(s), "%q matches %q", got, s)
		}
	}
}

// guideApplication is the ProductApplication of PassFort's guide (the
// response to adding a product to a profile), as the user's source doc shows it.
const guideApplication = `{
  "approval_blockers": [{"blocker_type": "INCOMPLETE_TASK", "task_type": "INDIVIDUAL_VERIFY_IDENTITY"}],
  "assignments": [],
  "flag": "AUTOMATING",
  "flag_history": [{"date": "2017-02-08 15:16:01", "flag": "AUTOMATING", "status": "APPLIED"}],
  "hidden": false,
  "history": [{"date": "2017-02-08 15:16:01", "decisioner": null, "status": "APPLIED"}],
  "id": "edc23993-eb6a-9d89-bb79-5b8925b33224",
  "product": {"alias": "forexo_basic", "automatically_approve": false, "id": "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8", "name": "Forexo Basic Account"},
  "required_tasks": [{"id": "3d7a333c-418d-72a1-007b-06854dbb28eb", "task_type": "INDIVIDUAL_VERIFY_IDENTITY"}],
  "status": "APPLIED"
}`

// TestUpstreamQuirks loads both public PassFort specs leniently, times the
// load, logs every warning and what each says of the guide's sample
// ProductApplication. Findings there are facts about the upstream specs
// (logged, not failed); the test fails on a broken promise: a slow or failed
// load, a multi-line warning or finding, a finding without a kind.
func TestUpstreamQuirks(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(repoRoot(t), "..", "shared", "reference", "upstream")
	tests := map[string]struct {
		// wantWarnings are substrings some warning must contain.
		wantWarnings []string
	}{
		"passfort-openapi-4.0.0-2019.json": {wantWarnings: []string{
			"invalid example",
			"/components/schemas/PersonalDetails/properties/national_identity_number: x-patternProperties is not OpenAPI",
		}},
		"passfort-openapi-4.0.0-wx-derivative.json": {wantWarnings: []string{
			`/components/schemas/DataURI: pattern "^data:((?:[a-zA-Z0-9+/]+/(?:(?!;).)+)?)((?:;[a-zA-Z0-9+/=]*[^;])*),(.+)$" checked as "^data:((?:[a-zA-Z0-9+/]+/(?:[^;\\n])+)?)`,
			"/components/schemas/NationalIdentityNumber: x-patternProperties is not OpenAPI",
		}},
	}
	var app map[string]any
	require.NoError(t, json.Unmarshal([]byte(guideApplication), &app))
	for file, tc := range tests {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("upstream spec not present: %v", err)
			}
			start := time.Now()
			v, err := LoadFile(path, Options{Lenient: true})
			took := time.Since(start)
			require.NoError(t, err, "lenient LoadFile")
			t.Logf("loaded in %v, %d operations, %d warnings", took.Round(time.Millisecond), len(v.Operations()), len(v.Warnings()))
			assert.Less(t, took, 10*time.Second, "the load")
			for _, w := range v.Warnings() {
				t.Logf("warning: %s", w)
				assertOneLine(t, w)
			}
			for _, want := range tc.wantWarnings {
				assert.True(t, slices.ContainsFunc(v.Warnings(), func(w string) bool { return strings.Contains(w, want) }), "Warnings: none contains %q", want)
			}
			for _, status := range []int{200} {
				start = time.Now()
				got := v.CheckResponse(jsonExchange("POST", "/4.0/profiles/"+profileID+"/applications", status, []byte(guideApplication)))
				t.Logf("guide's ProductApplication, %d: %d findings in %v", status, len(got), time.Since(start).Round(time.Microsecond))
				for _, f := range got {
					t.Logf("  %s", f)
					assert.NotEmpty(t, f.Kind, "finding %q", f)
					assert.NotEmpty(t, f.Class, "finding %q", f)
					assertOneLine(t, f.Message)
				}
			}
		})
	}
}

// kin-openapi rewrites only upper-case \uXXXX escapes of a pattern for Go's
// regexp; a lower-case one does not compile there, so a lenient load drops
// the pattern with a warning, as it drops any pattern kin-openapi cannot
// compile, and a strict load refuses the spec.
func TestQuirkLowerCaseCodepointPattern(t *testing.T) {
	t.Parallel()
	spec := func(pattern string) []byte {
		return []byte(`openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    post:
      requestBody:
        content:
          application/json:
            schema: {type: string, pattern: '` + pattern + `'}
      responses:
        "200": {description: ok}
`)
	}
	v, err := New(spec(`^\u00e9$`), Options{Lenient: true})
	require.NoError(t, err, "lenient load")
	assert.Contains(t, strings.Join(v.Warnings(), "\n"), `not checked`, "the pattern dropped with a warning")
	_, err = New(spec(`^\u00e9$`), Options{})
	assert.Error(t, err, "strict load: want the pattern refused")
	v, err = New(spec(`^\u00E9$`), Options{})
	require.NoError(t, err, "strict load of an upper-case escape")
	h := http.Header{"Content-Type": {"application/json"}}
	assert.Empty(t, v.CheckRequest("POST", "/x", h, []byte(`"é"`)), `"é" against ^\u00E9$`)
	assert.NotEmpty(t, v.CheckRequest("POST", "/x", h, []byte(`"e"`)), `"e" against ^\u00E9$`)
}
