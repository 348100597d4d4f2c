package variants

import (
	"encoding/json"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Fill supplies the value of a path parameter (by name, e.g. "profile_id"):
// an id of something the scenario created. It returns "" when it has none;
// the parameter's example from the contract is used then.
type Fill func(param string) string

// Options configure a generation. The zero value generates every variant of
// every operation with seed 0.
type Options struct {
	// Seed makes generation deterministic: the same seed, contract and
	// options give the same variants, in the same order, with the same
	// values. An operation's values do not depend on which other operations
	// are selected.
	Seed int64
	// Operations selects operations by operationId, "METHOD /template" or
	// human name (see Resolve); empty selects all.
	Operations []string
	// Fill supplies real path parameter values; nil uses the contract's
	// parameter examples. A value the parameter's schema refuses is an
	// error: the valid variants would not be valid.
	Fill Fill
	// MaxStringLength caps the strings too-long variants send: a string
	// whose maxLength+1 is over the cap gets no too-long variant. 0 means
	// DefaultMaxStringLength.
	MaxStringLength int
	// MaxBodyBytes is the body-size limit too-large variants go over; 0 means
	// DefaultMaxBodyBytes, a negative value generates no too-large variants.
	MaxBodyBytes int
}

// Defaults of Options.
const (
	DefaultMaxStringLength = 10_000
	DefaultMaxBodyBytes    = 1 << 20 // 1 MiB, the contract's body limit
)

// unknownField is the property name valid-unknown-field and
// unknown-field-closed variants add.
const unknownField = "x_conformance_unknown_field"

// Generate returns the variants of the operations opts selects, sorted by
// operation, rule, location and description. doc must have passed
// doc.Validate.
func Generate(doc *openapi3.T, opts Options) ([]Variant, error) {
	s, err := GenerateSet(doc, opts)
	return s.Variants, err
}

// GenerateSet is Generate that also returns the candidates it left out and
// why (see Dropped).
func GenerateSet(doc *openapi3.T, opts Options) (Set, error) {
	if opts.MaxStringLength == 0 {
		opts.MaxStringLength = DefaultMaxStringLength
	}
	if opts.MaxBodyBytes == 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	ops, err := selectOperations(doc, opts.Operations)
	if err != nil {
		return Set{}, err
	}
	var set Set
	for _, o := range ops {
		g := newOpGen(o, opts)
		if g.err != nil {
			return Set{}, g.err
		}
		g.run()
		set.Variants = append(set.Variants, g.out...)
		set.Dropped = append(set.Dropped, g.dropped...)
	}
	sort.SliceStable(set.Variants, func(i, j int) bool {
		a, b := set.Variants[i], set.Variants[j]
		return cmpKeys(a.Operation, a.Rule, a.Location, a.Description, b.Operation, b.Rule, b.Location, b.Description)
	})
	sort.SliceStable(set.Dropped, func(i, j int) bool {
		a, b := set.Dropped[i], set.Dropped[j]
		return cmpKeys(a.Operation, a.Rule, a.Location, a.Reason, b.Operation, b.Rule, b.Location, b.Reason)
	})
	return set, nil
}

func cmpKeys(a1, a2, a3, a4, b1, b2, b3, b4 string) bool {
	switch {
	case a1 != b1:
		return a1 < b1
	case a2 != b2:
		return a2 < b2
	case a3 != b3:
		return a3 < b3
	}
	return a4 < b4
}

// opGen generates the variants of one operation.
type opGen struct {
	o    operation
	opts Options
	rng  *rand.Rand
	syn  synthesizer
	fill map[string]string // path parameter values
	// query and header hold the required query and header parameters every
	// variant sends (but the one that leaves a parameter out).
	query  url.Values
	header map[string]string

	body     *openapi3.Schema // request body schema; nil if no JSON body
	bodyReq  bool             // the request body is required
	hasBody  bool             // the operation takes a JSON request body
	media    string           // the JSON media type of the body
	exs      []example        // the contract's valid examples of the body
	base     any              // the valid body mutations start from
	baseOK   bool
	baseJSON []byte

	out     []Variant
	dropped []Dropped
	err     error // a bad option, reported by GenerateSet
}

func newOpGen(o operation, opts Options) *opGen {
	h := fnv.New64a()
	_, _ = h.Write([]byte(o.key))
	g := &opGen{o: o, opts: opts, rng: rand.New(rand.NewPCG(uint64(opts.Seed), h.Sum64())), fill: map[string]string{}}
	g.syn = synthesizer{id: g.newID}
	for _, p := range o.params {
		if p.In != openapi3.ParameterInPath {
			continue
		}
		// The fallback is built whether or not Fill answers, so that the
		// seeded values do not depend on the fill.
		v := paramExample(p)
		if v == "" {
			if s := paramSchema(p); s != nil {
				if x, ok := g.syn.synth(s, nil, false, 0); ok {
					if str, ok := x.(string); ok {
						v = str
					}
				}
			}
		}
		if opts.Fill != nil {
			if f := opts.Fill(p.Name); f != "" {
				if s := paramSchema(p); s != nil && !validates(s, f) {
					g.err = fmt.Errorf("variants: %s: fill %s: got %q, which the parameter's schema refuses: %s", o.key, p.Name, f, firstError(s, f))
				}
				v = f
			}
		}
		g.fill[p.Name] = v
	}
	g.query, g.header = url.Values{}, map[string]string{}
	for _, p := range o.params {
		if !p.Required || (p.In != openapi3.ParameterInQuery && p.In != openapi3.ParameterInHeader) ||
			strings.EqualFold(p.Name, o.apiKey) {
			continue
		}
		v, ok := g.scalarParam(p)
		switch {
		case !ok:
			g.drop(RuleValidMinimal, p.In+":"+p.Name, "no valid value could be built for the required parameter")
		case p.In == openapi3.ParameterInQuery:
			g.query.Set(p.Name, v)
		default:
			g.header[p.Name] = v
		}
	}
	return g
}

// scalarParam is a valid value of a scalar parameter: its example, or one
// built from its schema.
func (g *opGen) scalarParam(p *openapi3.Parameter) (string, bool) {
	if ex := paramExample(p); ex != "" && queryValid(p, ex) {
		return ex, true
	}
	s := paramSchema(p)
	x, ok := g.syn.synth(s, nil, false, 0)
	if !ok {
		return "", false
	}
	var raw string
	switch y := x.(type) {
	case string:
		raw = y
	case float64:
		raw = number(y)
	case bool:
		raw = fmt.Sprint(y)
	default:
		return "", false
	}
	return raw, queryValid(p, raw)
}

// newID is a fresh, seeded id: 32 lower-case hex digits in 8-4-4-4-12 groups.
func (g *opGen) newID() string {
	a, b := g.rng.Uint64(), g.rng.Uint64()
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, a&0xffff, b>>48, b&0xffffffffffff)
}

