package contract

import (
	"strconv"
	"strings"
)

// RFC 6901 JSON pointers. The empty pointer is the whole document.

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// escapeToken escapes one reference token: "~" → "~0", "/" → "~1".
func escapeToken(t string) string {
	if !strings.ContainsAny(t, "~/") {
		return t
	}
	return pointerEscaper.Replace(t)
}

// childPointer appends one (unescaped) token to ptr.
func childPointer(ptr, token string) string { return ptr + "/" + escapeToken(token) }

// indexPointer appends an array index to ptr.
func indexPointer(ptr string, i int) string { return ptr + "/" + strconv.Itoa(i) }

// pointerOf builds a pointer from kin-openapi's unescaped path tokens
// (SchemaError.JSONPointer).
func pointerOf(tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(escapeToken(t))
	}
	return b.String()
}

// within reports whether ptr is p or points inside it.
func within(ptr, p string) bool {
	return ptr == p || p == "" || strings.HasPrefix(ptr, p+"/")
}
