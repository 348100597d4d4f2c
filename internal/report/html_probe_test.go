package report

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

// probeScript runs in the page after the page's own script, measures what
// a person would see and leaves it as JSON in <pre id="probe-result">, which
// --dump-dom prints: the lifecycle diagram's text boxes (getBBox), the
// grouped findings, the comparison's newly failing list, and how long the
// page took to parse and its class and status filters took to respond
// (each click followed by a forced layout).
const probeScript = `<script>
(function () {
  "use strict";
  var out = {errors: []};
  var all = function (sel) { return Array.prototype.slice.call(document.querySelectorAll(sel)); };
  var box = function (el) { var b = el.getBBox(); return {text: el.textContent, x: b.x, y: b.y, w: b.width, h: b.height}; };
  try {
    out.loadMs = performance.now();
    var svg = document.querySelector("svg.lifecycle");
    if (svg) {
      var vb = svg.viewBox.baseVal;
      out.viewBox = {text: "viewBox", x: vb.x, y: vb.y, w: vb.width, h: vb.height};
      out.labels = all("svg.lifecycle [data-testid=edge-label]").map(box);
      out.statusRects = all("svg.lifecycle [data-testid=status] rect").map(box);
      out.statusTexts = all("svg.lifecycle [data-testid=status] text").map(box);
      out.svgWidth = svg.getBoundingClientRect().width;
      var wrap = svg.parentNode, cs = getComputedStyle(wrap);
      out.panelWidth = wrap.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    }
    out.groups = all("tr[data-group]").map(function (g) {
      return {testid: g.getAttribute("data-testid"), class: g.getAttribute("data-class"), count: +g.getAttribute("data-count")};
    });
    var nf = document.querySelector("[data-testid=cmp-newly-failing]");
    if (nf) {
      out.newlyFailing = {
        open: nf.open, visible: nf.getBoundingClientRect().height > 0,
        count: document.querySelector("[data-testid=cmp-count-newly-failing] b").textContent,
        links: all("[data-testid=cmp-newly-failing] a").map(function (a) {
          return {text: a.textContent, target: !!document.getElementById(a.getAttribute("href").slice(1))};
        })
      };
    }
    var click = function (sel) {
      var b = document.querySelector(sel);
      if (!b) { return -1; }
      var t0 = performance.now();
      b.click();
      void document.body.offsetHeight;
      return performance.now() - t0;
    };
    out.classFilterMs = click("[data-class-filter=contract]");
    out.visibleClasses = all("tr[data-group]").filter(function (g) { return !g.hidden && g.getBoundingClientRect().height > 0; })
      .map(function (g) { return g.getAttribute("data-class"); });
    out.classResetMs = click("[data-class-filter=all]");
    out.statusFilterMs = click("[data-filter=failed]");
    out.visibleScenarios = all("[data-testid=scenario]").filter(function (s) { return !s.hidden; }).length;
    var folded = document.querySelector("details[data-testid=scenario]:not([open])");
    if (folded) {
      location.hash = "#" + folded.id;
      window.dispatchEvent(new HashChangeEvent("hashchange"));
      out.linkOpensFolded = folded.open;
    }
  } catch (e) {
    out.errors.push(String(e));
  }
  var pre = document.createElement("pre");
  pre.id = "probe-result";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}());
</script>
</body>`

type probeBox struct {
	Text       string
	X, Y, W, H float64
}

func (b probeBox) overlaps(o probeBox) bool {
	const tol = 0.5 // sub-pixel antialiasing is not an overlap
	return b.X+tol < o.X+o.W && o.X+tol < b.X+b.W && b.Y+tol < o.Y+o.H && o.Y+tol < b.Y+b.H
}

func (b probeBox) inside(o probeBox) bool {
	const tol = 0.5
	return b.X >= o.X-tol && b.Y >= o.Y-tol && b.X+b.W <= o.X+o.W+tol && b.Y+b.H <= o.Y+o.H+tol
}

type probeResult struct {
	Errors                           []string
	LoadMs                           float64
	ViewBox                          *probeBox
	Labels, StatusRects, StatusTexts []probeBox
	SVGWidth                         float64 `json:"svgWidth"`
	PanelWidth                       float64
	Groups                           []struct {
		Testid, Class string
		Count         int
	}
	NewlyFailing *struct {
		Open, Visible bool
		Count         string
		Links         []struct {
			Text   string
			Target bool
		}
	}
	ClassFilterMs, ClassResetMs float64
	StatusFilterMs              float64
	VisibleClasses              []string
	VisibleScenarios            int
	LinkOpensFolded             bool
}

