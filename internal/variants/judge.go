package variants

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/passfort-conformance/harness/internal/oneline"
)

// Outcome is the verdict on one variant's answer.
type Outcome struct {
	// Variant is the variant judged.
	Variant Variant
	// Status is the status the target answered.
	Status int
	// Codes are the error codes of the answer's envelope, if it had one.
	Codes []int
	// Pass is true when the answer is the one the contract promises.
	Pass bool
	// Reason says why, in one line.
	Reason string
}

// envelope is the error body every non-2xx answer carries:
// {"errors":[{"code":int,"message":string,...}]}.
type envelope struct {
	Errors []struct {
		Code    json.RawMessage `json:"code"`
		Message json.RawMessage `json:"message"`
	} `json:"errors"`
}

// errorCodes checks body is a valid error envelope and returns its codes
// and first message, or an error saying what is wrong with it.
func errorCodes(body []byte) ([]int, string, error) {
	var env envelope
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, "", fmt.Errorf("error envelope: got %s, want {\"errors\":[{\"code\":int,\"message\":string}]}", short(body))
	}
	if len(env.Errors) == 0 {
		return nil, "", fmt.Errorf("error envelope: got no errors, want at least one")
	}
	var codes []int
	first := ""
	for i, e := range env.Errors {
		n, err := strconv.Atoi(string(bytes.TrimSpace(e.Code)))
		if err != nil {
			return nil, "", fmt.Errorf("error envelope: errors[%d].code: got %s, want an integer", i, short(e.Code))
		}
		var msg string
		if err := json.Unmarshal(e.Message, &msg); err != nil || len(e.Message) == 0 {
			return nil, "", fmt.Errorf("error envelope: errors[%d].message: got %s, want a string", i, short(e.Message))
		}
		if i == 0 {
			first = msg
		}
		codes = append(codes, n)
	}
	return codes, first, nil
}

// short is a one-line rendering of at most 80 bytes of b.
func short(b []byte) string {
	s := oneline.Fold(string(b))
	if s == "" {
		return "nothing"
	}
	return oneline.Clip(s, 80)
}

// Judge checks the target's answer (status and body) to variant v. A valid
// variant passes with one of its expected 2xx statuses. An invalid one
// passes with one of its expected statuses and a valid error envelope
// {"errors":[{"code":int,"message":string}]} whose codes include one of
// Expect.Codes, when set.
func Judge(v Variant, status int, body []byte) Outcome {
	o := Outcome{Variant: v, Status: status}
	codes, msg, envErr := errorCodes(body)
	if envErr == nil {
		o.Codes = codes
	}
	refusal := func() string {
		if envErr != nil {
			return ""
		}
		return fmt.Sprintf(" (code %d: %s)", codes[0], oneLine(msg))
	}
	wantStatus := slices.Contains(v.Expect.Statuses, status)
	switch {
	case v.Valid && wantStatus:
		o.Pass, o.Reason = true, fmt.Sprintf("accepted with %d", status)
	case v.Valid && status >= 200 && status < 300:
		o.Reason = fmt.Sprintf("status: got %d, want %s", status, v.Expect)
	case v.Valid:
		o.Reason = fmt.Sprintf("status: got %d%s, want %s: the target refused a valid request", status, refusal(), v.Expect)
	case status >= 200 && status < 300:
		o.Reason = fmt.Sprintf("status: got %d, want %s: the target accepted an invalid request", status, v.Expect)
	case !wantStatus:
		o.Reason = fmt.Sprintf("status: got %d%s, want %s", status, refusal(), v.Expect)
	case envErr != nil:
		o.Reason = envErr.Error()
	case len(v.Expect.Codes) > 0 && !slices.ContainsFunc(codes, func(c int) bool { return slices.Contains(v.Expect.Codes, c) }):
		o.Reason = fmt.Sprintf("error code: got %s, want %s (%s)", joinInts(codes), joinInts(v.Expect.Codes), oneLine(msg))
	default:
		o.Pass, o.Reason = true, fmt.Sprintf("refused with %d/%d: %s", status, codes[0], oneLine(msg))
	}
	return o
}

// oneLine is s on one line, cut to at most 100 bytes.
func oneLine(s string) string { return oneline.Clip(oneline.Fold(s), 100) }

func joinInts(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, "|")
}

// Report renders outcomes as a per-variant table (verdict, operation, rule,
// location, expected, got, and the description or the reason for a
// failure), in the order given, followed by a one-line summary.
func Report(outcomes []Outcome) string {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VERDICT\tOPERATION\tRULE\tLOCATION\tEXPECTED\tGOT\tDETAIL")
	failed := 0
	for _, o := range outcomes {
		verdict, detail := "pass", o.Variant.Description
		if !o.Pass {
			verdict, detail = "FAIL", o.Reason
			failed++
		}
		got := strconv.Itoa(o.Status)
		if len(o.Codes) > 0 {
			got += "/" + joinInts(o.Codes)
		}
		loc := o.Variant.Location
		if loc == "" {
			loc = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", verdict, o.Variant.Operation, o.Variant.Rule, loc, o.Variant.Expect, got, oneLine(detail))
	}
	_ = tw.Flush()
	fmt.Fprintf(&b, "%d variants: %d passed, %d failed\n", len(outcomes), len(outcomes)-failed, failed)
	return b.String()
}
