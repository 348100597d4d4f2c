package main

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

// A features folder given as the one positional argument
// runs like -features.
func TestPositionalFeaturesFolder(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	got := run([]string{"-reports", "", "-seed", "1", featureDir(t, addFeature)}, &stdout, &stderr, envOf(map[string]string{}))
	assert.Equal(t, exitPass, got, "stderr: %s\nstdout: %s", stderr.String(), stdout.String())
	assert.Contains(t, stdout.String(), "1 scenario: 1 passed, 0 failed")
}
