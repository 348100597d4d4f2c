package steps

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestReadmeVocabularyIsCurrent fails when a step was added or changed
// without `make docs`.
func TestReadmeVocabularyIsCurrent(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want, err := SpliceVocabulary(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if want != string(data) {
		t.Fatal("README.md: the step vocabulary is stale; run make docs")
	}
}

// TestDefinitions checks that every step's pattern compiles, is anchored,
// matches its own example, and that no two patterns match one example.
func TestDefinitions(t *testing.T) {
	defs := Definitions()
	res := make([]*regexp.Regexp, len(defs))
	for i, d := range defs {
		re, err := regexp.Compile(d.Pattern)
		if err != nil {
			t.Fatalf("pattern %q: %v", d.Pattern, err)
		}
		if !strings.HasPrefix(d.Pattern, "^") || !strings.HasSuffix(d.Pattern, "$") {
			t.Errorf("pattern %q: want it anchored with ^...$", d.Pattern)
		}
		if d.Doc == "" || d.Group == "" {
			t.Errorf("pattern %q: want a Group and a Doc", d.Pattern)
		}
		res[i] = re
	}
	for i, d := range defs {
		text := exampleText(d.Example)
		matches := 0
		for _, re := range res {
			if re.MatchString(text) {
				matches++
			}
		}
		if !res[i].MatchString(text) {
			t.Errorf("example %q does not match its own pattern %q", text, d.Pattern)
		}
		if matches != 1 {
			t.Errorf("example %q matches %d patterns, want 1 (ambiguous step)", text, matches)
		}
	}
}

// exampleText strips the Gherkin keyword and any doc string or table from an example.
func exampleText(example string) string {
	line, _, _ := strings.Cut(example, "\n")
	for _, kw := range []string{"Given ", "When ", "Then ", "And ", "But "} {
		if strings.HasPrefix(line, kw) {
			return strings.TrimPrefix(line, kw)
		}
	}
	return line
}
