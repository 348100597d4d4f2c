package suite

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/coverage"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/internal/targets"
)

const addApplication = `Feature: add
  @mutating
  Scenario: add forexo_basic
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    Then the status is 200
`

// run runs features from memory against the embedded mock.
func run(t *testing.T, features map[string]string, tweak func(*Config)) (*Result, string) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range features {
		fsys["features/"+name] = &fstest.MapFile{Data: []byte(text)}
	}
	var out bytes.Buffer
	cfg := Config{Features: fsys, Output: &out, Seed: 1, Concurrency: 2}
	if tweak != nil {
		tweak(&cfg)
	}
	res, err := Run(cfg)
	require.NoError(t, err, "Run: %v\n%s", err, out.String())
	return res, out.String()
}

// rewrite returns a mock wrapper that edits the JSON body of the responses
// to one method and path suffix.
func rewrite(method, suffix string, edit func(map[string]any)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != method || !strings.HasSuffix(r.URL.Path, suffix) {
				next.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			var body map[string]any
			if json.Unmarshal(rec.Body.Bytes(), &body) != nil {
				w.WriteHeader(rec.Code)
				w.Write(rec.Body.Bytes())
				return
			}
			edit(body)
			data, _ := json.Marshal(body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(rec.Code)
			w.Write(data)
		})
	}
}

func failingFindings(res *Result) []finding.Finding {
	var out []finding.Finding
	for _, f := range res.Run.Findings() {
		if f.Fails() {
			out = append(out, f)
		}
	}
	return out
}

// A response that breaks the contract fails the scenario that received it,
// whatever its steps assert, with one line naming the operation, the JSON
// pointer and the rule.
func TestContractBreakFailsScenario(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		edit          func(map[string]any)
		kind, pointer string
	}{
		"missing status":      {func(b map[string]any) { delete(b, "status") }, finding.MissingRequired, "/status"},
		"status outside enum": {func(b map[string]any) { b["status"] = "FOO" }, finding.OutsideEnum, "/status"},
		"bad uuid":            {func(b map[string]any) { b["id"] = "not-a-uuid" }, finding.BadFormat, "/id"},
		"bad date":            {func(b map[string]any) { b["history"].([]any)[0].(map[string]any)["date"] = "2017-02-08T15:16:01Z" }, finding.BadFormat, "/history/0/date"},
		"wrong type":          {func(b map[string]any) { b["hidden"] = "no" }, finding.WrongType, "/hidden"},
		"undocumented nested": {func(b map[string]any) { b["approval_blockers"].([]any)[0].(map[string]any)["extra"] = 1 }, finding.UndocumentedField, "/approval_blockers/0/extra"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, out := run(t, map[string]string{"a.feature": addApplication}, func(c *Config) {
				c.Target.WrapMock = rewrite("POST", "/applications", tc.edit)
			})
			var hit *finding.Finding
			for _, f := range res.Run.Findings() {
				if f.Kind == tc.kind && f.Pointer == tc.pointer {
					hit = &f
					break
				}
			}
			require.NotNil(t, hit, "no %s finding at %s; findings: %v", tc.kind, tc.pointer, res.Run.Findings())
			if hit.Class == finding.Drift {
				require.False(t, res.Failed, "drift alone failed the run:\n%s", out)
				return
			}
			require.True(t, res.Failed)
			require.EqualValues(t, 1, res.Run.Count().Failed)
			line := hit.String()
			for _, want := range []string{"POST /profiles/{profile_id}/applications", tc.pointer, tc.kind} {
				assert.Contains(t, line, want)
			}
			assert.Contains(t, out, line)
			assert.Contains(t, out, "last exchange: POST")
		})
	}
}

