package suite

import (
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/lifecycle"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mockstack"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/timescale"
	"github.com/passfort-conformance/harness/spec"
)

func TestParseModelOptions(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in      string
		want    map[string]string
		wantErr string
	}{
		"unset":       {in: "", want: nil},
		"blank":       {in: "  ", want: nil},
		"one":         {in: "revert_mode=new_application", want: map[string]string{"revert_mode": "new_application"}},
		"spaces":      {in: " revert_mode = same_id ", want: map[string]string{"revert_mode": "same_id"}},
		"two":         {in: "revert_mode=same_id,other=x", want: map[string]string{"revert_mode": "same_id", "other": "x"}},
		"no value":    {in: "revert_mode", wantErr: `PASSFORT_MODEL_OPTIONS: got "revert_mode", want name=value[,name=value], e.g. revert_mode=new_application`},
		"empty value": {in: "revert_mode=", wantErr: `got "revert_mode=", want name=value`},
		"empty pair":  {in: "revert_mode=same_id,", wantErr: `got "", want name=value`},
		"twice":       {in: "revert_mode=same_id,revert_mode=new_application", wantErr: "PASSFORT_MODEL_OPTIONS: option revert_mode given twice"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := parseModelOptions(tc.in)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}

// catalogWith is the embedded catalogue with head (model_options,
// time_scale) put before its products.
func catalogWith(t *testing.T, head string) *catalog.Catalog {
	t.Helper()
	c, err := catalog.Load(append([]byte(head), spec.Products...))
	require.NoError(t, err)
	return c
}

// The environment wins over the catalogue, option by option; the catalogue
// over the model's default. Unknown names and values are one-line errors
// that name the setting and the known ones.
func TestModelOptionsPrecedence(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		catalog, env string
		want         string // revert_mode in effect
		wantErr      string
	}{
		"default":                {want: lifecycle.RevertSameID},
		"catalogue":              {catalog: "model_options: {revert_mode: new_application}\n", want: lifecycle.RevertNewApplication},
		"environment":            {env: "revert_mode=new_application", want: lifecycle.RevertNewApplication},
		"environment wins":       {catalog: "model_options: {revert_mode: new_application}\n", env: "revert_mode=same_id", want: lifecycle.RevertSameID},
		"unknown in environment": {env: "revert=x", wantErr: `PASSFORT_MODEL_OPTIONS: model option: got "revert", want one of revert_mode`},
		"bad value in env":       {env: "revert_mode=maybe", wantErr: `PASSFORT_MODEL_OPTIONS: model option revert_mode: got "maybe", want one of same_id, new_application`},
		"unknown in catalogue":   {catalog: "model_options: {nope: x}\n", wantErr: `acct.yaml: model_options: model option: got "nope", want one of revert_mode`},
		// A bad catalogue is an error even where the environment sets the
		// option: the file is wrong whatever this run overrides.
		"bad catalogue value": {catalog: "model_options: {revert_mode: maybe}\n", env: "revert_mode=same_id", wantErr: `acct.yaml: model_options: model option revert_mode: got "maybe"`},
	}
	model, err := lifecycle.Default()
	require.NoError(t, err)
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			m, err := applyModelOptions(model, catalogWith(t, tc.catalog), "acct.yaml", tc.env)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Equal(t, tc.wantErr, err.Error()[:min(len(tc.wantErr), len(err.Error()))])
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, m.Option("revert_mode"))
			assert.Equal(t, map[string]string{"revert_mode": tc.want}, modelOptionsInEffect(m))
		})
	}
}

// The environment's scale wins over the catalogue's; with neither, a mock
// keeps the written bounds and an account stretches them.
func TestTimeScalePrecedence(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		catalog, env string
		mock         bool
		want         timescale.Scale
		wantErr      string
	}{
		"mock default":        {mock: true, want: 1},
		"account default":     {mock: false, want: timescale.Account},
		"catalogue":           {catalog: "time_scale: 30\n", want: 30},
		"catalogue on a mock": {catalog: "time_scale: 2\n", mock: true, want: 2},
		"environment":         {env: "5", want: 5},
		"environment wins":    {catalog: "time_scale: 30\n", env: "1", want: 1},
		"bad environment":     {env: "0", wantErr: "PASSFORT_TIME_SCALE: got 0, want a number above 0 and at most 1000"},
		"word":                {env: "slow", wantErr: `PASSFORT_TIME_SCALE: got "slow", want a number above 0 and at most 1000`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s, err := resolveTimeScale(tc.env, catalogWith(t, tc.catalog))
			if tc.wantErr != "" {
				require.EqualError(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, defaultTimeScale(s, tc.mock))
		})
	}
}

