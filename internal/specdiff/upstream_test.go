package specdiff

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The two public PassFort 4.0 specs (see ../shared/reference/upstream/README.md),
// read in place and never copied into the repository.
const (
	upstream2019 = "passfort-openapi-4.0.0-2019.json"
	upstreamWX   = "passfort-openapi-4.0.0-wx-derivative.json"
)

// upstreamTimeout bounds a diff of the upstream specs: they take well under a
// second, so hitting this means a hang (a reference cycle looping, say).
const upstreamTimeout = 60 * time.Second

// upstreamFile returns the path of an upstream spec, skipping the test where
// the reference folder is absent (a user's checkout).
func upstreamFile(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join(repoRoot, "..", "shared", "reference", "upstream", name)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		t.Skipf("upstream spec %s: absent, skipping", path)
	}
	return path
}

// operationsOf lists "METHOD /path" for every operation of a JSON spec, read
// independently of oasdiff.
func operationsOf(t *testing.T, path string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	ops := make(map[string]bool)
	for p, item := range doc.Paths {
		for method := range item {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				ops[strings.ToUpper(method)+" "+p] = true
			}
		}
	}
	return ops
}

func TestUpstreamPair(t *testing.T) {
	t.Parallel()
	base := upstreamFile(t, upstream2019)
	revision := upstreamFile(t, upstreamWX)
	ctx, cancel := context.WithTimeout(context.Background(), upstreamTimeout)
	defer cancel()

	start := time.Now()
	r, err := Compare(ctx, base, revision, Options{})
	elapsed := time.Since(start)
	require.NoError(t, err)
	t.Logf("upstream pair: %s in %s", r.Summary(), elapsed)

	assert.Positive(t, r.Errors, "the newer edition removes operations and adds response enum values")
	assert.True(t, r.Breaking())
	assert.True(t, r.Failed())

	// Every operation the newer edition dropped is reported as an error on
	// that operation; operations present in both are matched, not reported as
	// removed (both specs carry the absolute server https://api.passfort.com/4.0).
	baseOps, revisionOps := operationsOf(t, base), operationsOf(t, revision)
	removed := make(map[string]bool)
	for _, c := range r.Changes {
		if c.Level == LevelError && strings.HasPrefix(c.ID, "api-") && strings.Contains(c.ID, "removed") {
			removed[c.Operation] = true
		}
	}
	dropped := 0
	for op := range baseOps {
		if !revisionOps[op] {
			dropped++
			assert.True(t, removed[op], "operation %s is absent from the revision but not reported removed", op)
		}
	}
	require.Positive(t, dropped, "the upstream pair should differ in operations")
	for op := range removed {
		assert.True(t, baseOps[op] && !revisionOps[op], "operation %s reported removed but is in both or neither", op)
	}
	for _, c := range r.Changes {
		assert.NotContains(t, c.Message, "\n")
	}
}

// TestUpstreamIdentical diffs the newer upstream spec, with its reference
// cycle, against itself: nothing to report, and no hang.
func TestUpstreamIdentical(t *testing.T) {
	t.Parallel()
	path := upstreamFile(t, upstreamWX)
	ctx, cancel := context.WithTimeout(context.Background(), upstreamTimeout)
	defer cancel()
	r, err := Compare(ctx, path, path, Options{IncludeInfo: true})
	require.NoError(t, err)
	assert.Empty(t, r.Changes)
	assert.False(t, r.Failed())
}

// TestOurSpecAgainstUpstream diffs the newer upstream spec (base: what clients
// were written against) with ours (revision). Our spec may legitimately
// differ, so it asserts only that the diff loads both and reports.
func TestOurSpecAgainstUpstream(t *testing.T) {
	t.Parallel()
	base := upstreamFile(t, upstreamWX)
	ours := filepath.Join(repoRoot, "spec", "passfort-4.0.yaml")
	data, err := os.ReadFile(ours)
	require.NoError(t, err)
	if !hasOpenAPIKey(data) {
		t.Skipf("%s: no openapi: key yet (placeholder), skipping", ours)
	}
	ctx, cancel := context.WithTimeout(context.Background(), upstreamTimeout)
	defer cancel()

	start := time.Now()
	r, err := Compare(ctx, base, ours, Options{})
	elapsed := time.Since(start)
	require.NoError(t, err)
	t.Logf("upstream (newer) → spec/passfort-4.0.yaml: %s in %s", r.Summary(), elapsed)
	var b bytes.Buffer
	require.NoError(t, WriteText(&b, r))
	assert.Contains(t, b.String(), r.Summary())
}

// hasOpenAPIKey reports whether a YAML document has a top-level openapi key.
func hasOpenAPIKey(data []byte) bool {
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), "openapi:") {
			return true
		}
	}
	return false
}

// repoRoot is the module's root: go test runs in the package's folder.
var repoRoot = filepath.Join("..", "..")
