package drift

import (
	"strings"

	"github.com/passfort-conformance/harness/internal/jsonpointer"
)

// JSON pointers (RFC 6901) and their templated form. A templated pointer
// writes "*" for every array index and every key of a documented map (a
// schema's additionalProperties), so the pointers of one response shape are
// the same in every response and in every run, whatever the ids and array
// lengths: "/approval_blockers/*/blocker_type", not "/approval_blockers/1/blocker_type".
// This is the form contract.Validator.DocumentedFields uses.

// shape templates the pointers of one operation's responses for one status.
// documented holds the templated pointers the spec documents there (nil when
// it documents none); a key is templated as "*" when its parent is a
// documented map and the key itself is not a documented property.
type shape struct {
	documented map[string]bool
}

// key returns the templated pointer of key k of the object at parent.
func (s shape) key(parent, k string) string {
	child := parent + "/" + jsonpointer.Escape(k)
	if s.documented[child] {
		return child
	}
	if s.documented[parent+"/*"] {
		return parent + "/*"
	}
	return child
}

// visitFunc sees one node of a body: its templated pointer, its value, and
// whether it is an object member (a field) rather than the root or an array
// item.
type visitFunc func(ptr string, value any, field bool)

// walk visits value and everything under it, depth first.
func (s shape) walk(value any, ptr string, field bool, visit visitFunc) {
	visit(ptr, value, field)
	switch x := value.(type) {
	case map[string]any:
		for k, c := range x {
			s.walk(c, s.key(ptr, k), true, visit)
		}
	case []any:
		for _, c := range x {
			s.walk(c, ptr+"/*", false, visit)
		}
	}
}

// template turns a concrete pointer into value into its templated form, and
// returns the value it points at. ok is false when the pointer does not
// resolve in value.
func (s shape) template(value any, ptr string) (templated string, at any, ok bool) {
	var b strings.Builder
	cur := value
	for _, t := range jsonpointer.Tokens(ptr) {
		switch x := cur.(type) {
		case map[string]any:
			c, found := x[t]
			if !found {
				return "", nil, false
			}
			parent := b.String()
			b.Reset()
			b.WriteString(s.key(parent, t))
			cur = c
		case []any:
			i, valid := jsonpointer.ArrayIndex(t)
			if !valid || i >= len(x) {
				return "", nil, false
			}
			b.WriteString("/*")
			cur = x[i]
		default:
			return "", nil, false
		}
	}
	return b.String(), cur, true
}

// guessTemplate templates a pointer without its body: all-digit tokens are
// taken for array indexes. Used only when no recorded response resolves it.
func (s shape) guessTemplate(ptr string) string {
	var b strings.Builder
	for _, t := range jsonpointer.Tokens(ptr) {
		if _, isIndex := jsonpointer.ArrayIndex(t); isIndex {
			b.WriteString("/*")
			continue
		}
		parent := b.String()
		b.Reset()
		b.WriteString(s.key(parent, t))
	}
	return b.String()
}
