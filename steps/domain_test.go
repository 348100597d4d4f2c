package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A demo keyword in the middle of a name ("Jane FAIL Doe") is a given name:
// demo accounts read check results from it, so it must reach the target.
func TestCollectedDataKeepsEveryName(t *testing.T) {
	t.Parallel()
	w := &World{env: &Env{RunID: "run-1"}}
	tests := map[string]struct {
		given  []string
		family string
	}{
		"":              {[]string{"Jane"}, "Doe"},
		"Zebedee":       {[]string{"Zebedee"}, "Test"},
		"Jane Doe":      {[]string{"Jane"}, "Doe"},
		"Jane FAIL Doe": {[]string{"Jane", "FAIL"}, "Doe"},
	}
	for name, tt := range tests {
		got := w.collectedData("INDIVIDUAL_CUSTOMER", name)["personal_details"].(map[string]any)["name"].(map[string]any)
		assert.Equal(t, tt.given, got["given_names"], name)
		assert.Equal(t, tt.family, got["family_name"], name)
	}
}
