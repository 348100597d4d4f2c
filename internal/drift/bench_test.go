package drift_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/spec"
)

// BenchmarkEnumIndex parses the spec and builds the enum index of every
// operation (the index builds an operation's entry on first use, so the
// loop asks for each).
func BenchmarkEnumIndex(b *testing.B) {
	var ops []string
	for _, o := range mustValidator(b).Operations() {
		ops = append(ops, o.String())
	}
	for b.Loop() {
		doc, err := apispec.Parse(spec.OpenAPI)
		require.NoError(b, err)
		for _, op := range ops {
			doc.Enums().Pointers(op, 200)
		}
	}
}

func BenchmarkAnalyze(b *testing.B) {
	v := mustValidator(b)
	run := driftingRun(b)
	b.ResetTimer()
	for b.Loop() {
		drift.Analyze(run, v, drift.WithEnums(v.Document().Enums()))
	}
}
