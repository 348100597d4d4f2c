package cilint

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// The examples compare each run with the last good one (-previous, through
// PASSFORT_PREVIOUS). A previous run that cannot be read fails the merge
// with exit 2, so the tests below run the examples' own scripts, with fakes
// of gh and of the binary, and check that the variable is set exactly when
// a previous run.json is there, and that no missing previous run fails a job.

// previousDir is where both examples put the previous run's reports.
const previousDir = "previous"

// githubStep is the part of a GitHub Actions step the checks read.
type githubStep struct {
	Name string            `yaml:"name"`
	Env  map[string]string `yaml:"env"`
	Run  string            `yaml:"run"`
}

// githubPreviousStep returns the run: script of the merge job's step that
// downloads the previous run, after checking where it stands and what it is
// given: before the merge, whose -previous it sets, with gh's token and
// repository from the environment.
func githubPreviousStep(t *testing.T) string {
	t.Helper()
	var wf struct {
		Jobs map[string]struct {
			Steps []githubStep `yaml:"steps"`
		} `yaml:"jobs"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(readExample(t, githubExample)), &wf))
	for name, job := range wf.Jobs {
		fetch, merge := -1, -1
		for i, st := range job.Steps {
			if strings.Contains(st.Run, "gh run download") {
				fetch = i
			}
			if strings.Contains(st.Run, "./conformance merge") {
				merge = i
			}
		}
		if fetch < 0 {
			continue
		}
		require.GreaterOrEqual(t, merge, 0, "job %s downloads a previous run but merges nothing", name)
		assert.Less(t, fetch, merge, "job %s: step %d fetches the previous run, after the merge (step %d)", name, fetch, merge)
		st := job.Steps[fetch]
		assert.Equal(t, map[string]string{"GH_TOKEN": "${{ github.token }}", "GH_REPO": "${{ github.repository }}"}, st.Env,
			"job %s: step %q: env", name, st.Name)
		assert.NotContains(t, st.Run, "${{", "job %s: step %q: an expression in a script is injected as code; pass it through env", name, st.Name)
		return st.Run
	}
	require.FailNow(t, "no step runs gh run download", "%s", githubExample.path)
	return ""
}

// fakeGH stands for the gh CLI: it logs its arguments to $FAKE_GH_LOG,
// lists $FAKE_GH_RUNS (JSON) through the caller's --jq as gh does, or fails
// the listing when FAKE_GH_RUNS is "fail", and makes a download write what
// $FAKE_GH_DOWNLOAD says into --dir.
const fakeGH = `#!/bin/sh
printf '%s\n' "$*" >>"$FAKE_GH_LOG"
cmd="$1 $2"
jq_expr= dir=
while [ $# -gt 0 ]; do
	case "$1" in
	--jq) jq_expr=$2 ;;
	--dir) dir=$2 ;;
	esac
	shift
done
case "$cmd" in
"run list")
	[ "$FAKE_GH_RUNS" != fail ] || { echo "HTTP 403: Resource not accessible by integration" >&2; exit 1; }
	printf '%s' "$FAKE_GH_RUNS" | jq -r "$jq_expr"
	;;
"run download")
	case "$FAKE_GH_DOWNLOAD" in
	fail) echo "no valid artifacts found to download" >&2; exit 1 ;;
	run.json) mkdir -p "$dir" && echo '{"scenarios": []}' >"$dir/run.json" ;;
	empty-run.json) mkdir -p "$dir" && : >"$dir/run.json" ;;
	summary-only) mkdir -p "$dir" && echo '# run' >"$dir/summary.md" ;;
	esac
	;;
