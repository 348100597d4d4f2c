package variants_test

import (
	"context"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/spec"
)

// loadSpec loads and validates the embedded contract.
func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	return loadDoc(t, spec.OpenAPI)
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
