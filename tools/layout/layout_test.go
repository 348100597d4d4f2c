// Package layout holds the checks on the repository's shape: one owner per
// concern (the mock is the API and nothing else, one package parses OpenAPI
// documents, one client spells the mock's admin paths, one JSON-pointer
// escaper, report writers know no client), files small enough to read, tests
// on testify, and decision references that resolve in docs/decisions.md.
// Each check reads the source as it is, so a change that breaks the shape
// fails here with the file that broke it.
package layout

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const module = "github.com/passfort-conformance/harness"

// root is the repository root, two folders up from this package.
var root = filepath.Join("..", "..")

// goFile is one parsed Go file of the repository.
type goFile struct {
	path string // from the repository root, slash-separated
	src  []byte
	ast  *ast.File
	fset *token.FileSet
}

func (f goFile) test() bool { return strings.HasSuffix(f.path, "_test.go") }

// dir is the file's folder from the repository root ("internal/mock").
func (f goFile) dir() string { return filepath.ToSlash(filepath.Dir(f.path)) }

// goFiles parses every Go file of the repository once, comments included.
func goFiles(t *testing.T) []goFile {
	t.Helper()
	var files []goFile
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "node_modules" || name == "reports" || name == "bin") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		parsed, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		files = append(files, goFile{path: filepath.ToSlash(rel), src: src, ast: parsed, fset: fset})
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, len(files), 100, "the walk found too few Go files; is root %q the repository?", root)
	return files
}

var parsed []goFile

func files(t *testing.T) []goFile {
	t.Helper()
	if parsed == nil {
		parsed = goFiles(t)
	}
	return parsed
}

// deps lists the packages a package depends on, directly or not.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	cmd := exec.Command("go", "list", "-deps", "./"+pkg)
	cmd.Dir = root
	out, err := cmd.Output()
	require.NoError(t, err, "go list -deps ./%s", pkg)
	return strings.Fields(string(out))
}

// The test-side capabilities live outside the mock, each in its own package,
// and the mock neither holds a file for them nor depends on them.
func TestMockIsTheAPIAndNothingElse(t *testing.T) {
	capabilities := []string{"internal/faults", "internal/sdkgate", "internal/tolerance", "internal/webhooks", "internal/driftswitch", "internal/mockadmin"}
	for _, pkg := range capabilities {
		entries, err := os.ReadDir(filepath.Join(root, pkg))
		require.NoError(t, err, "capability package %s", pkg)
		assert.NotEmpty(t, entries, "capability package %s is empty", pkg)
	}
	mockDeps := deps(t, "internal/mock")
	for _, pkg := range capabilities {
		assert.NotContains(t, mockDeps, module+"/"+pkg, "internal/mock depends on %s", pkg)
	}
	words := regexp.MustCompile(`(?i)fault|gate|toleran|webhook|drift|admin|intercept`)
	for _, f := range files(t) {
		if f.dir() == "internal/mock" && words.MatchString(filepath.Base(f.path)) {
			assert.Failf(t, "layout", "internal/mock holds %s: a test-side capability's file, want it in its own package", f.path)
		}
	}
}

