package contract

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// A compiled schema checks a JSON body straight from its bytes, without
// decoding it into maps, and answers whether kin-openapi's check would
// accept it: the request check's success path. compiled.go
// builds it from a schema; compiled_check.go runs it over a body's bytes.
//
// It mirrors kin-openapi's OpenAPI 3.0 check in fail-fast mode, keyword by
// keyword: type, nullable, enum, not, oneOf, anyOf and allOf (with the
// discriminator), properties, required, additionalProperties, min and max
// properties, items, min and max items, minimum, maximum and their
// exclusive forms, integers, min and max length, pattern
// and string formats. It answers accept, reject or unsure, and only accept
// is acted on: the body needs no finding and kin-openapi is not run.
// Anything else goes to kin-openapi, which gives the findings. A keyword it
// does not mirror (multipleOf, uniqueItems, a numeric format, a
// boolean schema, an unresolved reference, schemas that apply to the same
// value in a cycle), a duplicate or escaped object key, or a number
// strconv cannot read makes it unsure. So it can make a check faster but
// never change its outcome; FuzzCompiledAgreesWithKin and the tests in
// compiled_test.go hold it to kin-openapi's answers.
type compiled struct {
	unsupported bool // answers unsure for every value
	anything    bool // the empty schema: any value, null only if nullable
	nullable    bool
	types       uint8 // the JSON types Type permits (type* bits)
	enum        []enumValue

	not                 *compiled // a value it accepts is rejected; nil for none
	oneOf, anyOf, allOf []branch
	disc                bool              // oneOf or anyOf has a discriminator
	discProp            string            // its property (which may be "")
	discMap             map[string]string // discriminator value → the $ref of its branch

	integer            bool // type integer and not number: whole numbers only
	min, max           float64
	hasMin, hasMax     bool
	exclMin, exclMax   bool
	minLen, maxLen     uint64
	hasMaxLen          bool
	pattern            *regexp.Regexp
	format             string                         // "" for none
	docFormat          openapi3.StringFormatValidator // the document's own validator of format, if it has one
	items              *compiled
	minItems, maxItems uint64
	hasMaxItems        bool
	members            map[string]member
	required           int // how many distinct names required lists, at most maxRequired
	closed             bool
	additional         *compiled
	minProps, maxProps uint64
	hasMaxProps        bool
}

type branch struct {
	ref string // the $ref the branch was written with, "" if inline
	c   *compiled
}

// member is what an object schema says about one property name.
type member struct {
	c   *compiled // nil: not in properties (only in required)
	req int       // bit of the name in the required set, -1 if not required
}

type enumValue struct {
	kind byte // 's' string, 'n' number, 'b' boolean, 'z' null
	s    string
	f    float64
	b    bool
}

// The JSON types a schema's type permits.
const (
	typeBoolean uint8 = 1 << iota
	typeNumber
	typeInteger
	typeString
	typeArray
	typeObject
)

// maxKeys bounds the keys of one object the check keeps apart; an object
// with more is left to kin-openapi.
const maxKeys = 64

// maxRequired bounds the names a schema's required lists (a bit each).
const maxRequired = 64

type verdict uint8

const (
	unsure verdict = iota
	accept
	reject
)

// compiler turns kin-openapi schemas into compiled ones, each once.
type compiler struct {
	done    map[*openapi3.Schema]*compiled
	order   []*compiled                               // done's values in the order compiled
	formats map[string]openapi3.StringFormatValidator // the document's own, before kin-openapi's global ones
}

// kinCodepoint is kin-openapi's rewrite of a pattern's \uXXXX escapes (upper-case hex only).
var kinCodepoint = regexp.MustCompile(`(\\u)([0-9A-F]{4})`)

