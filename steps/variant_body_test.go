package steps

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
	w, sent := recordingWorld(t, &Env{Spec: []byte(thingSpec)}, `{}`)
	err := everyVariant(WithWorld(context.Background(), w), "valid", "POST /things")
	if err != nil {
		assert.NotContains(t, err.Error(), "variable", "the variant's body was expanded")
	}
	var bodies []string
	for _, b := range sent() {
		bodies = append(bodies, string(b))
	}
	require.NotEmpty(t, bodies, "variants sent")
	found := false
	for _, b := range bodies {
		found = found || strings.Contains(b, "a {{template}} name")
	}
	assert.True(t, found, "got bodies %q, want the example's name as generated", bodies)
}
