package suite

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/targets"
)

// ReadPrevious reads of a run.json only what the comparison needs: a
// comparison with it equals one with the whole run ReadRun reads, both
// ways between a run whose applications break the contract and carry an
// undocumented field and a clean run with another seed.
func TestReadPreviousComparesAsReadRun(t *testing.T) {
	t.Parallel()
	broken := rewrite("POST", "/applications", func(b map[string]any) {
		b["status"] = "FOO"
		b["planted_field"] = "drift"
	})
	brokenDir := t.TempDir()
	_, err := Run(Config{
		Features: os.DirFS("../.."), Paths: []string{"features"}, Output: io.Discard, Seed: 2,
		ReportsDir: brokenDir, Target: Target{Settings: targets.Settings{WrapMock: broken}},
	})
	require.NoError(t, err)
	// The clean run is the package's shared default run (seed 1).
	_, cleanDir := defaultRun(t)
	dirs := map[string]string{"broken": brokenDir, "clean": cleanDir}
	for name, pair := range map[string]struct{ previous, current string }{
		"newly failing and new drift": {previous: "clean", current: "broken"},
		"fixed and vanished drift":    {previous: "broken", current: "clean"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			current, err := ReadRun(dirs[pair.current])
			require.NoError(t, err)
			whole, err := ReadRun(dirs[pair.previous])
			require.NoError(t, err)
			lean, err := ReadPrevious(dirs[pair.previous])
			require.NoError(t, err)
			want := report.Compare(whole, current)
			require.NotEmpty(t, append(want.NewlyFailing, want.Fixed...), "the runs should differ in failing scenarios")
			require.NotEmpty(t, append(want.NewDrift, want.VanishedDrift...), "the runs should differ in drift")
			assert.Equal(t, want, report.Compare(lean, current))
		})
	}
}

// ReadPrevious refuses what ReadRun refuses, with a one-line error naming
// the file. (Of the fields it does not read, such as the exchanges, it
// checks only that they are JSON.)
func TestReadPreviousErrorsAsReadRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	files := map[string]struct{ content, want string }{
		"not-json":     {`{"id": `, "unexpected end of JSON input"},
		"no-id":        {`{"spec_hash":"abc","features":[]}`, "got no id or spec_hash"},
		"no-hash":      {`{"id":"run-1","features":[]}`, "got no id or spec_hash"},
		"wrong-type":   {`{"id":"run-1","spec_hash":"abc","features":[{"scenarios":[{"line":"three"}]}]}`, "features.scenarios.line of type int"},
		"trailing":     {`{"id":"run-1","spec_hash":"abc"} {}`, "invalid character '{' after top-level value"},
		"bad-exchange": {`{"id":"run-1","spec_hash":"abc","features":[{"scenarios":[{"steps":[{"exchanges":[}]}]}]}`, "invalid character '}'"},
	}
	for name, f := range files {
		path := filepath.Join(dir, name+".json")
		require.NoError(t, os.WriteFile(path, []byte(f.content), 0o600))
		for reader, read := range map[string]func(string) (*report.Run, error){"ReadRun": ReadRun, "ReadPrevious": ReadPrevious} {
			_, err := read(path)
			require.Error(t, err, "%s %s", reader, name)
			assert.Contains(t, err.Error(), f.want, "%s %s", reader, name)
			assert.Contains(t, err.Error(), path, "%s %s", reader, name)
			assert.NotContains(t, err.Error(), "\n", "%s %s", reader, name)
		}
	}
}
