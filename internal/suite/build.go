package suite

import (
	"fmt"
	"net/url"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/report"
)

// maxBuildValue caps each build value, in characters: a label or a
// version is a short text, and every report shows it.
const maxBuildValue = 200

// maxBuildURL caps a build link, in characters: a link cut short would lead
// somewhere else, so a longer one is refused (a CI system's own is left
// out) rather than capped like the other values.
const maxBuildURL = 2000

// BuildFromEnv reads what the pipeline tells a run about itself (decision
// D107, docs/decisions.md): PASSFORT_RUN_LABEL, PASSFORT_SDK,
// PASSFORT_SDK_VERSION, and the commit, branch and job link from
// PASSFORT_COMMIT, PASSFORT_BRANCH and PASSFORT_BUILD_URL, else from the CI
// system's own variables: GitHub Actions (GITHUB_SHA; GITHUB_HEAD_REF on a
// pull request, else GITHUB_REF_NAME; GITHUB_SERVER_URL, GITHUB_REPOSITORY
// and GITHUB_RUN_ID make the run's link) and GitLab CI (CI_COMMIT_SHA,
// CI_COMMIT_REF_NAME, CI_JOB_URL else CI_PIPELINE_URL). Values are folded
// onto one line and capped; a link loses any user name and password it
// carries and is kept whole, never capped. It returns nil when nothing is
// set, and an error when PASSFORT_BUILD_URL is not an http or https URL of
// at most maxBuildURL characters. The run's redactor applies
// to the values as to every text it writes out.
func BuildFromEnv(lookup func(string) (string, bool)) (*report.Build, error) {
	get := func(keys ...string) string {
		for _, k := range keys {
			if v, _ := lookup(k); strings.TrimSpace(v) != "" {
				return cleanBuildValue(v)
			}
		}
		return ""
	}
	b := report.Build{
		Label:      get("PASSFORT_RUN_LABEL"),
		SDK:        get("PASSFORT_SDK"),
		SDKVersion: get("PASSFORT_SDK_VERSION"),
		Commit:     get("PASSFORT_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA"),
		Branch:     get("PASSFORT_BRANCH", "GITHUB_HEAD_REF", "GITHUB_REF_NAME", "CI_COMMIT_REF_NAME"),
	}
	if v, _ := lookup("PASSFORT_BUILD_URL"); strings.TrimSpace(v) != "" {
		u, err := cleanBuildURL(v)
		if err != nil {
			return nil, fmt.Errorf("PASSFORT_BUILD_URL: %w", err)
		}
		b.URL = u
	} else {
		var candidates []string
		if server, repo, id := get("GITHUB_SERVER_URL"), get("GITHUB_REPOSITORY"), get("GITHUB_RUN_ID"); server != "" && repo != "" && id != "" {
			candidates = append(candidates, strings.TrimRight(server, "/")+"/"+repo+"/actions/runs/"+id)
		}
		candidates = append(candidates, get("CI_JOB_URL"), get("CI_PIPELINE_URL"))
		for _, c := range candidates {
			// A CI system's own value that is not a link is left out,
			// not an error: the run did not choose it.
			if u, err := cleanBuildURL(c); c != "" && err == nil {
				b.URL = u
				break
			}
		}
	}
	if b == (report.Build{}) {
		return nil, nil
	}
	return &b, nil
}

// BuildEnviron is BuildFromEnv over the process environment.
func BuildEnviron() (*report.Build, error) { return BuildFromEnv(os.LookupEnv) }

// cleanBuildValue folds v onto one line without control characters and
// caps it.
func cleanBuildValue(v string) string {
	v = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, v)
	v = oneline.Fold(v)
	if utf8.RuneCountInString(v) > maxBuildValue {
		v = string([]rune(v)[:maxBuildValue-1]) + "…"
	}
	return v
}

// cleanBuildURL returns v as an http or https URL without user
// information, whole: at most maxBuildURL characters; the error never
// quotes v, which may hold a password.
func cleanBuildURL(v string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(v))
	if err != nil {
		return "", fmt.Errorf("got a value that does not parse as a URL, want an http or https URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return "", fmt.Errorf("got scheme %q, want an http or https URL with a host", u.Scheme)
	}
	u.User = nil
	// url.Parse refuses control characters and String escapes spaces:
	// the link is one line as it is.
	link := u.String()
	if n := utf8.RuneCountInString(link); n > maxBuildURL {
		return "", fmt.Errorf("got a link of %d characters, want at most %d", n, maxBuildURL)
	}
	return link, nil
}

// copyBuild returns a copy of b, so that redacting a run's build leaves the
// Config's alone; nil for nil.
func copyBuild(b *report.Build) *report.Build {
	if b == nil {
		return nil
	}
	c := *b
	return &c
}
