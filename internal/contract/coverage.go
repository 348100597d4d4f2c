package contract

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// DocumentedStatuses returns the numeric status codes the spec documents for
// op, ascending. Ranges ("4XX") and "default" name no code and are left out.
// Nil when op is not documented.
func (v *Validator) DocumentedStatuses(op Operation) []int {
	e := v.router.byOp[op.String()]
	if e == nil || e.kin.Responses == nil {
		return nil
	}
	var out []int
	for code := range e.kin.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// EnumField is a response field whose schema lists its values.
type EnumField struct {
	// Pointer is templated like DocumentedFields: "/approval_blockers/*/blocker_type".
	Pointer string
	// Name names the list: the component schema that holds it
	// ("ApplicationFlag"), else the field's own name ("level").
	Name string
	// Values are the listed values in spec order: strings as they are, any
	// other value as JSON ("201", "true").
	Values []string
}

// DocumentedEnums lists the fields of op's JSON response for status whose
// schema lists an enum, sorted by pointer. Like DocumentedFields it follows
// $ref, allOf and every oneOf/anyOf branch; a pointer two branches give
// different lists has the union. Nil when nothing is documented.
func (v *Validator) DocumentedEnums(op Operation, status int) []EnumField {
	schema := v.responseSchema(op, status)
	if schema == nil {
		return nil
	}
	byPtr := map[string]*EnumField{}
	var walk func(ref *openapi3.SchemaRef, ptr, name string, stack []*openapi3.Schema)
	walk = func(ref *openapi3.SchemaRef, ptr, name string, stack []*openapi3.Schema) {
		if ref == nil || ref.Value == nil || slices.Contains(stack, ref.Value) {
			return
		}
		s := ref.Value
		if ref.Ref != "" {
			name = ref.Ref[strings.LastIndexByte(ref.Ref, '/')+1:]
		}
		if len(s.Enum) > 0 && ptr != "" {
			f := byPtr[ptr]
			if f == nil {
				f = &EnumField{Pointer: ptr, Name: name}
				byPtr[ptr] = f
			}
			for _, val := range s.Enum {
				if val == nil {
					continue // a nullable enum lists null; null is not a value to cover
				}
				if str := EnumValue(val); !slices.Contains(f.Values, str) {
					f.Values = append(f.Values, str)
				}
			}
		}
		stack = append(stack, s)
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, m := range group {
				walk(m, ptr, name, stack)
			}
		}
		for prop, p := range s.Properties {
			walk(p, childPointer(ptr, prop), prop, stack)
		}
		if s.Items != nil {
			walk(s.Items, ptr+"/*", name, stack)
		}
		if ap := s.AdditionalProperties.Schema; ap != nil {
			walk(ap, ptr+"/*", name, stack)
		}
	}
	walk(schema, "", "", nil)
	out := make([]EnumField, 0, len(byPtr))
	for _, k := range sortedKeys(byPtr) {
		out = append(out, *byPtr[k])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// EnumValue renders a decoded JSON value as DocumentedEnums lists values:
// a string as it is, anything else as JSON.
func EnumValue(val any) string {
	if s, ok := val.(string); ok {
		return s
	}
	if f, ok := val.(float64); ok && f == float64(int64(f)) {
		return strconv.FormatInt(int64(f), 10)
	}
	b, err := json.Marshal(val)
	if err != nil {
		return ""
	}
	return string(b)
}
