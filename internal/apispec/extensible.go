package apispec

import (
	"github.com/getkin/kin-openapi/openapi3"
)

// ExtensibleEnumKey is the vendor extension by which every enum of the
// contract says whether its list is closed (false) or vendor-extensible
// (true): decision D35, docs/decisions.md.
const ExtensibleEnumKey = "x-extensible-enum"

// IsExtensibleEnum reports whether s lists an enum and marks it
// vendor-extensible. An enum without the extension is closed: a vendor
// spec that says nothing keeps today's strict verdict.
func IsExtensibleEnum(s *openapi3.Schema) bool {
	return s != nil && len(s.Enum) > 0 && extensionIsTrue(s, ExtensibleEnumKey)
}

// extensionIsTrue reports whether s carries the vendor extension key set to
// true (a YAML boolean, or the string "true").
func extensionIsTrue(s *openapi3.Schema, key string) bool {
	switch x := s.Extensions[key].(type) {
	case bool:
		return x
	case string:
		return x == "true"
	}
	return false
}

// ExtensibleSchemas returns the schemas of t that list a vendor-extensible
// enum, each reachable schema visited once: the components' and those
// written inline in parameters, request bodies and responses. A Document
// computes it once (Document.ExtensibleEnums); a consumer that took a
// private copy with Reparse computes it on its copy, whose schemas are
// other pointers.
func ExtensibleSchemas(t *openapi3.T) map[*openapi3.Schema]bool {
	out := map[*openapi3.Schema]bool{}
	seen := map[*openapi3.Schema]bool{}
	var walk func(ref *openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		if IsExtensibleEnum(s) {
			out[s] = true
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
			for _, m := range group {
				walk(m)
			}
		}
		walk(s.Not)
		for _, p := range s.Properties {
			walk(p)
		}
		walk(s.Items)
		walk(s.AdditionalProperties.Schema)
	}
	content := func(c openapi3.Content) {
		for _, mt := range c {
			if mt != nil {
				walk(mt.Schema)
			}
		}
	}
	if t == nil {
		return out
	}
	if t.Components != nil {
		for _, s := range t.Components.Schemas {
			walk(s)
		}
	}
	if t.Paths == nil {
		return out
	}
	for _, item := range t.Paths.Map() {
		if item == nil {
			continue
		}
		params := item.Parameters
		for _, op := range item.Operations() {
			for _, p := range append(params[:len(params):len(params)], op.Parameters...) {
				if p != nil && p.Value != nil {
					walk(p.Value.Schema)
					content(p.Value.Content)
				}
			}
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				content(op.RequestBody.Value.Content)
			}
			if op.Responses == nil {
				continue
			}
			for _, r := range op.Responses.Map() {
				if r != nil && r.Value != nil {
					content(r.Value.Content)
				}
			}
		}
	}
	return out
}

// ExtensibleEnums returns the document's schemas that list a
// vendor-extensible enum, computed once by Parse. Callers must not change
// the map.
func (d *Document) ExtensibleEnums() map[*openapi3.Schema]bool { return d.extensible }
