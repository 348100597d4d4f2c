package apispec_test

import (
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/spec"
)

// things is a small spec with an enum in every place the index looks.
const things = `
openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /things/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  kind: {type: string, enum: [A, B]}
                  tags: {type: array, items: {type: string, enum: [x, y]}}
                  labels: {type: object, additionalProperties: {type: string, enum: [l]}}
                  nested:
                    allOf:
                      - type: object
                        properties:
                          level: {$ref: '#/components/schemas/Level'}
                  self: {$ref: '#/components/schemas/Node'}
                  code: {type: integer, nullable: true, enum: [1, 2, null]}
        '4XX':
          description: client error
          content:
            application/problem+json:
              schema: {type: object, properties: {code: {type: integer, enum: [1, 2]}}}
        default:
          description: other
          content:
            text/plain:
              schema: {type: string, enum: [nope]}
    delete:
      responses:
        '204': {description: gone}
  /a:
    post:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string, enum: [whole]}
            application/vnd.other+json:
              schema: {type: object, properties: {other: {type: string, enum: [o]}}}
components:
  schemas:
    Level: {type: string, enum: [LOW, HIGH]}
    Node:
      type: object
      properties:
        state: {type: string, enum: [on, off]}
        child: {$ref: '#/components/schemas/Node'}
`

func parse(t *testing.T, s string) *apispec.Document {
	t.Helper()
	doc, err := apispec.Parse([]byte(s))
	require.NoError(t, err)
	return doc
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	_, err := apispec.Parse([]byte(" \n\t"))
	assert.ErrorIs(t, err, apispec.ErrEmpty)
	assert.EqualError(t, err, "spec is empty")

	_, err = apispec.Parse([]byte("openapi: [unclosed"))
	var le *apispec.LoadError
	require.ErrorAs(t, err, &le)
	assert.NotContains(t, err.Error(), "\n", "a broken spec gives one line")
	assert.Equal(t, oneline.First(le.Err.Error()), err.Error())
}

func TestOperationsAreSorted(t *testing.T) {
	t.Parallel()
	doc := parse(t, things)
	var keys []string
	for _, o := range doc.Operations() {
		keys = append(keys, o.Key())
	}
	assert.Equal(t, []string{"POST /a", "DELETE /things/{id}", "GET /things/{id}"}, keys)
	o, ok := doc.Operation("GET /things/{id}")
	require.True(t, ok)
	assert.Equal(t, "/things/{id}", o.Template)
	assert.Same(t, doc.OpenAPI().Paths.Value("/things/{id}").Get, o.Op)
	_, ok = doc.Operation("GET /nope")
	assert.False(t, ok)
}

func TestHashAndReparse(t *testing.T) {
	t.Parallel()
	doc := parse(t, things)
	assert.Equal(t, apispec.Hash([]byte(things)), doc.Hash())
	assert.Len(t, doc.Hash(), 64)
	private, err := doc.Reparse()
	require.NoError(t, err)
	assert.NotSame(t, doc.OpenAPI(), private, "a copy the caller may change")
	assert.Equal(t, doc.OpenAPI().Paths.Len(), private.Paths.Len())
}

func TestEmbedded(t *testing.T) {
	t.Parallel()
	doc, err := apispec.Embedded()
	require.NoError(t, err)
	assert.Equal(t, apispec.Hash(spec.OpenAPI), doc.Hash())
	assert.NotEmpty(t, doc.Operations())
}

func TestResponseSchema(t *testing.T) {
	t.Parallel()
	doc := parse(t, things)
	tests := map[string]struct {
		key    string
		status int
		want   string // a property the schema has; "" for no schema
	}{
		"exact code":    {"GET /things/{id}", 200, "kind"},
		"range":         {"GET /things/{id}", 404, "code"},
		"default, text": {"GET /things/{id}", 500, ""},
		"no body":       {"DELETE /things/{id}", 204, ""},
		"no operation":  {"GET /nope", 200, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := doc.ResponseSchema(tc.key, tc.status)
			if tc.want == "" {
				assert.Nil(t, got)
				return
			}
			require.NotNil(t, got)
			assert.Contains(t, got.Value.Properties, tc.want)
		})
	}
}

func TestEnumPointers(t *testing.T) {
	t.Parallel()
	e := parse(t, things).Enums()
	op := "GET /things/{id}"
	assert.Equal(t, map[string]bool{
		"/kind": true, "/tags/*": true, "/labels/*": true, "/nested/level": true, "/self/state": true, "/code": true,
	}, e.Pointers(op, 200))
	assert.Equal(t, map[string]bool{"/code": true}, e.Pointers(op, 404), "4XX range")
	assert.Nil(t, e.Pointers(op, 500), "default documents text only")
	assert.Nil(t, e.Pointers("GET /nope", 200))
	assert.Equal(t, map[string]bool{"": true, "/other": true}, e.Pointers("POST /a", 200), "every JSON media type, the body itself included")
	var none *apispec.Enums
	assert.Nil(t, none.Pointers(op, 200), "nil index")
}

