package report

import (
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits that keep summary.md small whatever the run: GitHub refuses a job
// summary over 1 MiB and a merge-request note over 1,000,000 characters.
const (
	// maxMarkdownRows is how many scenarios each list shows; the rest are
	// counted ("... and 950 more").
	maxMarkdownRows = 50
	// maxMarkdownCell caps one cell's text, in characters.
	maxMarkdownCell = 400
)

// WriteMarkdown writes summary.md: the verdict and why, the counts, the
// run's identity and build, the scenarios that did not pass (at most
// maxMarkdownRows, each with its Headline), and the comparison with a
// previous run when cmp is not nil. It is Markdown for GitHub's job summary
// and a GitLab merge-request note: every text from the run (names, lines,
// ids) is escaped so that it renders as text, never as a table cell break,
// a link, HTML or a mention, and the output stays under about 100 KB even
// for a run of thousands of failures.
func WriteMarkdown(w io.Writer, r *Run, cmp *Comparison) error {
	var b strings.Builder
	c := r.Count()
	verdict := r.Verdict
	if verdict == "" {
		verdict = "pass"
		if c.Failed+c.Undefined > 0 {
			verdict = "fail"
		}
	}
	mark := "✅"
	if verdict != "pass" {
		mark = "❌"
	}
	fmt.Fprintf(&b, "## %s PassFort conformance: %s\n\n", mark, mdText(verdict))
	for _, reason := range r.Reasons {
		fmt.Fprintf(&b, "- %s\n", mdCell(reason))
	}
	if len(r.Reasons) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("| scenarios | passed | failed | flaky | skipped | undefined | time |\n| ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
	fmt.Fprintf(&b, "| %d | %d | %d | %d | %d | %d | %.2fs |\n\n", c.Total, c.Passed, c.Failed, c.Flaky, c.Skipped, c.Undefined, r.Duration().Seconds())

	b.WriteString("| run | |\n| --- | --- |\n")
	row := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "| %s | %s |\n", k, v)
		}
	}
	row("id", mdCode(r.ID))
	row("target", mdCell(r.Target))
	if !r.Started.IsZero() {
		row("started", r.Started.UTC().Format(time.RFC3339))
	}
	row("seed", fmt.Sprintf("%d (reproduce: %s)", r.Seed, mdCode(fmt.Sprintf("SEED=%d", r.Seed))))
	row("spec", mdCode(r.SpecHash[:min(12, len(r.SpecHash))]))
	if sel := r.Selection; sel != nil {
		row("shard", mdCode(sel.Shard))
		row("tags", mdCode(sel.Tags))
		row("name", mdCode(sel.Name))
	}
	row("guard", mdCell(r.Guard))
	if bd := r.Build; bd != nil {
		row("label", mdCell(bd.Label))
		row("SDK", mdCell(strings.TrimSpace(bd.SDK+" "+bd.SDKVersion)))
		row("commit", mdCode(bd.Commit))
		row("branch", mdCode(bd.Branch))
		row("build", mdCell(bd.URL))
	}
	b.WriteString("\n")

	var notPassed []markdownRow
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			if class := s.FailureClass(); class != "" {
				notPassed = append(notPassed, markdownRow{f.URI, s.Name, s.Line, class, s.Headline()})
			}
		}
	}
	if len(notPassed) > 0 {
		fmt.Fprintf(&b, "### Not passed (%d)\n\n", len(notPassed))
		writeMarkdownRows(&b, notPassed, true)
	}
	if cmp != nil {
		writeMarkdownComparison(&b, cmp)
	}
	b.WriteString("Details: `report.html`, `junit.xml`, `findings.json` in the reports folder.\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write summary.md: %w", err)
	}
	return nil
}

// markdownRow is one scenario of a list in summary.md.
type markdownRow struct {
	feature, name string
	line          int
	class, first  string
}

// writeMarkdownRows writes a table of scenarios, at most maxMarkdownRows,
// with a column for the first finding or assertion line when first.
func writeMarkdownRows(b *strings.Builder, rows []markdownRow, first bool) {
	if first {
		b.WriteString("| scenario | where | class | first finding or assertion |\n| --- | --- | --- | --- |\n")
	} else {
		b.WriteString("| scenario | where | class |\n| --- | --- | --- |\n")
	}
	for i, r := range rows {
		if i == maxMarkdownRows {
			fmt.Fprintf(b, "\n… and %d more (see `junit.xml` or `report.html`)\n", len(rows)-i)
			break
		}
		fmt.Fprintf(b, "| %s | %s | %s |", mdCell(r.name), mdCode(fmt.Sprintf("%s:%d", r.feature, r.line)), mdText(r.class))
		if first {
			fmt.Fprintf(b, " %s |", mdCode(r.first))
		}
		b.WriteString("\n")
	}
	b.WriteString("\n")
}

