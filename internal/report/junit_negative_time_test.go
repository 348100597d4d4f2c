package report

import (
	"bytes"
	"encoding/xml"
	"testing"
	"time"
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
			if err := WriteJUnit(&buf, r); err != nil {
				t.Fatal(err)
			}
			checkJUnitSchema(t, buf.Bytes()) // rejects any negative time
			var doc xsdSuites
			if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if got := doc.Suites[0].Time; got != 0.5 {
				t.Errorf("testsuite time = %v; want 0.5 (sum of non-negative scenario times)", got)
			}
			if doc.Time != 0.5 {
				t.Errorf("testsuites time = %v; want 0.5", doc.Time)
			}
		})
	}
}
