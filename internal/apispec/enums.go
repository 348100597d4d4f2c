package apispec

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/jsonpointer"
)

// EnumField is a response field whose schema lists its values.
type EnumField struct {
	// Pointer is templated: "*" stands for every array index and every key
	// of a map (additionalProperties), e.g. "/approval_blockers/*/blocker_type".
	// "" is the body itself.
	Pointer string
	// Name names the list: the component schema that holds it
	// ("ApplicationFlag"), else the field's own name ("level").
	Name string
	// Values are the listed values in spec order: strings as they are, any
	// other value as JSON ("201", "true"). A listed null is left out: it is
	// not a value to cover.
	Values []string
	// Extensible is true when a schema listing the values marks its enum
	// vendor-extensible (x-extensible-enum, decision D35,
	// docs/decisions.md): a value outside them is drift, not a break.
	Extensible bool
}

// Enums is the enum index of a document: for each operation, response
// and JSON media type, the fields whose schema lists an enum. An
// operation's entry is built the first time it is asked for, not by Parse:
// the walk follows every branch of every schema, which takes seconds on
// vendor specs whose schemas share deep subtrees, and a run asks for a few
// operations only. It is safe for concurrent use.
type Enums struct {
	// byOp maps "METHOD /template" to the operation's lazily built entry.
	byOp map[string]*opEnums
}

// opEnums is the index of one operation, built once.
type opEnums struct {
	op   *openapi3.Operation
	once sync.Once
	// fields maps the response key ("200", "4XX", "default") to the JSON
	// media type to its fields, sorted by pointer; only responses with an
	// enum are keys.
	fields map[string]map[string][]EnumField
	// pointers maps the response key to the pointers of its fields in
	// every JSON media type, built once so the drift walk of every
	// response looks them up without allocating.
	pointers map[string]map[string]bool
}

func indexEnums(ops []Operation) *Enums {
	e := &Enums{byOp: make(map[string]*opEnums, len(ops))}
	for _, o := range ops {
		e.byOp[o.Key()] = &opEnums{op: o.Op}
	}
	return e
}

// entry returns the operation's index, building it on first use; nil for
// an unknown operation.
func (e *Enums) entry(opKey string) *opEnums {
	if e == nil {
		return nil
	}
	oe := e.byOp[opKey]
	if oe == nil {
		return nil
	}
	oe.once.Do(oe.build)
	return oe
}

func (oe *opEnums) build() {
	oe.fields = map[string]map[string][]EnumField{}
	oe.pointers = map[string]map[string]bool{}
	if oe.op.Responses == nil {
		return
	}
	for code, ref := range oe.op.Responses.Map() {
		if ref == nil || ref.Value == nil {
			continue
		}
		byType := map[string][]EnumField{}
		set := map[string]bool{}
		for ct, mt := range ref.Value.Content {
			if mt == nil || mt.Schema == nil || !IsJSON(ct) {
				continue
			}
			if fields := enumFields(mt.Schema); len(fields) > 0 {
				byType[ct] = fields
				for _, f := range fields {
					set[f.Pointer] = true
				}
			}
		}
		if len(byType) > 0 {
			oe.fields[code] = byType
			oe.pointers[code] = set
		}
	}
}

// enumFields lists the fields under schema that list an enum, sorted by
// pointer. It follows $ref, allOf and every oneOf/anyOf branch; a pointer
// two branches give different lists has the union.
func enumFields(schema *openapi3.SchemaRef) []EnumField {
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
		if len(s.Enum) > 0 {
			f := byPtr[ptr]
			if f == nil {
				f = &EnumField{Pointer: ptr, Name: name}
				byPtr[ptr] = f
			}
			f.Extensible = f.Extensible || IsExtensibleEnum(s)
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
			walk(p, jsonpointer.Child(ptr, prop), prop, stack)
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
	return out
}

// Fields lists the fields of the operation's JSON response for status
// whose schema lists an enum, sorted by pointer: the response as OpenAPI
// looks it up (the exact code, its range, then "default"), its first JSON
// media type in sorted order (the one the contract checks). The body
// itself ("") is left out. Nil when nothing is documented. The fields are
// shared: callers must not change them.
func (e *Enums) Fields(opKey string, status int) []EnumField {
	oe := e.entry(opKey)
	if oe == nil {
		return nil
	}
	key := responseKey(oe.op, status)
	byType := oe.fields[key]
	if len(byType) == 0 {
		return nil
	}
	ct, _ := firstJSON(oe.op.Responses.Value(key).Value.Content)
	fields := byType[ct]
	if len(fields) > 0 && fields[0].Pointer == "" {
		fields = fields[1:]
	}
	if len(fields) == 0 {
		return nil
	}
	return fields
}

// Pointers returns the templated pointers of the fields that list an enum
// in any JSON media type of the response the operation with this key
// documents for status, the body itself ("") included; nil when none.
// Only responses with an enum count, so a "200" without one falls through
// to "2XX": the drift walk records every enum the operation may answer with.
func (e *Enums) Pointers(opKey string, status int) map[string]bool {
	oe := e.entry(opKey)
	if oe == nil {
		return nil
	}
	code := strconv.Itoa(status)
	if set, ok := oe.pointers[code]; ok {
		return set
	}
	if status >= 100 && status < 600 {
		if set, ok := oe.pointers[code[:1]+"XX"]; ok {
			return set
		}
	}
	return oe.pointers["default"]
}

// EnumValue renders a decoded JSON value as EnumField lists values: a
// string as it is, anything else as JSON.
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
