package variants_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/variants"
)

// TestSpecVariantCount pins a floor under the README's variant count: at least 200 distinct
// (operation, rule, location) variants on our contract.
func TestSpecVariantCount(t *testing.T) {
	doc := loadSpec(t)
	set, err := variants.GenerateSet(doc, variants.Options{Seed: 1})
	require.NoError(t, err)
	distinct := map[string]bool{}
	byRule := map[string]int{}
	byOp := map[string]int{}
	valid := 0
	for _, v := range set.Variants {
		distinct[v.Name()] = true
		byRule[v.Rule]++
		byOp[v.OperationID]++
		if v.Valid {
			valid++
		}
	}
	t.Logf("%d variants (%d valid, %d invalid), %d distinct (operation, rule, location), %d dropped",
		len(set.Variants), valid, len(set.Variants)-valid, len(distinct), len(set.Dropped))
	t.Logf("by rule:\n%s", table(byRule))
	t.Logf("by operation:\n%s", table(byOp))
	for _, d := range set.Dropped {
		t.Logf("dropped: %s", d)
	}
	assert.GreaterOrEqual(t, len(distinct), 200, "distinct (operation, rule, location)")
	// Every operation of the contract gets variants, and every operation
	// that needs a key gets both authentication variants.
	for id := range invert(variants.NamesOf(doc)) {
		assert.NotZero(t, byOp[id], "operation %s: got no variants", id)
	}
	for _, rule := range []string{variants.RuleMissingAPIKey, variants.RuleWrongAPIKey, variants.RuleValidMinimal} {
		assert.Equal(t, len(byOp), byRule[rule], "rule %s: want one variant per operation", rule)
	}
}

func table(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "  %-36s %4d\n", k, m[k])
	}
	return b.String()
}

func invert(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		out[v] = k
	}
	return out
}

// request builds the *http.Request a variant describes, below /4.0, with
// the apikey header set unless the variant omits it.
func request(t *testing.T, v variants.Variant, key string) *http.Request {
	t.Helper()
	r, err := http.NewRequest(v.Method, "/4.0"+v.Path, bytes.NewReader(v.Body))
	require.NoError(t, err, v.Name())
	if v.Body == nil {
		r.Body = http.NoBody
	}
	for k, val := range v.Header {
		r.Header.Set(k, val)
	}
	if key != "" {
		r.Header.Set("apikey", key)
	}
	return r
}

// TestSpecVariantsAgainstKinOpenAPI checks every variant with kin-openapi's
// own request validator, independent of how the package decided: valid
// variants (and those refused for a reason the schema cannot see: an
// unknown id, the body size, the key) pass it; every other invalid variant
// fails it.
func TestSpecVariantsAgainstKinOpenAPI(t *testing.T) {
	doc := loadSpec(t)
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	vs, err := variants.Generate(doc, variants.Options{Seed: 1})
	require.NoError(t, err)
	assert.Equal(t, len(vs), checkWithKin(t, router, vs), "routed variants: want all")
}

// checkWithKin checks each variant with openapi3filter.ValidateRequest and
// returns how many it could route. Valid variants, and invalid ones refused
// for a reason the schema cannot see (an unknown id, the body size, the
// key), must pass; every other invalid variant must fail.
func checkWithKin(t *testing.T, router routers.Router, vs []variants.Variant) int {
	t.Helper()
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	routed := 0
	for _, v := range vs {
		// Authentication variants are judged by the target, not the schema:
		// with the key put back they must be valid requests.
		r := request(t, v, "some-key")
		route, params, err := router.FindRoute(r)
		if err != nil {
			continue
		}
		routed++
		assert.Equal(t, v.Operation, route.Method+" "+route.Path, "%s: routed to", v.Name())
		err = openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
			Request: r, PathParams: params, Route: route, Options: opts,
		})
		var se *openapi3filter.SecurityRequirementsError
		if errors.As(err, &se) {
			continue // a scheme other than the apikey header: not ours to judge
		}
		schemaBlind := v.Valid || v.Rule == variants.RuleNotFound || v.Rule == variants.RuleTooLarge ||
			v.Rule == variants.RuleMissingAPIKey || v.Rule == variants.RuleWrongAPIKey
		if schemaBlind {
			assert.NoError(t, err, "%s (%s): kin-openapi refuses it, want accepted", v.Name(), v.Description)
		} else {
			assert.Error(t, err, "%s (%s): kin-openapi accepts it, want refused (a false positive)", v.Name(), v.Description)
		}
	}
	return routed
}

func firstLine(err error) string {
	s, _, _ := strings.Cut(err.Error(), "\n")
	return s
}

// TestSpecExpectationsAreDocumented checks every status a variant expects is
// documented for its operation: the expectations come from the contract.
func TestSpecExpectationsAreDocumented(t *testing.T) {
	doc := loadSpec(t)
	vs, err := variants.Generate(doc, variants.Options{Seed: 1})
	require.NoError(t, err)
	for _, v := range vs {
		method, tmpl, _ := strings.Cut(v.Operation, " ")
		op := doc.Paths.Value(tmpl).GetOperation(method)
		for _, s := range v.Expect.Statuses {
			assert.NotNil(t, op.Responses.Value(strconv.Itoa(s)), "%s: expects %d, which %s does not document", v.Name(), s, v.OperationID)
		}
		assert.NotEqual(t, v.Valid, v.Expect.Statuses[0] >= 400, "%s: valid %v but expects %s", v.Name(), v.Valid, v.Expect)
	}
}

