package report

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/spec"
)

func TestFindingGroups(t *testing.T) {
	t.Parallel()
	r := sampleRun()
	// One finding provoked on purpose, to be shown apart.
	exp := timedOut
	exp.Expected = true
	r.Features[0].Scenarios[0].Steps[0].Findings = append(r.Features[0].Scenarios[0].Steps[0].Findings, exp)

	p := buildPage(r, HTMLExtras{})
	type row struct {
		class, kind      string
		count, scenarios int
	}
	var got []row
	total := 0
	for _, g := range p.Groups {
		got = append(got, row{g.Class, g.Kind, g.Count, len(g.Scenarios)})
		if g.Class != FailAssertion && g.Class != FailUndefined {
			total += g.Count
		}
	}
	want := []row{
		{"contract", finding.MissingRequired, 1, 1},
		{"lifecycle", finding.IllegalTransition, 1, 1},
		{"infrastructure", finding.Timeout, 1, 1},
		// The same drift in two scenarios is one group of two.
		{"drift", finding.UndocumentedField, 2, 2},
		// Failures no finding explains, grouped by failed step and error.
		{"assertion", "Then the response status is 201", 1, 1},
		{"undefined", "When something nobody wrote", 1, 1},
	}
	assert.Equal(t, want, got)
	require.Len(t, p.Expected, 1)
	assert.Equal(t, row{"infrastructure", finding.Timeout, 1, 1}, row{p.Expected[0].Class, p.Expected[0].Kind, p.Expected[0].Count, len(p.Expected[0].Scenarios)})
	// Every finding of findings.json is in exactly one group.
	assert.Equal(t, len(r.Findings()), total+p.Expected[0].Count)
	assert.Equal(t, len(r.Findings()), p.FindingTotal)
	assert.Equal(t, "status: got 200, want 201", p.Groups[4].Message)

	filters := classFilters(p.Groups)
	var classes []string
	for _, f := range filters {
		classes = append(classes, fmt.Sprintf("%s:%d/%d", f.Class, f.Groups, f.Counts))
	}
	assert.Equal(t, []string{"contract:1/1", "lifecycle:1/1", "infrastructure:1/1", "drift:1/2", "assertion:1/1", "undefined:1/1"}, classes)
}

// manyFailures is a run of n failed scenarios in one feature, each with a
// contract finding at the same rule and pointer (a different value each
// time), a drift finding, and six exchanges with a JSON body of about 1 KB
// each, about the size of the suite's own scenarios.
func manyFailures(n int) *Run {
	r := sampleRun()
	base := r.Features[0].Scenarios[1]
	f := Feature{URI: "features/many.feature", Name: "Many failures", Line: 1, Tags: []string{"@many"}}
	for i := range n {
		s := base
		s.ID = fmt.Sprintf("m-%d", i)
		s.Name = fmt.Sprintf("Failure number %d", i)
		s.Line = 10 + 4*i
		s.Worker = 1 + i%4
		s.Started = t0.Add(time.Duration(i) * 5 * time.Millisecond)
		s.Duration = 20 * time.Millisecond
		st := base.Steps[0]
		miss := missingStatus
		miss.Message = fmt.Sprintf("value is required (case %d)", i)
		st.Findings = []finding.Finding{miss, extraField}
		ex := st.Exchanges[0]
		ex.ResponseBody = []byte(fmt.Sprintf(`{"id":"8e1c2a3b-0000-4000-8000-%012d","role":"INDIVIDUAL_CUSTOMER","collected_data":{"personal_details":{"name":{"given_names":["Ada"],"family_name":"Lovelace"},"dob":"1815-12-10","nationality":"GBR"},"address_history":[{"address":{"type":"STRUCTURED","country":"GBR","postal_code":"SW1A 1AA","locality":"London","route":"Downing Street","street_number":"10"}}],"contact_details":{"email":"ada@example.com","phone_number":"+44 20 7946 0000"}},"applications":[{"id":"a-%d","status":"APPLIED","product":{"id":"p-1","alias":"forexo_basic"}}],"tags":[],"checks":[]}`, i, i))
		st.Exchanges = []exchange.Exchange{ex, ex, ex, ex, ex, ex}
		s.Steps = []Step{st, base.Steps[1]}
		f.Scenarios = append(f.Scenarios, s)
	}
	r.Features = append(r.Features, f)
	return r
}

