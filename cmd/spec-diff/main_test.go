package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testdata holds the small specs of internal/specdiff's table tests.
const testdata = "../../internal/specdiff/testdata"

func spec(name string) string { return filepath.Join(testdata, name) }

func TestRun(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		args       []string
		wantCode   int
		wantStdout []string // substrings
		wantStderr string   // substring; empty: stderr must be empty
	}{
		"identical specs": {
			args:       []string{"-base", spec("base.yaml"), "-revision", spec("identical.yaml")},
			wantCode:   exitOK,
			wantStdout: []string{"0 errors, 0 warnings in 0 operations"},
		},
		"positional arguments": {
			args:       []string{spec("base.yaml"), spec("identical.yaml")},
			wantCode:   exitOK,
			wantStdout: []string{"0 errors, 0 warnings in 0 operations"},
		},
		"removed operation": {
			args:       []string{"-base", spec("base.yaml"), "-revision", spec("removed-operation.yaml")},
			wantCode:   exitBreaking,
			wantStdout: []string{"DELETE /profiles/{profile_id}\n  error    [api-removed-without-deprecation]", "1 error, 0 warnings in 1 operation"},
		},
		"warning only, failing on errors": {
			args:       []string{spec("base.yaml"), spec("request-property-removed.yaml")},
			wantCode:   exitOK,
			wantStdout: []string{"warning  [request-property-removed]"},
		},
		"warning only, failing on warnings": {
			args:       []string{"-fail-on", "warning", spec("base.yaml"), spec("request-property-removed.yaml")},
			wantCode:   exitBreaking,
			wantStdout: []string{"0 errors, 1 warning in 1 operation"},
		},
		"markdown": {
			args:       []string{"-format", "markdown", spec("base.yaml"), spec("response-enum-value-added.yaml")},
			wantCode:   exitBreaking,
			wantStdout: []string{"### `GET /profiles/{profile_id}`", "| error | `response-property-enum-value-added` |"},
		},
		"include info": {
			args:       []string{"-include-info", spec("base.yaml"), spec("optional-response-property-removed.yaml")},
			wantCode:   exitOK,
			wantStdout: []string{"info     [response-optional-property-removed]"},
		},
		"help": {
			args:       []string{"-h"},
			wantCode:   exitOK,
			wantStdout: []string{"usage: spec-diff", "-fail-on", "exit status"},
		},
		"missing base file": {
			args:       []string{spec("no-such.yaml"), spec("base.yaml")},
			wantCode:   exitError,
			wantStderr: "load base spec " + spec("no-such.yaml") + ":",
		},
		"invalid revision YAML": {
			args:       []string{spec("base.yaml"), spec("invalid-yaml.yaml")},
			wantCode:   exitError,
			wantStderr: "load revision spec " + spec("invalid-yaml.yaml") + ":",
		},
		"not OpenAPI 3": {
			args:       []string{spec("swagger2.yaml"), spec("base.yaml")},
			wantCode:   exitError,
			wantStderr: "not an OpenAPI 3 document",
		},
		"no specs":     {args: nil, wantCode: exitError, wantStderr: "want -base and -revision"},
		"only base":    {args: []string{"-base", spec("base.yaml")}, wantCode: exitError, wantStderr: "want -base and -revision"},
		"one argument": {args: []string{spec("base.yaml")}, wantCode: exitError, wantStderr: "want two spec files"},
		"flags and arguments": {
			args:       []string{"-base", spec("base.yaml"), spec("a.yaml"), spec("b.yaml")},
			wantCode:   exitError,
			wantStderr: "want two spec files or -base and -revision",
		},
		"unknown flag":  {args: []string{"-nope"}, wantCode: exitError, wantStderr: "flag provided but not defined: -nope"},
		"bad format":    {args: []string{"-format", "xml", spec("base.yaml"), spec("base.yaml")}, wantCode: exitError, wantStderr: `-format: got "xml"`},
		"bad fail-on":   {args: []string{"-fail-on", "info", spec("base.yaml"), spec("base.yaml")}, wantCode: exitError, wantStderr: `-fail-on: got "info"`},
		"bad timeout":   {args: []string{"-timeout", "0s", spec("base.yaml"), spec("base.yaml")}, wantCode: exitError, wantStderr: "-timeout: got 0s"},
		"out: bad path": {args: []string{"-out", filepath.Join(testdata, "no-such-dir", "r.txt"), spec("base.yaml"), spec("base.yaml")}, wantCode: exitError, wantStderr: "write report:"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			code := run(tc.args, &stdout, &stderr)
			assert.Equal(t, tc.wantCode, code, "exit code; stderr: %s", stderr.String())
			for _, want := range tc.wantStdout {
				assert.Contains(t, stdout.String(), want)
			}
			if tc.wantStderr == "" {
				assert.Empty(t, stderr.String())
				return
			}
			assert.Contains(t, stderr.String(), tc.wantStderr)
			assert.True(t, strings.HasPrefix(stderr.String(), "spec-diff: "), "got %q", stderr.String())
			assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), "one line on stderr, got %q", stderr.String())
			if code == exitError {
				assert.Empty(t, stdout.String(), "no report on an error")
			}
		})
	}
}

