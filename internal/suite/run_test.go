package suite

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/coverage"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/targets"
)

func TestParseShard(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want Shard
		bad  bool
	}{
		"empty":        {in: "", want: Shard{}},
		"two of three": {in: "2/3", want: Shard{2, 3}},
		"one of one":   {in: "1/1", want: Shard{1, 1}},
		"zero index":   {in: "0/3", bad: true},
		"past the end": {in: "4/3", bad: true},
		"no slash":     {in: "3", bad: true},
		"words":        {in: "a/b", bad: true},
		"zero total":   {in: "1/0", bad: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseShard(tc.in)
			if tc.bad {
				require.Error(t, err, "ParseShard(%q)", tc.in)
				require.NotContains(t, err.Error(), "\n", "ParseShard(%q)", tc.in)
				return
			}
			require.NoError(t, err, "ParseShard(%q)", tc.in)
			require.Equal(t, tc.want, got, "ParseShard(%q)", tc.in)
		})
	}
}

// Every scenario of the real suite is in exactly one shard, for any n.
func TestShardsPartitionTheSuite(t *testing.T) {
	t.Parallel()
	files, err := loadFeatures(os.DirFS("../.."), []string{"features"}, "")
	require.NoError(t, err)
	for n := 1; n <= 5; n++ {
		seen := map[string]int{}
		for i := 1; i <= n; i++ {
			sel, err := selectScenarios(files, selection{shard: Shard{i, n}}.keep)
			require.NoError(t, err)
			for _, f := range sel {
				for _, p := range f.Pickles {
					seen[fmt.Sprintf("%s:%d", f.URI, p.Line)]++
				}
			}
		}
		total := 0
		for _, f := range files {
			total += len(f.Pickles)
		}
		assert.Len(t, seen, total)
		for id, c := range seen {
			assert.EqualValues(t, 1, c, "n=%d: scenario %s in %d shards", n, id, c)
		}
	}
}

const selectFeature = `@feat
Feature: select
  Background:
    Given a step

  @one
  Scenario: first
    Given a step

  # a comment between scenarios
  Scenario Outline: outline <x>
    Given a <x> step

    Examples:
      | x |
      | a |
      | b |

    @more
    Examples:
      | x |
      | c |

  Rule: a rule
    Scenario: in rule
      Given a step
`

// Filtering keeps exactly the chosen scenarios and every line number.
func TestSelectScenariosKeepsLines(t *testing.T) {
	t.Parallel()
	ff, err := parseFeature("features/s.feature", []byte(selectFeature))
	require.NoError(t, err)
	all := map[string]int{}
	for _, p := range ff.Pickles {
		all[p.Name] = p.Line
	}
	tests := map[string][]string{
		"one plain":           {"first"},
		"one row":             {"outline b"},
		"rows of two tables":  {"outline a", "outline c"},
		"in rule only":        {"in rule"},
		"plain and rule":      {"first", "in rule"},
		"all rows, no plains": {"outline a", "outline b", "outline c"},
	}
	for name, keep := range tests {
		t.Run(name, func(t *testing.T) {
			want := map[string]bool{}
			for _, k := range keep {
				want[k] = true
			}
			sel, err := selectScenarios([]featureFile{ff}, func(_ string, p pickle) bool { return want[p.Name] })
			require.NoError(t, err)
			require.Len(t, sel, 1)
			require.Len(t, sel[0].Pickles, len(keep))
			for _, p := range sel[0].Pickles {
				assert.True(t, want[p.Name], "scenario %q at line %d: want one of %v at line %d", p.Name, p.Line, keep, all[p.Name])
				assert.Equal(t, all[p.Name], p.Line, "scenario %q at line %d: want one of %v at line %d", p.Name, p.Line, keep, all[p.Name])
				assert.Len(t, p.Steps, 2, "scenario %q", p.Name)
				assert.EqualValues(t, 4, p.Steps[0].Line, "scenario %q", p.Name)
			}
		})
	}
	sel, err := selectScenarios([]featureFile{ff}, func(string, pickle) bool { return false })
	require.NoError(t, err)
	require.Len(t, sel, 0)
}

