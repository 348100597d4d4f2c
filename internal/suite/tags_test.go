package suite

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A tag expression godog would panic on, or read as selecting nothing, is
// a one-line usage error naming it and godog's syntax.
func TestCheckTags(t *testing.T) {
	t.Parallel()
	valid := []string{"", "@smoke", "~@mutating", "@a,@b && ~@c", "@smoke && ~@mutating", " @a , @b ", "@a&&@b", "@slow_v2"}
	for _, expr := range valid {
		assert.NoError(t, checkTags(expr), "%q", expr)
	}
	invalid := map[string]string{
		"@smoke &&":      `got ""`,
		"&&":             `got ""`,
		"@a && && @b":    `got ""`,
		"@a,":            `got ""`,
		",@a":            `got ""`,
		"  ":             `got ""`,
		"@":              `got "@"`,
		"~":              `got "~"`,
		"~@":             `got "~@"`,
		"smoke":          `got "smoke"`,
		"@a @b":          `got "@a @b"`,
		"~ @a":           `got "~ @a"`,
		"@~a":            `got "@~a"`,
		"@@a":            `got "@@a"`,
		"@a@b":           `got "@a@b"`,
		"not @mutating":  "Cucumber's",
		"@a and @b":      "Cucumber's",
		"@a or @b":       "Cucumber's",
		"@a && NOT @b":   "Cucumber's",
		"(@a)":           "Cucumber's",
		"@smoke,not @x ": "Cucumber's",
	}
	for expr, want := range invalid {
		err := checkTags(expr)
		require.Error(t, err, "%q", expr)
		assert.Contains(t, err.Error(), want, "%q", expr)
		assert.Contains(t, err.Error(), fmt.Sprintf("tag expression %q: ", expr), "%q", expr)
		assert.Contains(t, err.Error(), `~@tag (not), && (and), "," (or)`, "%q", expr)
		assert.NotContains(t, err.Error(), "\n", "%q", expr)
	}
}

// A malformed tag expression is refused before godog sees it: godog
// panicked on an empty tag.
func TestRunRefusesMalformedTags(t *testing.T) {
	t.Parallel()
	for _, expr := range []string{"@smoke &&", "&&", "@a && && @b", "not @mutating"} {
		var err error
		var out bytes.Buffer
		require.NotPanics(t, func() { _, err = Run(Config{Tags: expr, Output: &out, Paths: []string{"../../features"}, Seed: 1}) }, "%q", expr)
		require.Error(t, err, "%q", expr)
		assert.Contains(t, err.Error(), fmt.Sprintf("tag expression %q", expr), "%q", expr)
		assert.Empty(t, out.String(), "%q: nothing runs", expr)
	}
}
