// Package jsontype names the JSON Schema type of a decoded JSON value, the
// one way findings, variant descriptions and messages say what a value is.
package jsontype

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Of returns the JSON Schema type of a value encoding/json decoded
// ("null", "boolean", "string", "integer", "number", "array", "object").
// Whole numbers are "integer", as JSON Schema counts them, whether decoded
// as float64 or as json.Number. Anything else is named by its Go type.
func Of(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case json.Number:
		if strings.ContainsAny(string(x), ".eE") {
			return "number"
		}
		return "integer"
	case float64:
		if x == math.Trunc(x) && !math.IsInf(x, 0) {
			return "integer"
		}
		return "number"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}
