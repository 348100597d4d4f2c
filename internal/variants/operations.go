package variants

import (
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// operation is one operation of the contract with what generation needs.
type operation struct {
	key      string // "POST /profiles/{profile_id}/applications"
	id       string
	method   string
	template string
	summary  string
	op       *openapi3.Operation
	params   []*openapi3.Parameter // path-level and operation parameters, merged
	success  []int                 // documented 2xx statuses
	apiKey   string                // header name of the API key; "" if none is required
}

// operations lists the contract's operations sorted by key.
func operations(doc *openapi3.T) ([]operation, error) {
	if doc == nil || doc.Paths == nil {
		return nil, fmt.Errorf("variants: contract: got no paths, want an OpenAPI document")
	}
	var out []operation
	for _, tmpl := range doc.Paths.Keys() {
		item := doc.Paths.Value(tmpl)
		if item == nil {
			continue
		}
		for method, op := range item.Operations() {
			if op == nil {
				continue
			}
			o := operation{
				key:      method + " " + tmpl,
				id:       op.OperationID,
				method:   method,
				template: tmpl,
				summary:  op.Summary,
				op:       op,
				params:   mergeParams(item.Parameters, op.Parameters),
				success:  successStatuses(op),
				apiKey:   apiKeyHeader(doc, op),
			}
			if o.id == "" {
				o.id = o.key
			}
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key < out[j].key })
	return out, nil
}

// mergeParams returns the path item's parameters overridden by the
// operation's (same name and location), in declaration order.
func mergeParams(item, op openapi3.Parameters) []*openapi3.Parameter {
	var out []*openapi3.Parameter
	seen := map[string]int{}
	for _, list := range []openapi3.Parameters{item, op} {
		for _, ref := range list {
			if ref == nil || ref.Value == nil {
				continue
			}
			p := ref.Value
			k := p.In + ":" + p.Name
			if i, ok := seen[k]; ok {
				out[i] = p
				continue
			}
			seen[k] = len(out)
			out = append(out, p)
		}
	}
	return out
}

func successStatuses(op *openapi3.Operation) []int {
	var out []int
	if op.Responses == nil {
		return []int{http.StatusOK}
	}
	for code := range op.Responses.Map() {
		n, err := strconv.Atoi(code)
		if err == nil && n >= 200 && n < 300 {
			out = append(out, n)
		}
		if strings.EqualFold(code, "2XX") {
			out = append(out, http.StatusOK)
		}
	}
	if len(out) == 0 {
		out = []int{http.StatusOK}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// apiKeyHeader returns the header name of the apiKey scheme every security
// requirement of op needs, or "" when the operation can be called without
// one (no security, an empty requirement, or a key sent elsewhere).
func apiKeyHeader(doc *openapi3.T, op *openapi3.Operation) string {
	reqs := doc.Security
	if op.Security != nil {
		reqs = *op.Security
	}
	if len(reqs) == 0 || doc.Components == nil {
		return ""
	}
	name := ""
	for _, req := range reqs {
		if len(req) == 0 {
			return "" // an empty requirement makes authentication optional
		}
		found := ""
		for scheme := range req {
			ref := doc.Components.SecuritySchemes[scheme]
			if ref == nil || ref.Value == nil {
				continue
			}
			if s := ref.Value; s.Type == "apiKey" && s.In == "header" {
				found = s.Name
			}
		}
		if found == "" || (name != "" && !strings.EqualFold(found, name)) {
			return ""
		}
		name = found
	}
	return name
}

// humanName is an operation's name in Gherkin: its summary, lower-cased,
// without a final period and with runs of spaces folded.
func humanName(summary string) string {
	s := strings.ToLower(oneline.Fold(summary))
	return strings.TrimSuffix(s, ".")
}

// NamesOf maps the human name of each operation of doc (its summary,
// lower-cased: "add a product application to a profile") to its operationId.
// Operations without a summary, and summaries two operations share, are left
// out; Resolve still finds those by operationId or "METHOD /template".
func NamesOf(doc *openapi3.T) map[string]string {
	ops, err := operations(doc)
	if err != nil {
		return nil
	}
	out := map[string]string{}
	dup := map[string]bool{}
	for _, o := range ops {
		n := humanName(o.summary)
		if n == "" {
			continue
		}
		if _, ok := out[n]; ok {
			dup[n] = true
		}
		out[n] = o.id
	}
	for n := range dup {
		delete(out, n)
	}
	return out
}

// Names is NamesOf the embedded contract (spec/passfort-4.0.yaml). It
// returns nil only if the embedded contract does not load, which the
// package's tests rule out.
func Names() map[string]string {
	doc, err := apispec.Embedded()
	if err != nil {
		return nil
	}
	return NamesOf(doc.OpenAPI())
}

// Resolve finds the operation a name means and returns its operationId. A
// name is an operationId, "METHOD /template", a human name (see NamesOf) or
// the leading words of exactly one human name: "add a product application"
// resolves to addProductApplication because one summary starts with those
// words.
func Resolve(doc *openapi3.T, name string) (string, error) {
	ops, err := operations(doc)
	if err != nil {
		return "", err
	}
	o, err := resolve(ops, name)
	if err != nil {
		return "", err
	}
	return o.id, nil
}

func resolve(ops []operation, name string) (operation, error) {
	want := strings.TrimSpace(name)
	for _, o := range ops {
		if o.id == want || o.key == want {
			return o, nil
		}
	}
	if m, t, ok := strings.Cut(want, " "); ok {
		key := strings.ToUpper(m) + " " + strings.TrimSpace(t)
		for _, o := range ops {
			if o.key == key {
				return o, nil
			}
		}
	}
	human := humanName(want)
	var exact, prefix []operation
	for _, o := range ops {
		n := humanName(o.summary)
		switch {
		case n == "" || human == "":
		case n == human:
			exact = append(exact, o)
		case strings.HasPrefix(n, human+" ") || strings.HasPrefix(n, human+","):
			prefix = append(prefix, o)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil
	case len(exact) == 0 && len(prefix) == 1:
		return prefix[0], nil
	case len(exact)+len(prefix) > 1:
		var ids []string
		for _, o := range append(exact, prefix...) {
			ids = append(ids, o.id)
		}
		return operation{}, fmt.Errorf("variants: operation %q: got %d matches (%s), want one", name, len(ids), strings.Join(ids, ", "))
	}
	return operation{}, fmt.Errorf("variants: operation %q: got no match, want an operationId, \"METHOD /template\" or an operation summary", name)
}

// selectOperations returns the operations names select, all when names is
// empty, sorted by key and without repeats.
func selectOperations(doc *openapi3.T, names []string) ([]operation, error) {
	ops, err := operations(doc)
	if err != nil || len(names) == 0 {
		return ops, err
	}
	picked := map[string]bool{}
	for _, n := range names {
		o, err := resolve(ops, n)
		if err != nil {
			return nil, err
		}
		picked[o.key] = true
	}
	var out []operation
	for _, o := range ops {
		if picked[o.key] {
			out = append(out, o)
		}
	}
	return out, nil
}
