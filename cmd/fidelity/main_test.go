package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mock"
	"github.com/passfort-conformance/harness/internal/suite"
	"github.com/passfort-conformance/harness/internal/target"
)

const feature = `Feature: f
  @mutating
  Scenario: add and fetch
    Given an INDIVIDUAL profile
    When I add the product "forexo_basic" to the profile
    And I fetch the application
    Then the status is 200
`

// runAgainst runs the feature against the embedded mock (wrap == nil) or
// a second server and saves its run file.
func runAgainst(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	cfg := suite.Config{
		Features: fstest.MapFS{"features/f.feature": &fstest.MapFile{Data: []byte(feature)}},
		Output:   &bytes.Buffer{}, Seed: 1,
	}
	if wrap != nil {
		m, err := mock.New(mock.Options{})
		require.NoError(t, err)
		srv := httptest.NewServer(wrap(m))
		t.Cleanup(srv.Close)
		cfg.Target.Client = target.Config{BaseURL: srv.URL + "/4.0", APIKey: mock.DefaultAPIKey}
	}
	cfg.ReportsDir = t.TempDir() // the folder: fidelity reads its run.json
	_, err := suite.Run(cfg)
	require.NoError(t, err)
	return cfg.ReportsDir
}

func TestFidelity(t *testing.T) {
	t.Parallel()
	embedded := runAgainst(t, nil)
	same := runAgainst(t, func(h http.Handler) http.Handler { return h })
	// A "real API" that answers one field the mock does not.
	extra := runAgainst(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != "GET" || !strings.Contains(r.URL.Path, "/applications/") {
				h.ServeHTTP(w, r)
				return
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			var body map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			body["will_expire_at"] = "2027-01-01 00:00:00"
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(body)
		})
	})
	tests := map[string]struct {
		args      []string
		code      int
		out, errs string // what stdout and stderr contain
	}{
		"same outcomes":   {[]string{embedded, same}, 0, "0 differences", ""},
		"a field differs": {[]string{embedded, extra}, 1, "/will_expire_at only from http://127.0.0.1", ""},
		"usage":           {[]string{embedded}, 2, "", "usage"},
		"help":            {[]string{"-h"}, 0, "", "usage: fidelity [-json] A/run.json B/run.json"},
		// One key style, as in every other JSON the harness writes.
		"as JSON":        {[]string{"-json", embedded, extra}, 1, `"compared": `, ""},
		"not a run file": {[]string{embedded, "main.go"}, 2, "", "main.go"},
		"missing file":   {[]string{embedded, "no-such.json"}, 2, "", "no such file"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(tc.args, &out, &errb)
			require.Equal(t, tc.code, code, "exit")
			assert.Contains(t, out.String(), tc.out)
			assert.Contains(t, errb.String(), tc.errs)
		})
	}
}
