package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

func TestBadSetup(t *testing.T) {
	dir := t.TempDir()
	badCatalog := filepath.Join(dir, "products.yaml")
	badSpec := filepath.Join(dir, "spec.yaml")
	err := os.WriteFile(badCatalog, []byte("products: []"), 0o600)
	require.NoError(t, err)
	err = os.WriteFile(badSpec, []byte("openapi: 3.0.3\n"), 0o600)
	require.NoError(t, err)
	tests := map[string]struct {
		args []string
		want string
	}{
		"unknown flag":            {[]string{"-nope"}, "flag provided but not defined"},
		"bad duration":            {[]string{"-automation-delay", "soon"}, "automation-delay"},
		"negative delay":          {[]string{"-automation-delay", "-1s"}, "want 0 or more"},
		"empty key":               {[]string{"-api-key", ""}, "empty key"},
		"argument":                {[]string{"extra"}, "unexpected argument"},
		"bad catalog":             {[]string{"-catalog", badCatalog}, "-catalog:"},
		"missing catalog":         {[]string{"-catalog", filepath.Join(dir, "none.yaml")}, "-catalog:"},
		"bad spec":                {[]string{"-spec", badSpec}, "-spec:"},
		"bad revert mode":         {[]string{"-revert-mode", "sideways"}, "revert mode"},
		"bad address":             {[]string{"-addr", "nowhere:-1"}, "-addr:"},
		"bad fault":               {[]string{"-fault", "GET /x status=503"}, "no colon"},
		"bad fault kind":          {[]string{"-fault", "GET /x: status=200"}, "want 400 to 599"},
		"negative latency":        {[]string{"-latency", "-1s"}, "-latency"},
		"negative check duration": {[]string{"-check-duration", "-1s"}, "-check-duration"},
		"zero rate":               {[]string{"-rate-limit", "-rate-limit-per-hour", "0"}, "positive"},
		"report, no gate":         {[]string{"-gate=false", "-gate-report", filepath.Join(dir, "g.json")}, "gate is off"},
		"public, default key":     {[]string{"-addr", "0.0.0.0:0"}, "give -api-key"},
		"every interface":         {[]string{"-addr", ":0"}, "give -api-key"},
		"public key given anyway": {[]string{"-addr", "10.1.2.3:0", "-api-key", "local-mock-key"}, "give -api-key"},
		"zero read timeout":       {[]string{"-read-timeout", "0s"}, "-read-timeout"},
		"zero idle timeout":       {[]string{"-idle-timeout", "0s"}, "-idle-timeout"},
		"negative max profiles":   {[]string{"-max-profiles", "-1"}, "-max-profiles"},
		"negative max apps":       {[]string{"-max-applications-per-profile", "-1"}, "-max-applications-per-profile"},
		"negative max history":    {[]string{"-max-history", "-2"}, "-max-history"},
		"no connections":          {[]string{"-max-conns", "0"}, "-max-conns"},
		"bad allow entry":         {[]string{"-webhook-allow", "http://x/y"}, "webhook allow entry"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, &stdout, &stderr)
			assert.False(t, code != 2, "exit = %d; want 2", code)
			msg := stderr.String()
			assert.False(t, !strings.Contains(msg, tc.want) || strings.Count(msg, "\n") != 1, "stderr = %q; want one line containing %q", msg, tc.want)
		})
	}
	var stderr bytes.Buffer
	assert.Equal(t, 0, run(context.Background(), []string{"-h"}, io.Discard, &stderr), "-h")
	assert.Contains(t, stderr.String(), "-addr", "-h: want the flags")
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr mocktest.LockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-api-key", "k3y", "-seed", "3"}, &stdout, &stderr)
	}()
	url := waitForURL(t, &stdout)
	req, err := http.NewRequest(http.MethodGet, url+"/whoami", nil)
	require.NoError(t, err)
	req.Header.Set("apikey", "k3y")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	res.Body.Close()
	assert.False(t, res.StatusCode != 200, "whoami = %d; want 200", res.StatusCode)
	res, err = http.Get(url + "/whoami?apikey=k3y")
	require.NoError(t, err)
	res.Body.Close()
	cancel()
	select {
	case code := <-done:
		assert.Equal(t, 0, code, "exit after the signal; stderr: %s", stderr.String())
	case <-time.After(10 * time.Second):
		require.FailNow(t, "no graceful shutdown within 10s")
	}
	logs := stderr.String()
	assert.True(t, strings.Contains(logs, "method=GET path=/4.0/whoami status=200"), "logs = %q; want a line per request", logs)
	assert.False(t, strings.Contains(logs, "k3y"), "logs = %q; the API key must never be logged", logs)
}

