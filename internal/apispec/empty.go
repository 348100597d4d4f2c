package apispec

import "github.com/getkin/kin-openapi/openapi3"

// EmptyObjectKey is the vendor extension by which an object schema says it
// is always empty (the `{}` of a delete, an approve, a reject): every key in
// it is undocumented, so drift reports one, where an object schema that
// lists no properties is otherwise free-form (decision D122,
// docs/decisions.md).
const EmptyObjectKey = "x-empty-object"

// IsEmptyObject reports whether s marks itself always empty.
func IsEmptyObject(s *openapi3.Schema) bool { return s != nil && extensionIsTrue(s, EmptyObjectKey) }
