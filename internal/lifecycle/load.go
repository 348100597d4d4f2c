package lifecycle

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/passfort-conformance/harness/internal/oneline"
)

// The YAML shape of spec/lifecycle.yaml. Unknown keys are errors, so a typo
// in a rule is caught at load time rather than silently ignored.
type fileModel struct {
	Version     int            `yaml:"version"`
	Initial     string         `yaml:"initial"`
	Statuses    []fileStatus   `yaml:"statuses"`
	Options     []fileOption   `yaml:"options"`
	Conditions  []fileNamed    `yaml:"conditions"`
	Flags       []fileFlag     `yaml:"flags"`
	Triggers    []fileTrigger  `yaml:"triggers"`
	Transitions []fileTrans    `yaml:"transitions"`
	Refusals    fileRefusals   `yaml:"refusals"`
	Invariants  []fileInvarant `yaml:"invariants"`
}

type fileSourced struct {
	Source string `yaml:"source"`
	Fact   string `yaml:"fact"`
}

type fileNamed struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
}

type fileStatus struct {
	Name        string `yaml:"name"`
	Description string `yaml:"description"`
	Decided     bool   `yaml:"decided"`
	Terminal    bool   `yaml:"terminal"`
	fileSourced `yaml:",inline"`
}

type fileOption struct {
	Name        string   `yaml:"name"`
	Default     string   `yaml:"default"`
	Values      []string `yaml:"values"`
	Description string   `yaml:"description"`
	fileSourced `yaml:",inline"`
}

type fileFlag struct {
	Name        string `yaml:"name"`
	When        string `yaml:"when"`
	Transient   bool   `yaml:"transient"`
	Description string `yaml:"description"`
	fileSourced `yaml:",inline"`
}

type fileTrigger struct {
	Name        string `yaml:"name"`
	FlagOnly    bool   `yaml:"flag_only"`
	Description string `yaml:"description"`
	fileSourced `yaml:",inline"`
}

type fileTrans struct {
	Name        string   `yaml:"name"`
	From        string   `yaml:"from"`
	To          string   `yaml:"to"`
	Cause       string   `yaml:"cause"`
	Triggers    []string `yaml:"triggers"`
	Guard       string   `yaml:"guard"`
	Description string   `yaml:"description"`
	fileSourced `yaml:",inline"`
}

type fileRefusal struct {
	Name        string   `yaml:"name"`
	From        []string `yaml:"from"`
	To          []string `yaml:"to"`
	When        string   `yaml:"when"`
	HTTPStatus  int      `yaml:"http_status"`
	Code        int      `yaml:"code"`
	CodeName    string   `yaml:"code_name"`
	Message     string   `yaml:"message"`
	fileSourced `yaml:",inline"`
}

type fileRefusals struct {
	Rules           []fileRefusal `yaml:"rules"`
	Otherwise       *fileRefusal  `yaml:"otherwise"`
	UnknownStatus   *fileRefusal  `yaml:"unknown_status"`
	RevertUndecided *fileRefusal  `yaml:"revert_undecided"`
}

type fileInvarant struct {
	Name        string `yaml:"name"`
	Scope       string `yaml:"scope"`
	Description string `yaml:"description"`
	fileSourced `yaml:",inline"`
}

// errorCodeName returns the name of a PassFort error code (the codes of
// PassFort's published API description, source S19 in docs/decisions.md), ""
// for an unknown code: a refusal's code_name must match it.
func errorCodeName(code int) string {
	switch code {
	case 101:
		return "MISSING_REQUIRED_FIELDS"
	case 102:
		return "ENTITY_ALREADY_APPROVED"
	case 103:
		return "ENTITY_ALREADY_REJECTED"
	case 104:
		return "CHARGEABLE_LIMIT_REACHED"
	case 105:
		return "CONSTRAINTS_NOT_SATISFIED"
	case 106:
		return "COUNTRY_NOT_SUPPORTED"
	case 107:
		return "CHECK_LIMIT_REACHED"
	case 201:
		return "INVALID_INPUT_DATA"
	case 202:
		return "DATA_PRESENT"
	case 203:
		return "MISSING_API_KEY"
	case 204:
		return "INVALID_API_KEY"
	case 301:
		return "USER_MIGRATION_ERROR"
	case 302:
		return "PROVIDER_CONNECTION_ERROR"
	case 303:
		return "PROVIDER_UNKNOWN_ERROR"
	case 401:
		return "UNKNOWN_INTERNAL_ERROR"
	case 402:
		return "TRANSITION_ERROR"
	case 501:
		return "LEGACY_ERROR"
	case 502:
		return "PROCESS_NOT_SETUP"
	}
	return ""
}