func TestManyFailuresFoldAndGroup(t *testing.T) {
	t.Parallel()
	r := manyFailures(1000)
	p := buildPage(r, sampleExtras())
	open := 0
	for _, f := range p.Features {
		for _, s := range f.Scenarios {
			if s.Open {
				open++
			}
		}
	}
	assert.Equal(t, maxOpenFailures, open, "failed scenarios opened by themselves")
	// The sample run has four failed scenarios and one undefined.
	assert.Equal(t, 1005-maxOpenFailures, p.FoldedFailures)
	// A thousand findings at one rule and pointer are one group.
	require.NotEmpty(t, p.Groups)
	g := p.Groups[0]
	assert.Equal(t, 1001, g.Count)
	assert.Equal(t, 1001, g.Messages)
	assert.Len(t, g.Scenarios, maxGroupScenarios)
	assert.Equal(t, 1001-maxGroupScenarios, g.MoreScenarios)
	assert.LessOrEqual(t, len(p.Groups), 8)
}

// maxPageBytes1000 bounds report.html for manyFailures(1000), measured at
// 11.1 MB, six exchanges a scenario being most of it (decision D102,
// docs/decisions.md).
const maxPageBytes1000 = 12 << 20

func TestManyFailuresPageSize(t *testing.T) {
	t.Parallel()
	page := renderHTML(t, manyFailures(1000), sampleExtras())
	t.Logf("report.html with 1,000 failures: %d bytes", len(page))
	assert.Less(t, len(page), maxPageBytes1000)
	assert.Equal(t, maxOpenFailures, strings.Count(page, `<summary aria-expanded="true">`))
	assert.Contains(t, page, `data-testid="folded-note"`)
}

func TestRates(t *testing.T) {
	t.Parallel()
	r := sampleRun()
	rows := map[string]htmlRate{}
	for _, row := range tagRates(r) {
		rows[row.Name] = row
	}
	for _, row := range featureRates(r) {
		rows[row.Name] = row
	}
	tests := map[string]struct {
		total, passed, failed, flaky, skipped, undefined int
		rate                                             string
	}{
		// Feature tag: every scenario of the feature; skipped ones are
		// left out of the rate, flaky ones passed.
		"@smoke":       {4, 1, 1, 1, 1, 0, "66.7%"},
		"@negative":    {1, 0, 1, 0, 0, 0, "0.0%"},
		"Profiles":     {4, 1, 1, 1, 1, 0, "66.7%"},
		"Applications": {4, 0, 3, 0, 0, 1, "0.0%"},
	}
	for name, want := range tests {
		got, ok := rows[name]
		require.True(t, ok, "no row %q", name)
		assert.Equal(t, []int{want.total, want.passed, want.failed, want.flaky, want.skipped, want.undefined},
			[]int{got.Total, got.Passed, got.Failed, got.Flaky, got.Skipped, got.Undefined}, name)
		assert.Equal(t, want.rate, got.Rate, name)
	}
	// The feature with the most failures first.
	assert.Equal(t, "Applications", featureRates(r)[0].Name)
	page := renderHTML(t, r, HTMLExtras{})
	assert.Contains(t, page, `<details data-testid="feature-rates-details" open>`, "a table with failures is open")
	r = sampleRun()
	r.Features = r.Features[:1]
	r.Features[0].Scenarios = r.Features[0].Scenarios[:1]
	page = renderHTML(t, r, HTMLExtras{})
	assert.Contains(t, page, `<details data-testid="feature-rates-details">`, "a table that all passed is folded")
	assert.Contains(t, page, `<strong>Per feature</strong> (1): all passed`)
	assert.Equal(t, "–", tagRates(&Run{Features: []Feature{{Scenarios: []Scenario{{Status: Skipped, Tags: []string{"@x"}}}}}})[0].Rate)
}