// TestSpecDeterministic checks that a seed fixes the variants, their order
// and values; that another seed changes values but not the set; and that an
// operation's variants do not depend on which other operations are selected.
func TestSpecDeterministic(t *testing.T) {
	doc := loadSpec(t)
	gen := func(o variants.Options) []variants.Variant {
		t.Helper()
		vs, err := variants.Generate(doc, o)
		require.NoError(t, err)
		return vs
	}
	a, b := gen(variants.Options{Seed: 42}), gen(variants.Options{Seed: 42})
	require.Equal(t, a, b, "two generations with seed 42 differ")
	c := gen(variants.Options{Seed: 43})
	assert.Equal(t, names(a), names(c), "seeds 42 and 43: want the same set of variants with other values")
	assert.NotEqual(t, a, c, "seeds 42 and 43 give identical variants, want other generated values (unknown ids, enum misses, keys)")
	one := gen(variants.Options{Seed: 42, Operations: []string{"add a product application"}})
	var want []variants.Variant
	for _, v := range a {
		if v.OperationID == "addProductApplication" {
			want = append(want, v)
		}
	}
	assert.NotEmpty(t, one, "addProductApplication alone")
	assert.Equal(t, want, one, "addProductApplication alone: want its variants of the full generation")
}

func names(vs []variants.Variant) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = v.Name()
	}
	return out
}

// TestNames checks every operation has a unique human name that resolves
// back to it, and that Gherkin's shorter forms resolve.
func TestNames(t *testing.T) {
	doc := loadSpec(t)
	names := variants.Names()
	ops := 0
	for _, item := range doc.Paths.Map() {
		ops += len(item.Operations())
	}
	assert.Len(t, names, ops, "Names: want one per operation")
	seen := map[string]string{}
	for name, id := range names {
		assert.NotContains(t, seen, id, "operation %s has two names", id)
		seen[id] = name
		assert.Equal(t, strings.ToLower(name), name, "want lower case")
		got, err := variants.Resolve(doc, name)
		assert.NoError(t, err, "Resolve(%q)", name)
		assert.Equal(t, id, got, "Resolve(%q)", name)
	}
	for in, want := range map[string]string{
		"add a product application":                  "addProductApplication",
		"Add a product application to a profile":     "addProductApplication",
		"addProductApplication":                      "addProductApplication",
		"POST /profiles/{profile_id}/applications":   "addProductApplication",
		"post /profiles/{profile_id}/applications":   "addProductApplication",
		"update the status of a product application": "updateProductApplication",
		"mark a task as complete":                    "updateTask",
		"GET /profiles/{profile_id}/tasks/{task_id}": "getTask",
	} {
		got, err := variants.Resolve(doc, in)
		assert.NoError(t, err, "Resolve(%q)", in)
		assert.Equal(t, want, got, "Resolve(%q)", in)
	}
	for _, in := range []string{"get a", "frobnicate the profile", ""} {
		_, err := variants.Resolve(doc, in)
		assert.Error(t, err, "Resolve(%q)", in)
	}
	_, err := variants.Generate(doc, variants.Options{Operations: []string{"no such operation"}})
	assert.Error(t, err, "Generate with an unknown operation")
}

// TestUpstreamSpecs generates variants from PassFort's public descriptions
// (reference files outside the repository, skipped when absent): no error,
// and every valid variant and body mutation holds against the body schema
// (checked inside Generate, so here: valid variants pass kin-openapi's own
// request validation).
func TestUpstreamSpecs(t *testing.T) {
	dir := upstreamDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Skipf("no upstream specs in %s", dir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			parsed, err := apispec.Parse(data)
			if err != nil {
				t.Skipf("kin-openapi cannot load it: %v", err)
			}
			doc := parsed.OpenAPI()
			// A small body limit: too-large variants of 1 MiB each add nothing here.
			set, err := variants.GenerateSet(doc, variants.Options{Seed: 1, MaxBodyBytes: 4096})
			require.NoError(t, err)
			if err := doc.Validate(context.Background(), openapi3.DisableExamplesValidation()); err != nil {
				// Generation must survive a contract kin-openapi calls invalid
				// (above), but its verdicts cannot be checked against one.
				t.Skipf("%d variants, %d dropped; kin-openapi finds the contract invalid, so they are not checked: %v",
					len(set.Variants), len(set.Dropped), firstLine(err))
			}
			doc.Servers = openapi3.Servers{{URL: "/4.0"}}
			router, err := gorillamux.NewRouter(doc)
			require.NoError(t, err)
			checked := checkWithKin(t, router, set.Variants)
			t.Logf("%d variants, %d dropped, %d routed and checked", len(set.Variants), len(set.Dropped), checked)
		})
	}
}

// upstreamDir is ../shared/reference/upstream relative to the repository
// root (the directory holding go.mod).
func upstreamDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Skip(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			t.Skip(err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("no go.mod above the test directory")
		}
		dir = parent
	}
	return filepath.Join(dir, "..", "shared", "reference", "upstream")
}
