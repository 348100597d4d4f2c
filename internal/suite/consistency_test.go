package suite

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/target"
)

// inconsistentReads returns the keys of the run's inconsistent-read findings.
func inconsistentReads(res *Result) []string {
	var out []string
	for _, f := range res.Run.Findings() {
		if f.Kind == finding.InconsistentRead {
			out = append(out, f.Key())
		}
	}
	return out
}

// A target whose answer to completing a task contradicts itself fails the scenario as lifecycle, under the consistency
// rule's name; the recorded run re-checked offline gives the same verdict and
// the same findings, and a clean recorded run re-checks clean.
func TestConsistencyIsJudgedLiveAndOnRecheck(t *testing.T) {
	t.Parallel()
	// Completing a task answers it COMPLETED_PASS yet not complete: neither
	// the contract nor the lifecycle model sees it.
	halfDone := func(next http.Handler) http.Handler {
		rw := rewrite("POST", "", func(b map[string]any) {
			b["is_complete"] = false
		})(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "POST" && strings.Contains(r.URL.Path, "/tasks/") {
				rw.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
	tests := map[string]struct {
		wrap    func(http.Handler) http.Handler
		verdict Verdict
	}{
		"clean": {nil, VerdictPass},
		"a completed task says it is not complete": {halfDone, VerdictLifecycle},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cassette := filepath.Join(t.TempDir(), "run.cassette.json")
			res, out := run(t, map[string]string{"a.feature": approveJourney}, func(c *Config) {
				c.Target.Record = cassette
				c.Target.WrapMock = tc.wrap
			})
			require.Equal(t, tc.verdict, res.Verdict, "recorded run:\n%s", out)
			c, err := target.ReadCassette(cassette)
			require.NoError(t, err)
			var console bytes.Buffer
			again, err := Recheck(c, Config{Output: &console})
			require.NoError(t, err)
			assert.Equal(t, res.Verdict, again.Verdict, "re-check:\n%s", console.String())
			assert.Equal(t, inconsistentReads(res), inconsistentReads(again))
			if tc.verdict == VerdictPass {
				assert.Empty(t, inconsistentReads(res))
				return
			}
			require.NotEmpty(t, inconsistentReads(res))
			for _, f := range failingFindings(res) {
				assert.Equal(t, finding.InconsistentRead, f.Kind, "only the consistency checker sees this fault: %v", f)
				assert.Equal(t, "task-state-agrees", f.Rule)
			}
			assert.Contains(t, out, "task-state-agrees")
			assert.Contains(t, console.String(), "task-state-agrees")
		})
	}
}
