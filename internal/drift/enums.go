package drift

import (
	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/spec"
)

// Enums knows, for each operation and response, the templated pointers whose
// schema lists an enum, so observations can record the values a target
// returns there (and a later run can tell a value that vanished). It is the
// enum index of the parsed spec (apispec.Document.Enums), the one
// contract.Validator.DocumentedEnums reads; it is immutable and safe for
// concurrent use.
//
// Analyze and Observe use the index of the embedded spec when the
// validator was built from it, and take WithEnums for another one.
type Enums = apispec.Enums

// embeddedEnums is the enum index of the document v was built from when
// that is the embedded spec, and nil otherwise (observations then record no
// enum values; pass WithEnums for another spec).
func embeddedEnums(v *contract.Validator) *Enums {
	if v == nil || v.Document() == nil {
		return nil
	}
	if v.Hash() != embeddedHash() {
		return nil
	}
	return v.Document().Enums()
}

// embeddedHash is the hash apispec gives the embedded spec.
func embeddedHash() string { return apispec.Hash(spec.OpenAPI) }
