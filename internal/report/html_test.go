package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func renderHTML(t *testing.T, r *Run, extra HTMLExtras) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, WriteHTML(&buf, r, extra), "WriteHTML")
	return buf.String()
}

// htmlVoid are the elements HTML never closes.
var htmlVoid = []string{"meta", "link", "br", "hr", "img", "input", "col", "wbr", "source"}

// checkHTMLStructure parses the page as tolerant XML (HTML entities, boolean
// attributes) and checks that every element is closed in order.
func checkHTMLStructure(t *testing.T, page string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(page))
	dec.Strict = false
	dec.Entity = xml.HTMLEntity
	var stack []string
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "html does not parse")
		switch tok := tok.(type) {
		case xml.StartElement:
			if !slices.Contains(htmlVoid, tok.Name.Local) {
				stack = append(stack, tok.Name.Local)
			}
		case xml.EndElement:
			require.NotEmpty(t, stack)
			require.Equal(t, tok.Name.Local, stack[len(stack)-1])
			stack = stack[:len(stack)-1]
		}
	}
	require.Len(t, stack, 0)
}

func TestHTMLStructure(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		run   *Run
		extra HTMLExtras
	}{
		"sample with extras": {sampleRun(), sampleExtras()},
		"sample":             {sampleRun(), HTMLExtras{}},
		"empty run":          {&Run{}, HTMLExtras{}},
		"empty lifecycle":    {&Run{}, HTMLExtras{Lifecycle: &LifecycleDiagram{}, Coverage: []CoverageTable{{Title: "none"}}}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			page := renderHTML(t, tt.run, tt.extra)
			checkHTMLStructure(t, page)
			assert.Contains(t, page, "document.body.dataset.jsOk", "page lacks its script")
			got, want := strings.Contains(page, `data-testid="lifecycle"`), tt.extra.Lifecycle != nil
			assert.Equal(t, want, got, "lifecycle section present")
		})
	}
}

var (
	// externalLoad finds an element whose attribute names a network
	// address: the tag and the attribute.
	externalLoad = regexp.MustCompile(`(?i)<([a-z][a-z0-9]*)\b[^>]*?\s(src|href|action|srcset|poster|data|xlink:href)\s*=\s*["']?\s*(https?:|//)`)
	cssURL       = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")]*)`)
)

func TestHTMLSelfContained(t *testing.T) {
	t.Parallel()
	r := sampleRun()
	// A real target's base URL appears as text; it must never become a load.
	r.Target = "https://api.passfort.com/4.0"
	// The build link is the one network address a page may hold: a link
	// people follow, never a load.
	r.Build = &Build{URL: "https://ci.example.com/job/42"}
	page := renderHTML(t, r, sampleExtras())
	for _, m := range externalLoad.FindAllStringSubmatch(page, -1) {
		assert.True(t, m[1] == "a" && strings.EqualFold(m[2], "href"), "element loads from the network: %s", m[0])
	}
	assert.Len(t, externalLoad.FindAllString(page, -1), 1, "the build link")
	for _, m := range cssURL.FindAllStringSubmatch(page, -1) {
		assert.True(t, strings.HasPrefix(m[1], "#"), "%q lacks the prefix %q", m[1], "#")
	}
	for _, banned := range []string{"@import", "<link", "<iframe", "<img", "fonts.googleapis"} {
		assert.NotContains(t, page, banned)
	}
	assert.Contains(t, page, `content="default-src 'none';`, "page lacks the Content-Security-Policy that forbids network loads")
	assert.Contains(t, page, `data-testid="target">https://api.passfort.com/4.0<`, "target URL not shown as text")
}

func TestHTMLEscapesBodies(t *testing.T) {
	t.Parallel()
	page := renderHTML(t, sampleRun(), sampleExtras())
	assert.NotContains(t, page, "<script>alert(1)", "response body injected a script element")
	// JSON bodies are indented; their markup is escaped.
	assert.Contains(t, page, `"note": "&lt;script&gt;alert(1)&lt;/script&gt;"`, "escaped, indented body not found")
	assert.Contains(t, page, "Profile has a &#34;status&#34; &amp; &lt;role&gt;", "scenario name not escaped")
	assert.Contains(t, page, "<td>201, &lt;none&gt;</td>", "coverage cell not escaped")
}

