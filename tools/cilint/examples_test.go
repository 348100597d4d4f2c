package cilint

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/passfort-conformance/harness/internal/drift"
)

// The checks below hold what the linters do not know about: how the
// examples must call this project's binary and what a PassFort run needs.

// demoBaseline is the drift baseline of a demo account, which both examples
// gate the merged run with.
const demoBaseline = "spec/drift-baseline-demo.yaml"

// TestGitHubActionsArePinnedToCommits: a tag can be moved to other code, a
// commit cannot; the trailing comment names the release for a person or a
// bot that updates the pin.
func TestGitHubActionsArePinnedToCommits(t *testing.T) {
	t.Parallel()
	usesLine := regexp.MustCompile(`^\s*(?:-\s+)?uses:\s`)
	pinned := regexp.MustCompile(`^\s*(?:-\s+)?uses: [\w.-]+/[\w.-]+(?:/[\w./-]+)?@[0-9a-f]{40} # v\d+\.\d+\.\d+$`)
	lines := strings.Split(readExample(t, githubExample), "\n")
	count := 0
	for i, line := range lines {
		if !usesLine.MatchString(line) {
			continue
		}
		count++
		assert.True(t, pinned.MatchString(line), "%s:%d: got %q, want uses: owner/repo@<40-hex commit> # vX.Y.Z",
			githubExample.path, i+1, strings.TrimSpace(line))
	}
	assert.Positive(t, count, "%s: no uses: lines found", githubExample.path)
}

