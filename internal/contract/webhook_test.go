package contract

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

const statusChanged = `{"id":"0b6f3f0e-8d3c-4c36-9a54-8d2f0f1e2a33","event":"PRODUCT_STATUS_CHANGED","secret":"s3cret",
"timestamp":1764300000,"data":{"profile_id":"1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9","application_id":"2b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9",
"customer_ref":null,"new_status":"APPROVED","product":{"id":"3b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9","alias":"forexo_basic","name":"Forexo Basic"},
"apikey":{"name":"mock key"},"user":null}}`

func TestCheckWebhook(t *testing.T) {
	t.Parallel()
	v := embedded(t)
	require.Equal(t, []string{"CHECK_COMPLETED", "MANUAL_ACTION_REQUIRED", "PRODUCT_STATUS_CHANGED"}, v.WebhookEvents())
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(statusChanged), &m))
		f(m)
		return mustJSON(t, m)
	}
	data := func(m map[string]any) map[string]any { return m["data"].(map[string]any) }
	tests := []struct {
		name, event string
		body        []byte
		want        string // "kind rule pointer" of the one finding; "" for none
	}{
		{"valid", "PRODUCT_STATUS_CHANGED", []byte(statusChanged), ""},
		{"status outside the enum", "PRODUCT_STATUS_CHANGED", edit(func(m map[string]any) { data(m)["new_status"] = "DONE" }), "outside-enum enum /data/new_status"},
		{"missing application id", "PRODUCT_STATUS_CHANGED", edit(func(m map[string]any) { delete(data(m), "application_id") }), "missing-required required /data/application_id"},
		{"undocumented field", "PRODUCT_STATUS_CHANGED", edit(func(m map[string]any) { data(m)["surprise"] = 1 }), "undocumented-field properties /data/surprise"},
		{"not JSON", "PRODUCT_STATUS_CHANGED", []byte(`{"id":`), "schema-violation json "},
		{"unknown event", "TASK_STATE_CHANGED", []byte(statusChanged), "undocumented-operation operation "},
		{"a check's webhook without its check", "CHECK_COMPLETED", []byte(`{"id":"0b6f3f0e-8d3c-4c36-9a54-8d2f0f1e2a33","event":"CHECK_COMPLETED","secret":"s","timestamp":1,"data":{"profile_id":"1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"}}`), "missing-required required /data/check"},
		{"a manual action without its task", "MANUAL_ACTION_REQUIRED", []byte(`{"id":"0b6f3f0e-8d3c-4c36-9a54-8d2f0f1e2a33","event":"MANUAL_ACTION_REQUIRED","secret":"s","timestamp":1,"data":{"actions":[{"action_type":"COMPLETE_TASK","applications":[]}]}}`), "missing-required required /data/actions/0/task"},
	}
	for event, schema := range map[string]string{"PRODUCT_STATUS_CHANGED": "WebhookProductStatusChanged",
		"CHECK_COMPLETED": "WebhookCheckCompleted", "MANUAL_ACTION_REQUIRED": "WebhookManualActionRequired"} {
		example := mustJSON(t, v.doc.Components.Schemas[schema].Value.Example)
		tests = append(tests, struct {
			name, event string
			body        []byte
			want        string
		}{"the spec's own example of " + event, event, example, ""})
	}
	for _, tt := range tests {
		fs := v.CheckWebhook(tt.event, tt.body)
		var got []string
		for _, f := range fs {
			got = append(got, f.Kind+" "+f.Rule+" "+f.Pointer)
			assert.Contains(t, []finding.Class{finding.Contract, finding.Drift}, f.Class, "%s: finding %q", tt.name, f)
			assert.Equal(t, "WEBHOOK "+tt.event, f.Operation, "%s: finding %q", tt.name, f)
			assertOneLine(t, f.Message)
		}
		if tt.want == "" {
			assert.Empty(t, got, tt.name)
		} else {
			assert.Equal(t, []string{tt.want}, got, tt.name)
		}
	}
}

func TestWebhookSchemaErrors(t *testing.T) {
	t.Parallel()
	spec := func(ext string) string {
		return `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /x:
    get:
      responses:
        "200": {description: ok}
components:
  schemas:
    A: {type: object, x-webhook-event: ` + ext + `}
    B: {type: object, x-webhook-event: EVENT}
`
	}
	for ext, want := range map[string]string{"EVENT": "a second schema", "12": "want an event name"} {
		_, err := New([]byte(spec(ext)), Options{})
		if assert.Error(t, err, "x-webhook-event %s", ext) {
			assert.Contains(t, err.Error(), want, "x-webhook-event %s", ext)
			assertOneLine(t, err.Error())
		}
	}
}
