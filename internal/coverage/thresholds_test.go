package coverage

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParseThresholds(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want Thresholds
		bad  bool
	}{
		"none":          {in: "", want: nil},
		"one for all":   {in: "80", want: Thresholds{"operations": 80, "transitions": 80, "states": 80, "flags": 80, "enums": 80, "fields": 80}},
		"list":          {in: "operations:80, transitions:90,flags:70%", want: Thresholds{"operations": 80, "transitions": 90, "flags": 70}},
		"all and one":   {in: "all:50,fields:10", want: Thresholds{"operations": 50, "transitions": 50, "states": 50, "flags": 50, "enums": 50, "fields": 10}},
		"unknown":       {in: "speed:10", bad: true},
		"over 100":      {in: "flags:101", bad: true},
		"not a number":  {in: "flags:lots", bad: true},
		"twice":         {in: "flags:1,flags:2", bad: true},
		"missing colon": {in: "flags", bad: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseThresholds(tc.in)
			if tc.bad {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want.String(), got.String())
		})
	}
}
