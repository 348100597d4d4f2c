package suite

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/coverage"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/report"
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

// generatedVariants matches the features the variant generator writes:
// their refusals are the contract's rules replayed, not a scenario about
// the operation.
var generatedVariants = regexp.MustCompile(`(^|/)generated_variants[^/]*\.feature$`)

// authStatuses are the refusals of the key, which every operation has.
var authStatuses = map[int]bool{401: true, 403: true}

// negativeGaps lists, one line per gap, each operation of v that documents
// a 4xx other than 401 and 403 but that no scenario outside the generated
// variants' features received with such a status. authOnly lists the
// operations whose documented 4xx are auth ones only (nothing else to
// refuse), which need none.
func negativeGaps(run *report.Run, v *contract.Validator) (gaps, authOnly []string) {
	observed := map[string]map[int]bool{} // operation → statuses seen outside the generated features
	for _, f := range run.Features {
		if generatedVariants.MatchString(f.URI) {
			continue
		}
		for _, sc := range f.Scenarios {
			for _, st := range sc.Steps {
				for _, e := range st.Exchanges {
					op, ok := v.Operation(e.Method, e.Path)
					if !ok {
						continue
					}
					if observed[op.String()] == nil {
						observed[op.String()] = map[int]bool{}
					}
					observed[op.String()][e.Status] = true
				}
			}
		}
	}
	for _, op := range v.Operations() {
		var refusals []int
		for _, status := range v.DocumentedStatuses(op) {
			if status/100 == 4 && !authStatuses[status] {
				refusals = append(refusals, status)
			}
		}
		if len(refusals) == 0 {
			authOnly = append(authOnly, op.String())
			continue
		}
		if !slices.ContainsFunc(refusals, func(s int) bool { return observed[op.String()][s] }) {
			gaps = append(gaps, fmt.Sprintf("%s: no documented 4xx other than 401/403 from a scenario outside the generated variants (documented: %v)", op, refusals))
		}
	}
	sort.Strings(gaps)
	sort.Strings(authOnly)
	return gaps, authOnly
}

// The default suite (every feature, on the embedded mock) observes every
// operation of the contract with at least one documented 2xx and one
// documented 4xx: a positive and a negative scenario per operation.
// coverage.json says so in operations.by_operation; the same answer worked
// out from its items keeps the two honest. The same run shows every flag of
// the lifecycle model (lifecycle.flags).
func TestDefaultRunCoversEveryOperation(t *testing.T) {
	t.Parallel()
	res, dir := defaultRun(t)
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

	// A negative scenario of its own per operation: a documented refusal
	// other than the key's, from a scenario written about the operation.
	negGaps, authOnly := negativeGaps(res.Run, v)
	t.Logf("operations whose documented 4xx are 401/403 only (no negative scenario needed): %d\n\t%s", len(authOnly), strings.Join(authOnly, "\n\t"))
	assert.Empty(t, negGaps, "%d operation(s) without a negative scenario of their own:\n  %s", len(negGaps), strings.Join(negGaps, "\n  "))

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

// The negative check itself: a refusal counts only when it is not the key's
// and comes from a scenario outside the generated variants' features; an
// operation that documents only the key's refusals needs none.
func TestNegativeGaps(t *testing.T) {
	t.Parallel()
	v, err := contract.Default()
	require.NoError(t, err)
	const pid = "a2c4393a-e219-67a4-5ab4-2186952e9038"
	exchanges := func(pairs ...any) []report.Step {
		var st report.Step
		for i := 0; i+2 < len(pairs); i += 3 {
			st.Exchanges = append(st.Exchanges, exchange.Exchange{Method: pairs[i].(string), Path: pairs[i+1].(string), Status: pairs[i+2].(int)})
		}
		return []report.Step{st}
	}
	run := &report.Run{Features: []report.Feature{
		{URI: "features/events.feature", Scenarios: []report.Scenario{
			{Name: "a 404 of its own", Steps: exchanges("GET", "/profiles/"+pid+"/events", 404)},
			{Name: "the key's refusal", Steps: exchanges("GET", "/profiles/"+pid+"/applications", 401, "GET", "/whoami", 401)},
		}},
		{URI: "features/generated_variants_api.feature", Scenarios: []report.Scenario{
			{Name: "a generated refusal", Steps: exchanges("POST", "/profiles/"+pid+"/events", 400)},
		}},
	}}
	gaps, authOnly := negativeGaps(run, v)
	assert.Equal(t, []string{"GET /whoami"}, authOnly, "operations with the key's refusals only")
	joined := strings.Join(gaps, "\n")
	assert.NotContains(t, joined, "GET /profiles/{profile_id}/events:", "covered by a 404 of its own")
	assert.Contains(t, joined, "GET /profiles/{profile_id}/applications: no documented 4xx other than 401/403", "covered by a 401 only")
	assert.Contains(t, joined, "POST /profiles/{profile_id}/events: no documented 4xx other than 401/403", "covered by a generated variant only")
	assert.NotContains(t, joined, "GET /whoami", "documents the key's refusals only")
	assert.Len(t, gaps, len(v.Operations())-2, "every other operation is a gap in this run")
}
