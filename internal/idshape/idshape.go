// Package idshape recognises PassFort ids: 32 hex digits in 8-4-4-4-12
// groups. Only the shape is checked, not an RFC 4122 version or variant:
// every id in PassFort's own guide (a2c4393a-e219-67a4-5ab4-2186952e9038)
// would fail that check.
package idshape

// IsUUID reports whether s has the 8-4-4-4-12 hex shape, in either case.
func IsUUID(s string) bool { return shaped(s, true) }

// IsLower reports whether s has the shape in lower case, as PassFort and the
// mock write ids.
func IsLower(s string) bool { return shaped(s, false) }

func shaped(s string, upperOK bool) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || upperOK && 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}
