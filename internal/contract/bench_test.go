package contract

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
)

// The target is at most 50 µs to check a typical ~750-byte ProductApplication.

func BenchmarkCheckResponse(b *testing.B) {
	b.Run("mini", func(b *testing.B) {
		v := mini(b)
		benchResponse(b, v, compact(b, mustJSON(b, application(b))))
	})
	b.Run("passfort", func(b *testing.B) {
		v := embeddedB(b)
		app := specApplicationB(b, v)
		app["approval_blockers"] = append(app["approval_blockers"].([]any), map[string]any{"blocker_type": "UNRESOLVED_EVENT", "event_id": profileID})
		benchResponse(b, v, mustJSON(b, app))
	})
}

func benchResponse(b *testing.B, v *Validator, body []byte) {
	ex := jsonExchange(http.MethodPost, "/4.0"+createPath, 200, body)
	got := v.CheckResponse(ex)
	require.Empty(b, got, "the benchmark body is not valid: %s", lines(got))
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		v.CheckResponse(ex)
	}
}

// BenchmarkCheckRequest checks a valid request: the mock's success path,
// where the compiled body check answers without kin-openapi.
func BenchmarkCheckRequest(b *testing.B) {
	header := http.Header{"Content-Type": {"application/json"}}
	addApplication := []byte(`{"product":{"alias":"forexo_basic"}}`)
	createProfile := []byte(`{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL",` +
		`"customer_ref":"wrk-1-1","personal_details":{"name":{"given_names":["Ada"],"family_name":"Lovelace1"},` +
		`"dob":"1990-12-10","nationality":"GBR"}},"applications":[{"product":{"alias":"forexo_basic"}}]}`)
	passfort := func(tb testing.TB) *Validator { return embeddedB(tb.(*testing.B)) }
	for _, bc := range []struct {
		name, path string
		v          func(testing.TB) *Validator
		body       []byte
	}{
		{"mini/add-application", "/4.0" + createPath, mini, addApplication},
		{"passfort/add-application", "/4.0" + createPath, passfort, addApplication},
		{"passfort/create-profile", "/4.0/profiles", passfort, createProfile},
	} {
		b.Run(bc.name, func(b *testing.B) {
			v := bc.v(b)
			got := v.CheckRequest("POST", bc.path, header, bc.body)
			require.Empty(b, got, "the benchmark request is not valid: %s", lines(got))
			b.SetBytes(int64(len(bc.body)))
			b.ReportAllocs()
			for b.Loop() {
				v.CheckRequest("POST", bc.path, header, bc.body)
			}
		})
	}
}

func BenchmarkNew(b *testing.B) {
	raw := []byte(mustRead(b, "testdata/mini.yaml"))
	b.ReportAllocs()
	for b.Loop() {
		_, err := New(raw, Options{})
		require.NoError(b, err)
	}
}

func embeddedB(b *testing.B) *Validator {
	b.Helper()
	v, err := Default()
	if err != nil {
		b.Skipf("embedded spec: %v", err)
	}
	return v
}

func specApplicationB(b *testing.B, v *Validator) map[string]any {
	b.Helper()
	e := v.router.byOp["POST /profiles/{profile_id}/applications"]
	for _, body := range examples(e.kin.Responses.Status(200).Value.Content["application/json"]) {
		var m map[string]any
		require.NoError(b, json.Unmarshal(body, &m))
		return m
	}
	require.FailNow(b, "no example")
	return nil
}

func compact(tb testing.TB, body []byte) []byte {
	var buf bytes.Buffer
	require.NoError(tb, json.Compact(&buf, body))
	return buf.Bytes()
}
