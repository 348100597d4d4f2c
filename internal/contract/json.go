package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/apispec"
)

var errTrailingData = errors.New("unexpected data after the JSON value")

// decodeJSON decodes one JSON value and reports whether body was exactly that.
func decodeJSON(body []byte) (any, bool) {
	value, err := decodeJSONErr(body)
	return value, err == nil
}

// decodeJSONErr decodes one JSON value, numbers as json.Number so integers
// stay exact, and rejects trailing data. Bodies are decoded once, and the
// value shared by the schema check, the drift walk and the envelope check.
func decodeJSONErr(body []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var value any
	if err := dec.Decode(&value); err != nil {
		return nil, err
	}
	if len(trimSpace(body[dec.InputOffset():])) != 0 {
		return nil, errTrailingData
	}
	return value, nil
}

// mediaType returns the lower-case media type of a Content-Type header
// value, without parameters; "" when there is none.
func mediaType(contentType string) string { return apispec.MediaType(contentType) }

func isJSONMediaType(mt string) bool { return apispec.IsJSONMediaType(mt) }

// documentedMediaTypes lists a content map's media types for messages.
func documentedMediaTypes(c openapi3.Content) string {
	return strings.Join(sortedKeys(c), ", ")
}

// responseFor returns the response an operation documents for status: the
// exact code, its range ("4XX"), or "default"; nil when none.
func responseFor(op *openapi3.Operation, status int) *openapi3.Response {
	return apispec.Response(op, status)
}

// jsonMediaType returns the response's JSON media type, if it documents one.
func jsonMediaType(r *openapi3.Response) *openapi3.MediaType { return apispec.JSONMediaType(r) }

// responseSchema returns the schema of op's JSON response for status; nil
// when op, status or a JSON body for it is not documented.
func (v *Validator) responseSchema(op Operation, status int) *openapi3.SchemaRef {
	e := v.router.byOp[op.String()]
	if e == nil {
		return nil
	}
	mt := jsonMediaType(responseFor(e.kin, status))
	if mt == nil || mt.Schema == nil {
		return nil
	}
	return mt.Schema
}
