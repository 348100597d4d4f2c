package variants_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/variants"
)

// small is a contract with one operation per feature under test.
const small = `
openapi: 3.0.3
info: {title: small, version: "1"}
servers: [{url: /v1}]
security: [{key: []}]
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: x-key}
  schemas:
    Id:
      type: string
      pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    Ref:
      type: object
      properties:
        alias: {type: string, minLength: 1}
        id: {$ref: '#/components/schemas/Id'}
      anyOf:
        - required: [alias]
        - required: [id]
    Cat:
      type: object
      required: [kind]
      properties:
        kind: {type: string}
        meows: {type: boolean}
    Dog:
      type: object
      required: [kind, barks]
      properties:
        kind: {type: string}
        barks: {type: integer, minimum: 0, maximum: 10}
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Cat'
        - $ref: '#/components/schemas/Dog'
      discriminator:
        propertyName: kind
        mapping:
          cat: '#/components/schemas/Cat'
          dog: '#/components/schemas/Dog'
paths:
  /refs:
    post:
      operationId: bothNamed
      summary: Name a thing both ways
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [ref]
              properties:
                ref: {$ref: '#/components/schemas/Ref'}
            example: {ref: {alias: a, id: 0a1b2c3d-0000-1111-2222-333344445555}}
      responses:
        '200': {description: ok}
  /closed:
    post:
      operationId: closedBody
      summary: Send a closed body
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              required: [name, tags, level]
              properties:
                name: {type: string, maxLength: 5}
                tags: {type: array, minItems: 1, maxItems: 2, items: {type: string}}
                level: {type: integer, enum: [1, 2, 3]}
      responses:
        '200': {description: ok}
  /pets/{pet_id}:
    parameters:
      - {name: pet_id, in: path, required: true, schema: {$ref: '#/components/schemas/Id'}, example: 11111111-2222-3333-4444-555555555555}
    post:
      operationId: updatePet
      summary: Update a pet
      requestBody:
        required: false
        content:
          application/json:
            schema:
              nullable: true
              type: object
              properties:
                pet: {$ref: '#/components/schemas/Pet'}
                same_pet: {$ref: '#/components/schemas/Id'}
            example: {same_pet: 11111111-2222-3333-4444-555555555555}
      responses:
        '200': {description: ok}
  /pets:
    post:
      operationId: createPet
      summary: Create a pet
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200': {description: ok}
    get:
      operationId: listPets
      summary: List pets
      parameters:
        - {name: species, in: query, required: true, schema: {type: string, enum: [cat, dog]}}
        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 50}}
      responses:
        '200': {description: ok}
  /names/{name}:
    get:
      operationId: getName
      summary: Get a name
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        '200': {description: ok}
`

func generateSmall(t *testing.T, o variants.Options) variants.Set {
	t.Helper()
	set, err := variants.GenerateSet(loadDoc(t, []byte(small)), o)
	require.NoError(t, err)
	return set
}

func findVariant(vs []variants.Variant, opID, rule, loc string) (variants.Variant, bool) {
	for _, v := range vs {
		if v.OperationID == opID && v.Rule == rule && v.Location == loc {
			return v, true
		}
	}
	return variants.Variant{}, false
}

func findDropped(ds []variants.Dropped, op, rule, loc string) bool {
	for _, d := range ds {
		if d.Operation == op && d.Rule == rule && d.Location == loc {
			return true
		}
	}
	return false
}

func TestGenerateSmall(t *testing.T) {
	fill := func(p string) string {
		if p == "pet_id" {
			return "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
		}
		return ""
	}
	set := generateSmall(t, variants.Options{Seed: 9, MaxBodyBytes: 64, Fill: fill})
	vs := set.Variants
	tests := map[string]struct {
		op, rule, loc string
		want          bool                          // the variant exists
		check         func(variants.Variant) string // "" if fine
	}{
		"a field another anyOf branch makes optional is not a missing field": {
			op: "bothNamed", rule: variants.RuleMissingRequired, loc: "/ref/alias", want: false,
		},
		"removing the only required top-level field is": {
			op: "bothNamed", rule: variants.RuleMissingRequired, loc: "/ref", want: true,
			check: expect("400/101"),
		},
		"minLength gives too-short": {
			op: "bothNamed", rule: variants.RuleTooShort, loc: "/ref/alias", want: true,
			check: bodyAt("/ref/alias", `""`),
		},
		"a pattern gives bad-format": {
			op: "bothNamed", rule: variants.RuleBadFormat, loc: "/ref/id", want: true, check: expect("400/201"),
		},
		"open bodies take an unknown field": {
			op: "bothNamed", rule: variants.RuleValidUnknownField, loc: "/x_conformance_unknown_field", want: true,
			check: func(v variants.Variant) string { return ifNot(v.Valid, "want Valid") },
		},
		"closed bodies refuse an unknown field": {
			op: "closedBody", rule: variants.RuleUnknownFieldClosed, loc: "/x_conformance_unknown_field", want: true,
		},
		"closed bodies get no valid unknown field": {
			op: "closedBody", rule: variants.RuleValidUnknownField, loc: "/x_conformance_unknown_field", want: false,
		},
		"too-long is maxLength+1": {
			op: "closedBody", rule: variants.RuleTooLong, loc: "/name", want: true, check: bodyAt("/name", `"aaaaaa"`),
		},
		"too-few-items": {
			op: "closedBody", rule: variants.RuleTooFewItems, loc: "/tags", want: true, check: bodyAt("/tags", `[]`),
		},
		"too-many-items": {
			op: "closedBody", rule: variants.RuleTooManyItems, loc: "/tags", want: true,
			check: func(v variants.Variant) string {
				return ifNot(strings.Count(string(at(v.Body, "/tags")), ",") == 2, "want 3 items, got "+string(at(v.Body, "/tags")))
			},
		},
		"an integer enum is missed by max+1": {
			op: "closedBody", rule: variants.RuleOutsideEnum, loc: "/level", want: true, check: bodyAt("/level", `4`),
		},
		"an operation without security has no key variants": {
			op: "closedBody", rule: variants.RuleMissingAPIKey, loc: "header:x-key", want: false,
		},
		"key variants use the scheme's header": {
			op: "createPet", rule: variants.RuleWrongAPIKey, loc: "header:x-key", want: true,
			check: func(v variants.Variant) string {
				return ifNot(strings.HasPrefix(v.Key, "wrong-key-") && !v.OmitKey, "want a wrong key, got "+v.Key)
			},
		},
		"a discriminated oneOf without example builds the first branch": {
			op: "createPet", rule: variants.RuleValidMinimal, loc: "", want: true, check: bodyIs(`{"kind":"cat"}`),
		},
		"the discriminator can be left out": {
			op: "createPet", rule: variants.RuleMissingRequired, loc: "/kind", want: true,
		},
		"a path id tied to the body by the example is filled in both": {
			op: "updatePet", rule: variants.RuleValidExample, loc: "example", want: true,
			check: func(v variants.Variant) string {
				return ifNot(v.Path == "/pets/aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" &&
					string(v.Body) == `{"same_pet":"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"}`, "got "+v.Path+" "+string(v.Body))
			},
		},
		"an optional body may be left out": {
			op: "updatePet", rule: variants.RuleValidNoBody, loc: "body", want: true,
			check: func(v variants.Variant) string {
				return ifNot(v.Body == nil && v.Header["Content-Type"] == "", "want no body")
			},
		},
		"a nullable body may be null": {
			op: "updatePet", rule: variants.RuleValidNull, loc: "body", want: true, check: bodyIs(`null`),
		},
		"a required body may not be left out": {
			op: "createPet", rule: variants.RuleMissingBody, loc: "body", want: true, check: expect("400/101"),
		},
		"an unknown id keeps the id's shape": {
			op: "updatePet", rule: variants.RuleNotFound, loc: "path:pet_id", want: true,
			check: func(v variants.Variant) string {
				id := strings.TrimPrefix(v.Path, "/pets/")
				return ifNot(len(id) == 36 && id != "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "got "+v.Path)
			},
		},
		"an unconstrained path parameter has no not-id-shaped variant": {
			op: "getName", rule: variants.RuleNotIDShaped, loc: "path:name", want: false,
		},
		"too-large pads a valid body past the limit": {
			op: "createPet", rule: variants.RuleTooLarge, loc: "body", want: true,
			check: func(v variants.Variant) string {
				return ifNot(len(v.Body) == 65 && json.Valid(v.Body), "want 65 bytes of valid JSON")
			},
		},
		"a required query parameter is in every other variant": {
			op: "listPets", rule: variants.RuleAboveMaximum, loc: "query:limit", want: true,
			check: func(v variants.Variant) string { return query(v, "limit=51&species=cat") },
		},
		"and left out by its own variant": {
			op: "listPets", rule: variants.RuleMissingRequired, loc: "query:species", want: true,
			check: func(v variants.Variant) string { return query(v, "") },
		},
		"query values are strings: a bound is valid": {
			op: "listPets", rule: variants.RuleValidBoundary, loc: "query:limit", want: true,
		},
		"query enums are missed": {
			op: "listPets", rule: variants.RuleOutsideEnum, loc: "query:species", want: true,
		},
		"a GET has no body variants": {
			op: "listPets", rule: variants.RuleMalformedJSON, loc: "body", want: false,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			v, ok := findVariant(vs, tc.op, tc.rule, tc.loc)
			require.Equal(t, tc.want, ok, "%s %s %s: exists", tc.op, tc.rule, tc.loc)
			if ok && tc.check != nil {
				assert.Empty(t, tc.check(v), v.Name())
			}
		})
	}
	assert.True(t, findDropped(set.Dropped, "POST /refs", variants.RuleMissingRequired, "/ref/alias"), "the still-valid removal of /ref/alias is not listed as dropped")
}

