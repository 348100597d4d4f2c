package mock

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// The store's limits answer 507 with the envelope, documented in the
// contract, and change nothing stored; deleting a profile makes room
// (decisions D82 and D114).
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
	t.Run("files", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{MaxStoredBytes: 6000})
		a := e.NewProfile()
		f := map[string]any{"data": base64.StdEncoding.EncodeToString(make([]byte, 3000)), "name": "zeros.bin"}
		kept := e.Post("/profiles/"+a+"/files", f).Want(200).Str("id")
		e.Post("/profiles/"+a+"/files", f).Want(http.StatusInsufficientStorage, codeInvalidInputData)
		assert.Equal(t, f["data"], strings.TrimPrefix(e.Get("/profiles/"+a+"/files/"+kept).Want(200).Str("decrypted_data"), "data:application/octet-stream;base64,"), "the file kept")
		e.Post("/profiles/"+a+"/delete", map[string]any{"confirm_id": a}).Want(200)
		b := e.NewProfile() // the deleted profile's file freed its bytes
		e.Post("/profiles/"+b+"/files", f).Want(200)
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

// An application's history and a profile's applications are bounded: the
// operation past a bound is 507 with the envelope, documented in the
// contract, and leaves what is stored as it was (decision D92).
func TestProfileLimits(t *testing.T) {
	t.Parallel()
	t.Run("history", func(t *testing.T) {
		t.Parallel()
		const maxHistory = 8
		e := newEnv(t, Options{MaxHistory: maxHistory})
		p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic")).Want(200)
		pid, aid := p.Str("id"), p.Str("applications.0.id")
		e.Settled()
		appPath := "/profiles/" + pid + "/applications/" + aid
		refused := -1
		for i := range maxHistory {
			r := e.Post(appPath, map[string]any{"status": "REJECTED"})
			if r.Status == http.StatusInsufficientStorage {
				refused = i
				break
			}
			r.Want(200)
			e.Post(appPath+"/revert_decision", nil).Want(200)
		}
		require.GreaterOrEqual(t, refused, 0, "%d reject and revert cycles were all accepted", maxHistory)
		before := e.Get(appPath).Want(200)
		assert.GreaterOrEqual(t, len(before.Get("history").Array()), maxHistory-1)
		assert.LessOrEqual(t, len(before.Get("history").Array()), maxHistory)
		profile := e.Get("/profiles/" + pid).Want(200)
		for name, req := range map[string]struct {
			path string
			body any
		}{
			"a decision": {appPath, map[string]any{"status": "REJECTED"}},
			"a revert":   {appPath + "/revert_decision", nil},
			"a task":     {"/profiles/" + pid + "/tasks/" + profile.Str("tasks.0.id"), map[string]any{"state": "COMPLETED_PASS"}},
			"a check":    {"/profiles/" + pid + "/checks", map[string]any{"check_type": "IDENTITY_CHECK"}},
		} {
			r := e.Post(req.path, req.body).Want(http.StatusInsufficientStorage, codeInvalidInputData)
			assert.Contains(t, string(r.Body), "-max-history", name)
		}
		assert.Equal(t, string(profile.Body), string(e.Get("/profiles/"+pid).Want(200).Body), "the refused operations changed the profile")
		assert.Equal(t, string(before.Body), string(e.Get(appPath).Want(200).Body), "the application changed")
		e.Post("/profiles/"+pid+"/tags", map[string]any{"name": "full"}).Want(200) // what moves no application still works
	})
	t.Run("applications", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{MaxApplicationsPerProfile: 2})
		p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic")).Want(200)
		pid := p.Str("id")
		e.Apply(pid, "forexo_instant")
		before := e.Get("/profiles/" + pid + "/applications").Want(200)
		r := e.Post("/profiles/"+pid+"/applications", map[string]any{"product": map[string]any{"alias": "forexo_crypto"}}).
			Want(http.StatusInsufficientStorage, codeInvalidInputData)
		assert.Contains(t, string(r.Body), "-max-applications-per-profile")
		assert.Equal(t, string(before.Body), string(e.Get("/profiles/"+pid+"/applications").Want(200).Body), "the applications changed")
		e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic", "forexo_instant", "forexo_crypto")).
			Want(http.StatusInsufficientStorage, codeInvalidInputData)
	})
	t.Run("a revert that makes a new application", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{MaxApplicationsPerProfile: 1, RevertMode: "new_application"})
		p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic")).Want(200)
		pid, aid := p.Str("id"), p.Str("applications.0.id")
		e.Settled()
		e.SetStatus(pid, aid, "REJECTED").Want(200)
		before := e.Get("/profiles/" + pid + "/applications").Want(200)
		r := e.Post("/profiles/"+pid+"/applications/"+aid+"/revert_decision", nil).Want(http.StatusInsufficientStorage, codeInvalidInputData)
		assert.Contains(t, string(r.Body), "-max-applications-per-profile")
		assert.Equal(t, string(before.Body), string(e.Get("/profiles/"+pid+"/applications").Want(200).Body), "the applications changed")
	})
	t.Run("a full store still takes smaller collected data", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{MaxStoredBytes: 8 << 10})
		p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic")).Want(200)
		pid, aid := p.Str("id"), p.Str("applications.0.id")
		e.Settled()
		big := mocktest.Individual(strings.Repeat("a", 6<<10), "Lovelace")["collected_data"]
		e.Post("/profiles/"+pid+"/collected_data", big).Want(200)
		e.Post("/profiles/"+pid+"/applications/"+aid, map[string]any{"status": "REJECTED", "comment": strings.Repeat("c", 2<<10)}).Want(200)
		r := e.Post("/profiles/"+pid+"/applications/"+aid+"/revert_decision", nil).Want(http.StatusInsufficientStorage, codeInvalidInputData)
		assert.Contains(t, string(r.Body), "-max-stored-bytes")
		e.Post("/profiles/"+pid+"/collected_data", mocktest.Individual("Ada", "Lovelace")["collected_data"]).Want(200)
		e.Post("/profiles/"+pid+"/applications/"+aid+"/revert_decision", nil).Want(200) // room again
	})
	t.Run("records count towards the stored bytes", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, Options{MaxStoredBytes: 64 << 10, RevertMode: "new_application"})
		p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic")).Want(200)
		pid, aid := p.Str("id"), p.Str("applications.0.id")
		e.Settled()
		comment := strings.Repeat("c", 8<<10)
		// Each cycle keeps the comment twice: in the hidden application and
		// in the new one's copy of its history.
		var refused mocktest.Resp
		for range 16 {
			r := e.Post("/profiles/"+pid+"/applications/"+aid, map[string]any{"status": "REJECTED", "comment": comment})
			if r.Status == http.StatusOK {
				r = e.Post("/profiles/"+pid+"/applications/"+aid+"/revert_decision", nil)
				aid = r.Str("id")
			}
			if r.Status == http.StatusInsufficientStorage {
				refused = r
				break
			}
			r.Want(200)
		}
		require.Equal(t, http.StatusInsufficientStorage, refused.Status, "16 decisions with 8 KiB comments fitted in 64 KiB")
		assert.Contains(t, string(refused.Body), "bytes of "+storedKinds+", its limit of", "one wording for the byte limit, whichever way it is reached")
		assert.Contains(t, string(refused.Body), "-max-stored-bytes")
		e.Post("/profiles/"+pid+"/delete", map[string]any{"confirm_id": pid}).Want(200)
		assert.Zero(t, e.s.store.bytes.Load(), "deleting the profile frees every byte charged for it")
	})
}

