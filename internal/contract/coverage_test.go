package contract

import (
	"slices"
	"testing"
)

func TestDocumentedStatuses(t *testing.T) {
	v, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		op       Operation
		want     []int // must all be present
		wantNone bool
	}{
		"add application": {op: Operation{Method: "POST", Path: "/profiles/{profile_id}/applications"}, want: []int{200, 400}},
		"unknown":         {op: Operation{Method: "GET", Path: "/nope"}, wantNone: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := v.DocumentedStatuses(tc.op)
			if tc.wantNone {
				if got != nil {
					t.Fatalf("got %v, want nil", got)
				}
				return
			}
			if !slices.IsSorted(got) {
				t.Errorf("got %v, want ascending", got)
			}
			for _, w := range tc.want {
				if !slices.Contains(got, w) {
					t.Errorf("got %v, want it to hold %d", got, w)
				}
			}
		})
	}
}

func TestDocumentedEnums(t *testing.T) {
	v, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	op := Operation{Method: "GET", Path: "/profiles/{profile_id}/applications/{application_id}"}
	got := v.DocumentedEnums(op, 200)
	byPtr := map[string]EnumField{}
	for _, f := range got {
		byPtr[f.Pointer] = f
	}
	tests := map[string]struct {
		pointer, name, value string
	}{
		"status":       {"/status", "ProductApplicationStatus", "APPROVED"},
		"flag":         {"/flag", "ProductApplicationFlag", "READY_FOR_DECISION"},
		"blocker type": {"/approval_blockers/*/blocker_type", "", "INCOMPLETE_TASK"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			f, ok := byPtr[tc.pointer]
			if !ok {
				t.Fatalf("no enum at %s; got %v", tc.pointer, got)
			}
			if tc.name != "" && f.Name != tc.name {
				t.Errorf("name: got %q, want %q", f.Name, tc.name)
			}
			if !slices.Contains(f.Values, tc.value) {
				t.Errorf("values: got %v, want %q among them", f.Values, tc.value)
			}
		})
	}
	if v.DocumentedEnums(Operation{Method: "GET", Path: "/nope"}, 200) != nil {
		t.Error("unknown operation: want nil")
	}
}

func TestEnumValue(t *testing.T) {
	for in, want := range map[any]string{"A": "A", 201.0: "201", 1.5: "1.5", true: "true"} {
		if got := EnumValue(in); got != want {
			t.Errorf("EnumValue(%v): got %q, want %q", in, got, want)
		}
	}
}
