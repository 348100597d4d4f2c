// Package variants derives negative and positive request variants from an
// OpenAPI contract: for each operation, requests that break exactly one rule
// of the contract at one location (a missing required field, a wrong type, a
// value outside an enum, a bad format, an over-long string, a wrong content
// type, a missing or wrong API key, an unknown or malformed path id, ...), and
// valid requests built from the contract's examples and schemas.
//
// Every variant carries the answer the contract promises for it (Expect), so
// Judge can tell whether a target honoured it and Report can render a readable
// per-variant table. Generation is deterministic for a seed.
//
// No false positives: every body a variant calls valid is checked against the
// request body schema, and every body mutation that still validates (say a
// field removed where another anyOf branch makes it optional) is dropped, not
// emitted as a rejection case. Path and query values are strings, as on the
// wire: "12" is an integer query value, not a wrong type.
package variants

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Rules a variant can break (or, for the valid-* rules, honour). The names
// appear in reports and Gherkin output; keep them stable.
const (
	// RuleMissingRequired removes one required body property.
	RuleMissingRequired = "missing-required"
	// RuleMissingBody sends no body to an operation that requires one.
	RuleMissingBody = "missing-body"
	// RuleWrongType sets a body value to a JSON type the schema does not allow,
	// or a query value to a string that does not parse as the parameter's type.
	RuleWrongType = "wrong-type"
	// RuleOutsideEnum sets a value outside the schema's enum.
	RuleOutsideEnum = "outside-enum"
	// RuleBadFormat sets a string that breaks the schema's pattern or format.
	RuleBadFormat = "bad-format"
	// RuleTooLong sets a string one character over maxLength.
	RuleTooLong = "too-long"
	// RuleTooShort sets a string one character under minLength.
	RuleTooShort = "too-short"
	// RuleBelowMinimum sets a number under the schema's minimum.
	RuleBelowMinimum = "below-minimum"
	// RuleAboveMaximum sets a number over the schema's maximum.
	RuleAboveMaximum = "above-maximum"
	// RuleTooFewItems sends an array with fewer than minItems items.
	RuleTooFewItems = "too-few-items"
	// RuleTooManyItems sends an array with more than maxItems items.
	RuleTooManyItems = "too-many-items"
	// RuleUnknownFieldClosed adds a property to an object whose schema sets
	// additionalProperties: false.
	RuleUnknownFieldClosed = "unknown-field-closed"
	// RuleWrongContentType sends a valid JSON body declared as text/plain.
	RuleWrongContentType = "wrong-content-type"
	// RuleMalformedJSON sends a body that is not JSON (a truncated valid body).
	RuleMalformedJSON = "malformed-json"
	// RuleTooLarge sends a valid body padded past the body-size limit.
	RuleTooLarge = "too-large"
	// RuleMissingAPIKey sends no apikey header.
	RuleMissingAPIKey = "missing-apikey"
	// RuleWrongAPIKey sends an apikey header with a key the target cannot know.
	RuleWrongAPIKey = "wrong-apikey"
	// RuleNotFound fills a path parameter with a well-formed id that names
	// nothing.
	RuleNotFound = "not-found"
	// RuleNotIDShaped fills a path parameter with a value its schema refuses.
	RuleNotIDShaped = "not-id-shaped"

	// RuleValidExample sends one of the operation's examples.
	RuleValidExample = "valid-example"
	// RuleValidMinimal sends the required fields only (and no optional
	// parameters).
	RuleValidMinimal = "valid-minimal"
	// RuleValidBoundary sends a numeric query parameter at its minimum or
	// maximum.
	RuleValidBoundary = "valid-boundary"
	// RuleValidUnknownField adds an unknown property to an open object body:
	// the contract says unknown fields are ignored, not refused.
	RuleValidUnknownField = "valid-unknown-field"
	// RuleValidNoBody sends no body to an operation whose body is optional.
	RuleValidNoBody = "valid-no-body"
	// RuleValidNull sends a JSON null body where the body schema is nullable.
	RuleValidNull = "valid-null"
)