// A profile deleted while a timed change of it is due stays as its deletion
// left it: a read that worked the change out after the deletion (a search
// that saw the profile before it was deleted) would charge the store bytes
// that nothing frees again.
func TestDeletedProfileChargesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	pid := e.NewProfile()
	e.Apply(pid, "forexo_basic") // its automation is due later
	x, ok := parseID(pid)
	require.True(t, ok, "profile id")
	p := e.s.store.get(x)
	require.NotNil(t, p, "stored profile")
	e.Post("/profiles/"+pid+"/delete", map[string]any{"confirm_id": pid}).Want(200)
	before := e.s.store.bytes.Load()
	p.mu.Lock()
	e.s.advance(p, stampOf(e.Clock.Now().Add(time.Hour)))
	p.mu.Unlock()
	assert.Equal(t, before, e.s.store.bytes.Load(), "stored bytes after working out a deleted profile's changes")
}

// The refusal of more collected data says what the stored bytes it counts
// are: on a store filled by application records, "holds N bytes of
// collected data" would name far more collected data than there is.
func TestStorageFullNamesWhatItCounts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{MaxStoredBytes: 16 << 10})
	p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic")).Want(200)
	pid, aid := p.Str("id"), p.Str("applications.0.id")
	e.Settled()
	e.Post("/profiles/"+pid+"/applications/"+aid, map[string]any{"status": "REJECTED", "comment": strings.Repeat("c", 12<<10)}).Want(200)
	bigger := mocktest.Individual(strings.Repeat("a", 6<<10), "Lovelace")["collected_data"]
	r := e.Post("/profiles/"+pid+"/collected_data", bigger).Want(http.StatusInsufficientStorage, codeInvalidInputData)
	assert.Contains(t, r.Str("errors.0.message"), "bytes of "+storedKinds)
}
