package suite

import (
	"fmt"
	"strings"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/timescale"
)

// The target's own settings beyond where it is: the lifecycle model's
// options and the scale of the features' time bounds. Each comes from the
// environment, else the catalogue (PASSFORT_CATALOG's file), else its
// default (decisions D98 and D99, docs/decisions.md).

// parseModelOptions reads PASSFORT_MODEL_OPTIONS as written: name=value
// pairs separated by commas; "" sets none. The names and values are checked
// against the model by applyModelOptions.
func parseModelOptions(s string) (map[string]string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	out := map[string]string{}
	for _, pair := range strings.Split(s, ",") {
		name, value, ok := strings.Cut(strings.TrimSpace(pair), "=")
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !ok || name == "" || value == "" {
			return nil, fmt.Errorf("%s: got %q, want name=value[,name=value], e.g. revert_mode=new_application", lifecycle.OptionsEnv, pair)
		}
		if _, dup := out[name]; dup {
			return nil, fmt.Errorf("%s: option %s given twice, want each once", lifecycle.OptionsEnv, name)
		}
		out[name] = value
	}
	return out, nil
}

// applyModelOptions sets the catalogue's model options on m, then the
// environment's (written as PASSFORT_MODEL_OPTIONS): the environment wins
// option by option. catalogName names the catalogue in errors.
func applyModelOptions(m *lifecycle.Model, cat *catalog.Catalog, catalogName, fromEnv string) (*lifecycle.Model, error) {
	env, err := parseModelOptions(fromEnv)
	if err != nil {
		return nil, err
	}
	if opts := cat.ModelOptions(); opts != nil {
		if m, err = m.WithOptions(opts); err != nil {
			return nil, fmt.Errorf("%s: %s: %w", catalogName, lifecycle.OptionsCatalogKey, err)
		}
	}
	if m, err = m.WithOptions(env); err != nil {
		return nil, fmt.Errorf("%s: %w", lifecycle.OptionsEnv, err)
	}
	return m, nil
}

// modelOptionsInEffect lists every option of m with its value, for run.json.
func modelOptionsInEffect(m *lifecycle.Model) map[string]string {
	out := map[string]string{}
	for _, name := range m.OptionNames() {
		out[name] = m.Option(name)
	}
	return out
}

// standaloneOptionsNote reminds a run against a standalone mock that the
// mock follows its own flags, not the run's model options, and reports
// none: "" when every option has its default.
func standaloneOptionsNote(m *lifecycle.Model) string {
	flags := nonDefaultOptions(m, func(name, value string) string {
		return "-" + strings.ReplaceAll(name, "_", "-") + " " + value
	})
	if len(flags) == 0 {
		return ""
	}
	return fmt.Sprintf("model options: a standalone mock follows its own flags and reports none; start it with %s to match", strings.Join(flags, " "))
}

// nonDefaultOptions writes each option of m that is not at its default
// with write, in name order; nil when every option has its default.
func nonDefaultOptions(m *lifecycle.Model, write func(name, value string) string) []string {
	opts := m.NonDefaultOptions()
	var out []string
	for _, name := range m.OptionNames() {
		if v, ok := opts[name]; ok {
			out = append(out, write(name, v))
		}
	}
	return out
}

// resolveTimeScale picks the run's time scale: PASSFORT_TIME_SCALE as
// written, else the catalogue's time_scale; 0 when neither sets one (the
// target then decides, see defaultTimeScale).
func resolveTimeScale(fromEnv string, cat *catalog.Catalog) (timescale.Scale, error) {
	if v := strings.TrimSpace(fromEnv); v != "" {
		s, err := timescale.Parse(v)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", timescale.Env, err)
		}
		return s, nil
	}
	return timescale.Scale(cat.TimeScale()), nil
}

// defaultTimeScale is the scale of a target nothing set one for: 1 on a
// mock the harness controls, timescale.Account on anything else (decision
// D99, docs/decisions.md).
func defaultTimeScale(set timescale.Scale, mock bool) timescale.Scale {
	switch {
	case set != 0:
		return set
	case mock:
		return 1
	default:
		return timescale.Account
	}
}

// describeSettings is what the console's header adds for a target whose
// model options or time scale are not the defaults: "" when both are.
func describeSettings(m *lifecycle.Model, s timescale.Scale) string {
	var parts []string
	if kv := nonDefaultOptions(m, func(name, value string) string { return name + "=" + value }); len(kv) > 0 {
		parts = append(parts, "model options "+strings.Join(kv, ","))
	}
	if s.Factor() != 1 {
		parts = append(parts, "time bounds ×"+s.String())
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}
