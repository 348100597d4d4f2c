package specdiff

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// entry is the part of a Change a table test pins: its message is oasdiff's
// wording and is checked only for being one non-empty line.
type entry struct {
	Level     Level
	ID        string
	Operation string
}

func entries(r *Result) []entry {
	out := make([]entry, 0, len(r.Changes))
	for _, c := range r.Changes {
		out = append(out, entry{c.Level, c.ID, c.Operation})
	}
	return out
}

func TestCompare(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		revision     string
		opts         Options
		want         []entry
		wantErrors   int
		wantWarnings int
		wantFailed   bool
	}{
		"identical spec: no changes": {
			revision: "identical.yaml",
			want:     []entry{},
		},
		"removed operation": {
			revision:   "removed-operation.yaml",
			want:       []entry{{LevelError, "api-removed-without-deprecation", "DELETE /profiles/{profile_id}"}},
			wantErrors: 1,
			wantFailed: true,
		},
		"required request property added": {
			revision:   "required-request-field.yaml",
			want:       []entry{{LevelError, "new-required-request-property", "POST /profiles"}},
			wantErrors: 1,
			wantFailed: true,
		},
		"required response property removed": {
			revision:   "response-property-removed.yaml",
			want:       []entry{{LevelError, "response-required-property-removed", "GET /profiles/{profile_id}"}},
			wantErrors: 1,
			wantFailed: true,
		},
		"enum value added to a response": {
			revision:   "response-enum-value-added.yaml",
			want:       []entry{{LevelError, "response-property-enum-value-added", "GET /profiles/{profile_id}"}},
			wantErrors: 1,
			wantFailed: true,
		},
		"request property removed: a warning, not failing on errors": {
			revision:     "request-property-removed.yaml",
			want:         []entry{{LevelWarning, "request-property-removed", "POST /profiles"}},
			wantWarnings: 1,
		},
		"request property removed: failing on warnings": {
			revision:     "request-property-removed.yaml",
			opts:         Options{FailOn: LevelWarning},
			want:         []entry{{LevelWarning, "request-property-removed", "POST /profiles"}},
			wantWarnings: 1,
			wantFailed:   true,
		},
		"optional response property removed: info, left out by default": {
			revision: "optional-response-property-removed.yaml",
			want:     []entry{},
		},
		"optional response property removed: info, listed on request, never failing": {
			revision: "optional-response-property-removed.yaml",
			opts:     Options{IncludeInfo: true, FailOn: LevelWarning},
			want:     []entry{{LevelInfo, "response-optional-property-removed", "GET /profiles/{profile_id}"}},
		},
		"base path moved from servers into paths: operations still match": {
			revision: "base-path-in-paths.yaml",
			want:     []entry{},
		},
		"absolute servers with the same path: operations still match": {
			revision: "absolute-servers.yaml",
			want:     []entry{},
		},
		"schema in a local file: $ref followed": {
			revision: "local-ref.yaml",
			want:     []entry{},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := Compare(context.Background(), "testdata/base.yaml", filepath.Join("testdata", tc.revision), tc.opts)
			require.NoError(t, err)
			assert.Equal(t, tc.want, entries(r))
			assert.Equal(t, tc.wantErrors, r.Errors, "errors")
			assert.Equal(t, tc.wantWarnings, r.Warnings, "warnings")
			assert.Equal(t, tc.wantErrors > 0, r.Breaking(), "Breaking()")
			assert.Equal(t, tc.wantFailed, r.Failed(), "Failed()")
			for _, c := range r.Changes {
				assert.NotEmpty(t, c.Message)
				assert.NotContains(t, c.Message, "\n")
				assert.NotContains(t, c.Message, "\x1b[", "message must be uncolored")
			}
		})
	}
}

