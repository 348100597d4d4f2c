package spec_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/passfort-conformance/harness/spec"
)

// TestContractHasEveryOperation pins the size of the contract: the 19
// lifecycle operations and the 30 beyond them make the 49 operations of the
// public API (the 2019 description's 48 and profile deletion, which only the
// later edition lists).
func TestContractHasEveryOperation(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	n := 0
	for _, item := range doc.Paths.Map() {
		n += len(item.Operations())
	}
	assert.Equal(t, len(wantOperations), n, "operations in spec/passfort-4.0.yaml")
	assert.Len(t, wantOperations, 49, "the expected surface")
}

// templateParam matches one path template parameter, "{profile_id}".
var templateParam = regexp.MustCompile(`\{[^}]*\}`)

// normalisedKey is "METHOD /path" with every path parameter written "{}", so
// operations compare whatever their parameters are called.
func normalisedKey(method, path string) string {
	return strings.ToUpper(method) + " " + templateParam.ReplaceAllString(path, "{}")
}

// upstreamOperation is one operation of an upstream description.
type upstreamOperation struct {
	file, method, path string
	params             []string // path parameter names, in template order
}

// upstreamOperations lists every operation of the JSON files in dir.
func upstreamOperations(t *testing.T, dir string) []upstreamOperation {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files, "upstream JSON files in %s", dir)
	var ops []upstreamOperation
	for _, f := range files {
		raw, err := os.ReadFile(f)
		require.NoError(t, err)
		var doc struct {
			Paths map[string]map[string]json.RawMessage `json:"paths"`
		}
		require.NoError(t, json.Unmarshal(raw, &doc), "decode %s", f)
		for path, item := range doc.Paths {
			for method := range item {
				switch method {
				case "get", "put", "post", "delete", "patch", "head", "options", "trace":
				default:
					continue // path-level parameters, summary, x- keys
				}
				ops = append(ops, upstreamOperation{
					file: filepath.Base(f), method: strings.ToUpper(method), path: path,
					params: templateParams(path),
				})
			}
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		return ops[i].method+ops[i].path+ops[i].file < ops[j].method+ops[j].path+ops[j].file
	})
	return ops
}

func templateParams(path string) []string {
	var names []string
	for _, m := range templateParam.FindAllString(path, -1) {
		names = append(names, strings.Trim(m, "{}"))
	}
	return names
}

// TestContractCoversUpstream finds every operation of PassFort's two public
// 4.0 descriptions in our contract, by method and path with parameter names
// normalised, and then checks the parameter names are PassFort's too. It
// needs ../shared/reference/upstream next to the repository and skips where
// that folder is absent.
func TestContractCoversUpstream(t *testing.T) {
	t.Parallel()
	dir := upstreamDir(t)
	doc := loadDoc(t)
	ours := map[string]string{} // normalised key -> our path
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			ours[normalisedKey(method, path)] = path
		}
	}
	ops := upstreamOperations(t, dir)
	union := map[string]bool{}
	for _, op := range ops {
		key := normalisedKey(op.method, op.path)
		union[key] = true
		ourPath, ok := ours[key]
		if !assert.True(t, ok, "%s %s (%s): not in spec/passfort-4.0.yaml", op.method, op.path, op.file) {
			continue
		}
		assert.Equal(t, op.params, templateParams(ourPath),
			"%s %s (%s): path parameter names", op.method, op.path, op.file)
	}
	assert.Len(t, union, 49, "distinct operations in the upstream descriptions")
}

// TestUpstreamOperationKeysNormalise guards the normalisation the coverage
// test relies on: parameter names do not matter, everything else does.
func TestUpstreamOperationKeysNormalise(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		a, b [2]string
		same bool
	}{
		"renamed parameter":   {[2]string{"get", "/p/{profile_id}/x/{image_id}"}, [2]string{"GET", "/p/{profile_id}/x/{document_image_id}"}, true},
		"other method":        {[2]string{"get", "/p/{id}"}, [2]string{"post", "/p/{id}"}, false},
		"literal segment":     {[2]string{"get", "/p/{id}/tags"}, [2]string{"get", "/p/{id}/tag"}, false},
		"parameter vs static": {[2]string{"get", "/p/{id}"}, [2]string{"get", "/p/id"}, false},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, c.same, normalisedKey(c.a[0], c.a[1]) == normalisedKey(c.b[0], c.b[1]))
		})
	}
}

