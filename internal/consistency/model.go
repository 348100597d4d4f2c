// Package consistency checks that the responses of one scenario agree with
// each other: fields that never change between reads, fields that only move
// forward, redundant fields that must agree, lists and their counts, ids
// that resolve within what the scenario has seen, and tasks that show the
// outcome of the check that completed them. The rules are named in
// spec/consistency.yaml; a finding names the rule it breaks.
package consistency

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/passfort-conformance/harness/spec"
)

// Rule is one named rule of the model.
type Rule struct {
	// Name is the rule's kebab-case name, the `rule` of its findings.
	Name string `yaml:"name"`
	// Description says what the rule holds, in one line.
	Description string `yaml:"description"`
	// Documented is the fact the rule rests on, when the public facts say so.
	Documented string `yaml:"documented"`
	// Decided is the id of the decision the rule rests on (docs/decisions.md).
	Decided string `yaml:"decided"`
}

// Model is the read-consistency model: its rules by name.
type Model struct {
	Rules  []Rule
	byName map[string]Rule
}

// Default parses the embedded spec/consistency.yaml.
func Default() (*Model, error) { return Load(spec.Consistency) }

// Load parses a model and checks that it names exactly the rules this
// package implements, each documented or decided.
func Load(data []byte) (*Model, error) {
	var doc struct {
		Version int    `yaml:"version"`
		Rules   []Rule `yaml:"rules"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("consistency model: %w", err)
	}
	m := &Model{Rules: doc.Rules, byName: map[string]Rule{}}
	for _, r := range doc.Rules {
		switch {
		case r.Name == "":
			return nil, fmt.Errorf("consistency model: a rule has no name")
		case m.byName[r.Name].Name != "":
			return nil, fmt.Errorf("consistency model: rule %q named twice", r.Name)
		case (r.Documented == "") == (r.Decided == ""):
			return nil, fmt.Errorf("consistency model: rule %q: want exactly one of documented and decided", r.Name)
		case r.Decided != "" && !strings.HasPrefix(r.Decided, "D"):
			return nil, fmt.Errorf("consistency model: rule %q: decided %q is not a decision id", r.Name, r.Decided)
		case checks[r.Name] == nil:
			return nil, fmt.Errorf("consistency model: rule %q has no check in internal/consistency", r.Name)
		}
		m.byName[r.Name] = r
	}
	for name := range checks {
		if _, ok := m.byName[name]; !ok {
			return nil, fmt.Errorf("consistency model: check %q is not in the model", name)
		}
	}
	return m, nil
}

// NewChecker returns a checker for one scenario.
func (m *Model) NewChecker() *Checker {
	return &Checker{model: m, res: map[string]*resource{}, out: newOutcomes()}
}
