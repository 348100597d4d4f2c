package contract

import (
	"bytes"
	"encoding/json"
	"math"
	"math/bits"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// The byte-level run of a compiled schema (compiled.go): one pass over a
// body already known to be valid JSON, answering accept, reject or unsure.

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
	if c.not != nil { // before the xOf keywords, as kin-openapi
		switch v, _ := c.not.check(b, i); v {
		case accept:
			return reject, 0
		case unsure:
			return unsure, 0
		}
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
