package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/target"
)

// The rest of the public API beyond the product-application lifecycle:
// checks, collected data and its documents, document images and files,
// ad-hoc tasks and notes, tags, collection steps, bulk event updates, the
// audit trail, company and address search, data-collection keys. Each step
// is one request in PassFort's words; like "I add the product ...", an
// action asserts nothing about the answer (the scenario says what it
// expects), and remembers the id of what it made as a {{variable}} so
// later steps, and the generic HTTP steps, can name it.

// apiDefinitions returns the steps of the operations beyond the lifecycle,
// in vocabulary order.
func apiDefinitions() []Def {
	return slices.Concat(checkDefinitions(), dataDefinitions(), noteDefinitions(), tagDefinitions(), searchDefinitions())
}

// saves maps a variable name to the gjson path of the value a successful
// answer gives it.
type saves map[string]string

// sendSaving sends r and, when the answer is 200, saves the values of
// keep as variables. A save whose value is missing from a 200 is an error:
// the scenario could not name what it made.
func (w *World) sendSaving(ctx context.Context, r target.Request, keep saves) (*exchange.Exchange, error) {
	ex, err := w.send(ctx, r)
	if err != nil || ex.Status != 200 {
		return ex, err
	}
	for name, path := range keep {
		v := gjson.GetBytes(ex.ResponseBody, path)
		if !v.Exists() {
			return ex, fmt.Errorf("%s %s: the 200 answer has no %q to save as {{%s}}: %s", r.Method, ex.Path, path, name, snippet(ex.ResponseBody))
		}
		w.setVar(name, v.String())
	}
	return ex, nil
}

// postJSON is a request that sends body as JSON.
func postJSON(path string, body any) (target.Request, error) {
	data, err := jsonBody(body)
	if err != nil {
		return target.Request{}, err
	}
	return target.Request{Method: "POST", Path: path, Body: data}, nil
}

// profileSend sends a request below the scenario's profile, built by
// build from the profile's path, saving keep from a 200.
func profileSend(ctx context.Context, build func(profilePath string) (target.Request, error), keep saves) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	r, err := build("/profiles/" + pid)
	if err != nil {
		return err
	}
	_, err = w.sendSaving(ctx, r, keep)
	return err
}

// profileGet GETs a path below the scenario's profile.
func profileGet(ctx context.Context, suffix string) error {
	return profileSend(ctx, func(p string) (target.Request, error) {
		return target.Request{Method: "GET", Path: p + suffix}, nil
	}, nil)
}

// profilePost POSTs body to a path below the scenario's profile, saving
// keep from a 200.
func profilePost(ctx context.Context, suffix string, body any, keep saves) error {
	return profileSend(ctx, func(p string) (target.Request, error) { return postJSON(p+suffix, body) }, keep)
}

// need returns a variable an earlier step saved, or an error saying which
// step saves it.
func (w *World) need(name, how string) (string, error) {
	v, ok := w.variable(name)
	if !ok || v == "" {
		return "", fmt.Errorf("no {{%s}} yet: %s", name, how)
	}
	return v, nil
}

// worldExpand returns the scenario's world and a step argument with its
// {{variables}} expanded.
func worldExpand(ctx context.Context, s string) (*World, string, error) {
	return worldAnd(ctx, func(w *World) (string, error) { return w.expand(s) })
}

// worldNeed returns the scenario's world and a variable an earlier step
// saved (see need).
func worldNeed(ctx context.Context, name, how string) (*World, string, error) {
	return worldAnd(ctx, func(w *World) (string, error) { return w.need(name, how) })
}

// profileGetOK GETs a path below the scenario's profile for a step that
// needs the answer, and fails unless it is 200.
func profileGetOK(ctx context.Context, what, suffix string) (*World, gjson.Result, error) {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return nil, gjson.Result{}, err
	}
	got, err := w.getOK(ctx, what, "/profiles/"+pid+suffix)
	return w, got, err
}

// getOK GETs path for a step that needs the answer, and fails unless it is 200.
func (w *World) getOK(ctx context.Context, what, path string) (gjson.Result, error) {
	ex, err := w.get(ctx, path)
	if err != nil {
		return gjson.Result{}, err
	}
	if ex.Status != 200 {
		return gjson.Result{}, fmt.Errorf("%s: got %d, want 200; body: %s", what, ex.Status, snippet(ex.ResponseBody))
	}
	return gjson.ParseBytes(ex.ResponseBody), nil
}

// expand expands {{variables}} in a step argument, a path, a body or an
// expected value: the scenario's saved variables, and the product role
// variables {{product.ROLE.FIELD}} from the target's catalogue. Every step
// expands through here.
func (w *World) expand(s string) (string, error) {
	return w.expandAs(s, false)
}

// expandJSON is expand for a JSON text: a request body or an expected
// value; values inside its strings are escaped (see expandIn).
func (w *World) expandJSON(s string) (string, error) {
	return w.expandAs(s, true)
}

func (w *World) expandAs(s string, isJSON bool) (string, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return expandIn(s, func(name string) (string, error) {
		if strings.HasPrefix(name, productPrefix) {
			return ProductVariable(name, w.env.Catalog, w.env.MockCatalog)
		}
		v, ok := w.vars[name]
		if !ok && name == unknownIDVar {
			return UnknownID, nil
		}
		if !ok {
			return "", fmt.Errorf("variable {{%s}}: not set; set: %s (and the product roles' {{product.ROLE.FIELD}}, {{%s}})", name, names(w.vars), unknownIDVar)
		}
		return v, nil
	}, isJSON)
}

// query builds a query string from name, value pairs, escaping each value.
func query(pairs ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		q.Set(pairs[i], pairs[i+1])
	}
	return q.Encode()
}

// list splits a comma-separated step argument into its trimmed items.
func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// saveHeader saves a header of the last response as a variable: an ETag to
// send back as If-Match.
func saveHeader(ctx context.Context, header, name string) error {
	return withLast(ctx, func(w *World, ex *exchange.Exchange) error {
		v := ex.ResponseHeader.Get(header)
		if v == "" {
			return fmt.Errorf("header %s: got none, want a value to save as {{%s}}; %s %s answered %d", header, name, ex.Method, ex.Path, ex.Status)
		}
		w.setVar(name, v)
		return nil
	})
}

// jsonBody is body as JSON; a []byte body is sent as it is.
func jsonBody(body any) ([]byte, error) {
	if data, ok := body.([]byte); ok {
		return data, nil
	}
	return json.Marshal(body)
}
