package variants

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// The families of variants one operation gets, each from one part of the
// operation: valid ones, authentication, path parameters and the body.

// ---- valid variants --------------------------------------------------------

func (g *opGen) validVariants() {
	if !g.hasBody {
		g.add(g.variant(RuleValidMinimal, "", "no optional parameters"))
		g.validQuery()
		return
	}
	rb := g.o.op.RequestBody.Value
	exs := g.exs
	for _, e := range exs {
		v := g.variant(RuleValidExample, exampleLoc(e.name), "the contract's example")
		if e.name != "" {
			v.Description = fmt.Sprintf("the contract's example %q", e.name)
		}
		b, err := json.Marshal(e.value)
		if err != nil {
			continue // normalize already encoded it
		}
		v.Body = b
		g.add(v)
	}
	var hint any
	if len(exs) > 0 {
		hint = exs[0].value
	}
	if m, ok := g.syn.synth(g.body, hint, len(exs) > 0, 0); !ok {
		g.drop(RuleValidMinimal, "", "no valid minimal body could be built from the schema")
	} else if msg := firstError(g.body, m); msg != "" {
		g.drop(RuleValidMinimal, "", "the minimal body is not valid: "+msg)
	} else if b, err := json.Marshal(m); err == nil {
		v := g.variant(RuleValidMinimal, "", "required fields only")
		v.Body = b
		g.add(v)
	}
	if obj, ok := g.base.(map[string]any); ok && g.baseOK {
		if vw := viewOf(g.body, g.base, true); vw.closed {
			g.drop(RuleValidUnknownField, "/"+unknownField, "the body schema is closed (additionalProperties: false)")
		} else {
			m := clone(obj).(map[string]any)
			m[unknownField] = "ignored"
			if msg := firstError(g.body, m); msg != "" {
				g.drop(RuleValidUnknownField, "/"+unknownField, "an unknown field is not valid: "+msg)
			} else if b, err := json.Marshal(m); err == nil {
				v := g.variant(RuleValidUnknownField, "/"+unknownField, fmt.Sprintf("an unknown field %q, which the target must ignore", unknownField))
				v.Body = b
				g.add(v)
			}
		}
	}
	if !rb.Required {
		v := g.variant(RuleValidNoBody, "body", "no body: the body is optional")
		v.Body, v.Header = nil, nil
		g.add(v)
	}
	if g.body.Nullable && validates(g.body, nil) {
		v := g.variant(RuleValidNull, "body", "a JSON null body: the body schema is nullable")
		v.Body = []byte("null")
		g.add(v)
	}
	g.validQuery()
}

// ---- authentication ------------------------------------------------------

func (g *opGen) authVariants() {
	if g.o.apiKey == "" {
		return
	}
	loc := "header:" + g.o.apiKey
	v := g.variant(RuleMissingAPIKey, loc, fmt.Sprintf("no %s header", g.o.apiKey))
	v.OmitKey = true
	g.add(v)
	v = g.variant(RuleWrongAPIKey, loc, fmt.Sprintf("an %s header with a key the target cannot know", g.o.apiKey))
	v.Key = "wrong-key-" + g.hex(24)
	g.add(v)
}

// ---- path parameters -----------------------------------------------------

func (g *opGen) pathVariants() {
	for _, p := range g.o.params {
		if p.In != openapi3.ParameterInPath {
			continue
		}
		loc := "path:" + p.Name
		s := paramSchema(p)
		// not-found: a well-formed value that names nothing. A parameter
		// whose schema has no pattern or format (a search term) names
		// nothing to find: any value is a valid request.
		if s != nil && s.Pattern == "" && s.Format == "" {
			g.drop(RuleNotFound, loc, "the parameter is not an id: its schema has no pattern or format")
		} else if x, ok := g.syn.synth(s, nil, false, 0); !ok {
			g.drop(RuleNotFound, loc, "no well-formed value could be built from the parameter's schema")
		} else if str, ok := x.(string); !ok || str == g.fill[p.Name] {
			g.drop(RuleNotFound, loc, "the built value is not a string distinct from the filled one")
		} else {
			v := g.variant(RuleNotFound, loc, fmt.Sprintf("%s is a well-formed id that names nothing", p.Name))
			v.Path = g.path(map[string]string{p.Name: str}, nil)
			g.add(v)
		}
		// not-id-shaped: a value the parameter's schema refuses.
		const bad = "not-an-id"
		if s == nil || validates(s, bad) {
			g.drop(RuleNotIDShaped, loc, fmt.Sprintf("the parameter's schema accepts %q", bad))
			continue
		}
		v := g.variant(RuleNotIDShaped, loc, fmt.Sprintf("%s is %q, which is not id-shaped", p.Name, bad))
		v.Path = g.path(map[string]string{p.Name: bad}, nil)
		g.add(v)
	}
}

// ---- body-level variants -------------------------------------------------

func (g *opGen) bodyVariants() {
	if g.bodyReq {
		v := g.variant(RuleMissingBody, "body", "no body: the body is required")
		v.Body, v.Header = nil, nil
		g.add(v)
	}
	if !g.baseOK {
		return
	}
	v := g.variant(RuleWrongContentType, "header:Content-Type", "a valid JSON body sent as text/plain")
	v.Header = map[string]string{"Content-Type": "text/plain"}
	g.add(v)

	bad := slices.Clone(g.baseJSON[:len(g.baseJSON)-1])
	if json.Valid(bad) || len(bad) == 0 {
		bad = append([]byte(`{"`), g.baseJSON...)
	}
	v = g.variant(RuleMalformedJSON, "body", "a body that is not JSON (a valid body cut short)")
	v.Body = bad
	g.add(v)

	if n := g.opts.MaxBodyBytes; n > 0 && len(g.baseJSON) > n {
		g.drop(RuleTooLarge, "body", "the base body is already over the size limit")
	} else if n > 0 {
		big := make([]byte, n+1)
		copy(big, g.baseJSON)
		for i := len(g.baseJSON); i < len(big); i++ {
			big[i] = ' '
		}
		v = g.variant(RuleTooLarge, "body", fmt.Sprintf("a valid body padded with spaces to %d bytes, over the %d-byte limit", len(big), n))
		v.Body = big
		g.add(v)
	}
	g.walk(g.body, g.base, nil, 0, map[*openapi3.Schema]int{})
}
