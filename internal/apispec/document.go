// Package apispec owns the OpenAPI document of a run: it parses the spec
// once and hands the parsed document to every package that reads it (the
// contract validator, the drift detector, the variant generator, the
// variant steps and the mock's tolerance mode), with what several of them
// need computed once: the operations in a stable order, the response
// schema of an operation and status, the enum index and the examples.
//
// A Document is read-only once parsed. A consumer that must change the
// kin-openapi document (the contract's lenient mode drops patterns Go's
// regexp cannot compile) takes a private copy with Reparse, so what the
// others read is always the spec as written.
//
// Files: document.go (parsing), operations.go (operations and response
// schemas), enums.go (the enum index), extensible.go (which enums are
// vendor-extensible), examples.go (the examples of
// parameters and bodies).
package apispec

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/spec"
)

// ErrEmpty is Parse's error for a spec with nothing but white space.
var ErrEmpty = errors.New("spec is empty")

// LoadError is why kin-openapi could not load a spec. Err keeps
// kin-openapi's error, which may span lines; Error gives its first line.
type LoadError struct {
	// Err is kin-openapi's error.
	Err error
}

// Error is the first line of kin-openapi's error.
func (e *LoadError) Error() string { return oneline.First(e.Err.Error()) } // cuts kin-openapi's "Schema:\n  {...}" dumps

// Unwrap returns kin-openapi's error.
func (e *LoadError) Unwrap() error { return e.Err }

// Document is one parsed OpenAPI document. Build it with Parse or Embedded
// and share it: parsing is the expensive part. It is immutable after Parse
// and safe for concurrent use.
type Document struct {
	raw   []byte
	hash  string
	t     *openapi3.T
	ops   []Operation
	byKey map[string]*Operation
	enums *Enums
	// extensible holds the schemas whose enum is vendor-extensible
	// (extensible.go).
	extensible map[*openapi3.Schema]bool
}

// Parse parses an OpenAPI document. It only loads it (resolving its
// $refs; references to other files are refused, a spec is one
// self-contained file) and indexes it: whether the document is a usable
// contract is the contract package's check. An empty spec gives ErrEmpty,
// one kin-openapi cannot load a *LoadError.
func Parse(raw []byte) (*Document, error) {
	if len(strings.TrimSpace(string(raw))) == 0 {
		return nil, ErrEmpty
	}
	// The shape check decodes the YAML once more (a third of a parse): the
	// embedded spec is ours, held under the limits by TestCheckShape, so
	// only other specs pay for it.
	if !bytes.Equal(raw, spec.OpenAPI) {
		if err := CheckShape(raw); err != nil {
			return nil, &LoadError{Err: err}
		}
	}
	t, err := load(raw)
	if err != nil {
		return nil, err
	}
	d := &Document{raw: raw, hash: Hash(raw), t: t}
	d.ops, d.byKey = operationsOf(t)
	d.enums = indexEnums(d.ops)
	d.extensible = ExtensibleSchemas(t)
	return d, nil
}

// Embedded parses the embedded spec/passfort-4.0.yaml. It caches nothing:
// callers keep the *Document.
func Embedded() (*Document, error) {
	d, err := Parse(spec.OpenAPI)
	if err != nil {
		return nil, fmt.Errorf("embedded spec/passfort-4.0.yaml: %w", err)
	}
	return d, nil
}

// load is the one place a run's spec meets kin-openapi's loader, so every
// consumer sees the document loaded with the same settings.
func load(raw []byte) (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false // a spec is one self-contained file
	t, err := loader.LoadFromData(raw)
	if err != nil {
		return nil, &LoadError{Err: err}
	}
	return t, nil
}

// OpenAPI returns the kin-openapi document. Callers must not change it;
// take a copy with Reparse to do so.
func (d *Document) OpenAPI() *openapi3.T { return d.t }

// Reparse parses the spec again into a private kin-openapi document the
// caller may change. The bytes loaded once, so this cannot fail but for a
// kin-openapi that is not deterministic.
func (d *Document) Reparse() (*openapi3.T, error) { return load(d.raw) }

// Hash is the hex SHA-256 of the spec bytes.
func (d *Document) Hash() string { return d.hash }

// Hash is the hex SHA-256 of spec bytes, as Document.Hash gives it: a
// caller tells which spec a document was parsed from without parsing.
func Hash(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:])
}

// Enums returns the document's enum index.
func (d *Document) Enums() *Enums { return d.enums }
