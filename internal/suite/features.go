package suite

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"

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
	// NameLines are the lines that carry a name: the feature's, its rules',
	// scenarios' and examples'.
	NameLines []nameLine
}

// nameLine is a line that carries a name after its keyword and a colon.
type nameLine struct {
	Line    int
	Keyword string // as written, in the file's language: "Scenario Outline"
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
// base when base is not "". A path fsys cannot name (absolute, or outside
// it with "..") is read from the disk, its URI its absolute path: features
// folders anywhere work. A file that does not parse is a
// one-line error naming it.
func loadFeatures(fsys fs.FS, paths []string, base string) ([]featureFile, error) {
	type source struct {
		fsys      fs.FS
		name, uri string
	}
	var files []source
	var shown []string // the paths as the user named them, for the errors
	for _, p := range paths {
		from, name, prefix := fsys, path.Clean(strings.TrimPrefix(filepath.ToSlash(p), "./")), base
		if !fs.ValidPath(name) {
			abs, err := filepath.Abs(p)
			if err != nil {
				return nil, fmt.Errorf("features: %w", err)
			}
			from, name, prefix = os.DirFS("/"), strings.TrimPrefix(filepath.ToSlash(abs), "/"), "/"
		}
		uri := func(n string) string {
			if prefix == "" {
				return n
			}
			return path.Join(prefix, n)
		}
		shown = append(shown, uri(name))
		info, err := fs.Stat(from, name)
		if err != nil {
			return nil, featuresPathError(err, uri)
		}
		if !info.IsDir() {
			files = append(files, source{from, name, uri(name)})
			continue
		}
		err = fs.WalkDir(from, name, func(n string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && strings.HasSuffix(n, ".feature") {
				files = append(files, source{from, n, uri(n)})
			}
			return nil
		})
		if err != nil {
			return nil, featuresPathError(err, uri)
		}
	}
	sort.Slice(files, func(i, j int) bool { return files[i].uri < files[j].uri })
	files = slices.CompactFunc(files, func(a, b source) bool { return a.uri == b.uri })
	if len(files) == 0 {
		return nil, fmt.Errorf("features: got no .feature file under %s, want at least one", strings.Join(shown, ", "))
	}
	out := make([]featureFile, 0, len(files))
	for _, f := range files {
		data, err := fs.ReadFile(f.fsys, f.name)
		if err != nil {
			return nil, fmt.Errorf("features: %w", err)
		}
		ff, err := parseFeature(f.uri, data)
		if err != nil {
			return nil, err
		}
		out = append(out, ff)
	}
	if !slices.ContainsFunc(out, func(f featureFile) bool { return len(f.Pickles) > 0 }) {
		return nil, fmt.Errorf("features: got no scenario under %s, want at least one", strings.Join(shown, ", "))
	}
	return out, nil
}

// featuresPathError names the file or folder of err as the user named it
// (uri), not as the file system under the features folder does ("stat .").
func featuresPathError(err error, uri func(string) string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("features: %s: %w", uri(pe.Path), pe.Err)
	}
	return fmt.Errorf("features: %w", err)
}

// maxLine is the longest line a feature file may hold: the Gherkin
// scanner's buffer (bufio.MaxScanTokenSize); a longer line made the parser
// panic.
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
	doc, pickles, err := parsePickles(uri, data)
	if err != nil {
		return featureFile{}, err
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
	nameLines := []nameLine{{int(doc.Feature.Location.Line), doc.Feature.Keyword}}
	addScenario := func(sc *messages.Scenario) {
		lines[sc.Id] = int(sc.Location.Line)
		nameLines = append(nameLines, nameLine{int(sc.Location.Line), sc.Keyword})
		for _, ex := range sc.Examples {
			nameLines = append(nameLines, nameLine{int(ex.Location.Line), ex.Keyword})
		}
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
			nameLines = append(nameLines, nameLine{int(child.Rule.Location.Line), child.Rule.Keyword})
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
		URI:       uri,
		Name:      doc.Feature.Name,
		Desc:      strings.TrimSpace(doc.Feature.Description),
		Line:      int(doc.Feature.Location.Line),
		Contents:  data,
		NameLines: nameLines,
	}
	for _, t := range doc.Feature.Tags {
		ff.Tags = append(ff.Tags, t.Name)
	}
	sort.Ints(allStarts)
	eof := bytes.Count(data, []byte("\n")) + 1
	for _, p := range pickles {
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

// redactNames redacts the names of files' features, rules, scenarios and
// examples in their text, so that no name godog reports (go test -v subtest
// names, the cassette's scenario names) spells a secret out. Only the
// names are redacted, never a keyword, the indentation or the colon: the
// text parses as before whatever the secret ("x", "Examples", "|").
// Steps that run are left as they are: they are what is sent. Then
// redactSubstituted redacts what an outline's examples put in its names,
// and the steps godog never runs but quotes (redact.go).
//
// A file is parsed again once, and only when its text changed.
func redactNames(files []featureFile, red textRewriter) ([]featureFile, error) {
	for i, f := range files {
		data, err := redactNameLines(f, red)
		if err != nil {
			return nil, err
		}
		if data, err = redactSubstituted(f.URI, data, red); err != nil {
			return nil, err
		}
		if bytes.Equal(data, f.Contents) {
			continue
		}
		if files[i], err = parseFeature(f.URI, data); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// redactNameLines returns f's text with the names written on the lines
// that carry one redacted; the lines stay where they are, so f's line
// numbers still hold.
func redactNameLines(f featureFile, red textRewriter) ([]byte, error) {
	lines := strings.Split(string(f.Contents), "\n")
	changed := false
	for _, nl := range f.NameLines {
		if nl.Line < 1 || nl.Line > len(lines) {
			continue
		}
		r, err := redactName(lines[nl.Line-1], nl.Keyword, red)
		if err != nil {
			return nil, fmt.Errorf("feature %s: line %d: %w", f.URI, nl.Line, err)
		}
		if r != lines[nl.Line-1] {
			lines[nl.Line-1], changed = r, true
		}
	}
	if !changed {
		return f.Contents, nil
	}
	return []byte(strings.Join(lines, "\n")), nil
}

// redactName redacts the name on line, which the Gherkin parser read as
// keyword and a colon after spaces and tabs, and keeps the rest as written.
func redactName(line, keyword string, red textRewriter) (string, error) {
	// An error does not quote the line: its name may spell the secret out.
	at, err := afterKeyword(line, keyword+":", "name")
	if err != nil {
		return "", err
	}
	return line[:at] + red.String(line[at:]), nil
}

// afterKeyword returns where the text after prefix (a step's keyword, or a
// keyword and its colon) starts on line, which the Gherkin parser read as
// prefix after spaces and tabs; what names that text for the error.
func afterKeyword(line, prefix, what string) (int, error) {
	head := strings.TrimLeft(line, " \t")
	if !strings.HasPrefix(head, prefix) {
		return 0, fmt.Errorf("got no %q the %s follows, want one", prefix, what)
	}
	return len(line) - len(head) + len(prefix), nil
}

// key identifies a pickle across our parse and godog's: godog's ids differ
// from ours, but the file, name and step texts do not.
func pickleKey(uri, name string, steps []string) string {
	return uri + "\x00" + name + "\x00" + strings.Join(steps, "\x00")
}
