package suite

import (
	"github.com/passfort-conformance/harness/internal/targets"

	"bytes"
	"encoding/json"
	"errors"
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

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
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
				if err == nil || strings.Contains(err.Error(), "\n") {
					t.Fatalf("ParseShard(%q): got %v, %v; want a one-line error", tc.in, got, err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("ParseShard(%q): got %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
}

// Every scenario of the real suite is in exactly one shard, for any n.
func TestShardsPartitionTheSuite(t *testing.T) {
	t.Parallel()
	files, err := loadFeatures(os.DirFS("../.."), []string{"features"}, "")
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 5; n++ {
		seen := map[string]int{}
		for i := 1; i <= n; i++ {
			sel, err := selectScenarios(files, selection{shard: Shard{i, n}}.keep)
			if err != nil {
				t.Fatalf("shard %d/%d: %v", i, n, err)
			}
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
		if len(seen) != total {
			t.Errorf("n=%d: got %d scenarios across shards, want %d", n, len(seen), total)
		}
		for id, c := range seen {
			if c != 1 {
				t.Errorf("n=%d: scenario %s in %d shards, want 1", n, id, c)
			}
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
	if err != nil {
		t.Fatal(err)
	}
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
			if err != nil {
				t.Fatal(err)
			}
			if len(sel) != 1 || len(sel[0].Pickles) != len(keep) {
				t.Fatalf("got %d files, %v; want %d scenarios", len(sel), sel, len(keep))
			}
			for _, p := range sel[0].Pickles {
				if !want[p.Name] || p.Line != all[p.Name] {
					t.Errorf("scenario %q at line %d: want one of %v at line %d", p.Name, p.Line, keep, all[p.Name])
				}
				if len(p.Steps) != 2 || p.Steps[0].Line != 4 {
					t.Errorf("scenario %q: got steps %+v, want the background's first", p.Name, p.Steps)
				}
			}
		})
	}
	sel, err := selectScenarios([]featureFile{ff}, func(string, pickle) bool { return false })
	if err != nil || len(sel) != 0 {
		t.Fatalf("nothing kept: got %v, %v; want no file", sel, err)
	}
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
	if c.Total != 1 || c.Passed != 1 || res.Run.Features[0].Scenarios[0].Name != "read only" {
		t.Fatalf("got %+v, want only the read-only scenario\n%s", c, out)
	}
	fsys := fstest.MapFS{"features/a.feature": &fstest.MapFile{Data: []byte(feature)}}
	_, err := Run(Config{Features: fsys, Output: &bytes.Buffer{}, Name: regexp.MustCompile("nothing matches")})
	if err == nil || !strings.Contains(err.Error(), "nothing matches") {
		t.Fatalf("Run: got %v, want an error naming the expression", err)
	}
}

// Shards 1/3, 2/3 and 3/3 merged give the same verdict and counts as one
// unsharded run, a failing one included.
func TestShardsMergedEqualOneRun(t *testing.T) {
	t.Parallel()
	fault := rewrite("POST", "/applications", func(b map[string]any) { b["flag"] = "FOO" })
	cfg := func(out *bytes.Buffer, shard Shard, dir string) Config {
		return Config{
			Features: os.DirFS("../.."), Paths: []string{"features"}, Output: out, Seed: 3, Concurrency: 4,
			Shard: shard, ReportsDir: dir, Target: Target{Settings: targets.Settings{WrapMock: fault}},
		}
	}
	var out bytes.Buffer
	whole, err := Run(cfg(&out, Shard{}, ""))
	if err != nil {
		t.Fatal(err)
	}
	var runs []*report.Run
	for i := 1; i <= 3; i++ {
		dir := t.TempDir()
		var o bytes.Buffer
		if _, err := Run(cfg(&o, Shard{i, 3}, dir)); err != nil {
			t.Fatal(err)
		}
		r, err := ReadRun(dir)
		if err != nil {
			t.Fatal(err)
		}
		runs = append(runs, r)
	}
	mergedDir := t.TempDir()
	merged, err := Merge(Config{Output: &bytes.Buffer{}, ReportsDir: mergedDir}, runs...)
	if err != nil {
		t.Fatal(err)
	}
	if merged.Verdict != whole.Verdict || merged.Verdict != VerdictContract {
		t.Errorf("verdict: merged %s, whole %s; want both contract", merged.Verdict, whole.Verdict)
	}
	if m, w := merged.Run.Count(), whole.Run.Count(); m != w || w.Failed == 0 || w.Passed == 0 {
		t.Errorf("counts: merged %+v, whole %+v; want equal, with passes and failures", m, w)
	}
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
	if merged.Run.Requests != sum || sum.Exchanges == 0 {
		t.Errorf("requests: merged %+v, want the shards' sum %+v (not zero)", merged.Run.Requests, sum)
	}
	if ids(merged.Run) != ids(whole.Run) {
		t.Errorf("scenarios differ:\nmerged:\n%s\nwhole:\n%s", ids(merged.Run), ids(whole.Run))
	}
	if merged.Coverage.Operations.Observed != whole.Coverage.Operations.Observed ||
		merged.Coverage.Lifecycle.Transitions.Observed != whole.Coverage.Lifecycle.Transitions.Observed {
		t.Errorf("coverage: merged %+v, whole %+v", merged.Coverage.Operations.Observed, whole.Coverage.Operations.Observed)
	}
	for _, name := range []string{RunFile, CoverageJSON, "junit.xml", "report.html", "drift.json", "drift.md", "observations.json"} {
		if _, err := os.Stat(filepath.Join(mergedDir, name)); err != nil {
			t.Errorf("merged reports: %v", err)
		}
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
	if err != nil {
		t.Fatal(err)
	}
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
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Merge: got %v, want an error with %q", err, tc.want)
			}
		})
	}
}

