package suite

import (
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/report"
)

// defaultRunJSON runs the whole suite against the embedded mock, as a
// default run does, and returns the path of the run.json it wrote (about
// 26 MB, every exchange included).
func defaultRunJSON(tb testing.TB) string {
	tb.Helper()
	if _, err := os.Stat("../../features"); err != nil {
		tb.Skipf("features: %v", err)
	}
	dir := tb.TempDir()
	_, err := Run(Config{Features: os.DirFS("../.."), Paths: []string{"features"}, Seed: 1, Output: io.Discard, ReportsDir: dir})
	require.NoError(tb, err)
	return filepath.Join(dir, RunFile)
}

// BenchmarkReadRun reads a default run's run.json whole, as merge and
// fidelity do.
func BenchmarkReadRun(b *testing.B) { benchmarkRead(b, ReadRun) }

// BenchmarkReadPrevious reads the same run.json as -previous does: only
// what the comparison needs.
func BenchmarkReadPrevious(b *testing.B) { benchmarkRead(b, ReadPrevious) }

// benchmarkRead times read over a run.json written for the benchmark, the
// run that writes it left out of the time (b.Loop resets the timer).
func benchmarkRead(b *testing.B, read func(string) (*report.Run, error)) {
	path := defaultRunJSON(b)
	fi, err := os.Stat(path)
	require.NoError(b, err)
	b.ReportAllocs()
	b.SetBytes(fi.Size())
	for b.Loop() {
		_, err := read(path)
		require.NoError(b, err)
	}
}