func TestEnumFields(t *testing.T) {
	t.Parallel()
	e := parse(t, things).Enums()
	got := e.Fields("GET /things/{id}", 200)
	byPtr := map[string]apispec.EnumField{}
	for _, f := range got {
		byPtr[f.Pointer] = f
	}
	assert.Equal(t, apispec.EnumField{Pointer: "/nested/level", Name: "Level", Values: []string{"LOW", "HIGH"}}, byPtr["/nested/level"], "named after the component")
	assert.Equal(t, apispec.EnumField{Pointer: "/kind", Name: "kind", Values: []string{"A", "B"}}, byPtr["/kind"], "named after the field")
	assert.Equal(t, []string{"1", "2"}, byPtr["/code"].Values, "null is no value to cover")
	assert.Equal(t, "state", byPtr["/self/state"].Name, "a property of a component is named after itself")
	for i := 1; i < len(got); i++ {
		assert.Less(t, got[i-1].Pointer, got[i].Pointer, "sorted by pointer")
	}
	assert.Nil(t, e.Fields("POST /a", 200), "the first JSON media type only, and never the body itself")
	assert.Nil(t, e.Fields("GET /things/{id}", 500))
	assert.Nil(t, e.Fields("GET /nope", 200))
}

func TestEnumValue(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		value any
		want  string
	}{
		"string":  {"A", "A"},
		"integer": {float64(201), "201"},
		"decimal": {1.5, "1.5"},
		"boolean": {true, "true"},
		"object":  {map[string]any{"a": 1}, `{"a":1}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, apispec.EnumValue(tc.value))
		})
	}
}

func TestMediaTypeExamples(t *testing.T) {
	t.Parallel()
	schema := openapi3.NewSchemaRef("", &openapi3.Schema{Example: "from schema"})
	tests := map[string]struct {
		mt   *openapi3.MediaType
		want []apispec.Example
	}{
		"lone example": {&openapi3.MediaType{Example: "one", Schema: schema}, []apispec.Example{{Name: "", Value: "one"}}},
		"named, sorted, empty left out": {&openapi3.MediaType{Schema: schema, Examples: openapi3.Examples{
			"b":     {Value: &openapi3.Example{Value: 2}},
			"a":     {Value: &openapi3.Example{Value: 1}},
			"empty": {Value: &openapi3.Example{}},
		}}, []apispec.Example{{Name: "a", Value: 1}, {Name: "b", Value: 2}}},
		"schema's":  {&openapi3.MediaType{Schema: schema}, []apispec.Example{{Name: "schema", Value: "from schema"}}},
		"none":      {&openapi3.MediaType{}, nil},
		"no medium": {nil, nil},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, apispec.MediaTypeExamples(tc.mt))
		})
	}
}

func TestParameterExample(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		p    *openapi3.Parameter
		want string
	}{
		"example": {&openapi3.Parameter{Example: 12}, "12"},
		"first named with a value": {&openapi3.Parameter{Examples: openapi3.Examples{
			"b": {Value: &openapi3.Example{Value: "bee"}},
			"a": {Value: &openapi3.Example{}},
		}}, "bee"},
		"none": {&openapi3.Parameter{}, ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, apispec.ParameterExample(tc.p))
		})
	}
}

func TestMediaTypes(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "application/json", apispec.MediaType(" Application/JSON; charset=utf-8"))
	assert.Equal(t, "", apispec.MediaType(""))
	assert.True(t, apispec.IsJSON("application/problem+json"))
	assert.True(t, apispec.IsJSON("application/json; charset=utf-8"))
	assert.False(t, apispec.IsJSON("text/plain"))
}

// TestEnumsConcurrent pins that the lazily built index is safe for
// concurrent use (run with -race).
func TestEnumsConcurrent(t *testing.T) {
	t.Parallel()
	e := parse(t, things).Enums()
	done := make(chan map[string]bool)
	for range 8 {
		go func() { done <- e.Pointers("GET /things/{id}", 200) }()
	}
	for range 8 {
		assert.Len(t, <-done, 6)
	}
}

func TestResponseSchemas(t *testing.T) {
	t.Parallel()
	doc := parse(t, things)
	var got []string
	for _, r := range doc.ResponseSchemas("application/json") {
		got = append(got, r.Operation.Key()+" "+strconv.Itoa(r.Status))
		assert.NotNil(t, r.Schema)
	}
	assert.Equal(t, []string{"POST /a 200", "GET /things/{id} 200"}, got, "numeric codes with a JSON body only; 4XX and default name no code")
	assert.Empty(t, doc.ResponseSchemas("text/csv"))
}

func TestFillTemplate(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/whoami":                "/whoami",
		"/profiles/{profile_id}": "/profiles/x",
		"/profiles/{profile_id}/tasks/{task_id}/a": "/profiles/x/tasks/x/a",
		"/odd/{unclosed": "/odd/{unclosed",
	} {
		assert.Equal(t, want, apispec.FillTemplate(in, "x"), in)
	}
}
