package contract

import (
	"errors"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
)

// OpenAPI 3.1 documents are checked by kin-openapi with the JSON Schema
// 2020-12 validator (santhosh-tekuri/jsonschema), whose errors have another
// shape: one wrapper error ("jsonschema validation failed with ...") over a
// tree of causes, "required" reported once for all missing keys at the
// object, and reasons prefixed with their location. This file brings them to
// the shape messages.go describes, so a 3.1 spec reads like a 3.0 one.

// violations2020 unwraps a 2020-12 wrapper error into its causes. It reports
// false for errors that are not wrappers (including every 3.0 error).
func (v *Validator) violations2020(e *openapi3.SchemaError) ([]error, bool) {
	if e.SchemaField != "" && e.SchemaField != "$ref" && !strings.HasPrefix(e.Reason, "jsonschema validation failed") {
		return nil, false
	}
	inner := innerErrors(e)
	if len(inner) == 0 {
		return nil, false
	}
	return inner, true
}

// required2020 splits a 2020-12 "missing properties 'a', 'b'" error into one
// missing-required violation per key, at the key, as 3.0 reports them.
func required2020(e *openapi3.SchemaError) []violation {
	if e.SchemaField != "required" || e.Origin != nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(e, &ve) {
		return nil
	}
	k, ok := ve.ErrorKind.(*kind.Required)
	if !ok {
		return nil
	}
	ptr := jsonpointer.FromTokens(e.JSONPointer())
	out := make([]violation, 0, len(k.Missing))
	for _, name := range k.Missing {
		out = append(out, violation{finding.MissingRequired, "required", jsonpointer.Child(ptr, name), "value is required"})
	}
	return out
}

// trimLocation drops the location prefixes of a 2020-12 reason
// (`error at "/a": at '/a': value must be 'x'`): the finding's pointer says it.
func trimLocation(reason string) string {
	if rest, ok := strings.CutPrefix(reason, "error at "); ok {
		if i := strings.Index(rest, ": "); i >= 0 {
			reason = rest[i+2:]
		}
	}
	if rest, ok := strings.CutPrefix(reason, "at '"); ok {
		if i := strings.Index(rest, "': "); i >= 0 {
			reason = rest[i+3:]
		}
	}
	return reason
}
