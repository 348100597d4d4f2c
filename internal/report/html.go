package report

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

// HTMLExtras carries the optional sections of report.html that other
// packages compute: the lifecycle diagram, the coverage roll-up and tables,
// and the previous-run comparison. Zero values leave the sections out.
type HTMLExtras struct {
	// Lifecycle is the application lifecycle as modelled and as observed.
	Lifecycle *LifecycleDiagram
	// Rollup is the operation × documented status matrix shown above the
	// coverage tables; nil leaves the matrix out.
	Rollup *CoverageRollup
	// Coverage are tables such as operations × statuses exercised, shown
	// folded below the roll-up.
	Coverage []CoverageTable
	// Previous compares the run with an earlier one; nil leaves the section out.
	Previous *Comparison
}

// LifecycleDiagram is a state diagram: statuses as boxes, transitions as
// arrows; the ones the run observed are highlighted.
type LifecycleDiagram struct {
	// Title names the diagram, e.g. "Application lifecycle".
	Title string
	// Statuses in the order the layout should follow (the model's order).
	// Statuses used by a transition but missing here are added at the end.
	Statuses []LifecycleStatus
	// Transitions between statuses; several with the same from and to are
	// drawn as one arrow.
	Transitions []LifecycleTransition
}

// LifecycleStatus is one box of the diagram.
type LifecycleStatus struct {
	Name string
	// Modelled is true when the lifecycle model declares the status.
	Modelled bool
	// Observed is true when the run saw an application in it.
	Observed bool
}

// LifecycleTransition is one arrow of the diagram.
type LifecycleTransition struct {
	// Name is the transition's name in the model, e.g. "approve".
	Name     string
	From, To string
	// Modelled is true when the model allows it; an observed transition that
	// is not modelled is drawn as illegal.
	Modelled bool
	// Observed is true when the run saw it; Count is how often.
	Observed bool
	Count    int
}

// CoverageTable is one coverage table of the report.
type CoverageTable struct {
	Title   string
	Columns []string
	Rows    [][]string
	// Percent is the share covered, 0 to 100, shown next to the title.
	Percent float64
}

//go:embed report.html.tmpl
var reportTemplateText string

// reportTemplate is parsed once; html/template is safe for concurrent use.
var reportTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"rateTable": func(title, id, what string, rows []htmlRate) htmlRateTable {
		t := htmlRateTable{Title: title, ID: id, What: what, Rows: rows}
		for _, r := range rows {
			if r.Failed+r.Undefined+r.Flaky > 0 {
				t.NotPassed++
			}
		}
		return t
	},
}).Parse(reportTemplateText))

// scriptHashPlaceholder stands for the page's script hash source in the
// template's Content-Security-Policy.
const scriptHashPlaceholder = "'script-hash'"

// withScriptHash puts the SHA-256 of the page's one inline script in place
// of the placeholder in its Content-Security-Policy, so that the browser
// runs that script and no other: a script that an escaping bug let into the
// page stays inert. The hash is of the rendered script (html/template drops
// the template's JavaScript comments); data never reaches that script, and
// html/template writes every "<" of data as "&lt;", so the page's only
// "<script>" is its own.
func withScriptHash(page []byte) ([]byte, error) {
	open, end := []byte("<script>"), []byte("</script>")
	i, j := bytes.Index(page, open), bytes.Index(page, end)
	if i < 0 || j < i || bytes.Count(page, open) != 1 {
		return nil, fmt.Errorf("report.html: got %d <script> elements, want 1", bytes.Count(page, open))
	}
	sum := sha256.Sum256(page[i+len(open) : j])
	source := "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	k := bytes.Index(page, []byte(scriptHashPlaceholder))
	if k < 0 || k > i {
		return nil, fmt.Errorf("report.html: no %s before the script", scriptHashPlaceholder)
	}
	out := make([]byte, 0, len(page)+len(source))
	out = append(out, page[:k]...)
	out = append(out, source...)
	return append(out, page[k+len(scriptHashPlaceholder):]...), nil
}

// htmlRateTable is the argument of the "rates" template: a table open when
// a row did not pass (failed, undefined or flaky), else folded.
type htmlRateTable struct {
	Title, ID, What string
	Rows            []htmlRate
	NotPassed       int
}

// maxBodyBytes caps each exchange body shown in the page, so a run of large
// responses still opens in a browser.
const maxBodyBytes = 64 << 10

