package suite

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/targets"
)

// A key that also occurs in data ("2026", as in every
// date this year) changes no verdict: the checks read what the target
// sent, and only what is written out is redacted.
func TestShortKeyInDataChangesNoVerdict(t *testing.T) {
	t.Parallel()
	const key = "2026"
	dir := t.TempDir()
	var out bytes.Buffer
	cfg := Config{
		Features: os.DirFS("../.."), Paths: []string{"features"}, Output: &out, Seed: 5, Concurrency: 4,
		ReportsDir: dir,
		Target: Target{Settings: targets.Settings{
			Client: target.Config{APIKey: key},
			Mock:   mockstack.Options{Options: mock.Options{APIKey: key}},
		}, Record: filepath.Join(dir, "run.cassette.json")},
	}
	res, err := Run(cfg)
	require.NoError(t, err, out.String())
	assert.Equal(t, VerdictPass, res.Verdict, "reasons %v\n%s", res.Reasons, lastLines(out.String(), 40))
	// What is written out is still redacted: the key is in the bodies the
	// mock answers (dates), so the recording shows the redaction.
	data, err := os.ReadFile(filepath.Join(dir, "run.cassette.json"))
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(data), `"date": "`+target.Redacted+`-`), "the cassette's dates are not redacted")
	assert.False(t, strings.Contains(string(data), `"date": "`+key+`-`), "a date with the key in the cassette")
}

func lastLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