// flakyServer is the mock on loopback that cuts the connection of the
// first `cut` requests whose path ends in suffix, and counts requests by path suffix.
func flakyServer(t *testing.T, suffix string, cut int64, wrap func(http.Handler) http.Handler) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
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
		"contract is never retried": {cut: 0, retries: 2, wrap: rewrite("POST", "/applications", func(b map[string]any) { b["flag"] = "FOO" }),
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
			if sc.Status != tc.wantStatus || sc.Attempts != tc.attempts || res.Verdict != tc.verdict {
				t.Fatalf("got %s after %d attempts, verdict %s; want %s after %d, %s\n%s", sc.Status, sc.Attempts, res.Verdict, tc.wantStatus, tc.attempts, tc.verdict, out)
			}
			if got := posts.Load(); got != tc.wantPosts {
				t.Errorf("POSTs: got %d, want %d", got, tc.wantPosts)
			}
			if tc.wantStatus == report.Flaky && !strings.Contains(sc.Error, "attempt 1 failed") {
				t.Errorf("flaky error: got %q, want the first attempt's error", sc.Error)
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
		if res.Verdict != VerdictFlaky || len(res.Reasons) != 1 {
			t.Fatalf("got %s %v, want flaky with one reason", res.Verdict, res.Reasons)
		}
		// The cassette keeps the passing attempt only, under the scenario's own name.
		c, err := target.ReadCassette(cassette)
		if err != nil {
			t.Fatal(err)
		}
		// The passing attempt: create, add, and the clean-up's delete.
		if len(c.Exchanges) != 3 {
			t.Errorf("cassette: got %d exchanges, want the 3 of the passing attempt: %+v", len(c.Exchanges), c.Exchanges)
		}
		for _, e := range c.Exchanges {
			if e.Err != "" || e.Scenario != "add forexo_basic (line 3)" {
				t.Errorf("cassette entry %q: error %q; want the last attempt's, named as recorded", e.Scenario, e.Err)
			}
		}
	})
}

// A target that stops answering fails the run as infrastructure within the
// per-request timeout.
func TestHangingTargetIsInfrastructure(t *testing.T) {
	t.Parallel()
	m, err := mock.New(mock.Options{})
	if err != nil {
		t.Fatal(err)
	}
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
	if res.Verdict != VerdictInfrastructure {
		t.Fatalf("verdict: got %s, want infrastructure\n%s", res.Verdict, out)
	}
	if f := res.Run.Findings(); len(f) == 0 || f[0].Kind != finding.Timeout {
		t.Errorf("findings: got %v, want a timeout", f)
	}
}

