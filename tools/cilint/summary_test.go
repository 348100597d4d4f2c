package cilint

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"
)

// TestGitHubPublishesTheSummary: the merge job appends the merged run's
// summary.md to the job summary even when the merge step failed the job.
func TestGitHubPublishesTheSummary(t *testing.T) {
	t.Parallel()
	var wf struct {
		Jobs map[string]struct {
			Steps []struct {
				If  string `yaml:"if"`
				Run string `yaml:"run"`
			} `yaml:"steps"`
		} `yaml:"jobs"`
	}
	require.NoError(t, yaml.Unmarshal([]byte(readExample(t, githubExample)), &wf))
	out := ""
	for _, c := range conformanceCommands(t, githubExample) {
		if c.merge {
			out = c.flags["out"]
		}
	}
	require.NotEmpty(t, out, "%s: no ./conformance merge -out", githubExample.path)
	found := 0
	for name, job := range wf.Jobs {
		merges, publishes := false, false
		for _, st := range job.Steps {
			merges = merges || strings.Contains(st.Run, "./conformance merge")
			if strings.Contains(st.Run, out+"/summary.md") && strings.Contains(st.Run, `>> "$GITHUB_STEP_SUMMARY"`) {
				publishes = true
				assert.Contains(t, st.If, "always()", "job %s: the summary step must run when the merge failed the job", name)
			}
		}
		if publishes {
			found++
			assert.True(t, merges, "job %s publishes a summary it did not merge", name)
		}
	}
	assert.Equal(t, 1, found, "%s: jobs that append %s/summary.md to $GITHUB_STEP_SUMMARY", githubExample.path, out)
}

// TestGitLabPublishesTheSummary: the merge keeps summary.md as an artifact,
// and a note job posts it on the merge request, whatever the verdict, only
// where it can (a merge request pipeline with a token).
func TestGitLabPublishesTheSummary(t *testing.T) {
	t.Parallel()
	var top map[string]yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(readExample(t, gitlabExample)), &top))
	type job struct {
		Needs  []string `yaml:"needs"`
		Script []string `yaml:"script"`
		Rules  []struct {
			If   string `yaml:"if"`
			When string `yaml:"when"`
		} `yaml:"rules"`
		Artifacts struct {
			When  string   `yaml:"when"`
			Paths []string `yaml:"paths"`
		} `yaml:"artifacts"`
	}
	jobs := map[string]job{}
	for name, node := range top {
		if strings.HasPrefix(name, ".") || node.Kind != yaml.MappingNode || gitlabKeywords[name] {
			continue
		}
		var j job
		require.NoError(t, node.Decode(&j), "job %s", name)
		jobs[name] = j
	}
	mergeJob, out := "", ""
	for name, j := range jobs {
		for _, c := range conformanceCommands(t, gitlabExample) {
			if c.merge && strings.Contains(strings.Join(j.Script, "\n"), c.text) {
				mergeJob, out = name, c.flags["out"]
			}
		}
	}
	require.NotEmpty(t, mergeJob, "%s: no job runs ./conformance merge", gitlabExample.path)
	m := jobs[mergeJob]
	assert.Equal(t, "always", m.Artifacts.When, "job %s: artifacts of a failed merge are its summary", mergeJob)
	kept := false
	for _, p := range m.Artifacts.Paths {
		kept = kept || strings.HasPrefix(out+"/summary.md", strings.TrimSuffix(p, "/")+"/")
	}
	assert.True(t, kept, "job %s: artifacts %v do not keep %s/summary.md", mergeJob, m.Artifacts.Paths, out)

	notes := 0
	for name, j := range jobs {
		script := strings.Join(j.Script, "\n")
		if !strings.Contains(script, "/merge_requests/$CI_MERGE_REQUEST_IID/notes") {
			continue
		}
		notes++
		assert.Contains(t, script, out+"/summary.md", "job %s posts a note without the summary", name)
		assert.Contains(t, j.Needs, mergeJob, "job %s: needs the merge for its artifacts", name)
		require.NotEmpty(t, j.Rules, "job %s: without rules it runs where it cannot post", name)
		for _, r := range j.Rules {
			assert.Contains(t, r.If, "$CI_MERGE_REQUEST_IID", "job %s: only in a merge request pipeline", name)
			assert.Equal(t, "always", r.When, "job %s: a failed run's note matters most", name)
		}
		assert.NotContains(t, script, "CI_JOB_TOKEN", "job %s: the job token cannot write notes", name)
	}
	assert.Equal(t, 1, notes, "%s: jobs that post a merge-request note", gitlabExample.path)
}
