package spec_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Each 507 the mock answers has an example in the contract: every limit a
// storage-full response names in its description has an example message
// that names the limit's flag, so a client author sees each refusal as the
// mock words it.
func TestStorageFullResponsesHaveAnExamplePerLimit(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	for name, flags := range map[string][]string{
		"InsufficientStorage": {"-max-profiles", "-max-stored-bytes", "-max-applications-per-profile"},
		"ProfileFull":         {"-max-history", "-max-applications-per-profile", "-max-stored-bytes"},
	} {
		ref := doc.Components.Responses[name]
		require.NotNil(t, ref, "components.responses.%s", name)
		media := ref.Value.Content.Get("application/json")
		require.NotNil(t, media, "components.responses.%s: application/json", name)
		var messages []string
		if media.Example != nil {
			messages = append(messages, firstMessage(media.Example))
		}
		for _, ex := range media.Examples {
			messages = append(messages, firstMessage(ex.Value.Value))
		}
		for _, flag := range flags {
			assert.Contains(t, *ref.Value.Description, "`"+flag+"`", "components.responses.%s: description names %s", name, flag)
			found := false
			for _, m := range messages {
				found = found || strings.Contains(m, "("+flag+")")
			}
			assert.True(t, found, "components.responses.%s: got no example naming (%s), want one per limit; examples: %q", name, flag, messages)
		}
	}
}

// firstMessage is errors[0].message of an ErrorResponse example.
func firstMessage(example any) string {
	body, _ := example.(map[string]any)
	errs, _ := body["errors"].([]any)
	if len(errs) == 0 {
		return ""
	}
	first, _ := errs[0].(map[string]any)
	m, _ := first["message"].(string)
	return m
}