const approveJourney = `Feature: approve
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

// A mock fault that breaks one lifecycle invariant fails the suite, naming it.
func TestLifecycleFaultFailsScenario(t *testing.T) {
	t.Parallel()
	approvedOnly := func(edit func(map[string]any)) func(map[string]any) {
		return func(b map[string]any) {
			if b["status"] == "APPROVED" {
				edit(b)
			}
		}
	}
	tests := map[string]struct {
		method, suffix string
		edit           func(map[string]any)
		rule           string
	}{
		"approved application still lists a task blocker": {"GET", "", approvedOnly(func(b map[string]any) {
			b["approval_blockers"] = []any{map[string]any{"blocker_type": "INCOMPLETE_TASK", "task_type": "INDIVIDUAL_VERIFY_IDENTITY"}}
		}), "approved-has-no-task-blockers"},
		"a history entry disappears": {"GET", "", approvedOnly(func(b map[string]any) {
			h := b["history"].([]any)
			b["history"] = h[1:]
		}), "history-append-only"},
		"the status goes back": {"GET", "", approvedOnly(func(b map[string]any) {
			b["status"] = "APPLIED"
			b["flag"] = "READY_FOR_DECISION"
			b["history"] = b["history"].([]any)[:1]
			fh := b["flag_history"].([]any)
			b["flag_history"] = append(fh, map[string]any{"status": "APPLIED", "flag": "READY_FOR_DECISION", "date": "2026-01-01 00:00:00"})
		}), "history-append-only"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			res, out := run(t, map[string]string{"a.feature": approveJourney}, func(c *Config) {
				c.Target.WrapMock = func(next http.Handler) http.Handler {
					rw := rewrite(tc.method, tc.suffix, tc.edit)(next)
					return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						// Only single-application reads are faulty.
						if r.Method == "GET" && strings.Contains(r.URL.Path, "/applications/") {
							rw.ServeHTTP(w, r)
							return
						}
						next.ServeHTTP(w, r)
					})
				}
			})
			require.True(t, res.Failed, "run passed with the fault %q:\n%s", name, out)
			found := false
			for _, f := range failingFindings(res) {
				if f.Class == finding.Lifecycle && f.Rule == tc.rule {
					found = true
				}
			}
			require.True(t, found, "no lifecycle finding %s; failing findings: %v", tc.rule, failingFindings(res))
			assert.Contains(t, out, tc.rule)
		})
	}
}

func TestCleanRunPassesAndWritesReports(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	res, out := run(t, map[string]string{"a.feature": approveJourney}, func(c *Config) { c.ReportsDir = dir })
	require.False(t, res.Failed, "clean run failed:\n%s", out)
	for _, name := range []string{"junit.xml", "cucumber.json", "findings.json", "report.html", "findings.sarif", "events.ndjson", "coverage.json", report.SummaryFile} {
		fi, err := os.Stat(filepath.Join(dir, name))
		assert.NoError(t, err, name)
		assert.NotEqual(t, 0, fi.Size(), name)
	}
	sc := res.Run.Features[0].Scenarios[0]
	assert.EqualValues(t, 3, sc.Line)
	assert.EqualValues(t, 6, sc.Steps[2].Line)
	assert.Equal(t, "And ", sc.Steps[2].Keyword)
	assert.Len(t, sc.Steps[1].Exchanges, 1)
	assert.Equal(t, "POST", sc.Steps[1].Exchanges[0].Method)
}

func TestBadFeatureIsOneLineError(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"features/bad.feature": &fstest.MapFile{Data: []byte("Feature: x\n  Scenario: y\n    Given a step\n  Examples without outline\n   | a |\n")}}
	_, err := Run(Config{Features: fsys, Output: &bytes.Buffer{}})
	require.Error(t, err)
	require.NotContains(t, err.Error(), "\n")
	require.Contains(t, err.Error(), "features/bad.feature")
}

func TestUndefinedStepFailsRun(t *testing.T) {
	t.Parallel()
	res, _ := run(t, map[string]string{"u.feature": "Feature: u\n  Scenario: u\n    Given a step nobody wrote\n"}, nil)
	require.True(t, res.Failed)
	require.EqualValues(t, 1, res.Run.Count().Undefined)
}

func TestUntaggedMutationFailsScenario(t *testing.T) {
	t.Parallel()
	res, out := run(t, map[string]string{"m.feature": strings.Replace(addApplication, "  @mutating\n", "", 1)}, nil)
	require.True(t, res.Failed, "an untagged POST passed:\n%s", out)
	assert.Contains(t, out, "not tagged @mutating")
}

// countingServer is a mock on loopback that counts the requests it gets.
func countingServer(t *testing.T, key string) (*httptest.Server, *atomic.Int64, *atomic.Int64) {
	t.Helper()
	m, err := mock.New(mock.Options{APIKey: key})
	require.NoError(t, err)
	var all, posts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		all.Add(1)
		if r.Method == "POST" {
			posts.Add(1)
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &all, &posts
}

func TestGuardRefusesUndeclaredRemoteTarget(t *testing.T) {
	t.Parallel()
	srv, all, _ := countingServer(t, mock.DefaultAPIKey)
	u, _ := url.Parse(srv.URL)
	remote := "http://localhost.example:" + u.Port() + "/4.0" // not loopback by name
	fsys := fstest.MapFS{"features/a.feature": &fstest.MapFile{Data: []byte(addApplication)}}
	_, err := Run(Config{Features: fsys, Output: &bytes.Buffer{}, Target: Target{Settings: targets.Settings{Client: target.Config{BaseURL: remote, APIKey: "some-key"}}}})
	require.Error(t, err)
	require.Contains(t, err.Error(), "PASSFORT_ENV")
	require.NotContains(t, err.Error(), "\n")
	require.EqualValues(t, 0, all.Load())
}

func TestGuardRefusesLiveMutations(t *testing.T) {
	t.Parallel()
	srv, all, posts := countingServer(t, "live-key-1234")
	feature := addApplication + `
  Scenario: read only
    When I send a GET request to "/whoami"
    Then the status is 200
