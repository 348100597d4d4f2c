package scripts

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Outputs of go test -fuzz, as Go 1.26 prints them.
const (
	fuzzPass = "fuzz: elapsed: 10s, execs: 100 (10/sec)\nPASS\nok  \texample.com/p\t10.1s\n"
	// The coordinator's own deadline (go.dev/issue/75804): no input.
	fuzzDeadline = "fuzz: elapsed: 11s, execs: 100 (0/sec)\n--- FAIL: FuzzX (11.05s)\n    context deadline exceeded\nFAIL\nexit status 1\nFAIL\texample.com/p\t11.1s\n"
	// A finding: the target failed on an input and go test wrote it.
	fuzzFinding = "--- FAIL: FuzzX (0.20s)\n    --- FAIL: FuzzX (0.00s)\n        x_test.go:9: boom\n\n    Failing input written to testdata/fuzz/FuzzX/abc\n    To re-run:\n    go test -run=FuzzX/abc\nFAIL\nexit status 1\nFAIL\texample.com/p\t0.3s\n"
	// A deadline together with another failure line is not the race alone.
	fuzzDeadlineAndMore = "--- FAIL: FuzzX (11.05s)\n    x_test.go:9: seed corpus broke\n    context deadline exceeded\nFAIL\nexit status 1\nFAIL\texample.com/p\t11.1s\n"
)

// fakeGo writes a go command that prints outputs[i] on its i-th call
// (exiting 0 after fuzzPass, 1 after anything else) and returns its path
// and a function counting its calls.
func fakeGo(t *testing.T, outputs ...string) (string, func() int) {
	t.Helper()
	dir := t.TempDir()
	count := filepath.Join(dir, "calls")
	script := fmt.Sprintf("#!/usr/bin/env bash\nn=$(cat %[1]s 2>/dev/null || echo 0)\necho $((n+1)) >%[1]s\ncase $n in\n", count)
	for i, out := range outputs {
		file := filepath.Join(dir, fmt.Sprintf("out%d", i))
		require.NoError(t, os.WriteFile(file, []byte(out), 0o644))
		code := 1
		if out == fuzzPass {
			code = 0
		}
		script += fmt.Sprintf("%d) cat %s; exit %d;;\n", i, file, code)
	}
	script += "esac\necho 'fake go: called too often' >&2; exit 9\n"
	path := filepath.Join(dir, "go")
	require.NoError(t, os.WriteFile(path, []byte(script), 0o755))
	calls := func() int {
		b, err := os.ReadFile(count)
		require.NoError(t, err, "the fake go was never called")
		n, err := strconv.Atoi(strings.TrimSpace(string(b)))
		require.NoError(t, err)
		return n
	}
	return path, calls
}

func TestFuzzTarget(t *testing.T) {
	cases := []struct {
		name      string
		outputs   []string
		wantCode  int
		wantCalls int
	}{
		{"a pass passes", []string{fuzzPass}, 0, 1},
		{"the coordinator's deadline alone is run once more, and passes then", []string{fuzzDeadline, fuzzPass}, 0, 2},
		{"the coordinator's deadline twice fails", []string{fuzzDeadline, fuzzDeadline}, 1, 2},
		{"a finding fails at once", []string{fuzzFinding}, 1, 1},
		{"a deadline with another failure fails at once", []string{fuzzDeadlineAndMore}, 1, 1},
		{"a retry that finds something fails", []string{fuzzDeadline, fuzzFinding}, 1, 2},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			goPath, calls := fakeGo(t, c.outputs...)
			root, err := filepath.Abs("..")
			require.NoError(t, err)
			cmd := exec.Command("bash", "-c", "set -e; . scripts/fuzz.sh; fuzz_target ./p FuzzX 10s 5s")
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "GO="+goPath)
			out, err := cmd.CombinedOutput()
			code := 0
			if err != nil {
				var exit *exec.ExitError
				require.ErrorAs(t, err, &exit, "bash did not run: %s", out)
				code = exit.ExitCode()
			}
			assert.Equal(t, c.wantCode, code, "output:\n%s", out)
			assert.Equal(t, c.wantCalls, calls(), "go test runs; output:\n%s", out)
		})
	}
}
