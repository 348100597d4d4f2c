package steps

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

// "failed as KIND within N seconds" times the target: the time the
// harness's own rate limiter held the request does not count; back-off
// the target asked for does.
func TestFailedAsWithin(t *testing.T) {
	t.Parallel()
	w := &World{findings: []finding.Finding{{Class: finding.Infrastructure, Kind: finding.RetriesExhausted}}}
	tests := []struct {
		name                       string
		duration, waited, throttle time.Duration
		wantErr                    string
	}{
		{"fast", time.Second, 0, 0, ""},
		{"held by our limiter", 8 * time.Second, 7 * time.Second, 7 * time.Second, ""},
		{"backing off as told", 8 * time.Second, 7 * time.Second, 0, "failure took 8s, want at most 5s"},
		{"slow besides our limiter", 9 * time.Second, 3 * time.Second, 3 * time.Second, "failure took 6s, want at most 5s"},
	}
	for _, tt := range tests {
		ex := &exchange.Exchange{Status: 429, Err: "retries-exhausted: …", Duration: tt.duration, Waited: tt.waited, Throttled: tt.throttle}
		err := failedAs(w, ex, finding.RetriesExhausted, 5)
		if tt.wantErr == "" {
			assert.NoError(t, err, tt.name)
		} else if assert.Error(t, err, tt.name) {
			assert.Contains(t, err.Error(), tt.wantErr, tt.name)
		}
	}
}