func (cp *compiler) compile(s *openapi3.Schema) *compiled {
	if c, ok := cp.done[s]; ok {
		return c
	}
	c := &compiled{}
	cp.done[s] = c // before the children: a schema may contain itself
	cp.order = append(cp.order, c)
	// The keywords kin-openapi's 3.0 check does not apply as the check
	// mirrors them: left to kin-openapi. (Bodies are compiled for OpenAPI
	// 3.0 documents only; the 3.1 forms are refused here all the same.)
	if s == nil || s.Always != nil || s.MultipleOf != nil || s.UniqueItems ||
		s.Type.IncludesNull() || s.ExclusiveMin.Value != nil || s.ExclusiveMax.Value != nil || len(s.PrefixItems) > 0 {
		c.unsupported = true
		return c
	}
	if s.IsEmpty() { // never nullable: nullable makes a schema non-empty
		c.anything = true
		return c
	}
	c.nullable = s.Nullable
	c.types = typesOf(s.Type)
	if n := s.Not; n != nil {
		if n.Value == nil {
			c.unsupported = true
			return c
		}
		c.not = cp.compile(n.Value)
	}
	for _, e := range s.Enum {
		v, ok := enumOf(e)
		if !ok {
			c.unsupported = true
			return c
		}
		c.enum = append(c.enum, v)
	}
	var ok bool
	if c.oneOf, ok = cp.branches(s.OneOf); !ok {
		c.unsupported = true
	}
	if c.anyOf, ok = cp.branches(s.AnyOf); !ok {
		c.unsupported = true
	}
	if c.allOf, ok = cp.branches(s.AllOf); !ok {
		c.unsupported = true
	}
	if d := s.Discriminator; d != nil && (len(s.OneOf) > 0 || len(s.AnyOf) > 0) {
		c.disc, c.discProp = true, d.PropertyName
		c.discMap = make(map[string]string, len(d.Mapping))
		for k, m := range d.Mapping {
			ref := m.Ref
			if ref != "" && !strings.Contains(ref, "/") {
				ref = "#/components/schemas/" + ref
			}
			c.discMap[k] = ref
		}
	}

	// Numbers.
	if s.Format != "" && (c.types&(typeNumber|typeInteger) != 0) {
		c.unsupported = true // numeric formats are not mirrored
	}
	c.integer = s.Type.Permits(openapi3.TypeInteger) && !s.Type.Permits(openapi3.TypeNumber)
	if s.Min != nil {
		c.min, c.hasMin = *s.Min, true
	}
	if s.Max != nil {
		c.max, c.hasMax = *s.Max, true
	}
	c.exclMin = s.ExclusiveMin.Bool != nil && *s.ExclusiveMin.Bool && s.Min != nil
	c.exclMax = s.ExclusiveMax.Bool != nil && *s.ExclusiveMax.Bool && s.Max != nil

	// Strings.
	c.minLen = s.MinLength
	if s.MaxLength != nil {
		c.maxLen, c.hasMaxLen = *s.MaxLength, true
	}
	if s.Pattern != "" {
		re, err := regexp.Compile(kinCodepoint.ReplaceAllString(s.Pattern, `\x{$2}`))
		if err != nil {
			c.unsupported = true
		}
		c.pattern = re
	}
	c.format, c.docFormat = s.Format, cp.formats[s.Format]

	// Arrays.
	c.minItems = s.MinItems
	if s.MaxItems != nil {
		c.maxItems, c.hasMaxItems = *s.MaxItems, true
	}
	if s.Items != nil {
		if s.Items.Value == nil {
			c.unsupported = true
		} else {
			c.items = cp.compile(s.Items.Value)
		}
	}

	// Objects.
	c.minProps = s.MinProps
	if s.MaxProps != nil {
		c.maxProps, c.hasMaxProps = *s.MaxProps, true
	}
	c.members = make(map[string]member, len(s.Properties)+len(s.Required))
	for name, p := range s.Properties {
		if p == nil || p.Value == nil {
			c.unsupported = true
			continue
		}
		c.members[name] = member{c: cp.compile(p.Value), req: -1}
	}
	for _, name := range s.Required {
		m, ok := c.members[name]
		if ok && m.req >= 0 {
			continue // named twice
		}
		if !ok {
			m.req = -1
		}
		if c.required == maxRequired {
			c.unsupported = true
			break
		}
		m.req = c.required
		c.required++
		c.members[name] = m
	}
	if has := s.AdditionalProperties.Has; has != nil && !*has {
		c.closed = true
	}
	if ap := s.AdditionalProperties.Schema; ap != nil {
		if ap.Value == nil {
			c.unsupported = true
		} else {
			c.additional = cp.compile(ap.Value)
		}
	}
	return c
}

