package report

import (
	"bytes"
	"encoding/xml"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// godog's own JUnit formatter computes a suite's time from the first and last
// scenario it saw; under --godog.random the order changes and the time comes
// out negative, which Jenkins rejects. Our times are sums of non-negative
// scenario durations and a wall clock that falls back to that sum.
func TestJUnitTimeNeverNegativeUnderRandomOrder(t *testing.T) {
	t.Parallel()
	tests := map[string]*Run{
		"negative scenario duration": {Features: []Feature{{Name: "F", Scenarios: []Scenario{
			{Name: "a", Status: Passed, Duration: -2 * time.Second},
			{Name: "b", Status: Passed, Duration: 500 * time.Millisecond},
		}}}},
		"finished before started": {
			Started: t0.Add(time.Minute), Finished: t0,
			Features: []Feature{{Name: "F", Scenarios: []Scenario{
				{Name: "b", Status: Passed, Started: t0.Add(time.Second), Duration: 250 * time.Millisecond},
				{Name: "a", Status: Passed, Started: t0, Duration: 250 * time.Millisecond},
			}}},
		},
	}
	for name, r := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			require.NoError(t, WriteJUnit(&buf, r))
			checkJUnitSchema(t, buf.Bytes()) // rejects any negative time
			var doc xsdSuites
			require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc))
			assert.Equal(t, 0.5, doc.Suites[0].Time)
			assert.Equal(t, 0.5, doc.Time)
		})
	}
}
