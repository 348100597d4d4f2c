package suite

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/targets"
)

// sentPersonalData are the names and dates of birth the features below
// send (steps/domain.go sends Jane Doe, born 1990-01-31).
var sentPersonalData = regexp.MustCompile(`\b(Ada|Lovelace|Grace|Hopper|Jane|Doe|1990-01-31)\b`)

// maskedRun runs the features that send personal data, writing reports and
// a cassette, and returns its verdict and every byte it wrote.
func maskedRun(t *testing.T, tgt Target, guard targets.Guard) (Verdict, string) {
	t.Helper()
	dir := t.TempDir()
	tgt.Record = filepath.Join(dir, "cassette.json")
	var out bytes.Buffer
	res, err := Run(Config{
		Features: os.DirFS("../.."), Paths: []string{"features/collected_data.feature", "features/create_with_application.feature"},
		Output: &out, Seed: 7, Concurrency: 2, Target: tgt, Guard: guard, ReportsDir: filepath.Join(dir, "reports"),
	})
	require.NoError(t, err, out.String())
	var all bytes.Buffer
	require.NoError(t, filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		all.Write(b)
		return err
	}))
	// A masked cassette still re-checks as the run went: a pseudonym keeps
	// its value's shape and is the same wherever the value was.
	c, err := target.ReadCassette(tgt.Record)
	require.NoError(t, err)
	require.NotEmpty(t, c.Exchanges)
	again, err := Recheck(c, Config{Output: &bytes.Buffer{}})
	require.NoError(t, err)
	assert.Equal(t, res.Verdict, again.Verdict, "the re-check of the cassette: %v", again.Reasons)
	return res.Verdict, all.String()
}

// With masking on, a run writes no given name, family name or date of
// birth it sent into any report or cassette, and its verdict is the one of
// the run that keeps them (decision D86, docs/decisions.md).
func TestMaskingPersonalData(t *testing.T) {
	t.Parallel()
	kept, written := maskedRun(t, Target{MaskPII: MaskOff}, targets.Guard{Env: "demo"})
	require.Equal(t, VerdictPass, kept)
	require.Regexp(t, sentPersonalData, written, "the features send no personal data: this test would prove nothing")
	tests := map[string]struct {
		target Target
		guard  targets.Guard
	}{
		"default on a non-local target": {Target{}, targets.Guard{Env: "demo"}},
		"forced on a local target":      {Target{MaskPII: MaskOn}, targets.Guard{}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			v, written := maskedRun(t, tc.target, tc.guard)
			assert.Equal(t, kept, v, "masking changed the verdict")
			assert.Empty(t, sentPersonalData.FindAllString(written, 5), "personal data written out")
			assert.Contains(t, written, "Masked-", "the masked values read as pseudonyms")
		})
	}
}

func TestNewMaskerDefault(t *testing.T) {
	t.Parallel()
	assert.Nil(t, newMasker(MaskDefault, true), "a local target keeps personal data by default")
	assert.NotNil(t, newMasker(MaskDefault, false), "any other target masks it by default")
	assert.NotNil(t, newMasker(MaskOn, true))
	assert.Nil(t, newMasker(MaskOff, false))
}
