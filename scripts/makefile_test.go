package scripts

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
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
	requireMake(t)
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

// make sdk-gate passes CMD to the gate as the user wrote it, double quotes
// included, and without CMD prints its usage and exits 2. A fake go
// records the arguments make runs it with.
func TestMakeSDKGateTakesCMDAsWritten(t *testing.T) {
	requireMake(t)
	dir := t.TempDir()
	fakeGo := filepath.Join(dir, "go")
	require.NoError(t, os.WriteFile(fakeGo, []byte("#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" >"+filepath.Join(dir, "args")+"\n"), 0o755))
	run := func(args ...string) (int, string) {
		cmd := exec.Command("make", append([]string{"--no-print-directory", "-C", "..", "sdk-gate", "GO=" + fakeGo, "REPORTS=" + dir}, args...)...)
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return exit.ExitCode(), string(out)
		}
		require.NoError(t, err, "make: %s", out)
		return 0, string(out)
	}

	code, out := run(`CMD=sh -c "echo 'hi there'"`)
	require.Equal(t, 0, code, "make sdk-gate with a quoted CMD:\n%s", out)
	args, err := os.ReadFile(filepath.Join(dir, "args"))
	require.NoError(t, err, "make never ran go")
	assert.Equal(t, []string{"run", "./cmd/sdk-gate", "-report", dir + "/sdk-gate.json", "--", "sh", "-c", "echo 'hi there'"},
		strings.Split(strings.TrimSpace(string(args)), "\n"))

	code, out = run()
	assert.Equal(t, 2, code, "make sdk-gate without CMD:\n%s", out)
	assert.Contains(t, out, "usage: make sdk-gate CMD=")
}

// make conformance-bin builds a static binary, as docs/ci says: CGO off.
func TestMakeConformanceBinIsStatic(t *testing.T) {
	requireMake(t)
	out, err := exec.Command("make", "-n", "--no-print-directory", "-C", "..", "conformance-bin").CombinedOutput()
	require.NoError(t, err, "make -n conformance-bin:\n%s", out)
	assert.Contains(t, string(out), "CGO_ENABLED=0 ")
	assert.Contains(t, string(out), " -trimpath ")
}

// Recipes that hand the reports folder to another process as an absolute
// path take an absolute setting as it is, not under the repository.
func TestMakeTakesAnAbsoluteReportsFolder(t *testing.T) {
	requireMake(t)
	abs := filepath.Join(t.TempDir(), "out")
	for target, want := range map[string]string{
		"leak-canary": "CANARY_DIR=" + abs + "/canary ",
		"screenshots": `"file://` + abs + `/screenshots/$run/report.html"`,
	} {
		out, err := exec.Command("make", "-n", "--no-print-directory", "-C", "..", target, "REPORTS="+abs).CombinedOutput()
		require.NoError(t, err, "make -n %s:\n%s", target, out)
		assert.Contains(t, string(out), want, "make -n %s REPORTS=%s", target, abs)
	}
}

// make help names every job a person runs; the rest are the parts of make
// test, which help names as one.
func TestMakeHelpNamesEveryJob(t *testing.T) {
	requireMake(t)
	makefile, err := os.ReadFile("../Makefile")
	require.NoError(t, err)
	phony := regexp.MustCompile(`(?m)^\.PHONY:(.*)$`).FindSubmatch(makefile)
	require.NotNil(t, phony, "the Makefile has no .PHONY line")
	partsOfTest := map[string]bool{"unit": true, "browser": true, "vet": true, "fmt-check": true, "fuzz-ci": true, "help": true}
	out, err := exec.Command("make", "--no-print-directory", "-C", "..", "help").CombinedOutput()
	require.NoError(t, err, "make help:\n%s", out)
	for _, target := range strings.Fields(string(phony[1])) {
		if !partsOfTest[target] {
			assert.Regexp(t, `(^|\n|\| )make `+regexp.QuoteMeta(target)+`\b`, string(out), "make help does not name make %s", target)
		}
	}
}

// requireMake skips a test when make is not installed, except under
// CI=true, where a skipped check would prove nothing and fails instead.
func requireMake(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("make"); err != nil {
		if os.Getenv("CI") == "true" {
			require.FailNow(t, "make is not installed", "CI=true: this check may not be skipped")
		}
		t.Skip("make is not installed")
	}
}
