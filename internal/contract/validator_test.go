package contract

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/spec"
)

func TestNewBrokenSpec(t *testing.T) {
	t.Parallel()
	const head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
	tests := map[string]struct {
		spec string
		want string // a part of the one-line error
	}{
		"empty":        {"", "spec is empty"},
		"invalid YAML": {"openapi: [3.0.3\n  paths: {", "cannot load spec"},
		"not OpenAPI":  {"foo: bar\n", `no "openapi" version`},
		"no paths":     {head, `no "paths"`},
		"dangling $ref": {head + `paths:
  /x:
    get:
      responses:
        "200":
          description: x
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Missing"}
`, "cannot load spec"},
		"invalid document": {head + `paths:
  /x:
    get:
      responses: {}
`, "invalid spec"},
		"bad example (strict)": {mustRead(t, "testdata/bad-patterns.yaml"), "invalid example"},
		"Perl lookahead (strict)": {head + `paths:
  /x:
    get:
      responses:
        "200":
          description: x
          content:
            application/json:
              schema: {type: string, pattern: '^(?!a)'}
`, "Perl syntax"},
		"external ref not loaded": {head + "paths:\n  /x:\n    $ref: 'other.yaml#/x'\n", "cannot load spec"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := New([]byte(tc.spec), Options{})
			require.Error(t, err)
			msg := err.Error()
			assertOneLine(t, msg)
			assert.True(t, strings.HasPrefix(msg, "contract: "), "error %q: want it to start with %q", msg, "contract: ")
			assert.Contains(t, msg, tc.want)
		})
	}
}

func TestLenient(t *testing.T) {
	t.Parallel()
	raw := []byte(mustRead(t, "testdata/bad-patterns.yaml"))
	_, err := New(raw, Options{})
	// kin-openapi reports the example once per place the schema is used.
	require.Error(t, err, "strict New")
	require.Contains(t, err.Error(), "invalid example")
	require.Contains(t, err.Error(), "(and 2 more)")
	v, err := New(raw, Options{Lenient: true})
	require.NoError(t, err, "lenient New")
	w := v.Warnings()
	require.Len(t, w, 4, "the lookahead pattern, the example in 3 places")
	wantParts := []string{"/components/schemas/Thing/properties/ref", `"^(?!tmp_)[a-z_]+$"`, "Perl syntax"}
	for _, p := range wantParts {
		assert.Contains(t, w[0], p)
	}
	assert.Contains(t, w[1], `schema "Code"`)
	assert.Contains(t, w[1], "invalid example")
	for _, x := range w {
		assertOneLine(t, x)
	}
	// The dropped pattern is not checked; the one whose example failed still is.
	got := v.CheckResponse(jsonExchange("GET", "/things/1", 200, []byte(`{"ref":"tmp_x","code":"abc"}`)))
	assert.Equal(t, []summary{{finding.Contract, finding.BadFormat, "/code", "pattern"}}, summarize(got), lines(got))
}

func TestOperation(t *testing.T) {
	t.Parallel()
	v := mini(t)
	tests := []struct {
		method, path string
		want         string // Operation.String(), "" for none
		id           string
	}{
		{"POST", "/profiles/x/applications", "POST /profiles/{profile_id}/applications", "addApplication"},
		{"post", "/4.0/profiles/x/applications?x=1", "POST /profiles/{profile_id}/applications", "addApplication"},
		{"GET", "/4.0/profiles", "GET /profiles", "listProfiles"},
		{"GET", "/profiles?limit=3", "GET /profiles", "listProfiles"},
		{"POST", "/profiles/x/events/bulk_update", "POST /profiles/{profile_id}/events/bulk_update", "bulkUpdateEvents"},
		{"GET", "/profiles/x/events/bulk_update", "GET /profiles/{profile_id}/events/{event_id}", "getEvent"},
		{"GET", "/profiles/x/events/e%2F1", "GET /profiles/{profile_id}/events/{event_id}", "getEvent"},
		{"DELETE", "/profiles", "", ""},
		{"GET", "/profiles/", "", ""},
		{"GET", "/4.0x/profiles", "", ""},
		{"GET", "/4.0", "", ""},
		{"GET", "/nope", "", ""},
		{"GET", "", "", ""},
	}
	for _, tc := range tests {
		op, ok := v.Operation(tc.method, tc.path)
		assert.Equal(t, tc.want != "", ok, "Operation(%q, %q) found", tc.method, tc.path)
		if ok {
			assert.Equal(t, tc.want, op.String(), "Operation(%q, %q)", tc.method, tc.path)
			assert.Equal(t, tc.id, op.ID, "Operation(%q, %q)", tc.method, tc.path)
		}
	}
	ops := v.Operations()
	require.Len(t, ops, 8)
	assert.Equal(t, "GET /profiles", ops[0].String(), "sorted by path then method")
	assert.Equal(t, "GET /profiles/{profile_id}/status", ops[len(ops)-1].String(), "sorted by path then method")
}