func TestQuiet(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr mocktest.LockedBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-quiet"}, &stdout, &stderr) }()
	url := waitForURL(t, &stdout)
	res, err := http.Get(url + "/whoami")
	require.NoError(t, err)
	res.Body.Close()
	assert.False(t, res.StatusCode != 401, "whoami without a key = %d; want 401", res.StatusCode)
	cancel()
	<-done
	assert.False(t, strings.Contains(stderr.String(), "request"), "-quiet logged requests: %q", stderr.String())
}

func waitForURL(t *testing.T, stdout *mocktest.LockedBuffer) string {
	t.Helper()
	re := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+/4\.0)`)
	for range 200 {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	require.FailNowf(t, "no listening URL printed", "%q", stdout.String())
	return ""
}

// TestSwitches runs the mock with faults, PassFort's rate limit and the
// gate, and reads the gate's report written on shutdown.
func TestSwitches(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	report := filepath.Join(t.TempDir(), "gate.json")
	var stdout, stderr mocktest.LockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-fault", "GET /whoami: status=503 retry-after=1 times=1",
			"-fault", "GET /profiles/*: drop", "-rate-limit", "-rate-limit-per-hour", "1", "-rate-limit-burst", "1",
			"-gate-report", report}, &stdout, &stderr)
	}()
	url := waitForURL(t, &stdout)
	do := func(method, path, body string) (*http.Response, error) {
		req, err := http.NewRequest(method, url+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("apikey", "local-mock-key")
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
		return res, err
	}
	want := func(method, path, body string, status int, header ...string) {
		t.Helper()
		res, err := do(method, path, body)
		require.NoError(t, err, "%s %s", method, path)
		require.False(t, res.StatusCode != status, "%s %s = %d; want %d", method, path, res.StatusCode, status)
		for i := 0; i+1 < len(header); i += 2 {
			got := res.Header.Get(header[i])
			assert.False(t, got != header[i+1], "%s %s: header %s = %q; want %q", method, path, header[i], got, header[i+1])
		}
	}
	want("GET", "/whoami", "", 503, "Retry-After", "1")
	want("GET", "/whoami", "", 200)
	profile := `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"}}`
	want("POST", "/profiles", profile, 200, "X-RateLimit-Remaining", "0", "X-RateLimit-Reset-Secs", "3600")
	res, err := do("POST", "/profiles", profile)
	require.False(t, err != nil || res.StatusCode != 429, "second POST /profiles: %v; want 429", err)
	secs, err := strconv.ParseFloat(res.Header.Get("X-RateLimit-Retry-Secs"), 64)
	assert.False(t, err != nil || secs < 3590 || secs > 3600, "X-RateLimit-Retry-Secs = %q; want about 3600", res.Header.Get("X-RateLimit-Retry-Secs"))
	_, err = do("GET", "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038", "")
	assert.False(t, err == nil, "GET under a drop fault: got an answer; want the connection closed")
	want("POST", "/profiles/a2c4393a-e219-67a4-5ab4-2186952e9038/applications", `{"associated_role":"DIRECTOR"}`, 400)
	cancel()
	code := <-done
	require.False(t, code != 0, "exit = %d; stderr: %s", code, stderr.String())
	b, err := os.ReadFile(report)
	require.NoError(t, err, "gate report")
	var g struct {
		Requests    int64 `json:"requests"`
		BadRequests int64 `json:"bad_requests"`
		Operations  map[string]struct {
			Statuses map[string]int64 `json:"statuses"`
		} `json:"operations"`
		Findings []struct{ Operation, Pointer, Kind string } `json:"findings"`
	}
	err = json.Unmarshal(b, &g)
	require.NoError(t, err, "gate report %s", b)
	// Go's transport sends a GET again once when a kept-alive connection
	// is dropped: the dropped GET counts once or twice.
	dropped := g.Operations["GET /profiles/{profile_id}"].Statuses["0"]
	assert.False(t, dropped < 1 || g.Requests != 5+dropped || g.BadRequests != 1 || len(g.Findings) != 1 || g.Findings[0].Pointer != "/product", "gate report = %s; want 5 requests and the dropped ones, one bad (no product)", b)
	st := g.Operations["GET /whoami"].Statuses
	assert.False(t, st["503"] != 1 || st["200"] != 1, "GET /whoami statuses = %v; want one 503 and one 200", st)
}

