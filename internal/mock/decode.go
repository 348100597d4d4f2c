package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// Request bodies are read field by field, so that each refusal names the
// field and says what was wrong with it: "collected_data.entity_type: got
// number, want string". Unknown fields are ignored (the contract says so).

// object is a decoded JSON object whose values are still raw: its members
// in order, looked up from the last, so the last of duplicate keys wins, as
// with encoding/json. Request objects have a handful of keys: a slice
// costs one allocation where a map costs one per key and more.
type object []field

type field struct {
	key []byte
	val json.RawMessage
}

// value returns the value of key, nil if absent.
func (o object) value(key string) json.RawMessage {
	v, _ := o.get(key)
	return v
}

// get returns the value of key.
func (o object) get(key string) (json.RawMessage, bool) {
	for i := len(o) - 1; i >= 0; i-- {
		if string(o[i].key) == key {
			return o[i].val, true
		}
	}
	return nil, false
}

// jsonKind names the JSON type of a raw value by its first byte.
func jsonKind(raw json.RawMessage) string {
	raw = bytes.TrimLeft(raw, " \t\r\n")
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "boolean"
	case 'n':
		return "null"
	}
	return "number"
}

func wrongType(where string, raw json.RawMessage, want string) *apiError {
	return invalid("%s: got %s, want %s", where, jsonKind(raw), want)
}

// parseBody decodes a request body that must be a JSON object; knownJSON
// says its syntax has been checked already (by the contract check).
func parseBody(body []byte, knownJSON bool) (object, *apiError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, invalid("The request body is empty: want a JSON object")
	}
	if !knownJSON && !json.Valid(body) {
		return nil, invalid("The request body is not valid JSON")
	}
	return asObject(body, "body")
}

func asObject(raw json.RawMessage, where string) (object, *apiError) {
	if jsonKind(raw) != "object" {
		return nil, wrongType(where, raw, "object")
	}
	if o, ok := splitObject(raw); ok {
		return o, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, invalid("%s: %s", where, err.Error())
	}
	o := make(object, 0, len(m))
	for k, v := range m {
		o = append(o, field{key: []byte(k), val: v})
	}
	return o, nil
}

// Request bodies are validated once (json.Valid in parseBody); the values
// inside are then split without encoding/json's reflection. The splitters
// below report false on anything they do not expect (an escaped key, a
// malformed value), and the callers fall back to encoding/json, which then
// says what is wrong.

// splitObject splits a JSON object into its members, values left raw; the
// last of duplicate keys wins, as with encoding/json.
func splitObject(raw []byte) (object, bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return nil, false
	}
	// Members collect on the stack, then move to one heap slice of the
	// right size: request objects have a handful of members.
	var local [16]field
	o := object(local[:0])
	done := func() (object, bool) {
		return append(make(object, 0, len(o)), o...), skipSpace(raw, i+1) == len(raw)
	}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == '}' {
		return done()
	}
	for {
		if i >= len(raw) || raw[i] != '"' {
			return nil, false
		}
		end, ok := skipString(raw, i)
		if !ok {
			return nil, false
		}
		key := raw[i+1 : end-1]
		if bytes.IndexByte(key, '\\') >= 0 || !utf8.Valid(key) {
			return nil, false // an escaped or invalid key: encoding/json decides
		}
		i = skipSpace(raw, end)
		if i >= len(raw) || raw[i] != ':' {
			return nil, false
		}
		i = skipSpace(raw, i+1)
		vend, ok := skipValue(raw, i)
		if !ok {
			return nil, false
		}
		o = append(o, field{key: key, val: raw[i:vend:vend]})
		i = skipSpace(raw, vend)
		if i >= len(raw) {
			return nil, false
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case '}':
			return done()
		default:
			return nil, false
		}
	}
}

