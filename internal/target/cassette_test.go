package target

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
)

var t0 = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func sampleCassette() *Cassette {
	return &Cassette{
		Version:  CassetteVersion,
		Recorded: t0,
		Target:   "https://api.passfort.com/4.0",
		Run:      "run-42",
		Exchanges: []CassetteEntry{
			{
				Scenario: "Add a product", Feature: "features/applications.feature", Line: 12,
				Operation: "POST /profiles/{profile_id}/applications",
				Exchange: exchange.Exchange{
					Method: "POST", Path: "/profiles/p1/applications", URL: "https://api.passfort.com/4.0/profiles/p1/applications",
					RequestHeader:  http.Header{"Apikey": {Redacted}, "Content-Type": {"application/json"}},
					RequestBody:    []byte(`{"product":{"alias":"forexo_basic"}}`),
					Status:         200,
					ResponseHeader: http.Header{"Content-Type": {"application/json"}},
					ResponseBody:   []byte(`{"id":"a1","status":"APPLIED","note":"<b>&amp;</b>"}`),
					Started:        t0, Duration: 1500 * time.Microsecond, Attempts: 1,
				},
			},
			{
				Scenario: "Add a product", Feature: "features/applications.feature", Line: 14,
				Exchange: exchange.Exchange{
					Method: "GET", Path: "/profiles/p1/files/f1", URL: "https://api.passfort.com/4.0/profiles/p1/files/f1",
					Status:         200,
					ResponseHeader: http.Header{"Content-Type": {"application/pdf"}},
					ResponseBody:   []byte("%PDF-1.4\x00\xff binary"),
					Started:        t0.Add(time.Second), Duration: time.Millisecond, Attempts: 3, Waited: 200 * time.Millisecond,
				},
			},
			{
				Scenario: "Target down", Feature: "features/infra.feature", Line: 3,
				Exchange: exchange.Exchange{
					Method: "GET", Path: "/whoami", URL: "https://api.passfort.com/4.0/whoami",
					Started: t0.Add(2 * time.Second), Duration: 30 * time.Second, Attempts: 1,
					Err: "timeout: context deadline exceeded",
				},
			},
		},
	}
}

func TestCassetteRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "run.cassette.json")
	want := sampleCassette()
	want.Seed = 7
	require.NoError(t, WriteCassette(path, want), "WriteCassette")
	got, err := ReadCassette(path)
	require.NoError(t, err, "ReadCassette")
	assert.Equal(t, want, got)
	data, _ := os.ReadFile(path)
	text := string(data)
	for _, s := range []string{
		`"status": "APPLIED"`,                       // a JSON body is JSON, editable in place
		`"note": "<b>&amp;</b>"`,                    // not HTML-escaped
		`"body_base64": "JVBERi0xLjQA/yBiaW5hcnk="`, // a binary one is base64
		`"status": 200`,
		`"seed": 7`,
		`"error": "timeout: context deadline exceeded"`,
		"\n  \"exchanges\": [\n",
	} {
		assert.Contains(t, text, s)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	assert.Len(t, entries, 1)
}

func TestCassetteHandEdit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.json")
	require.NoError(t, WriteCassette(path, sampleCassette()))
	data, _ := os.ReadFile(path)
	edited := bytes.Replace(data, []byte(`"status": "APPLIED"`), []byte("\"status\":\n    \"NOT_A_STATUS\""), 1)
	require.NotEqual(t, string(data), string(edited), "edit did not apply")
	require.NoError(t, os.WriteFile(path, edited, 0o644))
	c, err := ReadCassette(path)
	require.NoError(t, err, "ReadCassette")
	assert.Equal(t, `{"id":"a1","status":"NOT_A_STATUS","note":"<b>&amp;</b>"}`, string(c.Exchanges[0].ResponseBody))
}

func TestReadCassetteErrors(t *testing.T) {
	good, err := marshalNoHTML(sampleCassette(), "  ")
	require.NoError(t, err)
	edit := func(old, new string) string {
		require.Contains(t, string(good), old)
		return strings.Replace(string(good), old, new, 1)
	}
	tests := map[string]struct {
		text string
		want string
	}{
		"not json":             {"{\n  \"version\": 1,\n  oops\n}", "line 3, column 3: invalid character 'o'"},
		"cut short":            {string(good[:len(good)/2]), "unexpected end of JSON input"},
		"not an object":        {"[1]", "want a JSON object"},
		"wrong version":        {edit(`"version": 1`, `"version": 2`), "version: got 2, want 1"},
		"unknown field":        {edit(`"target":`, `"targte":`), "line 4, column 3: targte: unknown field"},
		"misspelt in an entry": {edit(`"attempts": 3`, `"atempts": 3`), `exchange 2 (line `},
		"missing method":       {edit(`"method": "GET"`, `"method": ""`), `exchange 2 (line 47, column 5): method: got "", want an HTTP method`},
		"bad status":           {edit(`"status": 200`, `"status": 42`), "exchange 1 (line 7, column 5): status: got 42, want 100 to 999"},
		"wrong type":           {edit(`"status": 200`, `"status": "200"`), "exchange 1 (line 7, column 5): json: cannot unmarshal string"},
		"bad base64":           {edit(`"body_base64": "JVBERi0xLjQA/yBiaW5hcnk="`, `"body_base64": "!!"`), "exchange 2 (line 47, column 5): response: body_base64: illegal base64"},
		"two bodies":           {edit(`"body_base64": "JVBERi0xLjQA/yBiaW5hcnk="`, `"body_base64": "AA==", "body": {}`), "got both body and body_base64"},
		"path not below base":  {edit(`"path": "/whoami"`, `"path": "whoami"`), `path: got "whoami"`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "c.json")
			require.NoError(t, os.WriteFile(path, []byte(tc.text), 0o644))
			_, err := ReadCassette(path)
			require.Error(t, err, "ReadCassette")
			msg := err.Error()
			assert.Contains(t, msg, tc.want)
			assert.True(t, strings.HasPrefix(msg, "cassette "+path+": "), "%q lacks the prefix %q", msg, "cassette "+path+": ")
			assert.NotContains(t, msg, "\n")
		})
	}
	_, err = ReadCassette(filepath.Join(t.TempDir(), "missing.json"))
	require.Error(t, err, "missing file")
	assert.True(t, strings.HasPrefix(err.Error(), "cassette: "), "missing file")
}

