package contract

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// CheckRequest checks a request against the operation that serves method and
// path (below the base, with its query). Every finding has kind
// finding.InvalidRequest and a Rule naming what was broken: "required" (a
// missing field, parameter or body), "type", "enum", "pattern", "format",
// "json" (a body that is not JSON), "content-type", another schema
// keyword, or "path-parameter" for any bad path parameter (a path that names
// no resource: the mock answers 404, not 400); an unknown path or method gives one finding.UndocumentedOperation.
// Pointers point into the request body. Authentication is not checked: that
// is the mock's job. The mock and the SDK gate use it to refuse bad requests.
func (v *Validator) CheckRequest(method, path string, header http.Header, body []byte) []finding.Finding {
	return v.JudgeRequest(method, path, header, body).Findings
}

// RequestVerdict is what JudgeRequest found out about a request.
type RequestVerdict struct {
	// Operation names the operation that serves the request, as
	// Operation.String does; "" when none does.
	Operation string
	// Findings are CheckRequest's findings.
	Findings []finding.Finding
	// JSONBody says the body was read as one JSON value (whether or not its
	// schema holds), so a caller need not check its syntax again.
	JSONBody bool
}

// JudgeRequest is CheckRequest with the operation's name and what it learnt
// of the body: the mock serves the request with both, routing it once and
// reading its body's syntax once.
func (v *Validator) JudgeRequest(method, path string, header http.Header, body []byte) RequestVerdict {
	path = v.trimBase(path)
	e, parts := v.router.find(method, path)
	if e == nil {
		return RequestVerdict{Findings: []finding.Finding{undocumentedOperation(method, path, 0)}}
	}
	verdict := RequestVerdict{Operation: e.name}
	verdict.Findings, verdict.JSONBody = v.checkRequest(e, parts, path, header, body)
	return verdict
}

// checkRequest checks a request that operation e serves; it also reports
// whether the body was read as JSON.
func (v *Validator) checkRequest(e *entry, parts []string, path string, header http.Header, body []byte) ([]finding.Finding, bool) {
	base := finding.Finding{Class: finding.Contract, Kind: finding.InvalidRequest, Operation: e.name}
	add := func(out []finding.Finding, rule, ptr, msg string) []finding.Finding {
		f := base
		f.Rule, f.Pointer, f.Message = rule, ptr, msg
		return append(out, f)
	}

	out := v.checkParameters(e, parts, path, header, base)

	hasBody := len(trimSpace(body)) > 0
	rb := e.kin.RequestBody
	if rb == nil || rb.Value == nil {
		if hasBody {
			out = add(out, "body", "", "the operation takes no request body")
		}
		return out, false
	}
	if !hasBody {
		if rb.Value.Required {
			out = add(out, "required", "", "request body is required")
		}
		return out, false
	}
	ct := mediaType(header.Get("Content-Type"))
	mt := rb.Value.Content.Get(ct)
	switch {
	case ct == "":
		return add(out, "content-type", "", "no Content-Type, want "+documentedMediaTypes(rb.Value.Content)), false
	case mt == nil:
		return add(out, "content-type", "", fmt.Sprintf("got %q, want %s", ct, documentedMediaTypes(rb.Value.Content))), false
	case !isJSONMediaType(ct) || mt.Schema == nil || mt.Schema.Value == nil:
		return out, false
	}
	if c := v.bodies[mt.Schema.Value]; c != nil && c.accepts(body) {
		return out, true // valid, judged from the bytes: kin-openapi would find nothing
	}
	value, err := decodeJSONErr(body)
	if err != nil {
		return add(out, "json", "", "body is not valid JSON: "+oneline.First(err.Error())), false
	}
	if v.fastOpts != nil && mt.Schema.Value.VisitJSON(value, v.fastOpts...) == nil {
		return out, true // valid: the full check would find nothing
	}
	return append(out, v.schemaFindings(mt.Schema.Value.VisitJSON(value, v.reqOpts...), base, finding.InvalidRequest)...), true
}

// checkParameters checks path, query and header parameters with
// openapi3filter (which knows their serialization styles), on a route found
// by our router.
func (v *Validator) checkParameters(e *entry, parts []string, path string, header http.Header, base finding.Finding) []finding.Finding {
	if len(e.kin.Parameters) == 0 && len(e.route.PathItem.Parameters) == 0 {
		return nil
	}
	p, query, _ := strings.Cut(path, "?")
	if header == nil {
		header = http.Header{}
	}
	req := &http.Request{
		Method: e.op.Method,
		URL:    &url.URL{Path: p, RawQuery: query},
		Header: header,
		Body:   http.NoBody,
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: e.tmpl.pathParams(parts),
		Route:      e.route,
		Options:    v.filterOpts,
	}
	err := openapi3filter.ValidateRequest(context.Background(), in)
	if err == nil {
		return nil
	}
	var out []finding.Finding
	for _, x := range flattenMulti(err) {
		out = append(out, v.parameterFindings(x, base)...)
	}
	return out
}

func (v *Validator) parameterFindings(err error, base finding.Finding) (out []finding.Finding) {
	one := func(rule, msg string) []finding.Finding {
		f := base
		f.Rule, f.Message = rule, msg
		return []finding.Finding{f}
	}
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) || re.Parameter == nil {
		return one("parameter", oneline.First(err.Error()))
	}
	name := fmt.Sprintf("%s parameter %q", re.Parameter.In, re.Parameter.Name)
	// A path that names no resource is answered 404 rather than 400, so a bad
	// path parameter gets a rule of its own; the message keeps the detail.
	if re.Parameter.In == openapi3.ParameterInPath {
		defer func() {
			for i := range out {
				out[i].Rule = "path-parameter"
			}
		}()
	}
	var pe *openapi3filter.ParseError
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		return one("required", name+": value is required")
	case errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue):
		return one("allowEmptyValue", name+": got an empty value, want one")
	case errors.As(re.Err, &pe):
		want := "a value"
		if s := re.Parameter.Schema; s != nil && s.Value != nil {
			want = wantTypes(s.Value)
		}
		got := pe.Value
		if got == nil {
			return one("type", fmt.Sprintf("%s: %s, want %s", name, oneline.First(pe.Error()), want))
		}
		return one("type", fmt.Sprintf("%s: got %s, want %s", name, render(fmt.Sprint(got)), want))
	}
	var se *openapi3.SchemaError
	var me openapi3.MultiError
	if errors.As(re.Err, &se) || errors.As(re.Err, &me) {
		for _, vi := range v.violations(re.Err) {
			f := base
			f.Rule, f.Message = vi.rule, name+": "+vi.message
			out = append(out, f)
		}
		return out
	}
	return one("parameter", name+": "+oneline.First(re.Error()))
}