func TestPreflightUnreachableIsInfrastructureError(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	fsys := fstest.MapFS{"features/a.feature": &fstest.MapFile{Data: []byte(addApplication)}}
	_, err = Run(Config{Features: fsys, Output: &bytes.Buffer{}, Target: Target{Settings: targets.Settings{Client: target.Config{BaseURL: "http://" + addr + "/4.0", APIKey: "k-1234", MaxRetries: -1}}}})
	var infra *targets.InfrastructureError
	if !errors.As(err, &infra) {
		t.Fatalf("Run: got %v, want an *InfrastructureError", err)
	}
}

// A recorded run re-checked offline gives the run's verdict; a response
// edited by hand to break the contract fails the re-check with that finding.
func TestRecheck(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cassette := filepath.Join(dir, "run.cassette.json")
	res, out := run(t, map[string]string{"a.feature": approveJourney}, func(c *Config) { c.Target.Record = cassette })
	if res.Verdict != VerdictPass {
		t.Fatalf("recorded run: got %s\n%s", res.Verdict, out)
	}
	c, err := target.ReadCassette(cassette)
	if err != nil {
		t.Fatal(err)
	}
	reports := t.TempDir()
	again, err := Recheck(c, Config{Output: &bytes.Buffer{}, ReportsDir: reports})
	if err != nil {
		t.Fatal(err)
	}
	if again.Verdict != VerdictPass || again.Run.Count().Total != 1 || again.Run.Count().Passed != 1 {
		t.Fatalf("re-check: got %s %+v, want one passed scenario", again.Verdict, again.Run.Count())
	}
	sc := again.Run.Features[0].Scenarios[0]
	if sc.Name != "approve forexo_basic" || sc.Line != 3 || len(sc.Steps) != len(c.Exchanges) {
		t.Errorf("scenario: got %q line %d with %d steps, want the recorded one with %d", sc.Name, sc.Line, len(sc.Steps), len(c.Exchanges))
	}
	if _, err := os.Stat(filepath.Join(reports, "junit.xml")); err != nil {
		t.Errorf("re-check reports: %v", err)
	}
	if again.Coverage.Lifecycle.Transitions.Observed != res.Coverage.Lifecycle.Transitions.Observed {
		t.Errorf("lifecycle coverage: re-check %d, run %d", again.Coverage.Lifecycle.Transitions.Observed, res.Coverage.Lifecycle.Transitions.Observed)
	}

	// Edit the file by hand: the first response with a flag gets "FOO".
	raw, err := os.ReadFile(cassette)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	edited := false
	for _, e := range doc["exchanges"].([]any) {
		resp, _ := e.(map[string]any)["response"].(map[string]any)
		if body, ok := resp["body"].(map[string]any); ok && body["flag"] != nil && !edited {
			body["flag"], edited = "FOO", true
		}
	}
	if !edited {
		t.Fatal("no recorded response has a flag")
	}
	raw, _ = json.Marshal(doc)
	if err := os.WriteFile(cassette, raw, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = target.ReadCassette(cassette)
	if err != nil {
		t.Fatal(err)
	}
	var console bytes.Buffer
	broken, err := Recheck(c, Config{Output: &console})
	if err != nil {
		t.Fatal(err)
	}
	if broken.Verdict != VerdictContract {
		t.Fatalf("edited re-check: got %s, want contract\n%s", broken.Verdict, console.String())
	}
	found := false
	for _, f := range broken.Run.Findings() {
		if f.Kind == finding.OutsideEnum && f.Pointer == "/flag" {
			found = true
		}
	}
	if !found || !strings.Contains(console.String(), "/flag") {
		t.Errorf("want an outside-enum finding at /flag, got %v\n%s", broken.Run.Findings(), console.String())
	}
}

func TestParseThresholds(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		in   string
		want Thresholds
		bad  bool
	}{
		"none":          {in: "", want: nil},
		"one for all":   {in: "80", want: Thresholds{"operations": 80, "transitions": 80, "states": 80, "flags": 80, "enums": 80, "fields": 80}},
		"list":          {in: "operations:80, transitions:90,flags:70%", want: Thresholds{"operations": 80, "transitions": 90, "flags": 70}},
		"all and one":   {in: "all:50,fields:10", want: Thresholds{"operations": 50, "transitions": 50, "states": 50, "flags": 50, "enums": 50, "fields": 10}},
		"unknown":       {in: "speed:10", bad: true},
		"over 100":      {in: "flags:101", bad: true},
		"not a number":  {in: "flags:lots", bad: true},
		"twice":         {in: "flags:1,flags:2", bad: true},
		"missing colon": {in: "flags", bad: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ParseThresholds(tc.in)
			if tc.bad {
				if err == nil {
					t.Fatalf("got %v, want an error", got)
				}
				return
			}
			if err != nil || got.String() != tc.want.String() {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
		})
	}
}

