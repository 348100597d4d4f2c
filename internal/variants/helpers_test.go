package variants_test

import (
	"context"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/spec"
)

// loadSpec loads and validates the embedded contract.
func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	return loadDoc(t, spec.OpenAPI)
}

// loadDoc loads and validates an OpenAPI document.
func loadDoc(t testing.TB, data []byte) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(data)
	require.NoError(t, err, "load")
	require.NoError(t, doc.Validate(context.Background()), "validate")
	return doc
}

func sortStrings(s []string) { sort.Strings(s) }
