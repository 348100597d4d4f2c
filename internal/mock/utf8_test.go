package mock

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A request string that is not valid UTF-8 is refused with 400 and the
// envelope; before, it was stored and echoed raw, and the answer was not
// valid JSON (decision D83).
func TestInvalidUTF8Refused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	for name, tc := range map[string]struct{ method, path, body string }{
		"profile customer_ref": {http.MethodPost, "/profiles", "{\"role\":\"INDIVIDUAL_CUSTOMER\",\"customer_ref\":\"a\xffb\",\"collected_data\":{\"entity_type\":\"INDIVIDUAL\"}}"},
		"collected data name":  {http.MethodPost, "/profiles/" + pid + "/collected_data", "{\"entity_type\":\"INDIVIDUAL\",\"personal_details\":{\"name\":{\"given_names\":[\"\xc3\"],\"family_name\":\"x\"}}}"},
		"overlong encoding":    {http.MethodPost, "/profiles", "{\"role\":\"INDIVIDUAL_CUSTOMER\",\"customer_ref\":\"\xc0\xaf\",\"collected_data\":{\"entity_type\":\"INDIVIDUAL\"}}"},
	} {
		r := e.Unrecorded(tc.method, tc.path, tc.body)
		assert.Equal(t, http.StatusBadRequest, r.Status, "%s: %s", name, r.Body)
		assert.True(t, json.Valid(r.Body), "%s: the answer is not valid JSON: %q", name, r.Body)
		assert.Contains(t, string(r.Body), "UTF-8", "%s", name)
	}
	assert.Equal(t, http.StatusOK, e.Get("/profiles/"+pid).Status, "the profile is unchanged and readable")
}
