package specdiff

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sample is a Result as Compare builds it: sorted, counted.
func sample() *Result {
	return &Result{
		Base:     "a.yaml",
		Revision: "b.yaml",
		FailOn:   LevelError,
		Changes: []Change{
			{Level: LevelError, ID: "new-required-request-property", Operation: "POST /profiles", Path: "/profiles", Message: "added the new required request property `email`"},
			{Level: LevelWarning, ID: "request-property-removed", Operation: "POST /profiles", Path: "/profiles", Message: "removed the request property `name`"},
			{Level: LevelError, ID: "response-property-enum-value-added", Operation: "GET /profiles/{profile_id}", Path: "/profiles/{profile_id}", Message: "added the new `A|B` enum value"},
			{Level: LevelInfo, ID: "api-version-not-bumped", Message: "a breaking change was detected but the version is still `1.0.0`"},
		},
		Errors:   2,
		Warnings: 1,
		Infos:    1,
	}
}

func TestWriteText(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, sample()))
	assert.Equal(t, `POST /profiles
  error    [new-required-request-property] added the new required request property `+"`email`"+`
  warning  [request-property-removed] removed the request property `+"`name`"+`

GET /profiles/{profile_id}
  error    [response-property-enum-value-added] added the new `+"`A|B`"+` enum value

outside any operation
  info     [api-version-not-bumped] a breaking change was detected but the version is still `+"`1.0.0`"+`

2 errors, 1 warning, 1 info in 2 operations (and 1 outside any operation)
`, b.String())
}

func TestSummary(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		r    *Result
		want string
	}{
		"empty": {r: &Result{}, want: "0 errors, 0 warnings in 0 operations"},
		"singular": {
			r:    &Result{Errors: 1, Changes: []Change{{Level: LevelError, Operation: "GET /a", Path: "/a"}}},
			want: "1 error, 0 warnings in 1 operation",
		},
		"plural, one operation counted once": {
			r: &Result{Errors: 2, Warnings: 5, Changes: []Change{
				{Level: LevelError, Operation: "GET /a"}, {Level: LevelError, Operation: "GET /a"},
				{Level: LevelWarning, Operation: "POST /a"}, {Level: LevelWarning, Operation: "GET /b"},
				{Level: LevelWarning, Operation: "GET /b"}, {Level: LevelWarning, Operation: "GET /b"},
				{Level: LevelWarning, Operation: "GET /b"},
			}},
			want: "2 errors, 5 warnings in 3 operations",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, tc.r.Summary())
		})
	}
}

func TestWriteJSON(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, WriteJSON(&b, sample()))
	var got struct {
		Base, Revision string
		FailOn         string `json:"fail_on"`
		Changes        []Change
		Errors         int
		Warnings       int
		Infos          int
		Operations     int
		Breaking       bool
		Failed         bool
		Summary        string
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &got))
	assert.Equal(t, "a.yaml", got.Base)
	assert.Equal(t, "b.yaml", got.Revision)
	assert.Equal(t, "error", got.FailOn)
	assert.Equal(t, sample().Changes, got.Changes)
	assert.Equal(t, [3]int{2, 1, 1}, [3]int{got.Errors, got.Warnings, got.Infos})
	assert.Equal(t, 2, got.Operations)
	assert.True(t, got.Breaking)
	assert.True(t, got.Failed)
	assert.Equal(t, sample().Summary(), got.Summary)
	assert.Contains(t, b.String(), `"operation": "POST /profiles"`)
	assert.NotContains(t, b.String(), `"operation": ""`, "empty operation omitted")
}

func TestWriteJSONNoChanges(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, WriteJSON(&b, &Result{Base: "a.yaml", Revision: "a.yaml", FailOn: LevelError}))
	assert.Contains(t, b.String(), `"changes": []`)
	assert.Contains(t, b.String(), `"failed": false`)
}

func TestWriteMarkdown(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	require.NoError(t, WriteMarkdown(&b, sample()))
	assert.Equal(t, "## Breaking changes: `a.yaml` → `b.yaml`\n\n"+
		"2 errors, 1 warning, 1 info in 2 operations (and 1 outside any operation)\n"+
		"\n### `POST /profiles`\n\n| level | check | change |\n| --- | --- | --- |\n"+
		"| error | `new-required-request-property` | added the new required request property `email` |\n"+
		"| warning | `request-property-removed` | removed the request property `name` |\n"+
		"\n### `GET /profiles/{profile_id}`\n\n| level | check | change |\n| --- | --- | --- |\n"+
		"| error | `response-property-enum-value-added` | added the new `A\\|B` enum value |\n"+
		"\n### outside any operation\n\n| level | check | change |\n| --- | --- | --- |\n"+
		"| info | `api-version-not-bumped` | a breaking change was detected but the version is still `1.0.0` |\n",
		b.String())
}

// failingWriter fails every write, as a closed pipe or full disk would.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWritersReturnWriteErrors(t *testing.T) {
	t.Parallel()
	for name, write := range map[string]func(*Result) error{
		"text":     func(r *Result) error { return WriteText(failingWriter{}, r) },
		"json":     func(r *Result) error { return WriteJSON(failingWriter{}, r) },
		"markdown": func(r *Result) error { return WriteMarkdown(failingWriter{}, r) },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.EqualError(t, write(sample()), "disk full")
		})
	}
}