func TestNameSelectsScenarios(t *testing.T) {
	t.Parallel()
	feature := addApplication + `
  Scenario: read only
    When I send a GET request to "/whoami"
    Then the status is 200
`
	res, out := run(t, map[string]string{"a.feature": feature}, func(c *Config) { c.Name = regexp.MustCompile(`^read`) })
	c := res.Run.Count()
	require.EqualValues(t, 1, c.Total, "console:\n%s", out)
	require.EqualValues(t, 1, c.Passed, "console:\n%s", out)
	require.Equal(t, "read only", res.Run.Features[0].Scenarios[0].Name, "console:\n%s", out)
	fsys := fstest.MapFS{"features/a.feature": &fstest.MapFile{Data: []byte(feature)}}
	_, err := Run(Config{Features: fsys, Output: &bytes.Buffer{}, Name: regexp.MustCompile("nothing matches")})
	require.Error(t, err)
	require.Contains(t, err.Error(), "nothing matches")
}

// Shards 1/3, 2/3 and 3/3 merged give the same verdict and counts as one
// unsharded run, a failing one included.
func TestShardsMergedEqualOneRun(t *testing.T) {
	t.Parallel()
	fault := rewrite("POST", "/applications", func(b map[string]any) { b["status"] = "FOO" })
	cfg := func(out *bytes.Buffer, shard Shard, dir string) Config {
		return Config{
			Features: os.DirFS("../.."), Paths: []string{"features"}, Output: out, Seed: 3, Concurrency: 4,
			Shard: shard, ReportsDir: dir, Target: Target{Settings: targets.Settings{WrapMock: fault}},
		}
	}
	var out bytes.Buffer
	whole, err := Run(cfg(&out, Shard{}, ""))
	require.NoError(t, err)
	var runs []*report.Run
	for i := 1; i <= 3; i++ {
		dir := t.TempDir()
		var o bytes.Buffer
		_, err := Run(cfg(&o, Shard{i, 3}, dir))
		require.NoError(t, err)
		r, err := ReadRun(dir)
		require.NoError(t, err)
		runs = append(runs, r)
	}
	mergedDir := t.TempDir()
	merged, err := Merge(Config{Output: &bytes.Buffer{}, ReportsDir: mergedDir}, runs...)
	require.NoError(t, err)
	assert.Equal(t, whole.Verdict, merged.Verdict)
	assert.Equal(t, VerdictContract, merged.Verdict)
	m, w := merged.Run.Count(), whole.Run.Count()
	assert.Equal(t, w, m)
	assert.NotEqual(t, 0, w.Failed)
	assert.NotEqual(t, 0, w.Passed)
	ids := func(r *report.Run) string {
		var s []string
		for _, f := range r.Features {
			for _, sc := range f.Scenarios {
				s = append(s, sc.ID+"="+string(sc.Status))
			}
		}
		return strings.Join(s, "\n")
	}
	var sum exchange.Stats
	for _, r := range runs {
		sum = sum.Add(r.Requests)
	}
	assert.Equal(t, sum, merged.Run.Requests)
	assert.NotEqual(t, 0, sum.Exchanges)
	assert.Equal(t, ids(whole.Run), ids(merged.Run))
	// Each scenario keeps the slot of the shard that ran it, numbered on
	// after the slots of the shards before it.
	workers := map[string]int{}
	base := 0
	for _, r := range runs {
		most := 0
		for _, f := range r.Features {
			for _, sc := range f.Scenarios {
				require.True(t, sc.Worker >= 1 && sc.Worker <= 4, "shard %s, scenario %s: worker %d, want 1..4", r.ID, sc.ID, sc.Worker)
				workers[sc.ID] = base + sc.Worker
				most = max(most, sc.Worker)
			}
		}
		base += most
	}
	for _, f := range merged.Run.Features {
		for _, sc := range f.Scenarios {
			assert.Equal(t, workers[sc.ID], sc.Worker, "scenario %s: its shard's worker after the shards before", sc.ID)
		}
	}
	assert.Equal(t, whole.Coverage.Operations.Observed, merged.Coverage.Operations.Observed, "operations observed")
	assert.Equal(t, whole.Coverage.Lifecycle.Transitions.Observed, merged.Coverage.Lifecycle.Transitions.Observed, "transitions observed")
	for _, name := range []string{RunFile, coverage.FileName, "junit.xml", "report.html", "drift.json", "drift.md", "observations.json", report.SummaryFile} {
		_, err := os.Stat(filepath.Join(mergedDir, name))
		assert.NoError(t, err, "merged reports")
	}
}

