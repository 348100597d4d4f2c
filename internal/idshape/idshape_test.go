package idshape

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestShape(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		s           string
		uuid, lower bool
	}{
		"the guide's id (no RFC 4122 version)": {"a2c4393a-e219-67a4-5ab4-2186952e9038", true, true},
		"upper case":                           {"A2C4393A-E219-67A4-5AB4-2186952E9038", true, false},
		"too short":                            {"a2c4393a-e219-67a4-5ab4-2186952e903", false, false},
		"dash misplaced":                       {"a2c4393ae-219-67a4-5ab4-2186952e9038", false, false},
		"not hex":                              {"g2c4393a-e219-67a4-5ab4-2186952e9038", false, false},
		"empty":                                {"", false, false},
	}
	for name, tc := range tests {
		assert.Equal(t, tc.uuid, IsUUID(tc.s), "%s: IsUUID(%q)", name, tc.s)
		assert.Equal(t, tc.lower, IsLower(tc.s), "%s: IsLower(%q)", name, tc.s)
	}
}
