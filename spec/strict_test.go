package spec

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// strictToolDir is the npm package that holds the second, strict validator.
const strictToolDir = "../tools/strictspec"

// strictTool makes sure node and the validator's node_modules are there,
// once per test binary, and returns the script to run. Without node or npm,
// or when npm ci cannot install the packages, the tests skip with the
// reason, except in CI (CI=true), where a missing toolchain must not pass
// unnoticed.
var strictTool = sync.OnceValues(func() (string, error) {
	for _, bin := range []string{"node", "npm"} {
		if _, err := exec.LookPath(bin); err != nil {
			return "", errMissingToolchain{bin}
		}
	}
	dir, err := filepath.Abs(strictToolDir)
	if err != nil {
		return "", err
	}
	// npm ci installs exactly package-lock.json; an existing install is
	// reused so a run after the first takes seconds, not a download.
	if _, err := os.Stat(filepath.Join(dir, "node_modules", ".package-lock.json")); err != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", errToolchainSetup{"npm ci in tools/strictspec: " + err.Error() + "\n" + string(out)}
		}
	}
	return filepath.Join(dir, "strictspec.mjs"), nil
})

// errMissingToolchain says which program is not on PATH.
type errMissingToolchain struct{ bin string }

func (e errMissingToolchain) Error() string {
	return e.bin + " not found on PATH: the strict OpenAPI validator (tools/strictspec) needs node and npm"
}

// errToolchainSetup says the validator's packages could not be installed
// (no registry access, say).
type errToolchainSetup struct{ reason string }

func (e errToolchainSetup) Error() string { return e.reason }

// runStrict runs the strict validator on OpenAPI documents, in one process,
// and returns its exit code, its output and the file each document was
// written to.
func runStrict(t *testing.T, docs ...[]byte) (int, string, []string) {
	t.Helper()
	dir := t.TempDir()
	files := make([]string, len(docs))
	for i, doc := range docs {
		files[i] = filepath.Join(dir, "openapi-"+strconv.Itoa(i)+".yaml")
		require.NoError(t, os.WriteFile(files[i], doc, 0o600))
	}
	code, out := strictNode(t, files...)
	return code, out, files
}

// StrictNode is strictNode for the package's external tests.
var StrictNode = strictNode

// strictNode runs the strict validator with these arguments and returns its
// exit code and output. Without node or npm it skips the test, except under
// CI=true, where it fails it.
func strictNode(t *testing.T, args ...string) (int, string) {
	t.Helper()
	script, err := strictTool()
	var missing errMissingToolchain
	var setup errToolchainSetup
	if errors.As(err, &missing) || errors.As(err, &setup) {
		if os.Getenv("CI") == "true" {
			require.FailNowf(t, "strict validator cannot run", "%v (CI=true: this check may not be skipped)", err)
		}
		t.Skipf("%v; install node 20 and npm (with access to the npm registry) to run it", err)
	}
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, "node", append([]string{script}, args...)...)
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, out.String()
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	default:
		require.NoError(t, err, "run node %s\n%s", script, out.String())
		return -1, ""
	}
}

// breakSpec returns OpenAPI with old replaced by replacement, failing if old
// is not there (the case would then test nothing).
func breakSpec(t *testing.T, old, replacement string) []byte {
	t.Helper()
	require.Contains(t, string(OpenAPI), old, "the snippet to break must be in spec/passfort-4.0.yaml")
	return []byte(strings.Replace(string(OpenAPI), old, replacement, 1))
}

// TestStrictValidator runs the second, independent validator on our
// contract: the document against the OpenAPI 3.0 schema, every schema
// compiled by Ajv in strict mode with discriminators ignored, every example
// validated. It must pass with exit code 0.
func TestStrictValidator(t *testing.T) {
	t.Parallel()
	code, out, _ := runStrict(t, OpenAPI)
	assert.Equal(t, 0, code, "exit code; output:\n%s", out)
	assert.Contains(t, out, "ok (")
}

// TestStrictValidatorFails proves the validator can fail: each deliberately
// broken copy of the contract, most of them a way kin-openapi forgives, must
// make it exit non-zero with a line, under that copy's file, naming the
// problem. All copies go through one process to keep the test fast.
func TestStrictValidatorFails(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		doc      []byte
		wantLine string
	}{
		{
			name: "ambiguous oneOf: the catch-all blocker also admits INCOMPLETE_TASK",
			doc: breakSpec(t, `      required: [blocker_type]
      properties:
        blocker_type:
          type: string
          enum:
            - SUSPENDED_PROFILE`, `      required: [blocker_type]
      properties:
        blocker_type:
          type: string
          enum:
            - INCOMPLETE_TASK
            - SUSPENDED_PROFILE`),
			wantLine: "must match exactly one schema in oneOf",
		},
		{
			name: "nullable beside allOf without a type",
			doc: breakSpec(t, `        decisioner:
          $ref: '#/components/schemas/NullableUser'`, `        decisioner:
          nullable: true
          allOf:
            - $ref: '#/components/schemas/User'`),
			wantLine: "decisioner: nullable without type",
		},
		{
			name:     "nullable enum without null",
			doc:      breakSpec(t, "NEW_TASK_VERSION, EXPIRY_PERIOD_ENDED, null]", "NEW_TASK_VERSION, EXPIRY_PERIOD_ENDED]"),
			wantLine: "expiry_reason: nullable enum without null",
		},
		{
			name:     "example outside its schema",
			doc:      breakSpec(t, "              example: SUSPENDED\n", "              example: PAUSED\n"),
			wantLine: "must be equal to one of the allowed values",
		},
		{
			name:     "not an OpenAPI document",
			doc:      []byte("openapi: 3.0.3\ninfo: {}\n"),
			wantLine: "document /: must have required property 'paths'",
		},
	}
	docs := make([][]byte, len(cases))
	for i, c := range cases {
		docs[i] = c.doc
	}
	code, out, files := runStrict(t, docs...)
	assert.Equal(t, 1, code, "exit code; output:\n%s", out)
	for i, c := range cases {
		var mine []string
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, files[i]+": ") {
				mine = append(mine, line)
			}
		}
		joined := strings.Join(mine, "\n")
		assert.Contains(t, joined, c.wantLine, "%s: problems reported", c.name)
		assert.Contains(t, out, "strictspec: "+files[i]+": ", "%s: summary line", c.name)
		assert.NotContains(t, out, "strictspec: "+files[i]+": ok", "%s: reported ok", c.name)
	}
}