func TestMergeRefusesMismatchedRuns(t *testing.T) {
	t.Parallel()
	sc := report.Scenario{ID: "features/a.feature:3", Name: "a", Line: 3, Status: report.Passed}
	mk := func(id, hash, tgt string) *report.Run {
		return &report.Run{ID: id, SpecHash: hash, Target: tgt, Features: []report.Feature{{URI: "features/a.feature", Scenarios: []report.Scenario{sc}}}}
	}
	var out bytes.Buffer
	b, err := prepare(Config{Output: &out})
	require.NoError(t, err)
	hash := b.env.Validator.Hash()
	tests := map[string]struct {
		runs []*report.Run
		want string
	}{
		"no run":             {nil, "got no run"},
		"one scenario twice": {[]*report.Run{mk("r1", hash, "m"), mk("r2", hash, "m")}, "in runs r1 and r2"},
		"another spec":       {[]*report.Run{mk("r1", "abc", "m")}, "checked against spec"},
		"another target":     {[]*report.Run{mk("r1", hash, "m"), {ID: "r2", SpecHash: hash, Target: "x"}}, "ran against x"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := Merge(Config{Output: &bytes.Buffer{}}, tc.runs...)
			require.Error(t, err)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// flakyServer is the mock on loopback that cuts the connection of the
// first `cut` requests whose path ends in suffix, and counts requests by path suffix.
func flakyServer(t *testing.T, suffix string, cut int64, wrap func(http.Handler) http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	m, err := mock.New(mock.Options{})
	require.NoError(t, err)
	var h http.Handler = m
	if wrap != nil {
		h = wrap(h)
	}
	var seen atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, suffix) && r.Method == "POST" {
			if seen.Add(1) <= cut {
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &seen
}

// A scenario that failed only on infrastructure findings runs again and is
// flaky when it then passes; a contract failure is never run again.
func TestRetries(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		cut        int64
		wrap       func(http.Handler) http.Handler
		retries    int
		wantStatus report.Status
		wantPosts  int64 // POST .../applications requests the server saw
		attempts   int
		verdict    Verdict
	}{
		"infrastructure, then pass": {cut: 1, retries: 2, wantStatus: report.Flaky, wantPosts: 2, attempts: 2, verdict: VerdictPass},
		"infrastructure every time": {cut: 10, retries: 2, wantStatus: report.Failed, wantPosts: 3, attempts: 3, verdict: VerdictInfrastructure},
		"no budget":                 {cut: 1, retries: 0, wantStatus: report.Failed, wantPosts: 1, attempts: 1, verdict: VerdictInfrastructure},
		"contract is never retried": {cut: 0, retries: 2, wrap: rewrite("POST", "/applications", func(b map[string]any) { b["status"] = "FOO" }),
			wantStatus: report.Failed, wantPosts: 1, attempts: 1, verdict: VerdictContract},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, posts := flakyServer(t, "/applications", tc.cut, tc.wrap)
			res, out := run(t, map[string]string{"a.feature": addApplication}, func(c *Config) {
				c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: mock.DefaultAPIKey}
				c.Retries = tc.retries
			})
			sc := res.Run.Features[0].Scenarios[0]
			require.Equal(t, tc.wantStatus, sc.Status, "console:\n%s", out)
			require.Equal(t, tc.attempts, sc.Attempts, "console:\n%s", out)
			require.Equal(t, tc.verdict, res.Verdict, "console:\n%s", out)
			assert.Equal(t, tc.wantPosts, posts.Load(), "POSTs:")
			if tc.wantStatus == report.Flaky {
				assert.Contains(t, sc.Error, "attempt 1 failed")
			}
		})
	}
	t.Run("fail on flaky", func(t *testing.T) {
		t.Parallel()
		srv, _ := flakyServer(t, "/applications", 1, nil)
		cassette := filepath.Join(t.TempDir(), "c.json")
		res, _ := run(t, map[string]string{"a.feature": addApplication}, func(c *Config) {
			c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: mock.DefaultAPIKey}
			c.Retries, c.FailOnFlaky, c.Target.Record = 1, true, cassette
		})
		require.Equal(t, VerdictFlaky, res.Verdict)
		require.Len(t, res.Reasons, 1)
		// The cassette keeps the passing attempt only, under the scenario's own name.
		c, err := target.ReadCassette(cassette)
		require.NoError(t, err)
		// The passing attempt: create, add, and the clean-up's delete.
		assert.Len(t, c.Exchanges, 3)
		for _, e := range c.Exchanges {
			assert.Empty(t, e.Err)
			assert.Equal(t, "add forexo_basic (line 3)", e.Scenario)
		}
	})
}

