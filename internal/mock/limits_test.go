package mock

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The store's limits answer 507 with the envelope, documented in the
// contract, and change nothing stored; deleting a profile makes room
// (decision D82).
func TestStoreLimits(t *testing.T) {
	t.Parallel()
	t.Run("profiles", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{MaxProfiles: 2})
		a, b := e.NewProfile(), e.NewProfile()
		before := e.Get("/profiles/" + a).Want(200)
		r := e.Post("/profiles", map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": map[string]any{"entity_type": "INDIVIDUAL"}})
		r.Want(http.StatusInsufficientStorage, codeInvalidInputData)
		assert.Contains(t, string(r.Body), "-max-profiles")
		assert.Equal(t, string(before.Body), string(e.Get("/profiles/"+a).Want(200).Body), "a stored profile changed")
		e.Post("/profiles/"+b+"/delete", map[string]any{"confirm_id": b}).Want(200)
		e.NewProfile() // room again
	})
	t.Run("bytes", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{MaxStoredBytes: 4096})
		big := map[string]any{"entity_type": "INDIVIDUAL", "personal_details": map[string]any{"name": map[string]any{"given_names": []string{strings.Repeat("a", 3000)}, "family_name": "x"}}}
		a := e.NewProfile()
		cd := e.Request(http.MethodPost, "/profiles/"+a+"/collected_data", big).Want(200)
		r := e.Post("/profiles", map[string]any{"role": "INDIVIDUAL_CUSTOMER", "collected_data": big})
		r.Want(http.StatusInsufficientStorage, codeInvalidInputData)
		assert.Contains(t, string(r.Body), "-max-stored-bytes")
		bigger := map[string]any{"entity_type": "INDIVIDUAL", "personal_details": map[string]any{"name": map[string]any{"given_names": []string{strings.Repeat("b", 5000)}, "family_name": "x"}}}
		e.Request(http.MethodPost, "/profiles/"+a+"/collected_data", bigger).Want(http.StatusInsufficientStorage, codeInvalidInputData)
		got := e.Get("/profiles/" + a + "/collected_data").Want(200)
		require.Contains(t, string(got.Body), strings.Repeat("a", 3000), "the stored collected data is kept")
		assert.Equal(t, string(cd.Body), string(got.Body), "the stored collected data changed")
	})
}
