package contract

import (
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/jsontype"
)

// Drift: keys a response carries that its schema does not document.
//
// OpenAPI lets objects carry extra keys unless additionalProperties is false,
// and closing the schemas to catch them breaks allOf (each member would reject
// the others' keys). So the body is walked alongside its schema instead: at
// each object, the documented keys are the union of the properties of every
// schema that applies there: the schema, its allOf members, the oneOf/anyOf
// branch(es) the value matches (the discriminator's branch when there is
// one; all branches when none matches), recursively. A key is documented by
// additionalProperties when that is a schema (a map), by a pattern of
// patternProperties or PassFort's x-patternProperties it matches, and by a
// `required` entry even where the schema defines no such property. An object
// whose schemas list no properties at all is free-form (`type: object`, `{}`):
// its keys are not drift, unless a schema marks itself always empty
// (x-empty-object: decision D122, docs/decisions.md), where every key is.
//
// A base schema with a discriminator but no oneOf/anyOf (subtypes allOf the
// base, responses name the base) is followed to the subtype the value names,
// which kin-openapi does not do: its keys are documented, and its own members
// are checked here, giving contract findings.

// drift walks value (the decoded body) along schema.
func (v *Validator) drift(value any, schema *openapi3.SchemaRef, base finding.Finding) []finding.Finding {
	if schema == nil || schema.Value == nil {
		return nil
	}
	w := driftWalk{v: v, base: base}
	w.walk(value, []*openapi3.Schema{schema.Value}, "")
	if len(w.out) > 1 {
		slices.SortFunc(w.out, func(a, b finding.Finding) int { return strings.Compare(a.Pointer, b.Pointer) })
	}
	return w.out
}

type driftWalk struct {
	v    *Validator
	base finding.Finding
	out  []finding.Finding
}

func (w *driftWalk) walk(value any, schemas []*openapi3.Schema, ptr string) {
	switch x := value.(type) {
	case map[string]any:
		applied := w.v.applicable(value, schemas)
		free := w.v.index.freeForm(applied)
		for _, s := range applied {
			if sub := w.v.index.subtype(x, s); sub != nil {
				w.checkSubtype(x, s, sub, ptr)
			}
		}
		// Keys are visited in map order (sorting them costs more than the
		// walk); drift() sorts the findings instead.
		for k := range x {
			var children []*openapi3.Schema
			documented := false
			for _, s := range applied {
				if p := s.Properties[k]; p != nil {
					documented = true
					if p.Value != nil {
						children = append(children, p.Value)
					}
				} else if ok, ps := w.v.index.patternDocumented(s, k); ok {
					documented = true
					if ps != nil {
						children = append(children, ps)
					}
				} else if ap := s.AdditionalProperties.Schema; ap != nil {
					documented = true
					if ap.Value != nil {
						children = append(children, ap.Value)
					}
				} else if slices.Contains(s.Required, k) {
					// A required key the schema does not define (PassFort's
					// 2019 spec has some) is named by the spec: not drift.
					documented = true
				}
			}
			child := jsonpointer.Child(ptr, k)
			if !documented && !free {
				f := w.base
				f.Class, f.Kind, f.Rule, f.Pointer = finding.Drift, finding.UndocumentedField, "properties", child
				f.Message = "field " + strconv.Quote(k) + " is not documented"
				f.Example = example(x[k])
				w.out = append(w.out, f)
				continue
			}
			if len(children) > 0 {
				w.walk(x[k], children, child)
			}
		}
	case []any:
		var items []*openapi3.Schema
		for _, s := range w.v.applicable(value, schemas) {
			if s.Items != nil && s.Items.Value != nil {
				items = append(items, s.Items.Value)
			}
		}
		if len(items) == 0 {
			return
		}
		for i, item := range x {
			w.walk(item, items, jsonpointer.Index(ptr, i))
		}
	}
}

// checkSubtype checks an object against the subtype its discriminated base
// names (the inheritance pattern, which kin-openapi does not follow): the
// subtype's own allOf members, not the base again, so the base's findings
// are not repeated. Findings are contract findings, pointers under ptr.
func (w *driftWalk) checkSubtype(value map[string]any, base, sub *openapi3.Schema, ptr string) {
	members := []*openapi3.Schema{sub}
	if slices.ContainsFunc(sub.AllOf, func(m *openapi3.SchemaRef) bool { return m != nil && m.Value == base }) {
		members = members[:0]
		for _, m := range sub.AllOf {
			if m != nil && m.Value != nil && m.Value != base {
				members = append(members, m.Value)
			}
		}
	}
	for _, m := range members {
		for _, vi := range w.v.violations(m.VisitJSON(value, w.v.respOpts...)) {
			f := w.base
			f.Kind, f.Rule, f.Pointer, f.Message = vi.kind, vi.rule, ptr+vi.pointer, vi.message
			w.v.enumPolicy(&f, false)
			w.out = append(w.out, f)
		}
	}
}

