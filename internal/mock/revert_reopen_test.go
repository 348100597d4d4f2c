package mock

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// Reject forexo_basic, add it again, revert the old rejection: the revert
// would leave two open forexo_basic applications, which adding one
// refuses, so it is refused the same way, 409 code 202 (DATA_PRESENT), in
// either revert mode; once the new one is closed the revert goes through
// (decision D87, docs/decisions.md).
func TestRevertRefusedWhenProductAddedAgain(t *testing.T) {
	for _, mode := range []string{"same_id", "new_application"} {
		t.Run(mode, func(t *testing.T) {
			e := newEnv(t, Options{RevertMode: mode})
			pid := e.NewProfile()
			old := e.Apply(pid, "forexo_basic").Str("id")
			e.Settled()
			e.SetStatus(pid, old, "REJECTED").Want(200)
			again := e.apply2(pid, "forexo_basic").Want(200).Str("id")
			revert := "/profiles/" + pid + "/applications/" + old + "/revert_decision"
			r := e.Post(revert, `{"comment":"Rejected by mistake"}`).Want(409, 202)
			assert.Contains(t, r.Str("errors.0.message"), again, "the refusal names the open application")
			assert.Equal(t, "REJECTED", e.App(pid, old).Str("status"), "a refused revert changes nothing")
			e.Settled()
			e.SetStatus(pid, again, "REJECTED").Want(200)
			e.Post(revert, nil).Want(200)
		})
	}
}
