package report

import (
	"github.com/passfort-conformance/harness/internal/atomicfile"

	"fmt"
	"io"
	"os"
	"path/filepath"
)

// File names Write uses inside its directory.
const (
	JUnitFile    = "junit.xml"
	CucumberFile = "cucumber.json"
	FindingsJSON = "findings.json"
	HTMLFile     = "report.html"
	SARIFFile    = "findings.sarif"
	NDJSONFile   = "events.ndjson"
	// SummaryFile is the Markdown summary for a CI job summary or a
	// merge-request note.
	SummaryFile = "summary.md"
)

// Write writes every report of the run into dir, creating it: junit.xml,
// cucumber.json, findings.json, report.html, findings.sarif, events.ndjson
// and summary.md (with extra.Previous's comparison). Each file is written to a temporary name and renamed, so a
// reader never sees half a report; the first error stops the writing.
func Write(dir string, r *Run, extra HTMLExtras) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write reports: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{JUnitFile, func(w io.Writer) error { return WriteJUnit(w, r) }},
		{CucumberFile, func(w io.Writer) error { return WriteCucumber(w, r) }},
		{FindingsJSON, func(w io.Writer) error { return WriteFindings(w, r) }},
		{HTMLFile, func(w io.Writer) error { return WriteHTML(w, r, extra) }},
		{SARIFFile, func(w io.Writer) error { return WriteSARIF(w, r) }},
		{NDJSONFile, func(w io.Writer) error { return WriteNDJSON(w, r) }},
		{SummaryFile, func(w io.Writer) error { return WriteMarkdown(w, r, extra.Previous) }},
	}
	for _, f := range files {
		if err := writeFile(filepath.Join(dir, f.name), f.write); err != nil {
			return err
		}
	}
	return nil
}

// writeFile writes path through a temporary file and a rename.
func writeFile(path string, write func(io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
