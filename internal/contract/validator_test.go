package contract

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

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
			v, err := New([]byte(tc.spec), Options{})
			if err == nil {
				t.Fatalf("New: got a Validator (%d operations), want an error", len(v.Operations()))
			}
			msg := err.Error()
			if strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, "contract: ") || !strings.Contains(msg, tc.want) {
				t.Errorf("error: got %q, want one line starting %q containing %q", msg, "contract: ", tc.want)
			}
		})
	}
}

func TestLenient(t *testing.T) {
	t.Parallel()
	raw := []byte(mustRead(t, "testdata/bad-patterns.yaml"))
	_, err := New(raw, Options{})
	// kin-openapi reports the example once per place the schema is used.
	if err == nil || !strings.Contains(err.Error(), "invalid example") || !strings.Contains(err.Error(), "(and 2 more)") {
		t.Fatalf("strict New: got %v, want an error naming the example and 2 more problems", err)
	}
	v, err := New(raw, Options{Lenient: true})
	if err != nil {
		t.Fatalf("lenient New: %v", err)
	}
	w := v.Warnings()
	if len(w) != 4 {
		t.Fatalf("warnings: got %d %q, want 4 (the lookahead pattern, the example in 3 places)", len(w), w)
	}
	wantParts := []string{"/components/schemas/Thing/properties/ref", `"^(?!tmp_)[a-z_]+$"`, "Perl syntax"}
	for _, p := range wantParts {
		if !strings.Contains(w[0], p) {
			t.Errorf("warning %q: want it to contain %q", w[0], p)
		}
	}
	if !strings.Contains(w[1], `schema "Code"`) || !strings.Contains(w[1], "invalid example") {
		t.Errorf("warning %q: want it to name the Code schema's example", w[1])
	}
	for _, x := range w {
		if strings.ContainsAny(x, "\r\n") {
			t.Errorf("warning %q spans lines", x)
		}
	}
	// The dropped pattern is not checked; the one whose example failed still is.
	got := v.CheckResponse(jsonExchange("GET", "/things/1", 200, []byte(`{"ref":"tmp_x","code":"abc"}`)))
	if s := summarize(got); !reflect.DeepEqual(s, []summary{{finding.Contract, finding.BadFormat, "/code", "pattern"}}) {
		t.Errorf("findings: got %v, want one bad-format at /code\n%s", s, lines(got))
	}
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
		if ok != (tc.want != "") || ok && (op.String() != tc.want || op.ID != tc.id) {
			t.Errorf("Operation(%q, %q) = %q (id %q), %v; want %q (id %q)", tc.method, tc.path, op, op.ID, ok, tc.want, tc.id)
		}
	}
	ops := v.Operations()
	if len(ops) != 8 || ops[0].String() != "GET /profiles" || ops[len(ops)-1].String() != "GET /profiles/{profile_id}/status" {
		t.Errorf("Operations: got %v, want 8 sorted by path then method", ops)
	}
}

func TestHashAndDefault(t *testing.T) {
	t.Parallel()
	raw := []byte(mustRead(t, "testdata/mini.yaml"))
	v, err := New(raw, Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(raw)
	if got, want := v.Hash(), hex.EncodeToString(sum[:]); got != want {
		t.Errorf("Hash: got %s, want %s", got, want)
	}

	d, err := Default()
	if isPlaceholder(spec.OpenAPI) {
		if err == nil || strings.ContainsAny(err.Error(), "\r\n") {
			t.Errorf("Default with the placeholder spec: got %v, want a one-line error", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	sum = sha256.Sum256(spec.OpenAPI)
	if d.Hash() != hex.EncodeToString(sum[:]) {
		t.Errorf("Default().Hash() is not the embedded spec's hash")
	}
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
		if !contains(got, want) {
			t.Errorf("DocumentedFields: %q missing from %v", want, got)
		}
	}
	if contains(got, "/notes/*/replies/*/text") {
		t.Errorf("DocumentedFields: want the walk to stop where Note recurs, got %v", got)
	}
	if v.DocumentedFields(op, 418) != nil || v.DocumentedFields(Operation{Method: "GET", Path: "/nope"}, 200) != nil {
		t.Errorf("DocumentedFields of an undocumented status or operation: want nil")
	}
	errFields := v.DocumentedFields(op, 404)
	if !reflect.DeepEqual(errFields, []string{"/errors", "/errors/*/code", "/errors/*/info", "/errors/*/message", "/errors/*/source"}) {
		t.Errorf("DocumentedFields(404): got %v", errFields)
	}

	obs := ObservedFields([]byte(`{"a":[{"b":1},{"c":{"d~/":2}}],"e":null}`))
	if want := []string{"/a", "/a/*/b", "/a/*/c", "/a/*/c/d~0~1", "/e"}; !reflect.DeepEqual(obs, want) {
		t.Errorf("ObservedFields: got %v, want %v", obs, want)
	}
	if ObservedFields([]byte(`{`)) != nil {
		t.Errorf("ObservedFields of a broken body: want nil")
	}
	// Every field of the valid fixture but the free-form assignments' keys is documented.
	for _, f := range ObservedFields(mustJSON(t, application(t))) {
		if !contains(got, f) && !strings.HasPrefix(f, "/assignments/") && !strings.HasPrefix(f, "/product/risk_models/") {
			t.Errorf("observed field %s is not among the documented ones", f)
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
			if err == nil || strings.ContainsAny(err.Error(), "\r\n") || !strings.Contains(err.Error(), problem) {
				t.Errorf("strict LoadFile: got %v, want one line naming %q", err, problem)
			}
			v, err := LoadFile(path, Options{Lenient: true})
			if err != nil {
				t.Fatalf("lenient LoadFile: %v", err)
			}
			if len(v.Warnings()) == 0 {
				t.Errorf("Warnings: got none, want what lenient mode let through")
			}
			for _, w := range v.Warnings() {
				if !strings.Contains(w, problem) && !strings.Contains(w, "not checked") {
					t.Errorf("warning %q: want it about %q", w, problem)
				}
			}
			if op, ok := v.Operation("POST", "/4.0/profiles/x/applications"); !ok || op.Path != "/profiles/{profile_id}/applications" {
				t.Fatalf("Operation(POST /4.0/profiles/x/applications): got %v, %v", op, ok)
			}
			app := application(t)
			blocker(app, 1)["extra"] = 1
			got := v.CheckResponse(jsonExchange("POST", createPath, 200, mustJSON(t, app)))
			var drift []string
			for _, f := range got {
				if f.Kind == "" || strings.ContainsAny(f.Message, "\r\n") {
					t.Errorf("finding %q: want a kind and one line", f)
				}
				if f.Class == finding.Drift {
					drift = append(drift, f.Pointer)
				}
			}
			if !contains(drift, "/approval_blockers/1/extra") || contains(drift, "/approval_blockers/0/task_type") {
				t.Errorf("drift: got %v, want /approval_blockers/1/extra and not the documented task_type\n%s", drift, lines(got))
			}
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
	if err != nil {
		tb.Fatal(err)
	}
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