func TestCompareReportsEveryChangeInOrder(t *testing.T) {
	t.Parallel()
	// Every change of the table above at once, in one revision built from them.
	base, err := os.ReadFile("testdata/base.yaml")
	require.NoError(t, err)
	revision := string(base)
	for _, edit := range []struct{ old, new string }{
		{"    delete:\n      operationId: deleteProfile\n      responses:\n        '204':\n          description: deleted\n", ""},
		{"      required: [role]\n      properties:\n", "      required: [role, email]\n      properties:\n        email:\n          type: string\n"},
		{"        name:\n          type: string\n    ProfileRef:", "    ProfileRef:"},
		{"enum: [INDIVIDUAL_CUSTOMER, COMPANY_CUSTOMER]\n        created_date:", "enum: [INDIVIDUAL_CUSTOMER, COMPANY_CUSTOMER, PARTNER]\n        created_date:"},
	} {
		require.Contains(t, revision, edit.old)
		revision = strings.Replace(revision, edit.old, edit.new, 1)
	}
	r, err := CompareDocuments(context.Background(),
		Document{Name: "base.yaml", Data: base}, Document{Name: "all.yaml", Data: []byte(revision)}, Options{})
	require.NoError(t, err)
	// Grouped by path, then method; within an operation errors come first.
	assert.Equal(t, []entry{
		{LevelError, "new-required-request-property", "POST /profiles"},
		{LevelWarning, "request-property-removed", "POST /profiles"},
		{LevelError, "response-property-enum-value-added", "GET /profiles/{profile_id}"},
		{LevelError, "api-removed-without-deprecation", "DELETE /profiles/{profile_id}"},
	}, entries(r))
	assert.Equal(t, 3, r.Errors)
	assert.Equal(t, 1, r.Warnings)
	assert.Equal(t, 3, r.Operations())
	assert.Equal(t, "base.yaml", r.Base)
	assert.Equal(t, "all.yaml", r.Revision)
	assert.Equal(t, LevelError, r.FailOn)
}

func TestCompareLoadErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		base, revision string
		wantSide       string
		wantName       string
		wantIn         string
		wantIs         error
	}{
		"missing base file": {
			base: "testdata/no-such-file.yaml", revision: "testdata/base.yaml",
			wantSide: "base", wantName: "testdata/no-such-file.yaml", wantIs: os.ErrNotExist,
		},
		"missing revision file": {
			base: "testdata/base.yaml", revision: "testdata/no-such-file.yaml",
			wantSide: "revision", wantName: "testdata/no-such-file.yaml", wantIs: os.ErrNotExist,
		},
		"invalid YAML": {
			base: "testdata/base.yaml", revision: "testdata/invalid-yaml.yaml",
			wantSide: "revision", wantName: "testdata/invalid-yaml.yaml", wantIn: "yaml",
		},
		"Swagger 2.0": {
			base: "testdata/swagger2.yaml", revision: "testdata/base.yaml",
			wantSide: "base", wantName: "testdata/swagger2.yaml", wantIs: ErrNotOpenAPI3,
		},
		"unresolved $ref": {
			base: "testdata/base.yaml", revision: "testdata/unresolved-ref.yaml",
			wantSide: "revision", wantName: "testdata/unresolved-ref.yaml", wantIn: "#/components/schemas/Missing",
		},
		"remote $ref refused": {
			base: "testdata/remote-ref.yaml", revision: "testdata/base.yaml",
			wantSide: "base", wantName: "testdata/remote-ref.yaml", wantIn: "remote references are not followed",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := Compare(context.Background(), tc.base, tc.revision, Options{})
			require.Error(t, err)
			assert.Nil(t, r)
			var le *LoadError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, tc.wantSide, le.Side)
			assert.Equal(t, tc.wantName, le.Name)
			msg := err.Error()
			assert.NotContains(t, msg, "\n", "one line")
			assert.True(t, strings.HasPrefix(msg, "load "+tc.wantSide+" spec "+tc.wantName+": "), "got %q", msg)
			if tc.wantIn != "" {
				assert.Contains(t, msg, tc.wantIn)
			}
			if tc.wantIs != nil {
				assert.ErrorIs(t, err, tc.wantIs)
			}
		})
	}
}