// WriteHTML writes report.html: one self-contained page (inline CSS, a few
// lines of inline JavaScript for expanding and filtering, no network loads,
// enforced by a Content-Security-Policy) with the run summary, every feature
// and scenario (failed ones first and open), each step's exchanges and
// findings, and the extras' lifecycle diagram and coverage tables.
func WriteHTML(w io.Writer, r *Run, extra HTMLExtras) error {
	page := buildPage(r, extra)
	var buf bytes.Buffer
	if err := reportTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	out, err := withScriptHash(buf.Bytes())
	if err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write html: %w", err)
	}
	return nil
}

type htmlPage struct {
	Suite, ID, Target, Guard string
	Seed                     int64
	SpecHash, SpecShort      string
	Started, Duration        string
	// Verdict is "passed" or "failed", the page's colour; Judged is the
	// suite's verdict by cause ("contract", "drift", ...) with its Reasons,
	// empty in a run not judged.
	Verdict                string
	Judged                 string
	Reasons                []string
	Build                  *htmlBuild
	Counts                 CountsJSON
	Filters                []htmlFilter
	ClassTotals            []htmlClassTotal
	FeatureRates, TagRates []htmlRate
	Timeline               *htmlTimeline
	// Groups are the findings and failures without a finding, grouped;
	// Expected the findings scenarios provoked on purpose.
	Groups, Expected []htmlGroup
	ClassFilters     []htmlClassFilter
	// FindingTotal counts the findings of Groups and Expected, as
	// findings.json lists them.
	FindingTotal int
	// FoldedFailures counts the failed scenarios left folded beyond the
	// first maxOpenFailures.
	FoldedFailures int
	Features       []htmlFeature
	Previous       *htmlComparison
	Lifecycle      *htmlDiagram
	Rollup         *htmlRollup
	Coverage       []htmlCoverage
}

// htmlBuild is Run.Build as the header shows it.
type htmlBuild struct {
	Label, SDK, Commit, CommitShort, Branch string
	URL, URLText                            string
}

type htmlFilter struct {
	Status string
	Count  int
}

type htmlClassTotal struct {
	Class string
	Count int
}

type htmlFeature struct {
	Anchor                 string
	URI, Name, Description string
	Tags                   []string
	Failed, Total          int
	Scenarios              []htmlScenario
}

type htmlScenario struct {
	Anchor, Name, Status, FailureClass string
	Where, Duration, Error, Note       string
	Attempts                           int
	Open                               bool
	Tags                               []string
	FindingCount                       int
	Steps                              []htmlStep
}

type htmlStep struct {
	Keyword, Text, Status, Where, Duration, Location, Error, DocString string
	Findings                                                           []htmlFinding
	Exchanges                                                          []htmlExchange
}

type htmlFinding struct {
	Class, Kind, Text, Example string
	Expected                   bool
}

type htmlExchange struct {
	Method, Path, Duration, Waited, Err string
	Status, Attempts                    int
	StatusClass                         string
	RequestHeader, ResponseHeader       []htmlHeader
	RequestBody, ResponseBody           template.HTML // see preText
	ContentType                         string
}

type htmlHeader struct{ Name, Value string }

type htmlCoverage struct {
	Title   string
	Columns []string
	Rows    [][]string
	Percent string
	Value   float64
}

// maxOpenFailures is how many failed scenarios the page opens by itself;
// the rest stay folded so a run of a thousand failures stays usable
// (decision D102, docs/decisions.md).
const maxOpenFailures = 25

