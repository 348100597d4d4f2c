package lifecycle

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWithOptions(t *testing.T) {
	t.Parallel()
	m := model(t)
	tests := map[string]struct {
		set     map[string]string
		want    map[string]string // NonDefaultOptions of the copy
		wantErr string
	}{
		"none":                {set: nil, want: nil},
		"the default":         {set: map[string]string{"revert_mode": RevertSameID}, want: nil},
		"another value":       {set: map[string]string{"revert_mode": RevertNewApplication}, want: map[string]string{"revert_mode": RevertNewApplication}},
		"unknown option":      {set: map[string]string{"revert": "x"}, wantErr: `model option: got "revert", want one of revert_mode`},
		"unknown value":       {set: map[string]string{"revert_mode": "maybe"}, wantErr: `model option revert_mode: got "maybe", want one of same_id, new_application`},
		"unknown value first": {set: map[string]string{"revert_mode": "maybe", "zzz": "1"}, wantErr: "revert_mode"},
		"empty value":         {set: map[string]string{"revert_mode": ""}, wantErr: `got "", want one of`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := m.WithOptions(tc.set)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.NonDefaultOptions())
			assert.Nil(t, m.NonDefaultOptions(), "the original keeps its defaults")
		})
	}
}

func TestOptionVocabulary(t *testing.T) {
	t.Parallel()
	m := model(t)
	assert.Equal(t, []string{"revert_mode"}, m.OptionNames())
}

// The advice a finding gives names the settings a user can change, not the
// mock's own flag.
func TestOptionAdviceNamesTheSetting(t *testing.T) {
	t.Parallel()
	assert.Equal(t,
		"set PASSFORT_MODEL_OPTIONS=revert_mode=new_application (or model_options.revert_mode: new_application in the catalogue) if the target works so",
		OptionAdvice("revert_mode", RevertNewApplication))
}
