package contract

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const readOnlySpec = `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: /4.0}]
paths:
  /things:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [name]
              properties:
                id: {type: string, readOnly: true}
                name: {type: string}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [id]
                properties:
                  id: {type: string}
`

// The success-path check skips request and response mode, which only
// readOnly and writeOnly need: a document that uses them keeps the full
// check, so a readOnly field in a request is still refused.
func TestFastPathKeepsReadOnlyRules(t *testing.T) {
	t.Parallel()
	v, err := New([]byte(readOnlySpec), Options{})
	require.NoError(t, err)
	assert.Nil(t, v.fastOpts, "fast path on for a document with readOnly")
	h := http.Header{"Content-Type": {"application/json"}}
	assert.NotEmpty(t, v.CheckRequest("POST", "/things", h, []byte(`{"name":"a","id":"x"}`)), "a readOnly field in a request")
	assert.Empty(t, v.CheckRequest("POST", "/things", h, []byte(`{"name":"a"}`)), "a valid request")
	assert.NotNil(t, mini(t).fastOpts, "fast path off for a document without readOnly or writeOnly")
}