func TestTimeline(t *testing.T) {
	t.Parallel()
	r := sampleRun()
	tl := buildTimeline(r, nil)
	require.NotNil(t, tl)
	require.Len(t, tl.Lanes, 1, "no worker known: one lane")
	assert.Equal(t, "worker unknown", tl.Lanes[0].Label)

	for i := range r.Features[0].Scenarios {
		r.Features[0].Scenarios[i].Worker = 1 + i%2
	}
	for i := range r.Features[1].Scenarios {
		r.Features[1].Scenarios[i].Worker = 3
	}
	tl = buildTimeline(r, nil)
	var labels []string
	bars := 0
	for _, l := range tl.Lanes {
		labels = append(labels, l.Label)
		for _, b := range l.Bars {
			bars++
			assert.GreaterOrEqual(t, b.Left, 0.0, b.Title)
			assert.GreaterOrEqual(t, b.Width, minBarWidth, b.Title)
			assert.LessOrEqual(t, b.Left+b.Width, 100.0001, b.Title)
		}
	}
	assert.Equal(t, []string{"worker 1", "worker 2", "worker 3"}, labels)
	assert.Equal(t, 5, bars, "scenarios with a start time")
	assert.Equal(t, "10.5s", tl.Span, "the span ends at the longest scenario's end")
	assert.Nil(t, buildTimeline(&Run{}, nil))
}

func TestComparisonSection(t *testing.T) {
	t.Parallel()
	cmp := &Comparison{
		PreviousID: "run-0", PreviousStarted: t0.Add(-24 * time.Hour),
		NewlyFailing: []ScenarioRef{{Feature: "features/applications.feature", Name: "Wrong status", Line: 12, Class: FailAssertion}},
		Fixed:        []ScenarioRef{{Feature: "features/gone.feature", Name: "Removed since", Line: 3}},
		StillFailing: []ScenarioRef{{Feature: "features/applications.feature", Name: "Approve twice", Line: 4, Class: FailLifecycle}},
		NewDrift:     []DriftRef{{Rule: finding.UndocumentedField, Operation: "GET /profiles/{profile_id}", Pointer: "/shoe_size", Count: 2}},
	}
	page := renderHTML(t, sampleRun(), HTMLExtras{Previous: cmp})
	checkHTMLStructure(t, page)
	for _, want := range []string{
		`data-testid="comparison"`,
		`data-testid="previous-id">run-0<`,
		`data-testid="cmp-count-newly-failing"><b>1</b>Newly failing`,
		`data-testid="cmp-count-fixed"><b>1</b>Fixed`,
		`data-testid="cmp-count-still-failing"><b>1</b>Still failing`,
		`data-testid="cmp-count-new-drift"><b>1</b>New drift`,
		`data-testid="cmp-count-vanished-drift"><b>0</b>Vanished drift`,
		`<details data-testid="cmp-newly-failing" open>`,
		// Linked to the scenario in this run; a scenario gone since is text.
		`<li data-testid="cmp-scenario"><a href="#scenario-7">Wrong status</a> <span class="where">features/applications.feature:12</span> <span class="badge assertion">assertion</span></li>`,
		`<li data-testid="cmp-scenario">Removed since <span class="where">features/gone.feature:3</span></li>`,
		`<tr data-testid="cmp-drift"><td>undocumented-field</td><td class="mono">GET /profiles/{profile_id}</td><td class="mono">/shoe_size</td><td>2×</td></tr>`,
	} {
		assert.Contains(t, page, want)
	}
	assert.Contains(t, page, `id="scenario-7"`, "the anchor linked to exists")
	assert.NotContains(t, page, `data-testid="cmp-vanished-drift"`, "an empty list is left out")
	assert.NotContains(t, renderHTML(t, sampleRun(), HTMLExtras{}), `data-testid="comparison"`)
}

