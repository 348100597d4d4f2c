package contract

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// build parses a spec through the document's owner, then checks and
// indexes it. Its errors are one line, without the "contract:" prefix the
// exported constructors add.
func build(raw []byte, opts Options) (*Validator, error) {
	doc, err := apispec.Parse(raw)
	if err != nil {
		return nil, parseError(err)
	}
	return buildFrom(doc, opts)
}

// parseError words apispec.Parse's error as the contract always has: "spec
// is empty", or a SpecError "cannot load spec: <first line>".
func parseError(err error) error {
	if le := (*apispec.LoadError)(nil); errors.As(err, &le) {
		return &SpecError{Reason: "cannot load spec", Err: le.Err}
	}
	return err
}

// buildFrom checks and indexes a parsed spec. It leaves src.OpenAPI() as
// it is, since other packages read it too: in lenient mode, a spec with a
// pattern Go's regexp cannot compile is checked on a private copy.
func buildFrom(src *apispec.Document, opts Options) (*Validator, error) {
	doc := src.OpenAPI()
	if doc.OpenAPI == "" {
		return nil, errors.New(`spec has no "openapi" version: got none, want 3.x`)
	}
	if doc.Paths == nil || doc.Paths.Len() == 0 {
		return nil, errors.New(`spec has no "paths": got none, want at least one operation`)
	}

	if err := aliasCycle(doc); err != nil {
		return nil, err
	}

	v := &Validator{src: src, hash: src.Hash()}
	if opts.Lenient && hasUncompilablePattern(doc) {
		private, err := src.Reparse()
		if err != nil {
			return nil, &SpecError{Reason: "cannot load spec", Err: err}
		}
		doc = private
		v.warnings = append(v.warnings, dropUncompilablePatterns(doc)...)
	}
	v.doc = doc
	v.extensible, v.strictEnums = src.ExtensibleEnums(), opts.StrictEnums
	if doc != src.OpenAPI() {
		v.extensible = apispec.ExtensibleSchemas(doc) // the copy's schemas are other pointers
	}
	if err := v.validateDoc(opts); err != nil {
		return nil, err
	}

	base, server, err := relativeServers(doc)
	if err != nil {
		return nil, err
	}
	v.base = base

	// Ids in PassFort's own guide fail RFC 4122's version check, so a user
	// spec's `format: uuid` is checked for the 8-4-4-4-12 hex shape only, with
	// these options (kin-openapi's default registry is global, and setting
	// the document's would change a document other packages share).
	formats := []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(docFormats)}
	var extra []openapi3.SchemaValidationOption
	if doc.IsOpenAPI31OrLater() {
		extra = append(extra, openapi3.EnableJSONSchema2020())
	}
	v.formats = formats
	v.respOpts = append(append([]openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.VisitAsResponse()}, formats...), extra...)
	v.reqOpts = append(append([]openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.VisitAsRequest()}, formats...), extra...)
	v.matchOpts = append(append([]openapi3.SchemaValidationOption{openapi3.FailFast(), openapi3.VisitAsResponse()}, formats...), extra...)
	if !usesReadWriteOnly(doc) {
		v.fastOpts = append(append([]openapi3.SchemaValidationOption{openapi3.FailFast()}, formats...), extra...)
	}
	v.filterOpts = &openapi3filter.Options{
		MultiError:              true,
		ExcludeRequestBody:      true, // bodies are decoded and checked by request.go
		AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
		SchemaValidationOptions: formats,
	}

	v.router, v.ops = newRouter(doc, server)
	if v.webhooks, err = webhookSchemas(doc); err != nil {
		return nil, err
	}
	if v.fastOpts != nil && !doc.IsOpenAPI31OrLater() {
		v.bodies = compileBodies(v.ops, v.router, docFormats)
	}
	v.patterns = describePatterns(doc)
	var warnings []string
	v.index, warnings = newSchemaIndex(doc)
	v.warnings = append(v.warnings, warnings...)
	return v, nil
}

