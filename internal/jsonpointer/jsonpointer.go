// Package jsonpointer builds and reads RFC 6901 JSON pointers, the one
// way every package of the harness names a place in a JSON document:
// findings, drift observations, variant descriptions and the mock's error
// messages. The empty pointer "" is the whole document.
//
// It is not github.com/go-openapi/jsonpointer: that package resolves
// pointers into Go structs by reflection, which the harness never needs,
// and gives no templated ("*") or dotted forms; what the harness needs is
// a few string functions, and they fit in this file.
package jsonpointer

import (
	"strconv"
	"strings"
)

var (
	escaper   = strings.NewReplacer("~", "~0", "/", "~1")
	unescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

// Escape escapes one reference token: "~" → "~0", "/" → "~1".
func Escape(token string) string {
	if !strings.ContainsAny(token, "~/") {
		return token
	}
	return escaper.Replace(token)
}

// Unescape undoes Escape: "~1" → "/", "~0" → "~".
func Unescape(token string) string {
	if !strings.Contains(token, "~") {
		return token
	}
	return unescaper.Replace(token)
}

// Child appends one (unescaped) token to ptr.
func Child(ptr, token string) string { return ptr + "/" + Escape(token) }

// Index appends an array index to ptr.
func Index(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) }

// FromTokens builds a pointer from unescaped reference tokens (such as
// kin-openapi's SchemaError.JSONPointer); "" for none.
func FromTokens(tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(Escape(t))
	}
	return b.String()
}

// Tokens splits a pointer into its unescaped reference tokens; "" has none.
func Tokens(ptr string) []string {
	if ptr == "" {
		return nil
	}
	parts := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	for i, p := range parts {
		parts[i] = Unescape(p)
	}
	return parts
}

// Parent returns the pointer of the object or array that holds ptr:
// "/a/*/b" → "/a/*", "/a" → "".
func Parent(ptr string) string {
	if i := strings.LastIndexByte(ptr, '/'); i >= 0 {
		return ptr[:i]
	}
	return ""
}

// Last returns the unescaped last token of a pointer, "" for the root.
func Last(ptr string) string {
	if ptr == "" {
		return ""
	}
	return Unescape(ptr[strings.LastIndexByte(ptr, '/')+1:])
}

// Within reports whether ptr is p or points inside it.
func Within(ptr, p string) bool {
	return ptr == p || p == "" || strings.HasPrefix(ptr, p+"/")
}

// Templated writes every array index of ptr as "*", so that the same field
// of every item of a list is one place: "/applications/0/flags/2" is
// "/applications/*/flags/*". A token that only looks numeric ("007") is a
// map key and stays.
func Templated(ptr string) string {
	segs := strings.Split(ptr, "/")
	for i, s := range segs {
		if _, ok := ArrayIndex(s); i > 0 && ok {
			segs[i] = "*"
		}
	}
	return strings.Join(segs, "/")
}

// ArrayIndex parses an RFC 6901 array index: digits, no leading zero (and
// at most nine, so it fits an int everywhere).
func ArrayIndex(token string) (int, bool) {
	if token == "" || len(token) > 9 || (len(token) > 1 && token[0] == '0') {
		return 0, false
	}
	n := 0
	for i := 0; i < len(token); i++ {
		c := token[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// Dotted renders a pointer the way error messages name fields:
// "/applications/0/product" is "applications[0].product"; "" and "/" are
// "body".
func Dotted(ptr string) string {
	if ptr == "/" {
		return "body"
	}
	return DottedTokens(Tokens(ptr))
}

// DottedTokens is Dotted for unescaped tokens: "body" for none. A token of
// digits after the first is an array index, written "[i]".
func DottedTokens(tokens []string) string {
	if len(tokens) == 0 {
		return "body"
	}
	var b strings.Builder
	for _, tok := range tokens {
		if b.Len() > 0 && isDigits(tok) {
			b.WriteString("[" + tok + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(tok)
	}
	return b.String()
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}
