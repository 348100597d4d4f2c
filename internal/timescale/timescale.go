// Package timescale stretches the suite's written time bounds ("within 5
// seconds") for a target that is slower than the mock they were sized for:
// a PassFort account's checks and automation take far longer. The same
// features then wait as long as the target needs (decision D99,
// docs/decisions.md).
package timescale

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Env is the environment variable that sets the scale, e.g. "20".
const Env = "PASSFORT_TIME_SCALE"

// CatalogKey is the catalogue's key for the scale (PASSFORT_CATALOG's
// file); the environment wins over it.
const CatalogKey = "time_scale"

// Max is the largest scale: ×1000 turns the suite's longest written bound
// into hours, past any run deadline, so a bigger value is a typo.
const Max = 1000

// Account is the scale on a target that is not a mock when nothing sets
// one: a demo account's checks and automation take tens of seconds where
// the mock takes milliseconds, and a bound only costs time when it fails.
const Account Scale = 20

// Scale multiplies a written bound. The zero Scale is 1.
type Scale float64

// Check reports whether f is a usable scale: a number above 0, at most Max.
func Check(f float64) error {
	if math.IsNaN(f) || f <= 0 || f > Max {
		return fmt.Errorf("got %s, want a number above 0 and at most %d", strconv.FormatFloat(f, 'g', -1, 64), Max)
	}
	return nil
}

// Parse reads a scale as written in the environment: "20", "1.5".
func Parse(s string) (Scale, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return 0, fmt.Errorf("got %q, want a number above 0 and at most %d", s, Max)
	}
	if err := Check(f); err != nil {
		return 0, err
	}
	return Scale(f), nil
}

// Factor is the multiplier: 1 for the zero Scale.
func (s Scale) Factor() float64 {
	if s == 0 {
		return 1
	}
	return float64(s)
}

// Of returns the bound d stretched by the scale, at most the longest
// time.Duration: a product past it would convert to a negative wait.
func (s Scale) Of(d time.Duration) time.Duration {
	f := float64(d) * s.Factor()
	if f >= math.MaxInt64 {
		return math.MaxInt64
	}
	return time.Duration(f)
}

// String is the scale as a user would write it: "20", "1.5".
func (s Scale) String() string { return strconv.FormatFloat(s.Factor(), 'g', -1, 64) }

// Describe names a written bound and, when the scale changes it, the time
// actually waited: "5s", or "5s (scaled ×20: 1m40s)".
func (s Scale) Describe(d time.Duration) string {
	if s.Factor() == 1 {
		return d.String()
	}
	return fmt.Sprintf("%s (scaled ×%s: %s)", d, s, s.Of(d))
}
