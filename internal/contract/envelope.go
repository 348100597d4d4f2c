package contract

import (
	"encoding/json"
	"fmt"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/jsontype"
)

// envelopeShape is the error envelope every non-2xx answer must carry
// (decision D2, docs/decisions.md), whatever the spec documents for that status.
const envelopeShape = `{"errors":[{"code":int,"message":string}]}`

// checkEnvelope checks an error response's body against the envelope. value
// is the decoded body, valid says whether it decoded as JSON.
func checkEnvelope(body []byte, value any, valid bool, base finding.Finding) []finding.Finding {
	add := func(out []finding.Finding, ptr, msg string) []finding.Finding {
		f := base
		f.Kind, f.Rule, f.Pointer, f.Message = finding.BadErrorEnvelope, "envelope", ptr, msg
		return append(out, f)
	}
	var out []finding.Finding
	switch {
	case len(trimSpace(body)) == 0:
		return add(out, "", "body is empty, want "+envelopeShape)
	case !valid:
		return add(out, "", "body is not JSON, want "+envelopeShape)
	}
	obj, ok := value.(map[string]any)
	if !ok {
		return add(out, "", fmt.Sprintf("got %s, want %s", jsontype.Of(value), envelopeShape))
	}
	raw, ok := obj["errors"]
	if !ok {
		return add(out, "/errors", "value is required")
	}
	list, ok := raw.([]any)
	if !ok {
		return add(out, "/errors", fmt.Sprintf("got %s, want array", jsontype.Of(raw)))
	}
	if len(list) == 0 {
		return add(out, "/errors", "got an empty array, want at least one error")
	}
	for i, item := range list {
		ptr := jsonpointer.Index("/errors", i)
		e, ok := item.(map[string]any)
		if !ok {
			out = add(out, ptr, fmt.Sprintf("got %s, want object", jsontype.Of(item)))
			continue
		}
		switch code, ok := e["code"]; {
		case !ok:
			out = add(out, ptr+"/code", "value is required")
		case !isInteger(code):
			out = add(out, ptr+"/code", fmt.Sprintf("got %s, want integer", jsontype.Of(code)))
		}
		switch msg, ok := e["message"]; {
		case !ok:
			out = add(out, ptr+"/message", "value is required")
		case jsontype.Of(msg) != "string":
			out = add(out, ptr+"/message", fmt.Sprintf("got %s, want string", jsontype.Of(msg)))
		}
	}
	return out
}

func isInteger(v any) bool {
	n, ok := v.(json.Number)
	if !ok {
		return false
	}
	_, err := n.Int64()
	return err == nil
}

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
