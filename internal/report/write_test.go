package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteAll(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nested", "reports")
	r, extra := sampleRun(), sampleExtras()
	extra.Previous = Compare(sampleRun(), r)
	require.NoError(t, Write(dir, r, extra), "Write")
	writers := map[string]func(*bytes.Buffer) error{
		JUnitFile:    func(b *bytes.Buffer) error { return WriteJUnit(b, r) },
		CucumberFile: func(b *bytes.Buffer) error { return WriteCucumber(b, r) },
		FindingsJSON: func(b *bytes.Buffer) error { return WriteFindings(b, r) },
		HTMLFile:     func(b *bytes.Buffer) error { return WriteHTML(b, r, extra) },
		SARIFFile:    func(b *bytes.Buffer) error { return WriteSARIF(b, r) },
		NDJSONFile:   func(b *bytes.Buffer) error { return WriteNDJSON(b, r) },
		SummaryFile:  func(b *bytes.Buffer) error { return WriteMarkdown(b, r, extra.Previous) },
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	assert.Len(t, names, len(writers), "want exactly the reports (no temporary files)")
	for name, write := range writers {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if !assert.NoError(t, err, name) {
			continue
		}
		var want bytes.Buffer
		require.NoError(t, write(&want))
		assert.Equal(t, string(want.Bytes()), string(got), name)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, JUnitFile))
	assert.NoError(t, xml.Unmarshal(raw, new(xsdSuites)), "junit.xml")
	for _, name := range []string{CucumberFile, FindingsJSON, SARIFFile} {
		raw, _ := os.ReadFile(filepath.Join(dir, name))
		assert.True(t, json.Valid(raw), name)
	}
}

func TestWriteFailsOnBadDir(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "not-a-dir")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	assert.Error(t, Write(filepath.Join(file, "reports"), sampleRun(), HTMLExtras{}), "Write under a regular file succeeded")
}
