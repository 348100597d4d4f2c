package contract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/variants"
)

// keywordSpec has one request body with a property per keyword the
// compiled check mirrors, and a few it leaves to kin-openapi.
const keywordSpec = `openapi: 3.0.3
info: {title: keywords, version: "1"}
servers: [{url: /v1}]
paths:
  /things:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "200": {description: ok}
components:
  schemas:
    Cat:
      type: object
      required: [kind, lives]
      properties:
        kind: {type: string}
        lives: {type: integer, minimum: 1, maximum: 9}
    Dog:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        good: {type: boolean}
    Node:
      type: object
      properties:
        next: {$ref: "#/components/schemas/Node"}
    Thing:
      type: object
      required: [name]
      additionalProperties: false
      properties:
        name: {type: string, minLength: 2, maxLength: 4}
        code: {type: string, pattern: '^[A-Z]{3}$'}
        id: {type: string, format: uuid}
        color: {type: string, enum: [red, green], nullable: true}
        mixed: {enum: [1, "one", true, null]}
        count: {type: integer, minimum: 0, exclusiveMinimum: true}
        ratio: {type: number, maximum: 1, exclusiveMaximum: true}
        any: {}
        anyNullable: {nullable: true}
        tags:
          type: array
          minItems: 1
          maxItems: 2
          items: {type: string}
        meta:
          type: object
          minProperties: 1
          maxProperties: 2
          additionalProperties: {type: integer}
        pet:
          oneOf:
            - $ref: "#/components/schemas/Cat"
            - $ref: "#/components/schemas/Dog"
          discriminator:
            propertyName: kind
            mapping: {cat: "#/components/schemas/Cat", dog: Dog}
        either:
          oneOf:
            - {type: string}
            - {type: string, minLength: 3}
        some:
          anyOf:
            - {type: integer}
            - {type: string}
        both:
          allOf:
            - {type: object, required: [a]}
            - {type: object, required: [b]}
        odd: {type: integer, multipleOf: 2}
        list: {type: array, uniqueItems: true, items: {}}
        notString: {not: {type: string}}
        node: {$ref: "#/components/schemas/Node"}
        dup:
          oneOf:
            - type: object
              properties:
                p: {type: object, properties: {a: {type: string}}}
            - {type: object}
        dupItems:
          oneOf:
            - {type: array, items: {type: object, properties: {a: {type: string}}}}
            - {type: array, items: {}}
        emptyDisc:
          oneOf:
            - $ref: "#/components/schemas/Cat"
            - $ref: "#/components/schemas/Dog"
          discriminator: {propertyName: ""}
`

func keywordChecker(t testing.TB) (*Validator, *openapi3.Schema, *compiled) {
	t.Helper()
	v, err := New([]byte(keywordSpec), Options{})
	require.NoError(t, err)
	s := v.doc.Components.Schemas["Thing"].Value
	c := v.bodies[s]
	require.NotNil(t, c, "Thing: not compiled")
	return v, s, c
}

// kinAccepts is the answer the compiled check stands in for: the body
// decoded as CheckRequest decodes it, checked as the success path checks it
// (fail fast, the document's formats, no request mode).
func kinAccepts(v *Validator, s *openapi3.Schema, body []byte) bool {
	value, err := decodeJSONErr(body)
	opts := append([]openapi3.SchemaValidationOption{openapi3.FailFast()}, v.formats...)
	return err == nil && s.VisitJSON(value, opts...) == nil
}

// judge returns the compiled check's verdict on body, after checking it
// against kin-openapi: accept must be kin-openapi's accept, reject its reject.
func judge(t testing.TB, v *Validator, s *openapi3.Schema, c *compiled, body []byte) verdict {
	t.Helper()
	if !json.Valid(body) {
		assert.False(t, c.accepts(body), "%s: not JSON, accepted", body)
		return unsure
	}
	got, end := c.check(body, skipSpace(body, 0))
	kin := kinAccepts(v, s, body)
	if got == accept {
		assert.True(t, kin, "%s: compiled accepts, kin-openapi refuses", body)
		assert.Empty(t, trimSpace(body[end:]), "%s: accepted, ends at %d of %d", body, end, len(body))
	}
	if got == reject {
		assert.False(t, kin, "%s: compiled refuses, kin-openapi accepts", body)
	}
	assert.Equal(t, got == accept, c.accepts(body), "%s: accepts disagrees with check (%d)", body, got)
	return got
}

