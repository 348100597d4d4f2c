package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/mocktest"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/suite"
	"github.com/passfort-conformance/harness/internal/target"
	"github.com/passfort-conformance/harness/spec"
)

// renameCatalog returns the catalogue data with every product's alias, id
// and name changed and everything else (roles, tasks, policies) kept: the
// catalogue of an account that offers the same products under its own
// names.
func renameCatalog(t *testing.T, data []byte) []byte {
	t.Helper()
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(data, &doc))
	require.NotEmpty(t, doc.Content, "catalogue: empty document")
	var products *yaml.Node
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "products" {
			products = root.Content[i+1]
		}
	}
	require.NotNil(t, products, "catalogue: no products list")
	for _, p := range products.Content {
		for i := 0; i+1 < len(p.Content); i += 2 {
			v := p.Content[i+1]
			switch p.Content[i].Value {
			case "alias":
				v.Value = "acme_" + strings.TrimPrefix(v.Value, "forexo_") + "_v2"
			case "name":
				// A quote and a backslash, as display names may hold: a
				// feature's raw body must stay JSON with them in it.
				v.Value = `ACME "` + strings.TrimPrefix(v.Value, "Forexo ") + `" \ renamed`
			case "id":
				sum := sha256.Sum256([]byte("renamed " + v.Value))
				h := fmt.Sprintf("%x", sum[:16])
				v.Value = h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
			}
		}
	}
	out, err := yaml.Marshal(&doc)
	require.NoError(t, err)
	return out
}

// The renamed catalogue changes what it must and nothing else.
func TestRenameCatalog(t *testing.T) {
	t.Parallel()
	orig, err := catalog.Default()
	require.NoError(t, err)
	renamed, err := catalog.Load(renameCatalog(t, spec.Products))
	require.NoError(t, err)
	require.Equal(t, orig.Len(), renamed.Len())
	for i := range orig.Len() {
		o, r := orig.At(i), renamed.At(i)
		assert.NotEqual(t, o.Alias, r.Alias)
		assert.NotEqual(t, o.ID, r.ID)
		assert.NotEqual(t, o.Name, r.Name)
		_, clash := orig.ByAlias(r.Alias)
		assert.False(t, clash, "renamed alias %s is one of the mock's", r.Alias)
		o.Alias, o.ID, o.Name = r.Alias, r.ID, r.Name
		assert.Equal(t, o, r, "product %d: want only alias, id and name changed", i)
	}
}

// The whole suite runs against a standalone mock serving a renamed
// catalogue (-catalog), with PASSFORT_CATALOG mapping the suite's product
// roles to it: every scenario passes, none is skipped, and as many run as
// against the embedded mock with the default catalogue (decision D95,
// docs/decisions.md). make renamed-catalog runs this test alone.
func TestWholeSuiteOnARenamedCatalog(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "renamed-products.yaml")
	require.NoError(t, os.WriteFile(path, renameCatalog(t, spec.Products), 0o600))

	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr mocktest.LockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-quiet", "-catalog", path}, &stdout, &stderr)
	}()
	url := waitForURL(t, &stdout)
	defer func() { cancel(); <-done }()

	cfg := func(out *bytes.Buffer) suite.Config {
		return suite.Config{Features: os.DirFS("../.."), Output: out, Seed: 11, Concurrency: 4}
	}
	var defOut, renOut bytes.Buffer
	def, err := suite.Run(cfg(&defOut))
	require.NoError(t, err)
	c := cfg(&renOut)
	c.Target.Client = target.Config{BaseURL: url, APIKey: "local-mock-key"}
	c.CatalogPath = path
	renamed, err := suite.Run(c)
	require.NoError(t, err, "%s", stderr.String())

	dc, rc := def.Run.Count(), renamed.Run.Count()
	require.Equal(t, suite.VerdictPass, def.Verdict, "default run: %v", def.Reasons)
	assert.Equal(t, suite.VerdictPass, renamed.Verdict, "renamed catalogue: %v\n%s", renamed.Reasons, tail(renOut.String(), 8000))
	assert.Zero(t, rc.Skipped, "renamed catalogue: skipped scenarios: %v", scenarios(renamed.Run, report.Skipped))
	assert.Zero(t, rc.Failed, "renamed catalogue: failed scenarios: %v", scenarios(renamed.Run, report.Failed))
	assert.Equal(t, dc.Total, rc.Total, "scenarios run: renamed catalogue vs default")
	assert.Equal(t, rc.Total, rc.Passed, "renamed catalogue: want every scenario passed")
	assert.Greater(t, rc.Passed, 100, "renamed catalogue: want the whole suite")
	t.Logf("renamed catalogue: %d of %d scenarios passed, %d skipped; default catalogue: %d scenarios", rc.Passed, rc.Total, rc.Skipped, dc.Total)
}

// scenarios names the run's scenarios with the status.
func scenarios(r *report.Run, status report.Status) []string {
	var out []string
	for _, f := range r.Features {
		for _, s := range f.Scenarios {
			if s.Status == status {
				out = append(out, s.Name+": "+s.Error)
			}
		}
	}
	return out
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[len(s)-n:]
}