// allowScript adds the hash of script (a whole <script> element) to the
// page's Content-Security-Policy, which allows only the page's own script.
func allowScript(t *testing.T, page, script string) string {
	t.Helper()
	body := strings.TrimSuffix(strings.TrimPrefix(script, "<script>"), "</script>\n</body>")
	body = strings.TrimSuffix(body, "</script>")
	sum := sha256.Sum256([]byte(body))
	out := strings.Replace(page, "script-src ", "script-src 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"' ", 1)
	require.NotEqual(t, page, out, "the page has no script-src")
	return out
}

var probeOut = regexp.MustCompile(`(?s)<pre id="probe-result">(.*?)</pre>`)

// probePage renders r into a page, adds probeScript, opens it in Chromium
// and returns what the probe measured; the page must log nothing.
func probePage(t *testing.T, bin string, r *Run, extra HTMLExtras) probeResult {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, WriteHTML(&buf, r, extra))
	page := allowScript(t, strings.Replace(buf.String(), "</body>", probeScript, 1), probeScript)
	require.True(t, strings.Contains(page, probeScript), "no </body> to add the probe before")
	file := filepath.Join(t.TempDir(), "report.html")
	require.NoError(t, os.WriteFile(file, []byte(page), 0o644))
	url := "file://" + file
	start := time.Now()
	dom, stderr := runChromium(t, bin, "--dump-dom", "--window-size=1280,900", url)
	t.Logf("%d bytes opened and dumped in %s", len(page), time.Since(start).Round(time.Millisecond))
	msgs := consoleMessages(stderr, url)
	assert.Empty(t, msgs, "report.html logged to the console:\n%s", strings.Join(msgs, "\n"))
	m := probeOut.FindStringSubmatch(dom)
	require.NotNil(t, m, "the probe left no result: the page's script failed before it")
	var res probeResult
	require.NoError(t, json.Unmarshal([]byte(html.UnescapeString(m[1])), &res), "probe result %s", m[1])
	require.Empty(t, res.Errors, "the probe failed in the page")
	return res
}

// checkDiagram asserts the diagram as drawn: no edge label overlaps
// another or a status box, every text box is inside the viewBox, each
// status name inside its box, and the SVG as wide as its panel.
func checkDiagram(t *testing.T, res probeResult, edges int) {
	t.Helper()
	require.NotNil(t, res.ViewBox, "no lifecycle diagram")
	require.Len(t, res.Labels, edges, "edge labels drawn")
	for i, l := range res.Labels {
		assert.Greater(t, l.W, 0.0, "label %q not drawn", l.Text)
		assert.True(t, l.inside(*res.ViewBox), "label %q %+v overflows the viewBox %+v", l.Text, l, *res.ViewBox)
		for _, o := range res.Labels[:i] {
			assert.False(t, l.overlaps(o), "label %q %+v overlaps label %q %+v", l.Text, l, o.Text, o)
		}
		for _, s := range res.StatusRects {
			assert.False(t, l.overlaps(s), "label %q %+v overlaps a status box %+v", l.Text, l, s)
		}
	}
	require.Len(t, res.StatusTexts, len(res.StatusRects))
	for i, s := range res.StatusTexts {
		assert.True(t, s.inside(res.StatusRects[i]), "status name %q %+v overflows its box %+v", s.Text, s, res.StatusRects[i])
		assert.True(t, res.StatusRects[i].inside(*res.ViewBox), "status box %q overflows the viewBox", s.Text)
	}
	assert.InDelta(t, res.PanelWidth, res.SVGWidth, 2, "the diagram is not drawn at its panel's full width")
}

