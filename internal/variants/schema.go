package variants

import (
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/jsontype"
)

// maxDepth bounds every walk over a schema, so a recursive schema cannot
// make generation run away.
const maxDepth = 12

// validates reports whether v (a plain JSON value) is valid against s as a
// request value. Formats are checked too: a contract's format is part of it.
func validates(s *openapi3.Schema, v any) bool {
	if s == nil {
		return true
	}
	return s.VisitJSON(v, openapi3.VisitAsRequest(), openapi3.FailFast(), openapi3.EnableFormatValidation()) == nil
}

// firstError is the first line of the reason v is invalid against s, "" if
// it is valid.
func firstError(s *openapi3.Schema, v any) string {
	if s == nil {
		return ""
	}
	err := s.VisitJSON(v, openapi3.VisitAsRequest(), openapi3.FailFast(), openapi3.EnableFormatValidation())
	if err == nil {
		return ""
	}
	line, _, _ := strings.Cut(err.Error(), "\n")
	return line
}

// view is what an object or array schema allows, merged over allOf and the
// oneOf/anyOf branch a value takes.
type view struct {
	props    map[string]*openapi3.Schema
	required []string // sorted, without repeats
	closed   bool     // additionalProperties: false somewhere in the merge
	items    *openapi3.Schema
	branch   *openapi3.SchemaRef // the oneOf/anyOf branch taken, if any
}

// viewOf merges s for value v (present tells whether v exists at all: an
// absent value takes the first branch).
func viewOf(s *openapi3.Schema, v any, present bool) view {
	vw := view{props: map[string]*openapi3.Schema{}}
	collect(s, v, present, &vw, 0)
	sort.Strings(vw.required)
	vw.required = slices.Compact(vw.required)
	return vw
}

func collect(s *openapi3.Schema, v any, present bool, vw *view, depth int) {
	if s == nil || depth > maxDepth {
		return
	}
	for name, ref := range s.Properties {
		if ref == nil || ref.Value == nil || ref.Value.ReadOnly {
			continue
		}
		if _, ok := vw.props[name]; !ok {
			vw.props[name] = ref.Value
		}
	}
	vw.required = append(vw.required, s.Required...)
	if h := s.AdditionalProperties.Has; h != nil && !*h {
		vw.closed = true
	}
	if vw.items == nil && s.Items != nil {
		vw.items = s.Items.Value
	}
	for _, m := range s.AllOf {
		if m != nil {
			collect(m.Value, v, present, vw, depth+1)
		}
	}
	for _, branches := range []openapi3.SchemaRefs{s.OneOf, s.AnyOf} {
		if b := chooseBranch(branches, v, present); b != nil {
			if vw.branch == nil {
				vw.branch = b
			}
			collect(b.Value, v, present, vw, depth+1)
		}
	}
}

// chooseBranch returns the first branch v validates against, or the first
// branch when v is absent or fits none.
func chooseBranch(branches openapi3.SchemaRefs, v any, present bool) *openapi3.SchemaRef {
	if len(branches) == 0 {
		return nil
	}
	if present {
		for _, b := range branches {
			if b != nil && b.Value != nil && validates(b.Value, v) {
				return b
			}
		}
	}
	for _, b := range branches {
		if b != nil && b.Value != nil {
			return b
		}
	}
	return nil
}

// typesOf lists the JSON types s allows, with "null" when it is nullable; nil
// means any type.
func typesOf(s *openapi3.Schema, depth int) []string {
	if s == nil || depth > maxDepth {
		return nil
	}
	var ts []string
	switch {
	case !s.Type.IsEmpty():
		ts = slices.Clone(s.Type.Slice())
	case len(s.AllOf) > 0:
		for _, m := range s.AllOf {
			if m != nil {
				if t := typesOf(m.Value, depth+1); t != nil {
					ts = t
					break
				}
			}
		}
	case len(s.OneOf) > 0 || len(s.AnyOf) > 0:
		for _, b := range append(slices.Clone(s.OneOf), s.AnyOf...) {
			if b == nil {
				continue
			}
			t := typesOf(b.Value, depth+1)
			if t == nil {
				return nil // one branch takes anything
			}
			ts = append(ts, t...)
		}
	case len(s.Enum) > 0:
		for _, e := range s.Enum {
			if n, err := normalize(e); err == nil {
				ts = append(ts, jsontype.Of(n))
			}
		}
	case len(s.Properties) > 0:
		ts = []string{"object"}
	}
	if len(ts) == 0 {
		return nil
	}
	if s.Nullable {
		ts = append(ts, "null")
	}
	sort.Strings(ts)
	return slices.Compact(ts)
}

