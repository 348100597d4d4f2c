package oneline

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestFold(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"":                        "",
		"one line":                "one line",
		"  padded  ":              "padded",
		"two\nlines":              "two lines",
		"crlf\r\n\tand tabs":      "crlf and tabs",
		"runs   of    spaces":     "runs of spaces",
		"a trailing space ":       "a trailing space",
		"non-breaking\u00a0space": "non-breaking space",
		"ümlaut stays":            "ümlaut stays",
		" ":                       "",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, want, Fold(in))
		})
	}
}

func TestFirst(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"":                      "",
		"one":                   "one",
		"\n\n  first \nsecond":  "first",
		"first\r\nsecond":       "first",
		"  only line, padded  ": "only line, padded",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, want, First(in))
		})
	}
}

func TestClip(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "short", Clip("short", 80))
	assert.Equal(t, "exactly8", Clip("exactly8", 8))
	assert.Equal(t, "abcde...", Clip("abcdefghij", 8))
	long := strings.Repeat("é", 60) // 120 bytes
	got := Clip(long, 80)
	assert.LessOrEqual(t, len(got), 80)
	assert.True(t, utf8.ValidString(got), "cut on a rune boundary: %q", got)
	assert.True(t, strings.HasSuffix(got, "..."))
	assert.Equal(t, "...", Clip("abcdef", 2), "a limit shorter than the mark keeps only the mark")
}

func TestCount(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "0 requests", Count(0, "request"))
	assert.Equal(t, "1 request", Count(1, "request"))
	assert.Equal(t, "2 requests", Count(2, "request"))
	assert.Equal(t, "1 entry", CountAs(1, "entry", "entries"))
	assert.Equal(t, "3 entries", CountAs(3, "entry", "entries"))
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"", "a b", " a", "a\nb", "a  b", "\u00a0", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		assert.Equal(t, strings.Join(strings.Fields(s), " "), got, "Fold(%q)", s)
		assert.NotContains(t, got, "\n")
	})
}
