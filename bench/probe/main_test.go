package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeProc lays out a fake /proc: pid → (parent, VmRSS kB).
func writeProc(t *testing.T, procs map[int][2]int) string {
	t.Helper()
	dir := t.TempDir()
	for pid, v := range procs {
		d := filepath.Join(dir, itoa(pid))
		require.NoError(t, os.MkdirAll(d, 0o755))
		stat := itoa(pid) + " (a (weird) name) S " + itoa(v[0]) + " 1 1 0\n"
		status := "Name:\tx\nVmPeak:\t999 kB\nVmRSS:\t  " + itoa(v[1]) + " kB\n"
		require.NoError(t, os.WriteFile(filepath.Join(d, "stat"), []byte(stat), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(d, "status"), []byte(status), 0o644))
	}
	return dir
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

func TestTreeRSS(t *testing.T) {
	proc := writeProc(t, map[int][2]int{
		1:  {0, 5},
		10: {1, 100},
		11: {10, 20},
		12: {11, 3},
		20: {1, 7000}, // not a descendant of 10
	})
	tests := []struct {
		pid  int
		want int64
	}{
		{10, 123},
		{12, 3},
		{20, 7000},
	}
	for _, tt := range tests {
		got, err := treeRSS(proc, tt.pid)
		if assert.NoError(t, err, "treeRSS(%d)", tt.pid) {
			assert.Equal(t, tt.want, got, "treeRSS(%d)", tt.pid)
		}
	}
	_, err := treeRSS(proc, 99)
	assert.Error(t, err, "treeRSS(99): want an error for a missing process")
}

func TestRunUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"rss"}, {"rss", "x"}, {"nope"}, {"start"}} {
		assert.Equal(t, 2, run(args, os.Stdout, &discard{}), "run(%q): exit code", args)
	}
}

type discard struct{}

func (*discard) Write(p []byte) (int, error) { return len(p), nil }
