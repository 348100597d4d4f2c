package suite

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/features"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/coverage"
)

// opClasses is what a run's coverage says of one operation: which classes
// of status (2 for 2xx, 4 for 4xx) the contract documents for it, and
// which of those documented statuses the run received.
type opClasses struct {
	documented, observed map[int][]int // class → statuses
}

// classesByOperation reads coverage.json's operations × documented status
// items into one opClasses per operation.
func classesByOperation(cf *coverage.File) map[string]*opClasses {
	out := map[string]*opClasses{}
	for _, it := range cf.Operations.Items {
		o := out[it.Operation]
		if o == nil {
			o = &opClasses{documented: map[int][]int{}, observed: map[int][]int{}}
			out[it.Operation] = o
		}
		class := it.Status / 100
		o.documented[class] = append(o.documented[class], it.Status)
		if it.Count > 0 {
			o.observed[class] = append(o.observed[class], it.Status)
		}
	}
	return out
}

// missingClasses lists, one line per gap, each operation the run did not
// observe with a documented 2xx and a documented 4xx.
func missingClasses(ops map[string]*opClasses) []string {
	var lines []string
	for name, o := range ops {
		for _, class := range []int{2, 4} {
			if len(o.observed[class]) == 0 {
				lines = append(lines, fmt.Sprintf("%s: no documented %dxx observed (documented: %v)", name, class, o.documented[class]))
			}
		}
	}
	sort.Strings(lines)
	return lines
}

// The default suite (every feature, on the embedded mock) observes every
// operation of the contract with at least one documented 2xx and one
// documented 4xx: a positive and a negative scenario per operation.
// coverage.json says so in operations.by_operation; the same answer worked
// out from its items keeps the two honest. The same run shows every flag of
// the lifecycle model (lifecycle.flags).
func TestDefaultRunCoversEveryOperation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res, err := Run(Config{Features: features.FS, Paths: []string{"."}, FeatureBase: "features", Seed: 1, Output: io.Discard, ReportsDir: dir})
	require.NoError(t, err)
	raw, err := os.ReadFile(filepath.Join(dir, coverage.FileName))
	require.NoError(t, err, "coverage.json")
	var cf coverage.File
	require.NoError(t, json.Unmarshal(raw, &cf), "coverage.json")

	v, err := contract.Default()
	require.NoError(t, err)
	ops := classesByOperation(&cf)
	byOp := map[string]coverage.OperationClasses{}
	for _, o := range cf.Operations.ByOperation {
		byOp[o.Operation] = o
	}
	for _, o := range v.Operations() {
		require.Contains(t, ops, o.String(), "coverage.json items list no documented status of %s", o)
		require.Contains(t, byOp, o.String(), "coverage.json by_operation has no %s", o)
	}
	require.Len(t, ops, len(v.Operations()), "coverage.json: operations the contract does not have")
	require.Len(t, byOp, len(v.Operations()), "coverage.json by_operation: operations the contract does not have")

	var gaps []string
	for _, o := range cf.Operations.ByOperation {
		if !o.Observed2xx {
			gaps = append(gaps, fmt.Sprintf("%s: no documented 2xx observed (documented: %v)", o.Operation, o.Documented2xx))
		}
		if !o.Observed4xx {
			gaps = append(gaps, fmt.Sprintf("%s: no documented 4xx observed (documented: %v)", o.Operation, o.Documented4xx))
		}
	}
	sort.Strings(gaps)
	c := res.Run.Count()
	assert.Empty(t, gaps, "%d gap(s) in a default run (%d of %d scenarios failed):\n  %s", len(gaps), c.Failed, c.Total, strings.Join(gaps, "\n  "))
	assert.Equal(t, len(v.Operations()), cf.Operations.Both2xx4xx, "coverage.json both_2xx_4xx")
	assert.Equal(t, missingClasses(ops), gaps, "by_operation and the items disagree")

	// Every flag of the lifecycle model shows in a default run.
	var unseen []string
	for _, it := range cf.Lifecycle.Flags.Items {
		if it.Count == 0 {
			unseen = append(unseen, it.Name)
		}
	}
	assert.Empty(t, unseen, "lifecycle flags a default run never observed")
	assert.Equal(t, cf.Lifecycle.Flags.Modelled, cf.Lifecycle.Flags.Observed, "coverage.json lifecycle.flags")
}

// The check itself: an operation seen only with a 2xx, or only with an
// undocumented status, is a gap.
func TestMissingClasses(t *testing.T) {
	t.Parallel()
	cf := &coverage.File{Operations: coverage.Operations{Items: []coverage.OpStatus{
		{Operation: "GET /a", Status: 200, Count: 3},
		{Operation: "GET /a", Status: 404, Count: 1},
		{Operation: "POST /b", Status: 200, Count: 2},
		{Operation: "POST /b", Status: 400, Count: 0},
		{Operation: "POST /b", Status: 404, Count: 0},
		{Operation: "GET /c", Status: 200, Count: 0},
		{Operation: "GET /c", Status: 401, Count: 5},
	}}}
	assert.Equal(t, []string{
		"GET /c: no documented 2xx observed (documented: [200])",
		"POST /b: no documented 4xx observed (documented: [400 404])",
	}, missingClasses(classesByOperation(cf)))
}
