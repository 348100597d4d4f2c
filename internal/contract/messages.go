package contract

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/jsonpointer"
	"github.com/passfort-conformance/harness/internal/jsontype"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// This file turns kin-openapi's schema errors into findings: one per
// violation, with a pointer to the value and a one-line message such as
// `got "FOO", want one of APPLIED, APPROVED`. kin-openapi's own messages
// (which embed the schema and the value over many lines) never reach a user.

// violation is one schema rule a value broke, before it becomes a finding.
type violation struct {
	kind, rule, pointer, message string
}

// schemaFindings converts the error of Schema.VisitJSON into findings built
// on base (class, operation, status). When kind is not "", it replaces every
// violation's kind (requests are all finding.InvalidRequest).
func (v *Validator) schemaFindings(err error, base finding.Finding, kind string) []finding.Finding {
	var out []finding.Finding
	seen := map[violation]bool{}
	for _, vi := range v.violations(err) {
		if seen[vi] {
			continue // allOf members often repeat a rule (both require "id")
		}
		seen[vi] = true
		f := base
		f.Kind, f.Rule, f.Pointer, f.Message = vi.kind, vi.rule, vi.pointer, vi.message
		v.enumPolicy(&f, kind != "")
		if kind != "" {
			f.Kind = kind
		}
		out = append(out, f)
	}
	return out
}

// violations flattens err into violations: MultiErrors are split, allOf
// failures are replaced by their members' errors, and a oneOf whose
// discriminator picked one branch by that branch's errors.
func (v *Validator) violations(err error) []violation {
	var out []violation
	var walk func(error)
	walk = func(err error) {
		switch e := err.(type) {
		case nil:
		case openapi3.MultiError:
			for _, x := range e {
				walk(x)
			}
		case *openapi3.SchemaError:
			if vs, ok := v.violations2020(e); ok {
				for _, x := range vs {
					walk(x)
				}
				return
			}
			if vs := required2020(e); len(vs) > 0 {
				out = append(out, vs...)
				return
			}
			switch {
			case e.SchemaField == "allOf":
				if inner := innerErrors(e); len(inner) > 0 {
					walk(inner)
					return
				}
			case e.SchemaField == "oneOf" && e.Schema != nil && e.Schema.Discriminator != nil:
				if inner := innerErrors(e); len(inner) == 1 {
					walk(inner[0])
					return
				}
			}
			out = append(out, v.describe(e))
		default:
			out = append(out, violation{kind: finding.SchemaViolation, rule: "schema", message: oneline.First(err.Error())})
		}
	}
	walk(err)
	return out
}

// innerErrors returns the member errors kin-openapi wraps in an allOf or
// oneOf SchemaError's Origin.
func innerErrors(e *openapi3.SchemaError) openapi3.MultiError {
	if e.Origin == nil {
		return nil
	}
	var me openapi3.MultiError
	if errors.As(e.Origin, &me) {
		return me
	}
	return nil
}