// hex is n seeded hex digits.
func (g *opGen) hex(n int) string {
	var b strings.Builder
	for b.Len() < n {
		fmt.Fprintf(&b, "%016x", g.rng.Uint64())
	}
	return b.String()[:n]
}

func paramSchema(p *openapi3.Parameter) *openapi3.Schema {
	if p.Schema == nil {
		return nil
	}
	return p.Schema.Value
}

// paramExample is a parameter's example as a string, "" if it has none.
func paramExample(p *openapi3.Parameter) string {
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

func (g *opGen) run() {
	g.prepareBody()
	g.validVariants()
	g.authVariants()
	g.pathVariants()
	g.queryVariants()
	if g.hasBody {
		g.bodyVariants()
	}
}

func (g *opGen) drop(rule, loc, reason string) {
	g.dropped = append(g.dropped, Dropped{Operation: g.o.key, Rule: rule, Location: loc, Reason: reason})
}

// variant is a variant of the operation with the valid defaults: filled
// path, the base body and its Content-Type.
func (g *opGen) variant(rule, loc, desc string) Variant {
	v := Variant{
		Operation:   g.o.key,
		OperationID: g.o.id,
		Rule:        rule,
		Location:    loc,
		Valid:       isValidRule(rule),
		Mutating:    g.o.method != http.MethodGet && g.o.method != http.MethodHead,
		Method:      g.o.method,
		Path:        g.path(nil, nil),
		Description: desc,
		Expect:      expectFor(rule, g.o.success),
	}
	if g.hasBody && g.baseOK {
		v.Body = slices.Clone(g.baseJSON)
		v.Header = map[string]string{"Content-Type": g.media}
	}
	for k, val := range g.header {
		if v.Header == nil {
			v.Header = map[string]string{}
		}
		v.Header[k] = val
	}
	return v
}

func (g *opGen) add(v Variant) { g.out = append(g.out, v) }

// path renders the template with the filled parameters, over replacing
// some, and the required query parameters with query's set over them (a key
// with no values removes the parameter).
func (g *opGen) path(over map[string]string, query url.Values) string {
	p := g.o.template
	for name, v := range g.fill {
		if o, ok := over[name]; ok {
			v = o
		}
		p = strings.ReplaceAll(p, "{"+name+"}", url.PathEscape(v))
	}
	q := url.Values{}
	for k, vs := range g.query {
		q[k] = vs
	}
	for k, vs := range query {
		if len(vs) == 0 {
			q.Del(k)
		} else {
			q[k] = vs
		}
	}
	if len(q) > 0 {
		p += "?" + q.Encode()
	}
	return p
}

// ---- body ----------------------------------------------------------------

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
	var raw []example
	switch {
	case mt.Example != nil:
		raw = append(raw, example{"", mt.Example})
	case len(mt.Examples) > 0:
		for _, n := range sortedKeys(mt.Examples) {
			if e := mt.Examples[n]; e != nil && e.Value != nil && e.Value.Value != nil {
				raw = append(raw, example{n, e.Value.Value})
			}
		}
	case g.body.Example != nil:
		raw = append(raw, example{"schema", g.body.Example})
	}
	ties := map[string]string{}
	for _, p := range g.o.params {
		if ex := paramExample(p); p.In == openapi3.ParameterInPath && ex != "" {
			ties[ex] = g.fill[p.Name]
		}
	}
	var out []example
	for _, e := range raw {
		v, err := normalize(e.value)
		if err != nil {
			g.drop(RuleValidExample, exampleLoc(e.name), "the example does not encode as JSON: "+err.Error())
			continue
		}
		v = substitute(v, ties)
		if msg := firstError(g.body, v); msg != "" {
			g.drop(RuleValidExample, exampleLoc(e.name), "the example is not valid against the body schema: "+msg)
			continue
		}
		out = append(out, example{e.name, v})
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

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

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
		// not-found: a well-formed value that names nothing.
		if x, ok := g.syn.synth(s, nil, false, 0); !ok {
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