// enumPolicy is the decided class of the enums the policy names; every other
// enum must simply declare one.
var enumPolicy = map[string]bool{
	"ProductApplicationStatus": false,
	"TaskState":                false,
	"ProfileStatus":            false,
	"ProfileRole":              false,
	"ProfileCategory":          false,
	"EventResolution":          false,
	"CheckState":               false,
	"DecisionClass":            false,
	"ErrorSource":              false,
	"DocumentImageType":        false,
	"TaskType":                 true,
	"CheckType":                true,
	"CheckResult":              true,
	"ProductApplicationFlag":   true,
	"ApprovalBlockerType":      true,
	"EventType":                true,
	"AuditAction":              true,
	"CollectionStepType":       true,
	"DocumentType":             true,
	"DocumentCategory":         true,
	"AssociatedRole":           true,
	"ErrorCode":                true,
}

// TestEnumsDeclareExtensibility holds the enum policy: every enum of the
// contract says with x-extensible-enum whether PassFort may extend it.
func TestEnumsDeclareExtensibility(t *testing.T) {
	t.Parallel()
	var tree any
	require.NoError(t, yaml.Unmarshal(spec.OpenAPI, &tree))
	enums := 0
	var walk func(ptr string, v any)
	walk = func(ptr string, v any) {
		switch x := v.(type) {
		case map[string]any:
			if _, ok := x["enum"]; ok {
				enums++
				ext, ok := x["x-extensible-enum"].(bool)
				assert.True(t, ok, "%s: enum without a boolean x-extensible-enum", ptr)
				if want, named := enumPolicy[strings.TrimPrefix(ptr, "/components/schemas/")]; named && ok {
					assert.Equal(t, want, ext, "%s: x-extensible-enum", ptr)
				}
			}
			for k, e := range x {
				walk(ptr+"/"+k, e)
			}
		case []any:
			for i, e := range x {
				walk(ptr+"/"+strconv.Itoa(i), e)
			}
		}
	}
	walk("", tree)
	assert.Greater(t, enums, len(enumPolicy), "enums found: the walk must reach them all")

	doc := loadDoc(t)
	for name, want := range enumPolicy {
		ref := doc.Components.Schemas[name]
		if !assert.NotNil(t, ref, "components.schemas.%s", name) {
			continue
		}
		assert.Equal(t, want, ref.Value.Extensions["x-extensible-enum"], "%s: the loaded extension", name)
	}
	assert.Contains(t, doc.Info.Description, "x-extensible-enum", "info.description documents the extension")
}

// TestNullableIsStrict holds the schema conventions strict tools need: a
// nullable schema has a type, and a nullable enum lists null.
func TestNullableIsStrict(t *testing.T) {
	t.Parallel()
	doc := loadDoc(t)
	seen := map[*openapi3.Schema]bool{}
	var visit func(ptr string, s *openapi3.Schema)
	visit = func(ptr string, s *openapi3.Schema) {
		if s == nil || seen[s] {
			return
		}
		seen[s] = true
		if s.Nullable {
			assert.NotNil(t, s.Type, "%s: nullable without a type", ptr)
			if len(s.Enum) > 0 {
				assert.Contains(t, s.Enum, nil, "%s: nullable enum without null", ptr)
			}
		}
		for name, p := range s.Properties {
			visit(ptr+"/properties/"+name, p.Value)
		}
		if s.Items != nil {
			visit(ptr+"/items", s.Items.Value)
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for i, m := range group {
				visit(ptr+"/xOf/"+strconv.Itoa(i), m.Value)
			}
		}
	}
	for name, ref := range doc.Components.Schemas {
		visit("/components/schemas/"+name, ref.Value)
	}
	assert.NotEmpty(t, seen)
}