func TestRunJSON(t *testing.T) {
	t.Parallel()
	var stdout, stderr bytes.Buffer
	code := run([]string{"-format", "json", spec("base.yaml"), spec("required-request-field.yaml")}, &stdout, &stderr)
	require.Equal(t, exitBreaking, code, stderr.String())
	var got struct {
		Changes []struct{ Level, ID, Operation string }
		Errors  int
		Failed  bool
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &got))
	require.Len(t, got.Changes, 1)
	assert.Equal(t, "error", got.Changes[0].Level)
	assert.Equal(t, "new-required-request-property", got.Changes[0].ID)
	assert.Equal(t, "POST /profiles", got.Changes[0].Operation)
	assert.Equal(t, 1, got.Errors)
	assert.True(t, got.Failed)
}

func TestRunOut(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "report.md")
	var stdout, stderr bytes.Buffer
	code := run([]string{"-format", "markdown", "-out", out, spec("base.yaml"), spec("removed-operation.yaml")}, &stdout, &stderr)
	require.Equal(t, exitBreaking, code, stderr.String())
	assert.Equal(t, "1 error, 0 warnings in 1 operation\n", stdout.String(), "only the summary on stdout")
	report, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(report), "### `DELETE /profiles/{profile_id}`")
}

// TestRunUpstreamPair runs the README's spec-against-spec example: the two
// public PassFort specs give breaking changes and exit 1, and one of them
// against itself exits 0.
func TestRunUpstreamPair(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(repoRoot, "..", "shared", "reference", "upstream")
	base := filepath.Join(dir, "passfort-openapi-4.0.0-2019.json")
	revision := filepath.Join(dir, "passfort-openapi-4.0.0-wx-derivative.json")
	for _, p := range []string{base, revision} {
		if _, err := os.Stat(p); errors.Is(err, os.ErrNotExist) {
			t.Skipf("upstream spec %s: absent, skipping", p)
		}
	}
	var stdout, stderr bytes.Buffer
	assert.Equal(t, exitBreaking, run([]string{"-base", base, "-revision", revision}, &stdout, &stderr), stderr.String())
	assert.Contains(t, stdout.String(), "api-path-removed-without-deprecation")

	stdout.Reset()
	stderr.Reset()
	assert.Equal(t, exitOK, run([]string{revision, revision}, &stdout, &stderr), stderr.String())
	assert.Equal(t, "0 errors, 0 warnings in 0 operations\n", stdout.String())
}

// repoRoot is the module's root: go test runs in the package's folder.
var repoRoot = filepath.Join("..", "..")
