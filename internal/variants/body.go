package variants

import (
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/apispec"
)

// The request body every body variant starts from: the contract's valid
// examples, else a body built from the schema.

// example is one of the contract's examples of the request body.
type example struct {
	name  string
	value any
}

func (g *opGen) prepareBody() {
	rb := g.o.op.RequestBody
	if rb == nil || rb.Value == nil {
		return
	}
	g.bodyReq = rb.Value.Required
	for _, ct := range sortedKeys(rb.Value.Content) {
		mt := rb.Value.Content[ct]
		if mt == nil || mt.Schema == nil || mt.Schema.Value == nil || !isJSON(ct) {
			continue
		}
		g.media, g.body, g.hasBody = ct, mt.Schema.Value, true
		break
	}
	if !g.hasBody {
		g.drop("body", "body", "no JSON media type with a schema: body variants need one")
		return
	}
	g.exs = g.examples(rb.Value.Content[g.media])
	if len(g.exs) > 0 {
		g.base, g.baseOK = clone(g.exs[0].value), true
	}
	if !g.baseOK {
		if v, ok := g.syn.synth(g.body, nil, false, 0); ok {
			g.base, g.baseOK = v, true
		}
	}
	if !g.baseOK {
		g.drop("body", "body", "no valid example and no valid body could be built from the schema: body variants skipped")
		return
	}
	b, err := json.Marshal(g.base)
	if err != nil {
		g.baseOK = false
		g.drop("body", "body", "the base body does not encode: "+err.Error())
		return
	}
	g.baseJSON = b
}

// examples returns the media type's valid examples (or the schema's, when
// the media type has none), sorted by name, with values that repeat a path
// parameter's example (a confirm_id, say) replaced by that parameter's
// filled value. Invalid examples are dropped.
func (g *opGen) examples(mt *openapi3.MediaType) []example {
	ties := map[string]string{}
	for _, p := range g.o.params {
		if ex := apispec.ParameterExample(p); p.In == openapi3.ParameterInPath && ex != "" {
			ties[ex] = g.fill[p.Name]
		}
	}
	var out []example
	for _, e := range apispec.MediaTypeExamples(mt) {
		v, err := normalize(e.Value)
		if err != nil {
			g.drop(RuleValidExample, exampleLoc(e.Name), "the example does not encode as JSON: "+err.Error())
			continue
		}
		v = substitute(v, ties)
		if msg := firstError(g.body, v); msg != "" {
			g.drop(RuleValidExample, exampleLoc(e.Name), "the example is not valid against the body schema: "+msg)
			continue
		}
		out = append(out, example{e.Name, v})
	}
	return out
}

func exampleLoc(name string) string {
	if name == "" {
		return "example"
	}
	return "example:" + name
}

// substitute replaces every string in v found in ties by its tied value.
func substitute(v any, ties map[string]string) any {
	switch x := v.(type) {
	case string:
		if t, ok := ties[x]; ok && t != "" {
			return t
		}
	case map[string]any:
		for k, e := range x {
			x[k] = substitute(e, ties)
		}
	case []any:
		for i, e := range x {
			x[i] = substitute(e, ties)
		}
	}
	return v
}

func isJSON(ct string) bool {
	ct = strings.ToLower(strings.TrimSpace(ct))
	return ct == "application/json" || strings.HasSuffix(ct, "+json")
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
