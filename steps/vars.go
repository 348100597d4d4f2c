package steps

import (
	"fmt"
	"sort"
	"strings"
)

// Expand replaces every {{name}} in s with the variable's value. An unknown
// or unterminated variable is an error naming it and the variables that are
// set, so a typo in a feature reads as a typo, not as a 404.
func Expand(s string, vars map[string]string) (string, error) {
	if !strings.Contains(s, "{{") {
		return s, nil
	}
	var b strings.Builder
	rest := s
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		b.WriteString(rest[:i])
		j := strings.Index(rest[i+2:], "}}")
		if j < 0 {
			return "", fmt.Errorf("variable: got an unterminated {{ in %q, want {{name}}", s)
		}
		name := strings.TrimSpace(rest[i+2 : i+2+j])
		v, ok := vars[name]
		if !ok {
			return "", fmt.Errorf("variable {{%s}}: not set; set: %s", name, names(vars))
		}
		b.WriteString(v)
		rest = rest[i+2+j+2:]
	}
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
