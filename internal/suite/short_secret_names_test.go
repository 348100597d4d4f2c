package suite

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/target"
)

// namedFeature has a name on every kind of line that carries one, and
// the keywords, tables and doc strings a short secret may spell.
const namedFeature = `@tagged
Feature: Examples of x, ampl and Scenario: names | here
  Some description.

  Background:
    Given an INDIVIDUAL profile

  Rule: a rule: with a colon | and a bar

    Scenario: plain x ampl Examples
      When I send a GET request to "/whoami"
      Then the status is 200

    Scenario Outline: outline <n>: Scenario x
      When I send a GET request to "/whoami"
      Then the status is <status>

      Examples: Examples of ampl | x
        | n | status |
        | 1 | 200    |
        | 2 | 200    |

      Examples:
        | n | status |
        | 3 | 200    |
`

// A secret of any length or text ("x", a keyword's part, a keyword,
// Gherkin's punctuation) redacts the names only: the features still parse
// into the same scenarios and steps. Redacting whole lines turned
// "Examples:" into "E[REDACTED]amples:", a parse error.
func TestShortSecretRedactsNamesOnly(t *testing.T) {
	t.Parallel()
	before, err := parseFeature("a.feature", []byte(namedFeature))
	require.NoError(t, err)
	require.Len(t, before.Pickles, 4)
	for _, secret := range []string{"x", "ampl", "Scenario", "Examples", "Scenario Outline", "Rule", "Feature", ":", "|", "e", " "} {
		t.Run(secret, func(t *testing.T) {
			t.Parallel()
			files, err := redactNames([]featureFile{before}, target.NewRedactor(secret))
			require.NoError(t, err)
			after := files[0]
			assert.NotContains(t, after.Name, secret)
			require.Len(t, after.Pickles, len(before.Pickles))
			for i, p := range after.Pickles {
				assert.NotContains(t, p.Name, secret, "pickle %d", i)
				assert.Equal(t, before.Pickles[i].Line, p.Line, "pickle %d", i)
				assert.Equal(t, before.Pickles[i].Steps, p.Steps, "pickle %d: steps are sent, not redacted", i)
			}
		})
	}
}