// TestHTMLProbeInChromium opens a failing run with a previous-run
// comparison and the suite's own lifecycle model in Chromium: the diagram's
// labels must neither overlap nor overflow, the grouped findings must add
// up to findings.json class by class, the class filter must show only its
// class, and the planted regression must show, open, linked to its scenario.
func TestHTMLProbeInChromium(t *testing.T) {
	bin := requireChromium(t)
	r := sampleRun()
	exp := timedOut
	exp.Expected = true
	r.Features[0].Scenarios[0].Steps[0].Findings = append(r.Features[0].Scenarios[0].Steps[0].Findings, exp)
	extra := sampleExtras()
	extra.Lifecycle = realLifecycle(t)
	// The regression: "Wrong status" passed in the previous run and fails now.
	prev := sampleRun()
	planted := 0
	for i := range prev.Features {
		for j := range prev.Features[i].Scenarios {
			if sc := &prev.Features[i].Scenarios[j]; sc.Name == "Wrong status" {
				sc.Status, sc.Error = Passed, ""
				for k := range sc.Steps {
					sc.Steps[k].Status, sc.Steps[k].Error, sc.Steps[k].Findings = Passed, "", nil
				}
				planted++
			}
		}
	}
	require.Equal(t, 1, planted, "precondition: one scenario named Wrong status")
	extra.Previous = Compare(prev, r)
	res := probePage(t, bin, r, extra)

	checkDiagram(t, res, len(layoutDiagram(extra.Lifecycle).Edges))

	var doc FindingsFile
	var buf bytes.Buffer
	require.NoError(t, WriteFindings(&buf, r))
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	want, got := map[string]int{}, map[string]int{}
	for _, f := range doc.Findings {
		want[findingKey(f)]++
	}
	failures := 0
	for _, g := range res.Groups {
		switch g.Testid {
		case "finding-group":
			got[g.Class] += g.Count
		case "expected-group":
			got["expected "+g.Class] += g.Count
		case "failure-group":
			failures += g.Count
		}
	}
	assert.Equal(t, want, got, "grouped findings against findings.json, by class")
	assert.Equal(t, 2, failures, "failed scenarios without a finding (one assertion, one undefined)")

	assert.Equal(t, []string{"contract"}, res.VisibleClasses, "the contract filter shows only contract groups")
	require.NotNil(t, res.NewlyFailing, "no newly failing list")
	assert.True(t, res.NewlyFailing.Open && res.NewlyFailing.Visible, "the newly failing list is not open")
	assert.Equal(t, "1", res.NewlyFailing.Count)
	require.Len(t, res.NewlyFailing.Links, 1)
	assert.Equal(t, "Wrong status", res.NewlyFailing.Links[0].Text)
	assert.True(t, res.NewlyFailing.Links[0].Target, "the regression's link leads nowhere")
}

func findingKey(f finding.Finding) string {
	if f.Expected {
		return "expected " + string(f.Class)
	}
	return string(f.Class)
}

// Generous bounds for a page of 1,000 failures (measured about 2 s to
// parse and under 100 ms per filter on a shared 2-core machine); they
// catch a page that hangs, not a slow machine (decision D102,
// docs/decisions.md).
const (
	maxLoad1000   = 30 * time.Second
	maxFilter1000 = 3 * time.Second
)

// TestHTMLThousandFailuresInChromium opens a run of 1,000 failed scenarios
// with a crowded lifecycle: the page must load, its filters respond within
// generous bounds, and the diagram's labels still neither overlap nor
// overflow.
func TestHTMLThousandFailuresInChromium(t *testing.T) {
	bin := requireChromium(t)
	extra := sampleExtras()
	extra.Lifecycle = crowdedLifecycle()
	r := manyFailures(1000)
	res := probePage(t, bin, r, extra)
	t.Logf("parsed in %.0f ms; class filter %.1f ms, reset %.1f ms; status filter %.1f ms",
		res.LoadMs, res.ClassFilterMs, res.ClassResetMs, res.StatusFilterMs)
	assert.Less(t, res.LoadMs, float64(maxLoad1000.Milliseconds()), "page load")
	for name, ms := range map[string]float64{"class filter": res.ClassFilterMs, "class reset": res.ClassResetMs, "status filter": res.StatusFilterMs} {
		assert.GreaterOrEqual(t, ms, 0.0, "%s: no button", name)
		assert.Less(t, ms, float64(maxFilter1000.Milliseconds()), name)
	}
	assert.Equal(t, r.Count().Failed, res.VisibleScenarios, "the failed filter shows every failed scenario")
	assert.True(t, res.LinkOpensFolded, "a link to a folded scenario does not open it")
	checkDiagram(t, res, len(layoutDiagram(extra.Lifecycle).Edges))
}

func TestChromiumMissing(t *testing.T) {
	t.Parallel()
	fail, reason := chromiumMissing("true")
	assert.True(t, fail, "CI=true: a missing browser fails the browser tests")
	assert.Contains(t, reason, "chromium not found")
	for _, ci := range []string{"", "false", "1"} {
		fail, _ = chromiumMissing(ci)
		assert.False(t, fail, "CI=%q: a missing browser skips", ci)
	}
}