// validateDoc runs kin-openapi's document checks. In lenient mode, failures of
// examples and defaults become warnings and the check is run again without
// them; anything else is still an error.
func (v *Validator) validateDoc(opts Options) error {
	ctx := context.Background()
	err := v.doc.Validate(ctx, openapi3.EnableMultiError())
	if err == nil {
		return nil
	}
	if !opts.Lenient {
		return &SpecError{Reason: "invalid spec", Err: err}
	}
	for _, e := range flattenMulti(err) {
		v.warnings = append(v.warnings, oneline.First(e.Error()))
	}
	if err := v.doc.Validate(ctx, openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation()); err != nil {
		return &SpecError{Reason: "invalid spec (even when lenient)", Err: err}
	}
	return nil
}

// SpecError is why a spec could not be used. Its message is one line; Err
// keeps kin-openapi's error (which may span lines) for errors.As.
type SpecError struct {
	// Reason says what failed: "cannot load spec", "invalid spec".
	Reason string
	// Err is the underlying kin-openapi error.
	Err error
}

// Error is the reason plus the first line of the first problem, and how many
// more there are.
func (e *SpecError) Error() string {
	errs := flattenMulti(e.Err)
	if len(errs) == 0 {
		return e.Reason
	}
	msg := e.Reason + ": " + oneline.First(errs[0].Error())
	if n := len(errs) - 1; n > 0 {
		msg += fmt.Sprintf(" (and %d more)", n)
	}
	return msg
}

// Unwrap returns the kin-openapi error.
func (e *SpecError) Unwrap() error { return e.Err }

func flattenMulti(err error) []error {
	if err == nil {
		return nil
	}
	// A type assertion, not errors.As: a MultiError wrapped in another error
	// (openapi3filter.RequestError) belongs to that error.
	if me, ok := err.(openapi3.MultiError); ok && len(me) > 0 {
		var out []error
		for _, e := range me {
			out = append(out, flattenMulti(e)...)
		}
		return out
	}
	return []error{err}
}

// relativeServers returns the base path of the first server and the
// server routes carry: the first one with its URL replaced by its path, so
// requests to any host (the mock, a sandbox) route. The document itself is
// left as it is (other packages read its servers).
func relativeServers(doc *openapi3.T) (string, *openapi3.Server, error) {
	server := &openapi3.Server{URL: "/"}
	if len(doc.Servers) == 0 {
		return "", server, nil
	}
	var base string
	for i, s := range doc.Servers {
		if s == nil {
			continue
		}
		raw := s.URL
		for name, sv := range s.Variables {
			if sv != nil {
				raw = strings.ReplaceAll(raw, "{"+name+"}", sv.Default)
			}
		}
		u, err := url.Parse(raw)
		if err != nil {
			return "", nil, fmt.Errorf("servers[%d]: url %q: %w", i, s.URL, err)
		}
		if i != 0 {
			continue // checked, as every server must parse; only the first routes
		}
		p := strings.TrimRight(u.Path, "/")
		base = p
		server = s
		if u.IsAbs() || u.Host != "" || strings.Contains(s.URL, "{") {
			server = &openapi3.Server{URL: p, Description: s.Description}
			if p == "" {
				server.URL = "/"
			}
		}
	}
	return base, server, nil
}

// hasUncompilablePattern reports whether a schema of doc has a pattern Go's
// regexp cannot compile, which lenient mode must change.
func hasUncompilablePattern(doc *openapi3.T) bool {
	found := false
	walkSchemas(doc, func(_ string, s *openapi3.SchemaRef) {
		if p := s.Value.Pattern; p != "" && !found {
			_, err := compilePattern(p)
			found = err != nil
		}
	})
	return found
}