// The coverage gate gives one line per unmet threshold.
func TestCoverageGate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res, out := run(t, map[string]string{"a.feature": approveJourney}, func(c *Config) {
		c.CoverageMin = Thresholds{MetricOperations: 100, MetricTransitions: 1, MetricFlags: 99}
		c.ReportsDir = dir
	})
	if res.Verdict != VerdictCoverage || len(res.Reasons) != 2 {
		t.Fatalf("got %s %q, want coverage with two reasons\n%s", res.Verdict, res.Reasons, out)
	}
	for i, m := range []string{"operations", "flags"} {
		if !strings.HasPrefix(res.Reasons[i], "coverage "+m+": got ") {
			t.Errorf("reason %d: got %q, want the %s line", i, res.Reasons[i], m)
		}
	}
	var cf CoverageFile
	raw, err := os.ReadFile(filepath.Join(dir, CoverageJSON))
	if err != nil || json.Unmarshal(raw, &cf) != nil {
		t.Fatalf("coverage.json: %v", err)
	}
	got := map[string]int{}
	for _, it := range cf.Operations.Items {
		got[fmt.Sprintf("%s %d", it.Operation, it.Status)] = it.Count
	}
	if got["POST /profiles/{profile_id}/applications 200"] != 1 || got["POST /profiles 200"] != 1 {
		t.Errorf("operations: want the add and the create counted once, got %v", got)
	}
	if cf.Enums.Observed == 0 || cf.Fields.Observed == 0 || cf.Lifecycle.Transitions.Observed == 0 {
		t.Errorf("coverage: got enums %d, fields %d, transitions %d observed; want some of each", cf.Enums.Observed, cf.Fields.Observed, cf.Lifecycle.Transitions.Observed)
	}
	html, _ := os.ReadFile(filepath.Join(dir, "report.html"))
	for _, title := range []string{"Operations × documented status codes", "Enum values", "Response fields"} {
		if !bytes.Contains(html, []byte(title)) {
			t.Errorf("report.html: no %q table", title)
		}
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
		if res.Verdict != want {
			t.Errorf("strict=%v: got %s, want %s\n%s", strict, res.Verdict, want, out)
		}
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
	if res.Failed {
		t.Fatalf("run failed:\n%s", out)
	}
	r, err := ReadRun(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := r.Requests
	if got.Requests != all.Load() || got.Exchanges != got.Requests || got.Retries != 0 || got.Errors != 0 {
		t.Errorf("run.json requests: %+v; want %d sent (as the target counted), one exchange each, no retry or error", got, all.Load())
	}
}

// The -spec file is read once and serves the contract and the variant
// steps alike (they generate from Env.Spec).
func TestSpecFileServesTheVariants(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../../spec/passfort-4.0.yaml")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "spec.yaml")
	edited := bytes.Replace(raw, []byte("4.0.0-contract.1"), []byte("4.0.0-contract.edited"), 1)
	if err := os.WriteFile(path, edited, 0o644); err != nil {
		t.Fatal(err)
	}
	b, err := prepare(Config{SpecPath: path})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b.env.Spec, edited) {
		t.Errorf("Env.Spec: %d bytes, want the -spec file's %d", len(b.env.Spec), len(edited))
	}
	if def, _ := prepare(Config{}); def.env.Spec != nil || def.env.Validator.Hash() == b.env.Validator.Hash() {
		t.Error("without -spec: want the embedded spec (Env.Spec nil, another hash)")
	}
}
