package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/apispec"
	"github.com/passfort-conformance/harness/internal/catalog"
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
		body, err := w.targetProducts(v.Body)
		if err != nil {
			return fmt.Errorf("variant %s: %w", v.Name(), err)
		}
		// Sent as generated: the body is the spec's, not the feature's, so
		// a "{{" in it is data, not a variable.
		ex, err := w.sendBody(ctx, target.Request{Method: v.Method, Path: v.Path, Body: body, Header: h, OmitKey: v.OmitKey, Key: v.Key, NoRetry: true}, false)
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

// targetProducts returns a generated body with every product the spec's
// examples name by the mock's alias or id ({"product": {"alias":
// "forexo_basic"}}) named by the target's product of the same role, so a
// valid variant is valid on an account with its own catalogue. Only those
// JSON strings change: a body padded past a size limit keeps its size. A
// body that is not JSON, or names no mock product, is returned as it is.
func (w *World) targetProducts(body []byte) ([]byte, error) {
	if len(body) == 0 || w.env.MockCatalog == nil || w.env.Catalog == nil || !bytes.Contains(body, []byte(`"product"`)) {
		return body, nil
	}
	var v any
	if json.Unmarshal(body, &v) != nil {
		return body, nil
	}
	swap := map[string]string{} // a mock alias or id → the target's
	var walk func(any, bool) error
	walk = func(x any, isProduct bool) error {
		switch x := x.(type) {
		case map[string]any:
			if isProduct {
				if err := w.swapProduct(x, swap); err != nil {
					return err
				}
			}
			for k, y := range x {
				if err := walk(y, k == "product"); err != nil {
					return err
				}
			}
		case []any:
			for _, y := range x {
				if err := walk(y, false); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(v, false); err != nil {
		return body, err
	}
	// One pass: replacing one product after another would turn a product
	// swapped for a second one into a third where the second is swapped too.
	pairs := make([]string, 0, 2*len(swap))
	for from, to := range swap {
		pairs = append(pairs, strconv.Quote(from), strconv.Quote(to))
	}
	return []byte(strings.NewReplacer(pairs...).Replace(string(body))), nil
}

// swapProduct adds to swap the target's alias and id for the mock
// catalogue's alias and id a product reference names.
func (w *World) swapProduct(ref map[string]any, swap map[string]string) error {
	for key, find := range map[string]func(string) (catalog.Product, bool){"alias": w.env.MockCatalog.ByAlias, "id": w.env.MockCatalog.ByID} {
		s, ok := ref[key].(string)
		if !ok {
			continue
		}
		mp, ok := find(s)
		if !ok {
			continue
		}
		p, err := w.product(mp.Alias)
		if err != nil {
			return err
		}
		to := p.Alias
		if key == "id" {
			to = p.ID
		}
		if to != s && to != "" {
			swap[s] = to
		}
	}
	return nil
}
