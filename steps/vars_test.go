package steps

import "testing"

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
				if err == nil || err.Error() != tc.err {
					t.Fatalf("Expand(%q) error = %v, want %q", tc.in, err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("Expand(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
			}
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
		if err == nil && len(out) > len(s)*8+16 {
			t.Fatalf("Expand(%q) grew to %d bytes", s, len(out))
		}
	})
}