func TestGenerateOptions(t *testing.T) {
	set := generateSmall(t, variants.Options{MaxStringLength: 5, MaxBodyBytes: -1})
	_, ok := findVariant(set.Variants, "closedBody", variants.RuleTooLong, "/name")
	assert.False(t, ok, "too-long over MaxStringLength: got a variant, want none")
	assert.True(t, findDropped(set.Dropped, "POST /closed", variants.RuleTooLong, "/name"), "too-long over MaxStringLength: not listed as dropped")
	for _, v := range set.Variants {
		assert.NotEqual(t, variants.RuleTooLarge, v.Rule, "MaxBodyBytes < 0: got %s, want no too-large variants", v.Name())
	}
	bad := func(string) string { return "not an id" }
	_, err := variants.Generate(loadDoc(t, []byte(small)), variants.Options{Fill: bad})
	require.Error(t, err, "a fill the schema refuses")
	assert.Contains(t, err.Error(), `fill pet_id: got "not an id"`)
	only := generateSmall(t, variants.Options{Operations: []string{"create a pet", "GET /pets"}})
	ops := map[string]bool{}
	for _, v := range only.Variants {
		ops[v.OperationID] = true
	}
	assert.Equal(t, map[string]bool{"createPet": true, "listPets": true}, ops, "Operations selection")
}

func expect(want string) func(variants.Variant) string {
	return func(v variants.Variant) string {
		return ifNot(v.Expect.String() == want, "expect "+v.Expect.String()+", want "+want)
	}
}

func bodyIs(want string) func(variants.Variant) string {
	return func(v variants.Variant) string {
		return ifNot(string(v.Body) == want, "body "+string(v.Body)+", want "+want)
	}
}

func bodyAt(ptr, want string) func(variants.Variant) string {
	return func(v variants.Variant) string {
		got := string(at(v.Body, ptr))
		return ifNot(got == want, "body at "+ptr+": got "+got+", want "+want)
	}
}

func query(v variants.Variant, want string) string {
	_, q, _ := strings.Cut(v.Path, "?")
	got, _ := url.ParseQuery(q)
	return ifNot(got.Encode() == want, "query "+got.Encode()+", want "+want)
}

// at returns the JSON at a simple pointer (object keys only) in body.
func at(body []byte, ptr string) json.RawMessage {
	var cur json.RawMessage = body
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		var m map[string]json.RawMessage
		if json.Unmarshal(cur, &m) != nil {
			return nil
		}
		cur = m[tok]
	}
	return cur
}

func ifNot(ok bool, msg string) string {
	if ok {
		return ""
	}
	return msg
}
