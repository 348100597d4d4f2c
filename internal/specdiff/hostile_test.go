package specdiff

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// specWithRef is base.yaml's shape with one schema read through ref.
func specWithRef(ref string) string {
	return `openapi: 3.0.3
info: {title: t, version: 1.0.0}
paths:
  /profiles/{profile_id}:
    get:
      parameters:
        - {name: profile_id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the profile
          content:
            application/json:
              schema:
                $ref: '` + ref + `'
`
}

// Local $refs stay in the spec's folder and read
// regular files of bounded size; the specs themselves too.
func TestCompareHostileFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	specs := filepath.Join(dir, "specs")
	require.NoError(t, os.Mkdir(specs, 0o700))
	write := func(name, text string) string {
		p := filepath.Join(specs, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		return p
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "outside.yaml"), []byte("Profile: {type: object}\n"), 0o600))
	require.NoError(t, os.Symlink(filepath.Join(dir, "outside.yaml"), filepath.Join(specs, "link.yaml")))
	big := filepath.Join(specs, "big.yaml")
	f, err := os.Create(big)
	require.NoError(t, err)
	require.NoError(t, f.Truncate(17<<20)) // sparse: no disk used
	require.NoError(t, f.Close())
	base := write("base.yaml", specWithRef("#/components/schemas/P")+"components: {schemas: {P: {type: object}}}\n")

	tests := map[string]struct {
		base, revision string
		wantIn         string
	}{
		"absolute $ref to /etc/passwd": {base, write("passwd.yaml", specWithRef("/etc/passwd#/root")), "outside the spec's folder"},
		"$ref to the parent folder":    {base, write("parent.yaml", specWithRef("../outside.yaml#/Profile")), "outside the spec's folder"},
		"$ref through a symbolic link": {base, write("link-ref.yaml", specWithRef("link.yaml#/Profile")), "outside the spec's folder"},
		"$ref to /dev/zero":            {base, write("zero.yaml", specWithRef("/dev/zero#/x")), "outside the spec's folder"},
		"$ref to a big file":           {base, write("big-ref.yaml", specWithRef("big.yaml#/x")), "want at most"},
		"base is /dev/zero":            {"/dev/zero", base, "want a regular file"},
		"base is over the limit":       {big, base, "want at most"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			_, err := Compare(ctx, tc.base, tc.revision, Options{})
			require.Error(t, err)
			msg := err.Error()
			assert.Contains(t, msg, tc.wantIn)
			assert.NotContains(t, msg, "root:", "the error quotes /etc/passwd")
			assert.False(t, strings.Contains(msg, "\n"), "one line: %q", msg)
		})
	}
}

// A $ref to a file next to the spec still works.
func TestCompareLocalRefInFolder(t *testing.T) {
	t.Parallel()
	_, err := Compare(context.Background(), "testdata/base.yaml", "testdata/local-ref.yaml", Options{})
	require.NoError(t, err)
}

// One huge mapping is refused at once, in a spec file and
// in a spec held in memory.
func TestCompareRefusesHugeMapping(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(specWithRef("#/components/schemas/P") + "components: {schemas: {P: {type: object}}}\nx-big:\n")
	for i := range 20_000 {
		b.WriteString("  k" + strconv.Itoa(i) + ": v\n")
	}
	p := filepath.Join(t.TempDir(), "big.yaml")
	require.NoError(t, os.WriteFile(p, []byte(b.String()), 0o600))
	start := time.Now()
	_, err := Compare(context.Background(), "testdata/base.yaml", p, Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "got a mapping of 20000 keys")
	_, err = CompareDocuments(context.Background(), Document{Name: "a.yaml", Data: []byte(b.String())}, Document{Name: "b.yaml", Data: []byte(b.String())}, Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "got a mapping of 20000 keys")
	assert.Less(t, time.Since(start), 10*time.Second, "refused at once, not decoded")
}

// FuzzLoadData: no spec makes the spec-diff loader panic, whatever its bytes.
func FuzzLoadData(f *testing.F) {
	for _, name := range []string{"testdata/base.yaml", "testdata/local-ref.yaml", "testdata/remote-ref.yaml"} {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(`{"openapi":"3.0.3","info":{"title":"t","version":"1"},"paths":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := loadData(sideBase, "fuzz.yaml", data)
		if err == nil {
			require.NotNil(t, l.info)
		}
	})
}