// describe turns one SchemaError into a violation.
func (v *Validator) describe(e *openapi3.SchemaError) violation {
	ptr := jsonpointer.FromTokens(e.JSONPointer())
	s := e.Schema
	if s == nil {
		s = &openapi3.Schema{}
	}
	switch e.SchemaField {
	case "required":
		return violation{finding.MissingRequired, "required", ptr, "value is required"}
	case "type":
		if s.Type == nil && strings.HasPrefix(e.Reason, "error at ") {
			// A 2020-12 error whose schema kin-openapi cannot locate
			// (under patternProperties): its reason says "got X, want Y".
			return violation{finding.WrongType, "type", ptr, trimLocation(oneline.First(e.Reason))}
		}
		return violation{finding.WrongType, "type", ptr, fmt.Sprintf("got %s, want %s", jsontype.Of(e.Value), wantTypes(s))}
	case "nullable":
		return violation{finding.WrongType, "nullable", ptr, fmt.Sprintf("got null, want %s", wantTypes(s))}
	case "enum":
		// kin-openapi checks enum before type: 3 for a string enum is a wrong type.
		if s.Type != nil && len(*s.Type) > 0 && !permitsType(s, e.Value) {
			return violation{finding.WrongType, "type", ptr, fmt.Sprintf("got %s, want %s", jsontype.Of(e.Value), wantTypes(s))}
		}
		if v.extensible[s] {
			return violation{finding.UnknownEnumValue, "enum", ptr, fmt.Sprintf("got %s, want one of %s", render(e.Value), enumList(s.Enum))}
		}
		return violation{finding.OutsideEnum, "enum", ptr, fmt.Sprintf("got %s, want one of %s", render(e.Value), enumList(s.Enum))}
	case "pattern":
		want, ok := v.patterns[s.Pattern]
		if !ok {
			want = patternWords(s.Pattern)
		}
		return violation{finding.BadFormat, "pattern", ptr, fmt.Sprintf("got %s, want %s", render(e.Value), want)}
	case "format":
		return violation{finding.BadFormat, "format", ptr, fmt.Sprintf("got %s, want %s", render(e.Value), formatWords(s.Format))}
	case "const":
		if s.Const != nil {
			return violation{finding.OutsideEnum, "const", ptr, fmt.Sprintf("got %s, want %s", render(e.Value), render(s.Const))}
		}
	case "properties":
		// additionalProperties: false. kin-openapi points at the object; point at the key.
		var key string
		if _, err := fmt.Sscanf(e.Reason, "property %q is unsupported", &key); err == nil {
			return violation{finding.SchemaViolation, "additionalProperties", jsonpointer.Child(ptr, key), "property is not allowed (additionalProperties: false)"}
		}
	case "discriminator":
		return v.discriminatorViolation(e, ptr)
	case "oneOf", "anyOf":
		return v.xOfViolation(e, ptr)
	}
	reason := trimLocation(oneline.First(e.Reason))
	if reason == "" {
		reason = fmt.Sprintf("breaks %q", e.SchemaField)
	}
	if isScalar(e.Value) && e.SchemaField != "readOnly" && e.SchemaField != "writeOnly" {
		reason = fmt.Sprintf("got %s: %s", render(e.Value), reason)
	}
	rule := e.SchemaField
	if rule == "" {
		rule = "schema"
	}
	return violation{finding.SchemaViolation, rule, ptr, reason}
}

func (v *Validator) discriminatorViolation(e *openapi3.SchemaError, ptr string) violation {
	d := e.Schema.Discriminator
	prop := jsonpointer.Child(ptr, d.PropertyName)
	switch {
	case strings.Contains(e.Reason, "does not contain"):
		return violation{finding.MissingRequired, "required", prop, "value is required (the discriminator)"}
	case strings.Contains(e.Reason, "is not a string"):
		return violation{finding.WrongType, "type", prop, fmt.Sprintf("got %s, want string (the discriminator)", jsontype.Of(e.Value))}
	}
	kind := finding.OutsideEnum
	if p := e.Schema.Properties[d.PropertyName]; p != nil && v.extensible[p.Value] {
		// A new blocker or step type: its branch is unknown too, so the
		// object is left unchecked, as an unknown kind of thing.
		kind = finding.UnknownEnumValue
	}
	return violation{kind, "discriminator", prop, fmt.Sprintf("got %s, want one of %s", render(e.Value), strings.Join(sortedKeys(d.Mapping), ", "))}
}

// enumPolicy applies the enum policy (decision D54, docs/decisions.md) to
// a finding built from a violation: a value outside a vendor-extensible
// enum in what the target sent is drift, unless Options.StrictEnums; in a
// request, or under StrictEnums, it is outside-enum like any other.
func (v *Validator) enumPolicy(f *finding.Finding, request bool) {
	if f.Kind != finding.UnknownEnumValue {
		return
	}
	if request || v.strictEnums {
		f.Kind = finding.OutsideEnum
		return
	}
	f.Class = finding.Drift
	f.Message += " (the enum is extensible: a value new to the contract)"
}

