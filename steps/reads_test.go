package steps

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The profile list steps send the categories named, joined by commas, and
// the search text, as the query PassFort documents.
func TestProfilesPath(t *testing.T) {
	t.Parallel()
	// The patterns the step definitions register, so that the test follows
	// them.
	defs := profileReadDefinitions("")
	list, search := regexp.MustCompile(defs[2].Pattern), regexp.MustCompile(defs[3].Pattern)
	require.Equal(t, `When I list the CUSTOMER profiles`, defs[2].Example, "the list step")
	require.Equal(t, `When I search the CUSTOMER and APPLICANT profiles for "quixote"`, defs[3].Example, "the search step")
	tests := map[string]struct {
		step, want string
	}{
		"every profile":        {"I list the profiles", "/profiles"},
		"one category":         {"I list the CUSTOMER profiles", "/profiles?categories=CUSTOMER"},
		"two categories":       {"I list the CUSTOMER and PREVIOUS_CUSTOMER profiles", "/profiles?categories=CUSTOMER%2CPREVIOUS_CUSTOMER"},
		"three categories":     {"I list the APPLICANT, CUSTOMER and INACTIVE_APPLICANT profiles", "/profiles?categories=APPLICANT%2CCUSTOMER%2CINACTIVE_APPLICANT"},
		"a search":             {`I search the profiles for "quixote"`, "/profiles?q=quixote"},
		"a search by category": {`I search the APPLICANT profiles for "Zebedee Quixote"`, "/profiles?categories=APPLICANT&q=Zebedee+Quixote"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got string
			if m := list.FindStringSubmatch(tc.step); m != nil {
				got = profilesPath(m[1], "")
			} else if m := search.FindStringSubmatch(tc.step); m != nil {
				got = profilesPath(m[1], m[2])
			}
			assert.Equal(t, tc.want, got, "step %q", tc.step)
		})
	}
	assert.NotRegexp(t, list, "I list the VIP profiles", "a category PassFort does not have")
}
