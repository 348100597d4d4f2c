package apispec

import (
	"fmt"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// Example is one example the spec documents for a body.
type Example struct {
	// Name is the example's key under "examples"; "" for a media type's
	// lone "example", "schema" for the schema's own example.
	Name string
	// Value is the example as the YAML loader decoded it.
	Value any
}

// MediaTypeExamples lists the examples of a body: the media type's
// "example", else its "examples" sorted by name (those without a value
// left out), else its schema's "example". Nil when it documents none.
func MediaTypeExamples(mt *openapi3.MediaType) []Example {
	if mt == nil {
		return nil
	}
	var out []Example
	switch {
	case mt.Example != nil:
		out = append(out, Example{"", mt.Example})
	case len(mt.Examples) > 0:
		for _, n := range sortedKeys(mt.Examples) {
			if e := mt.Examples[n]; e != nil && e.Value != nil && e.Value.Value != nil {
				out = append(out, Example{n, e.Value.Value})
			}
		}
	case mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Example != nil:
		out = append(out, Example{"schema", mt.Schema.Value.Example})
	}
	return out
}

// ParameterExample is a parameter's example as a string: its "example",
// else the first of its "examples" by name that has a value; "" when it
// documents none.
func ParameterExample(p *openapi3.Parameter) string {
	ex := p.Example
	if ex == nil {
		names := make([]string, 0, len(p.Examples))
		for n, e := range p.Examples {
			if e != nil && e.Value != nil && e.Value.Value != nil {
				names = append(names, n)
			}
		}
		sort.Strings(names)
		if len(names) > 0 {
			ex = p.Examples[names[0]].Value.Value
		}
	}
	if ex == nil {
		return ""
	}
	return fmt.Sprint(ex)
}