// writeMarkdownComparison writes the comparison with a previous run.
func writeMarkdownComparison(b *strings.Builder, c *Comparison) {
	fmt.Fprintf(b, "### Compared with run %s", mdText(c.PreviousID))
	if !c.PreviousStarted.IsZero() {
		fmt.Fprintf(b, " (%s)", c.PreviousStarted.UTC().Format(time.RFC3339))
	}
	b.WriteString("\n\n| newly failing | fixed | still failing | new drift | vanished drift |\n| ---: | ---: | ---: | ---: | ---: |\n")
	fmt.Fprintf(b, "| %d | %d | %d | %d | %d |\n\n", len(c.NewlyFailing), len(c.Fixed), len(c.StillFailing), len(c.NewDrift), len(c.VanishedDrift))
	for _, l := range []struct {
		title string
		refs  []ScenarioRef
	}{{"Newly failing", c.NewlyFailing}, {"Fixed", c.Fixed}} {
		if len(l.refs) == 0 {
			continue
		}
		fmt.Fprintf(b, "#### %s (%d)\n\n", l.title, len(l.refs))
		rows := make([]markdownRow, len(l.refs))
		for i, s := range l.refs {
			rows[i] = markdownRow{feature: s.Feature, name: s.Name, line: s.Line, class: s.Class}
		}
		writeMarkdownRows(b, rows, false)
	}
	for _, l := range []struct {
		title string
		refs  []DriftRef
	}{{"New drift", c.NewDrift}, {"Vanished drift", c.VanishedDrift}} {
		if len(l.refs) == 0 {
			continue
		}
		fmt.Fprintf(b, "#### %s (%d)\n\n| rule | operation | pointer | count |\n| --- | --- | --- | ---: |\n", l.title, len(l.refs))
		for i, d := range l.refs {
			if i == maxMarkdownRows {
				fmt.Fprintf(b, "\n… and %d more (see `drift.md`)\n", len(l.refs)-i)
				break
			}
			fmt.Fprintf(b, "| %s | %s | %s | %d |\n", mdCode(d.Rule), mdCode(d.Operation), mdCode(d.Pointer), d.Count)
		}
		b.WriteString("\n")
	}
}

// mdPunct are the characters Markdown (CommonMark, GitHub's and GitLab's
// flavours) may read as syntax inside a line: backslash escapes, code,
// emphasis, links and images (no link without its "["), table cells,
// strike-through, headings in a list item, GitHub's $…$ math, and GitLab's
// references (#1 issue, !2 merge request, &3 epic, $4 snippet, %m
// milestone, ~l label: GitLab links them, and notes the link there, unless
// escaped). Each is backslash-escaped, which CommonMark defines for every
// ASCII punctuation (so "&amp;" in a name stays those five characters);
// < and > become entities, and an @ is followed by a word joiner (U+2060),
// so that no "@name" in a scenario name mentions anyone in a merge-request
// note.
const mdPunct = "\\`*_[]|~#!$%&"

// mdText is s on one line, capped, with Markdown's syntax escaped; "" for
// an empty s.
func mdText(s string) string {
	s = capRunes(oneLine(s), maxMarkdownCell)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '@':
			b.WriteString("@\u2060")
		case strings.ContainsRune(mdPunct, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdCell is mdText for a table cell or list item: "" becomes "–" so that a
// cell is never empty.
func mdCell(s string) string {
	if t := mdText(s); t != "" {
		return t
	}
	return "–"
}

// mdCode is s on one line, capped, as a code span: its text shows as
// written (no HTML, links or mentions), fenced with one backtick more than
// the longest run inside it, and a pipe escaped so it cannot end a table
// cell (GitHub and GitLab split table rows before they read code spans);
// "" for an empty s.
func mdCode(s string) string {
	s = capRunes(oneLine(s), maxMarkdownCell)
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(s, "|", `\|`)
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		s = " " + s + " "
	}
	return fence + s + fence
}

// capRunes cuts s to n characters, marking the cut with "…".
func capRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
