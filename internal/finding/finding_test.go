package finding

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestString(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		f    Finding
		want string
	}{
		"full": {Finding{Class: Contract, Kind: OutsideEnum, Operation: "GET /profiles/{profile_id}", Status: 200, Pointer: "/flag", Rule: "enum", Message: `got "FOO", want one of A, B`},
			`contract: GET /profiles/{profile_id} 200 /flag: got "FOO", want one of A, B [outside-enum enum]`},
		"rule equals kind": {Finding{Class: Drift, Kind: UndocumentedField, Rule: UndocumentedField, Pointer: "/x", Message: "not documented"},
			"drift: /x: not documented [undocumented-field]"},
		"newline in a key stays on one line": {Finding{Class: Drift, Kind: UndocumentedField, Operation: "GET /x\n", Pointer: "/a\nb", Message: "m"},
			`drift: GET /x\n /a\nb: m [undocumented-field]`},
		"multi-line message folded": {Finding{Class: Infrastructure, Kind: Timeout, Operation: "POST /profiles", Message: "deadline\n  exceeded\tafter 5s"},
			"infrastructure: POST /profiles deadline exceeded after 5s [timeout]"},
		"a one-line message keeps its quoted value as it is": {Finding{Class: Contract, Kind: "content-type", Operation: "GET /whoami", Status: 200, Message: ` got "application/json;  charset=utf-8", want application/json `},
			`contract: GET /whoami 200 got "application/json;  charset=utf-8", want application/json [content-type]`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, tc.f.String(), "String()")
		})
	}
}

func TestFails(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		f    Finding
		want bool
	}{
		"contract":          {Finding{Class: Contract}, true},
		"lifecycle":         {Finding{Class: Lifecycle}, true},
		"infrastructure":    {Finding{Class: Infrastructure}, true},
		"drift":             {Finding{Class: Drift}, false},
		"expected infra":    {Finding{Class: Infrastructure, Expected: true}, false},
		"expected contract": {Finding{Class: Contract, Expected: true}, false},
	}
	for name, tc := range tests {
		assert.Equal(t, tc.want, tc.f.Fails(), "%s: Fails()", name)
	}
}

func TestWorstAndKey(t *testing.T) {
	t.Parallel()
	fs := []Finding{{Class: Drift}, {Class: Infrastructure}, {Class: Lifecycle}}
	assert.Equal(t, Lifecycle, Worst(fs), "Worst")
	assert.Equal(t, Contract, Worst(append(fs, Finding{Class: Contract})), "Worst")
	assert.Empty(t, Worst([]Finding{{Class: Drift}}), "Worst(drift only)")
	a := Finding{Class: Drift, Kind: UndocumentedField, Operation: "GET /x", Status: 200, Pointer: "/a", Scenario: "one", Example: "1"}
	b := a
	b.Scenario, b.Example = "two", "2"
	assert.Equal(t, a.Key(), b.Key(), "Key differs by scenario or example")
	b.Pointer = "/b"
	assert.NotEqual(t, a.Key(), b.Key(), "Key ignores the pointer")
}

func TestEscapeControls(t *testing.T) {
	tests := map[string]struct{ in, want string }{
		"plain text unchanged":    {"application 7 went APPLIED→APPROVED", "application 7 went APPLIED→APPROVED"},
		"newline escaped":         {"answered application 0\n; want", `answered application 0\n; want`},
		"carriage return, tab":    {"a\r\tb", `a\r\tb`},
		"DEL and NUL escaped":     {"a\x7fb\x00", `a\x7fb\x00`},
		"no control, quotes kept": {`id "x"`, `id "x"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, EscapeControls(tc.in), "EscapeControls(%q)", tc.in)
		})
	}
}
