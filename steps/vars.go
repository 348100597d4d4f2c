package steps

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/cucumber/godog"

	"github.com/passfort-conformance/harness/internal/catalog"
)

// expandIn replaces every {{name}} in s with what value returns for it
// (World.expand gives the scenario's variables). A value is not expanded
// again. An unterminated {{ is an error, as value's error is for an unknown
// name, so a typo in a feature reads as a typo, not as a 404.
//
// In a JSON text (isJSON: a request body, an expected value) a value
// substituted inside a JSON string is escaped as JSON string content, so a
// product name or saved value holding a quote, a backslash or a newline
// keeps the text JSON; one outside a string (a number, an object) goes in as
// it is.
func expandIn(s string, value func(name string) (string, error), isJSON bool) (string, error) {
	if !strings.Contains(s, "{{") {
		return s, nil
	}
	var b strings.Builder
	var str jsonStringState
	rest := s
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		b.WriteString(rest[:i])
		str.scan(rest[:i])
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			return "", fmt.Errorf("variable: got an unterminated {{ in %q, want {{name}}", s)
		}
		v, err := value(strings.TrimSpace(rest[i+2 : i+2+j]))
		if err != nil {
			return "", err
		}
		if isJSON && str.inString {
			v = jsonStringContent(v)
		}
		b.WriteString(v)
		// A backslash just before the variable escaped the value's first
		// character, not the text after it.
		if v != "" {
			str.escaped = false
		}
		rest = rest[i+2+j+2:]
	}
}

// jsonStringState follows a JSON text's literal parts: whether the text
// seen so far ends inside a string.
type jsonStringState struct {
	inString, escaped bool
}

func (st *jsonStringState) scan(text string) {
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case st.escaped:
			st.escaped = false
		case st.inString && c == '\\':
			st.escaped = true
		case c == '"':
			st.inString = !st.inString
		}
	}
}

// jsonStringContent is v escaped as the inside of a JSON string (quotes,
// backslashes and control characters; <, > and & stay as they are).
func jsonStringContent(v string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return v
	}
	quoted := strings.TrimSuffix(b.String(), "\n")
	return quoted[1 : len(quoted)-1]
}

func names(vars map[string]string) string {
	if len(vars) == 0 {
		return "none (save one with: I save the JSON at \"id\" as \"name\")"
	}
	out := make([]string, 0, len(vars))
	for k := range vars {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// productPrefix starts the name of a product role variable:
// {{product.ROLE.FIELD}}.
const productPrefix = "product."

// ProductField is one field a {{product.ROLE.FIELD}} variable names, with
// what it reads from the product.
type ProductField struct {
	Name string
	Doc  string
	get  func(catalog.Product) string
}

// ProductFields are the fields of the product role variables, in the order
// the vocabulary lists them.
var ProductFields = []ProductField{
	{"alias", "the alias (what clients send)", func(p catalog.Product) string { return p.Alias }},
	{"id", "the id", func(p catalog.Product) string { return p.ID }},
	{"name", "the display name", func(p catalog.Product) string { return p.Name }},
}

// ProductVariable returns the value of {{product.ROLE.FIELD}} on the target
// whose catalogue is target: the alias, id or name of the product that
// plays ROLE there (decision D94, docs/decisions.md). A role only the
// suite's own catalogue (suite, spec/products.yaml) knows skips the
// scenario, as the domain steps do for a role the account lacks; a role or
// field nobody knows is a usage error naming the known ones.
func ProductVariable(name string, target, suite *catalog.Catalog) (string, error) {
	rest, ok := strings.CutPrefix(name, productPrefix)
	if !ok {
		return "", fmt.Errorf("%w: variable {{%s}}: want {{product.ROLE.FIELD}}", ErrUsage, name)
	}
	role, field, ok := strings.Cut(rest, ".")
	if target == nil {
		return "", fmt.Errorf("variable {{%s}}: the run has no product catalogue", name)
	}
	if !ok || role == "" || field == "" || strings.Contains(field, ".") {
		return "", fmt.Errorf("%w: variable {{%s}}: got no role and field, want {{product.ROLE.FIELD}} with a role of %s and a field of %s",
			ErrUsage, name, strings.Join(target.Roles(), ", "), fieldNames())
	}
	p, ok := target.ForRole(role)
	if !ok {
		if suite != nil {
			if _, known := suite.ForRole(role); known {
				return "", fmt.Errorf("%w: the target's catalogue has no product for role %s (variable {{%s}})", godog.ErrSkip, role, name)
			}
		}
		return "", fmt.Errorf("%w: variable {{%s}}: got role %q, want one of %s", ErrUsage, name, role, strings.Join(target.Roles(), ", "))
	}
	for _, f := range ProductFields {
		if f.Name == field {
			return f.get(p), nil
		}
	}
	return "", fmt.Errorf("%w: variable {{%s}}: got field %q, want %s", ErrUsage, name, field, fieldNames())
}

func fieldNames() string {
	out := make([]string, len(ProductFields))
	for i, f := range ProductFields {
		out[i] = f.Name
	}
	return strings.Join(out, ", ")
}
