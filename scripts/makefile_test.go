package scripts

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every target that writes or reads reports honours PASSFORT_REPORTS from
// the environment, as go test and cmd/conformance do, and REPORTS= on the
// command line above it (decision D78, docs/decisions.md). make -n prints the
// recipes without running them.
func TestMakeHonoursReportsSetting(t *testing.T) {
	if _, err := exec.LookPath("make"); err != nil {
		t.Skip("make is not installed")
	}
	targets := map[string][]string{
		"conformance": nil,
		"race":        nil,
		"standalone":  nil,
		"drift":       nil,
		"sdk-gate":    {"CMD=true"},
		"recheck":     {"CASSETTE=c.json"},
		"merge":       {"SHARDS=a b"},
	}
	for name, args := range targets {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command("make", append([]string{"-n", "--no-print-directory", "-C", "..", name}, args...)...)
			cmd.Env = append(cmd.Environ(), "PASSFORT_REPORTS=elsewhere/out")
			got, err := cmd.CombinedOutput()
			require.NoError(t, err, "make -n %s:\n%s", name, got)
			assert.Contains(t, string(got), "elsewhere/out", "make -n %s", name)
			for _, line := range strings.Split(string(got), "\n") {
				assert.NotRegexp(t, `(^|[ =/'])reports(/|\b)`, line, "make -n %s writes or reads reports/ whatever the setting", name)
			}
		})
	}
}
