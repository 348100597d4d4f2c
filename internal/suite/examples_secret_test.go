package suite

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

// examplesSecret is a secret that only examples cells spell out.
const examplesSecret = "cell-SECRET/5a+b=1"

// examplesFeature puts examplesSecret in outline names, in step texts
// (sent and checked, and in an undefined step), in a doc string and in a
// data table, and in the feature's and a rule's descriptions.
const examplesFeature = `Feature: examples hold a secret
  The feature's description says ` + examplesSecret + `.

  Rule: a rule
    Its description says ` + examplesSecret + ` too.

    @mutating
    Scenario Outline: the token <token> is sent as written
      When I send a POST request to "/profiles" with body:
        """
        {"role": "INDIVIDUAL_CUSTOMER", "collected_data": {"entity_type": "INDIVIDUAL", "customer_ref": "<token>"}}
        """
      Then the JSON at "collected_data.customer_ref" equals "<token>"
      And the JSON has:
        | path                         | value     |
        | collected_data.customer_ref  | "<token>" |

      Examples:
        | token |
        | ` + examplesSecret + ` |

    Scenario Outline: a failing step quotes <token>
      When I send a GET request to "/whoami"
      Then the JSON at "institution.name" equals "<token>"

      Examples:
        | token |
        | ` + examplesSecret + ` |

    Scenario Outline: an undefined step quotes <token>
      When I send a GET request to "/whoami"
      Then the magic word is "<token>"

      Examples:
        | token |
        | ` + examplesSecret + ` |
`

// A secret that only an examples cell spells out is sent as written, and
// appears in no scenario name, console line, report or recording: outline
// names and step texts are substituted from the cells after the name
// lines were redacted. Both a PASSFORT_SECRETS value and the API key.
func TestExamplesCellSecretIsRedacted(t *testing.T) {
	t.Parallel()
	for name, secret := range map[string]func(*Config){
		"PASSFORT_SECRETS": func(c *Config) { c.Target.Client = target.Config{Secrets: []string{examplesSecret}} },
		"the API key": func(c *Config) {
			c.Target.Client = target.Config{APIKey: examplesSecret}
			c.Target.Mock.APIKey = examplesSecret
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			res, out := run(t, map[string]string{"a.feature": examplesFeature}, func(c *Config) {
				secret(c)
				c.ReportsDir = dir
				c.Target.Record = filepath.Join(dir, "run.cassette.json")
			})
			statuses := map[string]report.Status{}
			for _, sc := range res.Run.Features[0].Scenarios {
				statuses[sc.Name] = sc.Status
			}
			assert.Equal(t, map[string]report.Status{
				"the token [REDACTED] is sent as written": report.Passed,
				"a failing step quotes [REDACTED]":        report.Failed,
				"an undefined step quotes [REDACTED]":     report.Undefined,
			}, statuses, out)
			assertNoSecret(t, examplesSecret, "the console", out)
			files, err := filepath.Glob(filepath.Join(dir, "*"))
			require.NoError(t, err)
			require.GreaterOrEqual(t, len(files), 10, "reports and the cassette in %s", dir)
			for _, f := range files {
				data, err := os.ReadFile(f)
				require.NoError(t, err)
				assertNoSecret(t, examplesSecret, filepath.Base(f), string(data))
			}
		})
	}
}

// assertNoSecret checks that text holds secret in none of the forms a
// report, a URL or a go test subtest name writes it in.
func assertNoSecret(t *testing.T, secret, where, text string) {
	t.Helper()
	for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret), strings.ReplaceAll(secret, " ", "_")} {
		assert.NotContains(t, text, form, "%s holds the secret", where)
	}
}

// What godog is given names no secret in its scenario names nor in the
// steps it does not run, and sends every step that runs as written: in
// outlines, plain scenarios and backgrounds, whatever the cell holds.
func TestRedactNamesHidesWhatIsNotSent(t *testing.T) {
	t.Parallel()
	const secret = "sekr|t\\x"
	cell := cellEscaper.Replace(secret)
	cases := map[string]struct {
		feature string
		// unsent are the texts godog gets of the steps it does not
		// run, by pickle; every step that runs keeps its text.
		unsent map[int][]string
	}{
		"outline name": {feature: `Feature: f
  Scenario Outline: row <a> of <b>
    When I send a GET request to "/whoami" with the API key "<a>"

    Examples:
      | a | b |
      | ` + cell + ` | 1 |
      | plain | 2 |

    Examples: more
      | b | a |
      | 3 | ` + cell + ` |
`},
		"a secret across a placeholder and the name": {feature: `Feature: f
  Scenario Outline: sekr<a> row
    When I send a GET request to "/whoami"

    Examples:
      | a |
      | ` + strings.TrimPrefix(cell, "sekr") + ` |
`},
		"undefined outline step": {feature: `Feature: f
  Scenario Outline: rows
    When I send a GET request to "/whoami"
    Then the magic word is "<a>"

    Examples:
      | a | redacted step 4 |
      | ` + cell + ` | x |
      | plain | y |
`, unsent: map[int][]string{0: {`the magic word is "[REDACTED]"`}, 1: {`the magic word is "plain"`}}},
		"undefined literal steps, CRLF": {feature: strings.ReplaceAll(`Feature: f
  Background:
    Given the magic word is "`+secret+`"

  Scenario: plain
    Then the secret "`+secret+`" is magic
`, "\n", "\r\n"), unsent: map[int][]string{0: {`the magic word is "[REDACTED]"`, `the secret "[REDACTED]" is magic`}}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			before, err := parseFeature("a.feature", []byte(tc.feature))
			require.NoError(t, err)
			files, err := redactNames([]featureFile{before}, target.NewRedactor(secret))
			require.NoError(t, err)
			after, err := parseFeature("a.feature", files[0].Contents)
			require.NoError(t, err, "godog parses what it is given")
			require.Len(t, after.Pickles, len(before.Pickles))
			for i, p := range after.Pickles {
				assert.NotContains(t, p.Name, secret, "pickle %d", i)
				assert.Equal(t, target.NewRedactor(secret).String(before.Pickles[i].Name), p.Name, "pickle %d", i)
				assert.Equal(t, before.Pickles[i].Line, p.Line, "pickle %d", i)
				unsent := tc.unsent[i]
				for j, st := range p.Steps {
					if stepRuns(before.Pickles[i].Steps[j].Text) {
						assert.Equal(t, before.Pickles[i].Steps[j], st, "pickle %d step %d is sent as written", i, j)
						continue
					}
					require.NotEmpty(t, unsent, "pickle %d step %d: %q", i, j, st.Text)
					assert.Equal(t, unsent[0], st.Text, "pickle %d step %d", i, j)
					unsent = unsent[1:]
				}
				assert.Empty(t, unsent, "pickle %d: redacted step texts expected but not seen", i)
			}
		})
	}
}
