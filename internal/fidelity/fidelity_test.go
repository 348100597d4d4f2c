package fidelity

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/report"
)

func run(target string, scenarios ...report.Scenario) *report.Run {
	return &report.Run{Target: target, Features: []report.Feature{{URI: "features/a.feature", Scenarios: scenarios}}}
}

func scenario(line int, status report.Status, exchanges ...exchange.Exchange) report.Scenario {
	return report.Scenario{Name: "s", Line: line, Status: status, Steps: []report.Step{{Text: "I fetch the application", Exchanges: exchanges}}}
}

func ex(status int, body string) exchange.Exchange {
	return exchange.Exchange{Method: "GET", Path: "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/applications", Status: status, ResponseBody: []byte(body)}
}

func post(status int, body string) exchange.Exchange {
	e := ex(status, body)
	e.Method = "POST"
	return e
}

// Differences that share what differs are grouped, with the scenarios that
// show them.
func TestWriteTextGroups(t *testing.T) {
	t.Parallel()
	a := run("mock", scenario(3, report.Passed, ex(200, `[{"id":"1","x":1}]`)), scenario(9, report.Passed, ex(200, `[{"id":"1","x":1}]`)))
	b := run("demo", scenario(3, report.Passed, ex(200, `[{"id":"1"}]`)), scenario(9, report.Passed, ex(200, `[{"id":"1"}]`)))
	var buf bytes.Buffer
	require.NoError(t, WriteText(&buf, Compare(a, b)))
	assert.Equal(t, `fidelity: mock vs demo: 2 scenarios compared, 2 differences in 1 group
  field: GET /profiles/{id}/applications 200: /*/x only from mock (2 scenarios)
    features/a.feature:3 s, step "I fetch the application"
    features/a.feature:9 s, step "I fetch the application"
`, buf.String())
}

func TestCompare(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		a, b *report.Run
		want []string // What: Detail
	}{
		"identical": {
			a: run("mock", scenario(3, report.Passed, ex(200, `[{"id":"1","status":"APPLIED"}]`))),
			b: run("demo", scenario(3, report.Passed, ex(200, `[{"id":"2","status":"APPROVED"}]`))),
		},
		"outcome differs": {
			a:    run("mock", scenario(3, report.Passed)),
			b:    run("demo", scenario(3, report.Failed)),
			want: []string{"outcome: mock passed, demo failed"},
		},
		"status differs": {
			a:    run("mock", scenario(3, report.Passed, ex(200, `[]`))),
			b:    run("demo", scenario(3, report.Passed, ex(404, `{}`))),
			want: []string{"status: GET /profiles/{id}/applications: mock 200, demo 404"},
		},
		"fields differ both ways": {
			a: run("mock", scenario(3, report.Passed, ex(200, `[{"id":"1","assignments":[]}]`))),
			b: run("demo", scenario(3, report.Passed, ex(200, `[{"id":"1","will_expire_at":"x"}]`))),
			want: []string{
				"field: GET /profiles/{id}/applications 200: /*/assignments only from mock",
				"field: GET /profiles/{id}/applications 200: /*/will_expire_at only from demo",
			},
		},
		"scenario only in one run": {
			a:    run("mock", scenario(3, report.Passed), scenario(9, report.Passed)),
			b:    run("demo", scenario(3, report.Passed)),
			want: []string{"missing: only mock ran it"},
		},
		"fewer requests": {
			a:    run("mock", scenario(3, report.Passed, ex(200, `[]`), post(200, `{}`))),
			b:    run("demo", scenario(3, report.Passed, ex(200, `[]`))),
			want: []string{"missing: mock sent 2 requests, demo 1"},
		},
		// A step that polls sends as many requests as the target takes to
		// settle: only the last of a run of the same request is compared.
		"polling until settled": {
			a: run("mock", scenario(3, report.Passed, ex(200, `[{"id":"1"}]`), ex(200, `[{"id":"1","result":"x"}]`))),
			b: run("demo", scenario(3, report.Passed, ex(200, `[{"id":"1"}]`), ex(200, `[{"id":"1"}]`), ex(200, `[{"id":"1","result":"y"}]`))),
		},
		"polling settled differently": {
			a:    run("mock", scenario(3, report.Passed, ex(200, `[{"id":"1"}]`), ex(200, `[{"id":"1","result":"x"}]`))),
			b:    run("demo", scenario(3, report.Passed, ex(200, `[{"id":"1"}]`))),
			want: []string{"field: GET /profiles/{id}/applications 200: /*/result only from mock"},
		},
		// Two runs of one target are told apart as A and B.
		"two runs of one target": {
			a:    run("embedded mock", scenario(3, report.Passed), scenario(9, report.Passed)),
			b:    run("embedded mock", scenario(3, report.Failed)),
			want: []string{"outcome: A (embedded mock) passed, B (embedded mock) failed", "missing: only A (embedded mock) ran it"},
		},
		// An empty list says nothing about the shape of its elements.
		"an empty list": {
			a: run("mock", scenario(3, report.Passed, ex(200, `{"results":[]}`))),
			b: run("demo", scenario(3, report.Passed, ex(200, `{"results":[{"id":"1","role":"x"}]}`))),
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res := Compare(tc.a, tc.b)
			var got []string
			for _, d := range res.Differences {
				got = append(got, d.What+": "+d.Detail)
			}
			require.Equal(t, strings.Join(tc.want, "\n"), strings.Join(got, "\n"))
			var buf bytes.Buffer
			require.NoError(t, WriteText(&buf, res))
			prefix := "fidelity: mock vs demo:"
			if tc.a.Target == tc.b.Target {
				prefix = "fidelity: A (embedded mock) vs B (embedded mock):"
			}
			assert.True(t, strings.HasPrefix(buf.String(), prefix), "%q lacks the prefix %q", buf.String(), prefix)
		})
	}
}