// codepoint mirrors kin-openapi's rewrite of \uXXXX escapes (upper-case
// hex only), which Go's regexp spells \x{XXXX}, so a pattern is judged as
// kin-openapi compiles it.
var codepoint = regexp.MustCompile(`\\u([0-9A-F]{4})`)

func compilePattern(p string) (*regexp.Regexp, error) {
	return regexp.Compile(codepoint.ReplaceAllString(p, `\x{$1}`))
}

// dropUncompilablePatterns removes the patterns Go's regexp cannot compile
// (Perl lookahead and the like) and says so, one warning per schema.
func dropUncompilablePatterns(doc *openapi3.T) []string {
	var warnings []string
	walkSchemas(doc, func(ptr string, s *openapi3.SchemaRef) {
		if p := s.Value.Pattern; p != "" {
			if _, err := compilePattern(p); err != nil {
				if q, ok := rewriteTemperedDots(p); ok {
					warnings = append(warnings, fmt.Sprintf("%s: pattern %q checked as %q: Go's regexp has no Perl syntax `(?!`; each tempered dot (?!c). is the same as [^c\\n]", ptr, p, q))
					s.Value.Pattern = q
					return
				}
				warnings = append(warnings, fmt.Sprintf("%s: pattern %q not checked: Go's regexp cannot compile it: %s", ptr, p, oneline.First(strings.TrimPrefix(err.Error(), "error parsing regexp: "))))
				s.Value.Pattern = ""
			}
		}
	})
	return warnings
}

// temperedDot is the idiom "(?!c)." (any character but c), with c one
// literal character, an escaped punctuation character or a class escape
// (\d, \s, \w and their negations).
var temperedDot = regexp.MustCompile(`\(\?!(\\[^a-zA-Z0-9]|\\[dDsSwW]|[^\\()\[\]|?*+{}^$.])\)\.`)

// dotAll finds a flag group that turns on "s" (. matches \n), under which
// the rewrite would not be exact.
var dotAll = regexp.MustCompile(`\(\?[a-zA-Z]*s[a-zA-Z]*[-:)]`)

// rewriteTemperedDots rewrites each tempered dot "(?!c)." of a pattern
// into the character class "[^c\n]", which matches the same strings, and
// reports whether the result compiles. Any other lookaround is left alone
// (the pattern then still does not compile, and is dropped).
func rewriteTemperedDots(p string) (string, bool) {
	if !temperedDot.MatchString(p) || dotAll.MatchString(p) {
		return "", false
	}
	q := temperedDot.ReplaceAllString(p, `[^${1}\n]`)
	if _, err := compilePattern(q); err != nil {
		return "", false
	}
	return q, true
}

// aliasCycle finds component schemas that are only a $ref to one another
// (A is B, B is A): no value can be checked against them, and kin-openapi
// reports them as unresolved refs, which misleads.
func aliasCycle(doc *openapi3.T) error {
	if doc.Components == nil {
		return nil
	}
	const prefix = "#/components/schemas/"
	schemas := doc.Components.Schemas
	for _, name := range sortedKeys(schemas) {
		chain := []string{name}
		for cur := schemas[name]; cur != nil && strings.HasPrefix(cur.Ref, prefix); {
			next := strings.TrimPrefix(cur.Ref, prefix)
			if slices.Contains(chain, next) {
				return fmt.Errorf("unsupported: a reference cycle with no schema in between at %s%s: %s", prefix, name, strings.Join(append(chain, next), " -> "))
			}
			chain = append(chain, next)
			cur = schemas[next]
		}
	}
	return nil
}

// usesReadWriteOnly reports whether any schema of doc is readOnly or
// writeOnly, the only rules whose outcome depends on request or response mode.
func usesReadWriteOnly(doc *openapi3.T) bool {
	found := false
	_ = doc.WalkSchemas(func(_ string, s *openapi3.SchemaRef) error {
		if s.Value != nil && (s.Value.ReadOnly || s.Value.WriteOnly) {
			found = true
		}
		return nil
	})
	return found
}