// splitArray splits a JSON array into its items, left raw.
func splitArray(raw []byte) ([]json.RawMessage, bool) {
	i := skipSpace(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return nil, false
	}
	out := []json.RawMessage{}
	i = skipSpace(raw, i+1)
	if i < len(raw) && raw[i] == ']' {
		return out, skipSpace(raw, i+1) == len(raw)
	}
	for {
		end, ok := skipValue(raw, i)
		if !ok {
			return nil, false
		}
		out = append(out, raw[i:end:end])
		i = skipSpace(raw, end)
		if i >= len(raw) {
			return nil, false
		}
		switch raw[i] {
		case ',':
			i = skipSpace(raw, i+1)
		case ']':
			return out, skipSpace(raw, i+1) == len(raw)
		default:
			return nil, false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index just after the string starting at b[i] ('"').
func skipString(b []byte, i int) (int, bool) {
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return 0, false
}

// skipValue returns the index just after the value starting at b[i]:
// strings and nested objects and arrays are skipped whole, scalars up to
// the next delimiter.
func skipValue(b []byte, i int) (int, bool) {
	if i >= len(b) {
		return 0, false
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for ; i < len(b); i++ {
			switch b[i] {
			case '"':
				end, ok := skipString(b, i)
				if !ok {
					return 0, false
				}
				i = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1, true
				}
			}
		}
		return 0, false
	}
	start := i
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '\r' {
		i++
	}
	return i, i > start
}

// plainString returns the contents of a JSON string without escapes, as
// encoding/json would decode it; false if it has escapes or invalid UTF-8.
func plainString(raw []byte) (string, bool) {
	if len(raw) < 2 || raw[0] != '"' || raw[len(raw)-1] != '"' {
		return "", false
	}
	in := raw[1 : len(raw)-1]
	for _, c := range in {
		if c == '\\' || c == '"' || c < 0x20 {
			return "", false
		}
	}
	if !utf8.Valid(in) {
		return "", false
	}
	return string(in), true
}

func join(where, key string) string {
	if where == "" || where == "body" {
		return key
	}
	return where + "." + key
}

// has reports whether key is present (null counts as present: it is then a wrong type).
func (o object) has(key string) bool { _, ok := o.get(key); return ok }

// missingKeys refuses, with code 101 naming them all, an object without
// some of keys.
func (o object) missingKeys(where string, keys ...string) *apiError {
	var miss []string
	for _, k := range keys {
		if !o.has(k) {
			miss = append(miss, join(where, k))
		}
	}
	if len(miss) > 0 {
		return missing(miss...)
	}
	return nil
}

// required reads a string field that must be there (400 with code 101 if not).
func (o object) required(where, key string) (string, *apiError) {
	if !o.has(key) {
		return "", missing(join(where, key))
	}
	v, _, e := o.str(where, key)
	return v, e
}

// str reads an optional string field.
func (o object) str(where, key string) (string, bool, *apiError) {
	raw, ok := o.get(key)
	if !ok {
		return "", false, nil
	}
	if v, ok := plainString(raw); ok {
		return v, true, nil
	}
	var v string
	if jsonKind(raw) != "string" || json.Unmarshal(raw, &v) != nil {
		return "", false, wrongType(join(where, key), raw, "string")
	}
	return v, true, nil
}

// nullableStr reads an optional string field that may be null (null reads as absent).
func (o object) nullableStr(where, key string) (string, bool, *apiError) {
	if raw, ok := o.get(key); ok && jsonKind(raw) == "null" {
		return "", false, nil
	}
	return o.str(where, key)
}

// boolean reads an optional boolean field.
func (o object) boolean(where, key string) (bool, bool, *apiError) {
	raw, ok := o.get(key)
	if !ok {
		return false, false, nil
	}
	var v bool
	if jsonKind(raw) != "boolean" || json.Unmarshal(raw, &v) != nil {
		return false, false, wrongType(join(where, key), raw, "boolean")
	}
	return v, true, nil
}

// number reads an optional number field.
func (o object) number(where, key string) (float64, bool, *apiError) {
	raw, ok := o.get(key)
	if !ok {
		return 0, false, nil
	}
	var v float64
	if jsonKind(raw) != "number" || json.Unmarshal(raw, &v) != nil {
		return 0, false, wrongType(join(where, key), raw, "number")
	}
	return v, true, nil
}

// obj reads an optional object field.
func (o object) obj(where, key string) (object, bool, *apiError) {
	raw, ok := o.get(key)
	if !ok {
		return nil, false, nil
	}
	v, err := asObject(raw, join(where, key))
	if err != nil {
		return nil, false, err
	}
	return v, true, nil
}

// arr reads an optional array field.
func (o object) arr(where, key string) ([]json.RawMessage, bool, *apiError) {
	raw, ok := o.get(key)
	if !ok {
		return nil, false, nil
	}
	if jsonKind(raw) == "array" {
		if v, ok := splitArray(raw); ok {
			return v, true, nil
		}
	}
	var v []json.RawMessage
	if jsonKind(raw) != "array" || json.Unmarshal(raw, &v) != nil {
		return nil, false, wrongType(join(where, key), raw, "array")
	}
	return v, true, nil
}

// strings reads an optional array of strings.
func (o object) strings(where, key string) ([]string, bool, *apiError) {
	items, ok, err := o.arr(where, key)
	if err != nil || !ok {
		return nil, ok, err
	}
	out := make([]string, len(items))
	for i, raw := range items {
		if v, ok := plainString(raw); ok {
			out[i] = v
			continue
		}
		if jsonKind(raw) != "string" || json.Unmarshal(raw, &out[i]) != nil {
			return nil, false, wrongType(fmt.Sprintf("%s[%d]", join(where, key), i), raw, "string")
		}
	}
	return out, true, nil
}

// enum reads an optional string field whose value must be one of names.
func (o object) enum(where, key string, names []string) (uint8, bool, *apiError) {
	v, ok, err := o.str(where, key)
	if err != nil || !ok {
		return 0, ok, err
	}
	i, known := index(names, v)
	if !known {
		return 0, false, invalid("%s: got %q, want one of %s", join(where, key), v, list(names))
	}
	return i, true, nil
}

// ids reads an optional array of ids.
func (o object) ids(where, key string) ([]id, bool, *apiError) {
	items, ok, err := o.strings(where, key)
	if err != nil || !ok {
		return nil, ok, err
	}
	out := make([]id, len(items))
	for i, s := range items {
		x, good := parseID(s)
		if !good {
			return nil, false, invalid("%s[%d]: got %q, want an 8-4-4-4-12 hex id", join(where, key), i, s)
		}
		out[i] = x
	}
	return out, true, nil
}

// Formats of the contract's scalar strings.

func isCountryCode(s string) bool {
	return len(s) == 3 && isUpper(s[0]) && isUpper(s[1]) && isUpper(s[2])
}

func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// isPartialDate matches YYYY, YYYY-MM or YYYY-MM-DD with a valid month and day number.
func isPartialDate(s string) bool {
	switch len(s) {
	case 4:
		return isDigits(s)
	case 7:
		return isDigits(s[:4]) && s[4] == '-' && isMonth(s[5:7])
	case 10:
		return isDigits(s[:4]) && s[4] == '-' && isMonth(s[5:7]) && s[7] == '-' && isDay(s[8:10])
	}
	return false
}

func isMonth(s string) bool { return isDigits(s) && s >= "01" && s <= "12" }
func isDay(s string) bool   { return isDigits(s) && s >= "01" && s <= "31" }

// compact returns raw without insignificant white space.
func compact(raw json.RawMessage) []byte {
	var b bytes.Buffer
	if err := json.Compact(&b, raw); err != nil {
		return append([]byte(nil), raw...)
	}
	return b.Bytes()
}
