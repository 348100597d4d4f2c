package idshape

import "testing"

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
		if got := IsUUID(tc.s); got != tc.uuid {
			t.Errorf("%s: IsUUID(%q) = %v, want %v", name, tc.s, got, tc.uuid)
		}
		if got := IsLower(tc.s); got != tc.lower {
			t.Errorf("%s: IsLower(%q) = %v, want %v", name, tc.s, got, tc.lower)
		}
	}
}
