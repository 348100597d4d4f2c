package apispec

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/spec"
)

func bigMapping(keys int) []byte {
	var b strings.Builder
	b.WriteString("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\nx-big:\n")
	for i := range keys {
		fmt.Fprintf(&b, "  k%d: v\n", i)
	}
	return []byte(b.String())
}

// One huge mapping is refused at once with the line it
// starts on, not decoded for seconds (minutes at 90,000 keys).
func TestParseRefusesHugeMapping(t *testing.T) {
	start := time.Now()
	_, err := Parse(bigMapping(20_000))
	require.Error(t, err)
	assert.Less(t, time.Since(start), 10*time.Second, "refused at once, not decoded")
	assert.Contains(t, err.Error(), "line 5: got a mapping of 20000 keys, want at most 2000")
	assert.NotContains(t, err.Error(), "\n")
}

func TestCheckShape(t *testing.T) {
	require.NoError(t, CheckShape(spec.OpenAPI), "the real spec is well under the limits")
	require.NoError(t, CheckShape(bigMapping(MaxMappingKeys)))
	require.Error(t, CheckShape(bigMapping(MaxMappingKeys+1)))
	deep := strings.Repeat("[", maxDepth+2) + strings.Repeat("]", maxDepth+2)
	assert.ErrorContains(t, CheckShape([]byte(deep)), "nesting")
	var many strings.Builder
	many.WriteString("x:\n")
	for i := range MaxNodes / 3 {
		fmt.Fprintf(&many, "  - {a: %d}\n", i)
	}
	assert.ErrorContains(t, CheckShape([]byte(many.String())), "YAML nodes")
	assert.NoError(t, CheckShape([]byte("not: [valid")), "the loader reports invalid YAML")
}

// FuzzParse: no spec makes Parse panic or hang, whatever its bytes.
func FuzzParse(f *testing.F) {
	f.Add(spec.OpenAPI)
	f.Add([]byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"))
	f.Add([]byte(`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{"/a":{"$ref":"#/x"}}}`))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		d, err := Parse(raw)
		if err == nil {
			require.NotNil(t, d)
			_ = d.Hash()
		}
	})
}