func TestCompiledKeywords(t *testing.T) {
	t.Parallel()
	v, s, c := keywordChecker(t)
	const id = `"1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"`
	tests := []struct {
		field, value string // "" field: value is the whole body
		want         verdict
	}{
		{"", `{"name":"ab"}`, accept},
		{"", ` {"name" : "ab" } `, accept},
		{"", `{}`, reject},
		{"", `[]`, reject},
		{"", `null`, reject},
		{"", `{"name":"ab","extra":1}`, reject},
		{"", `{"name":"ab","name":"abc"}`, unsure},
		{"", `{"n\u0061me":"ab"}`, unsure},
		{"name", `"abcd"`, accept},
		{"name", `"a"`, reject},
		{"name", `"abcde"`, reject},
		{"name", `"éé"`, accept},
		{"name", `"😀😀😀😀"`, accept}, // kin-openapi counts code points
		{"name", `"😀😀😀😀😀"`, reject},
		{"name", `"a\u00e9"`, accept},
		{"name", `12`, reject},
		{"code", `"GBR"`, accept},
		{"code", `"gbr"`, reject},
		{"code", `"GB\u0052"`, accept},
		{"id", id, accept},
		{"id", `"not-an-id"`, reject},
		{"color", `"red"`, accept},
		{"color", `null`, accept},
		{"color", `"blue"`, reject},
		{"mixed", `1`, accept},
		{"mixed", `1.0`, accept},
		{"mixed", `"one"`, accept},
		{"mixed", `true`, accept},
		{"mixed", `null`, reject}, // not nullable: the enum's null does not help
		{"mixed", `2`, reject},
		{"mixed", `false`, reject},
		{"mixed", `{}`, reject},
		{"count", `1`, accept},
		{"count", `0`, reject},
		{"count", `1.5`, reject},
		{"count", `1e2`, accept},
		{"count", `1e400`, unsure},
		{"count", `"1"`, reject},
		{"ratio", `0.5`, accept},
		{"ratio", `1`, reject},
		{"ratio", `-1e-400`, accept},
		{"any", `[1,{"a":null}]`, accept},
		{"any", `null`, reject},
		{"anyNullable", `null`, accept},
		{"tags", `["a"]`, accept},
		{"tags", `[]`, reject},
		{"tags", `["a","b","c"]`, reject},
		{"tags", `["a",1]`, reject},
		{"meta", `{"a":1}`, accept},
		{"meta", `{}`, reject},
		{"meta", `{"a":1,"b":2,"c":3}`, reject},
		{"meta", `{"a":"x"}`, reject},
		{"pet", `{"kind":"cat","lives":9}`, accept},
		{"pet", `{"kind":"cat","lives":10}`, reject},
		{"pet", `{"kind":"dog"}`, accept},
		{"pet", `{"kind":"dog","good":1}`, reject},
		{"pet", `{"kind":"cow"}`, reject},
		{"pet", `{"kind":1}`, reject},
		{"pet", `{"lives":1}`, reject},
		{"pet", `{"kind":"cat","kind":"dog"}`, unsure},
		{"pet", `"cat"`, reject},
		{"either", `"ab"`, accept},
		{"either", `"abc"`, reject}, // both branches match
		{"either", `1`, reject},
		{"some", `1`, accept},
		{"some", `"x"`, accept},
		{"some", `true`, reject},
		{"both", `{"a":1,"b":2}`, accept},
		{"both", `{"a":1}`, reject},
		{"odd", `2`, unsure},
		{"list", `[1]`, unsure},
		{"notString", `1`, accept},
		{"notString", `"x"`, reject},
		{"notString", `null`, reject},
		{"node", `{"next":{"next":{}}}`, accept},
		{"node", `{"next":{"next":1}}`, reject},
		// A later duplicate replaces a value the check refused: in oneOf,
		// a refusal there must not count as a branch that does not match.
		{"dup", `{"p":{"a":1}}`, accept},
		{"dup", `{"p":{"a":"x"}}`, reject}, // both branches match
		{"dup", `{"p":{"a":1,"a":"x"}}`, unsure},
		{"dup", `{"p":{"a":1,"\u0061":"x"}}`, unsure},
		{"dupItems", `[{"a":1,"a":"x"}]`, unsure},
		{"dupItems", `[{"a":1,"b":"x"}]`, accept},
		// An empty discriminator property is still one: "" is missing.
		{"emptyDisc", `{"kind":"dog"}`, reject}, // one branch matches; kin-openapi refuses it all the same
	}
	for _, tt := range tests {
		body := tt.value
		switch tt.field {
		case "":
		case "name":
			body = fmt.Sprintf(`{"name":%s}`, tt.value)
		default:
			body = fmt.Sprintf(`{"name":"ab",%q:%s}`, tt.field, tt.value)
		}
		assert.Equal(t, tt.want, judge(t, v, s, c, []byte(body)), "%s: verdict (0 unsure, 1 accept, 2 reject)", body)
	}
}