// A target that stops answering fails the run as infrastructure within the
// per-request timeout.
func TestHangingTargetIsInfrastructure(t *testing.T) {
	t.Parallel()
	m, err := mock.New(mock.Options{})
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/4.0/whoami" {
			m.ServeHTTP(w, r)
			return
		}
		// Stop answering: read the request (so the server notices the client
		// going away), then wait for that, or for the test to give up.
		io.Copy(io.Discard, r.Body)
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	t.Cleanup(srv.Close)
	res, out := run(t, map[string]string{"a.feature": addApplication}, func(c *Config) {
		c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: mock.DefaultAPIKey, Timeout: 200e6}
	})
	require.Equal(t, VerdictInfrastructure, res.Verdict, "verdict:\n%s", out)
	f := res.Run.Findings()
	assert.NotEmpty(t, f)
	assert.Equal(t, finding.Timeout, f[0].Kind)
}

func TestPreflightUnreachableIsInfrastructureError(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	fsys := fstest.MapFS{"features/a.feature": &fstest.MapFile{Data: []byte(addApplication)}}
	_, err = Run(Config{Features: fsys, Output: &bytes.Buffer{}, Target: Target{Settings: targets.Settings{Client: target.Config{BaseURL: "http://" + addr + "/4.0", APIKey: "k-1234", MaxRetries: -1}}}})
	var infra *targets.InfrastructureError
	require.ErrorAs(t, err, &infra)
}

// A recorded run re-checked offline gives the run's verdict; a response
// edited by hand to break the contract fails the re-check with that finding.
func TestRecheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cassette := filepath.Join(dir, "run.cassette.json")
	res, out := run(t, map[string]string{"a.feature": approveJourney}, func(c *Config) { c.Target.Record = cassette })
	require.Equal(t, VerdictPass, res.Verdict, "recorded run:\n%s", out)
	c, err := target.ReadCassette(cassette)
	require.NoError(t, err)
	reports := t.TempDir()
	again, err := Recheck(c, Config{Output: &bytes.Buffer{}, ReportsDir: reports})
	require.NoError(t, err)
	require.Equal(t, VerdictPass, again.Verdict)
	require.EqualValues(t, 1, again.Run.Count().Total)
	require.EqualValues(t, 1, again.Run.Count().Passed)
	sc := again.Run.Features[0].Scenarios[0]
	assert.Equal(t, "approve forexo_basic", sc.Name)
	assert.EqualValues(t, 3, sc.Line)
	assert.Len(t, sc.Steps, len(c.Exchanges))
	_, err = os.Stat(filepath.Join(reports, "junit.xml"))
	assert.NoError(t, err, "re-check reports")
	assert.Equal(t, res.Coverage.Lifecycle.Transitions.Observed, again.Coverage.Lifecycle.Transitions.Observed)

	// Edit the file by hand: the first response with a flag gets status
	// "FOO" (the status is a closed enum, decision D35).
	raw, err := os.ReadFile(cassette)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(raw, &doc))
	edited := false
	for _, e := range doc["exchanges"].([]any) {
		resp, _ := e.(map[string]any)["response"].(map[string]any)
		if body, ok := resp["body"].(map[string]any); ok && body["flag"] != nil && !edited {
			body["status"], edited = "FOO", true
		}
	}
	require.True(t, edited, "no recorded response has a flag")
	raw, _ = json.Marshal(doc)
	require.NoError(t, os.WriteFile(cassette, raw, 0o644))
	c, err = target.ReadCassette(cassette)
	require.NoError(t, err)
	var console bytes.Buffer
	broken, err := Recheck(c, Config{Output: &console})
	require.NoError(t, err)
	require.Equal(t, VerdictContract, broken.Verdict, "edited re-check:\n%s", console.String())
	found := false
	for _, f := range broken.Run.Findings() {
		if f.Kind == finding.OutsideEnum && f.Pointer == "/status" {
			found = true
		}
	}
	assert.True(t, found, "want an outside-enum finding at /status, got %v\n%s", broken.Run.Findings(), console.String())
	assert.Contains(t, console.String(), "/status")
}

