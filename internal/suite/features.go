package suite

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	gherkin "github.com/cucumber/gherkin/go/v42"
	messages "github.com/cucumber/messages/go/v34"
)

// featureFile is one parsed .feature file with its pickles (the scenarios
// godog will run, outline rows expanded) and the lines godog does not report.
type featureFile struct {
	URI      string
	Name     string
	Desc     string
	Line     int
	Tags     []string
	Contents []byte
	Pickles  []pickle
}

// pickle is one runnable scenario with its source lines.
type pickle struct {
	Name  string
	Line  int // the scenario's line, or its example row's
	Tags  []string
	Steps []pickleStep
	// Start and End are the first and last lines of the scenario (or
	// outline) it comes from, tags included; Row is its example row's line,
	// 0 for a plain scenario. filterFeature blanks lines with them.
	Start, End, Row int
}

type pickleStep struct {
	Keyword   string
	Text      string
	Line      int
	DocString string
}

// loadFeatures parses every .feature file under the given paths of fsys (a
// path may be a file or a folder). A file's URI is its name in fsys, below
// base when base is not "". A file that does not parse is a one-line error
// naming it.
func loadFeatures(fsys fs.FS, paths []string, base string) ([]featureFile, error) {
	var files []string
	for _, p := range paths {
		p = path.Clean(strings.TrimPrefix(p, "./"))
		info, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("features: %w", err)
		}
		if !info.IsDir() {
			files = append(files, p)
			continue
		}
		err = fs.WalkDir(fsys, p, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(name, ".feature") {
				files = append(files, name)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("features: %w", err)
		}
	}
	sort.Strings(files)
	files = dedupe(files)
	if len(files) == 0 {
		return nil, fmt.Errorf("features: got no .feature file under %s", strings.Join(paths, ", "))
	}
	out := make([]featureFile, 0, len(files))
	for _, name := range files {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("features: %w", err)
		}
		uri := name
		if base != "" {
			uri = path.Join(base, name)
		}
		ff, err := parseFeature(uri, data)
		if err != nil {
			return nil, err
		}
		out = append(out, ff)
	}
	return out, nil
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// maxLine is the longest line a feature file may hold: the Gherkin
// scanner's buffer (bufio.MaxScanTokenSize); a longer line made the parser
// panic (issue 16 item 15).
const maxLine = 64 << 10

// utf8BOM is the byte-order mark some editors start a UTF-8 file with.
var utf8BOM = []byte("\xEF\xBB\xBF")

func parseFeature(uri string, data []byte) (featureFile, error) {
	// A byte-order mark is not text: the file parses as if it had none.
	data = bytes.TrimPrefix(data, utf8BOM)
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(line) >= maxLine {
			return featureFile{}, fmt.Errorf("feature %s: line %d: got %d bytes, want under %d", uri, i+1, len(line), maxLine)
		}
	}
	ids := (&messages.Incrementing{}).NewId
	doc, err := gherkin.ParseGherkinDocument(bytes.NewReader(data), ids)
	if err != nil {
		return featureFile{}, fmt.Errorf("feature %s: %s", uri, oneLine(err.Error()))
	}
	if doc.Feature == nil {
		return featureFile{}, fmt.Errorf("feature %s: got no Feature: line, want one", uri)
	}
	doc.Uri = uri
	// Every AST node's line, by id, so pickles (which only carry ids) get lines.
	lines := map[string]int{}
	starts := map[string]int{} // scenario id → first line, tags included
	var allStarts []int        // first lines of every scenario, background and rule
	keywords := map[string]string{}
	var docStrings = map[string]string{}
	addSteps := func(steps []*messages.Step) {
		for _, st := range steps {
			lines[st.Id] = int(st.Location.Line)
			keywords[st.Id] = st.Keyword
			if st.DocString != nil {
				docStrings[st.Id] = st.DocString.Content
			}
		}
	}
	first := func(line int64, tags []*messages.Tag) int {
		l := int(line)
		for _, t := range tags {
			l = min(l, int(t.Location.Line))
		}
		allStarts = append(allStarts, l)
		return l
	}
	addScenario := func(sc *messages.Scenario) {
		lines[sc.Id] = int(sc.Location.Line)
		starts[sc.Id] = first(sc.Location.Line, sc.Tags)
		addSteps(sc.Steps)
		for _, ex := range sc.Examples {
			for _, row := range ex.TableBody {
				lines[row.Id] = int(row.Location.Line)
			}
		}
	}
	for _, child := range doc.Feature.Children {
		switch {
		case child.Background != nil:
			first(child.Background.Location.Line, nil)
			addSteps(child.Background.Steps)
		case child.Scenario != nil:
			addScenario(child.Scenario)
		case child.Rule != nil:
			first(child.Rule.Location.Line, child.Rule.Tags)
			for _, rc := range child.Rule.Children {
				if rc.Background != nil {
					first(rc.Background.Location.Line, nil)
					addSteps(rc.Background.Steps)
				}
				if rc.Scenario != nil {
					addScenario(rc.Scenario)
				}
			}
		}
	}
	ff := featureFile{
		URI:      uri,
		Name:     doc.Feature.Name,
		Desc:     strings.TrimSpace(doc.Feature.Description),
		Line:     int(doc.Feature.Location.Line),
		Contents: data,
	}
	for _, t := range doc.Feature.Tags {
		ff.Tags = append(ff.Tags, t.Name)
	}
	sort.Ints(allStarts)
	eof := bytes.Count(data, []byte("\n")) + 1
	for _, p := range gherkin.Pickles(*doc, uri, ids) {
		pk := pickle{Name: p.Name}
		// The last AST id of an outline pickle is its example row.
		pk.Line = lines[p.AstNodeIds[len(p.AstNodeIds)-1]]
		pk.Start = starts[p.AstNodeIds[0]]
		pk.End = eof
		if i := sort.SearchInts(allStarts, pk.Start+1); i < len(allStarts) {
			pk.End = allStarts[i] - 1
		}
		if len(p.AstNodeIds) > 1 {
			pk.Row = pk.Line
		}
		for _, t := range p.Tags {
			pk.Tags = append(pk.Tags, t.Name)
		}
		for _, st := range p.Steps {
			id := st.AstNodeIds[0]
			ps := pickleStep{Keyword: keywords[id], Text: st.Text, Line: lines[id]}
			if st.Argument != nil && st.Argument.DocString != nil {
				ps.DocString = st.Argument.DocString.Content
			}
			pk.Steps = append(pk.Steps, ps)
		}
		ff.Pickles = append(ff.Pickles, pk)
	}
	return ff, nil
}

// key identifies a pickle across our parse and godog's: godog's ids differ
// from ours, but the file, name and step texts do not.
func pickleKey(uri, name string, steps []string) string {
	return uri + "\x00" + name + "\x00" + strings.Join(steps, "\x00")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }
