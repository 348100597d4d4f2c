package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mock"
)

const addFeature = `Feature: add
  @mutating
  Scenario: add forexo_basic
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then the status is 200
`

const approveFeature = `Feature: approve
  @mutating
  Scenario: approve forexo_basic
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I complete every task with COMPLETED_PASS
    And I approve the application
    Then the status is 200
    When I fetch the application
    Then the status is 200
`

// featureDir writes one feature file into a temporary directory.
func featureDir(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "a.feature"), []byte(text), 0o644))
	return dir
}

// server serves the mock on loopback, with edit applied to the JSON bodies
// of the responses for which match is true.
func server(t *testing.T, match func(*http.Request) bool, edit func(map[string]any)) string {
	t.Helper()
	m, err := mock.New(mock.Options{})
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if match == nil || !match(r) {
			m.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		m.ServeHTTP(rec, r)
		var body map[string]any
		if json.Unmarshal(rec.Body.Bytes(), &body) == nil {
			edit(body)
		}
		data, _ := json.Marshal(body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/4.0"
}

func hanging(t *testing.T) string {
	t.Helper()
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
	return srv.URL + "/4.0"
}

func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr + "/4.0"
}

func envOf(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func isPost(suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.Method == "POST" && strings.HasSuffix(r.URL.Path, suffix) }
}

func approvedRead(r *http.Request) bool {
	return r.Method == "GET" && strings.Contains(r.URL.Path, "/applications/")
}

// newTaskType renames the first required task's type, and its blocker's, to
// one the contract does not list: an extensible enum (decision D54,
// docs/decisions.md).
func newTaskType(b map[string]any) {
	tasks, _ := b["required_tasks"].([]any)
	if len(tasks) == 0 {
		return
	}
	task := tasks[0].(map[string]any)
	old := task["task_type"]
	task["task_type"] = "INDIVIDUAL_BRAND_NEW_TASK"
	blockers, _ := b["approval_blockers"].([]any)
	for _, x := range blockers {
		if bl := x.(map[string]any); bl["task_type"] == old {
			bl["task_type"] = task["task_type"]
		}
	}
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	remote := func(base string) map[string]string {
		return map[string]string{"PASSFORT_BASE_URL": base, "PASSFORT_API_KEY": mock.DefaultAPIKey, "PASSFORT_MAX_RETRIES": "0"}
	}
	tests := map[string]struct {
		feature string
		args    []string
		env     func(t *testing.T) map[string]string
		want    int
		stderr  string // a part of stderr
	}{
		"pass": {feature: addFeature, want: exitPass},
		"contract finding": {feature: addFeature, want: exitContract, stderr: "on contract findings",
			env: func(t *testing.T) map[string]string {
				return remote(server(t, isPost("/applications"), func(b map[string]any) { b["status"] = "FOO" }))
			}},
		"assertion":            {feature: strings.Replace(addFeature, "status is 200", "status is 201", 1), want: exitContract, stderr: "failed on assertions"},
		"untagged write":       {feature: strings.Replace(addFeature, "@mutating", "", 1), args: []string{"-retries", "2"}, want: exitUsage, stderr: "not tagged @mutating"},
		"tag typo":             {feature: addFeature, args: []string{"-tags", "@smok"}, want: exitUsage, stderr: "got no scenario selected by tags \"@smok\""},
		"bad flag":             {feature: addFeature, args: []string{"-nope"}, want: exitUsage, stderr: "conformance: flag provided but not defined: -nope (see conformance -h)"},
		"bad flag value":       {feature: addFeature, args: []string{"-seed", "abc"}, want: exitUsage, stderr: `invalid value "abc" for flag -seed`},
		"dangling &&":          {feature: addFeature, args: []string{"-tags", "@smoke &&"}, want: exitUsage, stderr: `tag expression "@smoke &&": got "" where a tag belongs`},
		"cucumber tags":        {feature: addFeature, args: []string{"-tags", "not @mutating"}, want: exitUsage, stderr: `tag expression "not @mutating": godog's tag syntax is ~@tag (not), && (and), "," (or)`},
		"negative concurrency": {feature: addFeature, args: []string{"-concurrency", "-2"}, want: exitUsage, stderr: "-concurrency: got -2"},
		"missing features folder": {feature: addFeature, args: []string{"-features", "/nonexistent/features"}, want: exitUsage,
			stderr: "conformance: features: /nonexistent/features: no such file or directory"},
		"empty features folder name": {feature: addFeature, args: []string{"-features", ""}, want: exitUsage,
			stderr: "conformance: -features: got an empty folder name"},
		"extra argument": {feature: addFeature, args: []string{"stray"}, want: exitUsage, stderr: "unexpected arguments"},
		"bad env value": {feature: addFeature, want: exitUsage, stderr: "PASSFORT_ENV",
			env: func(*testing.T) map[string]string { return map[string]string{"PASSFORT_ENV": "staging"} }},
		"bad timeout": {feature: addFeature, want: exitUsage, stderr: "PASSFORT_TIMEOUT",
			env: func(*testing.T) map[string]string { return map[string]string{"PASSFORT_TIMEOUT": "soon"} }},
		"malformed feature":     {feature: "Feature: x\n  Scenario: y\n    Given a step\n  Examples without outline\n   | a |\n", want: exitUsage, stderr: "a.feature"},
		"undefined step":        {feature: "Feature: u\n  Scenario: u\n    Given a step nobody wrote\n", want: exitUsage, stderr: "undefined"},
		"missing spec":          {feature: addFeature, args: []string{"-spec", "/nonexistent/spec.yaml"}, want: exitUsage, stderr: "spec.yaml"},
		"bad shard":             {feature: addFeature, args: []string{"-shard", "4/3"}, want: exitUsage, stderr: "shard"},
		"negative retries":      {feature: addFeature, args: []string{"-retries", "-1"}, want: exitUsage, stderr: "-retries: got -1"},
		"bad name":              {feature: addFeature, args: []string{"-name", "("}, want: exitUsage, stderr: "-name"},
		"bad coverage min":      {feature: addFeature, args: []string{"-coverage-min", "speed:3"}, want: exitUsage, stderr: "speed"},
		"missing cassette":      {feature: addFeature, args: []string{"-recheck", "/nonexistent/c.json"}, want: exitUsage, stderr: "cassette"},
		"missing previous run":  {feature: addFeature, args: []string{"-previous", "/nonexistent/reports"}, want: exitUsage, stderr: "-previous: run: "},
		"previous is not a run": {feature: addFeature, args: []string{"-previous", notARun}, want: exitUsage, stderr: "want a run.json written by the suite"},
		"missing PASSFORT_PREVIOUS": {feature: addFeature, want: exitUsage, stderr: "-previous: run: ",
			env: func(*testing.T) map[string]string {
				return map[string]string{"PASSFORT_PREVIOUS": "/nonexistent/run.json"}
			}},
		"bad PASSFORT_BUILD_URL": {feature: addFeature, want: exitUsage, stderr: "PASSFORT_BUILD_URL: got scheme \"ftp\"",
			env: func(*testing.T) map[string]string {
				return map[string]string{"PASSFORT_BUILD_URL": "ftp://ci.example/1"}
			}},
		"remote without PASSFORT_ENV": {feature: addFeature, want: exitUsage, stderr: "PASSFORT_ENV",
			env: func(*testing.T) map[string]string {
				return map[string]string{"PASSFORT_BASE_URL": "https://api.example.invalid/4.0"}
			}},
		"lifecycle finding": {feature: approveFeature, want: exitLifecycle, stderr: "lifecycle findings",
			env: func(t *testing.T) map[string]string {
				return remote(server(t, approvedRead, func(b map[string]any) {
					if b["status"] == "APPROVED" {
						b["history"] = b["history"].([]any)[1:]
					}
				}))
			}},
		"unreachable target": {feature: addFeature, want: exitInfrastructure, stderr: "infrastructure",
			env: func(t *testing.T) map[string]string { return remote(closedPort(t)) }},
		"target stops answering": {feature: addFeature, want: exitInfrastructure, stderr: "infrastructure findings only",
			env: func(t *testing.T) map[string]string {
				e := remote(hanging(t))
				e["PASSFORT_TIMEOUT"] = "300ms"
				return e
			}},
		"coverage below minimum": {feature: addFeature, args: []string{"-coverage-min", "operations:90,transitions:1"}, want: exitCoverage, stderr: "coverage operations"},
		"strict drift": {feature: addFeature, args: []string{"-strict-drift"}, want: exitDrift, stderr: "drift gate (strict): FAIL",
			env: func(t *testing.T) map[string]string {
				return remote(server(t, isPost("/applications"), func(b map[string]any) { b["brand_new"] = true }))
			}},
		"contract wins over coverage": {feature: addFeature, args: []string{"-coverage-min", "100"}, want: exitContract,
			env: func(t *testing.T) map[string]string {
				return remote(server(t, isPost("/applications"), func(b map[string]any) { b["status"] = "FOO" }))
			}},
		"new task type: drift only": {feature: addFeature, want: exitPass,
			env: func(t *testing.T) map[string]string { return remote(server(t, isPost("/applications"), newTaskType)) }},
		"new task type with -strict-enums": {feature: addFeature, args: []string{"-strict-enums"}, want: exitContract, stderr: "on contract findings",
			env: func(t *testing.T) map[string]string { return remote(server(t, isPost("/applications"), newTaskType)) }},
		"new task type with PASSFORT_STRICT_ENUMS=1": {feature: addFeature, want: exitContract, stderr: "on contract findings",
			env: func(t *testing.T) map[string]string {
				e := remote(server(t, isPost("/applications"), newTaskType))
				e["PASSFORT_STRICT_ENUMS"] = "1"
				return e
			}},
		"flaky with -fail-on-flaky": {feature: addFeature, args: []string{"-retries", "2", "-fail-on-flaky"}, want: exitFlaky, stderr: "flaky",
			env: func(t *testing.T) map[string]string { return remote(cutOnce(t)) }},
		"flaky without -fail-on-flaky": {feature: addFeature, args: []string{"-retries", "2"}, want: exitPass,
			env: func(t *testing.T) map[string]string { return remote(cutOnce(t)) }},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{}
			if tc.env != nil {
				env = tc.env(t)
			}
			args := append([]string{"-features", featureDir(t, tc.feature), "-reports", t.TempDir(), "-seed", "1"}, tc.args...)
			var stdout, stderr bytes.Buffer
			start := time.Now()
			got := run(args, &stdout, &stderr, envOf(env))
			require.Equal(t, tc.want, got, "exit code\nstderr: %s\nstdout: %s", stderr.String(), stdout.String())
			assert.Contains(t, stderr.String(), tc.stderr)
			if tc.want == exitUsage {
				assert.NotContains(t, strings.TrimSpace(stderr.String()), "\n", "a usage error is one line")
			}
			assert.LessOrEqual(t, time.Since(start), 20*time.Second)
		})
	}
}

// notARun is a JSON file that is not a run.json.
const notARun = "../../tools/cilint/package.json"

// A run compared with a previous one: a scenario that passed before and
// fails now is newly failing on the console and in summary.md; the exit
// code is the run's verdict, as without -previous.
func TestPreviousRun(t *testing.T) {
	t.Parallel()
	prev := t.TempDir()
	var stdout, stderr bytes.Buffer
	require.Equal(t, exitPass, run([]string{"-features", featureDir(t, addFeature), "-reports", prev, "-seed", "1"}, &stdout, &stderr, envOf(nil)), stderr.String())

	cur := t.TempDir()
	stdout.Reset()
	stderr.Reset()
	failing := strings.Replace(addFeature, "status is 200", "status is 201", 1)
	env := envOf(map[string]string{"PASSFORT_RUN_LABEL": "nightly", "GITHUB_SHA": "0123abcd"})
	got := run([]string{"-features", featureDir(t, failing), "-reports", cur, "-seed", "1", "-previous", filepath.Join(prev, "run.json")}, &stdout, &stderr, env)
	require.Equal(t, exitContract, got, "stderr: %s\nstdout: %s", stderr.String(), stdout.String())
	assert.Contains(t, stdout.String(), ": 1 newly failing, 0 fixed, 0 still failing, 0 new drift, 0 vanished drift\n  newly failing: add forexo_basic (")
	assert.Contains(t, stdout.String(), "build: nightly; commit 0123abcd\n")
	md, err := os.ReadFile(filepath.Join(cur, "summary.md"))
	require.NoError(t, err)
	assert.Contains(t, string(md), "#### Newly failing (1)")
	assert.Contains(t, string(md), "| commit | `0123abcd` |")
	page, err := os.ReadFile(filepath.Join(cur, "run.json"))
	require.NoError(t, err)
	assert.Contains(t, string(page), `"verdict":"assertion"`)
}

// cutOnce serves the mock on loopback, cutting the connection of the first
// POST .../applications: an infrastructure failure a retry gets past.
func cutOnce(t *testing.T) string {
	t.Helper()
	m, err := mock.New(mock.Options{})
	require.NoError(t, err)
	cut := make(chan struct{}, 1)
	cut <- struct{}{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/applications") {
			select {
			case <-cut:
				if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
					conn.Close()
				}
				return
			default:
			}
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/4.0"
}

// The embedded features run without the source tree; -tags and -name
// select; the reports, run.json included, are written.
func TestEmbeddedSuite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	got := run([]string{"-reports", dir, "-tags", "@smoke", "-seed", "5"}, &stdout, &stderr, envOf(nil))
	require.Equal(t, exitPass, got, "exit code\n%s\n%s", stderr.String(), stdout.String())
	assert.Contains(t, stdout.String(), "seed 5 (reproduce: SEED=5)")
	for _, name := range []string{"run.json", "coverage.json", "junit.xml", "cucumber.json", "report.html", "drift.json", "drift.md", "observations.json"} {
		_, err := os.Stat(filepath.Join(dir, name))
		assert.NoError(t, err, "reports")
	}
	raw, err := os.ReadFile(filepath.Join(dir, "run.json"))
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"uri":"features/`, "run.json: want feature URIs under features/, as under go test")
}