// The coverage gate gives one line per unmet threshold.
func TestCoverageGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res, out := run(t, map[string]string{"a.feature": approveJourney}, func(c *Config) {
		c.CoverageMin = coverage.Thresholds{coverage.MetricOperations: 100, coverage.MetricTransitions: 1, coverage.MetricFlags: 99}
		c.ReportsDir = dir
	})
	require.Equal(t, VerdictCoverage, res.Verdict, "console:\n%s", out)
	require.Len(t, res.Reasons, 2, "console:\n%s", out)
	for i, m := range []string{"operations", "flags"} {
		assert.True(t, strings.HasPrefix(res.Reasons[i], "coverage "+m+": got "), "%q lacks the prefix %q", res.Reasons[i], "coverage "+m+": got ")
	}
	var cf coverage.File
	raw, err := os.ReadFile(filepath.Join(dir, coverage.FileName))
	require.NoError(t, err, "coverage.json")
	require.NoError(t, json.Unmarshal(raw, &cf), "coverage.json")
	got := map[string]int{}
	for _, it := range cf.Operations.Items {
		got[fmt.Sprintf("%s %d", it.Operation, it.Status)] = it.Count
	}
	assert.EqualValues(t, 1, got["POST /profiles/{profile_id}/applications 200"])
	assert.EqualValues(t, 1, got["POST /profiles 200"])
	assert.NotEqual(t, 0, cf.Enums.Observed)
	assert.NotEqual(t, 0, cf.Fields.Observed)
	assert.NotEqual(t, 0, cf.Lifecycle.Transitions.Observed)
	html, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	for _, title := range []string{"Operations × documented status codes", "Enum values", "Response fields"} {
		assert.Contains(t, string(html), title)
	}
}

// Strict drift fails the run on an undocumented field that alone fails nothing.
func TestStrictDrift(t *testing.T) {
	t.Parallel()
	extra := rewrite("POST", "/applications", func(b map[string]any) { b["brand_new"] = 1 })
	for _, strict := range []bool{false, true} {
		res, out := run(t, map[string]string{"a.feature": addApplication}, func(c *Config) {
			c.Target.WrapMock, c.StrictDrift = extra, strict
		})
		want := VerdictPass
		if strict {
			want = VerdictDrift
		}
		assert.Equal(t, want, res.Verdict, "strict=%v:\n%s", strict, out)
	}
}

// run.json counts the requests the run sent, as the target saw them.
func TestRunJSONCountsRequests(t *testing.T) {
	t.Parallel()
	const key = "count-key-1234"
	srv, all, _ := countingServer(t, key)
	dir := t.TempDir()
	res, out := run(t, map[string]string{"a.feature": addApplication}, func(c *Config) {
		c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: key}
		c.ReportsDir = dir
	})
	require.False(t, res.Failed, "run failed:\n%s", out)
	r, err := ReadRun(dir)
	require.NoError(t, err)
	got := r.Requests
	assert.Equal(t, all.Load(), got.Requests)
	assert.Equal(t, got.Requests, got.Exchanges)
	assert.EqualValues(t, 0, got.Retries)
	assert.EqualValues(t, 0, got.Errors)
}

// The -spec file is read once and serves the contract and the variant
// steps alike (they generate from Env.Spec).
func TestSpecFileServesTheVariants(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../spec/passfort-4.0.yaml")
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "spec.yaml")
	edited := bytes.Replace(raw, []byte("4.0.0-contract.1"), []byte("4.0.0-contract.edited"), 1)
	require.NoError(t, os.WriteFile(path, edited, 0o644))
	b, err := prepare(Config{SpecPath: path})
	require.NoError(t, err)
	assert.Equal(t, string(edited), string(b.env.Spec), "Env.Spec: %d bytes", len(b.env.Spec))
	def, _ := prepare(Config{})
	assert.Nil(t, def.env.Spec, "without -spec: want the embedded spec (Env.Spec nil, another hash)")
	assert.NotEqual(t, b.env.Validator.Hash(), def.env.Validator.Hash(), "without -spec: want the embedded spec (Env.Spec nil, another hash)")
}
