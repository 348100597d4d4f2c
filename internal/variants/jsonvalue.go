package variants

import (
	"encoding/json"
	"strconv"

	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/jsontype"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// JSON values here are what encoding/json decodes into an any:
// map[string]any, []any, string, float64, bool and nil.

// normalize turns a value loaded from YAML or built in Go into the plain
// JSON form by a round trip through encoding/json.
func normalize(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// clone deep-copies a JSON value.
func clone(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = clone(e)
		}
		return m
	case []any:
		s := make([]any, len(x))
		for i, e := range x {
			s[i] = clone(e)
		}
		return s
	}
	return v
}

// get returns the value at path, and whether it exists.
func get(root any, path []string) (any, bool) {
	cur := root
	for _, tok := range path {
		switch x := cur.(type) {
		case map[string]any:
			v, ok := x[tok]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(x) {
				return nil, false
			}
			cur = x[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// set returns a copy of root with the value at path replaced by v; the
// parent must exist. An empty path replaces the root.
func set(root any, path []string, v any) (any, bool) {
	if len(path) == 0 {
		return v, true
	}
	out := clone(root)
	parent, ok := get(out, path[:len(path)-1])
	if !ok {
		return nil, false
	}
	last := path[len(path)-1]
	switch x := parent.(type) {
	case map[string]any:
		x[last] = v
	case []any:
		i, err := strconv.Atoi(last)
		if err != nil || i < 0 || i >= len(x) {
			return nil, false
		}
		x[i] = v
	default:
		return nil, false
	}
	return out, true
}

// remove returns a copy of root without the object property at path.
func remove(root any, path []string) (any, bool) {
	if len(path) == 0 {
		return nil, false
	}
	out := clone(root)
	parent, ok := get(out, path[:len(path)-1])
	if !ok {
		return nil, false
	}
	m, ok := parent.(map[string]any)
	if !ok {
		return nil, false
	}
	if _, ok := m[path[len(path)-1]]; !ok {
		return nil, false
	}
	delete(m, path[len(path)-1])
	return out, true
}

// pointer renders path as a JSON pointer, "body" for the root.
func pointer(path []string) string {
	if len(path) == 0 {
		return "body"
	}
	return jsonpointer.FromTokens(path)
}

// render is a short, one-line rendering of a value for descriptions.
func render(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "?"
	}
	return oneline.Clip(string(b), 40)
}

// describe names a value with its type, e.g. `the number 12345`.
func describe(v any) string {
	switch jsontype.Of(v) {
	case "null":
		return "null"
	case "integer", "number":
		return "the number " + render(v)
	case "boolean":
		return "the boolean " + render(v)
	case "string":
		return "the string " + render(v)
	case "array":
		return "an array"
	case "object":
		return "an object"
	}
	return render(v)
}
