package variants_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/variants"
)

// mockParts are the read-only parts every mock of the test shares, built once.
type mockParts struct {
	validator *contract.Validator
	model     *lifecycle.Model
	catalog   *catalog.Catalog
}

func newMockParts(t *testing.T) mockParts {
	t.Helper()
	v, err := contract.Default()
	require.NoError(t, err, "contract")
	m, err := lifecycle.Default()
	require.NoError(t, err, "lifecycle")
	c, err := catalog.Default()
	require.NoError(t, err, "catalog")
	return mockParts{v, m, c}
}

func (p mockParts) fresh(t *testing.T) http.Handler {
	t.Helper()
	srv, err := mock.New(mock.Options{Seed: 7, AutomationDelay: -1, Validator: p.validator, Model: p.model, Catalog: p.catalog})
	require.NoError(t, err, "mock")
	return srv
}

// call sends one request to h with the mock's key and returns the answer.
func call(h http.Handler, method, path string, body string) (int, []byte) {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, "/4.0"+path, nil)
	} else {
		r = httptest.NewRequest(method, "/4.0"+path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	}
	r.Header.Set("apikey", mock.DefaultAPIKey)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

// send sends variant v to h as a client would. An id in the body that is
// the contract's example of a path parameter (a task, an image, a file, an
// event, a profile) stands for that parameter's fixture, as the path's does:
// bodies that name things by id name the fixtures.
func send(h http.Handler, v variants.Variant, examples map[string]string, fill variants.Fill) (int, []byte) {
	var r *http.Request
	if v.Body == nil {
		r = httptest.NewRequest(v.Method, "/4.0"+v.Path, nil)
	} else {
		body := v.Body
		for example, param := range examples {
			if real := fill(param); real != "" {
				body = bytes.ReplaceAll(body, []byte(example), []byte(real))
			}
		}
		r = httptest.NewRequest(v.Method, "/4.0"+v.Path, bytes.NewReader(body))
	}
	for k, val := range v.Header {
		r.Header.Set(k, val)
	}
	switch {
	case v.OmitKey:
	case v.Key != "":
		r.Header.Set("apikey", v.Key)
	default:
		r.Header.Set("apikey", mock.DefaultAPIKey)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.Bytes()
}

// setUp creates, with real requests, what operation opID needs to accept
// its valid variants, and returns the ids as a Fill: a profile (without
// forexo_basic for addProductApplication, so adding it is not a duplicate),
// its forexo_basic application (ready for a decision for
// updateProductApplication, rejected for revertProductApplicationDecision),
// its task and a resolved event.
func setUp(h http.Handler, opID string) (variants.Fill, error) {
	must := func(method, path, body string) (map[string]any, error) {
		status, b := call(h, method, path, body)
		if status != http.StatusOK {
			return nil, fmt.Errorf("set-up %s %s: got %d, want 200: %s", method, path, status, b)
		}
		var out map[string]any
		if err := json.Unmarshal(b, &out); err != nil {
			return nil, fmt.Errorf("set-up %s %s: %w", method, path, err)
		}
		return out, nil
	}
	body := `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"},"applications":[{"product":{"alias":"forexo_basic"}}]}`
	switch opID {
	case "addProductApplication":
		body = `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"}}`
	case "replaceCollectedData":
		// The contract's examples of collected data are a company's.
		body = `{"role":"COMPANY_CUSTOMER","collected_data":{"entity_type":"COMPANY"}}`
	}
	p, err := must(http.MethodPost, "/profiles", body)
	if err != nil {
		return nil, err
	}
	ids := map[string]string{"profile_id": str(p["id"])}
	if apps, _ := p["applications"].([]any); len(apps) > 0 {
		ids["application_id"] = str(apps[0].(map[string]any)["id"])
	}
	if tasks, _ := p["tasks"].([]any); len(tasks) > 0 {
		ids["task_id"] = str(tasks[0].(map[string]any)["id"])
	}
	pre := "/profiles/" + ids["profile_id"]
	ev, err := must(http.MethodPost, pre+"/events", `{"data":{"event_type":"PEP_FLAG"},"resolution":"MISMATCH"}`)
	if err != nil {
		return nil, err
	}
	ids["event_id"] = str(ev["id"])
	// One of everything else a path or a body can name: a complete check, a
	// document image, a file, a task note and a tag.
	for _, f := range []struct{ param, path, body, key string }{
		{"check_id", pre + "/checks?mode=sync", `{"check_type":"IDENTITY_CHECK"}`, "id"},
		{"document_image_id", pre + "/document_images", `{"data":"data:image/png;base64,iVBORw0KGgo="}`, "id"},
		{"file_id", pre + "/files", `{"data":"JVBERi0xLjQK","name":"a.pdf"}`, "id"},
		{"note_id", pre + "/tasks/" + ids["task_id"] + "/notes", `{"text":"a note"}`, "id"},
		{"tag_id", pre + "/tags", `{"name":"fixture"}`, "id"},
	} {
		if ids["task_id"] == "" && f.param == "note_id" {
			continue
		}
		out, err := must(http.MethodPost, f.path, f.body)
		if err != nil {
			return nil, err
		}
		ids[f.param] = str(out[f.key])
	}
	switch opID {
	case "updateProductApplication", "revertProductApplicationDecision":
		if _, err := must(http.MethodPost, pre+"/tasks/"+ids["task_id"], `{"state":"COMPLETED_PASS"}`); err != nil {
			return nil, err
		}
	}
	if opID == "revertProductApplicationDecision" {
		if _, err := must(http.MethodPost, pre+"/applications/"+ids["application_id"], `{"status":"REJECTED"}`); err != nil {
			return nil, err
		}
	}
	return func(param string) string { return ids[param] }, nil
}

func str(v any) string { s, _ := v.(string); return s }

// TestMockHonoursEveryVariant sends every variant of the contract to a fresh
// mock (its fixtures made with real requests first) and judges the answer.
func TestMockHonoursEveryVariant(t *testing.T) {
	doc := loadSpec(t)
	parts := newMockParts(t)
	names, err := operationIDs(doc)
	require.NoError(t, err)
	// The contract's example of each id path parameter, by value.
	examples := map[string]string{}
	for _, p := range doc.Components.Parameters {
		if ex, ok := p.Value.Example.(string); ok && p.Value.In == openapi3.ParameterInPath {
			examples[ex] = p.Value.Name
		}
	}
	var outcomes []variants.Outcome
	for _, opID := range names {
		// The number of variants does not depend on the fill.
		all, err := variants.Generate(doc, variants.Options{Seed: 3, Operations: []string{opID}})
		require.NoError(t, err, opID)
		for i := range all {
			h := parts.fresh(t)
			fill, err := setUp(h, opID)
			require.NoError(t, err, opID)
			vs, err := variants.Generate(doc, variants.Options{Seed: 3, Operations: []string{opID}, Fill: fill})
			require.NoError(t, err, opID)
			require.Len(t, vs, len(all), "%s: generation depends on the fill", opID)
			require.Equal(t, all[i].Name(), vs[i].Name(), "%s: generation depends on the fill: variant %d", opID, i)
			status, body := send(h, vs[i], examples, fill)
			outcomes = append(outcomes, variants.Judge(vs[i], status, body))
		}
	}
	failed := 0
	for _, o := range outcomes {
		if !assert.True(t, o.Pass, "%s: %s", o.Variant.Name(), o.Reason) {
			failed++
		}
	}
	if failed > 0 || testing.Verbose() {
		t.Logf("per-variant report:\n%s", variants.Report(outcomes))
	}
}

func operationIDs(doc *openapi3.T) ([]string, error) {
	var out []string
	for _, id := range variants.NamesOf(doc) {
		out = append(out, id)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no operations")
	}
	sortStrings(out)
	return out, nil
}
