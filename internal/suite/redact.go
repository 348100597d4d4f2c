package suite

import (
	"bytes"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/steps"
)

// runRedactor redacts the API key, the configured secrets, a password in
// the base URL and keys, the other keys the features send ("with the API
// key ...", which the vocabulary says is redacted like the real one:
// featureKeys).
func runRedactor(cfg Config, keys []string) target.Redactor {
	c := cfg.Target.Client
	secrets := append(append([]string(nil), c.Secrets...), urlSecrets(c.BaseURL)...)
	secrets = append(secrets, keys...)
	return target.NewRedactor(c.APIKey).With(secrets...)
}

// otherKeyStep matches the step that sends another key, whose value is the
// last quoted argument.
var otherKeyStep = regexp.MustCompile(`with the API key "([^"]*)"$`)

// configFeatureKeys returns the other keys cfg's features send, for a merge
// or a re-check, which read no feature otherwise. A feature that does not
// load yields none.
func configFeatureKeys(cfg Config) []string {
	fsys, paths := cfg.Features, cfg.Paths
	if fsys == nil {
		fsys = os.DirFS(".")
	}
	if len(paths) == 0 {
		paths = []string{"features"}
	}
	files, err := loadFeatures(fsys, paths, cfg.FeatureBase)
	if err != nil {
		return nil
	}
	return featureKeys(files)
}

// featureKeys returns the other keys the steps of files send.
func featureKeys(files []featureFile) []string {
	var keys []string
	for _, f := range files {
		for _, p := range f.Pickles {
			for _, st := range p.Steps {
				if m := otherKeyStep.FindStringSubmatch(st.Text); m != nil && len(m[1]) >= target.MinSecretLen {
					keys = append(keys, m[1])
				}
			}
		}
	}
	return keys
}

// redactOutput redacts what a run writes out that its checks read as the
// target sent it: the exchanges and the drift report. It runs after every
// check and analysis, before anything is printed or written (decision D70,
// docs/decisions.md).
func redactOutput(run *report.Run, d *drift.Report, red target.Redactor) {
	for fi := range run.Features {
		for si := range run.Features[fi].Scenarios {
			sc := &run.Features[fi].Scenarios[si]
			for ti := range sc.Steps {
				exs := sc.Steps[ti].Exchanges
				for i := range exs {
					exs[i] = *red.Exchange(&exs[i])
				}
			}
		}
	}
	rewriteDrift(d, red)
}

// textRewriter rewrites a text for writing out: a target.Redactor, a
// mask.Masker.
type textRewriter interface{ String(string) string }

// rewriteDrift rewrites the texts of a drift report's entries.
func rewriteDrift(d *drift.Report, red textRewriter) {
	if d == nil {
		return
	}
	for i := range d.Entries {
		e := &d.Entries[i]
		e.Operation, e.Pointer, e.Value = red.String(e.Operation), red.String(e.Pointer), red.String(e.Value)
		e.Message, e.Example, e.FirstScenario, e.Key = red.String(e.Message), red.String(e.Example), red.String(e.FirstScenario), red.String(e.Key)
	}
}

// redactBuild redacts what the pipeline said about the run (a label may
// quote anything); Run, Merge and Recheck write it out alike.
func redactBuild(b *report.Build, red textRewriter) {
	if b == nil {
		return
	}
	b.Label, b.SDK, b.SDKVersion = red.String(b.Label), red.String(b.SDK), red.String(b.SDKVersion)
	b.Commit, b.Branch, b.URL = red.String(b.Commit), red.String(b.Branch), red.String(b.URL)
}

