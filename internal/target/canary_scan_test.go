package target

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCanaryArtefacts is the scan step of `make leak-canary`: it looks for
// the canary key, in every form the redactor knows, in every file of
// CANARY_DIR (the reports, the recording and the go test -v output of a run
// made with that key). Without CANARY_DIR there is nothing to scan.
func TestCanaryArtefacts(t *testing.T) {
	dir, key, other := os.Getenv("CANARY_DIR"), os.Getenv("CANARY_KEY"), os.Getenv("CANARY_SECRET")
	if dir == "" || key == "" || other == "" {
		t.Skip("CANARY_DIR, CANARY_KEY and CANARY_SECRET unset: run make leak-canary")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err, "artefacts in %s", dir)
	require.GreaterOrEqual(t, len(files), 5, "artefacts in %s", dir)
	forms := map[string][]string{"the key": secretForms(key), "the PASSFORT_SECRETS value": secretForms(other)}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		for what, fs := range forms {
			for _, form := range fs {
				assert.False(t, len(form) >= 8 && bytes.Contains(data, []byte(form)), "%s: contains %s as %q", f, what, form)
			}
		}
	}
	if !t.Failed() {
		t.Logf("the key and the PASSFORT_SECRETS value appear in none of %d artefacts", len(files))
	}
}