// Load parses and validates a lifecycle model. A broken model gives a
// one-line error naming the rule, e.g.
// `lifecycle model: transition "manual-approve": to: unknown status "APPROVE"`.
func Load(data []byte) (*Model, error) {
	var f fileModel
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("lifecycle model: empty document")
		}
		return nil, fmt.Errorf("lifecycle model: %s", oneline.Fold(err.Error()))
	}
	m, err := build(&f)
	if err != nil {
		return nil, fmt.Errorf("lifecycle model: %w", err)
	}
	return m, nil
}

func build(f *fileModel) (*Model, error) {
	if f.Version != 1 {
		return nil, fmt.Errorf("version: got %d, want 1", f.Version)
	}
	m := &Model{
		terminal:    map[string]bool{},
		decided:     map[string]bool{},
		flagIndex:   map[string]int{},
		byStep:      map[stepKey]int{},
		invariantBy: map[string]Invariant{},
		options:     map[string]option{},
	}
	// One namespace for every rule a finding can name.
	names := map[string]string{}
	claim := func(kind, name string) error {
		if name == "" {
			return fmt.Errorf("%s without a name", kind)
		}
		if prev, ok := names[name]; ok {
			return fmt.Errorf("%s %q: duplicate name (already a %s)", kind, name, prev)
		}
		names[name] = kind
		return nil
	}

	if err := buildStatuses(m, f); err != nil {
		return nil, err
	}
	if err := buildOptions(m, f); err != nil {
		return nil, err
	}
	conds, err := checkConditions(f)
	if err != nil {
		return nil, err
	}
	m.conds = conds
	if err := buildFlags(m, f, conds); err != nil {
		return nil, err
	}
	if err := buildTriggers(m, f); err != nil {
		return nil, err
	}
	if err := buildTransitions(m, f, conds, claim); err != nil {
		return nil, err
	}
	if err := buildRefusals(m, f, conds, claim); err != nil {
		return nil, err
	}
	if err := buildInvariants(m, f, claim); err != nil {
		return nil, err
	}
	m.sources = map[string]string{}
	for _, t := range m.transitions {
		m.sources[t.Name] = t.Source
	}
	for _, r := range m.Refusals() {
		m.sources[r.Name] = r.Source
	}
	for _, inv := range m.invariants {
		m.sources[inv.Name] = inv.Source
	}
	return m, nil
}

func checkSource(kind, name string, s fileSourced) error {
	switch s.Source {
	case Documented:
		if strings.TrimSpace(s.Fact) == "" {
			return fmt.Errorf("%s %q: source documented without a fact", kind, name)
		}
	case Decided:
	case "":
		return fmt.Errorf("%s %q: no source (want documented or decided)", kind, name)
	default:
		return fmt.Errorf("%s %q: source: got %q, want documented or decided", kind, name, s.Source)
	}
	return nil
}

func buildStatuses(m *Model, f *fileModel) error {
	if len(f.Statuses) == 0 {
		return errors.New("statuses: none declared")
	}
	for _, s := range f.Statuses {
		if s.Name == "" {
			return errors.New("status without a name")
		}
		if slices.Contains(m.statuses, s.Name) {
			return fmt.Errorf("status %q: duplicate name", s.Name)
		}
		if err := checkSource("status", s.Name, s.fileSourced); err != nil {
			return err
		}
		if s.Terminal && !s.Decided {
			return fmt.Errorf("status %q: terminal but not decided", s.Name)
		}
		m.statuses = append(m.statuses, s.Name)
		m.terminal[s.Name] = s.Terminal
		m.decided[s.Name] = s.Decided
	}
	if !slices.Contains(m.statuses, f.Initial) {
		return fmt.Errorf("initial: unknown status %q", f.Initial)
	}
	if m.terminal[f.Initial] {
		return fmt.Errorf("initial: status %q is terminal", f.Initial)
	}
	m.initial = f.Initial
	// The code's conditions name these statuses; a model without them cannot be checked.
	for _, s := range []string{statusApproved, statusInReview, statusCancelled} {
		if !slices.Contains(m.statuses, s) {
			return fmt.Errorf("statuses: %s missing (the conditions are defined on it)", s)
		}
	}
	return nil
}

