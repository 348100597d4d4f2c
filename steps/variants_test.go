package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/contract"
)

// TestOpenAPIReusesTheValidatorsDocument pins that the variant steps read
// the document the run's Validator parsed, instead of parsing the spec again.
func TestOpenAPIReusesTheValidatorsDocument(t *testing.T) {
	t.Parallel()
	v, err := contract.Default()
	require.NoError(t, err)

	env := &Env{Validator: v}
	doc, err := env.openAPI()
	require.NoError(t, err)
	assert.Same(t, v.Document().OpenAPI(), doc, "the embedded spec: the validator's document")

	other := &Env{Validator: v, Spec: []byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n")}
	doc, err = other.openAPI()
	require.NoError(t, err)
	assert.NotSame(t, v.Document().OpenAPI(), doc, "another spec: parsed on its own")
	assert.Equal(t, 0, doc.Paths.Len())

	broken := &Env{Spec: []byte("openapi: [unclosed")}
	_, err = broken.openAPI()
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "\n", "one line")
}
