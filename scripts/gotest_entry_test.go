package scripts

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const entryFeature = `Feature: entry
  Scenario: fails on status
    When I send a GET request to "/profiles/nope"
    Then the status is 200

  Scenario: passes on status
    When I send a GET request to "/profiles/nope"
    Then the status is 404
`

// TestGoTestEntryPrintsEachFailureOnce runs the go test entry (what make
// conformance runs) on a feature with one failing scenario: the failure is
// printed once, the verdict line comes after it, and go test's own block
// after the verdict holds only the verdict's reasons. A -run pattern naming
// scenarios makes them subtests again; a tag no scenario has is a usage error.
func TestGoTestEntryPrintsEachFailureOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the suite's test binary")
	}
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	dir := t.TempDir()
	bin := filepath.Join(dir, "harness.test")
	build := exec.Command("go", "test", "-c", "-o", bin, ".")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "build the entry: %s", out)
	features := filepath.Join(dir, "features")
	require.NoError(t, os.Mkdir(features, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(features, "entry.feature"), []byte(entryFeature), 0o644))

	runEnv := func(env []string, args ...string) (stdout, stderr string, code int) {
		cmd := exec.Command(bin, args...)
		cmd.Dir = root
		cmd.Env = append(append(os.Environ(), "PASSFORT_REPORTS="+filepath.Join(dir, "reports"), "PASSFORT_BASE_URL="), env...)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		err := cmd.Run()
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			return o.String(), e.String(), exit.ExitCode()
		}
		require.NoError(t, err)
		return o.String(), e.String(), 0
	}
	run := func(args ...string) (stdout, stderr string, code int) { return runEnv(nil, args...) }

	stdout, _, code := run("-test.count=1", features)
	assert.Equal(t, 1, code, "a failed scenario fails go test")
	assert.Equal(t, 1, strings.Count(stdout, "fails on status"), "the failing scenario is printed once:\n%s", stdout)
	assert.NotContains(t, stdout, "TestConformance/", "no subtest blocks by default")
	lines := strings.Split(strings.TrimSpace(stdout), "\n")
	verdict := -1
	for i, l := range lines {
		if strings.HasPrefix(l, "verdict:") {
			verdict = i
		}
	}
	require.GreaterOrEqual(t, verdict, 0, "no verdict line:\n%s", stdout)
	for _, l := range lines[verdict+1:] {
		ok := strings.HasPrefix(l, "--- FAIL: TestConformance (") || strings.Contains(l, "conformance: ") || l == "FAIL"
		assert.True(t, ok, "after the verdict only go test's block with the verdict's reasons, got %q", l)
	}

	stdout, _, code = run("-test.count=1", "-test.run=TestConformance/fails", features)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "--- FAIL: TestConformance/fails_on_status", "-run naming scenarios makes them subtests")

	stdout, stderr, code := run("-test.count=1", "--godog.tags=@nosuchtag", features)
	assert.Equal(t, 2, code, "no scenario selected is a usage error: %s%s", stdout, stderr)
	assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one line on stderr: %q", stderr)

	// A bad setting is a usage error in one line, as cmd/conformance
	// says it, not a failed test's block.
	for name, tc := range map[string]struct {
		env  []string
		args []string
		want string
	}{
		"build link":       {env: []string{"PASSFORT_BUILD_URL=ftp://ci.example/1"}, want: "PASSFORT_BUILD_URL: got scheme \"ftp\", want an http or https URL with a host"},
		"rate limit":       {env: []string{"PASSFORT_RATE_LIMIT=fast"}, want: "PASSFORT_RATE_LIMIT: got \"fast\", want passfort or off"},
		"shard":            {args: []string{"--shard=4/3"}, want: "shard: got \"4/3\", want i/n"},
		"coverage minimum": {args: []string{"--coverage-min=lots"}, want: "coverage minimum: got \"lots\""},
		"name":             {args: []string{"--name=("}, want: "--name: "},
	} {
		stdout, stderr, code := runEnv(tc.env, append([]string{"-test.count=1"}, append(tc.args, features)...)...)
		assert.Equal(t, 2, code, "%s: a bad setting is a usage error: %s%s", name, stdout, stderr)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "%s: one line on stderr: %q", name, stderr)
		assert.Contains(t, stderr, tc.want, name)
	}
}
