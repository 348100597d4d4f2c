package contract

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

// mini builds the Validator of testdata/mini.yaml, failing the test if it cannot.
func mini(tb testing.TB) *Validator {
	tb.Helper()
	v, err := LoadFile(filepath.Join("testdata", "mini.yaml"), Options{})
	require.NoError(tb, err, "LoadFile(mini.yaml)")
	return v
}

// defaultValidator is Default's Validator, built once for the package's
// tests: a Validator is immutable and safe for concurrent use, so the tests
// share one parse and compilation of the embedded spec.
var defaultValidator = sync.OnceValues(Default)

// application returns testdata/application.json, a valid ProductApplication,
// decoded, for a test to change.
func application(tb testing.TB) map[string]any {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "application.json"))
	require.NoError(tb, err)
	var m map[string]any
	require.NoError(tb, json.Unmarshal(b, &m))
	return m
}

func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	require.NoError(tb, err)
	return b
}

const profileID = "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"

// jsonExchange is a response to method path with a JSON body.
func jsonExchange(method, path string, status int, body []byte) *exchange.Exchange {
	return &exchange.Exchange{
		Method: method, Path: path, Status: status,
		ResponseHeader: http.Header{"Content-Type": {"application/json; charset=utf-8"}, "X-Request-Id": {"r-1"}},
		ResponseBody:   body,
	}
}

// summary is what a test compares of a finding: everything but the message.
type summary struct {
	Class   finding.Class
	Kind    string
	Pointer string
	Rule    string
}

func summarize(fs []finding.Finding) []summary {
	out := make([]summary, 0, len(fs))
	for _, f := range fs {
		out = append(out, summary{f.Class, f.Kind, f.Pointer, f.Rule})
	}
	return out
}

// repoRoot finds the module root (the directory holding go.mod) above the test.
func repoRoot(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	require.NoError(tb, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			require.FailNow(tb, "no go.mod above the test directory")
		}
		dir = parent
	}
}

// assertOneLine checks that a message or warning is one line.
func assertOneLine(t assert.TestingT, s string) bool {
	return assert.False(t, strings.ContainsAny(s, "\r\n"), "%q spans lines", s)
}
