package steps

import (
	"context"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/target"
)

// A step's argument is expanded once: a saved value that holds "{{" or a
// quote is sent as it is, not expanded again inside the JSON body the step
// built, where it would be an unknown variable or break the JSON.
func TestStepArgumentsExpandOnce(t *testing.T) {
	t.Parallel()
	const saved = `Ada "the" {{not a variable}}`
	tests := map[string]struct {
		step  func(ctx context.Context) error
		field string // where the request body carries the argument
	}{
		"a decision's comment": {
			step:  func(ctx context.Context) error { return decideWithComment(ctx, "approve", "{{saved}}") },
			field: "comment",
		},
		"a profile's name": {
			step:  func(ctx context.Context) error { return aProfileNamed(ctx, "COMPANY", "{{saved}}") },
			field: "collected_data.metadata.name",
		},
		"a raised event's type": {
			step:  func(ctx context.Context) error { return raiseEventAsIs(ctx, "{{saved}}") },
			field: "data.event_type",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w, sent := recordingWorld(t, &Env{}, `{"id":"p1","applications":[]}`)
			w.vars["profile_id"], w.vars["application_id"], w.vars["saved"] = "p1", "a1", saved
			require.NoError(t, tc.step(WithWorld(context.Background(), w)))
			bodies := sent()
			require.Len(t, bodies, 1, "requests sent")
			require.True(t, gjson.ValidBytes(bodies[0]), "request body is JSON: %s", bodies[0])
			assert.Equal(t, saved, gjson.GetBytes(bodies[0], tc.field).String())
		})
	}
}

// A raw JSON body from a feature escapes what it substitutes inside its
// strings, so a saved value (or a product name) with a quote or a backslash
// is sent as that value and the body stays JSON; a body sent with a
// Content-Type that is not JSON gets the value as it is.
func TestRawBodySubstitutesIntoJSONStrings(t *testing.T) {
	t.Parallel()
	const saved = `Forexo "Gold" \ plan`
	w, sent := recordingWorld(t, &Env{}, `{}`)
	w.vars["saved"] = saved
	ctx := WithWorld(context.Background(), w)
	require.NoError(t, sendRequestWithBody(ctx, http.MethodPost, "/profiles", &godog.DocString{Content: `{"role": "INDIVIDUAL_CUSTOMER", "name": "{{saved}}"}`}))
	require.NoError(t, sendRequestWithContentType(ctx, http.MethodPost, "/profiles", "text/plain", &godog.DocString{Content: `name "{{saved}}"`}))
	bodies := sent()
	require.Len(t, bodies, 2, "requests sent")
	require.True(t, gjson.ValidBytes(bodies[0]), "request body is JSON: %s", bodies[0])
	assert.Equal(t, saved, gjson.GetBytes(bodies[0], "name").String())
	assert.Equal(t, `name "`+saved+`"`, string(bodies[1]), "a body that is not JSON")
}

// recordingWorld returns a scenario's world whose target answers every
// request with reply as JSON; sent returns the request bodies so far.
func recordingWorld(t *testing.T, env *Env, reply string) (w *World, sent func() [][]byte) {
	t.Helper()
	var mu sync.Mutex
	var bodies [][]byte
	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, b)
		mu.Unlock()
		rw.Header().Set("Content-Type", "application/json")
		_, _ = rw.Write([]byte(reply))
	})
	w = NewWorld(env)
	c, err := target.New(target.Config{BaseURL: "http://mock.invalid/4.0", Transport: target.InProcess(h), Observe: w.Observe})
	require.NoError(t, err)
	w.Attach(c)
	return w, func() [][]byte {
		mu.Lock()
		defer mu.Unlock()
		return append([][]byte(nil), bodies...)
	}
}