func TestDescribeSettings(t *testing.T) {
	t.Parallel()
	model, err := lifecycle.Default()
	require.NoError(t, err)
	other, err := model.WithOption("revert_mode", lifecycle.RevertNewApplication)
	require.NoError(t, err)
	assert.Equal(t, "", describeSettings(model, 1), "defaults say nothing")
	assert.Equal(t, "", describeSettings(model, 0), "defaults say nothing")
	assert.Equal(t, ", model options revert_mode=new_application", describeSettings(other, 1))
	assert.Equal(t, ", model options revert_mode=new_application, time bounds ×20", describeSettings(other, 20))
	assert.Equal(t, ", time bounds ×2.5", describeSettings(model, 2.5))
}

// A run against a standalone mock says which flags the mock needs to follow
// the run's options; the mock's flag is -revert-mode.
func TestStandaloneOptionsNote(t *testing.T) {
	t.Parallel()
	model, err := lifecycle.Default()
	require.NoError(t, err)
	other, err := model.WithOption("revert_mode", lifecycle.RevertNewApplication)
	require.NoError(t, err)
	assert.Empty(t, standaloneOptionsNote(model))
	assert.Equal(t, "model options: a standalone mock follows its own flags and reports none; start it with -revert-mode new_application to match", standaloneOptionsNote(other))

	stack, err := mockstack.New(mockstack.Options{Options: mock.Options{RevertMode: lifecycle.RevertNewApplication}})
	require.NoError(t, err)
	srv := httptest.NewServer(stack)
	t.Cleanup(srv.Close)
	res, out := run(t, map[string]string{"r.feature": revertFeature}, func(c *Config) {
		c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: mock.DefaultAPIKey}
		c.Target.ModelOptions = "revert_mode=new_application"
	})
	require.False(t, res.Failed, "console:\n%s", out)
	assert.Contains(t, out, "start it with -revert-mode new_application to match\n")
}

