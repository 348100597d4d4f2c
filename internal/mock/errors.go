package mock

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// PassFort's numeric error codes the mock answers with (spec ErrorCode).
const (
	codeMissingRequiredFields = 101
	codeEntityAlreadyApproved = 102
	codeEntityAlreadyRejected = 103
	codeConstraints           = 105
	codeInvalidInputData      = 201
	codeDataPresent           = 202
	codeMissingAPIKey         = 203
	codeInvalidAPIKey         = 204
	codeTransitionError       = 402
)

// apiError is one refused request: the HTTP status and the single error of
// the envelope {"errors":[{code, message, source:"API", info?}]}.
type apiError struct {
	status  int
	code    int
	message string
	fields  []string // info.fields for code 101
	etag    string   // the ETag header of a 412, "" for none
}

func (e *apiError) Error() string { return fmt.Sprintf("%d/%d: %s", e.status, e.code, e.message) }

func missing(fields ...string) *apiError {
	msg := "Missing required field: "
	for i, f := range fields {
		if i > 0 {
			msg += ", "
		}
		msg += f
	}
	return &apiError{status: http.StatusBadRequest, code: codeMissingRequiredFields, message: msg, fields: fields}
}

func invalid(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeInvalidInputData, message: fmt.Sprintf(format, args...)}
}

func notFound(format string, args ...any) *apiError {
	return &apiError{status: http.StatusNotFound, code: codeInvalidInputData, message: fmt.Sprintf(format, args...)}
}

func conflict(code int, format string, args ...any) *apiError {
	return &apiError{status: http.StatusConflict, code: code, message: fmt.Sprintf(format, args...)}
}

// errorBody is the JSON error envelope.
type errorBody struct {
	Errors [1]errorJSON `json:"errors"`
}

type errorJSON struct {
	Code    int        `json:"code"`
	Message string     `json:"message"`
	Source  string     `json:"source"`
	Info    *errorInfo `json:"info,omitempty"`
}

type errorInfo struct {
	Fields []string `json:"fields,omitempty"`
}

func (e *apiError) body() errorBody {
	var b errorBody
	b.Errors[0] = errorJSON{Code: e.code, Message: e.message, Source: "API"}
	if len(e.fields) > 0 {
		b.Errors[0].Info = &errorInfo{Fields: e.fields}
	}
	return b
}

// requestError turns the contract's findings on a request into the answer:
// 404 for a path parameter that names nothing (decision D6), 415 for a body
// that is not declared JSON (D7), 400 with code 101 when required fields are
// missing (D3), else 400 with code 201 for the first finding (D4); the
// decisions are in docs/decisions.md.
func requestError(fs []finding.Finding) *apiError {
	var fields []string
	for _, f := range fs {
		switch {
		case f.Kind == finding.UndocumentedOperation:
			return notFound("The contract has no such operation: %s", oneline.Fold(f.Message))
		case f.Rule == "path-parameter":
			return notFound("%s", oneline.Fold(f.Message))
		case f.Rule == "content-type":
			return &apiError{status: http.StatusUnsupportedMediaType, code: codeInvalidInputData,
				message: "Unsupported Content-Type: " + oneline.Fold(f.Message)}
		case f.Rule == "required":
			field := jsonpointer.Dotted(f.Pointer)
			if _, rest, ok := strings.Cut(f.Message, "value is required: "); ok {
				field += " (" + rest + ")"
			} else if f.Message == "request body is required" {
				field = "body"
			}
			fields = append(fields, field)
		}
	}
	if len(fields) > 0 {
		return missing(fields...)
	}
	f := fs[0]
	if f.Pointer == "" {
		return invalid("%s", oneline.Fold(f.Message))
	}
	return invalid("%s: %s", jsonpointer.Dotted(f.Pointer), oneline.Fold(f.Message))
}