// redactRun removes secrets from everything a report prints that did not
// come through the target client: a feature may spell a key out in a step
// ("with the API key ..."), and errors may quote it. Exchanges were
// redacted by the client already.
func redactRun(run *report.Run, red textRewriter) {
	run.Target = red.String(run.Target)
	for fi := range run.Features {
		f := &run.Features[fi]
		f.Name, f.Description = red.String(f.Name), red.String(f.Description)
		for i := range f.Tags {
			f.Tags[i] = red.String(f.Tags[i])
		}
		for si := range f.Scenarios {
			sc := &f.Scenarios[si]
			sc.Name, sc.Error = red.String(sc.Name), red.String(sc.Error)
			for i := range sc.Tags {
				sc.Tags[i] = red.String(sc.Tags[i])
			}
			for ti := range sc.Steps {
				st := &sc.Steps[ti]
				st.Text, st.DocString, st.Error = red.String(st.Text), red.String(st.DocString), red.String(st.Error)
				for k := range st.Findings {
					st.Findings[k].Message = red.String(st.Findings[k].Message)
					st.Findings[k].Example = red.String(st.Findings[k].Example)
					st.Findings[k].Step = red.String(st.Findings[k].Step)
				}
			}
		}
	}
}

// urlSecrets are the secrets a base URL carries: its password, decoded and
// as written.
func urlSecrets(base string) []string { return target.URLSecrets(base) }

// redactSubstituted returns data without the secrets godog would print but
// never send:
//   - a scenario outline's names, where an examples cell can put a secret
//     its name line does not spell (godog names its go test -v subtests
//     after them, the cassette its exchanges);
//   - the text of a step that no definition, or more than one, matches:
//     godog never runs it but quotes it through testing.T ("step is
//     undefined: ...").
//
// A step that runs keeps its text: it is what is sent. A literal step is
// rewritten in place; an outline's name or step that its rows change
// becomes the placeholder of a column added to each of its examples tables,
// which holds each row's text redacted. Every line keeps its number.
func redactSubstituted(uri string, data []byte, red textRewriter) ([]byte, error) {
	doc, pickles, err := parsePickles(uri, data)
	if err != nil {
		return nil, err
	}
	ed := &featureEdit{lines: strings.Split(string(data), "\n"), source: string(data), red: red, byRow: map[string]*messages.Pickle{}}
	for _, p := range pickles {
		if len(p.AstNodeIds) == 2 {
			ed.byRow[p.AstNodeIds[1]] = p
		}
	}
	for _, c := range featureChildren(doc.Feature) {
		switch {
		case c.Background != nil:
			err = ed.literalSteps(c.Background.Steps)
		case c.Scenario != nil && len(c.Scenario.Examples) == 0:
			err = ed.literalSteps(c.Scenario.Steps)
		case c.Scenario != nil:
			err = ed.outline(c.Scenario)
		}
		if err != nil {
			return nil, fmt.Errorf("feature %s: %w", uri, err)
		}
	}
	if !ed.changed {
		return data, nil
	}
	out := []byte(strings.Join(ed.lines, "\n"))
	if err := sameStepsRun(uri, pickles, out); err != nil {
		return nil, err
	}
	return out, nil
}

// parsePickles parses a feature file into its document and its pickles.
func parsePickles(uri string, data []byte) (*messages.GherkinDocument, []*messages.Pickle, error) {
	ids := (&messages.Incrementing{}).NewId
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(bytes.TrimPrefix(data, utf8BOM)), ids)
	if err != nil {
		return nil, nil, fmt.Errorf("feature %s: %s", uri, oneline.Fold(err.Error()))
	}
	if doc.Feature == nil {
		return nil, nil, fmt.Errorf("feature %s: got no Feature: line, want one", uri)
	}
	return doc, gherkin.Pickles(*doc, uri, ids), nil
}

// featureChildren returns the backgrounds and scenarios of a feature, its
// rules' included, in file order.
func featureChildren(f *messages.Feature) []*messages.RuleChild {
	var out []*messages.RuleChild
	for _, c := range f.Children {
		switch {
		case c.Rule != nil:
			out = append(out, c.Rule.Children...)
		default:
			out = append(out, &messages.RuleChild{Background: c.Background, Scenario: c.Scenario})
		}
	}
	return out
}