func buildOptions(m *Model, f *fileModel) error {
	for _, o := range f.Options {
		if o.Name == "" {
			return errors.New("option without a name")
		}
		if _, dup := m.options[o.Name]; dup {
			return fmt.Errorf("option %q: duplicate name", o.Name)
		}
		if err := checkSource("option", o.Name, o.fileSourced); err != nil {
			return err
		}
		if !slices.Contains(o.Values, o.Default) {
			return fmt.Errorf("option %q: default %q is not one of %v", o.Name, o.Default, o.Values)
		}
		m.options[o.Name] = option{value: o.Default, def: o.Default, values: slices.Clone(o.Values)}
	}
	rm, ok := m.options["revert_mode"]
	if !ok {
		return errors.New("option \"revert_mode\": missing")
	}
	for _, v := range rm.values {
		if v != RevertSameID && v != RevertNewApplication {
			return fmt.Errorf("option \"revert_mode\": value %q: want %s or %s", v, RevertSameID, RevertNewApplication)
		}
	}
	return nil
}

// checkConditions makes the YAML's condition list and the code's vocabulary
// agree in both directions.
func checkConditions(f *fileModel) (map[string]condition, error) {
	conds := conditions()
	seen := map[string]bool{}
	for _, c := range f.Conditions {
		if _, ok := conds[c.Name]; !ok {
			return nil, fmt.Errorf("condition %q: not implemented (known: %s)", c.Name, strings.Join(sortedKeys(conds), ", "))
		}
		if seen[c.Name] {
			return nil, fmt.Errorf("condition %q: duplicate name", c.Name)
		}
		if strings.TrimSpace(c.Description) == "" {
			return nil, fmt.Errorf("condition %q: no description", c.Name)
		}
		seen[c.Name] = true
	}
	for _, name := range sortedKeys(conds) {
		if !seen[name] {
			return nil, fmt.Errorf("condition %q: implemented but not described", name)
		}
	}
	return conds, nil
}

func buildFlags(m *Model, f *fileModel, conds map[string]condition) error {
	if len(f.Flags) == 0 {
		return errors.New("flags: none declared")
	}
	for i, fl := range f.Flags {
		if fl.Name == "" {
			return errors.New("flag without a name")
		}
		if _, dup := m.flagIndex[fl.Name]; dup {
			return fmt.Errorf("flag %q: duplicate name", fl.Name)
		}
		if err := checkSource("flag", fl.Name, fl.fileSourced); err != nil {
			return err
		}
		if strings.TrimSpace(fl.Description) == "" {
			return fmt.Errorf("flag %q: no description", fl.Name)
		}
		c, ok := conds[fl.When]
		if !ok {
			return fmt.Errorf("flag %q: when: unknown condition %q", fl.Name, fl.When)
		}
		last := i == len(f.Flags)-1
		if (fl.When == "otherwise") != last {
			return fmt.Errorf("flag %q: only the last flag uses when: otherwise, and it must", fl.Name)
		}
		m.flagIndex[fl.Name] = len(m.flags)
		m.flags = append(m.flags, flagRule{name: fl.Name, when: fl.When, cond: c, transient: fl.Transient})
	}
	// The invariants compare flags to these documented ones.
	for _, name := range []string{"DECIDED", "REQUIRES_MANUAL_TASK_COMPLETION", "NEARING_EXPIRY"} {
		if _, ok := m.flagIndex[name]; !ok {
			return fmt.Errorf("flags: %s missing (the invariants are defined on it)", name)
		}
	}
	return nil
}

