package suite

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/report"
)

func TestBuildFromEnv(t *testing.T) {
	t.Parallel()
	github := map[string]string{
		"GITHUB_SHA": "0123abcd", "GITHUB_REF_NAME": "main", "GITHUB_SERVER_URL": "https://github.com/",
		"GITHUB_REPOSITORY": "acme/sdk", "GITHUB_RUN_ID": "42",
	}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := map[string]struct {
		env  map[string]string
		want *report.Build
		err  string
	}{
		"nothing set":    {env: nil, want: nil},
		"blank is unset": {env: map[string]string{"PASSFORT_RUN_LABEL": "  ", "GITHUB_SHA": ""}, want: nil},
		"github actions": {env: github, want: &report.Build{Commit: "0123abcd", Branch: "main", URL: "https://github.com/acme/sdk/actions/runs/42"}},
		"github pull request names its head branch": {
			env:  with(github, "GITHUB_HEAD_REF", "feature/x", "GITHUB_REF_NAME", "7/merge"),
			want: &report.Build{Commit: "0123abcd", Branch: "feature/x", URL: "https://github.com/acme/sdk/actions/runs/42"},
		},
		"gitlab job": {
			env:  map[string]string{"CI_COMMIT_SHA": "feedbeef", "CI_COMMIT_REF_NAME": "mr-branch", "CI_JOB_URL": "https://gitlab.example/acme/sdk/-/jobs/9", "CI_PIPELINE_URL": "https://gitlab.example/p/1"},
			want: &report.Build{Commit: "feedbeef", Branch: "mr-branch", URL: "https://gitlab.example/acme/sdk/-/jobs/9"},
		},
		"gitlab pipeline when no job url": {
			env:  map[string]string{"CI_PIPELINE_URL": "https://gitlab.example/p/1"},
			want: &report.Build{URL: "https://gitlab.example/p/1"},
		},
		"explicit settings win": {
			env: with(github, "PASSFORT_RUN_LABEL", "nightly\ndemo", "PASSFORT_SDK", "passfort-go", "PASSFORT_SDK_VERSION", "v1.2.3",
				"PASSFORT_COMMIT", "c0ffee", "PASSFORT_BRANCH", "release", "PASSFORT_BUILD_URL", "https://user:pa55@ci.example/b/1"),
			want: &report.Build{Label: "nightly demo", SDK: "passfort-go", SDKVersion: "v1.2.3", Commit: "c0ffee", Branch: "release", URL: "https://ci.example/b/1"},
		},
		"a CI link that is not one is left out": {
			env:  map[string]string{"CI_JOB_URL": "javascript:alert(1)", "CI_COMMIT_SHA": "feedbeef"},
			want: &report.Build{Commit: "feedbeef"},
		},
		"a long label is capped": {
			env:  map[string]string{"PASSFORT_RUN_LABEL": strings.Repeat("x", 500)},
			want: &report.Build{Label: strings.Repeat("x", maxBuildValue-1) + "…"},
		},
		"a long link is kept whole, never cut into a wrong one": {
			env:  map[string]string{"PASSFORT_BUILD_URL": "https://ci.example/" + strings.Repeat("a", 300)},
			want: &report.Build{URL: "https://ci.example/" + strings.Repeat("a", 300)},
		},
		"a link too long to be one is refused": {
			env: map[string]string{"PASSFORT_BUILD_URL": "https://ci.example/" + strings.Repeat("a", maxBuildURL)},
			err: fmt.Sprintf("PASSFORT_BUILD_URL: got a link of %d characters, want at most %d", len("https://ci.example/")+maxBuildURL, maxBuildURL),
		},
		"bad explicit link": {env: map[string]string{"PASSFORT_BUILD_URL": "ftp://secret@host/x"}, err: `PASSFORT_BUILD_URL: got scheme "ftp", want an http or https URL with a host`},
		"link without host": {env: map[string]string{"PASSFORT_BUILD_URL": "https:///path"}, err: "PASSFORT_BUILD_URL: got scheme \"https\""},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, err := BuildFromEnv(func(k string) (string, bool) { v, ok := tc.env[k]; return v, ok })
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				assert.NotContains(t, err.Error(), "secret")
				assert.NotContains(t, err.Error(), "\n")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}
}