func (cp *compiler) branches(refs openapi3.SchemaRefs) ([]branch, bool) {
	var out []branch
	for _, r := range refs {
		if r == nil || r.Value == nil {
			return nil, false
		}
		out = append(out, branch{ref: r.Ref, c: cp.compile(r.Value)})
	}
	return out, true
}

// breakCycles marks unsupported every schema that applies to a value again
// through not, oneOf, anyOf or allOf of itself: kin-openapi accepts the value
// there without looking, which the check does not mirror. Properties and
// items apply to other values, so only those four keywords make a cycle.
func (cp *compiler) breakCycles() {
	state := make(map[*compiled]uint8, len(cp.done)) // 1: on the path, 2: done
	var visit func(c *compiled)
	visit = func(c *compiled) {
		state[c] = 1
		var not []branch
		if c.not != nil {
			not = []branch{{c: c.not}}
		}
		for _, bs := range [][]branch{not, c.oneOf, c.anyOf, c.allOf} {
			for _, b := range bs {
				switch state[b.c] {
				case 0:
					visit(b.c)
				case 1:
					b.c.unsupported = true
				}
			}
		}
		state[c] = 2
	}
	for _, c := range cp.order { // in a fixed order: the same schemas are marked every time
		if state[c] == 0 {
			visit(c)
		}
	}
}

func typesOf(t *openapi3.Types) uint8 {
	if t == nil {
		return typeBoolean | typeNumber | typeInteger | typeString | typeArray | typeObject
	}
	var m uint8
	for _, name := range *t {
		switch name {
		case openapi3.TypeBoolean:
			m |= typeBoolean
		case openapi3.TypeNumber:
			m |= typeNumber
		case openapi3.TypeInteger:
			m |= typeInteger
		case openapi3.TypeString:
			m |= typeString
		case openapi3.TypeArray:
			m |= typeArray
		case openapi3.TypeObject:
			m |= typeObject
		}
	}
	return m
}

func enumOf(e any) (enumValue, bool) {
	switch x := e.(type) {
	case nil:
		return enumValue{kind: 'z'}, true
	case string:
		return enumValue{kind: 's', s: x}, true
	case bool:
		return enumValue{kind: 'b', b: x}, true
	}
	if f, ok := jsonNumberAsFloat64(e); ok {
		return enumValue{kind: 'n', f: f}, true
	}
	return enumValue{}, false // arrays and objects are left to kin-openapi
}

// jsonNumberAsFloat64 mirrors kin-openapi's reading of a number in an enum.
func jsonNumberAsFloat64(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

// compileBodies compiles the request body schemas of every operation.
// formats are the document's own string formats.
func compileBodies(ops []Operation, r router, formats map[string]openapi3.StringFormatValidator) map[*openapi3.Schema]*compiled {
	cp := &compiler{done: map[*openapi3.Schema]*compiled{}, formats: formats}
	out := map[*openapi3.Schema]*compiled{}
	for _, op := range ops {
		rb := r.byOp[op.String()].kin.RequestBody
		if rb == nil || rb.Value == nil {
			continue
		}
		for _, mt := range rb.Value.Content {
			if mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
				out[mt.Schema.Value] = cp.compile(mt.Schema.Value)
			}
		}
	}
	cp.breakCycles()
	return out
}
