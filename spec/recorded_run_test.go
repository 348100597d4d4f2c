package spec_test

import (
	"io"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/suite"
)

// theRecordedRun is one default run of the suite against the embedded mock
// (seed 7), recorded as a cassette, shared by the tests that hold its
// answers to a schema: a whole run costs seconds, more under the race
// detector.
var theRecordedRun struct {
	once sync.Once
	dir  string // holds the cassette; TestMain removes it
	err  error
}

// recordedRun returns the path of the shared run's cassette, running it on
// the first call.
func recordedRun(t *testing.T) string {
	t.Helper()
	r := &theRecordedRun
	r.once.Do(func() {
		if r.dir, r.err = os.MkdirTemp("", "spec-recorded-run-"); r.err != nil {
			return
		}
		_, r.err = suite.Run(suite.Config{Features: os.DirFS(".."), Output: io.Discard, Seed: 7, Concurrency: 4,
			Target: suite.Target{Record: filepath.Join(r.dir, "run.cassette.json")}})
	})
	require.NoError(t, r.err, "the recorded run")
	return filepath.Join(r.dir, "run.cassette.json")
}

func TestMain(m *testing.M) {
	code := m.Run()
	if theRecordedRun.dir != "" {
		_ = os.RemoveAll(theRecordedRun.dir)
	}
	os.Exit(code)
}