// sameStepsRun checks that the rewritten feature out still sends what
// before did: the same pickles, every step that runs with its text.
func sameStepsRun(uri string, before []*messages.Pickle, out []byte) error {
	_, after, err := parsePickles(uri, out)
	if err != nil {
		return err
	}
	if len(after) != len(before) {
		return fmt.Errorf("feature %s: redacting its examples: got %d scenarios, want %d", uri, len(after), len(before))
	}
	for i, p := range before {
		for j, st := range p.Steps {
			if stepRuns(st.Text) && after[i].Steps[j].Text != st.Text {
				return fmt.Errorf("feature %s: redacting its examples changed a step that runs: got %q, want %q", uri, after[i].Steps[j].Text, st.Text)
			}
		}
	}
	return nil
}

// featureEdit rewrites the lines of one feature file.
type featureEdit struct {
	lines   []string
	source  string // the file as read, for choosing column names
	red     textRewriter
	byRow   map[string]*messages.Pickle // examples row id → its pickle
	changed bool
}

// literalSteps redacts, in place, the steps that godog does not run.
func (e *featureEdit) literalSteps(sts []*messages.Step) error {
	for _, st := range sts {
		if text := unsentText(st.Text, e.red); text != st.Text {
			if err := e.rewriteStep(st, text); err != nil {
				return err
			}
		}
	}
	return nil
}

// outlineColumn is a column added to an outline's examples tables: a
// placeholder's name and its value in each row, by row id.
type outlineColumn struct {
	header string
	values map[string]string
}

// outline moves an outline's name and each of its steps whose text, in any
// row, needs redacting into columns of their own.
func (e *featureEdit) outline(sc *messages.Scenario) error {
	var cols []outlineColumn
	if col, ok := e.column("redacted name", sc, func(p *messages.Pickle) string { return e.red.String(p.Name) }, func(p *messages.Pickle) string { return p.Name }); ok {
		if err := e.rewriteName(sc, "<"+col.header+">"); err != nil {
			return err
		}
		cols = append(cols, col)
	}
	for _, st := range sc.Steps {
		text := func(p *messages.Pickle) string { return pickleStepText(p, st.Id) }
		col, ok := e.column(fmt.Sprintf("redacted step %d", st.Location.Line), sc, func(p *messages.Pickle) string { return unsentText(text(p), e.red) }, text)
		if !ok {
			continue
		}
		if err := e.rewriteStep(st, "<"+col.header+">"); err != nil {
			return err
		}
		cols = append(cols, col)
	}
	if len(cols) == 0 {
		return nil
	}
	return e.addColumns(sc, cols)
}

// column returns the column of an outline's rows' redacted texts, and
// whether any row's differs from the text as written.
func (e *featureEdit) column(base string, sc *messages.Scenario, redacted, written func(*messages.Pickle) string) (outlineColumn, bool) {
	col := outlineColumn{header: e.freshHeader(base, sc), values: map[string]string{}}
	differs := false
	for _, ex := range sc.Examples {
		for _, row := range ex.TableBody {
			p := e.byRow[row.Id]
			if p == nil {
				continue
			}
			col.values[row.Id] = redacted(p)
			differs = differs || col.values[row.Id] != written(p)
		}
	}
	return col, differs
}

// freshHeader returns base, primed until no placeholder of the file and
// no header of the outline already uses it.
func (e *featureEdit) freshHeader(base string, sc *messages.Scenario) string {
	taken := func(h string) bool {
		if strings.Contains(e.source, "<"+h+">") {
			return true
		}
		for _, ex := range sc.Examples {
			if ex.TableHeader != nil && slices.ContainsFunc(ex.TableHeader.Cells, func(c *messages.TableCell) bool { return c.Value == h }) {
				return true
			}
		}
		return false
	}
	for taken(base) {
		base += "'"
	}
	return base
}

