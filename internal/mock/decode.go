package mock

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Request bodies are read field by field, so that each refusal names the
// field and says what was wrong with it: "collected_data.entity_type: got
// number, want string". Unknown fields are ignored (the contract says so).

// object is a decoded JSON object whose values are still raw.
type object map[string]json.RawMessage

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

// parseBody decodes a request body that must be a JSON object.
func parseBody(body []byte) (object, *apiError) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, invalid("The request body is empty: want a JSON object")
	}
	if !json.Valid(body) {
		return nil, invalid("The request body is not valid JSON")
	}
	return asObject(body, "body")
}

func asObject(raw json.RawMessage, where string) (object, *apiError) {
	if jsonKind(raw) != "object" {
		return nil, wrongType(where, raw, "object")
	}
	var o object
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, invalid("%s: %s", where, err.Error())
	}
	return o, nil
}

func join(where, key string) string {
	if where == "" || where == "body" {
		return key
	}
	return where + "." + key
}

// has reports whether key is present (null counts as present: it is then a wrong type).
func (o object) has(key string) bool { _, ok := o[key]; return ok }

// str reads an optional string field.
func (o object) str(where, key string) (string, bool, *apiError) {
	raw, ok := o[key]
	if !ok {
		return "", false, nil
	}
	var v string
	if jsonKind(raw) != "string" || json.Unmarshal(raw, &v) != nil {
		return "", false, wrongType(join(where, key), raw, "string")
	}
	return v, true, nil
}

// nullableStr reads an optional string field that may be null (null reads as absent).
func (o object) nullableStr(where, key string) (string, bool, *apiError) {
	if raw, ok := o[key]; ok && jsonKind(raw) == "null" {
		return "", false, nil
	}
	return o.str(where, key)
}

// boolean reads an optional boolean field.
func (o object) boolean(where, key string) (bool, bool, *apiError) {
	raw, ok := o[key]
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
	raw, ok := o[key]
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
	raw, ok := o[key]
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
	raw, ok := o[key]
	if !ok {
		return nil, false, nil
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
