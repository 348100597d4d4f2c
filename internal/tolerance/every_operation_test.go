package tolerance

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/mocktest"
)

// Tolerance mode follows the whole contract: every operation of the parsed
// document that documents a 2xx JSON body has its schema in the mode, and
// the mode's rewrite of each documented example is still what the
// contract allows, but for the changes it makes on purpose.
func TestToleranceCoversEveryOperation(t *testing.T) {
	t.Parallel()
	v := mocktest.Validator(t) // parsed once for the package's tests
	doc := v.Document()
	mode, err := New(doc, nil)
	require.NoError(t, err)
	rewritten := 0
	for _, o := range doc.Operations() {
		for code, ref := range o.Op.Responses.Map() {
			status, err := strconv.Atoi(code)
			if err != nil || status/100 != 2 || ref.Value == nil {
				continue
			}
			mt := ref.Value.Content.Get("application/json")
			if mt == nil || mt.Schema == nil {
				continue
			}
			key := o.Key() + " " + code
			require.Contains(t, mode.schemas, key, "tolerance mode has no schema for %s", key)
			for _, ex := range apispec.MediaTypeExamples(mt) {
				raw, err := json.Marshal(ex.Value)
				require.NoError(t, err)
				var body any
				require.NoError(t, json.Unmarshal(raw, &body))
				r := httptest.NewRequest(o.Method, "/4.0"+o.Template, nil)
				got, changed := mode.Rewrite(r, o.Key(), status, body)
				require.Equal(t, status, got)
				out, err := json.Marshal(changed)
				require.NoError(t, err)
				path := strings.NewReplacer("{", "", "}", "").Replace(o.Template)
				resp := &exchange.Exchange{Method: o.Method, Path: path, Status: status,
					ResponseHeader: http.Header{"Content-Type": {"application/json"}}, ResponseBody: out}
				for _, f := range v.CheckResponse(resp) {
					onPurpose := f.Kind == finding.UndocumentedField && strings.HasSuffix(f.Pointer, "/"+Field) ||
						(f.Kind == finding.OutsideEnum || f.Kind == finding.UnknownEnumValue) && strings.Contains(f.Message, EnumValue)
					assert.True(t, onPurpose, "%s example %q after tolerance: %s", key, ex.Name, f)
				}
				rewritten++
			}
		}
	}
	assert.Positive(t, rewritten, "no documented example was rewritten")
	t.Logf("%d documented examples rewritten", rewritten)
}
