package apispec

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Operation is one operation of the document.
type Operation struct {
	// Method is the upper-case HTTP method.
	Method string
	// Template is the path template as the spec writes it, e.g.
	// "/profiles/{profile_id}/applications".
	Template string
	// Item is the path item that holds the operation (its parameters apply).
	Item *openapi3.PathItem
	// Op is kin-openapi's operation.
	Op *openapi3.Operation
}

// Key names the operation as findings and reports do:
// "POST /profiles/{profile_id}/applications".
func (o Operation) Key() string { return o.Method + " " + o.Template }

// operationsOf lists the operations of t sorted by template, then method,
// so everything built from the list is built in the same order every run
// (kin-openapi hands paths and methods out as maps).
func operationsOf(t *openapi3.T) ([]Operation, map[string]*Operation) {
	var ops []Operation
	if t.Paths != nil {
		for _, template := range sortedKeys(t.Paths.Map()) {
			item := t.Paths.Value(template)
			if item == nil {
				continue
			}
			byMethod := item.Operations()
			for _, method := range sortedKeys(byMethod) {
				if op := byMethod[method]; op != nil {
					ops = append(ops, Operation{Method: strings.ToUpper(method), Template: template, Item: item, Op: op})
				}
			}
		}
	}
	byKey := make(map[string]*Operation, len(ops))
	for i := range ops {
		byKey[ops[i].Key()] = &ops[i]
	}
	return ops, byKey
}

// Operations lists the document's operations sorted by template, then
// method. The slice is shared: callers must not change it.
func (d *Document) Operations() []Operation { return d.ops }

// Operation finds an operation by its key, "METHOD /template".
func (d *Document) Operation(key string) (Operation, bool) {
	o := d.byKey[key]
	if o == nil {
		return Operation{}, false
	}
	return *o, true
}

// ResponseSchema returns the schema of the JSON response the operation
// with this key documents for status (see Response and JSONMediaType);
// nil when the operation, the status or a JSON body for it is not
// documented.
func (d *Document) ResponseSchema(key string, status int) *openapi3.SchemaRef {
	o := d.byKey[key]
	if o == nil {
		return nil
	}
	mt := JSONMediaType(Response(o.Op, status))
	if mt == nil {
		return nil
	}
	return mt.Schema
}

// Response returns the response an operation documents for status, as
// OpenAPI looks it up: the exact code, its range ("4XX"), then "default";
// nil when none.
func Response(op *openapi3.Operation, status int) *openapi3.Response {
	key := responseKey(op, status)
	if key == "" {
		return nil
	}
	return op.Responses.Value(key).Value
}

// responseKey is the key of the response op documents for status: the
// exact code, its range, then "default"; "" when none.
func responseKey(op *openapi3.Operation, status int) string {
	if op == nil || op.Responses == nil {
		return ""
	}
	code := strconv.Itoa(status)
	if op.Responses.Value(code) != nil {
		return code
	}
	if status > 99 && status < 600 {
		if r := code[:1] + "XX"; op.Responses.Value(r) != nil {
			return r
		}
	}
	if op.Responses.Value("default") != nil {
		return "default"
	}
	return ""
}

// JSONMediaType returns the response's JSON media type (the first, in
// sorted order, when it documents several), nil when it documents none.
func JSONMediaType(r *openapi3.Response) *openapi3.MediaType {
	if r == nil {
		return nil
	}
	_, mt := firstJSON(r.Content)
	return mt
}

// firstJSON returns the JSON media type of content whose key sorts first,
// in one pass: it is on the path of every response check, where sorting
// the keys would allocate.
func firstJSON(content openapi3.Content) (string, *openapi3.MediaType) {
	var key string
	var first *openapi3.MediaType
	found := false
	for k, mt := range content {
		if IsJSON(k) && (!found || k < key) {
			key, first, found = k, mt, true
		}
	}
	return key, first
}

// IsJSON reports whether a Content-Type (parameters allowed) is JSON:
// application/json or any "+json" type.
func IsJSON(contentType string) bool {
	return IsJSONMediaType(MediaType(contentType))
}

// IsJSONMediaType reports whether a bare, lower-case media type is JSON.
func IsJSONMediaType(mt string) bool {
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// MediaType returns the lower-case media type of a Content-Type header
// value, without parameters; "" when there is none.
func MediaType(contentType string) string {
	if contentType == "" {
		return ""
	}
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }

// ResponseSchema is the body schema of one numeric status an operation
// documents.
type ResponseSchema struct {
	// Operation is the operation that answers.
	Operation Operation
	// Status is the documented code, e.g. 200.
	Status int
	// Schema is the body's schema.
	Schema *openapi3.Schema
}

// ResponseSchemas lists, for every operation and every numeric status it
// documents (ranges and "default" name no code), the schema of the body
// served as mediaType, found as kin-openapi's Content.Get finds it (the
// exact type, then "type/*", then "*/*"). Sorted by operation, then
// status code as the spec writes it. The mock's tolerance mode reads the 2xx "application/json" ones.
func (d *Document) ResponseSchemas(mediaType string) []ResponseSchema {
	var out []ResponseSchema
	for _, o := range d.ops {
		if o.Op.Responses == nil {
			continue
		}
		byCode := o.Op.Responses.Map()
		for _, code := range sortedKeys(byCode) {
			n, err := strconv.Atoi(code)
			ref := byCode[code]
			if err != nil || ref == nil || ref.Value == nil {
				continue
			}
			if mt := ref.Value.Content.Get(mediaType); mt != nil && mt.Schema != nil && mt.Schema.Value != nil {
				out = append(out, ResponseSchema{Operation: o, Status: n, Schema: mt.Schema.Value})
			}
		}
	}
	return out
}

// FillTemplate returns a path template with every parameter ("{profile_id}")
// replaced by value, as a request to the operation would spell it.
func FillTemplate(template, value string) string {
	var b strings.Builder
	for {
		open := strings.IndexByte(template, '{')
		end := strings.IndexByte(template[max(open, 0):], '}')
		if open < 0 || end < 0 {
			b.WriteString(template)
			return b.String()
		}
		b.WriteString(template[:open])
		b.WriteString(value)
		template = template[open+end+1:]
	}
}
