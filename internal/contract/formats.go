package contract

import (
	"github.com/passfort-conformance/harness/internal/idshape"

	"errors"
	"fmt"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// docFormats are the string formats every document is checked with, ahead
// of kin-openapi's global ones; the compiled body check reads the same map.
var docFormats = map[string]openapi3.StringFormatValidator{"uuid": uuidShape{}}

// uuidShape checks `format: uuid` as the 8-4-4-4-12 hex shape, without
// RFC 4122's version and variant digits: PassFort's ids fail those.
type uuidShape struct{}

var errNotUUID = errors.New("not a UUID (8-4-4-4-12 hex)")

// Validate implements openapi3.StringFormatValidator.
func (uuidShape) Validate(s string) error {
	if !idshape.IsUUID(s) {
		return errNotUUID
	}
	return nil
}

// Words for the formats findings name.
const (
	wantUUID     = "a UUID (8-4-4-4-12 hex)"
	wantDateTime = `a PassFort date "YYYY-MM-DD hh:mm:ss"`
	wantDate     = `a date "YYYY-MM-DD"`
)

// describePatterns maps each pattern of the spec to what it asks for in words,
// found by probing it with samples: the spec's UUID and DateTime patterns read
// "a UUID (8-4-4-4-12 hex)" and `a PassFort date "YYYY-MM-DD hh:mm:ss"`.
// Others read `a string matching "<pattern>"`.
func describePatterns(doc *openapi3.T) map[string]string {
	words := map[string]string{}
	_ = doc.WalkSchemas(func(_ string, s *openapi3.SchemaRef) error {
		p := s.Value.Pattern
		if p == "" {
			return nil
		}
		if _, done := words[p]; done {
			return nil
		}
		words[p] = patternWords(p)
		return nil
	})
	return words
}

func patternWords(p string) string {
	fallback := fmt.Sprintf("a string matching %q", p)
	re, err := compilePattern(p)
	if err != nil {
		return fallback
	}
	all := func(ss ...string) bool {
		for _, s := range ss {
			if !re.MatchString(s) {
				return false
			}
		}
		return true
	}
	none := func(ss ...string) bool {
		for _, s := range ss {
			if re.MatchString(s) {
				return false
			}
		}
		return true
	}
	switch {
	case all("a2c4393a-e219-67a4-5ab4-2186952e9038", "00000000-0000-0000-0000-000000000000") &&
		none("", "not-a-uuid", "a2c4393a", "a2c4393a-e219-67a4-5ab4-2186952e90381"):
		return wantUUID
	case all("2017-02-08 15:16:01") && none("", "2017-02-08", "2017-02-08T15:16:01Z", "2017-02-08T15:16:01"):
		return wantDateTime
	case all("2017-02-08") && none("", "2017-02-08 15:16:01", "2017-02-08T15:16:01Z", "20170208"):
		return wantDate
	}
	return fallback
}

// formatWords says what a `format` asks for.
func formatWords(format string) string {
	switch format {
	case "uuid":
		return wantUUID
	case "date-time":
		return `an RFC 3339 date-time "YYYY-MM-DDThh:mm:ssZ"`
	case "date":
		return wantDate
	case "email":
		return "an email address"
	case "byte":
		return "base64 data"
	}
	return fmt.Sprintf("format %q", format)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
