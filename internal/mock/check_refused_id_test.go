package mock

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// A check refused because the store is full takes no id: a seeded mock
// answers with the same ids after it as a mock that was never sent it
// (decision D82: a 507 changes nothing stored). Both a run check and the
// copy an approve makes are refused so.
func TestRefusedCheckTakesNoID(t *testing.T) {
	t.Parallel()
	for name, refused := range map[string]func(e *env, pid, checkID string) mocktest.Resp{
		"a run check": func(e *env, pid, _ string) mocktest.Resp {
			return e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"})
		},
		"an approve's copy": func(e *env, pid, checkID string) mocktest.Resp {
			return e.Post("/profiles/"+pid+"/checks/"+checkID+"/approve", map[string]any{})
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// nextTaskID adds a task, which charges no byte, after a
			// check, and after the refused request when refuse is true.
			nextTaskID := func(refuse bool) string {
				e := newEnv(t, Options{Seed: 7})
				pid := e.Post("/profiles", mocktest.Individual("Ada", "Lovelace")).Want(200).Str("id")
				checkID := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(200).Str("id")
				e.s.store.maxBytes = e.s.store.bytes.Load() + 1 // room for no check's input_data
				if refuse {
					r := refused(e, pid, checkID)
					require.Equal(t, http.StatusInsufficientStorage, r.Status, "the check is refused for room")
				}
				return e.Post("/profiles/"+pid+"/tasks", map[string]any{"type": "INDIVIDUAL_MANUAL_TASK"}).Want(200).Str("id")
			}
			assert.Equal(t, nextTaskID(false), nextTaskID(true), "the id after a refused check")
		})
	}
}

// The 507 that refuses a check for room names checks among what fills the
// store: a check's input_data and output_data count (decision D124).
func TestRefusedCheckSaysChecksCount(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	pid := e.Post("/profiles", mocktest.Individual("Ada", "Lovelace")).Want(200).Str("id")
	e.s.store.maxBytes = e.s.store.bytes.Load() + 1 // room for no check's input_data
	r := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(http.StatusInsufficientStorage, codeInvalidInputData)
	assert.Contains(t, string(r.Body), "checks' input and output data", "what fills the store")
	e.s.store.maxBytes = e.s.store.bytes.Load() // full: refused before the check is weighed
	r = e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(http.StatusInsufficientStorage, codeInvalidInputData)
	assert.Contains(t, string(r.Body), "checks' input and output data", "what fills the store")
}