// Variant is one request derived from the contract, and the answer the
// contract promises for it.
type Variant struct {
	// Operation is the method and path template, e.g.
	// "POST /profiles/{profile_id}/applications".
	Operation string
	// OperationID is the operation's operationId.
	OperationID string
	// Rule is what the variant breaks or, for valid-* rules, honours.
	Rule string
	// Location is where the rule is broken: a JSON pointer into the body
	// ("/product/alias"), "body" for the whole body, "query:limit",
	// "path:profile_id", "header:apikey", "header:Content-Type", or for
	// valid variants "example:<name>" or "" (the minimal request).
	Location string
	// Valid is true when the contract says the target accepts the request
	// (2xx), false when it must refuse it (4xx).
	Valid bool
	// Mutating is true for requests that may change data on the target (any
	// POST: an invalid one changes data only if the target wrongly accepts
	// it). Mutating variants go through the environment guard and the rate
	// limiter, and their scenarios are tagged @mutating.
	Mutating bool
	// Method is the HTTP method.
	Method string
	// Path is the request path below the API base (the spec's server URL,
	// e.g. /4.0), path parameters filled in and the query included.
	Path string
	// Header holds extra request headers, e.g. Content-Type. The API key is
	// not in it: see OmitKey and Key.
	Header map[string]string
	// OmitKey asks the sender to send no apikey header at all.
	OmitKey bool
	// Key, when not "", is the apikey value to send instead of the real one.
	Key string
	// Body is the request body; nil for none.
	Body []byte
	// Description is one line for the per-variant report, e.g.
	// `missing required "product"`.
	Description string
	// Expect is the answer the contract promises.
	Expect Expect
}

// Name is the variant's identity in reports: operation, rule and location.
func (v Variant) Name() string {
	loc := v.Location
	if loc == "" {
		loc = "-"
	}
	return v.Operation + " " + v.Rule + " " + loc
}

// Expect is the answer the contract promises for a variant.
type Expect struct {
	// Statuses are the acceptable response statuses.
	Statuses []int
	// Codes, when set, are the acceptable PassFort error codes: at least one
	// entry of the error envelope must carry one of them.
	Codes []int
}

// String renders the expectation as "400/101", "200" or "401/203|204".
func (e Expect) String() string {
	var b strings.Builder
	for i, s := range e.Statuses {
		if i > 0 {
			b.WriteByte('|')
		}
		b.WriteString(strconv.Itoa(s))
	}
	if len(e.Codes) > 0 {
		b.WriteByte('/')
		for i, c := range e.Codes {
			if i > 0 {
				b.WriteByte('|')
			}
			b.WriteString(strconv.Itoa(c))
		}
	}
	return b.String()
}

// PassFort error codes the decisions use.
const (
	codeMissingRequiredFields = 101
	codeInvalidInputData      = 201
	codeMissingAPIKey         = 203
	codeInvalidAPIKey         = 204
)

// isValidRule reports whether rule names a request the target must accept.
func isValidRule(rule string) bool { return strings.HasPrefix(rule, "valid-") }

// expectFor is the promised answer for a rule, from the contract's
// cross-cutting decisions D3 to D7 (docs/decisions.md): 400/101 for a
// missing required field, 400/201 for other invalid input, 401/203 and
// 401/204 for authentication, 404/201 for a path naming nothing, 413 and 415
// with code 201. Valid variants expect one of the operation's documented 2xx
// statuses.
func expectFor(rule string, success []int) Expect {
	one := func(status, code int) Expect { return Expect{Statuses: []int{status}, Codes: []int{code}} }
	switch rule {
	case RuleMissingRequired, RuleMissingBody:
		return one(http.StatusBadRequest, codeMissingRequiredFields)
	case RuleMissingAPIKey:
		return one(http.StatusUnauthorized, codeMissingAPIKey)
	case RuleWrongAPIKey:
		return one(http.StatusUnauthorized, codeInvalidAPIKey)
	case RuleNotFound, RuleNotIDShaped:
		return one(http.StatusNotFound, codeInvalidInputData)
	case RuleWrongContentType:
		return one(http.StatusUnsupportedMediaType, codeInvalidInputData)
	case RuleTooLarge:
		return one(http.StatusRequestEntityTooLarge, codeInvalidInputData)
	}
	if isValidRule(rule) {
		return Expect{Statuses: slices.Clone(success)}
	}
	return one(http.StatusBadRequest, codeInvalidInputData)
}

// Dropped is a variant generation considered and left out, with the reason:
// most often a mutation that still validates against the schema (so the
// target would be right to accept it), or a valid variant that does not.
type Dropped struct {
	// Operation is the method and path template.
	Operation string
	// Rule is the rule the variant would have had.
	Rule string
	// Location is where it would have applied.
	Location string
	// Reason says why it was left out, in one line.
	Reason string
}

// String renders the dropped variant as one line.
func (d Dropped) String() string {
	return fmt.Sprintf("%s %s %s: %s", d.Operation, d.Rule, d.Location, d.Reason)
}

// Set is the result of a generation: the variants and what was left out.
type Set struct {
	// Variants are sorted by operation, rule, location and description.
	Variants []Variant
	// Dropped lists the candidates left out, sorted the same way.
	Dropped []Dropped
}
