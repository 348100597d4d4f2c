// Package contract checks HTTP exchanges against an OpenAPI contract.
//
// A Validator is built once from a spec (New, LoadFile, Default): the spec is
// parsed and validated with kin-openapi, its operations indexed for routing,
// and everything the checks need is computed up front. Its methods are then
// safe for concurrent use and never fail: what they see is returned as
// findings (internal/finding), one line each, with a JSON pointer into the
// body, never as an error or a multi-line dump.
//
// Files follow kin-openapi's openapi3filter: options.go (Options), load.go
// (checking a parsed spec, the lenient mode), router.go (operation lookup),
// response.go and request.go (the two checks), envelope.go (the error
// envelope rule), drift.go (undocumented fields), coverage.go (what the
// spec documents, for coverage), schemaindex.go (what the drift walk needs
// beyond kin-openapi: subtypes, pattern-keyed properties), messages.go and
// messages2020.go (OpenAPI 3.1: kin-openapi errors into findings),
// formats.go (uuid and the words for patterns), json.go (decoding bodies
// once, media types), compiled.go and compiled_check.go (request bodies
// judged from their bytes on the success path: kin-openapi's answer
// without decoding), webhook.go (webhook bodies, by the x-webhook-event of
// their schema). Parsing the spec is internal/apispec's job, and JSON
// pointers internal/jsonpointer's.
package contract

import (
	"fmt"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/boundedfile"
	"github.com/passfort-conformance/harness/spec"
)

// Validator checks exchanges against one OpenAPI document. Build it with New,
// LoadFile or Default and keep it: building is the expensive part. A
// Validator is immutable after construction and safe for concurrent use.
type Validator struct {
	// src is the parsed spec, shared with the other packages that read it.
	src *apispec.Document
	// doc is src's kin-openapi document, or a private copy of it when
	// lenient mode had to change patterns (load.go).
	doc      *openapi3.T
	hash     string
	warnings []string
	base     string // the servers' path prefix, e.g. "/4.0"; "" for none
	router   router
	ops      []Operation

	// formats checks the string formats of the spec (formats.go).
	formats []openapi3.SchemaValidationOption
	// Schema validation options, built once: responses, requests, and the
	// fail-fast variant the drift walk uses to pick oneOf/anyOf branches.
	respOpts  []openapi3.SchemaValidationOption
	reqOpts   []openapi3.SchemaValidationOption
	matchOpts []openapi3.SchemaValidationOption
	// fastOpts check a body for the success path: fail fast, no request or
	// response mode. That mode only matters for readOnly/writeOnly (and
	// default injection, which a check does not need), and it costs a deep
	// copy and a second visit of every oneOf/anyOf branch; fastOpts is nil
	// when the document uses readOnly or writeOnly.
	fastOpts []openapi3.SchemaValidationOption
	// bodies holds the request body schemas compiled for the success path
	// (compiled.go); nil when fastOpts is nil or the document is OpenAPI 3.1.
	bodies map[*openapi3.Schema]*compiled
	// filterOpts drives openapi3filter for request parameters.
	filterOpts *openapi3filter.Options
	// patterns maps each pattern of the spec to what it means in words
	// ("a UUID (8-4-4-4-12 hex)"), for findings.
	patterns map[string]string
	// index is what the drift walk needs beyond the schemas: subtypes of
	// discriminated bases, pattern-keyed properties.
	index schemaIndex
	// webhooks maps a webhook event to the schema of its body (webhook.go).
	webhooks map[string]*openapi3.SchemaRef
	// extensible holds the schemas of doc whose enum is vendor-extensible
	// (apispec.ExtensibleSchemas); strictEnums is Options.StrictEnums.
	extensible  map[*openapi3.Schema]bool
	strictEnums bool
}

// Operation names one operation of the spec.
type Operation struct {
	// ID is the operationId, "" when the spec gives none.
	ID string
	// Method is the upper-case HTTP method.
	Method string
	// Path is the path template below the base, e.g. "/profiles/{profile_id}/applications".
	Path string
}

// String renders the operation as findings and reports name it:
// "POST /profiles/{profile_id}/applications".
func (o Operation) String() string { return o.Method + " " + o.Path }

// New parses and validates an OpenAPI 3 document and builds its router. An
// absolute server URL is replaced by its path (e.g. "/4.0"), so any host
// routes. A broken spec gives a one-line error.
func New(doc []byte, opts Options) (*Validator, error) {
	v, err := build(doc, opts)
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	return v, nil
}

// FromDocument is New for a spec already parsed, so the contract, the
// drift detector and the variant generator share one parse of it. The
// document is not changed.
func FromDocument(doc *apispec.Document, opts Options) (*Validator, error) {
	v, err := buildFrom(doc, opts)
	if err != nil {
		return nil, fmt.Errorf("contract: %w", err)
	}
	return v, nil
}

// Document returns the parsed spec the Validator was built from, to hand
// to the other packages that read it.
func (v *Validator) Document() *apispec.Document { return v.src }

// LoadFile is New for a spec file.
func LoadFile(path string, opts Options) (*Validator, error) {
	b, err := boundedfile.Read(path, boundedfile.SpecLimit)
	if err != nil {
		return nil, fmt.Errorf("contract: read spec: %w", err)
	}
	v, err := build(b, opts)
	if err != nil {
		return nil, fmt.Errorf("contract: %s: %w", path, err)
	}
	return v, nil
}

// Default builds a Validator for the embedded spec/passfort-4.0.yaml. It
// caches nothing: callers keep the *Validator.
func Default() (*Validator, error) { return DefaultWith(Options{}) }

// DefaultWith is Default with options (StrictEnums).
func DefaultWith(opts Options) (*Validator, error) {
	v, err := build(spec.OpenAPI, opts)
	if err != nil {
		return nil, fmt.Errorf("contract: embedded spec/passfort-4.0.yaml: %w", err)
	}
	return v, nil
}

// Warnings lists what the Validator could not handle in the spec (most come
// from Lenient mode; non-standard constructs such as x-patternProperties are
// listed in any mode), one line each, with its location in the spec.
func (v *Validator) Warnings() []string { return slices.Clone(v.warnings) }

// Hash is the hex SHA-256 of the spec bytes the Validator was built from.
func (v *Validator) Hash() string { return v.hash }

// Operations lists every operation of the spec, sorted by path, then method.
func (v *Validator) Operations() []Operation { return slices.Clone(v.ops) }

// Operation finds the operation that serves method and path. Path is below the
// base ("/profiles/x/applications"), may start with the base ("/4.0/profiles/x/applications")
// and may carry a query.
func (v *Validator) Operation(method, path string) (Operation, bool) {
	e, _ := v.router.find(method, v.trimBase(path))
	if e == nil {
		return Operation{}, false
	}
	return e.op, true
}

// OperationName is Operation(method, path).String() without building the
// string: "" and false when no operation serves the request.
func (v *Validator) OperationName(method, path string) (string, bool) {
	e, _ := v.router.find(method, v.trimBase(path))
	if e == nil {
		return "", false
	}
	return e.name, true
}
