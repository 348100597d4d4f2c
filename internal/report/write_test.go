package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteAll(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "nested", "reports")
	r, extra := sampleRun(), sampleExtras()
	if err := Write(dir, r, extra); err != nil {
		t.Fatalf("Write: %v", err)
	}
	writers := map[string]func(*bytes.Buffer) error{
		JUnitFile:    func(b *bytes.Buffer) error { return WriteJUnit(b, r) },
		CucumberFile: func(b *bytes.Buffer) error { return WriteCucumber(b, r) },
		FindingsJSON: func(b *bytes.Buffer) error { return WriteFindings(b, r) },
		HTMLFile:     func(b *bytes.Buffer) error { return WriteHTML(b, r, extra) },
		SARIFFile:    func(b *bytes.Buffer) error { return WriteSARIF(b, r) },
		NDJSONFile:   func(b *bytes.Buffer) error { return WriteNDJSON(b, r) },
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(writers) {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("dir holds %v; want exactly the %d reports (no temporary files)", names, len(writers))
	}
	for name, write := range writers {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		var want bytes.Buffer
		if err := write(&want); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%s differs from its writer's output", name)
		}
	}
	raw, _ := os.ReadFile(filepath.Join(dir, JUnitFile))
	if err := xml.Unmarshal(raw, new(xsdSuites)); err != nil {
		t.Errorf("junit.xml: %v", err)
	}
	for _, name := range []string{CucumberFile, FindingsJSON, SARIFFile} {
		raw, _ := os.ReadFile(filepath.Join(dir, name))
		if !json.Valid(raw) {
			t.Errorf("%s is not JSON", name)
		}
	}
}

func TestWriteFailsOnBadDir(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Write(filepath.Join(file, "reports"), sampleRun(), HTMLExtras{}); err == nil {
		t.Error("Write under a regular file succeeded; want an error")
	}
}
