package drift_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/drift"
)

// obs builds observations from "op status field" lines; a field "=value"
// suffix records an enum value at it, a "ct:" field a content type.
func obs(run string, lines ...string) *drift.Observations {
	o := &drift.Observations{Run: run, Operations: map[string]*drift.OpObs{}}
	seen := func() drift.Seen { return drift.Seen{FirstSeen: at, LastSeen: at.Add(time.Hour), Count: 1} }
	for _, l := range lines {
		parts := strings.SplitN(l, " ", 4) // METHOD path status [field]
		name := parts[0] + " " + parts[1]
		op := o.Operations[name]
		if op == nil {
			op = &drift.OpObs{Seen: seen(), Statuses: map[int]*drift.StatusObs{}}
			o.Operations[name] = op
		}
		if len(parts) < 3 {
			continue
		}
		code := 0
		for _, c := range parts[2] {
			code = code*10 + int(c-'0')
		}
		st := op.Statuses[code]
		if st == nil {
			st = &drift.StatusObs{Seen: seen(), ContentTypes: map[string]*drift.Seen{}, Fields: map[string]*drift.Seen{}, Enums: map[string]map[string]*drift.Seen{}}
			op.Statuses[code] = st
		}
		if len(parts) < 4 {
			continue
		}
		f := parts[3]
		s := seen()
		switch ptr, val, isEnum := strings.Cut(f, "="); {
		case strings.HasPrefix(f, "ct:"):
			st.ContentTypes[strings.TrimPrefix(f, "ct:")] = &s
		case isEnum:
			if st.Enums[ptr] == nil {
				st.Enums[ptr] = map[string]*drift.Seen{}
			}
			st.Enums[ptr][val] = &s
		default:
			st.Fields[f] = &s
		}
	}
	return o
}

func TestCompare(t *testing.T) {
	t.Parallel()
	base := []string{"GET /a 200 /id", "GET /a 200 /flag", "GET /a 200 /flag=ON", "GET /a 200 ct:application/json", "GET /a 404 /errors"}
	tests := map[string]struct {
		old, new           []string
		appeared, vanished []string
	}{
		"same": {old: base, new: base},
		"an operation appeared": {
			old: base, new: append(base[:len(base):len(base)], "POST /b 201 /id"),
			appeared: []string{"operation POST /b"},
		},
		"a status vanished: its fields are not listed": {
			old: base, new: base[:4],
			vanished: []string{"status GET /a 404"},
		},
		"a field appeared": {
			old: base, new: append(base[:len(base):len(base)], "GET /a 200 /assignments"),
			appeared: []string{"field GET /a 200 /assignments"},
		},
		"a nested object appeared: only its top": {
			old: base, new: append(base[:len(base):len(base)], "GET /a 200 /risk", "GET /a 200 /risk/level", "GET /a 200 /risk/level=LOW"),
			appeared: []string{"field GET /a 200 /risk"},
		},
		"an enum value appeared and one vanished": {
			old: base, new: append(append([]string{}, base[0], base[1], base[3], base[4]), "GET /a 200 /flag=OFF"),
			appeared: []string{`enum-value GET /a 200 /flag "OFF"`},
			vanished: []string{`enum-value GET /a 200 /flag "ON"`},
		},
		"a content type changed": {
			old: base, new: append(append([]string{}, base[0], base[1], base[2], base[4]), "GET /a 200 ct:text/html"),
			appeared: []string{`content-type GET /a 200 "text/html"`},
			vanished: []string{`content-type GET /a 200 "application/json"`},
		},
		"a field vanished with its enum values": {
			old: base, new: []string{base[0], base[3], base[4]},
			vanished: []string{"field GET /a 200 /flag"},
		},
		"from nothing": {
			old: nil, new: []string{"GET /a 200 /id"},
			appeared: []string{"operation GET /a"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d := drift.Compare(obs("old", tc.old...), obs("new", tc.new...))
			assert.Equal(t, orNone(tc.appeared), lines(d.Appeared), "appeared")
			assert.Equal(t, orNone(tc.vanished), lines(d.Vanished), "vanished")
		})
	}
}

func orNone(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func lines(cs []drift.Change) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.String())
	}
	return out
}

func TestCompareNil(t *testing.T) {
	t.Parallel()
	d := drift.Compare(nil, obs("new", "GET /a 200"))
	assert.Equal(t, []string{"operation GET /a"}, lines(d.Appeared))
	assert.Empty(t, d.Vanished)
}

func TestCompareRealRuns(t *testing.T) {
	t.Parallel()
	v := mustValidator(t)
	d := drift.Compare(drift.Observe(cleanRun(t), v), drift.Observe(driftingRun(t), v))
	assert.Equal(t, []string{
		"field " + getApp + " 200 /extra_field",
		"enum-value " + getApp + ` 200 /flag "BRAND_NEW_FLAG"`,
		"status " + getApp + " 418",
	}, lines(d.Appeared), "sorted by operation, then status")
	assert.Equal(t, []string{"enum-value " + getApp + ` 200 /flag "REQUIRES_MANUAL_TASK_COMPLETION"`}, lines(d.Vanished))

	var b bytes.Buffer
	assert.NoError(t, drift.WriteDiff(&b, d))
	out := b.String()
	assert.Contains(t, out, "observations clean -> drifting: 3 appeared, 1 vanished\n")
	assert.Contains(t, out, "appeared: field "+getApp+" 200 /extra_field (first seen 2026-03-01T10:00:00Z, 1×)\n")
	assert.Contains(t, out, "vanished: enum-value "+getApp+` 200 /flag "REQUIRES_MANUAL_TASK_COMPLETION" (last seen 2026-03-01T10:00:00Z, 1×)`+"\n")
}