// permits reports whether a value of JSON type t fits types.
func permits(types []string, t string) bool {
	if types == nil {
		return true
	}
	if slices.Contains(types, t) {
		return true
	}
	return t == "integer" && slices.Contains(types, "number")
}

// primary is the first non-null type of types, "" for any.
func primary(types []string) string {
	for _, t := range []string{"object", "array", "string", "integer", "number", "boolean"} {
		if slices.Contains(types, t) {
			return t
		}
	}
	return ""
}

// find returns the first value f finds on s or, depth first, on its allOf
// members: constraints wrapped in allOf (a nullable reference, say) count.
func find[T any](s *openapi3.Schema, f func(*openapi3.Schema) (T, bool)) (T, bool) {
	var zero T
	var walk func(s *openapi3.Schema, depth int) (T, bool)
	walk = func(s *openapi3.Schema, depth int) (T, bool) {
		if s == nil || depth > maxDepth {
			return zero, false
		}
		if v, ok := f(s); ok {
			return v, true
		}
		for _, m := range s.AllOf {
			if m != nil {
				if v, ok := walk(m.Value, depth+1); ok {
					return v, true
				}
			}
		}
		return zero, false
	}
	return walk(s, 0)
}

func enumOf(s *openapi3.Schema) []any {
	e, _ := find(s, func(s *openapi3.Schema) ([]any, bool) { return s.Enum, len(s.Enum) > 0 })
	return e
}

// constrained reports whether a string schema has a pattern or format.
func constrained(s *openapi3.Schema) bool {
	_, ok := find(s, func(s *openapi3.Schema) (bool, bool) { return true, s.Pattern != "" || s.Format != "" })
	return ok
}

func minLength(s *openapi3.Schema) uint64 {
	n, _ := find(s, func(s *openapi3.Schema) (uint64, bool) { return s.MinLength, s.MinLength > 0 })
	return n
}

func maxLength(s *openapi3.Schema) (uint64, bool) {
	return find(s, func(s *openapi3.Schema) (uint64, bool) {
		if s.MaxLength == nil {
			return 0, false
		}
		return *s.MaxLength, true
	})
}

// bound is a numeric minimum or maximum and whether it is exclusive.
type bound struct {
	value     float64
	exclusive bool
}

func minimum(s *openapi3.Schema) (bound, bool) {
	return find(s, func(s *openapi3.Schema) (bound, bool) { return boundOf(s.Min, s.ExclusiveMin) })
}

func maximum(s *openapi3.Schema) (bound, bool) {
	return find(s, func(s *openapi3.Schema) (bound, bool) { return boundOf(s.Max, s.ExclusiveMax) })
}

// boundOf reads a bound in either OpenAPI form: 3.1's numeric exclusive
// bound, or 3.0's value with a boolean exclusive flag.
func boundOf(value *float64, ex openapi3.ExclusiveBound) (bound, bool) {
	if ex.Value != nil {
		return bound{*ex.Value, true}, true
	}
	if value == nil {
		return bound{}, false
	}
	return bound{*value, ex.Bool != nil && *ex.Bool}, true
}

// examplesOf lists the examples s and its allOf members carry.
func examplesOf(s *openapi3.Schema) []any {
	var out []any
	var walk func(s *openapi3.Schema, depth int)
	walk = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > maxDepth {
			return
		}
		if s.Example != nil {
			if n, err := normalize(s.Example); err == nil {
				out = append(out, n)
			}
		}
		for _, m := range s.AllOf {
			if m != nil {
				walk(m.Value, depth+1)
			}
		}
	}
	walk(s, 0)
	return out
}

// synthesizer builds minimal valid values from schemas.
type synthesizer struct {
	id func() string // a fresh id-shaped string
}

