package timescale

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    Scale
		wantErr string
	}{
		"whole":     {in: "20", want: 20},
		"fraction":  {in: "1.5", want: 1.5},
		"spaces":    {in: " 3 ", want: 3},
		"the cap":   {in: "1000", want: 1000},
		"below one": {in: "0.5", want: 0.5},
		"zero":      {in: "0", wantErr: "got 0, want a number above 0 and at most 1000"},
		"negative":  {in: "-2", wantErr: "got -2, want"},
		"over":      {in: "1001", wantErr: "got 1001, want"},
		"word":      {in: "fast", wantErr: `got "fast", want`},
		"nan":       {in: "NaN", wantErr: "want a number above 0"},
		"inf":       {in: "Inf", wantErr: "want a number above 0"},
		"empty":     {in: "", wantErr: `got "", want`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tc.in)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
	assert.Error(t, Check(math.NaN()))
}

func TestScale(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		s        Scale
		of       time.Duration
		describe string
	}{
		"zero is one": {0, 5 * time.Second, "5s"},
		"one":         {1, 5 * time.Second, "5s"},
		"twenty":      {20, 100 * time.Second, "5s (scaled ×20: 1m40s)"},
		"a fraction":  {1.5, 7500 * time.Millisecond, "5s (scaled ×1.5: 7.5s)"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.of, tc.s.Of(5*time.Second))
			assert.Equal(t, tc.describe, tc.s.Describe(5*time.Second))
		})
	}
}

// A bound stretched past what a time.Duration holds waits the longest
// Duration, not a negative one that would end the wait at once.
func TestOfSaturates(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		s Scale
		d time.Duration
	}{
		"×1000 of a long bound": {Max, math.MaxInt64 / 10},
		"×2 of the longest":     {2, math.MaxInt64},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, time.Duration(math.MaxInt64), tc.s.Of(tc.d))
		})
	}
}