// Shards leave the coverage gate to the merge, which applies it to the
// whole run.
func TestShardsAndMerge(t *testing.T) {
	t.Parallel()
	var dirs []string
	for _, shard := range []string{"1/3", "2/3", "3/3"} {
		dir := t.TempDir()
		var stdout, stderr bytes.Buffer
		got := run([]string{"-shard", shard, "-reports", dir, "-coverage-min", "100", "-seed", "9"}, &stdout, &stderr, envOf(nil))
		require.Equal(t, exitPass, got, "shard %s: the coverage gate belongs to the merge\n%s\n%s", shard, stderr.String(), stdout.String())
		dirs = append(dirs, dir)
	}
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	got := run(append([]string{"merge", "-out", out, "-coverage-min", "100"}, dirs...), &stdout, &stderr, envOf(nil))
	require.Equal(t, exitCoverage, got, "merge: %s", stderr.String())
	got = run(append([]string{"merge", "-out", out}, dirs...), &stdout, &stderr, envOf(nil))
	require.Equal(t, exitPass, got, "merge without a gate: %s", stderr.String())
	_, err := os.Stat(filepath.Join(out, "junit.xml"))
	assert.NoError(t, err, "merged reports")
	tests := map[string][]string{
		"no shards":            {"merge", "-out", out},
		"no -out":              append([]string{"merge"}, dirs...),
		"a shard twice":        {"merge", "-out", out, dirs[0], dirs[0]},
		"a folder without run": {"merge", "-out", out, t.TempDir()},
		"bad flag":             {"merge", "-nope", "-out", out},
		"bad flag value":       {"merge", "-strict-drift=maybe", "-out", out},
	}
	for name, args := range tests {
		var stderr bytes.Buffer
		assert.Equal(t, exitUsage, run(args, &bytes.Buffer{}, &stderr, envOf(nil)), name)
		assert.NotContains(t, strings.TrimSpace(stderr.String()), "\n", "%s: a usage error is one line", name)
	}
}

// -record then -recheck: the same verdict offline.
// A recording re-checks to the same verdict: a pass to a pass, and a run
// whose target broke the contract to the same contract failure.
func TestRecordAndRecheck(t *testing.T) {
	t.Parallel()
	broken := func() map[string]string {
		base := server(t, isPost("/applications"), func(b map[string]any) { b["status"] = "FOO" })
		return map[string]string{"PASSFORT_BASE_URL": base, "PASSFORT_API_KEY": mock.DefaultAPIKey, "PASSFORT_MAX_RETRIES": "0"}
	}
	for name, tc := range map[string]struct {
		feature string
		env     map[string]string
		want    int
	}{
		"pass":             {approveFeature, nil, exitPass},
		"contract finding": {addFeature, broken(), exitContract},
	} {
		t.Run(name, func(t *testing.T) {
			cassette := filepath.Join(t.TempDir(), "c.json")
			features := featureDir(t, tc.feature)
			var stdout, stderr bytes.Buffer
			got := run([]string{"-features", features, "-reports", "", "-record", cassette}, &stdout, &stderr, envOf(tc.env))
			require.Equal(t, tc.want, got, "record: %s", stderr.String())
			got = run([]string{"-recheck", cassette, "-reports", t.TempDir()}, &stdout, &stderr, envOf(nil))
			require.Equal(t, tc.want, got, "recheck: %s", stderr.String())
		})
	}
}

// -h prints the usage, merge's included, and exits 0; a bad flag is one
// line naming -h, not the usage after it.
func TestHelpAndBadFlags(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		args   []string
		want   int
		stderr string
	}{
		"help":           {[]string{"-h"}, exitPass, "see conformance merge -h"},
		"merge help":     {[]string{"merge", "-h"}, exitPass, "usage: conformance merge"},
		"bad flag":       {[]string{"-nope"}, exitUsage, "conformance: flag provided but not defined: -nope (see conformance -h)\n"},
		"merge bad flag": {[]string{"merge", "-nope"}, exitUsage, "conformance merge: flag provided but not defined: -nope (see conformance merge -h)\n"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var stdout, stderr bytes.Buffer
			require.Equal(t, tc.want, run(tc.args, &stdout, &stderr, envOf(nil)), stderr.String())
			if tc.want == exitUsage {
				assert.Equal(t, tc.stderr, stderr.String())
				return
			}
			assert.Contains(t, stderr.String(), tc.stderr)
			assert.Contains(t, stderr.String(), "\n  -", "the flags")
		})
	}
}