// xOfViolation says in one line why a value matched no (or more than one)
// oneOf/anyOf branch, naming the branch that came closest and its first
// problem. When every branch only misses required fields ("alias or id"),
// it is a missing-required finding.
func (v *Validator) xOfViolation(e *openapi3.SchemaError, ptr string) violation {
	keyword := e.SchemaField
	branches := e.Schema.AnyOf
	if keyword == "oneOf" {
		branches = e.Schema.OneOf
	}
	if keyword == "oneOf" && (errors.Is(e, openapi3.ErrOneOfConflict) || strings.Contains(e.Reason, "more than one")) {
		// kin-openapi names the matching branches in its reason: "... (matches
		// schemas at indices [0 1])". Checking the branches again out of
		// context would not do: a branch that allOfs back into its parent
		// then meets the parent's oneOf afresh.
		var names []string
		if _, list, ok := strings.Cut(e.Reason, "indices ["); ok {
			list, _, _ = strings.Cut(list, "]")
			for _, f := range strings.Fields(list) {
				if i, err := strconv.Atoi(f); err == nil && i >= 0 && i < len(branches) {
					names = append(names, branchName(branches[i], i))
				}
			}
		}
		return violation{finding.SchemaViolation, keyword, ptr,
			fmt.Sprintf(`matches more than one %q branch (%s), want exactly one`, keyword, strings.Join(names, ", "))}
	}
	// kin-openapi keeps the branch errors of a oneOf (not of an anyOf);
	// otherwise check the branches again, on this failure path only.
	perBranch := make([][]violation, len(branches))
	inner := innerErrors(e)
	for i, b := range branches {
		switch {
		case keyword == "oneOf" && len(inner) == len(branches):
			perBranch[i] = v.violations(inner[i])
		case b.Value != nil:
			// Checked from the value itself: pointers are relative to it.
			perBranch[i] = v.violations(b.Value.VisitJSON(e.Value, v.respOpts...))
			for j := range perBranch[i] {
				perBranch[i][j].pointer = ptr + perBranch[i][j].pointer
			}
		}
	}

	names := make([]string, len(branches))
	var missing []string
	onlyRequired := len(branches) > 0
	best, bestN := -1, math.MaxInt
	for i, b := range branches {
		names[i] = branchName(b, i)
		vs := perBranch[i]
		if len(vs) > 0 && len(vs) < bestN {
			best, bestN = i, len(vs)
		}
		for _, x := range vs {
			if x.kind != finding.MissingRequired || !strings.HasPrefix(x.pointer, ptr+"/") {
				onlyRequired = false
				continue
			}
			missing = append(missing, strings.TrimPrefix(x.pointer, ptr+"/"))
		}
	}
	if onlyRequired && len(missing) > 0 {
		slices.Sort(missing)
		missing = slices.Compact(missing)
		return violation{finding.MissingRequired, "required", ptr, "value is required: one of " + strings.Join(missing, ", ")}
	}
	msg := fmt.Sprintf("matches no %q branch (%s)", keyword, strings.Join(names, ", "))
	if best >= 0 {
		first := perBranch[best][0]
		where := first.pointer
		if where == "" {
			where = "the value"
		}
		msg += fmt.Sprintf("; closest %s: %s: %s", names[best], where, first.message)
	}
	return violation{finding.SchemaViolation, keyword, ptr, msg}
}

// branchName is a oneOf/anyOf branch's component name, or its index.
func branchName(b *openapi3.SchemaRef, i int) string {
	if b != nil && b.Ref != "" {
		return b.Ref[strings.LastIndexByte(b.Ref, '/')+1:]
	}
	if b != nil && b.Value != nil && b.Value.Title != "" {
		return b.Value.Title
	}
	return "#" + strconv.Itoa(i)
}

func wantTypes(s *openapi3.Schema) string {
	if s.Type == nil || len(*s.Type) == 0 {
		return "a value"
	}
	return strings.Join(*s.Type, " or ")
}

// permitsType reports whether the schema's type admits the value's JSON type.
func permitsType(s *openapi3.Schema, value any) bool {
	t := jsontype.Of(value)
	if t == "null" {
		return s.Nullable || s.Type.Includes("null")
	}
	return s.Type.Includes(t) || t == "integer" && s.Type.Includes("number")
}

func isScalar(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// render shows a value in a message: strings quoted and cut at 64 bytes,
// objects and arrays by type only (they may be large, or carry personal data).
func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		if len(x) > 64 {
			return strconv.Quote(x[:64]) + "..."
		}
		return strconv.Quote(x)
	case json.Number:
		return string(x)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return fmt.Sprint(v)
}

// enumList renders enum values bare (APPLIED, APPROVED), at most 20 of them.
func enumList(values []any) string {
	const most = 20
	parts := make([]string, 0, min(len(values), most)+1)
	for i, x := range values {
		if i == most {
			parts = append(parts, fmt.Sprintf("... (%d more)", len(values)-most))
			break
		}
		if s, ok := x.(string); ok {
			parts = append(parts, s)
			continue
		}
		parts = append(parts, render(x))
	}
	return strings.Join(parts, ", ")
}