// Exactly one package parses OpenAPI documents for the suite and the mock;
// cmd/spec-diff's library (internal/specdiff) keeps oasdiff's own loader.
func TestOnePackageParsesOpenAPI(t *testing.T) {
	allowed := []string{"internal/apispec", "internal/specdiff"}
	loaders := map[string]bool{"NewLoader": true, "NewSwaggerLoader": true}
	seen := map[string]bool{}
	for _, f := range files(t) {
		if f.test() {
			continue
		}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok || !loaders[sel.Sel.Name] {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "openapi3" {
				seen[f.dir()] = true
				if !slices.Contains(allowed, f.dir()) {
					assert.Failf(t, "layout", "%s: openapi3.%s; want the document from internal/apispec", position(f, sel.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
	assert.True(t, seen["internal/apispec"], "internal/apispec parses no document: did the check stop seeing loaders?")
}

// Report writers take exchanges and findings (plain records, which may use
// net/http's header type): no client, no target, no mock, directly or not.
func TestReportKnowsNoClient(t *testing.T) {
	reportDeps := deps(t, "internal/report")
	require.Contains(t, reportDeps, module+"/internal/report")
	for _, banned := range []string{"internal/target", "internal/targets", "internal/mockadmin", "internal/mock", "internal/mockstack"} {
		assert.False(t, slices.Contains(reportDeps, module+"/"+banned), "internal/report depends on %s", banned)
	}
}

// One package escapes JSON pointers; one client spells the mock's admin
// paths (the mock, which serves them, names their prefix once).
func TestOneCopyOfSharedHelpers(t *testing.T) {
	owners := map[string][]string{
		"~1":      {"internal/jsonpointer"},
		"/__mock": {"internal/mock", "internal/mockadmin"},
	}
	inOwner := map[string]bool{} // needle → seen in one of its owners
	for _, f := range files(t) {
		if f.test() {
			continue
		}
		ast.Inspect(f.ast, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			value, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			for needle, allowed := range owners {
				if !strings.HasPrefix(value, needle) {
					continue
				}
				if slices.Contains(allowed, f.dir()) {
					inOwner[needle] = true
				} else {
					assert.Failf(t, "layout", "%s: literal %q; want it only in %s", position(f, lit.Pos()), value, strings.Join(allowed, ", "))
				}
			}
			return true
		})
	}
	// The owners hold the literal, so the walk sees literals at all: a
	// check that saw none would pass whatever the other packages held.
	for needle, allowed := range owners {
		assert.True(t, inOwner[needle], "no literal starting %q in %s: did the check stop seeing literals?", needle, strings.Join(allowed, ", "))
	}
}

// maxLines is the longest a non-test Go file may be without saying why.
const maxLines = 600

func TestFilesAreShort(t *testing.T) {
	for _, f := range files(t) {
		if f.test() {
			continue
		}
		lines := strings.Count(string(f.src), "\n")
		if lines <= maxLines {
			continue
		}
		head := strings.Join(strings.SplitN(string(f.src), "\n", 21)[:20], "\n")
		if !regexp.MustCompile(`(?m)^\s*//\s*one file:`).MatchString(head) {
			assert.Failf(t, "layout", "%s: %d lines, want at most %d or a comment starting \"one file:\" in its first 20 lines saying why", f.path, lines, maxLines)
		}
	}
}

// A test file that asserts does so with testify, and a file on testify holds
// no hand-written t.Errorf or t.Fatalf check. The go test entry
// (harness_test.go) reports the suite's verdict and fuzz targets keep their
// own style.
func TestTestsUseTestify(t *testing.T) {
	var asserting, onTestify int
	for _, f := range files(t) {
		if !f.test() {
			continue
		}
		testify, handWritten := false, []token.Pos{}
		for _, imp := range f.ast.Imports {
			if strings.HasPrefix(imp.Path.Value, `"github.com/stretchr/testify/`) {
				testify = true
			}
		}
		asserts := testify
		ast.Inspect(f.ast, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			switch sel.Sel.Name {
			case "Errorf", "Fatalf", "Error", "Fatal":
				if x, ok := sel.X.(*ast.Ident); ok && x.Name == "t" {
					asserts = true
					if sel.Sel.Name == "Errorf" || sel.Sel.Name == "Fatalf" {
						handWritten = append(handWritten, sel.Pos())
					}
				}
			}
			return true
		})
		if !asserts {
			continue
		}
		asserting++
		if testify {
			onTestify++
			for _, pos := range handWritten {
				assert.Failf(t, "hand-written check", "%s: in a file on testify; want require or assert", position(f, pos))
			}
		}
	}
	require.Greater(t, asserting, 50, "too few asserting test files found")
	share := float64(onTestify) / float64(asserting)
	assert.GreaterOrEqual(t, share, 0.9, "%d of %d asserting test files use testify (%.0f%%), want at least 90%%", onTestify, asserting, share*100)
	t.Logf("%d of %d asserting test files use testify", onTestify, asserting)
}

// decisionRef is a reference to a decision ("D12"); decisionHeading is where
// docs/decisions.md defines one ("### D12").
var (
	decisionRef     = regexp.MustCompile(`\bD([0-9]{1,3})\b`)
	decisionHeading = regexp.MustCompile(`(?m)^#+ D([0-9]+)\b`)
	decisionRow     = regexp.MustCompile(`(?m)^\| \[D([0-9]+)\]\(#d[0-9]+\)`)
	issueRef        = regexp.MustCompile(`(?i)\b(issue|ticket)s?\s*#?[0-9]+\b`)
)

// Every decision a comment, the spec, a feature or the docs refer to is
// defined in docs/decisions.md, and no comment refers to an issue: nothing
// points outside the repository.
func TestReferencesStayInTheRepository(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, "docs", "decisions.md"))
	require.NoError(t, err)
	defined := map[string]bool{}
	for _, m := range decisionHeading.FindAllStringSubmatch(string(raw), -1) {
		defined[m[1]] = true
	}
	require.Greater(t, len(defined), 50, "docs/decisions.md defines too few decisions")
	listed := map[string]bool{}
	for _, m := range decisionRow.FindAllStringSubmatch(string(raw), -1) {
		listed[m[1]] = true
	}
	for id := range defined {
		assert.True(t, listed[id], "docs/decisions.md: D%s is not in the contents table", id)
	}
	for id := range listed {
		assert.True(t, defined[id], "docs/decisions.md: the contents table lists D%s, which has no section", id)
	}

	check := func(where, text string) {
		for _, m := range decisionRef.FindAllStringSubmatch(text, -1) {
			if !defined[m[1]] {
				assert.Failf(t, "layout", "%s: refers to D%s, which docs/decisions.md does not define", where, m[1])
			}
		}
		if m := issueRef.FindString(text); m != "" {
			assert.Failf(t, "layout", "%s: %q refers to an issue outside the repository", where, m)
		}
	}
	var checked int
	for _, f := range files(t) {
		for _, group := range f.ast.Comments {
			check(position(f, group.Pos()), group.Text())
			checked++
		}
	}
	for _, pattern := range []string{"spec/*.yaml", "features/*.feature", "docs/*.md", "docs/ci/*", "README.md", "Makefile"} {
		paths, err := filepath.Glob(filepath.Join(root, pattern))
		require.NoError(t, err)
		for _, path := range paths {
			if filepath.Base(path) == "decisions.md" {
				continue
			}
			raw, err := os.ReadFile(path)
			require.NoError(t, err)
			rel, _ := filepath.Rel(root, path)
			for i, line := range strings.Split(string(raw), "\n") {
				check(filepath.ToSlash(rel)+":"+strconv.Itoa(i+1), line)
				checked++
			}
		}
	}
	require.Greater(t, checked, 1000, "too few comments and lines checked")
}

func TestReferencePatterns(t *testing.T) {
	tests := []struct {
		text       string
		decision   bool
		issue      bool
		decisionID string
	}{
		{text: "decision D12, docs/decisions.md", decision: true, decisionID: "12"},
		{text: "see issue 13", issue: true},
		{text: "fixes issue #7", issue: true},
		{text: "issues 12 and 13", issue: true},
		{text: "a task 400 answer", issue: false},
		{text: "&#43; is an escaped plus", issue: false},
		{text: "#1 issue, !2 merge request", issue: false},
		{text: "GOMAXPROCS=1 and a 3D chart", decision: false},
		{text: "D2D and ID12", decision: false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			m := decisionRef.FindStringSubmatch(tt.text)
			assert.Equal(t, tt.decision, m != nil, "decision reference")
			if tt.decision {
				assert.Equal(t, tt.decisionID, m[1])
			}
			assert.Equal(t, tt.issue, issueRef.MatchString(tt.text), "issue reference")
		})
	}
}

func position(f goFile, pos token.Pos) string {
	p := f.fset.Position(pos)
	return f.path + ":" + strconv.Itoa(p.Line)
}
