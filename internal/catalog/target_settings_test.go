package catalog

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A catalogue carries its target's model options and time scale beside the
// products; both are optional.
func TestTargetSettings(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		head        string
		wantOptions map[string]string
		wantScale   float64
		wantErr     string
	}{
		"none":          {},
		"model options": {head: "model_options:\n  revert_mode: new_application\n", wantOptions: map[string]string{"revert_mode": "new_application"}},
		"time scale":    {head: "time_scale: 20\n", wantScale: 20},
		"fractional":    {head: "time_scale: 2.5\n", wantScale: 2.5},
		"both":          {head: "time_scale: 3\nmodel_options: {revert_mode: same_id}\n", wantOptions: map[string]string{"revert_mode": "same_id"}, wantScale: 3},
		"zero scale":    {head: "time_scale: 0\n", wantErr: "catalog: time_scale: got 0, want a number above 0 and at most 1000"},
		"huge scale":    {head: "time_scale: 5000\n", wantErr: "catalog: time_scale: got 5000, want"},
		"word scale":    {head: "time_scale: slow\n", wantErr: "catalog:"},
		"empty value":   {head: "model_options:\n  revert_mode: \"\"\n", wantErr: `catalog: model_options: got "revert_mode": "", want`},
		"nested":        {head: "model_options:\n  revert_mode: [a]\n", wantErr: "catalog:"},
		"unknown key":   {head: "model_option: {}\n", wantErr: "model_option"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := Load([]byte(tc.head + "products:" + validProduct))
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.NotContains(t, err.Error(), "\n", "one line")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantOptions, c.ModelOptions())
			assert.Equal(t, tc.wantScale, c.TimeScale())
		})
	}
}

// The embedded catalogue is the mock's: it sets neither, so the mock's
// defaults hold.
func TestDefaultSetsNoTargetSettings(t *testing.T) {
	t.Parallel()
	c, err := Default()
	require.NoError(t, err)
	assert.Nil(t, c.ModelOptions())
	assert.Zero(t, c.TimeScale())
}