func TestHTMLContent(t *testing.T) {
	t.Parallel()
	page := renderHTML(t, sampleRun(), sampleExtras())
	checks := []struct {
		what string
		want string
		n    int // occurrences; 0 means at least one
	}{
		{"scenarios", `data-testid="scenario"`, 8},
		{"open failed scenarios", `data-status="failed" data-failure=`, 4},
		{"findings at their steps", `data-testid="finding"`, 5},
		{"contract finding at its step", `data-class="contract" data-kind="missing-required"><span class="badge contract">contract</span> <span class="mono">contract: GET /profiles/{profile_id} 200 /status: value is required [missing-required required]</span>`, 1},
		{"drift example", `example: <code>42</code>`, 2},
		{"exchanges", `data-testid="exchange"`, 3},
		{"exchange summary", `GET /profiles/8e1c2a3b-0000-4000-8000-000000000001 → <span class="st s-2xx">200</span> · 12ms`, 2},
		{"redacted header kept redacted", `<td>Apikey</td><td class="mono">[REDACTED]</td>`, 3},
		{"counts", `data-testid="count-failed"><b>4</b>`, 1},
		{"flaky count", `data-testid="count-flaky"><b>1</b>`, 1},
		{"duration", `data-testid="duration">1.42s<`, 1},
		{"seed", `data-testid="seed" class="mono">42<`, 1},
		{"spec hash prefix", `>0123456789ab</dd>`, 1},
		{"guard", `data-testid="guard">allowed: embedded mock<`, 1},
		{"flaky note", `flaky: passed on attempt 2 after infrastructure failure: GET /profiles: timeout after 10s`, 1},
		{"lifecycle boxes", `data-testid="status"`, 4},
		{"observed transitions", `class="edge observed" data-testid="transition"`, 2},
		{"illegal transition", `class="edge illegal" data-testid="transition" data-from="APPROVED" data-to="IN_REVIEW" data-observed="true"`, 1},
		{"transition count label", `>submit ×3</tspan>`, 1},
		{"coverage", `data-testid="coverage-table"`, 1},
		{"coverage percent", `37.5%`, 0},
		{"aria-expanded on open scenario", `<summary aria-expanded="true"><span class="badge failed">`, 4},
	}
	for _, c := range checks {
		got := strings.Count(page, c.want)
		assert.False(t, c.n == 0 && got == 0, "%s: %q occurs %d times; want %d", c.what, c.want, got, c.n)
		assert.False(t, c.n > 0 && got != c.n, "%s: %q occurs %d times; want %d", c.what, c.want, got, c.n)
	}
	// Failed scenarios come first, and the feature holding failures first.
	first := strings.Index(page, `data-testid="scenario"`)
	assert.True(t, strings.HasPrefix(page[first:], `data-testid="scenario" data-status="failed"`), "%q lacks the prefix %q", page[first:], `data-testid="scenario" data-status="failed"`)
	i, j := strings.Index(page, `id="scenario-2"`), strings.Index(page, `id="scenario-1"`)
	assert.GreaterOrEqual(t, i, 0)
	assert.GreaterOrEqual(t, j, 0)
	assert.LessOrEqual(t, i, j)
}

func TestHTMLDeterministic(t *testing.T) {
	t.Parallel()
	a := renderHTML(t, sampleRun(), sampleExtras())
	for range 5 {
		require.Equal(t, a, renderHTML(t, sampleRun(), sampleExtras()), "two renders of the same run differ")
	}
}