*) echo "fake gh: unexpected command: $cmd" >&2; exit 64 ;;
esac
`

// TestGitHubComparesWithTheLastSuccessfulRun runs the example's step with a
// fake gh: PASSFORT_PREVIOUS reaches the merge only when the last
// successful run's artifact brought a run.json, and nothing else fails the
// step.
func TestGitHubComparesWithTheLastSuccessfulRun(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	require.NoError(t, err, "the runner's shell")
	requireTool(t, "jq") // the fake gh applies the step's --jq with it
	script := githubPreviousStep(t)

	cases := map[string]struct {
		runs, download string
		wantEnv        string // what the step appends to $GITHUB_ENV
	}{
		"the last successful run has reports": {runs: `[{"databaseId": 42}]`, download: "run.json", wantEnv: "PASSFORT_PREVIOUS=previous\n"},
		"no successful run yet":               {runs: `[]`},
		"the listing fails":                   {runs: "fail"},
		"the artifact expired":                {runs: `[{"databaseId": 42}]`, download: "fail"},
		"the artifact holds no run.json":      {runs: `[{"databaseId": 42}]`, download: "summary-only"},
		"the artifact's run.json is empty":    {runs: `[{"databaseId": 42}]`, download: "empty-run.json"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			bin := filepath.Join(dir, "bin")
			require.NoError(t, os.Mkdir(bin, 0o755))
			require.NoError(t, os.WriteFile(filepath.Join(bin, "gh"), []byte(fakeGH), 0o755))
			work := filepath.Join(dir, "work")
			require.NoError(t, os.Mkdir(work, 0o755))
			githubEnv, ghLog := filepath.Join(dir, "github_env"), filepath.Join(dir, "gh.log")
			require.NoError(t, os.WriteFile(githubEnv, nil, 0o644)) // the runner creates it

			// bash -e is how GitHub runs a step without shell: on Linux.
			cmd := exec.Command(bash, "-e", "-c", script)
			cmd.Dir = work
			cmd.Env = append(os.Environ(),
				"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
				"GITHUB_ENV="+githubEnv, "GITHUB_WORKFLOW=conformance", "GITHUB_REF_NAME=main",
				"GH_TOKEN=token", "GH_REPO=owner/repo",
				"FAKE_GH_LOG="+ghLog, "FAKE_GH_RUNS="+tc.runs, "FAKE_GH_DOWNLOAD="+tc.download)
			out, err := cmd.CombinedOutput()
			require.NoError(t, err, "the step failed:\n%s", out)

			env, err := os.ReadFile(githubEnv)
			require.NoError(t, err)
			assert.Equal(t, tc.wantEnv, string(env), "$GITHUB_ENV; the step printed:\n%s", out)
			if tc.wantEnv == "" {
				assert.Contains(t, string(out), "not compared", "the step says the run is not compared")
			}
			calls, err := os.ReadFile(ghLog)
			require.NoError(t, err)
			assert.Contains(t, string(calls), "run list --workflow conformance --branch main --status success --limit 1",
				"gh's calls: the last successful run of this workflow on this branch")
			if tc.runs != "fail" && tc.runs != "[]" {
				assert.Contains(t, string(calls), "run download 42 --name conformance-reports --dir "+previousDir, "gh's calls")
			}
		})
	}
}

// fakeConformance stands for the binary's merge: it logs the
// PASSFORT_PREVIOUS it was given ("unset" when it was not) to $FAKE_LOG,
// writes $FAKE_RUN as -out's run.json, as a merge writes its reports
// whatever its verdict, and exits with $FAKE_EXIT.
const fakeConformance = `#!/bin/sh
echo "${PASSFORT_PREVIOUS-unset}" >>"$FAKE_LOG"
out=
while [ $# -gt 0 ]; do
	[ "$1" != -out ] || out=$2
	shift
done
mkdir -p "$out" && echo "$FAKE_RUN" >"$out/run.json"
exit "$FAKE_EXIT"
`

// TestGitLabComparesWithTheLastGoodMerge runs the merge job's script three
// times in one directory, as jobs that share the branch's cache: a first
// run is not compared, the next is compared with it, and a failed merge
// leaves the cached run as it was.
func TestGitLabComparesWithTheLastGoodMerge(t *testing.T) {
	t.Parallel()
	sh, err := exec.LookPath("sh")
	require.NoError(t, err, "the job's shell")
	job := gitlabMergeJob(t)
	assert.Equal(t, "conformance-previous-$CI_COMMIT_REF_SLUG", job.Cache.Key, "the cache holds one branch's last good run")
	assert.Equal(t, []string{previousDir + "/"}, job.Cache.Paths, "cache paths")
	assert.Equal(t, "on_success", job.Cache.When, "a failed run must not become the one compared with")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "conformance"), []byte(fakeConformance), 0o755))
	log := filepath.Join(dir, "merges.log")
	script := strings.Join(job.Script, "\n")
	runJob := func(run string, exit string) ([]byte, error) {
		// A new job: only the cache (previous/) survives the last one.
		require.NoError(t, os.RemoveAll(filepath.Join(dir, "reports")))
		// sh -e: the runner stops a job at its first failing line.
		cmd := exec.Command(sh, "-e", "-c", script)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "CI_COMMIT_REF_NAME=main", "FAKE_LOG="+log, "FAKE_RUN="+run, "FAKE_EXIT="+exit)
		return cmd.CombinedOutput()
	}
	lastMerge := func() string {
		raw, err := os.ReadFile(log)
		require.NoError(t, err)
		lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
		return lines[len(lines)-1]
	}
	cached := func() string {
		raw, err := os.ReadFile(filepath.Join(dir, previousDir, "run.json"))
		require.NoError(t, err, "the cached previous run")
		return strings.TrimSpace(string(raw))
	}

	out, err := runJob("first", "0")
	require.NoError(t, err, "the first job failed:\n%s", out)
	assert.Equal(t, "unset", lastMerge(), "the first merge's PASSFORT_PREVIOUS: there is no previous run")
	assert.Contains(t, string(out), "not compared", "the first job says the run is not compared")
	assert.Equal(t, "first", cached(), "after the first job")

	out, err = runJob("second", "0")
	require.NoError(t, err, "the second job failed:\n%s", out)
	assert.Equal(t, previousDir, lastMerge(), "the second merge's PASSFORT_PREVIOUS")
	assert.Equal(t, "second", cached(), "after the second job")

	out, err = runJob("failed", "1")
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "a failed merge must fail the job: got %v:\n%s", err, out)
	assert.Equal(t, previousDir, lastMerge(), "the failed merge's PASSFORT_PREVIOUS")
	assert.Equal(t, "second", cached(), "a failed merge must leave the last good run cached")
}

// gitlabMergeJob returns the job that runs ./conformance merge.
func gitlabMergeJob(t *testing.T) gitlabJob {
	t.Helper()
	for _, job := range gitlabJobs(t) {
		if strings.Contains(strings.Join(job.Script, "\n"), "./conformance merge") {
			return job
		}
	}
	require.FailNow(t, "no job runs ./conformance merge", "%s", gitlabExample.path)
	return gitlabJob{}
}

// requireTool skips the test when a tool it needs is not on PATH, unless
// CI=true: CI must run every check, so there it fails.
func requireTool(t *testing.T, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		if os.Getenv("CI") == "true" {
			require.NoError(t, err, "%s is needed", name)
		}
		t.Skipf("%s is not on PATH (CI=true makes this a failure)", name)
	}
}