func TestBuildIdentity(t *testing.T) {
	t.Parallel()
	r := sampleRun()
	r.Build = &Build{Label: "nightly", SDK: "passfort-go", SDKVersion: "1.4.2", Commit: "0123456789abcdef0123", Branch: "main", URL: "https://ci.example.com/job/42"}
	page := renderHTML(t, r, HTMLExtras{})
	for _, want := range []string{
		`data-testid="build-label">nightly<`,
		`data-testid="build-sdk">passfort-go 1.4.2<`,
		`data-testid="build-commit" class="mono" title="0123456789abcdef0123">0123456789ab<`,
		`data-testid="build-branch" class="mono">main<`,
		`<a href="https://ci.example.com/job/42" rel="noopener noreferrer">https://ci.example.com/job/42</a>`,
	} {
		assert.Contains(t, page, want)
	}
	// Only an http(s) link is a link; anything else is text.
	r.Build = &Build{URL: "javascript:alert(1)"}
	page = renderHTML(t, r, HTMLExtras{})
	assert.Contains(t, page, `data-testid="build-url">javascript:alert(1)<`)
	assert.NotContains(t, page, `href="javascript`)
	assert.NotContains(t, renderHTML(t, sampleRun(), HTMLExtras{}), `data-testid="build-`)
}

func TestCoverageRollup(t *testing.T) {
	t.Parallel()
	r := &CoverageRollup{Operations: []OperationStatuses{
		{Operation: "GET /profiles/{profile_id}", Documented: map[int]int{200: 3, 404: 0}},
		{Operation: "POST /profiles/{profile_id}/applications", Documented: map[int]int{200: 1, 400: 1}, Undocumented: map[int]int{202: 2}},
		{Operation: "GET /profiles/{profile_id}/applications/{application_id}", Documented: map[int]int{200: 0}},
	}}
	h := buildRollup(r, []CoverageTable{{Title: "Enum values: 1 of 2 observed", Percent: 50}})
	require.NotNil(t, h)
	assert.Equal(t, []int{200, 202, 400, 404}, h.Statuses)
	var classes []string
	for _, row := range h.Rows {
		var cs []string
		for _, c := range row.Cells {
			cs = append(cs, c.Class+":"+c.Text)
		}
		classes = append(classes, strings.Join(cs, " "))
	}
	assert.Equal(t, []string{"hit:3 na: na: miss:0", "hit:1 undoc:!2 hit:1 na:", "miss:0 na: na: na:"}, classes)
	areas := map[string]string{}
	for _, a := range h.Areas {
		areas[a.Name] = fmt.Sprintf("%d/%d %s", a.Observed, a.Documented, a.Percent)
	}
	assert.Equal(t, map[string]string{"profiles": "1/2 50.0%", "applications": "2/3 66.7%"}, areas)
	assert.Equal(t, "profiles", h.Areas[0].Name, "least covered first")
	require.Len(t, h.Dimensions, 1)
	assert.Equal(t, "Enum values", h.Dimensions[0].Name)

	page := renderHTML(t, sampleRun(), HTMLExtras{Rollup: r, Coverage: sampleExtras().Coverage})
	checkHTMLStructure(t, page)
	assert.Contains(t, page, `<details data-testid="coverage-details">`, "detailed tables folded")
	assert.Contains(t, page, `data-testid="coverage-matrix"`)
	assert.Equal(t, 1, strings.Count(page, `data-testid="coverage"`))
}

func TestGroupPointer(t *testing.T) {
	t.Parallel()
	// The same field of two items of a list is one group of two.
	var b groupBuilder
	for i, p := range []string{"/applications/0/drift_probe", "/applications/1/drift_probe"} {
		f := extraField
		f.Pointer = p
		b.addFinding(f, htmlScenarioRef{Anchor: fmt.Sprint("scenario-", i)})
	}
	found, _ := b.groups()
	require.Len(t, found, 1)
	assert.Equal(t, 2, found[0].Count)
	assert.Equal(t, "/applications/*/drift_probe", found[0].Pointer)
}

func TestAPIArea(t *testing.T) {
	t.Parallel()
	for op, want := range map[string]string{
		"GET /profiles":                               "profiles",
		"GET /profiles/{profile_id}":                  "profiles",
		"POST /profiles/{profile_id}/tasks":           "tasks",
		"GET /profiles/{profile_id}/tasks/{id}/notes": "tasks",
		"GET /tags/search/{term}":                     "tags",
		"GET /whoami":                                 "whoami",
		"GET /":                                       "/",
	} {
		assert.Equal(t, want, apiArea(op), op)
	}
}

