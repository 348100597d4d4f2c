package steps

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeVocabularyIsCurrent fails when a step was added or changed
// without `make docs`.
func TestReadmeVocabularyIsCurrent(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	want, err := SpliceVocabulary(string(data))
	require.NoError(t, err)
	assert.Equal(t, want, string(data), "README.md: the step vocabulary is stale; run make docs")
}

// TestDefinitions checks that every step's pattern compiles, is anchored,
// matches its own example, and that no two patterns match one example.
func TestDefinitions(t *testing.T) {
	defs := Definitions()
	res := make([]*regexp.Regexp, len(defs))
	for i, d := range defs {
		re, err := regexp.Compile(d.Pattern)
		require.NoError(t, err, "pattern %q", d.Pattern)
		assert.True(t, strings.HasPrefix(d.Pattern, "^") && strings.HasSuffix(d.Pattern, "$"), "pattern %q: want it anchored with ^...$", d.Pattern)
		assert.NotEmpty(t, d.Group, "pattern %q: want a Group and a Doc", d.Pattern)
		assert.NotEmpty(t, d.Doc, "pattern %q: want a Group and a Doc", d.Pattern)
		res[i] = re
	}
	for i, d := range defs {
		text := exampleText(d.Example)
		matches := 0
		for _, re := range res {
			if re.MatchString(text) {
				matches++
			}
		}
		assert.Regexp(t, res[i], text, "example %q does not match its own pattern %q", text, d.Pattern)
		assert.Equal(t, 1, matches, "example %q: patterns matched, want 1 (ambiguous step)", text)
	}
}

// exampleText strips the Gherkin keyword and any doc string or table from an example.
func exampleText(example string) string {
	line, _, _ := strings.Cut(example, "\n")
	for _, kw := range []string{"Given ", "When ", "Then ", "And ", "But "} {
		if strings.HasPrefix(line, kw) {
			return strings.TrimPrefix(line, kw)
		}
	}
	return line
}

// make docs shows the variables every step expands: the saved ones, each
// product role variable's field, and every role of spec/products.yaml.
func TestVocabularyShowsTheVariables(t *testing.T) {
	v := Vocabulary()
	require.Contains(t, v, "#### Variables")
	vars := v[strings.Index(v, "#### Variables"):]
	for _, want := range []string{"`{{profile_id}}`", "`{{application_id}}`", "`{{product.ROLE.alias}}`", "`{{product.ROLE.id}}`", "`{{product.ROLE.name}}`",
		"| `basic_individual` | `forexo_basic` |", "| `company` | `forexo_business` |", "| `auto_apply` | `forexo_welcome` |"} {
		assert.Contains(t, vars, want)
	}
}