// TestLimitFlags: -max-applications-per-profile and -max-history reach the
// mock, and 0 turns a limit off: past a limit the operation is 507 naming
// its flag (decision D92).
func TestLimitFlags(t *testing.T) {
	const twoProducts = `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"},` +
		`"applications":[{"product":{"alias":"forexo_basic"}},{"product":{"alias":"forexo_instant"}}]}`
	tests := map[string]struct {
		flags    []string
		want     int    // the status of the operation past the limit
		wantFlag string // what the 507 names
		// cycles is how many reject and revert cycles to try; 0 for the
		// create of two products only.
		cycles int
	}{
		"applications": {flags: []string{"-max-applications-per-profile", "1"}, want: http.StatusInsufficientStorage, wantFlag: "-max-applications-per-profile"},
		// Each revert makes a new application and hides the old one: 2 + 100
		// applications, past the default of 100.
		"no applications limit": {flags: []string{"-max-applications-per-profile", "0", "-revert-mode", "new_application"}, cycles: 100, want: http.StatusOK},
		"history":               {flags: []string{"-max-history", "4"}, cycles: 4, want: http.StatusInsufficientStorage, wantFlag: "-max-history"},
		"no history limit":      {flags: []string{"-max-history", "0"}, cycles: 510, want: http.StatusOK}, // past the default of 1,000 entries
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var stdout, stderr mocktest.LockedBuffer
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-quiet"}, tc.flags...), &stdout, &stderr)
			}()
			url := waitForURL(t, &stdout)
			status, got := postJSON(t, url+"/profiles", twoProducts)
			if tc.cycles > 0 {
				require.Equal(t, http.StatusOK, status, "create: %s", got)
				apps := url + "/profiles/" + jsonString(t, got, "id") + "/applications/"
				app := apps + jsonString(t, got, "applications.0.id")
				for range tc.cycles {
					if status, got = postJSON(t, app, `{"status":"REJECTED"}`); status != http.StatusOK {
						break
					}
					if status, got = postJSON(t, app+"/revert_decision", `{}`); status != http.StatusOK {
						break
					}
					app = apps + jsonString(t, got, "id") // new_application: the reverted one is hidden
				}
			}
			assert.Equal(t, tc.want, status, "body: %s", got)
			if tc.wantFlag != "" {
				assert.Contains(t, string(got), tc.wantFlag)
			}
			cancel()
			<-done
		})
	}
}

// postJSON posts body to url with the mock's default key and returns the
// answer's status and body.
func postJSON(t *testing.T, url, body string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("apikey", mock.DefaultAPIKey)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	got, err := io.ReadAll(res.Body)
	res.Body.Close()
	require.NoError(t, err)
	return res.StatusCode, got
}

// jsonString reads a string at a gjson path of body, which must hold one.
func jsonString(t *testing.T, body []byte, path string) string {
	t.Helper()
	v := gjson.GetBytes(body, path)
	require.True(t, v.Exists(), "%s in %s", path, body)
	return v.String()
}
