package contract

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// CheckResponse checks the response of ex against the operation that serves
// ex.Method and ex.Path (below the base). It returns contract findings (an
// undocumented operation or status, a wrong content type, a missing
// documented header, schema violations, a bad error envelope on 4xx/5xx) and
// drift findings (undocumented fields), nil when all is well. An exchange
// without a response (Status 0) has nothing to check.
func (v *Validator) CheckResponse(ex *exchange.Exchange) []finding.Finding {
	if ex == nil || ex.Status == 0 {
		return nil
	}
	path := v.trimBase(ex.Path)
	e, _ := v.router.find(ex.Method, path)
	if e == nil {
		out := []finding.Finding{undocumentedOperation(ex.Method, path, ex.Status)}
		if ex.Status >= 400 {
			value, valid := decodeJSON(ex.ResponseBody)
			out = append(out, checkEnvelope(ex.ResponseBody, value, valid, out[0])...)
		}
		return out
	}
	base := finding.Finding{Class: finding.Contract, Operation: e.name, Status: ex.Status}
	add := func(out []finding.Finding, kind, rule, ptr, msg string) []finding.Finding {
		f := base
		f.Kind, f.Rule, f.Pointer, f.Message = kind, rule, ptr, msg
		return append(out, f)
	}

	var out []finding.Finding
	resp := responseFor(e.kin, ex.Status)
	if resp == nil {
		out = add(out, finding.UndocumentedStatus, "status", "",
			fmt.Sprintf("got %d, want one of %s", ex.Status, strings.Join(documentedStatuses(e), ", ")))
	}
	if ex.Method == http.MethodHead || resp == nil && ex.Status < 400 {
		return out
	}

	var (
		body    = ex.ResponseBody
		hasBody = len(trimSpace(body)) > 0
		ct      = mediaType(ex.ResponseHeader.Get("Content-Type"))
		value   any
		decoded bool // value holds the body
		tried   bool // decoding was attempted
	)
	decode := func() {
		if !tried {
			tried = true
			value, decoded = decodeJSON(body)
		}
	}

	if resp != nil {
		for _, name := range sortedKeys(resp.Headers) {
			h := resp.Headers[name]
			if h == nil || h.Value == nil || !h.Value.Required || strings.EqualFold(name, "Content-Type") {
				continue
			}
			if ex.ResponseHeader.Get(name) == "" {
				out = add(out, finding.MissingHeader, "required", "", fmt.Sprintf("header %q is required", name))
			}
		}

		var schemaFindings []finding.Finding
		switch mt := resp.Content.Get(ct); {
		case len(resp.Content) == 0:
			if hasBody {
				out = add(out, finding.WrongContentType, "content-type", "",
					fmt.Sprintf("got a body (%s), want none: the response documents no content", orNone(ct)))
			}
		case !hasBody:
			if ex.Status < 400 && ex.Status != http.StatusNoContent { // 4xx/5xx: the envelope check says it
				out = add(out, finding.SchemaViolation, "body", "", "body is empty, want "+documentedMediaTypes(resp.Content))
			}
		case ct == "":
			out = add(out, finding.WrongContentType, "content-type", "", "no Content-Type, want "+documentedMediaTypes(resp.Content))
		case mt == nil:
			out = add(out, finding.WrongContentType, "content-type", "",
				fmt.Sprintf("got %q, want %s", ct, documentedMediaTypes(resp.Content)))
		case isJSONMediaType(ct) && mt.Schema != nil && mt.Schema.Value != nil:
			var err error
			tried = true
			if value, err = decodeJSONErr(body); err != nil {
				out = add(out, finding.SchemaViolation, "json", "", "body is not valid JSON: "+oneline.First(err.Error()))
				break
			}
			decoded = true
			if v.fastOpts == nil || mt.Schema.Value.VisitJSON(value, v.fastOpts...) != nil {
				schemaFindings = v.schemaFindings(mt.Schema.Value.VisitJSON(value, v.respOpts...), base, "")
			}
			out = append(out, v.drift(value, mt.Schema, base)...)
		}
		if ex.Status < 400 {
			return append(schemaFindings, out...)
		}
		out = append(schemaFindings, out...)
	}

	decode()
	env := checkEnvelope(body, value, decoded, base)
	// The envelope finding names the problem best; drop schema findings
	// that only restate it at the same place.
	out = slices.DeleteFunc(out, func(f finding.Finding) bool {
		if f.Class != finding.Contract || f.Kind == finding.UndocumentedStatus || f.Kind == finding.WrongContentType || f.Kind == finding.MissingHeader {
			return false
		}
		for _, g := range env {
			if jsonpointer.Within(f.Pointer, g.Pointer) {
				return true
			}
		}
		return false
	})
	return append(out, env...)
}

func undocumentedOperation(method, path string, status int) finding.Finding {
	path, _, _ = strings.Cut(path, "?")
	// The method and path come from the caller as they are: a control
	// character in them must not break the finding's one line.
	op := printable(strings.ToUpper(method) + " " + path)
	return finding.Finding{
		Class: finding.Contract, Kind: finding.UndocumentedOperation, Rule: "operation",
		Operation: op, Status: status,
		Message: "the spec documents no operation " + op,
	}
}

func documentedStatuses(e *entry) []string {
	if e.kin.Responses == nil {
		return nil
	}
	codes := sortedKeys(e.kin.Responses.Map())
	// Numeric codes first, then ranges ("4XX"), then "default".
	slices.SortStableFunc(codes, func(a, b string) int {
		_, ea := strconv.Atoi(a)
		_, eb := strconv.Atoi(b)
		switch {
		case (ea == nil) == (eb == nil):
			return 0
		case ea == nil:
			return -1
		}
		return 1
	})
	return codes
}

func orNone(ct string) string {
	if ct == "" {
		return "no Content-Type"
	}
	return ct
}

// printable returns s, or s with its non-printable characters escaped as in a
// Go string literal when it has any.
func printable(s string) string {
	for _, r := range s {
		if !strconv.IsPrint(r) {
			q := strconv.Quote(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}