// synth returns a minimal value valid against s: required properties only,
// hint's values where they fit (hint is the example value at the same place,
// if any), else enums' first value, and strings that honour the schema's
// pattern or format (ids, timestamps, dates, the schema's own example). ok is
// false when no candidate validates.
func (y synthesizer) synth(s *openapi3.Schema, hint any, hasHint bool, depth int) (any, bool) {
	if s == nil {
		if hasHint {
			return hint, true
		}
		return "example", true
	}
	if depth > maxDepth {
		return nil, false
	}
	try := func(cands ...any) (any, bool) {
		for _, c := range cands {
			if validates(s, c) {
				return c, true
			}
		}
		return nil, false
	}
	var hints []any
	if hasHint {
		hints = append(hints, hint)
	}
	if e := enumOf(s); len(e) > 0 {
		cands := hints
		for _, x := range e {
			if n, err := normalize(x); err == nil {
				cands = append(cands, n)
			}
		}
		return try(cands...)
	}
	types := typesOf(s, 0)
	var v any
	switch primary(types) {
	case "object":
		v = y.object(s, hint, hasHint, depth)
	case "array":
		v = y.array(s, hint, hasHint, depth)
	case "string":
		cands := slices.Clone(hints)
		if constrained(s) {
			cands = append(cands, y.id(), "2024-05-14 09:30:12", "2024-05-14")
		}
		cands = append(cands, examplesOf(s)...)
		cands = append(cands, "example", strings.Repeat("a", int(min(max(minLength(s), 1), 1024))))
		if out, ok := try(cands...); ok {
			return out, true
		}
	case "integer", "number":
		cands := slices.Clone(hints)
		cands = append(cands, examplesOf(s)...)
		if d, err := normalize(s.Default); err == nil && d != nil {
			cands = append(cands, d)
		}
		if b, ok := minimum(s); ok {
			cands = append(cands, b.value, b.value+1, math.Floor(b.value)+1)
		}
		if b, ok := maximum(s); ok {
			cands = append(cands, b.value, b.value-1, math.Ceil(b.value)-1)
		}
		cands = append(cands, 0.0, 1.0)
		if out, ok := try(cands...); ok {
			return out, true
		}
	case "boolean":
		if out, ok := try(append(hints, false, true)...); ok {
			return out, true
		}
	default:
		cands := append(hints, examplesOf(s)...)
		cands = append(cands, "example", map[string]any{})
		if out, ok := try(cands...); ok {
			return out, true
		}
	}
	if v != nil && validates(s, v) {
		return v, true
	}
	if s.Nullable && validates(s, nil) {
		return nil, true
	}
	return nil, false
}

func (y synthesizer) object(s *openapi3.Schema, hint any, hasHint bool, depth int) any {
	hm, _ := hint.(map[string]any)
	vw := viewOf(s, hint, hasHint && hm != nil)
	out := map[string]any{}
	for _, name := range vw.required {
		hv, ok := hm[name]
		v, vok := y.synth(vw.props[name], hv, ok, depth+1)
		if !vok {
			return nil
		}
		out[name] = v
	}
	// A discriminated oneOf: name the branch taken if the branch itself does
	// not pin the property's value.
	if d := s.Discriminator; d != nil && vw.branch != nil && !validates(s, out) {
		keys := make([]string, 0, len(d.Mapping))
		for k := range d.Mapping {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if d.Mapping[k].Ref == vw.branch.Ref {
				out[d.PropertyName] = k
				break
			}
		}
	}
	return out
}

func (y synthesizer) array(s *openapi3.Schema, hint any, hasHint bool, depth int) any {
	vw := viewOf(s, hint, hasHint)
	ha, _ := hint.([]any)
	n, _ := find(s, func(s *openapi3.Schema) (uint64, bool) { return s.MinItems, s.MinItems > 0 })
	out := []any{}
	for i := 0; i < int(min(n, 64)); i++ {
		var hv any
		ok := i < len(ha)
		if ok {
			hv = ha[i]
		}
		v, vok := y.synth(vw.items, hv, ok, depth+1)
		if !vok {
			return nil
		}
		out = append(out, v)
	}
	return out
}