func TestHashAndDefault(t *testing.T) {
	t.Parallel()
	raw := []byte(mustRead(t, "testdata/mini.yaml"))
	v, err := New(raw, Options{})
	require.NoError(t, err)
	sum := sha256.Sum256(raw)
	assert.Equal(t, hex.EncodeToString(sum[:]), v.Hash())

	d, err := Default()
	if isPlaceholder(spec.OpenAPI) {
		require.Error(t, err, "Default with the placeholder spec")
		assertOneLine(t, err.Error())
		return
	}
	require.NoError(t, err, "Default")
	sum = sha256.Sum256(spec.OpenAPI)
	assert.Equal(t, hex.EncodeToString(sum[:]), d.Hash(), "the embedded spec's hash")
}

func TestDocumentedAndObservedFields(t *testing.T) {
	t.Parallel()
	v := mini(t)
	op, _ := v.Operation("GET", "/profiles/x/applications/y")
	got := v.DocumentedFields(op, 200)
	for _, want := range []string{
		"/approval_blockers/*/blocker_type", "/approval_blockers/*/task_type", "/approval_blockers/*/event_id",
		"/product/risk_models/*", "/history/*/decisioner/name", "/notes/*/replies", "/hidden",
	} {
		assert.Contains(t, got, want)
	}
	assert.NotContains(t, got, "/notes/*/replies/*/text", "the walk stops where Note recurs")
	assert.Nil(t, v.DocumentedFields(op, 418), "an undocumented status")
	assert.Nil(t, v.DocumentedFields(Operation{Method: "GET", Path: "/nope"}, 200), "an undocumented operation")
	assert.Equal(t, []string{"/errors", "/errors/*/code", "/errors/*/info", "/errors/*/message", "/errors/*/source"}, v.DocumentedFields(op, 404))

	obs := ObservedFields([]byte(`{"a":[{"b":1},{"c":{"d~/":2}}],"e":null}`))
	assert.Equal(t, []string{"/a", "/a/*/b", "/a/*/c", "/a/*/c/d~0~1", "/e"}, obs)
	assert.Nil(t, ObservedFields([]byte(`{`)), "a broken body")
	// Every field of the valid fixture but the free-form assignments' keys is documented.
	for _, f := range ObservedFields(mustJSON(t, application(t))) {
		if !strings.HasPrefix(f, "/assignments/") && !strings.HasPrefix(f, "/product/risk_models/") {
			assert.Contains(t, got, f, "an observed field is documented")
		}
	}
}

// TestUpstreamSpecs loads the two public PassFort specs, which kin-openapi's
// document check rejects, strictly (one-line error) and leniently (a
// working Validator plus warnings).
func TestUpstreamSpecs(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(repoRoot(t), "..", "shared", "reference", "upstream")
	tests := map[string]string{
		"passfort-openapi-4.0.0-2019.json":          "invalid example",
		"passfort-openapi-4.0.0-wx-derivative.json": "Perl syntax",
	}
	for file, problem := range tests {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("upstream spec not present: %v", err)
			}
			_, err := LoadFile(path, Options{})
			require.Error(t, err, "strict LoadFile")
			assertOneLine(t, err.Error())
			assert.Contains(t, err.Error(), problem)
			v, err := LoadFile(path, Options{Lenient: true})
			require.NoError(t, err, "lenient LoadFile")
			assert.NotEmpty(t, v.Warnings(), "what lenient mode let through")
			for _, w := range v.Warnings() {
				assert.True(t, strings.Contains(w, problem) || strings.Contains(w, "not checked"), "warning %q: want it about %q", w, problem)
			}
			op, ok := v.Operation("POST", "/4.0/profiles/x/applications")
			require.True(t, ok)
			require.Equal(t, "/profiles/{profile_id}/applications", op.Path)
			app := application(t)
			blocker(app, 1)["extra"] = 1
			got := v.CheckResponse(jsonExchange("POST", createPath, 200, mustJSON(t, app)))
			var drift []string
			for _, f := range got {
				assert.NotEmpty(t, f.Kind, "finding %q: want a kind", f)
				assertOneLine(t, f.Message)
				if f.Class == finding.Drift {
					drift = append(drift, f.Pointer)
				}
			}
			assert.Contains(t, drift, "/approval_blockers/1/extra", lines(got))
			assert.NotContains(t, drift, "/approval_blockers/0/task_type", "documented")
		})
	}
}

// isPlaceholder reports whether the embedded spec is still the placeholder
// (only comments).
func isPlaceholder(b []byte) bool {
	for _, line := range bytes.Split(b, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) > 0 && line[0] != '#' {
			return false
		}
	}
	return true
}

func mustRead(tb testing.TB, path string) string {
	tb.Helper()
	b, err := os.ReadFile(path)
	require.NoError(tb, err)
	return string(b)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
