package suite

import (
	"io"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/features"
)

// theDefaultRun is one default run of the suite (every feature, the embedded
// mock, seed 1), shared by the tests that only read it: a whole run costs
// seconds, more under the race detector.
var theDefaultRun struct {
	once sync.Once
	res  *Result
	dir  string // its reports folder; TestMain removes it
	err  error
}

// defaultRun returns the shared default run and its reports folder, running
// it on the first call.
func defaultRun(t *testing.T) (*Result, string) {
	t.Helper()
	r := &theDefaultRun
	r.once.Do(func() {
		if r.dir, r.err = os.MkdirTemp("", "suite-default-run-"); r.err != nil {
			return
		}
		r.res, r.err = Run(Config{Features: features.FS, Paths: []string{"."}, FeatureBase: "features", Seed: 1, Output: io.Discard, ReportsDir: r.dir})
	})
	require.NoError(t, r.err, "the default run")
	return r.res, r.dir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if theDefaultRun.dir != "" {
		_ = os.RemoveAll(theDefaultRun.dir)
	}
	os.Exit(code)
}
