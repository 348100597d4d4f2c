// Package finding defines the one record every check in the harness produces.
//
// A finding is what a check saw that the contract, the lifecycle model or the
// transport did not allow. Checks return findings; they never fail a test
// themselves. The scenario runner decides what a finding does (fail the
// scenario, report it, compare it to the baseline) from its Class.
package finding

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/passfort-conformance/harness/internal/oneline"
)

// Class groups findings by who is at fault and what they do by default.
type Class string

// The four classes, as the README's findings table lists them.
const (
	// Contract: the exchange breaks the OpenAPI contract. Fails the scenario.
	Contract Class = "contract"
	// Lifecycle: an application snapshot or transition breaks the lifecycle model. Fails the scenario.
	Lifecycle Class = "lifecycle"
	// Drift: the target does something the contract does not describe
	// (an undocumented field, a documented field never returned). Reported only.
	Drift Class = "drift"
	// Infrastructure: the target could not be reached or answered too late. Fails
	// the scenario as infrastructure, never as a contract break.
	Infrastructure Class = "infrastructure"
)

// Kinds of finding. A kind is stable: baselines and reports key on it.
const (
	// Contract kinds.
	MissingRequired       = "missing-required"
	WrongType             = "wrong-type"
	BadFormat             = "bad-format"
	OutsideEnum           = "outside-enum"
	UndocumentedStatus    = "undocumented-status"
	WrongContentType      = "wrong-content-type"
	BadErrorEnvelope      = "bad-error-envelope"
	MissingHeader         = "missing-header"
	SchemaViolation       = "schema-violation" // any other schema rule (pattern, min/max, oneOf, ...)
	InvalidRequest        = "invalid-request"  // a request that breaks the contract (checked in the mock and the SDK gate)
	UndocumentedOperation = "undocumented-operation"

	// Lifecycle kinds.
	InvariantBroken   = "invariant-broken"
	IllegalTransition = "illegal-transition"
	DecidedRuleBroken = "decided-rule-broken"
	// InconsistentRead: a response disagrees with itself or with the
	// scenario's earlier responses; its Rule names the rule of
	// spec/consistency.yaml (decision D65, docs/decisions.md).
	InconsistentRead = "inconsistent-read"

	// Drift kinds.
	UndocumentedField = "undocumented-field"
	NeverReturned     = "never-returned"
	// UnknownEnumValue: a response value outside a vendor-extensible enum
	// (x-extensible-enum: true), which PassFort grows over time: drift to
	// report, not a break, unless enums are checked strictly (decision
	// D54, docs/decisions.md).
	UnknownEnumValue = "unknown-enum-value"

	// Infrastructure kinds.
	Timeout          = "timeout"
	Refused          = "refused"
	RetriesExhausted = "retries-exhausted"
	TruncatedBody    = "truncated-body"
	// ResponseTooLarge: the response's headers were over the transport's
	// limit (10 MB, net/http's), so it was not read (decision D74,
	// docs/decisions.md).
	ResponseTooLarge = "response-too-large"
	ServerError      = "server-error"
	Guarded          = "guarded" // the production guard refused to send the request
)

// Finding is one thing a check saw. Every field but Class, Kind and Message is
// optional; Scenario, Step, Feature and Line are filled by the runner.
type Finding struct {
	Class     Class  `json:"class"`
	Kind      string `json:"kind"`
	Operation string `json:"operation,omitempty"` // e.g. "POST /profiles/{profile_id}/applications"
	Status    int    `json:"status,omitempty"`    // the HTTP status of the response it concerns
	Pointer   string `json:"pointer,omitempty"`   // RFC 6901 JSON pointer into the body, "" for the whole body
	Rule      string `json:"rule,omitempty"`      // the rule broken: a schema keyword, an invariant or transition name
	Message   string `json:"message"`             // one line, no newlines
	Example   string `json:"example,omitempty"`   // a first example value, redacted (drift)
	Scenario  string `json:"scenario,omitempty"`
	Step      string `json:"step,omitempty"`
	Feature   string `json:"feature,omitempty"` // feature file URI
	Line      int    `json:"line,omitempty"`    // line of the step (or scenario) in the feature file
	// Expected marks a finding a scenario provoked on purpose (a fault it
	// injected); it is reported but fails nothing.
	Expected bool `json:"expected,omitempty"`
}

// String renders the finding as the one line users see on the console and in
// reports: "contract: GET /profiles/{profile_id} 200 /status: value is required [missing-required]".
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(string(f.Class))
	b.WriteString(": ")
	if f.Operation != "" {
		b.WriteString(EscapeControls(f.Operation))
		if f.Status != 0 {
			fmt.Fprintf(&b, " %d", f.Status)
		}
		b.WriteString(" ")
	}
	if f.Pointer != "" {
		b.WriteString(EscapeControls(f.Pointer))
		b.WriteString(": ")
	}
	b.WriteString(f.OneLineMessage())
	fmt.Fprintf(&b, " [%s]", f.KindRule())
	return b.String()
}

// OneLineMessage is the message as a one-line finding shows it. A message
// already on one line is only trimmed: its runs of spaces may be inside a
// value it quotes (a header, a name), which folding would misquote.
func (f Finding) OneLineMessage() string {
	msg := strings.TrimSpace(f.Message)
	if strings.ContainsAny(msg, "\r\n\t\v\f") {
		msg = oneline.Fold(msg)
	}
	return msg
}

// KindRule names what the finding broke as its one line shows it: the kind,
// with the finding's own rule when it differs ("undocumented-field properties").
func (f Finding) KindRule() string {
	if f.Rule != "" && f.Rule != f.Kind {
		return f.Kind + " " + f.Rule
	}
	return f.Kind
}

// Fails reports whether the finding fails the scenario that saw it by default.
// Drift never does on its own; the drift gate decides with the baseline.
func (f Finding) Fails() bool { return f.Class != Drift && !f.Expected }

// Key identifies a finding across runs, independent of the scenario that saw
// it and of example values: baselines and observation diffs compare keys.
func (f Finding) Key() string {
	return fmt.Sprintf("%s|%s|%s|%d|%s|%s", f.Class, f.Kind, f.Operation, f.Status, f.Pointer, f.Rule)
}

// EscapeControls keeps a finding on one line when a path, a JSON key or a
// value the target sent holds a newline or another control character: it
// writes them as Go escapes.
func EscapeControls(s string) string {
	if strings.IndexFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f }) < 0 {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// Worst returns the class that decides a failed scenario's verdict when it saw
// several kinds of findings: contract over lifecycle over infrastructure. Drift
// and an empty list give "".
func Worst(fs []Finding) Class {
	rank := map[Class]int{Contract: 3, Lifecycle: 2, Infrastructure: 1}
	var worst Class
	for _, f := range fs {
		if rank[f.Class] > rank[worst] {
			worst = f.Class
		}
	}
	return worst
}
