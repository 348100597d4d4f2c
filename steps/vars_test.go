package steps

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExpand(t *testing.T) {
	t.Parallel()
	w := worldWith(map[string]string{"profile_id": "p1", "app": "a-2", "braces": "{{x}}"})
	tests := map[string]struct {
		in, want, err string
	}{
		"no variables":       {in: "/profiles", want: "/profiles"},
		"one":                {in: "/profiles/{{profile_id}}", want: "/profiles/p1"},
		"two and spaces":     {in: "/profiles/{{ profile_id }}/applications/{{app}}", want: "/profiles/p1/applications/a-2"},
		"in a body":          {in: `{"id":"{{app}}"}`, want: `{"id":"a-2"}`},
		"unknown":            {in: "/profiles/{{nope}}", err: "variable {{nope}}: not set; set: app, braces, profile_id (and the product roles' {{product.ROLE.FIELD}}, {{unknown_id}})"},
		"unknown_id":         {in: "/profiles/{{unknown_id}}/events", want: "/profiles/" + UnknownID + "/events"},
		"a value holding {{": {in: "{{braces}}/{{app}}", want: "{{x}}/a-2"},
		"unterminated":       {in: "/profiles/{{profile_id", err: `variable: got an unterminated {{ in "/profiles/{{profile_id", want {{name}}`},
		"single braces stay": {in: "{a}", want: "{a}"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := w.expand(tc.in)
			if tc.err != "" {
				assert.EqualError(t, err, tc.err, "expand(%q)", tc.in)
				return
			}
			require.NoError(t, err, "expand(%q)", tc.in)
			assert.Equal(t, tc.want, got, "expand(%q)", tc.in)
		})
	}
}

func FuzzExpand(f *testing.F) {
	for _, s := range []string{"", "/profiles/{{profile_id}}", "{{", "}}{{a}}", "{{ }}", "{{a}}{{b", "x{{a}}y{{a}}"} {
		f.Add(s)
	}
	w := worldWith(map[string]string{"a": "1", "profile_id": "{{a}}"})
	f.Fuzz(func(t *testing.T, s string) {
		out, err := w.expand(s)
		if err == nil {
			assert.LessOrEqual(t, len(out), len(s)*8+16, "expand(%q) grew too much", s)
		}
	})
}

// worldWith returns a scenario's world with these variables saved and no
// product catalogue.
func worldWith(vars map[string]string) *World {
	w := NewWorld(&Env{})
	for k, v := range vars {
		w.vars[k] = v
	}
	return w
}

// In a JSON text a value inside a string is escaped as string content; one
// outside a string, and any value in a text that is not JSON, goes in as it
// is.
func TestExpandJSON(t *testing.T) {
	t.Parallel()
	w := worldWith(map[string]string{"name": `Ada "the" C:\ <b> & ü` + "\n", "n": "3", "obj": `{"a":1}`, "esc": "n"})
	tests := map[string]struct {
		in, want string
	}{
		"in a string":                  {in: `{"name":"{{name}}"}`, want: `{"name":"Ada \"the\" C:\\ <b> & ü\n"}`},
		"part of a string":             {in: `{"name":"x {{name}} y"}`, want: `{"name":"x Ada \"the\" C:\\ <b> & ü\n y"}`},
		"a number outside":             {in: `{"count":{{n}}}`, want: `{"count":3}`},
		"an object outside":            {in: `{"o":{{obj}}}`, want: `{"o":{"a":1}}`},
		"after an escaped quote":       {in: `{"a":"say \"hi\" {{n}}","b":{{n}}}`, want: `{"a":"say \"hi\" 3","b":3}`},
		"after an escaped backslash":   {in: `{"a":"c:\\","b":"{{n}}"}`, want: `{"a":"c:\\","b":"3"}`},
		"a key":                        {in: `{"{{n}}":1}`, want: `{"3":1}`},
		"two strings, one placeholder": {in: `{"a":"x","b":"{{obj}}"}`, want: `{"a":"x","b":"{\"a\":1}"}`},
		// The backslash escapes the value's first character; the quote after
		// it still ends the string.
		"after a backslash that escapes the value": {in: `{"a":"x\{{esc}}","b":"{{obj}}"}`, want: `{"a":"x\n","b":"{\"a\":1}"}`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := w.expandJSON(tc.in)
			require.NoError(t, err, "expandJSON(%q)", tc.in)
			assert.Equal(t, tc.want, got, "expandJSON(%q)", tc.in)
			assert.True(t, json.Valid([]byte(got)), "expandJSON(%q) = %s is not JSON", tc.in, got)
		})
	}
	plain, err := w.expand(`{"name":"{{name}}"}`)
	require.NoError(t, err)
	assert.Equal(t, `{"name":"Ada "the" C:\ <b> & ü`+"\n"+`"}`, plain, "expand (not JSON) leaves values as they are")
}
