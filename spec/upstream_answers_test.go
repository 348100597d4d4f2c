package spec_test

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/target"
)

// upstreamFiles are PassFort's two public 4.0 descriptions, as
// ../shared/reference/upstream holds them.
var upstreamFiles = []string{
	"passfort-openapi-4.0.0-2019.json",
	"passfort-openapi-4.0.0-wx-derivative.json",
}

// deviationsFile lists, with a reason each, the ways the mock's answers
// differ from PassFort's published schemas.
const deviationsFile = "upstream-deviations.yaml"

// exampleLen bounds a group's example message, which may quote a long enum
// of the upstream file.
const exampleLen = 120

// deviation is one group of findings: every finding of one kind and rule,
// at one templated pointer, in the answers of one operation and status,
// judged against one upstream file.
type deviation struct {
	File      string `yaml:"file"`
	Operation string `yaml:"operation"`
	Status    int    `yaml:"status"`
	Kind      string `yaml:"kind"`
	Rule      string `yaml:"rule,omitempty"`
	Pointer   string `yaml:"pointer,omitempty"`
	Count     int    `yaml:"count"`
	Example   string `yaml:"example"`
	Reason    string `yaml:"reason"`
}

// key identifies a group; count, example and reason are not part of it.
func (d deviation) key() string {
	return fmt.Sprintf("%s | %s %d | %s %s | %s", d.File, d.Operation, d.Status, d.Kind, d.Rule, d.Pointer)
}

// TestMockAnswersAgainstUpstreamSchemas records a default run of the suite
// against the embedded mock and checks every recorded answer against each of
// PassFort's two public 4.0 descriptions, with our own validator loaded
// leniently. Every group of findings must be listed, with its reason, in
// spec/upstream-deviations.yaml, and every group listed there must still be
// seen, so the file stays a true account of where the mock and PassFort's
// published schemas part. It needs ../shared/reference/upstream and skips
// where that folder is absent.
func TestMockAnswersAgainstUpstreamSchemas(t *testing.T) {
	t.Parallel()
	dir := upstreamDir(t)
	entries := recordedEntries(t)

	var got []deviation
	for _, name := range upstreamFiles {
		v, err := contract.LoadFile(filepath.Join(dir, name), contract.Options{Lenient: true})
		require.NoError(t, err, "load %s leniently", name)
		groups, checked := groupFindings(name, v, entries)
		require.NotZero(t, checked, "recorded answers checked against %s", name)
		t.Logf("%s: %d recorded answers checked, %d groups", name, checked, len(groups))
		got = append(got, groups...)
	}

	listed := readDeviations(t, deviationsFile)
	for _, line := range compareDeviations(listed, got) {
		assert.Fail(t, "upstream deviations", "%s", line)
	}
	for _, d := range listed {
		assert.NotEmpty(t, strings.TrimSpace(d.Reason), "%s: a listed group needs a reason", d.key())
	}
}

// recordedEntries returns the entries of the shared recorded run's cassette.
func recordedEntries(t *testing.T) []target.CassetteEntry {
	t.Helper()
	c, err := target.ReadCassette(recordedRun(t))
	require.NoError(t, err, "read the recorded cassette")
	require.NotEmpty(t, c.Exchanges, "recorded exchanges")
	return c.Exchanges
}

// groupFindings checks every answered exchange (the recorder keeps none of
// the mock's admin ones) against v and groups the findings; it also returns how many answers it
// checked.
func groupFindings(file string, v *contract.Validator, entries []target.CassetteEntry) ([]deviation, int) {
	groups := map[string]*deviation{}
	checked := 0
	for i := range entries {
		e := &entries[i]
		if e.Status == 0 {
			continue
		}
		checked++
		for _, f := range v.CheckResponse(&e.Exchange) {
			d := deviationOf(file, e.Operation, f)
			k := d.key()
			if g, ok := groups[k]; ok {
				g.Count++
				continue
			}
			groups[k] = &d
		}
	}
	out := make([]deviation, 0, len(groups))
	for _, g := range groups {
		out = append(out, *g)
	}
	sortDeviations(out)
	return out, checked
}

// deviationOf is the group a finding falls in, with the finding as its
// example. The operation is the one the upstream file names; for an
// operation it does not document, ours (the finding's holds the ids).
func deviationOf(file, ours string, f finding.Finding) deviation {
	op := f.Operation
	if f.Kind == finding.UndocumentedOperation || op == "" {
		op = ours
	}
	return deviation{
		File: file, Operation: op, Status: f.Status, Kind: f.Kind, Rule: f.Rule,
		Pointer: jsonpointer.Templated(f.Pointer), Count: 1, Example: oneline.Clip(f.Message, exampleLen),
	}
}

func sortDeviations(ds []deviation) {
	slices.SortFunc(ds, func(a, b deviation) int { return cmp.Compare(a.key(), b.key()) })
}

// readDeviations reads the reviewed list of groups.
func readDeviations(t *testing.T, path string) []deviation {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err, "read %s", path)
	var doc struct {
		Deviations []deviation `yaml:"deviations"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &doc), "decode %s", path)
	return doc.Deviations
}

// compareDeviations returns one line per difference between the listed
// groups and the groups the run saw: a group not listed (written as the
// YAML entry to review and add) or a listed group no longer seen.
func compareDeviations(listed, seen []deviation) []string {
	want := map[string]bool{}
	for _, d := range listed {
		want[d.key()] = true
	}
	have := map[string]bool{}
	var diffs []string
	for _, d := range seen {
		have[d.key()] = true
		if !want[d.key()] {
			diffs = append(diffs, fmt.Sprintf("not listed in %s: %s (%d, e.g. %q)", deviationsFile, d.key(), d.Count, d.Example))
		}
	}
	for _, d := range listed {
		if !have[d.key()] {
			diffs = append(diffs, fmt.Sprintf("listed in %s but no longer seen: %s", deviationsFile, d.key()))
		}
	}
	return diffs
}

// TestCompareDeviations pins both ways the list and a run can part.
func TestCompareDeviations(t *testing.T) {
	t.Parallel()
	a := deviation{File: "f.json", Operation: "GET /a", Status: 200, Kind: finding.UndocumentedField, Rule: "properties", Pointer: "/x", Count: 3, Example: "e"}
	b := deviation{File: "f.json", Operation: "GET /b", Status: 404, Kind: finding.UndocumentedStatus, Rule: "status", Count: 1}
	moreOfA := a
	moreOfA.Count, moreOfA.Example = 9, "other"
	cases := map[string]struct {
		listed, seen []deviation
		want         []string
	}{
		"same groups, other counts": {listed: []deviation{a, b}, seen: []deviation{moreOfA, b}},
		"a new group": {listed: []deviation{a}, seen: []deviation{a, b},
			want: []string{`not listed in upstream-deviations.yaml: f.json | GET /b 404 | undocumented-status status |  (1, e.g. "")`}},
		"a stale group": {listed: []deviation{a, b}, seen: []deviation{b},
			want: []string{"listed in upstream-deviations.yaml but no longer seen: f.json | GET /a 200 | undocumented-field properties | /x"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, c.want, compareDeviations(c.listed, c.seen))
		})
	}
}
