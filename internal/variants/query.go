package variants

import (
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/apispec"
)

// Query values are strings on the wire: a value is judged by parsing it as
// the parameter's type first ("12" is an integer), then checking the parsed
// value against the parameter's schema.

// queryParams are the operation's query parameters with a scalar schema;
// array and object parameters have serialization styles this package does
// not generate.
func (g *opGen) queryParams() []*openapi3.Parameter {
	var out []*openapi3.Parameter
	for _, p := range g.o.params {
		if p.In != openapi3.ParameterInQuery || strings.EqualFold(p.Name, g.o.apiKey) {
			continue
		}
		switch primary(typesOf(paramSchema(p), 0)) {
		case "string", "integer", "number", "boolean", "":
			out = append(out, p)
		}
	}
	return out
}

// parseQuery parses raw as the schema's type.
func parseQuery(s *openapi3.Schema, raw string) (any, bool) {
	switch primary(typesOf(s, 0)) {
	case "integer":
		n, err := strconv.ParseInt(raw, 10, 64)
		return float64(n), err == nil
	case "number":
		f, err := strconv.ParseFloat(raw, 64)
		return f, err == nil && !math.IsNaN(f) && !math.IsInf(f, 0)
	case "boolean":
		switch raw {
		case "true":
			return true, true
		case "false":
			return false, true
		}
		return nil, false
	}
	return raw, true
}

// queryValid reports whether raw is a valid value of p.
func queryValid(p *openapi3.Parameter, raw string) bool {
	s := paramSchema(p)
	v, ok := parseQuery(s, raw)
	return ok && validates(s, v)
}

// number formats a bound as a query value: no exponent, no trailing zeros.
func number(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// validQuery adds the valid-example variant (every query parameter with an
// example set to it) and valid-boundary variants (numeric parameters at
// their minimum and maximum).
func (g *opGen) validQuery() {
	ps := g.queryParams()
	q := url.Values{}
	for _, p := range ps {
		if ex := apispec.ParameterExample(p); ex != "" {
			if !queryValid(p, ex) {
				g.drop(RuleValidExample, "query:"+p.Name, fmt.Sprintf("the parameter's example %q is not valid", ex))
				continue
			}
			q.Set(p.Name, ex)
		}
	}
	if len(q) > 0 {
		v := g.variant(RuleValidExample, "query", "every query parameter set to its example: "+q.Encode())
		v.Path = g.path(nil, q)
		g.add(v)
	}
	for _, p := range ps {
		s := paramSchema(p)
		var bounds []float64
		if b, ok := minimum(s); ok && !b.exclusive {
			bounds = append(bounds, b.value)
		}
		if b, ok := maximum(s); ok && !b.exclusive {
			bounds = append(bounds, b.value)
		}
		for _, b := range bounds {
			raw := number(b)
			loc := "query:" + p.Name
			if !queryValid(p, raw) {
				g.drop(RuleValidBoundary, loc, fmt.Sprintf("%s=%s is not valid", p.Name, raw))
				continue
			}
			v := g.variant(RuleValidBoundary, loc, fmt.Sprintf("%s=%s, at its bound", p.Name, raw))
			v.Path = g.path(nil, url.Values{p.Name: {raw}})
			g.add(v)
		}
	}
}

// queryVariants adds, for each query parameter, values that break its type,
// range, enum, pattern or length, each alone in the query.
func (g *opGen) queryVariants() {
	for _, p := range g.queryParams() {
		s := paramSchema(p)
		loc := "query:" + p.Name
		type cand struct {
			rule, raw, why string
		}
		var cands []cand
		if p.Required {
			v := g.variant(RuleMissingRequired, loc, fmt.Sprintf("no %s query parameter: it is required", p.Name))
			v.Path = g.path(nil, url.Values{p.Name: nil})
			g.add(v)
		}
		switch t := primary(typesOf(s, 0)); t {
		case "integer":
			cands = append(cands, cand{RuleWrongType, "abc", "not a number"}, cand{RuleWrongType, "1.5", "not an integer"})
		case "number":
			cands = append(cands, cand{RuleWrongType, "abc", "not a number"})
		case "boolean":
			cands = append(cands, cand{RuleWrongType, "maybe", "not true or false"})
		}
		if b, ok := minimum(s); ok {
			w := b.value - 1
			if b.exclusive {
				w = b.value
			}
			cands = append(cands, cand{RuleBelowMinimum, number(w), "under the minimum " + number(b.value)})
		}
		if b, ok := maximum(s); ok {
			w := b.value + 1
			if b.exclusive {
				w = b.value
			}
			cands = append(cands, cand{RuleAboveMaximum, number(w), "over the maximum " + number(b.value)})
		}
		if e := enumOf(s); len(e) > 0 {
			if w, ok := g.outsideEnum(e); ok {
				cands = append(cands, cand{RuleOutsideEnum, fmt.Sprint(w), "outside the enum"})
			}
		} else if primary(typesOf(s, 0)) == "string" {
			if constrained(s) {
				cands = append(cands, cand{RuleBadFormat, "not-a-valid-value", "breaks its pattern or format"})
			}
			if n, ok := maxLength(s); ok && n+1 <= uint64(g.opts.MaxStringLength) {
				cands = append(cands, cand{RuleTooLong, strings.Repeat("a", int(n)+1), fmt.Sprintf("over maxLength %d", n)})
			}
			if n := minLength(s); n > 1 {
				cands = append(cands, cand{RuleTooShort, strings.Repeat("a", int(n)-1), fmt.Sprintf("under minLength %d", n)})
			}
		}
		for _, c := range cands {
			if queryValid(p, c.raw) {
				g.drop(c.rule, loc, fmt.Sprintf("%s=%s is valid", p.Name, c.raw))
				continue
			}
			v := g.variant(c.rule, loc, fmt.Sprintf("%s=%s, %s", p.Name, c.raw, c.why))
			v.Path = g.path(nil, url.Values{p.Name: {c.raw}})
			g.add(v)
		}
	}
}