func TestPrettyBody(t *testing.T) {
	t.Parallel()
	big := bytes.Repeat([]byte("é"), maxBodyBytes) // 2 bytes each: cut mid-way
	tests := map[string]struct {
		in         []byte
		want       string
		wantSuffix string
	}{
		"json indented": {in: []byte(`{"a":[1,2]}`), want: "{\n  \"a\": [\n    1,\n    2\n  ]\n}"},
		"text kept":     {in: []byte("plain <b>text</b>"), want: "plain <b>text</b>"},
		"empty":         {in: nil, want: ""},
		"control chars": {in: []byte("a\x00b\x1bc"), want: "abc"},
		"invalid utf8":  {in: []byte{'a', 0xff, 'b'}, want: "a\uFFFDb"},
		"cut":           {in: big, wantSuffix: "\n… (cut at 65536 bytes)"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := prettyBody(tt.in)
			if tt.wantSuffix != "" {
				assert.True(t, strings.HasSuffix(got, tt.wantSuffix), "prettyBody(%d bytes) = %d bytes ending %q", len(tt.in), len(got), got[max(0, len(got)-40):])
				assert.LessOrEqual(t, len(got), maxBodyBytes+len(tt.wantSuffix)+3, "prettyBody(%d bytes)", len(tt.in))
				return
			}
			assert.Equal(t, tt.want, got, "prettyBody(%q)", tt.in)
		})
	}
}

func TestLifecycleLayout(t *testing.T) {
	t.Parallel()
	d := layoutDiagram(sampleExtras().Lifecycle)
	x := map[string]int{}
	for _, b := range d.Boxes {
		x[b.Name] = b.X
	}
	// Left to right along the lifecycle; both outcomes in the same column.
	assert.True(t, x["APPLIED"] < x["IN_REVIEW"] && x["IN_REVIEW"] < x["APPROVED"] && x["APPROVED"] == x["REJECTED"])
	classes := map[string]string{}
	for _, e := range d.Edges {
		classes[e.Names] = e.Class
	}
	want := map[string]string{"submit": "observed", "approve": "observed", "reject": "modelled", "reopen": "illegal", "update": "modelled"}
	for k, v := range want {
		assert.Equal(t, v, classes[k])
	}
	for _, b := range d.Boxes {
		assert.LessOrEqual(t, b.X+b.W, d.Width, "box %s at (%d,%d) outside %dx%d", b.Name, b.X, b.Y, d.Width, d.Height)
		assert.LessOrEqual(t, b.Y+b.H, d.Height, "box %s at (%d,%d) outside %dx%d", b.Name, b.X, b.Y, d.Width, d.Height)
	}
	// A status only named by a transition is added, as not modelled.
	d = layoutDiagram(&LifecycleDiagram{Transitions: []LifecycleTransition{{Name: "x", From: "A", To: "B", Observed: true}}})
	assert.Len(t, d.Boxes, 2)
	assert.Equal(t, "illegal", d.Boxes[1].Class)
	assert.Equal(t, "illegal", d.Edges[0].Class)
}

// A run every scenario of which passed can still fail on a gate: the page
// says failed, with the judged verdict and its reasons, not passed.
func TestHTMLJudgedVerdictWins(t *testing.T) {
	r := sampleRun()
	for i := range r.Features {
		for j := range r.Features[i].Scenarios {
			sc := &r.Features[i].Scenarios[j]
			sc.Status, sc.Error = Passed, ""
			for k := range sc.Steps {
				sc.Steps[k].Status, sc.Steps[k].Error, sc.Steps[k].Findings = Passed, "", nil
			}
		}
	}
	require.Zero(t, r.Count().Failed, "precondition: nothing failed")
	r.Verdict, r.Reasons = "coverage", []string{"coverage: operations × statuses 40% < 80%"}
	page := renderHTML(t, r, HTMLExtras{})
	assert.Contains(t, page, `data-verdict="failed"`)
	assert.Contains(t, page, `data-testid="judged">verdict: coverage</span>`)
	assert.Contains(t, page, "<li>coverage: operations × statuses 40% &lt; 80%</li>")

	r.Verdict, r.Reasons = "pass", nil
	page = renderHTML(t, r, HTMLExtras{})
	assert.Contains(t, page, `data-verdict="passed"`)
	assert.NotContains(t, page, `data-testid="judged"`, "a passing run needs no cause")
}
