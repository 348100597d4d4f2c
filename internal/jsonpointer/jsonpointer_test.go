package jsonpointer_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/jsonpointer"
)

func TestEscape(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ token, want string }{
		"plain":         {"alias", "alias"},
		"slash":         {"a/b", "a~1b"},
		"tilde":         {"a~b", "a~0b"},
		"tilde 1 stays": {"~1", "~01"},
		"empty":         {"", ""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, jsonpointer.Escape(tc.token))
			assert.Equal(t, tc.token, jsonpointer.Unescape(tc.want), "Unescape undoes Escape")
		})
	}
}

func TestBuild(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "/product/a~1b", jsonpointer.Child("/product", "a/b"))
	assert.Equal(t, "/applications/3", jsonpointer.Index("/applications", 3))
	assert.Equal(t, "/a~0/0/b~1c", jsonpointer.FromTokens([]string{"a~", "0", "b/c"}))
	assert.Equal(t, "", jsonpointer.FromTokens(nil), "no tokens: the whole document")
}

func TestRead(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		ptr    string
		tokens []string
		parent string
		last   string
	}{
		"root":    {"", nil, "", ""},
		"one":     {"/a", []string{"a"}, "", "a"},
		"escaped": {"/a~1b/c~0d", []string{"a/b", "c~d"}, "/a~1b", "c~d"},
		"index":   {"/a/*/b", []string{"a", "*", "b"}, "/a/*", "b"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.tokens, jsonpointer.Tokens(tc.ptr))
			assert.Equal(t, tc.parent, jsonpointer.Parent(tc.ptr))
			assert.Equal(t, tc.last, jsonpointer.Last(tc.ptr))
			assert.Equal(t, tc.ptr, jsonpointer.FromTokens(tc.tokens), "FromTokens undoes Tokens")
		})
	}
}

func TestWithin(t *testing.T) {
	t.Parallel()
	assert.True(t, jsonpointer.Within("/a/b", "/a"))
	assert.True(t, jsonpointer.Within("/a", "/a"))
	assert.True(t, jsonpointer.Within("/a", ""), "everything is within the root")
	assert.False(t, jsonpointer.Within("/ab", "/a"), "a prefix of a token is not a parent")
	assert.False(t, jsonpointer.Within("/a", "/a/b"))
}

func TestArrayIndex(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		token string
		want  int
		ok    bool
	}{
		"zero":          {"0", 0, true},
		"number":        {"12", 12, true},
		"leading zero":  {"01", 0, false},
		"sign":          {"-1", 0, false},
		"empty":         {"", 0, false},
		"word":          {"a1", 0, false},
		"too long":      {"1234567890", 0, false},
		"nine digits":   {"123456789", 123456789, true},
		"array append":  {"-", 0, false},
		"templated key": {"*", 0, false},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := jsonpointer.ArrayIndex(tc.token)
			assert.Equal(t, tc.ok, ok)
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestDotted(t *testing.T) {
	t.Parallel()
	tests := map[string]struct{ ptr, want string }{
		"root":           {"", "body"},
		"slash":          {"/", "body"},
		"field":          {"/product", "product"},
		"nested":         {"/applications/0/product", "applications[0].product"},
		"leading digits": {"/0/a", "0.a"},
		"escaped":        {"/a~1b/c", "a/b.c"},
		"signed is key":  {"/a/-1", "a.-1"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, jsonpointer.Dotted(tc.ptr))
		})
	}
	assert.Equal(t, "body", jsonpointer.DottedTokens(nil))
	assert.Equal(t, "applications[0].product", jsonpointer.DottedTokens([]string{"applications", "0", "product"}))
}

func FuzzTokensRoundTrip(f *testing.F) {
	f.Add("/a~1b/c~0d")
	f.Add("/~01")
	f.Add("")
	f.Fuzz(func(t *testing.T, ptr string) {
		tokens := jsonpointer.Tokens(ptr)
		back := jsonpointer.FromTokens(tokens)
		assert.Equal(t, tokens, jsonpointer.Tokens(back), "a pointer built from tokens reads back the same tokens")
	})
}

func TestTemplated(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                            "",
		"/status":                     "/status",
		"/applications/0/drift_probe": "/applications/*/drift_probe",
		"/a/12/b/3":                   "/a/*/b/*",
		"/v2x/0a":                     "/v2x/0a",
		"/0/type":                     "/*/type",
		// Map keys that only look numeric are not array indexes (RFC 6901).
		"/codes/007":        "/codes/007",
		"/codes/1234567890": "/codes/1234567890",
		"/codes/0":          "/codes/*",
	} {
		assert.Equal(t, want, jsonpointer.Templated(in), in)
	}
}