// Schemas that apply to one value through a cycle of allOf are left to
// kin-openapi, which accepts the value where the cycle closes.
func TestCompiledCycleIsUnsure(t *testing.T) {
	t.Parallel()
	const doc = `openapi: 3.0.3
info: {title: cycle, version: "1"}
paths:
  /x:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/A"}
      responses:
        "200": {description: ok}
components:
  schemas:
    A:
      allOf: [{$ref: "#/components/schemas/B"}]
      type: object
    B:
      allOf: [{$ref: "#/components/schemas/A"}]
      required: [b]
`
	v, err := New([]byte(doc), Options{})
	require.NoError(t, err)
	s := v.doc.Components.Schemas["A"].Value
	c := v.bodies[s]
	for _, body := range []string{`{"b":1}`, `{}`, `1`} {
		assert.Equal(t, unsure, judge(t, v, s, c, []byte(body)), "%s: verdict", body)
	}
}

// Every request variant of our spec gets the compiled check's verdict, the
// same as kin-openapi's: the success path never falls back to decoding on
// our own contract. The upstream files, when present, must agree too.
func TestCompiledAgreesOnVariants(t *testing.T) {
	t.Parallel()
	check := func(t *testing.T, v *Validator, wantDecided bool) {
		vs, err := variants.Generate(v.doc, variants.Options{Seed: 1, MaxBodyBytes: -1})
		require.NoError(t, err)
		judged, decided := 0, 0
		for _, x := range vs {
			e := v.router.byOp[x.Operation]
			if e == nil || e.kin.RequestBody == nil || len(x.Body) == 0 || !json.Valid(x.Body) {
				continue
			}
			mt := e.kin.RequestBody.Value.Content.Get("application/json")
			if mt == nil || mt.Schema == nil {
				continue
			}
			s, c := mt.Schema.Value, v.bodies[mt.Schema.Value]
			require.NotNil(t, c, "%s: body schema not compiled", x.Operation)
			judged++
			if judge(t, v, s, c, x.Body) != unsure {
				decided++
			} else {
				assert.False(t, wantDecided, "%s: %s: unsure, want a verdict", x.Name(), x.Body)
			}
		}
		t.Logf("%d bodies judged, %d decided without kin-openapi", judged, decided)
		require.NotZero(t, judged, "no variant with a JSON body")
	}
	t.Run("ours", func(t *testing.T) {
		v, err := defaultValidator()
		require.NoError(t, err)
		check(t, v, true)
	})
	dir := filepath.Join("..", "..", "..", "shared", "reference", "upstream")
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) == 0 {
		t.Log("no upstream files in " + dir + ": skipped them")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			require.NoError(t, err)
			v, err := New(raw, Options{Lenient: true})
			if err != nil {
				t.Skipf("does not load: %v", err)
			}
			if v.doc.IsOpenAPI31OrLater() {
				t.Skip("OpenAPI 3.1: no compiled bodies")
			}
			if v.bodies == nil {
				// The Validator does not use them (readOnly or writeOnly is
				// used), but the mirror of kin-openapi must still hold.
				v.bodies = compileBodies(v.ops, v.router, docFormats)
			}
			check(t, v, false)
		})
	}
}

// FuzzCompiledAgreesWithKin feeds any body to every compiled request
// schema of our spec and of keywordSpec: an accept must be kin-openapi's
// accept, a reject its reject.
func FuzzCompiledAgreesWithKin(f *testing.F) {
	ours, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	kw, _, _ := keywordChecker(f)
	for _, seed := range []string{
		`{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL","personal_details":{"name":{"given_names":["Ada"],"family_name":"Lovelace"},"dob":"1990-12-10","nationality":"GBR"}},"applications":[{"product":{"alias":"forexo_basic"}}]}`,
		`{"product":{"alias":"forexo_basic"}}`,
		`{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL","address_history":[{"address":{"type":"FREEFORM","country":"GBR","text":"x"},"end_date":"2020-01"}]}}`, // not: an end without a start
		`{"type":"INDIVIDUAL_BRAND_NEW_TASK","is_complete":false}`, // a task type no enum lists: extensible, still refused in a request
		`{"name":"ab","pet":{"kind":"cat","lives":3},"tags":["a"],"meta":{"a":1},"count":2}`,
		`{"name":"a\u00e9","color":null,"some":"x","both":{"a":1,"b":2}}`,
		`{"name":"ab","dup":{"p":{"a":1,"a":"x"}},"dupItems":[{"a":1,"a":"x"}]}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !json.Valid(body) {
			return
		}
		for _, v := range []*Validator{ours, kw} {
			for s, c := range v.bodies {
				judge(t, v, s, c, body)
			}
		}
	})
}
