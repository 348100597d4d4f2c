// Package tolerance is tolerance mode (cmd/passfort-mock -tolerance): the
// mock serves what the contract allows but SDKs often mishandle, so an
// SDK's tests can prove it survives additive API changes. In every 2xx JSON
// answer, as the operation's response schema says:
//
//   - optional fields are left out (but arrays of enum strings, which
//     carry the unknown value below);
//   - nullable fields are null (and stay, when optional and null already);
//   - every documented object gets an undocumented field, "tolerance_probe"
//     (drift: undocumented-field);
//   - every array of enum strings gets a value the contract does not list,
//     "TOLERANCE_UNKNOWN_VALUE" (contract: outside-enum for a closed enum,
//     drift: unknown-enum-value for an extensible one, decision D54):
//     additive, so a client that ignores what it does not know loses nothing.
//
// Objects whose schema has oneOf or anyOf keep their fields (a branch may
// need them) but still get the extra field. Each answer changed is logged
// at Info with the JSON pointers of every change. The last two changes are
// drift and contract findings by design: keep this switch off for the
// conformance suite.
//
// Mode is an answer.Rewriter: compose it around the API with
// answer.Middleware.
package tolerance

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strconv"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/answer"
	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
)

// What tolerance mode adds.
const (
	// Field is the undocumented field every documented object gets.
	Field = "tolerance_probe"
	// EnumValue is the value every array of enum strings gets.
	EnumValue = "TOLERANCE_UNKNOWN_VALUE"
)

// Mode holds the response schemas of the contract, by operation and status.
type Mode struct {
	schemas map[string]*openapi3.Schema // "METHOD /template 200" → JSON body schema
	log     *slog.Logger
}

var _ answer.Rewriter = (*Mode)(nil)

// New reads the 2xx JSON response schemas of doc, the contract the mock
// serves (its validator's document, so the spec is parsed once); what the
// mode does is logged to log (nothing if nil).
func New(doc *apispec.Document, log *slog.Logger) (*Mode, error) {
	if doc == nil {
		return nil, errors.New("tolerance: no OpenAPI document")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	tol := &Mode{schemas: map[string]*openapi3.Schema{}, log: log}
	for _, r := range doc.ResponseSchemas("application/json") {
		if r.Status >= 200 && r.Status <= 299 {
			tol.schemas[fmt.Sprintf("%s %s %d", r.Operation.Method, r.Operation.Template, r.Status)] = r.Schema
		}
	}
	return tol, nil
}

// changes lists what tolerance mode did to one answer, as JSON pointers.
type changes struct {
	absent, null, extra, enum []string
}

func (c *changes) empty() bool {
	return len(c.absent)+len(c.null)+len(c.extra)+len(c.enum) == 0
}

// Rewrite changes doc as tolerance mode says and logs what it did.
func (t *Mode) Rewrite(r *http.Request, op string, status int, doc any) (int, any) {
	schema := t.schemas[op+" "+strconv.Itoa(status)]
	if schema == nil {
		return status, doc
	}
	var c changes
	doc = c.walk(doc, schema, "")
	if !c.empty() {
		answer.Log(t.log, "tolerance: served what the contract allows", r, "operation", op, "status", status,
			"absent", c.absent, "null", c.null, "extra", c.extra, "unknown_enum", c.enum)
	}
	return status, doc
}

// view is a schema with its allOf members merged: what an object must and
// may hold.
type view struct {
	props    map[string]*openapi3.Schema
	required map[string]bool
	branches bool // oneOf or anyOf somewhere: fields stay
	closed   bool // additionalProperties false: no extra field
	items    *openapi3.Schema
}

func viewOf(s *openapi3.Schema) view {
	v := view{props: map[string]*openapi3.Schema{}, required: map[string]bool{}}
	var add func(s *openapi3.Schema, depth int)
	add = func(s *openapi3.Schema, depth int) {
		if s == nil || depth > 8 {
			return
		}
		for k, p := range s.Properties {
			if p != nil && p.Value != nil && v.props[k] == nil {
				v.props[k] = p.Value
			}
		}
		for _, k := range s.Required {
			v.required[k] = true
		}
		if len(s.OneOf) > 0 || len(s.AnyOf) > 0 {
			v.branches = true
		}
		if s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has {
			v.closed = true
		}
		if s.Items != nil && s.Items.Value != nil && v.items == nil {
			v.items = s.Items.Value
		}
		for _, m := range s.AllOf {
			if m != nil {
				add(m.Value, depth+1)
			}
		}
	}
	add(s, 0)
	return v
}

// walk returns value changed as tolerance mode says for schema s; ptr is
// value's JSON pointer.
func (c *changes) walk(value any, s *openapi3.Schema, ptr string) any {
	v := viewOf(s)
	switch t := value.(type) {
	case map[string]any:
		if len(v.props) == 0 {
			return t // a free-form object: nothing is documented in it
		}
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ps := v.props[k]
			if ps == nil {
				continue
			}
			p := ptr + "/" + jsonpointer.Escape(k)
			switch {
			case v.branches:
				t[k] = c.walk(t[k], ps, p)
			case viewNullable(ps):
				if t[k] != nil {
					t[k] = nil
					c.null = append(c.null, p)
				}
			case isEnumArray(ps):
				t[k] = c.walk(t[k], ps, p) // kept, to carry an unknown value
			case !v.required[k]:
				delete(t, k)
				c.absent = append(c.absent, p)
			default:
				t[k] = c.walk(t[k], ps, p)
			}
		}
		if !v.closed {
			t[Field] = "an undocumented field: clients must ignore it"
			c.extra = append(c.extra, ptr+"/"+Field)
		}
		return t
	case []any:
		if v.items == nil {
			return t
		}
		for i := range t {
			t[i] = c.walk(t[i], v.items, ptr+"/"+strconv.Itoa(i))
		}
		if isStringEnum(v.items) {
			c.enum = append(c.enum, ptr+"/"+strconv.Itoa(len(t)))
			t = append(t, EnumValue)
		}
		return t
	}
	return value
}

// viewNullable reports whether a property may be null: nullable itself or
// through an allOf wrapper.
func viewNullable(s *openapi3.Schema) bool { return s != nil && s.Nullable }

// isEnumArray reports whether s is an array of string enums.
func isEnumArray(s *openapi3.Schema) bool {
	v := viewOf(s)
	return v.items != nil && isStringEnum(v.items)
}

// isStringEnum reports whether s (or an allOf member) is a string enum.
func isStringEnum(s *openapi3.Schema) bool {
	if s == nil {
		return false
	}
	if len(s.Enum) > 0 {
		_, ok := s.Enum[0].(string)
		return ok
	}
	for _, m := range s.AllOf {
		if m != nil && isStringEnum(m.Value) {
			return true
		}
	}
	return false
}
