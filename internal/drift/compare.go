package drift

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/jsonpointer"
)

// What a Change is about, from the coarsest to the finest.
const (
	WhatOperation   = "operation"
	WhatStatus      = "status"
	WhatContentType = "content-type"
	WhatField       = "field"
	WhatEnumValue   = "enum-value"
)

// Change is one thing one run saw and the other did not.
type Change struct {
	// What is one of the What* constants.
	What      string `json:"what"`
	Operation string `json:"operation"`
	// Status is 0 for an operation.
	Status int `json:"status,omitempty"`
	// Pointer is the field, or the enum's field (templated).
	Pointer string `json:"pointer,omitempty"`
	// Value is the content type or the enum value.
	Value string `json:"value,omitempty"`
	// Seen is when the run that had it saw it.
	Seen Seen `json:"seen"`
}

// String is the change as one line, without its direction.
func (c Change) String() string {
	var b strings.Builder
	b.WriteString(c.What + " " + c.Operation)
	if c.Status != 0 {
		fmt.Fprintf(&b, " %d", c.Status)
	}
	if c.Pointer != "" {
		b.WriteString(" " + c.Pointer)
	}
	if c.What == WhatContentType || c.What == WhatEnumValue {
		b.WriteString(" " + strconv.Quote(c.Value))
	}
	return b.String()
}

// Diff is what changed from one run to the next.
type Diff struct {
	// Old and New are the runs' ids.
	Old string `json:"old"`
	New string `json:"new"`
	// Appeared: seen by the new run only. Vanished: seen by the old run only.
	// A change is listed at its coarsest level: when a status vanished, its
	// fields are not listed one by one.
	Appeared []Change `json:"appeared"`
	Vanished []Change `json:"vanished"`
}

// Compare lists what appeared and what vanished between two runs'
// observations. Runs that ran other scenarios (tags) differ for that reason
// too: compare runs of the same selection. Nil observations count as empty.
func Compare(old, new *Observations) Diff {
	if old == nil {
		old = &Observations{}
	}
	if new == nil {
		new = &Observations{}
	}
	d := Diff{
		Old: old.Run, New: new.Run,
		Appeared: missing(new, old),
		Vanished: missing(old, new),
	}
	return d
}

// missing lists what a saw that b did not, at the coarsest level.
func missing(a, b *Observations) []Change {
	out := []Change{}
	for name, op := range a.Operations {
		if op == nil {
			continue
		}
		bop := b.Operations[name]
		if bop == nil {
			out = append(out, Change{What: WhatOperation, Operation: name, Seen: op.Seen})
			continue
		}
		for code, st := range op.Statuses {
			if st == nil {
				continue
			}
			bst := bop.Statuses[code]
			if bst == nil {
				out = append(out, Change{What: WhatStatus, Operation: name, Status: code, Seen: st.Seen})
				continue
			}
			for ct, s := range st.ContentTypes {
				if bst.ContentTypes[ct] == nil && s != nil {
					out = append(out, Change{What: WhatContentType, Operation: name, Status: code, Value: ct, Seen: *s})
				}
			}
			for ptr, s := range st.Fields {
				if bst.Fields[ptr] == nil && s != nil {
					out = append(out, Change{What: WhatField, Operation: name, Status: code, Pointer: ptr, Seen: *s})
				}
			}
			for ptr, vals := range st.Enums {
				for val, s := range vals {
					if bst.Enums[ptr][val] == nil && s != nil {
						out = append(out, Change{What: WhatEnumValue, Operation: name, Status: code, Pointer: ptr, Value: val, Seen: *s})
					}
				}
			}
		}
	}
	// A field under a field that is also listed (a new object), and the
	// enum values of a listed field, come with it: keep only the outermost.
	fields := map[string]bool{}
	for _, c := range out {
		if c.What == WhatField {
			fields[c.Operation+" "+strconv.Itoa(c.Status)+" "+c.Pointer] = true
		}
	}
	out = slices.DeleteFunc(out, func(c Change) bool {
		var p string
		switch c.What {
		case WhatField:
			p = jsonpointer.Parent(c.Pointer)
		case WhatEnumValue:
			p = c.Pointer // the values of a new field come with it
		default:
			return false
		}
		for ; p != ""; p = jsonpointer.Parent(p) {
			if fields[c.Operation+" "+strconv.Itoa(c.Status)+" "+p] {
				return true
			}
		}
		return false
	})
	rank := map[string]int{WhatOperation: 0, WhatStatus: 1, WhatContentType: 2, WhatField: 3, WhatEnumValue: 4}
	slices.SortFunc(out, func(x, y Change) int {
		return cmp.Or(
			cmp.Compare(x.Operation, y.Operation),
			cmp.Compare(x.Status, y.Status),
			cmp.Compare(rank[x.What], rank[y.What]),
			cmp.Compare(x.Pointer, y.Pointer),
			cmp.Compare(x.Value, y.Value),
		)
	})
	return out
}

// WriteDiff prints a diff for people: one line per change, appeared first.
func WriteDiff(w io.Writer, d Diff) error {
	var b strings.Builder
	fmt.Fprintf(&b, "observations %s -> %s: %d appeared, %d vanished\n", orDash(d.Old), orDash(d.New), len(d.Appeared), len(d.Vanished))
	for _, c := range d.Appeared {
		fmt.Fprintf(&b, "appeared: %s (first seen %s, %d×)\n", c, stamp(c.Seen.FirstSeen), c.Seen.Count)
	}
	for _, c := range d.Vanished {
		fmt.Fprintf(&b, "vanished: %s (last seen %s, %d×)\n", c, stamp(c.Seen.LastSeen), c.Seen.Count)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
