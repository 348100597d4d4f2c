package specdiff

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// specWideHeading heads the changes that concern no single operation.
const specWideHeading = "outside any operation"

// Summary returns one line such as "2 errors, 5 warnings in 3 operations"
// (with ", N info" when info changes are listed).
func (r *Result) Summary() string {
	var b strings.Builder
	b.WriteString(count(r.Errors, "error", "errors"))
	b.WriteString(", ")
	b.WriteString(count(r.Warnings, "warning", "warnings"))
	if r.Infos > 0 {
		fmt.Fprintf(&b, ", %d info", r.Infos)
	}
	b.WriteString(" in ")
	b.WriteString(count(r.Operations(), "operation", "operations"))
	if n := r.specWide(); n > 0 {
		fmt.Fprintf(&b, " (and %d %s)", n, specWideHeading)
	}
	return b.String()
}

// specWide counts the changes outside any operation.
func (r *Result) specWide() int {
	n := 0
	for _, c := range r.Changes {
		if c.Operation == "" {
			n++
		}
	}
	return n
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// group is the changes of one operation, in Result order.
type group struct {
	heading string
	changes []Change
}

// groups splits r.Changes, already sorted by operation, into runs of one
// operation each.
func (r *Result) groups() []group {
	var gs []group
	for _, c := range r.Changes {
		heading := c.Operation
		if heading == "" {
			heading = specWideHeading
		}
		if len(gs) == 0 || gs[len(gs)-1].heading != heading {
			gs = append(gs, group{heading: heading})
		}
		gs[len(gs)-1].changes = append(gs[len(gs)-1].changes, c)
	}
	return gs
}

// WriteText writes r for a terminal or CI log: a heading per operation, one
// indented line per change ("  error    [check-id] message"), then the summary
// line.
func WriteText(w io.Writer, r *Result) error {
	var b strings.Builder
	for _, g := range r.groups() {
		b.WriteString(g.heading)
		b.WriteByte('\n')
		for _, c := range g.changes {
			fmt.Fprintf(&b, "  %-8s [%s] %s\n", c.Level, c.ID, c.Message)
		}
		b.WriteByte('\n')
	}
	b.WriteString(r.Summary())
	b.WriteByte('\n')
	_, err := io.WriteString(w, b.String())
	return err
}

// jsonReport is the document WriteJSON writes: the Result plus its verdicts.
type jsonReport struct {
	*Result
	Operations int    `json:"operations"`
	Breaking   bool   `json:"breaking"`
	Failed     bool   `json:"failed"`
	Summary    string `json:"summary"`
}

// WriteJSON writes r as one indented JSON object: base, revision, fail_on,
// changes (level, id, operation, path, message), the counts errors, warnings,
// infos and operations, breaking, failed and the summary line.
func WriteJSON(w io.Writer, r *Result) error {
	report := jsonReport{
		Result:     r,
		Operations: r.Operations(),
		Breaking:   r.Breaking(),
		Failed:     r.Failed(),
		Summary:    r.Summary(),
	}
	if r.Changes == nil {
		copied := *r
		copied.Changes = []Change{} // "changes": [] rather than null
		report.Result = &copied
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(report)
}

// WriteMarkdown writes r as Markdown for a pull-request comment or a CI job
// summary: a title, the summary line, and a table per operation.
func WriteMarkdown(w io.Writer, r *Result) error {
	var b strings.Builder
	fmt.Fprintf(&b, "## Breaking changes: `%s` → `%s`\n\n", r.Base, r.Revision)
	fmt.Fprintf(&b, "%s\n", r.Summary())
	for _, g := range r.groups() {
		heading := "`" + g.heading + "`"
		if g.heading == specWideHeading {
			heading = specWideHeading
		}
		fmt.Fprintf(&b, "\n### %s\n\n| level | check | change |\n| --- | --- | --- |\n", heading)
		for _, c := range g.changes {
			fmt.Fprintf(&b, "| %s | `%s` | %s |\n", c.Level, c.ID, markdownCell(c.Message))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// markdownCell escapes what would end a table cell.
func markdownCell(s string) string {
	return strings.ReplaceAll(s, "|", `\|`)
}
