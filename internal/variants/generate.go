package variants

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/apispec"
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
		v := apispec.ParameterExample(p)
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
	if ex := apispec.ParameterExample(p); ex != "" && queryValid(p, ex) {
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
