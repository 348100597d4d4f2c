package drift_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/spec"
)

func BenchmarkLoadEnums(b *testing.B) {
	for b.Loop() {
		if _, err := drift.LoadEnums(spec.OpenAPI); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	v := mustValidator(b)
	run := driftingRun(b)
	enums, err := drift.LoadEnums(spec.OpenAPI)
	require.NoError(b, err)
	b.ResetTimer()
	for b.Loop() {
		drift.Analyze(run, v, drift.WithEnums(enums))
	}
}