// realLifecycle is the lifecycle diagram of spec/lifecycle.yaml with every
// transition observed, the longest labels the suite draws.
func realLifecycle(t *testing.T) *LifecycleDiagram {
	t.Helper()
	m, err := lifecycle.Load(spec.Lifecycle)
	require.NoError(t, err)
	d := &LifecycleDiagram{Title: "Product application lifecycle"}
	for _, s := range m.Statuses() {
		d.Statuses = append(d.Statuses, LifecycleStatus{Name: s, Modelled: true, Observed: true})
	}
	for i, tr := range m.Transitions() {
		d.Transitions = append(d.Transitions, LifecycleTransition{Name: tr.Name, From: tr.From, To: tr.To, Modelled: true, Observed: true, Count: 100 + i})
	}
	require.NotEmpty(t, d.Transitions)
	return d
}

// crowdedLifecycle joins every pair of five statuses both ways, with long
// names, and loops on each status.
func crowdedLifecycle() *LifecycleDiagram {
	names := []string{"APPLIED", "IN_REVIEW", "APPROVED", "REJECTED", "CANCELLED"}
	d := &LifecycleDiagram{}
	for _, n := range names {
		d.Statuses = append(d.Statuses, LifecycleStatus{Name: n, Modelled: true})
	}
	for i, a := range names {
		for j, b := range names {
			d.Transitions = append(d.Transitions,
				LifecycleTransition{Name: fmt.Sprintf("a-rather-long-transition-%d-%d", i, j), From: a, To: b, Modelled: j != 0, Observed: (i+j)%2 == 0, Count: i*j + 1},
				LifecycleTransition{Name: "manual-" + strings.ToLower(b), From: a, To: b, Modelled: true})
		}
	}
	return d
}

func TestLifecycleLabelsDoNotOverlap(t *testing.T) {
	t.Parallel()
	tests := map[string]*LifecycleDiagram{
		"sample":  sampleExtras().Lifecycle,
		"model":   realLifecycle(t),
		"crowded": crowdedLifecycle(),
	}
	for name, d := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			h := layoutDiagram(d)
			view := rect{h.MinX, h.MinY, h.Width, h.Height}
			inside := func(r rect) bool {
				return r.X >= view.X && r.Y >= view.Y && r.X+r.W <= view.X+view.W && r.Y+r.H <= view.Y+view.H
			}
			var boxes []rect
			for _, b := range h.Boxes {
				r := rect{b.X, b.Y, b.W, b.H}
				assert.True(t, inside(r), "status %s %v outside the viewBox %v", b.Name, r, view)
				assert.GreaterOrEqual(t, float64(b.W), float64(len(b.Name))*statusCharW, "status %s wider than its box", b.Name)
				boxes = append(boxes, r)
			}
			for i, e := range h.Edges {
				assert.True(t, inside(e.Box), "label %q %v outside the viewBox %v", e.Label, e.Box, view)
				for _, l := range e.Lines {
					assert.LessOrEqual(t, float64(len([]rune(l.Text)))*labelCharW, float64(e.Box.W), "line %q wider than its box", l.Text)
				}
				assert.Equal(t, e.Label, strings.Join(lineTexts(e.Lines), " "), "wrapping lost text")
				for _, b := range boxes {
					assert.False(t, e.Box.overlaps(b), "label %q %v overlaps a status box %v", e.Label, e.Box, b)
				}
				for _, o := range h.Edges[:i] {
					assert.False(t, e.Box.overlaps(o.Box), "label %q %v overlaps label %q %v", e.Label, e.Box, o.Label, o.Box)
				}
			}
		})
	}
}

func lineTexts(lines []svgLine) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l.Text)
	}
	return out
}

func TestWrapLabel(t *testing.T) {
	t.Parallel()
	tests := map[string][]string{
		"approve ×3":                          {"approve ×3"},
		"policy-approves, manual-approve ×24": {"policy-approves,", "manual-approve ×24"},
		"revert-cancellation-in-review-and-something-longer ×1": {"revert-cancellation-in-review-and-something-longer ×1"},
		"a, b, c": {"a, b, c"},
		"":        nil,
	}
	for in, want := range tests {
		assert.Equal(t, want, wrapLabel(in, labelMaxChars), in)
	}
}

