package contract

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/passfort-conformance/harness/internal/finding"
)

const statusChanged = `{"id":"0b6f3f0e-8d3c-4c36-9a54-8d2f0f1e2a33","event":"PRODUCT_STATUS_CHANGED","secret":"s3cret",
"timestamp":1764300000,"data":{"profile_id":"1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9","application_id":"2b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9",
"customer_ref":null,"new_status":"APPROVED","product":{"id":"3b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9","alias":"forexo_basic","name":"Forexo Basic"},
"apikey":{"name":"mock key"},"user":null}}`

func TestCheckWebhook(t *testing.T) {
	t.Parallel()
	v := embedded(t)
	if got := v.WebhookEvents(); len(got) != 1 || got[0] != "PRODUCT_STATUS_CHANGED" {
		t.Fatalf("webhook events: %v, want [PRODUCT_STATUS_CHANGED]", got)
	}
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal([]byte(statusChanged), &m); err != nil {
			t.Fatal(err)
		}
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
		{"unknown event", "CHECK_COMPLETED", []byte(statusChanged), "undocumented-operation operation "},
	}
	example := mustJSON(t, v.doc.Components.Schemas["WebhookProductStatusChanged"].Value.Example)
	tests = append(tests, struct {
		name, event string
		body        []byte
		want        string
	}{"the spec's own example", "PRODUCT_STATUS_CHANGED", example, ""})
	for _, tt := range tests {
		fs := v.CheckWebhook(tt.event, tt.body)
		var got []string
		for _, f := range fs {
			got = append(got, f.Kind+" "+f.Rule+" "+f.Pointer)
			if (f.Class != finding.Contract && f.Class != finding.Drift) || f.Operation != "WEBHOOK "+tt.event || strings.ContainsAny(f.Message, "\r\n") {
				t.Errorf("%s: finding %q: want a one-line contract or drift finding of WEBHOOK %s", tt.name, f, tt.event)
			}
		}
		switch {
		case tt.want == "" && len(fs) != 0:
			t.Errorf("%s: %q, want none", tt.name, got)
		case tt.want != "" && (len(fs) != 1 || got[0] != tt.want):
			t.Errorf("%s: %q, want [%s]", tt.name, got, tt.want)
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
		if _, err := New([]byte(spec(ext)), Options{}); err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("x-webhook-event %s: %v, want one line saying %q", ext, err, want)
		}
	}
}
