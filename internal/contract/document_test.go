package contract

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
)

// shared is a spec whose server is absolute and whose pattern Go's regexp
// cannot compile: the two things building a Validator used to change in
// the document.
const shared = `
openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "https://api.example.com/4.0"}]
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                name: {type: string, pattern: "^(?!tmp_)[a-z_]+$"}
      responses:
        '201': {description: created}
`

// TestFromDocumentLeavesTheDocument pins that the contract reads the
// document other packages share without changing it, lenient or not.
func TestFromDocumentLeavesTheDocument(t *testing.T) {
	t.Parallel()
	doc, err := apispec.Parse([]byte(shared))
	require.NoError(t, err)

	v, err := FromDocument(doc, Options{Lenient: true})
	require.NoError(t, err)
	assert.Same(t, doc, v.Document())
	assert.Equal(t, doc.Hash(), v.Hash())
	assert.NotEmpty(t, v.Warnings(), "the pattern is reported")
	op, ok := v.Operation("POST", "/4.0/things")
	require.True(t, ok, "requests to any host route below the server's path")
	assert.Equal(t, "POST /things", op.String())

	kin := doc.OpenAPI()
	assert.Equal(t, "https://api.example.com/4.0", kin.Servers[0].URL, "servers as written")
	name := kin.Paths.Value("/things").Post.RequestBody.Value.Content["application/json"].Schema.Value.Properties["name"].Value
	assert.Equal(t, "^(?!tmp_)[a-z_]+$", name.Pattern, "patterns as written")
	assert.Nil(t, kin.GetSchemaValidationOptions(), "no format set on the shared document")
}

// TestFromDocumentErrorsMatchNew pins that the document-taking
// constructor words a broken spec as New does.
func TestFromDocumentErrorsMatchNew(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"no paths":   "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n",
		"no openapi": "info: {title: t, version: '1'}\npaths: {/a: {get: {responses: {'200': {description: ok}}}}}\n",
		"strict":     shared,
	}
	for name, raw := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, want := New([]byte(raw), Options{})
			require.Error(t, want)
			doc, err := apispec.Parse([]byte(raw))
			require.NoError(t, err)
			_, got := FromDocument(doc, Options{})
			assert.EqualError(t, got, want.Error())
		})
	}
}

// TestNewParseErrors pins the one-line reasons New gives for a spec that
// does not parse.
func TestNewParseErrors(t *testing.T) {
	t.Parallel()
	_, err := New([]byte("  \n"), Options{})
	assert.EqualError(t, err, "contract: spec is empty")
	_, err = New([]byte("openapi: [unclosed"), Options{})
	require.Error(t, err)
	assert.Regexp(t, `^contract: cannot load spec: [^\n]+$`, err.Error())
	var se *SpecError
	assert.ErrorAs(t, err, &se)
}