func TestCompareDocumentsRefusesOtherDocuments(t *testing.T) {
	t.Parallel()
	base, err := os.ReadFile("testdata/base.yaml")
	require.NoError(t, err)
	local, err := os.ReadFile("testdata/local-ref.yaml")
	require.NoError(t, err)
	_, err = CompareDocuments(context.Background(),
		Document{Name: "base.yaml", Data: base}, Document{Name: "local-ref.yaml", Data: local}, Options{})
	var le *LoadError
	require.ErrorAs(t, err, &le)
	assert.Equal(t, "revision", le.Side)
	assert.Contains(t, err.Error(), "local-ref-schemas.yaml")
}

func TestCompareOptions(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		failOn  Level
		wantErr bool
	}{
		"default":        {failOn: ""},
		"error":          {failOn: LevelError},
		"warning":        {failOn: LevelWarning},
		"info: rejected": {failOn: LevelInfo, wantErr: true},
		"bogus":          {failOn: "fatal", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r, err := Compare(context.Background(), "testdata/base.yaml", "testdata/identical.yaml", Options{FailOn: tc.failOn})
			if tc.wantErr {
				require.Error(t, err)
				assert.Contains(t, err.Error(), "fail-on level")
				return
			}
			require.NoError(t, err)
			want := tc.failOn
			if want == "" {
				want = LevelError
			}
			assert.Equal(t, want, r.FailOn)
		})
	}
}

func TestCompareCancelled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Compare(ctx, "testdata/base.yaml", "testdata/identical.yaml", Options{})
	require.ErrorIs(t, err, context.Canceled)
}

func TestParseLevel(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"error", "warning", "info"} {
		l, err := ParseLevel(s)
		require.NoError(t, err)
		assert.Equal(t, Level(s), l)
	}
	for _, s := range []string{"", "ERR", "fatal"} {
		_, err := ParseLevel(s)
		assert.Error(t, err, s)
	}
}

func TestServerBasePath(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		urls      []string
		want      string
		wantKnown bool
	}{
		"none":                   {urls: nil, want: "", wantKnown: true},
		"relative":               {urls: []string{"/4.0"}, want: "/4.0", wantKnown: true},
		"absolute":               {urls: []string{"https://api.passfort.com/4.0"}, want: "/4.0", wantKnown: true},
		"host only":              {urls: []string{"https://api.passfort.com"}, want: "", wantKnown: true},
		"trailing slash":         {urls: []string{"https://api.passfort.com/4.0/"}, want: "/4.0", wantKnown: true},
		"two servers, same path": {urls: []string{"https://a.example/4.0", "http://localhost:8080/4.0"}, want: "/4.0", wantKnown: true},
		"two servers, two paths": {urls: []string{"https://a.example/4.0", "https://a.example/5.0"}, wantKnown: false},
		"variables":              {urls: []string{"https://{host}/4.0"}, wantKnown: false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, known := serverBasePath(servers(tc.urls...))
			assert.Equal(t, tc.wantKnown, known)
			if tc.wantKnown {
				assert.Equal(t, tc.want, got)
			}
		})
	}
}

func TestLoadErrorUnwrap(t *testing.T) {
	t.Parallel()
	cause := errors.New("line one\n  line two")
	err := &LoadError{Side: "base", Name: "a.yaml", Err: cause}
	assert.Equal(t, "load base spec a.yaml: line one line two", err.Error())
	assert.ErrorIs(t, err, cause)
}

func servers(urls ...string) openapi3.Servers {
	out := make(openapi3.Servers, 0, len(urls))
	for _, u := range urls {
		out = append(out, &openapi3.Server{URL: u})
	}
	return out
}
