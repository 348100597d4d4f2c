package contract

import (
	"bytes"
	"encoding/json"
	"math"
	"math/bits"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// A compiled schema checks a JSON body straight from its bytes, without
// decoding it into maps, and answers whether kin-openapi's check would
// accept it: the request check's success path (issue 7).
//
// It mirrors kin-openapi's OpenAPI 3.0 check in fail-fast mode, keyword by
// keyword: type, nullable, enum, oneOf, anyOf and allOf (with the
// discriminator), properties, required, additionalProperties, min and max
// properties, items, min and max items, minimum, maximum and their
// exclusive forms, integers, min and max length, pattern
// and string formats. It answers accept, reject or unsure, and only accept
// is acted on: the body needs no finding and kin-openapi is not run.
// Anything else goes to kin-openapi, which gives the findings. A keyword it
// does not mirror (not, multipleOf, uniqueItems, a numeric format, a
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
	if s == nil || s.Always != nil || s.Not != nil || s.MultipleOf != nil || s.UniqueItems ||
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
// through oneOf, anyOf or allOf of itself: kin-openapi accepts the value
// there without looking, which the check does not mirror. Properties and
// items apply to other values, so only those three keywords make a cycle.
func (cp *compiler) breakCycles() {
	state := make(map[*compiled]uint8, len(cp.done)) // 1: on the path, 2: done
	var visit func(c *compiled)
	visit = func(c *compiled) {
		state[c] = 1
		for _, bs := range [][]branch{c.oneOf, c.anyOf, c.allOf} {
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

// accepts reports whether kin-openapi would accept body, which must be one
// JSON value and nothing else; false when it would not, or may not.
func (c *compiled) accepts(body []byte) bool {
	if !json.Valid(body) {
		return false // kin-openapi's caller reports the syntax error
	}
	i := skipSpace(body, 0)
	v, _ := c.check(body, i)
	return v == accept
}

// check judges the value starting at b[i]; b is valid JSON. With accept it
// also returns the index just past the value.
func (c *compiled) check(b []byte, i int) (verdict, int) {
	if c.unsupported {
		return unsure, 0
	}
	first := b[i]
	if c.anything {
		if first == 'n' {
			return reject, 0
		}
		return accept, valueEnd(b, i)
	}
	if first == 'n' && c.nullable {
		return accept, i + 4
	}
	if len(c.oneOf)+len(c.anyOf)+len(c.allOf) > 0 {
		if v := c.checkXOf(b, i); v != accept {
			return v, 0
		}
		if first == 'n' {
			return accept, i + 4 // kin-openapi stops at a null its xOf accepted
		}
	}
	if len(c.enum) > 0 {
		if v := c.inEnum(b, i); v != accept {
			return v, 0
		}
	}
	switch first {
	case 'n':
		return reject, 0
	case 't', 'f':
		if c.types&typeBoolean == 0 {
			return reject, 0
		}
		if first == 't' {
			return accept, i + 4
		}
		return accept, i + 5
	case '"':
		return c.checkString(b, i)
	case '[':
		return c.checkArray(b, i)
	case '{':
		return c.checkObject(b, i)
	}
	return c.checkNumber(b, i)
}

func (c *compiled) checkXOf(b []byte, i int) verdict {
	if len(c.oneOf) > 0 {
		ref, v := c.discriminate(b, i)
		if v != accept {
			return v
		}
		ok, doubt := 0, false
		for _, br := range c.oneOf {
			if ref != "" && ref != br.ref {
				continue
			}
			switch v, _ := br.c.check(b, i); v {
			case accept:
				ok++
			case unsure:
				doubt = true
			}
		}
		switch {
		case ok > 1:
			return reject
		case doubt:
			return unsure
		case ok == 0:
			return reject
		}
	}
	if len(c.anyOf) > 0 {
		ref, v := c.discriminate(b, i)
		if v != accept {
			return v
		}
		found, doubt := false, false
		for _, br := range c.anyOf {
			if ref != "" && ref != br.ref {
				continue
			}
			v, _ := br.c.check(b, i)
			if v == accept {
				found = true
				break
			}
			doubt = doubt || v == unsure
		}
		switch {
		case doubt && !found:
			return unsure
		case !found:
			return reject
		}
	}
	for _, br := range c.allOf {
		if v, _ := br.c.check(b, i); v != accept {
			return v
		}
	}
	return accept
}

// discriminate returns the $ref the discriminator picks for the value at
// b[i] ("" for every branch), as kin-openapi resolves it.
func (c *compiled) discriminate(b []byte, i int) (string, verdict) {
	if !c.disc || b[i] != '{' {
		return "", accept
	}
	at := -1
	for j := skipSpace(b, i+1); b[j] != '}'; {
		ke := stringEnd(b, j)
		key := b[j+1 : ke-1]
		if !plainKey(key) {
			return "", unsure
		}
		j = skipSpace(b, skipSpace(b, ke)+1)
		if string(key) == c.discProp {
			if at >= 0 {
				return "", unsure // a duplicate key: the last one counts
			}
			at = j
		}
		j = skipSpace(b, valueEnd(b, j))
		if b[j] == ',' {
			j = skipSpace(b, j+1)
		}
	}
	if at < 0 || b[at] != '"' {
		return "", reject // missing, or not a string
	}
	val, ok := stringValue(b, at)
	if !ok {
		return "", unsure
	}
	ref, known := c.discMap[string(val)]
	if len(c.discMap) > 0 && !known {
		return "", reject
	}
	return ref, accept
}

func (c *compiled) inEnum(b []byte, i int) verdict {
	switch first := b[i]; {
	case first == 'n':
		for _, e := range c.enum {
			if e.kind == 'z' {
				return accept
			}
		}
	case first == 't' || first == 'f':
		for _, e := range c.enum {
			if e.kind == 'b' && e.b == (first == 't') {
				return accept
			}
		}
	case first == '"':
		s, ok := stringValue(b, i)
		if !ok {
			return unsure
		}
		for _, e := range c.enum {
			if e.kind == 's' && e.s == string(s) {
				return accept
			}
		}
	case first == '[' || first == '{':
		// kin-openapi compares arrays and objects too; the enums the check
		// compiles hold none, so nothing matches.
	default:
		f, ok := number(b[i:valueEnd(b, i)])
		if !ok {
			return unsure
		}
		for _, e := range c.enum {
			if e.kind == 'n' && e.f == f {
				return accept
			}
		}
	}
	return reject
}

func (c *compiled) checkNumber(b []byte, i int) (verdict, int) {
	end := valueEnd(b, i)
	if c.types&(typeNumber|typeInteger) == 0 {
		return reject, 0
	}
	f, ok := number(b[i:end])
	if !ok {
		return unsure, 0
	}
	switch {
	case c.integer && f != math.Trunc(f),
		c.hasMin && (f < c.min || c.exclMin && f == c.min),
		c.hasMax && (f > c.max || c.exclMax && f == c.max):
		return reject, 0
	}
	return accept, end
}

func (c *compiled) checkString(b []byte, i int) (verdict, int) {
	end := stringEnd(b, i)
	if c.types&typeString == 0 {
		return reject, 0
	}
	s, ok := stringValue(b, i)
	if !ok {
		return unsure, 0
	}
	if c.minLen != 0 || c.hasMaxLen {
		n := uint64(0)
		for _, r := range string(s) {
			if utf16.IsSurrogate(r) {
				n += 2
			} else {
				n++
			}
		}
		if n < c.minLen || c.hasMaxLen && n > c.maxLen {
			return reject, 0
		}
	}
	if c.pattern != nil && !c.pattern.Match(s) {
		return reject, 0
	}
	if c.format != "" {
		f := c.docFormat
		if f == nil {
			f = openapi3.SchemaStringFormats[c.format] // looked up per check, as kin-openapi does
		}
		if f != nil && f.Validate(string(s)) != nil {
			return reject, 0
		}
	}
	return accept, end
}

func (c *compiled) checkArray(b []byte, i int) (verdict, int) {
	if c.types&typeArray == 0 {
		return reject, 0
	}
	n := 0
	j := skipSpace(b, i+1)
	for b[j] != ']' {
		var end int
		if c.items != nil {
			var v verdict
			if v, end = c.items.check(b, j); v != accept {
				return v, 0
			}
		} else {
			end = valueEnd(b, j)
		}
		n++
		j = skipSpace(b, end)
		if b[j] == ',' {
			j = skipSpace(b, j+1)
		}
	}
	if uint64(n) < c.minItems || c.hasMaxItems && uint64(n) > c.maxItems {
		return reject, 0
	}
	return accept, j + 1
}

func (c *compiled) checkObject(b []byte, i int) (verdict, int) {
	if c.types&typeObject == 0 {
		return reject, 0
	}
	var keys [maxKeys][]byte
	n := 0
	var required uint64
	j := skipSpace(b, i+1)
	for b[j] != '}' {
		ke := stringEnd(b, j)
		key := b[j+1 : ke-1]
		if !plainKey(key) || n == maxKeys {
			return unsure, 0
		}
		for _, k := range keys[:n] {
			if bytes.Equal(k, key) {
				return unsure, 0 // a duplicate key: the last one counts
			}
		}
		keys[n] = key
		n++
		j = skipSpace(b, skipSpace(b, ke)+1)
		m, known := c.members[string(key)]
		var v verdict
		var end int
		switch {
		case known && m.c != nil:
			v, end = m.c.check(b, j)
		case c.closed:
			return reject, 0
		case c.additional != nil:
			v, end = c.additional.check(b, j)
		default:
			v, end = accept, valueEnd(b, j)
		}
		if v == reject && !keysAhead(b, end, j, keys[:n]) {
			// A later member may replace this value (encoding/json keeps
			// the last of duplicate keys): kin-openapi may not see it.
			return unsure, 0
		}
		if v != accept {
			return v, 0
		}
		if known && m.req >= 0 {
			required |= 1 << m.req
		}
		j = skipSpace(b, end)
		if b[j] == ',' {
			j = skipSpace(b, j+1)
		}
	}
	switch {
	case uint64(n) < c.minProps, c.hasMaxProps && uint64(n) > c.maxProps,
		bits.OnesCount64(required) != c.required:
		return reject, 0
	}
	return accept, j + 1
}

// keysAhead reports whether the members after the value at b[from] (end
// when the value was accepted, else 0) all have plain keys that differ from
// seen and from each other: no later member replaces an earlier one.
func keysAhead(b []byte, end, from int, seen [][]byte) bool {
	if end == 0 {
		end = valueEnd(b, from)
	}
	keys := append([][]byte(nil), seen...)
	for j := skipSpace(b, end); b[j] == ','; {
		j = skipSpace(b, j+1)
		ke := stringEnd(b, j)
		key := b[j+1 : ke-1]
		if !plainKey(key) {
			return false
		}
		for _, k := range keys {
			if bytes.Equal(k, key) {
				return false
			}
		}
		keys = append(keys, key)
		j = skipSpace(b, valueEnd(b, skipSpace(b, skipSpace(b, ke)+1)))
	}
	return true
}

// plainKey reports whether a key's bytes are the key itself: no escape and
// valid UTF-8 (which encoding/json would replace).
func plainKey(k []byte) bool {
	return bytes.IndexByte(k, '\\') < 0 && utf8.Valid(k)
}

// stringValue returns the string at b[i] as encoding/json decodes it;
// false if it cannot be decoded (which valid JSON rules out).
func stringValue(b []byte, i int) ([]byte, bool) {
	end := stringEnd(b, i)
	raw := b[i+1 : end-1]
	if plainKey(raw) {
		return raw, true
	}
	var s string
	if err := json.Unmarshal(b[i:end], &s); err != nil {
		return nil, false
	}
	return []byte(s), true
}

// number reads a JSON number as kin-openapi does (json.Number's Float64);
// false when that fails (out of range).
func number(raw []byte) (float64, bool) {
	f, err := strconv.ParseFloat(string(raw), 64)
	return f, err == nil
}

// The scanner below walks JSON already known to be valid (json.Valid).

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// stringEnd returns the index just past the string starting at b[i].
func stringEnd(b []byte, i int) int {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd returns the index just past the value starting at b[i].
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				i = stringEnd(b, i) - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
		}
		return len(b)
	}
	for i < len(b) && !isSpace(b[i]) && b[i] != ',' && b[i] != '}' && b[i] != ']' {
		i++
	}
	return i
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
