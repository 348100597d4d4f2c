package lifecycle

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Model options are where the facts about PassFort conflict (spec/lifecycle.yaml
// "options"): each has a default the mock follows, and a run against a target
// that behaves the other way sets the other value. A run sets them through the
// environment or the catalogue (decision D98, docs/decisions.md).

// OptionsEnv is the environment variable that sets model options for a run:
// name=value pairs separated by commas, e.g. "revert_mode=new_application".
const OptionsEnv = "PASSFORT_MODEL_OPTIONS"

// OptionsCatalogKey is the catalogue's mapping of model options
// (PASSFORT_CATALOG's file); the environment wins over it.
const OptionsCatalogKey = "model_options"

// Option returns an option's value, "" for an unknown option.
func (m *Model) Option(name string) string { return m.options[name].value }

// OptionNames returns the model's options, sorted.
func (m *Model) OptionNames() []string { return slices.Sorted(maps.Keys(m.options)) }

// NonDefaultOptions returns the options set to something other than their
// default, by name; nil when every option has its default.
func (m *Model) NonDefaultOptions() map[string]string {
	var out map[string]string
	for name, o := range m.options {
		if o.value != o.def {
			if out == nil {
				out = map[string]string{}
			}
			out[name] = o.value
		}
	}
	return out
}

// WithOption returns a copy of the model with one option set, e.g.
// WithOption("revert_mode", "new_application"). An unknown option or value
// is an error naming the known ones.
func (m *Model) WithOption(name, value string) (*Model, error) {
	return m.WithOptions(map[string]string{name: value})
}

// WithOptions returns a copy of the model with every option of set set.
// The first unknown option or value (in name order) is an error naming the
// known ones.
func (m *Model) WithOptions(set map[string]string) (*Model, error) {
	c := *m
	c.options = maps.Clone(m.options)
	for _, name := range slices.Sorted(maps.Keys(set)) {
		o, ok := c.options[name]
		if !ok {
			return nil, fmt.Errorf("model option: got %q, want one of %s", name, strings.Join(m.OptionNames(), ", "))
		}
		if !slices.Contains(o.values, set[name]) {
			return nil, fmt.Errorf("model option %s: got %q, want one of %s", name, set[name], strings.Join(o.values, ", "))
		}
		o.value = set[name]
		c.options[name] = o
	}
	return &c, nil
}

// OptionAdvice is what a finding tells the user to do when the target
// follows the other value of an option: the settings that select it for a
// run, as a user would type them.
func OptionAdvice(name, value string) string {
	return fmt.Sprintf("set %s=%s=%s (or %s.%s: %s in the catalogue) if the target works so", OptionsEnv, name, value, OptionsCatalogKey, name, value)
}