// TestGitHubJobsMayDoWhatTheirActionsDo: GitHub refuses a SARIF upload or a
// check run to a token without the permission, and the run fails late.
func TestGitHubJobsMayDoWhatTheirActionsDo(t *testing.T) {
	t.Parallel()
	needs := map[string]string{ // action (without the ref) → permission it writes with
		"github/codeql-action/upload-sarif": "security-events",
		"mikepenz/action-junit-report":      "checks",
	}
	var wf struct {
		Permissions map[string]string `yaml:"permissions"`
		Jobs        map[string]struct {
			Permissions map[string]string `yaml:"permissions"`
			Steps       []struct {
				Uses string `yaml:"uses"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(readExample(t, githubExample)), &wf))
	seen := map[string]bool{}
	for name, job := range wf.Jobs {
		granted := wf.Permissions
		if job.Permissions != nil { // a job's permissions replace the workflow's
			granted = job.Permissions
		}
		for _, step := range job.Steps {
			action, _, _ := strings.Cut(step.Uses, "@")
			perm, ok := needs[action]
			if !ok {
				continue
			}
			seen[action] = true
			assert.Equal(t, "write", granted[perm], "job %s uses %s: permission %s: got %q, want write", name, action, perm, granted[perm])
		}
	}
	for action := range needs {
		assert.True(t, seen[action], "%s: no step uses %s; update this test if it was replaced", githubExample.path, action)
	}
}

// TestGitLabPublishesJUnitFromTheMergeOnly: the merged run holds every
// scenario once; publishing the shards' files too counts each twice.
func TestGitLabPublishesJUnitFromTheMergeOnly(t *testing.T) {
	t.Parallel()
	jobs := gitlabJobs(t)
	merges := 0
	for name, job := range jobs {
		if strings.Contains(strings.Join(job.Script, "\n"), "./conformance merge") {
			merges++
			assert.NotEmpty(t, job.Artifacts.Reports.JUnit, "job %s merges the shards but publishes no JUnit report", name)
		} else {
			assert.Empty(t, job.Artifacts.Reports.JUnit, "job %s does not merge but publishes a JUnit report: every scenario would count twice", name)
		}
	}
	assert.Equal(t, 1, merges, "%s: jobs that run ./conformance merge", gitlabExample.path)
}

// TestGitLabJobsHaveCACertificates: the binary is static and verifies
// PassFort's certificate against the system roots; a slim image without CA
// certificates fails every call.
func TestGitLabJobsHaveCACertificates(t *testing.T) {
	t.Parallel()
	runs := 0
	for name, job := range gitlabJobs(t) {
		if !strings.Contains(strings.Join(job.Script, "\n"), "./conformance") {
			continue
		}
		runs++
		assert.Contains(t, strings.Join(job.BeforeScript, "\n"), "ca-certificates",
			"job %s (image %s) runs ./conformance without checking for or installing CA certificates", name, job.Image)
	}
	assert.Positive(t, runs, "%s: no job runs ./conformance", gitlabExample.path)
}

// TestExamplesGateTheDemoBaseline: the mock's baseline accepts the mock's
// gaps, which would hide a real account's drift.
func TestExamplesGateTheDemoBaseline(t *testing.T) {
	t.Parallel()
	_, err := drift.LoadBaseline(filepath.Join(repoRoot(t), demoBaseline))
	require.NoError(t, err)
	for _, ex := range []example{githubExample, gitlabExample} {
		commands := conformanceCommands(t, ex)
		var baselines []string
		for _, c := range commands {
			if v, ok := c.flags["drift-baseline"]; ok {
				baselines = append(baselines, v)
			}
		}
		assert.Equal(t, []string{demoBaseline}, baselines, "%s: -drift-baseline values", ex.path)
	}
}

// TestExamplesUseTheBinarysFlags compares the flags the examples pass with
// the ones cmd/conformance (and its merge subcommand) prints in -h.
func TestExamplesUseTheBinarysFlags(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "conformance")
	build := exec.Command("go", "build", "-o", bin, "./cmd/conformance")
	build.Dir = repoRoot(t)
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build ./cmd/conformance:\n%s", out)
	known := map[bool]map[string]bool{false: helpFlags(t, bin), true: helpFlags(t, bin, "merge")}

	for _, ex := range []example{githubExample, gitlabExample} {
		shard, merge := shardAndMerge(t, ex)
		for _, c := range []command{shard, merge} {
			for flag := range c.flags {
				assert.True(t, known[c.merge][flag], "%s: %q: flag -%s: not a flag of %s", ex.path, c.text, flag, c.name())
			}
		}
	}
}

// TestMergeReadsWhatTheShardsWrote follows each shard's reports directory
// through the CI's artifacts to the directories the merge is given: a
// mismatch fails only in CI, as a merge of missing shards.
func TestMergeReadsWhatTheShardsWrote(t *testing.T) {
	t.Parallel()
	t.Run("github", func(t *testing.T) {
		t.Parallel()
		var wf struct {
			Jobs map[string]struct {
				Strategy struct {
					Matrix struct {
						Shard []int `yaml:"shard"`
					} `yaml:"matrix"`
				} `yaml:"strategy"`
				Steps []struct {
					Uses string            `yaml:"uses"`
					With map[string]string `yaml:"with"`
				} `yaml:"steps"`
			} `yaml:"jobs"`
		}
		require.NoError(t, yaml.Unmarshal([]byte(compactExpressions(readExample(t, githubExample))), &wf))
		shard, merge := shardAndMerge(t, githubExample)
		var shards []int
		var uploadName, downloadPattern, downloadPath string
		for _, job := range wf.Jobs {
			for _, step := range job.Steps {
				switch {
				case strings.HasPrefix(step.Uses, "actions/upload-artifact@") && step.With["path"] == shard.flags["reports"]:
					shards, uploadName = job.Strategy.Matrix.Shard, step.With["name"]
				case strings.HasPrefix(step.Uses, "actions/download-artifact@") && step.With["pattern"] != "":
					downloadPattern, downloadPath = step.With["pattern"], step.With["path"]
				}
			}
		}
		require.NotEmpty(t, uploadName, "no upload-artifact step uploads the shard's -reports %s", shard.flags["reports"])
		require.NotEmpty(t, shards, "the shard job has no matrix.shard values")
		want := make([]string, 0, len(shards))
		for _, i := range shards {
			name := strings.ReplaceAll(uploadName, "${{matrix.shard}}", strconv.Itoa(i))
			ok, err := filepath.Match(downloadPattern, name)
			require.NoError(t, err)
			assert.True(t, ok, "the merge job downloads %q, which does not match shard %d's artifact %q", downloadPattern, i, name)
			want = append(want, downloadPath+"/"+name)
		}
		assert.Equal(t, want, merge.args, "the merge's shard directories")
	})
	t.Run("gitlab", func(t *testing.T) {
		t.Parallel()
		shard, merge := shardAndMerge(t, gitlabExample)
		var want []string
		for name, job := range gitlabJobs(t) {
			if !strings.Contains(strings.Join(job.Script, "\n"), "-shard") {
				continue
			}
			require.Positive(t, job.Parallel, "job %s runs a shard without parallel:", name)
			for i := 1; i <= job.Parallel; i++ {
				dir := strings.ReplaceAll(shard.flags["reports"], "$CI_NODE_INDEX", strconv.Itoa(i))
				want = append(want, dir)
				kept := false
				for _, p := range job.Artifacts.Paths {
					kept = kept || strings.HasPrefix(dir+"/", strings.TrimSuffix(p, "/")+"/")
				}
				assert.True(t, kept, "job %s: shard %d writes %s, which artifacts.paths %v do not keep", name, i, dir, job.Artifacts.Paths)
			}
		}
		assert.Equal(t, want, merge.args, "the merge's shard directories")
	})
}

// shardAndMerge returns the example's shard command and its merge command.
func shardAndMerge(t *testing.T, ex example) (shard, merge command) {
	t.Helper()
	commands := conformanceCommands(t, ex)
	require.Len(t, commands, 2, "%s: want one shard and one merge command", ex.path)
	for _, c := range commands {
		if c.merge {
			merge = c
		} else {
			shard = c
		}
	}
	require.True(t, merge.merge, "%s: no ./conformance merge command", ex.path)
	require.NotEmpty(t, shard.flags["reports"], "%s: the shard command has no -reports", ex.path)
	return shard, merge
}

// gitlabJob is the part of a GitLab job the checks read, after extends.
type gitlabJob struct {
	Extends      string   `yaml:"extends"`
	Image        string   `yaml:"image"`
	Parallel     int      `yaml:"parallel"`
	BeforeScript []string `yaml:"before_script"`
	Script       []string `yaml:"script"`
	Cache        struct {
		Key   string   `yaml:"key"`
		Paths []string `yaml:"paths"`
		When  string   `yaml:"when"`
	} `yaml:"cache"`
	Artifacts struct {
		Paths   []string `yaml:"paths"`
		Reports struct {
			JUnit string `yaml:"junit"`
		} `yaml:"reports"`
	} `yaml:"artifacts"`
}

// gitlabJobs returns the example's jobs (hidden templates and global keys
// left out) with one level of extends applied, as the example uses it.
func gitlabJobs(t *testing.T) map[string]gitlabJob {
	t.Helper()
	var top map[string]yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(readExample(t, gitlabExample)), &top))
	decode := func(name string) gitlabJob {
		n := top[name]
		var j gitlabJob
		require.NoError(t, n.Decode(&j), "job %s", name)
		return j
	}
	jobs := map[string]gitlabJob{}
	for name, node := range top {
		if strings.HasPrefix(name, ".") || node.Kind != yaml.MappingNode || gitlabKeywords[name] {
			continue
		}
		job := decode(name)
		if job.Extends != "" {
			require.Contains(t, top, job.Extends, "job %s extends an undefined template", name)
			base := decode(job.Extends)
			if job.Image == "" {
				job.Image = base.Image
			}
			if job.BeforeScript == nil {
				job.BeforeScript = base.BeforeScript
			}
		}
		jobs[name] = job
	}
	require.NotEmpty(t, jobs, "%s: no jobs", gitlabExample.path)
	return jobs
}

// gitlabKeywords are the top-level keys of a pipeline that are not jobs.
var gitlabKeywords = map[string]bool{
	"default": true, "include": true, "stages": true, "variables": true, "workflow": true,
}

// command is one ./conformance command line of an example.
type command struct {
	text  string
	merge bool
	flags map[string]string // name → value ("" for a boolean)
	args  []string          // the arguments after the flags: merge's shard directories
}

func (c command) name() string {
	if c.merge {
		return "conformance merge"
	}
	return "conformance"
}

// booleanFlags take no value.
var booleanFlags = map[string]bool{"fail-on-flaky": true, "strict-drift": true}

// conformanceCommands finds every string in the example that runs
// ./conformance (a run: step, a script: line) and splits out its flags.
func conformanceCommands(t *testing.T, ex example) []command {
	t.Helper()
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(readExample(t, ex)), &doc))
	var out []command
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		for _, c := range n.Content {
			walk(c)
		}
		if n.Kind != yaml.ScalarNode {
			return
		}
		fields := strings.Fields(compactExpressions(n.Value))
		for i, f := range fields {
			if f != "./conformance" {
				continue
			}
			args := fields[i+1:]
			c := command{text: strings.Join(fields[i:], " "), flags: map[string]string{}}
			if len(args) > 0 && args[0] == "merge" {
				c.merge, args = true, args[1:]
			}
			for j := 0; j < len(args); j++ {
				name, ok := strings.CutPrefix(args[j], "-")
				if !ok {
					c.args = append(c.args, strings.Trim(args[j], `"`))
					continue
				}
				if booleanFlags[name] || j+1 == len(args) {
					c.flags[name] = ""
					continue
				}
				c.flags[name] = strings.Trim(args[j+1], `"`)
				j++
			}
			out = append(out, c)
		}
	}
	walk(&doc)
	return out
}

// compactExpressions writes every GitHub expression without spaces,
// "${{ matrix.shard }}" as "${{matrix.shard}}", so a command splits into
// its arguments at spaces.
func compactExpressions(s string) string {
	return githubExpression.ReplaceAllString(s, "$${{$1}}")
}

var githubExpression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// helpFlags runs the binary with -h and returns the flag names it prints.
func helpFlags(t *testing.T, bin string, args ...string) map[string]bool {
	t.Helper()
	cmd := exec.Command(bin, append(args, "-h")...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Run(), "%s -h:\n%s", bin, out.String())
	flags := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^  -([\w-]+)`).FindAllStringSubmatch(out.String(), -1) {
		flags[m[1]] = true
	}
	require.NotEmpty(t, flags, "%s %v -h printed no flags:\n%s", bin, args, out.String())
	return flags
}

func readExample(t *testing.T, ex example) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(repoRoot(t), ex.path))
	require.NoError(t, err)
	return string(raw)
}
