package contract

import (
	"net/http"
	"testing"
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
	if err != nil {
		t.Fatal(err)
	}
	if v.fastOpts != nil {
		t.Fatal("fast path on for a document with readOnly")
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if fs := v.CheckRequest("POST", "/things", h, []byte(`{"name":"a","id":"x"}`)); len(fs) == 0 {
		t.Fatal("a readOnly field in a request: no finding")
	}
	if fs := v.CheckRequest("POST", "/things", h, []byte(`{"name":"a"}`)); len(fs) != 0 {
		t.Fatalf("a valid request: %v", fs)
	}
	if mini(t).fastOpts == nil {
		t.Fatal("fast path off for a document without readOnly or writeOnly")
	}
}
