package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpand(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"profile_id": "p1", "app": "a-2"}
	tests := map[string]struct {
		in, want, err string
	}{
		"no variables":       {in: "/profiles", want: "/profiles"},
		"one":                {in: "/profiles/{{profile_id}}", want: "/profiles/p1"},
		"two and spaces":     {in: "/profiles/{{ profile_id }}/applications/{{app}}", want: "/profiles/p1/applications/a-2"},
		"in a body":          {in: `{"id":"{{app}}"}`, want: `{"id":"a-2"}`},
		"unknown":            {in: "/profiles/{{nope}}", err: "variable {{nope}}: not set; set: app, profile_id"},
		"unterminated":       {in: "/profiles/{{profile_id", err: `variable: got an unterminated {{ in "/profiles/{{profile_id", want {{name}}`},
		"single braces stay": {in: "{a}", want: "{a}"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Expand(tc.in, vars)
			if tc.err != "" {
				assert.EqualError(t, err, tc.err, "Expand(%q)", tc.in)
				return
			}
			require.NoError(t, err, "Expand(%q)", tc.in)
			assert.Equal(t, tc.want, got, "Expand(%q)", tc.in)
		})
	}
}

func FuzzExpand(f *testing.F) {
	for _, s := range []string{"", "/profiles/{{profile_id}}", "{{", "}}{{a}}", "{{ }}", "{{a}}{{b", "x{{a}}y{{a}}"} {
		f.Add(s)
	}
	vars := map[string]string{"a": "1", "profile_id": "{{a}}"}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := Expand(s, vars)
		if err == nil {
			assert.LessOrEqual(t, len(out), len(s)*8+16, "Expand(%q) grew too much", s)
		}
	})
}
