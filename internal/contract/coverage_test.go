package contract

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDocumentedStatuses(t *testing.T) {
	v, err := defaultValidator()
	require.NoError(t, err)
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
				assert.Nil(t, got)
				return
			}
			assert.True(t, slices.IsSorted(got), "got %v, want ascending", got)
			for _, w := range tc.want {
				assert.Contains(t, got, w)
			}
		})
	}
}

func TestDocumentedEnums(t *testing.T) {
	v, err := defaultValidator()
	require.NoError(t, err)
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
			require.True(t, ok, "no enum at %s; got %v", tc.pointer, got)
			if tc.name != "" {
				assert.Equal(t, tc.name, f.Name)
			}
			assert.Contains(t, f.Values, tc.value)
		})
	}
	assert.Nil(t, v.DocumentedEnums(Operation{Method: "GET", Path: "/nope"}, 200), "unknown operation")
}

func TestEnumValue(t *testing.T) {
	for in, want := range map[any]string{"A": "A", 201.0: "201", 1.5: "1.5", true: "true"} {
		assert.Equal(t, want, EnumValue(in), "EnumValue(%v)", in)
	}
}
