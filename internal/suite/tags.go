package suite

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// godog (v0.16.0, internal/tags) reads a tag expression as alternatives
// separated by "," (or), each a list of tags joined by "&&" (and), each tag
// "@name" or "~@name" (not). It checks nothing: an empty tag makes it index
// out of range and panic, and Cucumber's "not @x" or "@a and @b" select
// nothing. checkTags refuses both before godog sees them.

// tagSyntax is godog's tag syntax as the errors spell it.
const tagSyntax = `godog's tag syntax is ~@tag (not), && (and), "," (or), e.g. "@smoke && ~@mutating"`

// tagTerm is one tag of an expression, spaces around it trimmed: godog
// drops every "@" and reads a leading "~" as not, so a name holds neither
// "@" nor a leading "~", and no space (a tag of a feature file has none).
var tagTerm = regexp.MustCompile(`^~?@[^\s\pZ@~][^\s\pZ@]*$`)

// cucumberSyntax tells whether expr uses the words or parentheses of
// Cucumber's tag expressions, which godog does not understand.
func cucumberSyntax(expr string) bool {
	if strings.ContainsAny(expr, "()") {
		return true
	}
	words := strings.FieldsFunc(expr, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '&' })
	for _, w := range words {
		switch strings.ToLower(w) {
		case "not", "and", "or":
			return true
		}
	}
	return false
}

// checkTags returns a usage error when expr is not a tag expression godog
// reads as written; "" (every scenario) is one.
func checkTags(expr string) error {
	if expr == "" {
		return nil
	}
	for _, alternative := range strings.Split(expr, ",") {
		for _, term := range strings.Split(alternative, "&&") {
			term = strings.TrimSpace(term)
			if tagTerm.MatchString(term) {
				continue
			}
			if cucumberSyntax(expr) {
				return fmt.Errorf("tag expression %q: %s; not, and, or and parentheses are Cucumber's", expr, tagSyntax)
			}
			return fmt.Errorf("tag expression %q: got %q where a tag belongs; %s", expr, term, tagSyntax)
		}
	}
	return nil
}