func buildPage(r *Run, extra HTMLExtras) htmlPage {
	c := r.Count()
	p := htmlPage{
		Suite:    cleanText(r.Suite),
		ID:       cleanText(r.ID),
		Target:   cleanText(r.Target),
		Guard:    cleanText(r.Guard),
		Seed:     r.Seed,
		SpecHash: r.SpecHash,
		Duration: humanDuration(r.Duration()),
		Counts:   c.JSON(),
		Verdict:  "passed",
		Build:    buildIdentity(r.Build),
	}
	p.SpecShort = p.SpecHash[:min(12, len(p.SpecHash))]
	if !r.Started.IsZero() {
		p.Started = r.Started.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	// A run can fail with every scenario passed (a coverage or drift gate):
	// the judged verdict wins over the counts.
	if c.Failed > 0 || c.Undefined > 0 || (r.Verdict != "" && r.Verdict != "pass") {
		p.Verdict = "failed"
	}
	if r.Verdict != "pass" {
		p.Judged = cleanText(r.Verdict)
	}
	for _, reason := range r.Reasons {
		p.Reasons = append(p.Reasons, cleanText(reason))
	}
	for _, f := range []htmlFilter{{"failed", c.Failed}, {"undefined", c.Undefined}, {"flaky", c.Flaky}, {"skipped", c.Skipped}, {"passed", c.Passed}} {
		if f.Count > 0 {
			p.Filters = append(p.Filters, f)
		}
	}

	classTotals := map[finding.Class]int{}
	expected := 0 // findings scenarios provoked on purpose, counted apart
	anchor := 0
	anchors := map[*Scenario]string{}
	byKey := map[string]string{}
	var groups groupBuilder
	for fi := range r.Features {
		f := &r.Features[fi]
		hf := htmlFeature{Anchor: "feature-" + strconv.Itoa(fi+1), URI: f.URI, Name: cleanText(f.Name), Description: cleanText(f.Description), Tags: f.Tags}
		for si := range f.Scenarios {
			s := &f.Scenarios[si]
			anchor++
			hs := buildScenario(f, s, "scenario-"+strconv.Itoa(anchor))
			anchors[s] = hs.Anchor
			byKey[scenarioKey(f.URI, s.Name, s.Line)] = hs.Anchor
			ref := htmlScenarioRef{Name: hs.Name, Anchor: hs.Anchor, Where: hs.Where}
			hf.Total++
			if hs.Open {
				hf.Failed++
			}
			for _, st := range s.Steps {
				for _, fd := range st.Findings {
					if fd.Expected {
						expected++
					} else {
						classTotals[fd.Class]++
					}
					p.FindingTotal++
					groups.addFinding(fd, ref)
				}
			}
			if cl := hs.FailureClass; cl == FailAssertion || cl == FailUsage || cl == FailUndefined {
				groups.addFailure(cl, failedStep(s), cmp.Or(s.FailedStepError(), string(s.Status)), ref)
			}
			hf.Scenarios = append(hf.Scenarios, hs)
		}
		// Failed scenarios first, then the rest in run order.
		slices.SortStableFunc(hf.Scenarios, func(a, b htmlScenario) int { return statusRank(a.Status) - statusRank(b.Status) })
		p.Features = append(p.Features, hf)
	}
	slices.SortStableFunc(p.Features, func(a, b htmlFeature) int {
		return boolRank(a.Failed > 0) - boolRank(b.Failed > 0)
	})
	// Open the first failures in page order; fold the rest.
	opened := 0
	for fi := range p.Features {
		for si := range p.Features[fi].Scenarios {
			hs := &p.Features[fi].Scenarios[si]
			if !hs.Open {
				continue
			}
			if opened < maxOpenFailures {
				opened++
				continue
			}
			hs.Open = false
			p.FoldedFailures++
		}
	}
	for _, cl := range []finding.Class{finding.Contract, finding.Lifecycle, finding.Infrastructure, finding.Drift} {
		p.ClassTotals = append(p.ClassTotals, htmlClassTotal{Class: string(cl), Count: classTotals[cl]})
	}
	if expected > 0 {
		p.ClassTotals = append(p.ClassTotals, htmlClassTotal{Class: "expected", Count: expected})
	}
	p.Groups, p.Expected = groups.groups()
	p.ClassFilters = classFilters(p.Groups)
	p.FeatureRates, p.TagRates = featureRates(r), tagRates(r)
	p.Timeline = buildTimeline(r, anchors)
	p.Previous = buildComparison(extra.Previous, byKey)
	if extra.Lifecycle != nil {
		p.Lifecycle = layoutDiagram(extra.Lifecycle)
	}
	p.Rollup = buildRollup(extra.Rollup, extra.Coverage)
	for _, t := range extra.Coverage {
		p.Coverage = append(p.Coverage, htmlCoverage{
			Title: t.Title, Columns: t.Columns, Rows: t.Rows,
			Percent: strconv.FormatFloat(t.Percent, 'f', 1, 64) + "%",
			Value:   min(max(t.Percent, 0), 100),
		})
	}
	return p
}

// buildIdentity returns what the pipeline told the run, nil when nothing.
// Only an http or https build link becomes a link.
func buildIdentity(b *Build) *htmlBuild {
	if b == nil || *b == (Build{}) {
		return nil
	}
	out := &htmlBuild{
		Label: cleanText(b.Label), SDK: cleanText(strings.TrimSpace(b.SDK + " " + b.SDKVersion)),
		Commit: cleanText(b.Commit), Branch: cleanText(b.Branch), URLText: cleanText(b.URL),
	}
	out.CommitShort = out.Commit[:min(12, len(out.Commit))]
	if u, err := url.Parse(b.URL); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		out.URL = b.URL
	}
	return out
}