// applicable expands schemas into every schema that applies to value: each
// one, its allOf members, and the oneOf/anyOf branches value belongs to,
// recursively. A schema already seen is skipped, so composition cycles (a
// branch whose allOf refers back to its parent) end.
func (v *Validator) applicable(value any, schemas []*openapi3.Schema) []*openapi3.Schema {
	out := make([]*openapi3.Schema, 0, 4)
	var add func(*openapi3.Schema)
	add = func(s *openapi3.Schema) {
		if s == nil || slices.Contains(out, s) {
			return
		}
		out = append(out, s)
		for _, m := range s.AllOf {
			add(m.Value)
		}
		for _, b := range v.branches(value, s, s.OneOf) {
			add(b)
		}
		for _, b := range v.branches(value, s, s.AnyOf) {
			add(b)
		}
		if obj, ok := value.(map[string]any); ok {
			add(v.index.subtype(obj, s))
		}
	}
	for _, s := range schemas {
		add(s)
	}
	return out
}

// branches picks the oneOf/anyOf branches of s that value belongs to: the
// discriminator's branch, else those value matches, else all of them.
func (v *Validator) branches(value any, s *openapi3.Schema, refs openapi3.SchemaRefs) []*openapi3.Schema {
	if len(refs) == 0 {
		return nil
	}
	if b := discriminated(value, s, refs); b != nil {
		return []*openapi3.Schema{b}
	}
	var matched, all []*openapi3.Schema
	for _, r := range refs {
		if r == nil || r.Value == nil {
			continue
		}
		all = append(all, r.Value)
		if r.Value.VisitJSON(value, v.matchOpts...) == nil {
			matched = append(matched, r.Value)
		}
	}
	if len(matched) > 0 {
		return matched
	}
	return all
}

// discriminated returns the branch the discriminator names for value, if any:
// through the mapping, or (without one) the branch whose component name is
// the value.
func discriminated(value any, s *openapi3.Schema, refs openapi3.SchemaRefs) *openapi3.Schema {
	d := s.Discriminator
	obj, ok := value.(map[string]any)
	if d == nil || !ok {
		return nil
	}
	name, ok := obj[d.PropertyName].(string)
	if !ok {
		return nil
	}
	want := "#/components/schemas/" + name
	if m, ok := d.Mapping[name]; ok {
		want = m.Ref
		if !strings.Contains(want, "/") {
			want = "#/components/schemas/" + want
		}
	}
	for _, r := range refs {
		if r != nil && r.Value != nil && r.Ref == want {
			return r.Value
		}
	}
	return nil
}

func (idx schemaIndex) freeForm(schemas []*openapi3.Schema) bool {
	for _, s := range schemas {
		if len(s.Properties) > 0 || s.AdditionalProperties.Schema != nil || len(idx.patterns[s]) > 0 || apispec.IsEmptyObject(s) {
			return false
		}
	}
	return true
}

// example is a short rendering of an undocumented value for the drift report.
func example(v any) string {
	switch x := v.(type) {
	case map[string]any, []any:
		return jsontype.Of(x)
	}
	return render(v)
}

// DocumentedFields lists the response fields the spec documents for op and
// status, as JSON pointers templated with "*" for array items and map values,
// e.g. "/approval_blockers/*/blocker_type", sorted. It follows $ref, allOf and
// every oneOf/anyOf branch, and stops where a schema recurs inside itself.
// Nil when op or status (or a JSON body for it) is not documented.
func (v *Validator) DocumentedFields(op Operation, status int) []string {
	schema := v.responseSchema(op, status)
	if schema == nil {
		return nil
	}
	set := map[string]bool{}
	var walk func(s *openapi3.Schema, ptr string, stack []*openapi3.Schema)
	walk = func(s *openapi3.Schema, ptr string, stack []*openapi3.Schema) {
		if s == nil || slices.Contains(stack, s) {
			return
		}
		stack = append(stack, s)
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, m := range group {
				if m != nil {
					walk(m.Value, ptr, stack)
				}
			}
		}
		for name, p := range s.Properties {
			child := jsonpointer.Child(ptr, name)
			set[child] = true
			if p != nil {
				walk(p.Value, child, stack)
			}
		}
		if s.Items != nil {
			walk(s.Items.Value, ptr+"/*", stack)
		}
		if ap := s.AdditionalProperties.Schema; ap != nil {
			set[ptr+"/*"] = true
			walk(ap.Value, ptr+"/*", stack)
		}
	}
	walk(schema.Value, "", nil)
	return sortedKeys(set)
}

// ObservedFields lists the fields present in a JSON body as pointers
// templated like DocumentedFields ("*" for array items), sorted. Nil when the
// body is not JSON.
func ObservedFields(body []byte) []string {
	value, ok := decodeJSON(body)
	if !ok {
		return nil
	}
	set := map[string]bool{}
	var walk func(v any, ptr string)
	walk = func(v any, ptr string) {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				child := jsonpointer.Child(ptr, k)
				set[child] = true
				walk(c, child)
			}
		case []any:
			for _, c := range x {
				walk(c, ptr+"/*")
			}
		}
	}
	walk(value, "")
	return sortedKeys(set)
}