`
	res, out := run(t, map[string]string{"a.feature": feature}, func(c *Config) {
		c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: "live-key-1234"}
		c.Guard = targets.Guard{Env: "live"}
	})
	require.EqualValues(t, 0, posts.Load(), "POSTs that reached the server:\n%s", out)
	require.NotEqual(t, 0, all.Load(), "no request at all: the read-only scenario should have run")
	c := res.Run.Count()
	require.EqualValues(t, 1, c.Skipped, "counts:\n%s", out)
	require.EqualValues(t, 1, c.Passed, "counts:\n%s", out)
	require.False(t, res.Failed, "counts: got %+v failed=%v, want 1 skipped, 1 passed\n%s", c, res.Failed, out)
	assert.Contains(t, res.Run.Guard, "live account")
	assert.Contains(t, out, "refused by the production guard")
}

// The leak canary: a run with a known key leaves it in no artefact and no
// console line, in any encoding.
func TestLeakCanary(t *testing.T) {
	t.Parallel()
	const key = "canary-KEY/with+odd=chars-93f1"
	srv, _, _ := countingServer(t, key)
	dir := t.TempDir()
	cassette := filepath.Join(dir, "run.cassette.json")
	feature := addApplication + `
  @negative
  Scenario: wrong key
    When I send a GET request to "/whoami" with the API key "` + key + `-wrong"
    Then the status is 401

  @negative
  Scenario: a failing step that spells the key out
    When I send a GET request to "/whoami" with the API key "` + key + `"
    Then the JSON at "institution.name" equals "` + key + `"
`
	res, out := run(t, map[string]string{"a.feature": feature}, func(c *Config) {
		c.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: key}
		c.Target.Record = cassette
		c.ReportsDir = dir
	})
	// The last scenario fails on purpose: failures print step texts and
	// errors, where a key written into a feature would show.
	c := res.Run.Count()
	require.EqualValues(t, 1, c.Failed, "canary run:\n%s", out)
	require.EqualValues(t, 2, c.Passed, "canary run:\n%s", out)
	require.Contains(t, out, "--- FAIL: a failing step that spells the key out")
	forms := []string{key, url.QueryEscape(key), url.PathEscape(key), base64.StdEncoding.EncodeToString([]byte(key)), base64.URLEncoding.EncodeToString([]byte(key)), strings.ReplaceAll(key, "/", `\/`), template.HTMLEscapeString(key)}
	check := func(name string, data []byte) {
		for _, f := range forms {
			assert.NotContains(t, string(data), f, name)
		}
	}
	check("console", []byte(out))
	entries, _ := os.ReadDir(dir)
	names := map[string]bool{}
	for _, e := range entries {
		names[e.Name()] = true
	}
	for _, want := range []string{"run.cassette.json", "junit.xml", "cucumber.json", "findings.json", "report.html", "findings.sarif",
		"events.ndjson", RunFile, coverage.FileName, "drift.json", "drift.md", "observations.json", report.SummaryFile} {
		assert.True(t, names[want])
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		check(e.Name(), data)
	}
}

// Scenarios run concurrently and in random order; ids repeat across the
// per-scenario mocks, so the lifecycle history must stay per scenario.
func TestConcurrentScenariosKeepTheirOwnHistory(t *testing.T) {
	t.Parallel()
	var features = map[string]string{}
	for i := 0; i < 6; i++ {
		features[string(rune('a'+i))+".feature"] = approveJourney
	}
	res, out := run(t, features, func(c *Config) { c.Concurrency = 6 })
	require.False(t, res.Failed, "got %+v, want 6 passed\n%s", res.Run.Count(), out)
	require.EqualValues(t, 6, res.Run.Count().Passed, "console:\n%s", out)
}