func TestRecorderOrder(t *testing.T) {
	// Scenarios add concurrently; the cassette is grouped by feature and
	// scenario, each scenario's exchanges in the order it sent them.
	type add struct {
		scenario, feature string
		path              string
	}
	record := func(interleave bool) []string {
		r := NewRecorder("http://mock/4.0", "run-1", func(method, path string) string { return method + " op" })
		plans := map[string][]add{}
		for _, sc := range []string{"b scenario", "a scenario", "c scenario"} {
			for _, f := range []string{"z.feature", "a.feature"} {
				for i := range 5 {
					plans[f+sc] = append(plans[f+sc], add{sc, f, fmt.Sprintf("/%s/%s/%d", f, sc, i)})
				}
			}
		}
		var wg sync.WaitGroup
		for _, plan := range plans {
			run := func() {
				for _, a := range plan {
					r.Add(a.scenario, a.feature, 1, &exchange.Exchange{Method: "GET", Path: a.path})
				}
			}
			if interleave {
				wg.Go(run)
			} else {
				run()
			}
		}
		wg.Wait()
		require.EqualValues(t, 30, r.Len())
		var out []string
		for _, e := range r.Cassette().Exchanges {
			require.Equal(t, "GET op", e.Operation)
			out = append(out, e.Path)
		}
		return out
	}
	serial, concurrent := record(false), record(true)
	assert.Equal(t, concurrent, serial)
	assert.Equal(t, "/a.feature/a scenario/0", serial[0])
	assert.Equal(t, "/a.feature/a scenario/4", serial[4])
	assert.Equal(t, "/z.feature/c scenario/4", serial[29])
}

func TestRecorderCopies(t *testing.T) {
	r := NewRecorder("t", "r", nil)
	ex := &exchange.Exchange{Method: "GET", Path: "/x", ResponseBody: []byte(`{"a":1}`), ResponseHeader: http.Header{"A": {"1"}}}
	r.Add("s", "f", 1, ex)
	ex.ResponseBody[0] = 'X'
	ex.ResponseHeader.Set("A", "2")
	got := r.Cassette().Exchanges[0]
	assert.Equal(t, `{"a":1}`, string(got.ResponseBody))
	assert.Equal(t, "1", got.ResponseHeader.Get("A"))
}

// TestCassetteHoldsNoSecret records a run through a client with a known
// key, against a server that echoes the key in every form in JSON and
// non-JSON bodies and headers, and checks the cassette file holds it in none.
func TestCassetteHoldsNoSecret(t *testing.T) {
	const key = `cassette/"key"+é-0123456789`
	srv := newCountingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("apikey")
		w.Header().Set("X-Echo", got)
		w.Header().Set("Location", "/x?apikey="+url.QueryEscape(got))
		if r.URL.Path == "/4.0/text" {
			w.Header().Set("Content-Type", "text/plain")
			fmt.Fprintf(w, "key %s in text, %s in base64\x00\xff", got, base64.StdEncoding.EncodeToString([]byte(got)))
			return
		}
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"k":%q,"b64":%q,"q":%q,"echo":%s}`, got, base64.RawURLEncoding.EncodeToString([]byte(got)), url.QueryEscape(got), body)
	})
	var rec *Recorder // set below, once the client can name its redacted base URL
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.APIKey = key
		cfg.Observe = func(ex *exchange.Exchange) { rec.Add("s", "f.feature", 1, ex) }
	})
	rec = NewRecorder(c.BaseURL(), "run-1", nil).Redacting(c.Redactor())
	ctx := context.Background()
	reqs := []Request{
		{Method: "POST", Path: "/profiles?apikey=" + url.QueryEscape(key), Body: []byte(`{"ref":"` + jsonMarshalled(key) + `"}`)},
		{Method: "GET", Path: "/text"},
	}
	for _, r := range reqs {
		_, err := c.Do(ctx, r)
		require.NoError(t, err)
	}
	c2 := newTestClient(t, closedPort(t), func(cfg *Config) {
		cfg.APIKey = key
		cfg.MaxRetries = -1
		// A caller that hands over a name holding the key: the cassette
		// still holds it nowhere.
		cfg.Observe = func(ex *exchange.Exchange) { rec.Add("s "+key, "features/"+key+".feature", 2, ex) }
	})
	c2.Do(ctx, Request{Path: "/down?apikey=" + url.QueryEscape(key)})

	path := filepath.Join(t.TempDir(), "c.json")
	require.NoError(t, rec.Write(path))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.EqualValues(t, 3, rec.Len())
	require.Contains(t, string(data), "body_base64")
	require.Contains(t, string(data), Redacted)
	assertNoForm(t, "cassette", string(data), key)
	// The base64 body, decoded, must not hold the key either.
	cas, err := ReadCassette(path)
	require.NoError(t, err)
	for _, e := range cas.Exchanges {
		assertNoForm(t, "decoded body", string(e.ResponseBody), key)
	}
}
