package steps

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/target"
)

// thingSpec has one operation whose example body holds "{{", as a target's
// own spec may (PASSFORT_SPEC).
const thingSpec = `openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /things:
    post:
      operationId: createThing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                name: {type: string}
            example: {name: "a {{template}} name"}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: object}
`

// A generated variant's body is sent as generated: it is not feature text,
// so "{{" in it is not a variable to expand.
func TestVariantBodiesAreNotExpanded(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var bodies []string
	h := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		rw.Header().Set("Content-Type", "application/json")
		_, _ = rw.Write([]byte(`{}`))
	})
	w := NewWorld(&Env{Spec: []byte(thingSpec)})
	c, err := target.New(target.Config{BaseURL: "http://mock.invalid/4.0", Transport: target.InProcess(h), Observe: w.Observe})
	require.NoError(t, err)
	w.Attach(c)
	err = everyVariant(WithWorld(context.Background(), w), "valid", "POST /things")
	if err != nil {
		assert.NotContains(t, err.Error(), "variable", "the variant's body was expanded")
	}
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, bodies, "variants sent")
	found := false
	for _, b := range bodies {
		found = found || strings.Contains(b, "a {{template}} name")
	}
	assert.True(t, found, "got bodies %q, want the example's name as generated", bodies)
}
