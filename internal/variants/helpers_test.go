package variants_test

import (
	"context"
	"sort"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/spec"
)

// embeddedSpec is the embedded contract, parsed and validated once for
// the package's tests: the generator only reads the document.
var embeddedSpec = sync.OnceValues(func() (*openapi3.T, error) {
	parsed, err := apispec.Parse(spec.OpenAPI)
	if err != nil {
		return nil, err
	}
	doc := parsed.OpenAPI()
	return doc, doc.Validate(context.Background())
})

// loadSpec returns the embedded contract, loaded and validated.
func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	doc, err := embeddedSpec()
	require.NoError(t, err, "load and validate the embedded contract")
	return doc
}

// loadDoc parses (through apispec, as a run does) and validates an
// OpenAPI document.
func loadDoc(t testing.TB, data []byte) *openapi3.T {
	t.Helper()
	parsed, err := apispec.Parse(data)
	require.NoError(t, err, "load")
	doc := parsed.OpenAPI()
	require.NoError(t, doc.Validate(context.Background()), "validate")
	return doc
}

func sortStrings(s []string) { sort.Strings(s) }
