package variants_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/variants"
)

func TestJudge(t *testing.T) {
	valid := variants.Variant{Operation: "POST /things", Rule: variants.RuleValidExample, Valid: true,
		Expect: variants.Expect{Statuses: []int{200}}}
	missing := variants.Variant{Operation: "POST /things", Rule: variants.RuleMissingRequired, Location: "/name",
		Expect: variants.Expect{Statuses: []int{400}, Codes: []int{101}}}
	anyCode := variants.Variant{Operation: "POST /things", Rule: variants.RuleTooLarge, Location: "body",
		Expect: variants.Expect{Statuses: []int{413}}}
	const env101 = `{"errors":[{"code":101,"message":"Missing required field: name","source":"API"}]}`
	tests := map[string]struct {
		v        variants.Variant
		status   int
		body     string
		pass     bool
		inReason string
	}{
		"valid accepted":                 {valid, 200, `{"id":"x"}`, true, "accepted with 200"},
		"valid refused":                  {valid, 400, env101, false, "got 400 (code 101: Missing required field: name), want 200: the target refused a valid request"},
		"valid with an undocumented 2xx": {valid, 201, `{}`, false, "status: got 201, want 200"},
		"invalid refused as promised":    {missing, 400, env101, true, "refused with 400/101"},
		"invalid accepted":               {missing, 200, `{}`, false, "got 200, want 400/101: the target accepted an invalid request"},
		"invalid with another status":    {missing, 404, `{"errors":[{"code":201,"message":"nope"}]}`, false, "status: got 404 (code 201: nope), want 400/101"},
		"invalid with another code":      {missing, 400, `{"errors":[{"code":201,"message":"bad"}]}`, false, "error code: got 201, want 101 (bad)"},
		"one of several codes suffices":  {missing, 400, `{"errors":[{"code":201,"message":"a"},{"code":101,"message":"b"}]}`, true, "refused with 400/201"},
		"no envelope":                    {missing, 400, `Bad Request`, false, "error envelope: got Bad Request"},
		"empty errors":                   {missing, 400, `{"errors":[]}`, false, "got no errors, want at least one"},
		"code not an integer":            {missing, 400, `{"errors":[{"code":"101","message":"m"}]}`, false, `errors[0].code: got "101", want an integer`},
		"message not a string":           {missing, 400, `{"errors":[{"code":101,"message":7}]}`, false, "errors[0].message: got 7, want a string"},
		"message missing":                {missing, 400, `{"errors":[{"code":101}]}`, false, "errors[0].message: got nothing, want a string"},
		"any code when Codes is unset":   {anyCode, 413, `{"errors":[{"code":999,"message":"too big"}]}`, true, "refused with 413/999"},
		"envelope checked without Codes": {anyCode, 413, `{}`, false, "got no errors"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			o := variants.Judge(tc.v, tc.status, []byte(tc.body))
			assert.Equal(t, tc.pass, o.Pass, o.Reason)
			assert.Contains(t, o.Reason, tc.inReason)
			assert.NotContains(t, o.Reason, "\n", "one line")
			assert.Equal(t, tc.status, o.Status)
		})
	}
}

func TestReport(t *testing.T) {
	v := variants.Variant{Operation: "POST /things", Rule: variants.RuleMissingRequired, Location: "/name",
		Description: `missing required "name"`, Expect: variants.Expect{Statuses: []int{400}, Codes: []int{101}}}
	w := v
	w.Rule, w.Location, w.Valid, w.Expect = variants.RuleValidMinimal, "", true, variants.Expect{Statuses: []int{200}}
	out := variants.Report([]variants.Outcome{
		variants.Judge(v, 400, []byte(`{"errors":[{"code":101,"message":"m"}]}`)),
		variants.Judge(w, 400, []byte(`{"errors":[{"code":201,"message":"unknown product"}]}`)),
	})
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	require.Len(t, lines, 4, "Report: want header, 2 rows and a summary:\n%s", out)
	for i, want := range [][]string{
		{"VERDICT", "OPERATION", "RULE", "LOCATION", "EXPECTED", "GOT"},
		{"pass", "POST /things", "missing-required", "/name", "400/101", `missing required "name"`},
		{"FAIL", "valid-minimal", " - ", "200", "400/201", "refused a valid request"},
		{"2 variants: 1 passed, 1 failed"},
	} {
		for _, w := range want {
			assert.Contains(t, lines[i], w, "Report line %d", i)
		}
	}
}

func TestExpectString(t *testing.T) {
	for want, e := range map[string]variants.Expect{
		"200":         {Statuses: []int{200}},
		"400/101":     {Statuses: []int{400}, Codes: []int{101}},
		"401/203|204": {Statuses: []int{401}, Codes: []int{203, 204}},
		"200|201":     {Statuses: []int{200, 201}},
	} {
		assert.Equal(t, want, e.String(), "Expect%v.String()", e)
	}
}