// TestREADMEScreenshots checks the screenshots `make screenshots` writes
// for the README: present, PNG, and small enough to keep in the repository.
func TestREADMEScreenshots(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"report-passing.png", "report-failing.png"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "docs", "img", name))
		require.NoError(t, err, "run make screenshots")
		assert.True(t, bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")), "%s is not a PNG", name)
		assert.Less(t, len(b), 300<<10, "%s: %d bytes; want < 300 KB", name, len(b))
		assert.Greater(t, len(b), 20<<10, "%s: %d bytes, too small to show a page", name, len(b))
	}
}

// printStyle returns the page's @media print block.
func printStyle(t *testing.T, page string) string {
	t.Helper()
	i := strings.Index(page, "@media print{")
	require.GreaterOrEqual(t, i, 0, "no print style")
	return page[i : strings.Index(page[i:], "\n}\n")+i]
}

// The page prints as it is folded, without its controls, and ends with a
// sign-off block to fill in.
func TestHTMLPrintAndSignOff(t *testing.T) {
	t.Parallel()
	page := renderHTML(t, sampleRun(), sampleExtras())
	printCSS := printStyle(t, page)
	assert.Contains(t, printCSS, ".toolbar,.filters,button,script{display:none!important}", "controls print")
	assert.Contains(t, printCSS, "section.feature{content-visibility:visible}", "off-screen features would print blank")
	assert.NotContains(t, page, "beforeprint", "printing must not unfold every section")
	for _, want := range []string{
		`<section class="signoff" aria-labelledby="signoff-h" data-testid="signoff">`,
		`<dt>Verdict of the run</dt><dd><span class="verdict failed">failed</span> 1 passed, 4 failed, 1 flaky, 1 skipped</dd>`,
		`<input id="signoff-who" type="text"`,
		`<input id="signoff-when" type="date">`,
		`<select id="signoff-decision">`,
		`<textarea id="signoff-notes">`,
	} {
		assert.Contains(t, page, want)
	}
	assert.Greater(t, strings.Index(page, `data-testid="signoff"`), strings.Index(page, `data-testid="scenario"`), "sign-off last")
}

// Browsers leave backgrounds out of a print by default: white text on a
// coloured badge (the verdict of the sign-off, the classes, the statuses)
// and the timeline's and the coverage matrix's colours would print as
// nothing, unless the print style keeps their colours.
func TestHTMLPrintKeepsColoursThatCarryMeaning(t *testing.T) {
	t.Parallel()
	page := renderHTML(t, sampleRun(), sampleExtras())
	printCSS := printStyle(t, page)
	var kept []string
	for _, rule := range strings.Split(printCSS, "\n") {
		sel, decl, ok := strings.Cut(strings.TrimSpace(rule), "{")
		if ok && strings.Contains(decl, "print-color-adjust:exact") && strings.Contains(decl, "-webkit-print-color-adjust:exact") {
			kept = append(kept, strings.Split(sel, ",")...)
		}
	}
	for _, sel := range []string{".verdict", ".badge", ".tl-bar", "table.matrix td"} {
		assert.Contains(t, kept, sel, "the print style keeps the colours of %s", sel)
	}
}

func TestPreText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`{"a": "b"}`:                 `{"a": "b"}`,
		`</pre><script>x()</script>`: `&lt;/pre&gt;&lt;script&gt;x()&lt;/script&gt;`,
		`a &amp; b`:                  `a &amp;amp; b`,
	} {
		assert.Equal(t, want, string(preText(in)), in)
	}
	// A body that would close its <pre> stays inside it.
	r := sampleRun()
	r.Features[0].Scenarios[0].Steps[0].Exchanges[0].ResponseBody = []byte(`not json </pre><img src=x onerror=alert(1)>`)
	page := renderHTML(t, r, HTMLExtras{})
	assert.Contains(t, page, `<pre data-testid="response-body">not json &lt;/pre&gt;&lt;img src=x onerror=alert(1)&gt;</pre>`)
	assert.NotContains(t, page, "<img")
	checkHTMLStructure(t, page)
}
