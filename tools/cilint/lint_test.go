// Package cilint holds the checks on the CI examples in docs/ci/: the real
// linters of GitHub Actions and GitLab CI run on each example (lint.sh), and
// on broken copies of it that they must reject, so a linter that silently
// stopped checking cannot pass the examples either.
package cilint

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

// Exit codes of lint.sh.
const (
	exitFindings  = 1
	exitCannotRun = 3
)

// example is one CI example and the linter that checks it.
type example struct {
	kind string // lint.sh's subcommand: github or gitlab
	path string // from the repository root
}

var (
	githubExample = example{kind: "github", path: "docs/ci/github-actions.yml"}
	gitlabExample = example{kind: "gitlab", path: "docs/ci/gitlab-ci.yml"}
)

// TestExamplesPassTheLinters runs each linter on its example, which must be
// clean, and on broken copies, which must fail with the linter's own words.
func TestExamplesPassTheLinters(t *testing.T) {
	requireLinters(t)

	t.Run("examples", func(t *testing.T) {
		for _, ex := range []example{githubExample, gitlabExample} {
			t.Run(ex.kind, func(t *testing.T) {
				t.Parallel()
				out, code := runLint(t, ex.kind, filepath.Join(repoRoot(t), ex.path))
				assert.Equal(t, 0, code, "lint.sh %s %s: got exit %d, want 0:\n%s", ex.kind, ex.path, code, out)
			})
		}
	})

	// Each broken copy replaces the first occurrence of old in the example
	// with new. want is a piece of the linter's message for that mistake.
	broken := map[string]struct {
		example  example
		old, new string
		want     string
	}{
		"github: needs an undefined job": {
			example: githubExample,
			old:     "needs: [build, shard]", new: "needs: [build, shards]",
			want: `needs job "shards" which does not exist`,
		},
		"github: uses an action without a ref": {
			example: githubExample,
			old:     "uses: actions/checkout@", new: "uses: actions/checkout-without-ref #",
			want: "ref is missing",
		},
		"github: misspelt runs-on": {
			example: githubExample,
			old:     "    runs-on:", new: "    run-on:",
			want: `unexpected key "run-on"`,
		},
		"github: undefined matrix value": {
			example: githubExample,
			old:     "matrix.shard }}/3", new: "matrix.shrd }}/3",
			want: `property "shrd" is not defined`,
		},
		"gitlab: needs an undefined job": {
			example: gitlabExample,
			old:     "needs: [build-conformance]\n", new: "needs: [build-conformence]\n",
			want: "needs: [build-conformence] for conformance could not be found",
		},
		"gitlab: misspelt artifacts": {
			example: gitlabExample,
			old:     "  artifacts:", new: "  artifact:",
			want: "'artifact' property is not expected",
		},
		"gitlab: undefined stage": {
			example: gitlabExample,
			old:     "stage: report\n", new: "stage: reprot\n",
			want: "stage:reprot not found",
		},
		"gitlab: extends an undefined template": {
			example: gitlabExample,
			old:     "extends: .runs-conformance", new: "extends: .run-conformance",
			want: ".run-conformance is unspecified",
		},
	}
	t.Run("broken copies", func(t *testing.T) {
		for name, tc := range broken {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				raw := readExample(t, tc.example)
				require.Contains(t, raw, tc.old, "the example changed: update this broken copy")
				copyPath := filepath.Join(t.TempDir(), filepath.Base(tc.example.path))
				require.NoError(t, os.WriteFile(copyPath, []byte(strings.Replace(raw, tc.old, tc.new, 1)), 0o644))

				out, code := runLint(t, tc.example.kind, copyPath)
				assert.Equal(t, exitFindings, code, "lint.sh %s on a copy with %q: got exit %d, want %d:\n%s",
					tc.example.kind, tc.new, code, exitFindings, out)
				assert.Contains(t, out, tc.want)
			})
		}
	})
}

// requireLinters installs both linters once. Where one cannot run (no node
// or npm, say), the test is skipped with the reason, unless CI=true: CI must
// lint the examples, so there it fails.
func requireLinters(t *testing.T) {
	t.Helper()
	out, code := runLint(t, "install")
	switch {
	case code == 0:
		return
	case code == exitCannotRun && os.Getenv("CI") != "true":
		t.Skipf("the CI linters cannot run here (CI=true makes this a failure): %s", strings.TrimSpace(out))
	default:
		require.Failf(t, "lint.sh install failed", "got exit %d, want 0:\n%s", code, out)
	}
}

// runLint runs lint.sh with args and returns its combined output and exit
// code; exitCannotRun when bash itself is missing.
func runLint(t *testing.T, args ...string) (string, int) {
	t.Helper()
	bash, err := exec.LookPath("bash")
	if err != nil {
		return "cilint: cannot run: bash is not on PATH", exitCannotRun
	}
	cmd := exec.Command(bash, append([]string{filepath.Join(repoRoot(t), "tools", "cilint", "lint.sh")}, args...)...)
	// requireLinters has run lint.sh install before any other call.
	cmd.Env = append(os.Environ(), "CILINT_INSTALLED=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return out.String(), exit.ExitCode()
	}
	require.NoError(t, err, "start lint.sh")
	return out.String(), 0
}

// repoRoot is the repository root: go test runs in this package's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	return root
}