// addColumns appends cols to every examples table of sc: a header cell, and
// each row's value.
func (e *featureEdit) addColumns(sc *messages.Scenario, cols []outlineColumn) error {
	for _, ex := range sc.Examples {
		if ex.TableHeader == nil {
			continue
		}
		headers := make([]string, len(cols))
		for i, c := range cols {
			headers[i] = c.header
		}
		if err := e.appendCells(int(ex.TableHeader.Location.Line), headers); err != nil {
			return err
		}
		for _, row := range ex.TableBody {
			values := make([]string, len(cols))
			for i, c := range cols {
				values[i] = c.values[row.Id]
			}
			if err := e.appendCells(int(row.Location.Line), values); err != nil {
				return err
			}
		}
	}
	return nil
}

// appendCells adds cells after the last cell of the table row on line n.
func (e *featureEdit) appendCells(n int, cells []string) error {
	line := e.lines[n-1]
	end := -1 // just after the row's last separator
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case '\\':
			i++
		case '|':
			end = i + 1
		}
	}
	if end < 0 {
		return fmt.Errorf("line %d: got no table row, want one", n)
	}
	escaped := make([]string, len(cells))
	for i, c := range cells {
		escaped[i] = cellEscaper.Replace(c)
	}
	e.lines[n-1], e.changed = line[:end]+" "+strings.Join(escaped, " | ")+" |"+line[end:], true
	return nil
}

// cellEscaper writes a text as a Gherkin table cell that reads back as it.
var cellEscaper = strings.NewReplacer(`\`, `\\`, `|`, `\|`, "\n", `\n`)

// rewriteName replaces the name of sc on its line with name.
func (e *featureEdit) rewriteName(sc *messages.Scenario, name string) error {
	n := int(sc.Location.Line)
	line := e.lines[n-1]
	at, err := afterKeyword(line, sc.Keyword+":", "name")
	if err != nil {
		return fmt.Errorf("line %d: %w", n, err)
	}
	e.lines[n-1], e.changed = line[:at]+" "+name+crOf(line), true
	return nil
}

// rewriteStep replaces the text of st on its line with text.
func (e *featureEdit) rewriteStep(st *messages.Step, text string) error {
	n := int(st.Location.Line)
	line := e.lines[n-1]
	at, err := afterKeyword(line, st.Keyword, "step")
	if err != nil {
		return fmt.Errorf("line %d: %w", n, err)
	}
	e.lines[n-1], e.changed = line[:at]+text+crOf(line), true
	return nil
}

// crOf returns the carriage return a line of a CRLF file ends with, "" for
// none.
func crOf(line string) string {
	if strings.HasSuffix(line, "\r") {
		return "\r"
	}
	return ""
}

// pickleStepText returns the text of the step of p that comes from the
// step whose id is id.
func pickleStepText(p *messages.Pickle, id string) string {
	for _, st := range p.Steps {
		if st.AstNodeIds[0] == id {
			return st.Text
		}
	}
	return ""
}

// unsentText returns text as godog should see it: as written when it
// runs (it is sent) or holds no secret, redacted otherwise. A redacted text
// that some step would then run is replaced whole.
func unsentText(text string, red textRewriter) string {
	r := red.String(text)
	if r == text || stepRuns(text) {
		return text
	}
	if stepRuns(r) {
		return target.Redacted
	}
	return r
}

// stepRuns reports whether godog runs a step of this text: exactly one
// definition matches it. With none it is undefined, with more ambiguous;
// godog runs neither.
func stepRuns(text string) bool {
	n := 0
	for _, re := range stepExpressions() {
		if re.MatchString(text) {
			n++
		}
	}
	return n == 1
}

// stepExpressions are the step definitions' patterns, compiled as godog
// compiles them.
var stepExpressions = sync.OnceValue(func() []*regexp.Regexp {
	defs := steps.Definitions()
	out := make([]*regexp.Regexp, len(defs))
	for i, d := range defs {
		out[i] = regexp.MustCompile(d.Pattern)
	}
	return out
})
