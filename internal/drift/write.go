package drift

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/passfort-conformance/harness/internal/boundedfile"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// File names Write uses inside the reports directory.
const (
	JSONFile         = "drift.json"
	MarkdownFile     = "drift.md"
	ObservationsFile = "observations.json"
)

// Write writes drift.json, drift.md and observations.json (the report's
// Observations) into dir, creating it; each file is written whole or not at
// all.
func Write(dir string, r *Report) error {
	if err := writeFileAtomic(filepath.Join(dir, JSONFile), func(w io.Writer) error { return WriteJSON(w, r) }); err != nil {
		return err
	}
	if err := writeFileAtomic(filepath.Join(dir, MarkdownFile), func(w io.Writer) error { return WriteMarkdown(w, r) }); err != nil {
		return err
	}
	obs := r.Observations
	if obs == nil {
		obs = &Observations{Run: r.Run, Target: r.Target, Operations: map[string]*OpObs{}}
	}
	return WriteObservations(filepath.Join(dir, ObservationsFile), obs)
}

// WriteJSON writes the report for machines (reports/drift.json).
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("drift json: %w", err)
	}
	return nil
}

// ReadReport reads a drift.json report.
func ReadReport(path string) (*Report, error) {
	raw, err := boundedfile.Read(path, boundedfile.CassetteLimit)
	if err != nil {
		return nil, fmt.Errorf("read drift report: %w", err)
	}
	var r Report
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("read drift report %s: %w", path, err)
	}
	for i, e := range r.Entries {
		if e.Key == "" {
			return nil, fmt.Errorf("read drift report %s: entry %d: key: got none, want class|kind|operation|status|pointer", path, i)
		}
	}
	return &r, nil
}

// WriteMarkdown writes the report for people (reports/drift.md): the gate
// verdict when the report carries one, then a table per class.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	b.WriteString("# Drift report\n\n")
	fmt.Fprintf(&b, "Run `%s` against %s, generated %s.\n\n", orDash(r.Run), cell(orDash(r.Target)), stamp(r.Generated))

	status := map[string]string{}
	if v := r.Verdict; v != nil {
		fmt.Fprintf(&b, "Gate%s.\n\n", v.Summary())
		for _, e := range v.New {
			status[e.Key] = "**new**"
		}
		for _, e := range v.Accepted {
			status[e.Key] = "accepted"
		}
		for _, a := range v.Expired {
			status[a.Key()] = "**expired** " + a.Expires
		}
		if len(v.Expired) > 0 {
			b.WriteString("Expired acceptances (renew with a reason, or fix the drift):\n\n")
			for _, a := range v.Expired {
				fmt.Fprintf(&b, "- `%s` expired %s (line %d): %s\n", a, a.Expires, a.Line, cell(a.Reason))
			}
			b.WriteString("\n")
		}
		if len(v.Unused) > 0 {
			b.WriteString("Acceptances this run did not need (fixed, or their scenarios did not run):\n\n")
			for _, a := range v.Unused {
				fmt.Fprintf(&b, "- `%s` (line %d)\n", a, a.Line)
			}
			b.WriteString("\n")
		}
	} else {
		b.WriteString("Not gated: run `make drift` for the verdict against spec/drift-baseline.yaml.\n\n")
	}

	sections := []struct {
		class finding.Class
		title string
		about string
	}{
		{finding.Drift, "Drift", "Fields the spec does not document, documented fields the target never returned, and values new to an extensible enum. Reported; the gate fails on new entries."},
		{finding.Contract, "Contract findings an SDK can break on", "Enum values, status codes and content types the spec does not list. They fail their scenarios too."},
	}
	for _, s := range sections {
		var rows []Entry
		for _, e := range r.Entries {
			if e.Class == s.class {
				rows = append(rows, e)
			}
		}
		fmt.Fprintf(&b, "## %s (%d)\n\n%s\n\n", s.title, len(rows), s.about)
		if len(rows) == 0 {
			b.WriteString("None.\n\n")
			continue
		}
		b.WriteString("| kind | operation | status | pointer | value / example | count | first scenario | baseline |\n")
		b.WriteString("| --- | --- | --- | --- | --- | --- | --- | --- |\n")
		for _, e := range rows {
			shown := e.Example
			if e.Value != "" && !enumKind(e.Kind) {
				shown = e.Value + " (" + e.Example + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %s | %s | %d | %s | %s |\n",
				e.Kind, code(e.Operation), e.Status, code(e.Pointer), code(shown), e.Count, cell(e.FirstScenario), orDash(status[e.Key]))
		}
		b.WriteString("\n")
	}
	b.WriteString("Accept an entry in spec/drift-baseline.yaml with its class, kind, operation, status, pointer and value, a reason and an expiry date.\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// cell makes text safe inside a Markdown table cell: one line, pipes escaped.
func cell(s string) string {
	return strings.ReplaceAll(oneline.Fold(s), "|", `\|`)
}

// code renders text as inline code in a table cell, "" as a dash.
func code(s string) string {
	if s == "" {
		return "-"
	}
	s = cell(s)
	fence := "`"
	if strings.Contains(s, "`") {
		fence = "`` "
		return fence + s + " ``"
	}
	return fence + s + fence
}