func buildTriggers(m *Model, f *fileModel) error {
	seen := map[string]bool{}
	for _, t := range f.Triggers {
		if t.Name == "" {
			return errors.New("trigger without a name")
		}
		if seen[t.Name] {
			return fmt.Errorf("trigger %q: duplicate name", t.Name)
		}
		if err := checkSource("trigger", t.Name, t.fileSourced); err != nil {
			return err
		}
		if strings.TrimSpace(t.Description) == "" {
			return fmt.Errorf("trigger %q: no description", t.Name)
		}
		seen[t.Name] = true
		m.triggers = append(m.triggers, Trigger{Name: t.Name, FlagOnly: t.FlagOnly, Description: oneline.Fold(t.Description), Source: t.Source, Fact: t.Fact})
	}
	return nil
}

func buildTransitions(m *Model, f *fileModel, conds map[string]condition, claim func(kind, name string) error) error {
	if len(f.Transitions) == 0 {
		return errors.New("transitions: none declared")
	}
	trig := map[string]Trigger{}
	used := map[string]bool{}
	for _, t := range m.triggers {
		trig[t.Name] = t
	}
	for _, t := range f.Transitions {
		if err := claim("transition", t.Name); err != nil {
			return err
		}
		if err := checkSource("transition", t.Name, t.fileSourced); err != nil {
			return err
		}
		if strings.TrimSpace(t.Description) == "" {
			return fmt.Errorf("transition %q: no description", t.Name)
		}
		if !slices.Contains(m.statuses, t.From) {
			return fmt.Errorf("transition %q: from: unknown status %q", t.Name, t.From)
		}
		if !slices.Contains(m.statuses, t.To) {
			return fmt.Errorf("transition %q: to: unknown status %q", t.Name, t.To)
		}
		if t.From == t.To {
			return fmt.Errorf("transition %q: from and to are both %q", t.Name, t.From)
		}
		switch t.Cause {
		case CauseAutomatic:
			if len(t.Triggers) == 0 {
				return fmt.Errorf("transition %q: automatic without triggers", t.Name)
			}
		case CauseManual, CauseRevert:
			if len(t.Triggers) > 0 || t.Guard != "" {
				return fmt.Errorf("transition %q: triggers and guard are for automatic transitions only", t.Name)
			}
		default:
			return fmt.Errorf("transition %q: cause: got %q, want automatic, manual or revert", t.Name, t.Cause)
		}
		if m.terminal[t.From] && t.Cause != CauseRevert {
			return fmt.Errorf("transition %q: leaves terminal status %q other than by revert", t.Name, t.From)
		}
		for _, name := range t.Triggers {
			tr, ok := trig[name]
			if !ok {
				return fmt.Errorf("transition %q: unknown trigger %q", t.Name, name)
			}
			if tr.FlagOnly {
				return fmt.Errorf("transition %q: trigger %q is flag_only", t.Name, name)
			}
			used[name] = true
		}
		if t.Guard != "" {
			if _, ok := conds[t.Guard]; !ok {
				return fmt.Errorf("transition %q: guard: unknown condition %q", t.Name, t.Guard)
			}
		}
		k := stepKey{t.From, t.To, t.Cause}
		if prev, dup := m.byStep[k]; dup {
			return fmt.Errorf("transition %q: same from, to and cause as %q", t.Name, m.transitions[prev].Name)
		}
		m.byStep[k] = len(m.transitions)
		m.transitions = append(m.transitions, Transition{
			Name: t.Name, From: t.From, To: t.To, Cause: t.Cause,
			Triggers: slices.Clone(t.Triggers), Guard: t.Guard,
			Source: t.Source, Fact: t.Fact, Description: oneline.Fold(t.Description),
		})
	}
	for _, t := range m.triggers {
		if !t.FlagOnly && !used[t.Name] {
			return fmt.Errorf("trigger %q: no transition uses it (mark it flag_only)", t.Name)
		}
	}
	return nil
}

