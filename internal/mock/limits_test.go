package mock

import (
	"encoding/base64"
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
	t.Run("images", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{MaxStoredBytes: 6000})
		a := e.NewProfile()
		img := map[string]any{"data": "data:image/png;base64," + base64.StdEncoding.EncodeToString(make([]byte, 3000))}
		e.Post("/profiles/"+a+"/document_images", img).Want(200)
		e.Post("/profiles/"+a+"/document_images", img).Want(http.StatusInsufficientStorage, codeInvalidInputData)
		assert.Len(t, e.Get("/profiles/"+a+"/document_images").Want(200).Get("@this").Array(), 1, "the images kept")
		e.Post("/profiles/"+a+"/delete", map[string]any{"confirm_id": a}).Want(200)
		b := e.NewProfile() // the deleted profile's image freed its bytes
		e.Post("/profiles/"+b+"/document_images", img).Want(200)
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
