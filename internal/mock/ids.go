package mock

import (
	"sync/atomic"
	"time"
)

// id is a PassFort id stored as 16 bytes (rendered lower-case 8-4-4-4-12 hex).
type id [16]byte

const hexDigits = "0123456789abcdef"

// String renders the id as lower-case 8-4-4-4-12 hex.
func (x id) String() string {
	var b [36]byte
	j := 0
	for i, c := range x {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b[j] = '-'
			j++
		}
		b[j] = hexDigits[c>>4]
		b[j+1] = hexDigits[c&0x0f]
		j += 2
	}
	return string(b[:])
}

// parseID reads an 8-4-4-4-12 hex id (either case). Anything else names no
// resource: the caller answers 404, as the contract says for ids that are not
// id-shaped.
func parseID(s string) (id, bool) {
	var x id
	if len(s) != 36 {
		return x, false
	}
	j := 0
	for i := 0; i < 36; i++ {
		if i == 8 || i == 13 || i == 18 || i == 23 {
			if s[i] != '-' {
				return x, false
			}
			continue
		}
		hi, ok1 := unhex(s[i])
		lo, ok2 := unhex(s[i+1])
		if !ok1 || !ok2 {
			return x, false
		}
		x[j] = hi<<4 | lo
		j++
		i++
	}
	return x, true
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// idGen hands out deterministic ids: the n-th id of a server depends only on
// its seed and n, so two mocks with the same seed given the same requests in
// the same order answer with the same ids.
type idGen struct {
	seed uint64
	n    atomic.Uint64
}

func newIDGen(seed int64) *idGen { return &idGen{seed: uint64(seed)} }

func (g *idGen) next() id {
	n := g.n.Add(1)
	return g.at(n)
}

// at returns the id for counter value n (splitmix64 over the seed).
func (g *idGen) at(n uint64) id {
	var x id
	a := splitmix(g.seed ^ splitmix(2*n))
	b := splitmix(g.seed ^ splitmix(2*n+1))
	for i := 0; i < 8; i++ {
		x[i] = byte(a >> (56 - 8*i))
		x[8+i] = byte(b >> (56 - 8*i))
	}
	return x
}

func splitmix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// stamp is an instant in Unix nanoseconds; the store keeps times this way.
type stamp = int64

// dateTime renders a stamp in PassFort's "YYYY-MM-DD hh:mm:ss" UTC form.
func dateTime(t stamp) string {
	var b [19]byte
	return string(appendDateTime(b[:0], t))
}

func appendDateTime(b []byte, t stamp) []byte {
	tm := time.Unix(0, t).UTC()
	y, mo, d := tm.Date()
	h, mi, s := tm.Clock()
	b = append4(b, y)
	b = append(b, '-')
	b = append2(b, int(mo))
	b = append(b, '-')
	b = append2(b, d)
	b = append(b, ' ')
	b = append2(b, h)
	b = append(b, ':')
	b = append2(b, mi)
	b = append(b, ':')
	return append2(b, s)
}

func append2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func append4(b []byte, v int) []byte {
	if v < 0 || v > 9999 {
		v = 0 // outside what the format can say; the clock never gets there
	}
	return append(b, byte('0'+v/1000), byte('0'+v/100%10), byte('0'+v/10%10), byte('0'+v%10))
}