// A bad setting stops the run before any scenario, in one line.
func TestRunRefusesBadTargetSettings(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "acct.yaml")
	require.NoError(t, os.WriteFile(bad, append([]byte("model_options: {revert_mode: sometimes}\n"), spec.Products...), 0o644))
	tests := map[string]struct {
		tweak   func(*Config)
		wantErr string
	}{
		"unknown option":   {func(c *Config) { c.Target.ModelOptions = "revert=new" }, `PASSFORT_MODEL_OPTIONS: model option: got "revert", want one of revert_mode`},
		"malformed option": {func(c *Config) { c.Target.ModelOptions = "revert_mode" }, `PASSFORT_MODEL_OPTIONS: got "revert_mode", want name=value`},
		"catalogue value":  {func(c *Config) { c.CatalogPath = bad }, bad + `: model_options: model option revert_mode: got "sometimes", want one of same_id, new_application`},
		"time scale":       {func(c *Config) { c.Target.TimeScale = "-1" }, "PASSFORT_TIME_SCALE: got -1, want a number above 0 and at most 1000"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := Config{Features: os.DirFS("../.."), Output: io.Discard}
			tc.tweak(&cfg)
			_, err := Run(cfg)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.wantErr)
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

const revertFeature = `Feature: revert
  @mutating
  Scenario: a rejection and its revert
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I reject the application
    And I revert the decision
    Then the status is 200
    And the application's status is APPLIED
`

// The run's model options reach the embedded mock, so the mock and the
// model agree; run.json records the options in effect and the header names
// the ones that are not the defaults.
func TestModelOptionsReachTheEmbeddedMock(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res, out := run(t, map[string]string{"r.feature": revertFeature}, func(c *Config) {
		c.Target.ModelOptions = "revert_mode=new_application"
		c.ReportsDir = dir
	})
	require.False(t, res.Failed, "console:\n%s", out)
	assert.Equal(t, map[string]string{"revert_mode": "new_application"}, res.Run.ModelOptions)
	assert.Contains(t, out, ", model options revert_mode=new_application\n")
	raw, err := os.ReadFile(filepath.Join(dir, "run.json"))
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"model_options":{"revert_mode":"new_application"}`)
	// The mock answered a new application (new_application), not the same one.
	var reverts int
	for _, st := range res.Run.Features[0].Scenarios[0].Steps {
		for _, ex := range st.Exchanges {
			if ex.Method == "POST" && path.Base(ex.Path) == "revert_decision" {
				reverts++
				old := path.Base(path.Dir(ex.Path))
				assert.NotEqual(t, old, gjson.GetBytes(ex.ResponseBody, "id").String(), "revert answered the same application")
			}
		}
	}
	require.Equal(t, 1, reverts, "one revert sent")

	def, defOut := run(t, map[string]string{"r.feature": revertFeature}, nil)
	require.False(t, def.Failed, "console:\n%s", defOut)
	assert.Equal(t, map[string]string{"revert_mode": "same_id"}, def.Run.ModelOptions, "run.json names the defaults too")
	assert.NotContains(t, defOut, "model options", "the header names only options that are not the defaults")
}

// A target that reverts the other way fails on the lifecycle rule, and the
// finding names the setting the user can change.
func TestRevertFindingNamesTheSetting(t *testing.T) {
	t.Parallel()
	res, out := run(t, map[string]string{"r.feature": revertFeature}, func(c *Config) {
		c.Target.ModelOptions = "revert_mode=new_application"
		c.Target.Mock.RevertMode = lifecycle.RevertSameID // the "account" behind the target
	})
	require.True(t, res.Failed, "console:\n%s", out)
	assert.Contains(t, out, "set PASSFORT_MODEL_OPTIONS=revert_mode=same_id (or model_options.revert_mode: same_id in the catalogue) if the target works so")
}

// Shards judged by different model options are not one run; the merged
// run.json keeps the options its shards had.
func TestMergeKeepsModelOptions(t *testing.T) {
	t.Parallel()
	b, err := prepare(Config{Output: io.Discard})
	require.NoError(t, err)
	hash := b.env.Validator.Hash()
	mk := func(id string, line int, opts map[string]string) *report.Run {
		sc := report.Scenario{ID: fmt.Sprintf("features/a.feature:%d", line), Name: "a", Line: line, Status: report.Passed}
		return &report.Run{ID: id, SpecHash: hash, Target: "m", ModelOptions: opts, Features: []report.Feature{{URI: "features/a.feature", Scenarios: []report.Scenario{sc}}}}
	}
	na := map[string]string{"revert_mode": "new_application"}
	merged, err := mergeRuns([]*report.Run{mk("r1", 3, na), mk("r2", 5, map[string]string{"revert_mode": "new_application"})}, hash)
	require.NoError(t, err)
	assert.Equal(t, na, merged.ModelOptions)
	_, err = mergeRuns([]*report.Run{mk("r1", 3, na), mk("r2", 5, map[string]string{"revert_mode": "same_id"})}, hash)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "merge: run r2 judged with model options map[revert_mode:same_id], want map[revert_mode:new_application] like run r1")
}

// With nothing set, an account stretches the written bounds and a mock the
// harness controls keeps them; a set scale wins on both.
func TestTimeScaleByTarget(t *testing.T) {
	t.Parallel()
	const feature = "Feature: f\n  @mutating\n  Scenario: s\n    Given an INDIVIDUAL profile\n    Then the status is 200\n"
	bare, err := mock.New(mock.Options{}) // no admin endpoints: not a mock the harness controls
	require.NoError(t, err)
	account := httptest.NewServer(bare)
	t.Cleanup(account.Close)
	stack, err := mockstack.New(mockstack.Options{})
	require.NoError(t, err)
	standalone := httptest.NewServer(stack)
	t.Cleanup(standalone.Close)
	tests := map[string]struct {
		url, scale string
		header     string // what the header line adds; "" for nothing
	}{
		"embedded mock":           {"", "", ""},
		"standalone mock":         {standalone.URL, "", ""},
		"account":                 {account.URL, "", ", time bounds ×20\n"},
		"account, scale set":      {account.URL, "3", ", time bounds ×3\n"},
		"account, scale set to 1": {account.URL, "1", ""},
		"embedded mock, scale":    {"", "2", ", time bounds ×2\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, out := run(t, map[string]string{"f.feature": feature}, func(c *Config) {
				if tc.url != "" {
					c.Target.Client = target.Config{BaseURL: tc.url + "/4.0", APIKey: mock.DefaultAPIKey}
				}
				c.Target.TimeScale = tc.scale
			})
			require.False(t, res.Failed, "console:\n%s", out)
			i := strings.Index(out, "passfort-conformance: target ")
			require.GreaterOrEqual(t, i, 0, "no header:\n%s", out)
			header, _, _ := strings.Cut(out[i:], "\n")
			if tc.header == "" {
				assert.NotContains(t, header, "time bounds")
				return
			}
			assert.Contains(t, header+"\n", tc.header)
		})
	}
}
