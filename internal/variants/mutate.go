package variants

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/jsontype"
)

// walk derives the invalid body variants at path and below. root is a valid
// body in which the value at path exists (an optional property the base does
// not have is inserted first, with a minimal valid value, so that its own
// rules can be broken). seen counts the schemas on the current path, so a
// recursive schema is entered once.
func (g *opGen) walk(s *openapi3.Schema, root any, path []string, depth int, seen map[*openapi3.Schema]int) {
	if s == nil || depth > maxDepth || seen[s] > 1 {
		return
	}
	seen[s]++
	defer func() { seen[s]-- }()

	value, _ := get(root, path)
	g.nodeMutations(s, root, path, value)
	vw := viewOf(s, value, true)
	switch x := value.(type) {
	case map[string]any:
		for _, name := range vw.required {
			if _, ok := x[name]; !ok {
				continue
			}
			p := appendPath(path, name)
			if body, ok := remove(root, p); ok {
				g.emit(RuleMissingRequired, p, body, fmt.Sprintf("missing required %q", jsonpointer.DottedTokens(p)))
			}
		}
		if vw.closed {
			p := appendPath(path, unknownField)
			if body, ok := set(root, p, "unexpected"); ok {
				g.emit(RuleUnknownFieldClosed, p, body, fmt.Sprintf("an unknown field %q where the schema allows none", jsonpointer.DottedTokens(p)))
			}
		}
		for _, name := range sortedKeys(vw.props) {
			child := vw.props[name]
			p := appendPath(path, name)
			if _, ok := x[name]; ok {
				g.walk(child, root, p, depth+1, seen)
				continue
			}
			ins, ok := g.syn.synth(child, nil, false, 0)
			if !ok {
				g.drop("insert", pointer(p), "no valid value could be built for the optional property")
				continue
			}
			next, _ := set(root, p, ins)
			if msg := firstError(g.body, next); msg != "" {
				g.drop("insert", pointer(p), "the body with the optional property added is not valid: "+msg)
				continue
			}
			g.walk(child, next, p, depth+1, seen)
		}
	case []any:
		if vw.items == nil {
			return
		}
		p := appendPath(path, "0")
		if len(x) > 0 {
			g.walk(vw.items, root, p, depth+1, seen)
			return
		}
		item, ok := g.syn.synth(vw.items, nil, false, 0)
		if !ok {
			g.drop("insert", pointer(p), "no valid item could be built for the array")
			return
		}
		next, _ := set(root, path, []any{item})
		if msg := firstError(g.body, next); msg != "" {
			g.drop("insert", pointer(p), "the body with one array item added is not valid: "+msg)
			return
		}
		g.walk(vw.items, next, p, depth+1, seen)
	}
}

func appendPath(path []string, tok string) []string {
	return append(slices.Clone(path), tok)
}

// emit adds the invalid variant that sends body, unless body still
// validates against the request body schema: then the target would be right
// to accept it, so it is dropped (no false positives).
func (g *opGen) emit(rule string, path []string, body any, desc string) {
	loc := pointer(path)
	if validates(g.body, body) {
		g.drop(rule, loc, "still valid against the request body schema: "+desc)
		return
	}
	b, err := json.Marshal(body)
	if err != nil {
		g.drop(rule, loc, "does not encode as JSON: "+err.Error())
		return
	}
	v := g.variant(rule, loc, desc)
	v.Body = b
	g.add(v)
}