func buildRefusals(m *Model, f *fileModel, conds map[string]condition, claim func(kind, name string) error) error {
	one := func(r *fileRefusal, fixed bool) (RefusalRule, error) {
		if err := claim("refusal", r.Name); err != nil {
			return RefusalRule{}, err
		}
		if err := checkSource("refusal", r.Name, r.fileSourced); err != nil {
			return RefusalRule{}, err
		}
		if r.HTTPStatus < 400 || r.HTTPStatus > 499 {
			return RefusalRule{}, fmt.Errorf("refusal %q: http_status: got %d, want 4xx", r.Name, r.HTTPStatus)
		}
		if want := errorCodeName(r.Code); want == "" || want != r.CodeName {
			return RefusalRule{}, fmt.Errorf("refusal %q: code %d %s: not a PassFort error code and name", r.Name, r.Code, r.CodeName)
		}
		if strings.TrimSpace(r.Message) == "" {
			return RefusalRule{}, fmt.Errorf("refusal %q: no message", r.Name)
		}
		if fixed {
			if len(r.From) > 0 || len(r.To) > 0 || r.When != "" {
				return RefusalRule{}, fmt.Errorf("refusal %q: from, to and when are for refusals.rules only", r.Name)
			}
		} else {
			if len(r.From) == 0 || len(r.To) == 0 {
				return RefusalRule{}, fmt.Errorf("refusal %q: from and to are required", r.Name)
			}
			for _, s := range append(slices.Clone(r.From), r.To...) {
				if s != "*" && !slices.Contains(m.statuses, s) {
					return RefusalRule{}, fmt.Errorf("refusal %q: unknown status %q", r.Name, s)
				}
			}
			if r.When != "" {
				if _, ok := conds[r.When]; !ok {
					return RefusalRule{}, fmt.Errorf("refusal %q: when: unknown condition %q", r.Name, r.When)
				}
			}
		}
		return RefusalRule{
			Name: r.Name, From: slices.Clone(r.From), To: slices.Clone(r.To), When: r.When,
			HTTPStatus: r.HTTPStatus, Code: r.Code, CodeName: r.CodeName, Message: oneline.Fold(r.Message),
			Source: r.Source, Fact: r.Fact,
		}, nil
	}
	for i := range f.Refusals.Rules {
		r, err := one(&f.Refusals.Rules[i], false)
		if err != nil {
			return err
		}
		m.refusals = append(m.refusals, r)
	}
	fixed := []struct {
		key string
		src *fileRefusal
		dst *RefusalRule
	}{
		{"otherwise", f.Refusals.Otherwise, &m.otherwise},
		{"unknown_status", f.Refusals.UnknownStatus, &m.unknown},
		{"revert_undecided", f.Refusals.RevertUndecided, &m.undecided},
	}
	for _, x := range fixed {
		if x.src == nil {
			return fmt.Errorf("refusals.%s: missing", x.key)
		}
		r, err := one(x.src, true)
		if err != nil {
			return err
		}
		*x.dst = r
	}
	return nil
}

func buildInvariants(m *Model, f *fileModel, claim func(kind, name string) error) error {
	impl := invariantScopes()
	for _, inv := range f.Invariants {
		if err := claim("invariant", inv.Name); err != nil {
			return err
		}
		if strings.TrimSpace(inv.Description) == "" {
			return fmt.Errorf("invariant %q: no description", inv.Name)
		}
		if err := checkSource("invariant", inv.Name, inv.fileSourced); err != nil {
			return err
		}
		scope, ok := impl[inv.Name]
		if !ok {
			return fmt.Errorf("invariant %q: no check implements it", inv.Name)
		}
		if inv.Scope != scope {
			return fmt.Errorf("invariant %q: scope: got %q, want %q", inv.Name, inv.Scope, scope)
		}
		v := Invariant{Name: inv.Name, Scope: inv.Scope, Description: oneline.Fold(inv.Description), Source: inv.Source, Fact: inv.Fact}
		m.invariants = append(m.invariants, v)
		m.invariantBy[inv.Name] = v
	}
	for _, name := range sortedKeys(impl) {
		if _, ok := m.invariantBy[name]; !ok {
			return fmt.Errorf("invariant %q: checked by the code but not declared", name)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