func buildScenario(f *Feature, s *Scenario, anchor string) htmlScenario {
	hs := htmlScenario{
		Anchor:       anchor,
		Name:         cleanText(s.Name),
		Status:       string(s.Status),
		FailureClass: s.FailureClass(),
		Where:        fmt.Sprintf("%s:%d", f.URI, s.Line),
		Duration:     humanDuration(s.Duration),
		Error:        cleanText(s.Error),
		Attempts:     s.Attempts,
		Tags:         s.Tags,
	}
	if hs.Status == "" {
		hs.Status = string(Undefined)
	}
	hs.Open = hs.FailureClass != ""
	if s.Status == Flaky {
		hs.Note = flakyNote(s)
		hs.Error = ""
	}
	for _, st := range s.Steps {
		hst := htmlStep{
			Keyword:   strings.TrimSpace(st.Keyword),
			Text:      cleanText(st.Text),
			Status:    cukeStatus(st.Status),
			Where:     fmt.Sprintf("%s:%d", f.URI, st.Line),
			Duration:  humanDuration(st.Duration),
			Location:  st.Location,
			Error:     cleanText(st.Error),
			DocString: cleanText(st.DocString),
		}
		for _, fd := range st.Findings {
			hs.FindingCount++
			hst.Findings = append(hst.Findings, htmlFinding{
				Class: string(fd.Class), Kind: fd.Kind, Text: cleanText(fd.String()), Example: cleanText(fd.Example), Expected: fd.Expected,
			})
		}
		for i := range st.Exchanges {
			hst.Exchanges = append(hst.Exchanges, buildExchange(&st.Exchanges[i]))
		}
		hs.Steps = append(hs.Steps, hst)
	}
	return hs
}

func buildExchange(e *exchange.Exchange) htmlExchange {
	he := htmlExchange{
		Method:         e.Method,
		Path:           cleanText(e.Path),
		Status:         e.Status,
		Duration:       humanDuration(e.Duration),
		Attempts:       e.Attempts,
		Err:            cleanText(e.Err),
		RequestHeader:  headerList(e.RequestHeader),
		ResponseHeader: headerList(e.ResponseHeader),
		RequestBody:    preText(prettyBody(e.RequestBody)),
		ResponseBody:   preText(prettyBody(e.ResponseBody)),
		ContentType:    e.ContentType(),
	}
	if e.Waited > 0 {
		he.Waited = humanDuration(e.Waited)
	}
	switch {
	case e.Status == 0:
		he.StatusClass = "s-none"
	case e.Status < 300:
		he.StatusClass = "s-2xx"
	case e.Status < 500:
		he.StatusClass = "s-4xx"
	default:
		he.StatusClass = "s-5xx"
	}
	return he
}

// headerList returns the headers sorted by name, one row per value.
func headerList(h map[string][]string) []htmlHeader {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []htmlHeader
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, htmlHeader{Name: k, Value: cleanText(v)})
		}
	}
	return out
}

// preTextEscaper escapes what text inside an element may not hold raw.
var preTextEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// preText escapes s for the content of a <pre> element, and only there:
// quotes stay as they are (html/template would write each as &#34;, five
// bytes for one, a sixth of a page of JSON bodies; decision D102,
// docs/decisions.md). s has been through cleanText.
func preText(s string) template.HTML {
	return template.HTML(preTextEscaper.Replace(s))
}

// prettyBody indents a JSON body and caps any body at maxBodyBytes.
func prettyBody(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	var buf bytes.Buffer
	if len(b) <= maxBodyBytes && json.Valid(b) && json.Indent(&buf, b, "", "  ") == nil {
		return cleanText(buf.String())
	}
	cut := ""
	if len(b) > maxBodyBytes {
		// A rune cut in two becomes U+FFFD below.
		b = b[:maxBodyBytes]
		cut = fmt.Sprintf("\n… (cut at %d bytes)", maxBodyBytes)
	}
	return cleanText(strings.ToValidUTF8(string(b), "\uFFFD")) + cut
}

func statusRank(s string) int {
	switch Status(s) {
	case Failed:
		return 0
	case Undefined, Pending, Ambiguous:
		return 1
	case Flaky:
		return 2
	}
	return 3
}

func boolRank(b bool) int {
	if b {
		return 0
	}
	return 1
}

// humanDuration rounds a duration for people: 12ms, 1.42s, 2m3s.
func humanDuration(d time.Duration) string {
	d = nonNegative(d)
	switch {
	case d < time.Millisecond:
		return d.Round(time.Microsecond).String()
	case d < time.Second:
		return d.Round(time.Millisecond).String()
	case d < time.Minute:
		return d.Round(10 * time.Millisecond).String()
	}
	return d.Round(time.Second).String()
}
