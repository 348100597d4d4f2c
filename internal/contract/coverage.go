package contract

import (
	"slices"
	"strconv"

	"github.com/passfort-conformance/harness/internal/apispec"
)

// DocumentedStatuses returns the numeric status codes the spec documents for
// op, ascending. Ranges ("4XX") and "default" name no code and are left out.
// Nil when op is not documented.
func (v *Validator) DocumentedStatuses(op Operation) []int {
	e := v.router.byOp[op.String()]
	if e == nil || e.kin.Responses == nil {
		return nil
	}
	var out []int
	for code := range e.kin.Responses.Map() {
		if n, err := strconv.Atoi(code); err == nil {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// EnumField is a response field whose schema lists its values; Pointer is
// templated like DocumentedFields: "/approval_blockers/*/blocker_type".
type EnumField = apispec.EnumField

// DocumentedEnums lists the fields of op's JSON response for status whose
// schema lists an enum, sorted by pointer. Like DocumentedFields it follows
// $ref, allOf and every oneOf/anyOf branch; a pointer two branches give
// different lists has the union. Nil when nothing is documented. It reads
// the enum index of the spec's document (apispec.Enums), the one the drift
// detector records values with.
func (v *Validator) DocumentedEnums(op Operation, status int) []EnumField {
	return slices.Clone(v.src.Enums().Fields(op.String(), status))
}

// EnumValue renders a decoded JSON value as DocumentedEnums lists values:
// a string as it is, anything else as JSON.
func EnumValue(val any) string { return apispec.EnumValue(val) }
