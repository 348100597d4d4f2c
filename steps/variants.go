package steps

import (
	"context"
	"fmt"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/variants"
	"github.com/passfort-conformance/harness/spec"
)

// variantSeed makes the generated variants the same on every run; a
// failure names the variant, so it reproduces.
const variantSeed = 1

// openAPI returns the contract the variants are generated from: the
// document the run's Validator was parsed into when it was built from the
// same bytes (the suite builds it from Env.Spec), so the spec is parsed once
// per run; else Env.Spec (or the embedded spec) parsed once through apispec.
func (e *Env) openAPI() (*openapi3.T, error) {
	e.docOnce.Do(func() {
		data := e.Spec
		if data == nil {
			data = spec.OpenAPI
		}
		if e.Validator != nil && e.Validator.Document() != nil && e.Validator.Hash() == apispec.Hash(data) {
			e.doc = e.Validator.Document().OpenAPI()
			return
		}
		doc, err := apispec.Parse(data)
		if err != nil {
			e.docErr = err
			return
		}
		e.doc = doc.OpenAPI()
	})
	return e.doc, e.docErr
}

// everyVariant sends every valid or invalid variant the spec gives for an
// operation, with path ids from the scenario's variables, and judges each
// answer against the contract's decisions.
func everyVariant(ctx context.Context, kind, name string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	doc, err := w.env.openAPI()
	if err != nil {
		return fmt.Errorf("spec: %w", err)
	}
	op, err := variants.Resolve(doc, name)
	if err != nil {
		return err
	}
	fill := func(param string) string {
		v, _ := w.variable(param)
		return v
	}
	vs, err := variants.Generate(doc, variants.Options{Seed: variantSeed, Operations: []string{op}, Fill: fill})
	if err != nil {
		return err
	}
	valid := kind == "valid"
	var failed []variants.Outcome
	sent := 0
	for _, v := range vs {
		if v.Valid != valid {
			continue
		}
		sent++
		h := http.Header{}
		for k, val := range v.Header {
			h.Set(k, val)
		}
		ex, err := w.send(ctx, target.Request{Method: v.Method, Path: v.Path, Body: v.Body, Header: h, OmitKey: v.OmitKey, Key: v.Key, NoRetry: true})
		if err != nil {
			return fmt.Errorf("variant %s: %w", v.Name(), err)
		}
		if out := variants.Judge(v, ex.Status, ex.ResponseBody); !out.Pass {
			failed = append(failed, out)
		}
	}
	if sent == 0 {
		return fmt.Errorf("operation %q: the spec gives no %s variant", name, kind)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d %s variants of %q judged wrong:\n%s", len(failed), sent, kind, name, variants.Report(failed))
	}
	return nil
}
