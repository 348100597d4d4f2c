package drift

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/spec"
)

// Enums knows, for each operation and response, the templated pointers whose
// schema lists an enum, so observations can record the values a target
// returns there (and a later run can tell a value that vanished). Build it
// once with LoadEnums; it is immutable and safe for concurrent use.
//
// contract.Validator does not expose its document, so Enums parses the spec
// itself; Analyze and Observe do that for the embedded spec, and take
// WithEnums for another one.
type Enums struct {
	// byOp maps "METHOD /template" to the response key ("200", "4XX",
	// "default") to the set of templated pointers with an enum.
	byOp map[string]map[string]map[string]bool
}

// LoadEnums parses an OpenAPI document and indexes its response enums.
func LoadEnums(raw []byte) (*Enums, error) {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return nil, errors.New("drift: load enums: spec is empty")
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, fmt.Errorf("drift: load enums: %s", firstLine(err.Error()))
	}
	e := &Enums{byOp: map[string]map[string]map[string]bool{}}
	if doc.Paths == nil {
		return e, nil
	}
	for template, item := range doc.Paths.Map() {
		if item == nil {
			continue
		}
		for method, op := range item.Operations() {
			if op == nil || op.Responses == nil {
				continue
			}
			byStatus := map[string]map[string]bool{}
			for code, ref := range op.Responses.Map() {
				if ref == nil || ref.Value == nil {
					continue
				}
				set := map[string]bool{}
				for ct, mt := range ref.Value.Content {
					if mt != nil && mt.Schema != nil && isJSON(ct) {
						collectEnums(mt.Schema.Value, "", nil, set)
					}
				}
				if len(set) > 0 {
					byStatus[code] = set
				}
			}
			if len(byStatus) > 0 {
				e.byOp[strings.ToUpper(method)+" "+template] = byStatus
			}
		}
	}
	return e, nil
}

// collectEnums adds to set the templated pointer of every schema under s
// (through allOf, oneOf, anyOf, properties, items and additionalProperties)
// that lists an enum. stack stops recursive schemas.
func collectEnums(s *openapi3.Schema, ptr string, stack []*openapi3.Schema, set map[string]bool) {
	if s == nil || slices.Contains(stack, s) {
		return
	}
	stack = append(stack, s)
	if len(s.Enum) > 0 {
		set[ptr] = true
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.OneOf, s.AnyOf} {
		for _, m := range group {
			if m != nil {
				collectEnums(m.Value, ptr, stack, set)
			}
		}
	}
	for name, p := range s.Properties {
		if p != nil {
			collectEnums(p.Value, ptr+"/"+escapeToken(name), stack, set)
		}
	}
	if s.Items != nil {
		collectEnums(s.Items.Value, ptr+"/*", stack, set)
	}
	if ap := s.AdditionalProperties.Schema; ap != nil {
		collectEnums(ap.Value, ptr+"/*", stack, set)
	}
}

// pointers returns the enum pointers of op's response for status, looked up
// as OpenAPI does: the exact code, its range ("4XX"), then "default".
func (e *Enums) pointers(op string, status int) map[string]bool {
	if e == nil {
		return nil
	}
	byStatus := e.byOp[op]
	if byStatus == nil {
		return nil
	}
	code := strconv.Itoa(status)
	if set, ok := byStatus[code]; ok {
		return set
	}
	if status >= 100 && status < 600 {
		if set, ok := byStatus[code[:1]+"XX"]; ok {
			return set
		}
	}
	return byStatus["default"]
}

// embeddedEnums indexes the embedded spec when v was built from it, and
// returns nil otherwise (observations then record no enum values; pass
// WithEnums for another spec).
func embeddedEnums(v *contract.Validator) *Enums {
	if v == nil {
		return nil
	}
	sum := sha256.Sum256(spec.OpenAPI)
	if v.Hash() != hex.EncodeToString(sum[:]) {
		return nil
	}
	e, err := LoadEnums(spec.OpenAPI)
	if err != nil {
		// The embedded spec loads in contract.Default; if it does not here
		// the validator could not have been built from it either.
		return nil
	}
	return e
}

func isJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	mt = strings.ToLower(strings.TrimSpace(mt))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
