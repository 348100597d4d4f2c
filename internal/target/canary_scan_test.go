package target

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestCanaryArtefacts is the scan step of `make leak-canary`: it looks for
// the canary key, in every form the redactor knows, in every file of
// CANARY_DIR (the reports, the recording and the go test -v output of a run
// made with that key). Without CANARY_DIR there is nothing to scan.
func TestCanaryArtefacts(t *testing.T) {
	dir, key := os.Getenv("CANARY_DIR"), os.Getenv("CANARY_KEY")
	if dir == "" || key == "" {
		t.Skip("CANARY_DIR and CANARY_KEY unset: run make leak-canary")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil || len(files) < 5 {
		t.Fatalf("artefacts in %s: got %d (%v), want the reports, the recording and the test output", dir, len(files), err)
	}
	forms := secretForms(key)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, form := range forms {
			if len(form) >= 8 && bytes.Contains(data, []byte(form)) {
				t.Errorf("%s: contains the key as %q", f, form)
			}
		}
	}
	t.Logf("the key appears in none of %d artefacts", len(files))
}
