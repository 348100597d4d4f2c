package coverage

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Thresholds is the coverage gate: the minimum percentage of each metric.
// A metric without a threshold is not gated.
type Thresholds map[string]float64

// The coverage metrics a threshold can name.
const (
	MetricOperations  = "operations"  // documented operation × status pairs observed
	MetricTransitions = "transitions" // modelled lifecycle transitions observed
	MetricStates      = "states"      // modelled application statuses observed
	MetricFlags       = "flags"       // modelled application flags observed
	MetricEnums       = "enums"       // documented enum values observed
	MetricFields      = "fields"      // documented fields of the responses received, observed
)

func metrics() []string {
	return []string{MetricOperations, MetricTransitions, MetricStates, MetricFlags, MetricEnums, MetricFields}
}

// ParseThresholds reads the coverage gate: one number for every metric
// ("80"), or a comma-separated list of metric:percent
// ("operations:80,transitions:90,flags:70"), where "all:N" sets every
// metric the list does not name. "" is no gate.
func ParseThresholds(s string) (Thresholds, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	t := Thresholds{}
	if n, err := parsePercent(s); err == nil {
		for _, m := range metrics() {
			t[m] = n
		}
		return t, nil
	}
	all, hasAll := 0.0, false
	for _, part := range strings.Split(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), ":")
		name = strings.ToLower(strings.TrimSpace(name))
		if !ok {
			return nil, fmt.Errorf("coverage minimum: got %q, want a percentage or metric:percent (metrics: all, %s)", part, strings.Join(metrics(), ", "))
		}
		n, err := parsePercent(val)
		if err != nil {
			return nil, fmt.Errorf("coverage minimum %s: %w", name, err)
		}
		switch {
		case name == "all":
			all, hasAll = n, true
		case validMetric(name):
			if _, dup := t[name]; dup {
				return nil, fmt.Errorf("coverage minimum: got %s twice, want it once", name)
			}
			t[name] = n
		default:
			return nil, fmt.Errorf("coverage minimum: got metric %q, want one of all, %s", name, strings.Join(metrics(), ", "))
		}
	}
	if hasAll {
		for _, m := range metrics() {
			if _, ok := t[m]; !ok {
				t[m] = all
			}
		}
	}
	return t, nil
}

func validMetric(name string) bool {
	for _, m := range metrics() {
		if m == name {
			return true
		}
	}
	return false
}

func parsePercent(s string) (float64, error) {
	n, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "%"), 64)
	if err != nil || n < 0 || n > 100 {
		return 0, fmt.Errorf("got %q, want a percentage from 0 to 100", s)
	}
	return n, nil
}

// String renders the thresholds as ParseThresholds reads them, sorted.
func (t Thresholds) String() string {
	keys := make([]string, 0, len(t))
	for k := range t {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ":" + strconv.FormatFloat(t[k], 'f', -1, 64)
	}
	return strings.Join(parts, ",")
}

// Unmet returns one line per threshold the coverage does not reach, in
// metric order; nil when all are met.
func (t Thresholds) Unmet(cf *File) []string {
	if len(t) == 0 || cf == nil {
		return nil
	}
	type measure struct {
		pct             float64
		observed, total int
		what            string
	}
	lc := cf.Lifecycle
	got := map[string]measure{
		MetricOperations:  {cf.Operations.Percent, cf.Operations.Observed, cf.Operations.Documented, "documented operation × status pairs"},
		MetricTransitions: {lc.Transitions.Percent, lc.Transitions.Observed, lc.Transitions.Modelled, "modelled transitions"},
		MetricStates:      {lc.Statuses.Percent, lc.Statuses.Observed, lc.Statuses.Modelled, "modelled application statuses"},
		MetricFlags:       {lc.Flags.Percent, lc.Flags.Observed, lc.Flags.Modelled, "modelled flags"},
		MetricEnums:       {cf.Enums.Percent, cf.Enums.Observed, cf.Enums.Documented, "documented enum values"},
		MetricFields:      {cf.Fields.Percent, cf.Fields.Observed, cf.Fields.Documented, "documented fields of the responses received"},
	}
	var out []string
	for _, m := range metrics() {
		min, ok := t[m]
		if !ok {
			continue
		}
		if g := got[m]; g.pct < min {
			out = append(out, fmt.Sprintf("coverage %s: got %.1f%% (%d of %d %s), want at least %s%%",
				m, g.pct, g.observed, g.total, g.what, strconv.FormatFloat(min, 'f', -1, 64)))
		}
	}
	return out
}
