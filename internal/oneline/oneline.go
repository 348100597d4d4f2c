// Package oneline puts text on one line, for what must stay one line:
// findings, error messages, console and report lines. Multi-line text comes
// from kin-openapi, YAML and JSON errors, step errors and the target's
// answers.
package oneline

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Fold joins s's words with single spaces: line breaks, tabs and runs of
// spaces become one space, and leading and trailing space goes.
func Fold(s string) string {
	if folded(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}

// folded reports whether Fold would return s as it is: ASCII text with no
// space other than single spaces between words.
func folded(s string) bool {
	prevSpace := true // a leading space is not folded
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 0x80 || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

// First returns s's first non-empty line, trimmed.
func First(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = strings.TrimSpace(s[:i])
	}
	return s
}

// Clip cuts s to at most n bytes on a rune boundary, marking the cut with
// "...", for a snippet of a body or a value in a message.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "..."
	cut := max(n-len(more), 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + more
}

// Count is n and the noun one, made plural with an "s" unless n is 1:
// "1 request", "2 requests", "0 requests".
func Count(n int, one string) string { return CountAs(n, one, one+"s") }

// CountAs is Count for a noun whose plural is not one+"s":
// CountAs(2, "entry", "entries") is "2 entries".
func CountAs(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