// nodeMutations breaks the rules of the value at path, one at a time: its
// type, enum, pattern or format, length, range and item count.
func (g *opGen) nodeMutations(s *openapi3.Schema, root any, path []string, value any) {
	name := jsonpointer.DottedTokens(path)
	replace := func(rule string, v any, desc string) {
		if body, ok := set(root, path, v); ok {
			g.emit(rule, path, body, desc)
		}
	}
	types := typesOf(s, 0)
	if types != nil {
		if w, ok := wrongValue(types); ok {
			replace(RuleWrongType, w, fmt.Sprintf("%q is %s, want %s", name, describe(w), strings.Join(nonNull(types), " or ")))
		}
	}
	if e := enumOf(s); len(e) > 0 {
		if w, ok := g.outsideEnum(e); ok {
			replace(RuleOutsideEnum, w, fmt.Sprintf("%q is %s, outside the enum", name, render(w)))
		}
		return // an enum pins the value: format, length and range add nothing
	}
	switch primary(types) {
	case "string":
		if constrained(s) {
			for _, c := range []string{"not-a-valid-value", "x"} {
				if !validates(s, c) {
					replace(RuleBadFormat, c, fmt.Sprintf("%q is %q, which breaks its pattern or format", name, c))
					break
				}
			}
		}
		if n, ok := maxLength(s); ok {
			if n+1 > uint64(g.opts.MaxStringLength) {
				g.drop(RuleTooLong, pointer(path), fmt.Sprintf("maxLength+1 (%d) is over MaxStringLength (%d)", n+1, g.opts.MaxStringLength))
			} else {
				replace(RuleTooLong, strings.Repeat("a", int(n)+1), fmt.Sprintf("%q is %d characters, want at most %d", name, n+1, n))
			}
		}
		if n := minLength(s); n > 0 && n <= uint64(g.opts.MaxStringLength) {
			replace(RuleTooShort, strings.Repeat("a", int(n)-1), fmt.Sprintf("%q is %d characters, want at least %d", name, n-1, n))
		}
	case "integer", "number":
		step := 1.0
		if primary(types) == "number" {
			step = 0.5
		}
		if b, ok := minimum(s); ok {
			w := b.value - step
			if b.exclusive {
				w = b.value
			}
			replace(RuleBelowMinimum, w, fmt.Sprintf("%q is %s, under the minimum %s", name, render(w), render(b.value)))
		}
		if b, ok := maximum(s); ok {
			w := b.value + step
			if b.exclusive {
				w = b.value
			}
			replace(RuleAboveMaximum, w, fmt.Sprintf("%q is %s, over the maximum %s", name, render(w), render(b.value)))
		}
	case "array":
		arr, _ := value.([]any)
		if n, ok := find(s, func(s *openapi3.Schema) (uint64, bool) { return s.MinItems, s.MinItems > 0 }); ok && len(arr) >= int(n) {
			replace(RuleTooFewItems, slices.Clone(arr[:n-1]), fmt.Sprintf("%q has %d items, want at least %d", name, n-1, n))
		}
		if n, ok := find(s, func(s *openapi3.Schema) (uint64, bool) {
			if s.MaxItems == nil {
				return 0, false
			}
			return *s.MaxItems, true
		}); ok && len(arr) > 0 && n < 1000 {
			many := make([]any, 0, n+1)
			for uint64(len(many)) < n+1 {
				many = append(many, clone(arr[len(many)%len(arr)]))
			}
			replace(RuleTooManyItems, many, fmt.Sprintf("%q has %d items, want at most %d", name, n+1, n))
		}
	}
}

func nonNull(types []string) []string {
	out := make([]string, 0, len(types))
	for _, t := range types {
		if t != "null" {
			out = append(out, t)
		}
	}
	return out
}

// wrongValue is a value of a JSON type types does not allow, chosen to look
// like a client's typical mistake: a number sent as a string, a boolean as
// "true", a list as a single value.
func wrongValue(types []string) (any, bool) {
	var first any
	switch primary(types) {
	case "integer", "number":
		first = "12"
	case "boolean":
		first = "true"
	case "array", "object":
		first = "x"
	default:
		first = 12345.0
	}
	for _, c := range []any{first, 12345.0, "x", true, []any{}, map[string]any{}, 1.5} {
		if !permits(types, jsontype.Of(c)) {
			return c, true
		}
	}
	return nil, false
}

// outsideEnum is a value of the enum's type that the enum does not list.
func (g *opGen) outsideEnum(enum []any) (any, bool) {
	var strs, nums int
	maxNum := math.Inf(-1)
	var vals []any
	for _, e := range enum {
		n, err := normalize(e)
		if err != nil {
			continue
		}
		vals = append(vals, n)
		switch x := n.(type) {
		case string:
			strs++
		case float64:
			nums++
			maxNum = max(maxNum, x)
		}
	}
	switch {
	case strs > 0:
		w := "NOT_IN_ENUM_" + strings.ToUpper(g.hex(6))
		return w, !slices.Contains(vals, any(w))
	case nums > 0:
		return math.Floor(maxNum) + 1, true
	}
	return nil, false
}
