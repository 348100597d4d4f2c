package contract

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// schemaIndex holds what the drift walk needs beyond kin-openapi's schemas,
// computed once at load and only read afterwards.
type schemaIndex struct {
	// subtypes maps a schema with a discriminator but no oneOf/anyOf (the
	// inheritance pattern: subtypes allOf the base, responses name the base)
	// to its subtypes by discriminator value: the mapping's, and each
	// component that allOfs the base by its component name.
	subtypes map[*openapi3.Schema]map[string]*openapi3.Schema
	// patterns maps a schema to its pattern-keyed properties: the standard
	// patternProperties (OpenAPI 3.1) and PassFort's non-standard
	// x-patternProperties.
	patterns map[*openapi3.Schema][]patternProperty
}

// patternProperty documents the keys matching re. schema is what their
// values are walked against; nil for x-patternProperties, whose values
// kin-openapi does not parse as schemas.
type patternProperty struct {
	re     *regexp.Regexp
	schema *openapi3.Schema
}

const xPatternProperties = "x-patternProperties"

// newSchemaIndex indexes doc and returns what it could not use, one warning
// per location.
func newSchemaIndex(doc *openapi3.T) (schemaIndex, []string) {
	idx := schemaIndex{
		subtypes: map[*openapi3.Schema]map[string]*openapi3.Schema{},
		patterns: map[*openapi3.Schema][]patternProperty{},
	}
	var warnings []string
	walkSchemas(doc, func(ptr string, ref *openapi3.SchemaRef) {
		s := ref.Value
		for _, p := range sortedKeys(s.PatternProperties) {
			re, err := compilePattern(p)
			if err != nil {
				warnings = append(warnings, fmt.Sprintf("%s/patternProperties: pattern %q not checked for drift: %s", ptr, p, oneline.First(err.Error())))
				continue
			}
			var child *openapi3.Schema
			if r := s.PatternProperties[p]; r != nil {
				child = r.Value
			}
			idx.patterns[s] = append(idx.patterns[s], patternProperty{re: re, schema: child})
		}
		if raw, ok := s.Extensions[xPatternProperties]; ok {
			m, _ := raw.(map[string]any)
			keys := sortedKeys(m)
			for _, p := range keys {
				re, err := compilePattern(p)
				if err != nil {
					warnings = append(warnings, fmt.Sprintf("%s/%s: pattern %q not checked: %s", ptr, xPatternProperties, p, oneline.First(err.Error())))
					continue
				}
				idx.patterns[s] = append(idx.patterns[s], patternProperty{re: re})
			}
			warnings = append(warnings, fmt.Sprintf("%s: %s is not OpenAPI (patternProperties is, from 3.1): values of keys matching %s not checked; the keys are not drift",
				ptr, xPatternProperties, strings.Join(quoteAll(keys), ", ")))
		}
	})
	if doc.Components == nil {
		return idx, warnings
	}
	schemas := doc.Components.Schemas
	for _, name := range sortedKeys(schemas) {
		base := schemas[name]
		if base == nil || base.Value == nil || base.Value.Discriminator == nil || len(base.Value.OneOf) > 0 || len(base.Value.AnyOf) > 0 {
			continue
		}
		subs := map[string]*openapi3.Schema{}
		for other, r := range schemas {
			if r == nil || r.Value == nil {
				continue
			}
			for _, m := range r.Value.AllOf {
				if m != nil && m.Value == base.Value {
					subs[other] = r.Value
				}
			}
		}
		// The mapping wins over the component names.
		for value, m := range base.Value.Discriminator.Mapping {
			target := m.Ref
			target = target[strings.LastIndexByte(target, '/')+1:]
			if r := schemas[target]; r != nil && r.Value != nil {
				subs[value] = r.Value
			}
		}
		if len(subs) > 0 {
			idx.subtypes[base.Value] = subs
		}
	}
	return idx, warnings
}

// subtype is the schema a discriminated base names for value, or nil.
func (idx schemaIndex) subtype(value map[string]any, base *openapi3.Schema) *openapi3.Schema {
	subs := idx.subtypes[base]
	if subs == nil {
		return nil
	}
	name, _ := value[base.Discriminator.PropertyName].(string)
	return subs[name]
}

// patternDocumented reports whether key matches a pattern-keyed property of
// s, and the schema its value is walked against (nil for none).
func (idx schemaIndex) patternDocumented(s *openapi3.Schema, key string) (bool, *openapi3.Schema) {
	for _, p := range idx.patterns[s] {
		if p.re.MatchString(key) {
			return true, p.schema
		}
	}
	return false, nil
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

// walkSchemas calls fn once for every schema of doc, located where a reader
// finds it: under its own component ("/components/schemas/PersonalDetails/properties/x")
// rather than deep inside the first schema that happens to use it.
func walkSchemas(doc *openapi3.T, fn func(ptr string, s *openapi3.SchemaRef)) {
	components := map[*openapi3.Schema]bool{}
	if doc.Components != nil {
		for _, r := range doc.Components.Schemas {
			if r != nil && r.Value != nil {
				components[r.Value] = true
			}
		}
	}
	seen := map[*openapi3.Schema]bool{}
	visit := func(root *openapi3.Schema, ptr string, r *openapi3.SchemaRef) error {
		if r == nil || r.Value == nil {
			return nil
		}
		if r.Value != root && components[r.Value] {
			return openapi3.SkipSubtree // walked from its own component
		}
		if seen[r.Value] {
			return openapi3.SkipSubtree
		}
		seen[r.Value] = true
		fn(ptr, r)
		return nil
	}
	if doc.Components != nil {
		for _, name := range sortedKeys(doc.Components.Schemas) {
			base := jsonpointer.Child("/components/schemas", name)
			if r := doc.Components.Schemas[name]; r != nil && r.Value != nil {
				_ = r.WalkSubtree(func(ptr string, x *openapi3.SchemaRef) error { return visit(r.Value, base+ptr, x) })
			}
		}
	}
	_ = doc.WalkSchemas(func(ptr string, x *openapi3.SchemaRef) error { return visit(nil, ptr, x) })
}
