package drift

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func decode(t *testing.T, s string) any {
	t.Helper()
	v, ok := decodeBody([]byte(s))
	require.True(t, ok, "decodeBody(%s): not JSON", s)
	return v
}

func TestShapeTemplate(t *testing.T) {
	t.Parallel()
	sh := shape{documented: map[string]bool{
		"/ids": true, "/ids/*": true, // a map: its keys are templated
		"/ids/main": true, // ... except a documented property beside it
		"/list":     true, "/list/*/name": true,
	}}
	body := decode(t, `{"ids":{"GBR":"x","main":"y"},"list":[{"name":"a"},{"name":"b","extra":{"deep":[1,2]}}],"a/b":{"c~d":1}}`)
	tests := map[string]struct {
		ptr, want string
		at        any
		ok        bool
	}{
		"root":                 {"", "", body, true},
		"array index":          {"/list/1/name", "/list/*/name", "b", true},
		"undocumented in item": {"/list/1/extra/deep/0", "/list/*/extra/deep/*", json.Number("1"), true},
		"map key":              {"/ids/GBR", "/ids/*", "x", true},
		"documented beside":    {"/ids/main", "/ids/main", "y", true},
		"escaped tokens":       {"/a~1b/c~0d", "/a~1b/c~0d", json.Number("1"), true},
		"missing key":          {"/nope", "", nil, false},
		"index out of range":   {"/list/2/name", "", nil, false},
		"leading zero index":   {"/list/01/name", "", nil, false},
		"into a scalar":        {"/list/0/name/x", "", nil, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, at, ok := sh.template(body, tc.ptr)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
			if tc.ok && name != "root" {
				assert.Equal(t, tc.at, at)
			}
		})
	}
}

func TestShapeGuessTemplate(t *testing.T) {
	t.Parallel()
	sh := shape{documented: map[string]bool{"/ids/*": true}}
	tests := map[string]string{
		"/list/0/name":  "/list/*/name",
		"/list/12/a/3":  "/list/*/a/*",
		"/ids/GBR":      "/ids/*",
		"/v01/x":        "/v01/x",
		"/a~1b/007":     "/a~1b/007", // not an index: leading zeros
		"":              "",
		"/2024/x":       "/*/x", // a guess: digits read as an index
		"/list/0/ca~0t": "/list/*/ca~0t",
	}
	for in, want := range tests {
		assert.Equal(t, want, sh.guessTemplate(in), in)
	}
}

func TestShapeWalkTemplatesEveryNode(t *testing.T) {
	t.Parallel()
	sh := shape{documented: map[string]bool{"/m": true, "/m/*": true}}
	body := decode(t, `{"m":{"k1":{"x":1},"k2":{"x":2}},"arr":[[1],[2,3]]}`)
	type node struct {
		ptr   string
		field bool
	}
	seen := map[node]int{}
	sh.walk(body, "", false, func(ptr string, _ any, field bool) { seen[node{ptr, field}]++ })
	assert.Equal(t, map[node]int{
		{"", false}: 1, {"/m", true}: 1, {"/m/*", true}: 2, {"/m/*/x", true}: 2,
		{"/arr", true}: 1, {"/arr/*", false}: 2, {"/arr/*/*", false}: 3,
	}, seen)
}

func TestDecodeBody(t *testing.T) {
	t.Parallel()
	for in, ok := range map[string]bool{
		`{"a":1}`: true, ` [1] `: true, `"s"`: true, `12345678901234567890`: true,
		``: false, `  `: false, `{"a":1} x`: false, `{} {}`: false, `{"a":`: false, `<html>`: false, `{}]`: false,
	} {
		_, got := decodeBody([]byte(in))
		assert.Equal(t, ok, got, "%q", in)
	}
	v, _ := decodeBody([]byte(`12345678901234567890`))
	assert.Equal(t, json.Number("12345678901234567890"), v, "numbers stay exact")
}

func TestTemplatePath(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/unknown": "/profiles/{id}/unknown",
		"/things/42?x=1": "/things/{id}",
		"/v2/things":     "/v2/things",
		"/":              "/",
	}
	for in, want := range tests {
		assert.Equal(t, want, templatePath(in), in)
	}
}

func TestValueFromMessage(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		`got "NEW", want one of A, B`: "NEW",
		`got 3, want one of 1, 2`:     "3",
		`something else`:              "",
	}
	for in, want := range tests {
		assert.Equal(t, want, valueFromMessage(in), in)
	}
}

func TestSecretName(t *testing.T) {
	t.Parallel()
	for name, secret := range map[string]bool{
		"api_key": true, "apikey": true, "access_token": true, "client_secret": true, "Password": true,
		"key": true, "authorization": true,
		"flag": false, "monkey": false, "keyword": false, "alias": false,
	} {
		assert.Equal(t, secret, secretName(name), name)
	}
}
