package jsontype_test

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/jsontype"
)

func TestOf(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		value any
		want  string
	}{
		"null":           {nil, "null"},
		"boolean":        {true, "boolean"},
		"string":         {"x", "string"},
		"whole float":    {float64(3), "integer"},
		"fraction":       {1.5, "number"},
		"infinity":       {math.Inf(1), "number"},
		"number integer": {json.Number("12"), "integer"},
		"number decimal": {json.Number("1.0"), "number"},
		"number exp":     {json.Number("1e3"), "number"},
		"object":         {map[string]any{}, "object"},
		"array":          {[]any{}, "array"},
		"other Go value": {int8(1), "int8"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, jsontype.Of(tc.value))
		})
	}
}
