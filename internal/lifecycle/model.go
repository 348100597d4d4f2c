// Package lifecycle holds the product-application lifecycle model of
// spec/lifecycle.yaml and the checker that holds every application snapshot
// the harness sees against it.
//
// The model is data: statuses, flags in precedence order, the transitions and
// their causes, the refusals the API answers to forbidden status changes, and
// named invariants, each tagged documented or decided; a decided rule cites
// its decision's id (D9, D10, ...) in docs/decisions.md. The mock moves its
// applications with the model's pure decision functions (Flag, Decide, Revert,
// Automatic); the Checker observes every exchange and reports a broken
// invariant or an illegal transition as a lifecycle finding naming the rule.
package lifecycle

import (
	"slices"

	"github.com/passfort-conformance/harness/spec"
)

// Causes of a transition.
const (
	// CauseAutomatic: the target moves the application itself (a trigger).
	CauseAutomatic = "automatic"
	// CauseManual: POST .../applications/{application_id} with a status.
	CauseManual = "manual"
	// CauseRevert: POST .../applications/{application_id}/revert_decision.
	CauseRevert = "revert"
)

// Sources of a rule.
const (
	// Documented: the public facts say so (their sources are listed in
	// docs/decisions.md).
	Documented = "documented"
	// Decided: our reading where the facts are silent or conflict, recorded as
	// a decision in docs/decisions.md.
	Decided = "decided"
)

// Revert modes, the values of the option "revert_mode": decision D10
// (docs/decisions.md).
const (
	RevertSameID         = "same_id"
	RevertNewApplication = "new_application"
)

// Transition is one allowed status change of the model.
type Transition struct {
	// Name is the rule name findings and reports use, e.g. "manual-approve".
	Name string `json:"name"`
	From string `json:"from"`
	To   string `json:"to"`
	// Cause is CauseAutomatic, CauseManual or CauseRevert.
	Cause string `json:"cause"`
	// Triggers name what fires an automatic transition (empty for the others).
	Triggers []string `json:"triggers,omitempty"`
	// Guard is a condition that must hold for an automatic transition, or "".
	Guard string `json:"guard,omitempty"`
	// Source is Documented or Decided; Fact says where the facts say it.
	Source      string `json:"source"`
	Fact        string `json:"fact,omitempty"`
	Description string `json:"description"`
}

// RefusalRule is how the API answers one kind of forbidden status change.
type RefusalRule struct {
	Name string `json:"name"`
	// From and To list statuses, or "*" for any. Empty for the fixed rules
	// (otherwise, unknown status, revert of an undecided application).
	From []string `json:"from,omitempty"`
	To   []string `json:"to,omitempty"`
	// When is a condition on the application's state, or "".
	When       string `json:"when,omitempty"`
	HTTPStatus int    `json:"http_status"`
	Code       int    `json:"code"`
	CodeName   string `json:"code_name"`
	Message    string `json:"message"`
	Source     string `json:"source"`
	Fact       string `json:"fact,omitempty"`
}

// Invariant is one named rule on snapshots.
type Invariant struct {
	Name string `json:"name"`
	// Scope is "snapshot", "pair", "request" or "tasks".
	Scope       string `json:"scope"`
	Description string `json:"description"`
	Source      string `json:"source"`
	Fact        string `json:"fact,omitempty"`
}

// Trigger is one thing that moves an application without a status request.
type Trigger struct {
	Name string `json:"name"`
	// FlagOnly triggers change the flag, never the status.
	FlagOnly    bool   `json:"flag_only,omitempty"`
	Description string `json:"description"`
	Source      string `json:"source"`
	Fact        string `json:"fact,omitempty"`
}

// Model is the loaded lifecycle model. It is immutable and safe for
// concurrent use.
type Model struct {
	statuses    []string
	initial     string
	terminal    map[string]bool
	decided     map[string]bool
	flags       []flagRule
	flagIndex   map[string]int
	transitions []Transition
	// byStep finds a transition by from, to and cause.
	byStep      map[stepKey]int
	refusals    []RefusalRule
	otherwise   RefusalRule
	unknown     RefusalRule
	undecided   RefusalRule
	invariants  []Invariant
	invariantBy map[string]Invariant
	triggers    []Trigger
	options     map[string]option
	// conds is the condition vocabulary, by name.
	conds map[string]condition
	// sources maps every rule name to its source.
	sources map[string]string
}

type flagRule struct {
	name      string
	when      string
	cond      condition
	transient bool
}

type stepKey struct{ from, to, cause string }

type option struct {
	value  string
	def    string
	values []string
}

// Default loads the embedded spec/lifecycle.yaml.
func Default() (*Model, error) { return Load(spec.Lifecycle) }

// Statuses returns the application statuses in model order.
func (m *Model) Statuses() []string { return slices.Clone(m.statuses) }

// Initial returns the status a new application starts in.
func (m *Model) Initial() string { return m.initial }

// Terminal reports whether a status is final (left only through revert_decision).
func (m *Model) Terminal(status string) bool { return m.terminal[status] }

// IsDecided reports whether a status is one in which the flag DECIDED may show.
func (m *Model) IsDecided(status string) bool { return m.decided[status] }

// Flags returns the flags in precedence order: the first whose condition holds wins.
func (m *Model) Flags() []string {
	out := make([]string, len(m.flags))
	for i, f := range m.flags {
		out[i] = f.name
	}
	return out
}

// Transient reports whether the target may change an application on its own
// while it shows this flag.
func (m *Model) Transient(flag string) bool {
	i, ok := m.flagIndex[flag]
	return ok && m.flags[i].transient
}

// Transitions returns every allowed status change.
func (m *Model) Transitions() []Transition {
	out := make([]Transition, len(m.transitions))
	for i, t := range m.transitions {
		t.Triggers = slices.Clone(t.Triggers)
		out[i] = t
	}
	return out
}

// Refusals returns the refusal rules tried in order for a manual change,
// followed by the fixed rules: otherwise, unknown status, revert undecided.
func (m *Model) Refusals() []RefusalRule {
	out := make([]RefusalRule, 0, len(m.refusals)+3)
	for _, r := range m.refusals {
		r.From, r.To = slices.Clone(r.From), slices.Clone(r.To)
		out = append(out, r)
	}
	return append(out, m.otherwise, m.unknown, m.undecided)
}

// Invariants returns the named invariants.
func (m *Model) Invariants() []Invariant { return slices.Clone(m.invariants) }

// Triggers returns the triggers Automatic understands.
func (m *Model) Triggers() []Trigger { return slices.Clone(m.triggers) }

// ruleSource returns the source of any named rule: transition, refusal or invariant.
func (m *Model) ruleSource(name string) string { return m.sources[name] }
