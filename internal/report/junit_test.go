package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/passfort-conformance/harness/internal/finding"
)

// The JUnit shape CI servers read, modelled on the Jenkins junit XSD
// (the schema Maven Surefire reports are checked against).
type xsdSuites struct {
	XMLName  xml.Name   `xml:"testsuites"`
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Errors   int        `xml:"errors,attr"`
	Skipped  int        `xml:"skipped,attr"`
	Time     float64    `xml:"time,attr"`
	Suites   []xsdSuite `xml:"testsuite"`
}

type xsdSuite struct {
	Name       string        `xml:"name,attr"`
	Tests      int           `xml:"tests,attr"`
	Failures   int           `xml:"failures,attr"`
	Errors     int           `xml:"errors,attr"`
	Skipped    int           `xml:"skipped,attr"`
	Time       float64       `xml:"time,attr"`
	Timestamp  string        `xml:"timestamp,attr"`
	Properties []xsdProperty `xml:"properties>property"`
	Cases      []xsdCase     `xml:"testcase"`
}

type xsdProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type xsdCase struct {
	Name      string      `xml:"name,attr"`
	ClassName string      `xml:"classname,attr"`
	Time      float64     `xml:"time,attr"`
	Skipped   *xsdSkipped `xml:"skipped"`
	Failures  []xsdResult `xml:"failure"`
	Errors    []xsdResult `xml:"error"`
	SystemOut []string    `xml:"system-out"`
}

type xsdSkipped struct {
	Message string `xml:"message,attr"`
}

type xsdResult struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

// junitSchema lists, per element of the Jenkins junit XSD, the attributes it
// allows. "skipped" on <testsuites> is not in that XSD but is read by Jenkins,
// GitLab and Surefire's own reader, and the issue asks for it.
var junitSchema = map[string][]string{
	"testsuites": {"name", "time", "tests", "failures", "disabled", "errors", "skipped"},
	"testsuite": {"name", "tests", "failures", "errors", "group", "time", "skipped", "timestamp",
		"hostname", "id", "package", "file", "log", "url", "version", "disabled"},
	"properties": {},
	"property":   {"name", "value"},
	"testcase":   {"name", "assertions", "time", "classname", "status", "class", "file", "line", "log", "group", "url"},
	"skipped":    {"message"},
	"failure":    {"message", "type"},
	"error":      {"message", "type"},
	"system-out": {},
	"system-err": {},
}

// junitParents is the XSD's containment: which element each one may sit in.
var junitParents = map[string][]string{
	"testsuites": {""},
	"testsuite":  {"testsuites"},
	"properties": {"testsuite"},
	"property":   {"properties"},
	"testcase":   {"testsuite"},
	"skipped":    {"testcase"},
	"failure":    {"testcase"},
	"error":      {"testcase"},
	"system-out": {"testsuite", "testcase"},
	"system-err": {"testsuite", "testcase"},
}

// checkJUnitSchema walks the document and rejects any element, attribute or
// nesting the XSD does not allow, and any time that is not a non-negative number.
func checkJUnitSchema(t *testing.T, doc []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(doc))
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("junit: not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			attrs, ok := junitSchema[name]
			if !ok {
				t.Errorf("junit: element <%s> not in the schema", name)
			}
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			if !slices.Contains(junitParents[name], parent) {
				t.Errorf("junit: <%s> inside <%s>, want inside one of %v", name, parent, junitParents[name])
			}
			for _, a := range tok.Attr {
				if !slices.Contains(attrs, a.Name.Local) {
					t.Errorf("junit: attribute %s on <%s> not in the schema", a.Name.Local, name)
				}
				if a.Name.Local == "time" {
					v, err := strconv.ParseFloat(a.Value, 64)
					if err != nil || v < 0 {
						t.Errorf("junit: <%s time=%q>: want a non-negative number of seconds", name, a.Value)
					}
				}
			}
			stack = append(stack, name)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

func writeJUnit(t *testing.T, r *Run) ([]byte, xsdSuites) {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatalf("WriteJUnit: %v", err)
	}
	checkJUnitSchema(t, buf.Bytes())
	var doc xsdSuites
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("parse junit: %v\n%s", err, buf.Bytes())
	}
	return buf.Bytes(), doc
}

func TestJUnitCounts(t *testing.T) {
	t.Parallel()
	_, doc := writeJUnit(t, sampleRun())

	// 8 scenarios: contract, lifecycle and assertion failures are <failure>;
	// infrastructure-only and undefined are <error>; one skipped.
	if doc.Name != "passfort-conformance" || doc.Tests != 8 || doc.Failures != 3 || doc.Errors != 2 || doc.Skipped != 1 {
		t.Errorf("testsuites = name %q tests %d failures %d errors %d skipped %d; want passfort-conformance 8 3 2 1",
			doc.Name, doc.Tests, doc.Failures, doc.Errors, doc.Skipped)
	}
	if doc.Time != 1.42 {
		t.Errorf("testsuites time = %v; want 1.42 (wall clock)", doc.Time)
	}
	tests := map[string]struct{ tests, failures, errors, skipped int }{
		"Profiles":     {4, 1, 0, 1},
		"Applications": {4, 2, 2, 0},
	}
	if len(doc.Suites) != len(tests) {
		t.Fatalf("got %d testsuites, want %d", len(doc.Suites), len(tests))
	}
	for _, s := range doc.Suites {
		want, ok := tests[s.Name]
		if !ok {
			t.Errorf("unexpected testsuite %q", s.Name)
			continue
		}
		got := struct{ tests, failures, errors, skipped int }{s.Tests, s.Failures, s.Errors, s.Skipped}
		if got != want {
			t.Errorf("testsuite %q counts = %+v; want %+v", s.Name, got, want)
		}
		if len(s.Cases) != s.Tests {
			t.Errorf("testsuite %q: %d testcases, tests=%d", s.Name, len(s.Cases), s.Tests)
		}
		props := map[string]string{}
		for _, p := range s.Properties {
			props[p.Name] = p.Value
		}
		if props["seed"] != "42" || props["target"] != "embedded mock" || !strings.HasPrefix(props["spec.sha256"], "0123456789ab") {
			t.Errorf("testsuite %q properties = %v; want seed, target and spec hash", s.Name, props)
		}
	}
}

func TestJUnitTestCases(t *testing.T) {
	t.Parallel()
	_, doc := writeJUnit(t, sampleRun())
	cases := map[string]xsdCase{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.ClassName != s.Name {
				t.Errorf("testcase %q classname = %q; want the feature %q", c.Name, c.ClassName, s.Name)
			}
			cases[c.Name] = c
		}
	}
	tests := []struct {
		name        string
		kind        string // failure, error, skipped, passed
		typ         string
		message     string
		bodyHas     []string
		systemOutIs string
	}{
		{
			name: `Profile has a "status" & <role>`, kind: "failure", typ: "contract",
			message: missingStatus.String(),
			bodyHas: []string{missingStatus.String(), "error: GET /profiles/{profile_id} 200: 1 contract finding"},
			// The drift finding is reported, never a failure.
			systemOutIs: extraField.String(),
		},
		{
			name: "Approve twice", kind: "failure", typ: "lifecycle",
			message: illegalMove.String(), bodyHas: []string{illegalMove.String(), "error: lifecycle: 1 finding"},
		},
		{
			name: "Wrong status", kind: "failure", typ: "assertion",
			message: "status: got 200, want 201", bodyHas: []string{"status: got 200, want 201"},
		},
		{
			name: "Target down", kind: "error", typ: "infrastructure",
			message: timedOut.String(), bodyHas: []string{timedOut.String(), "error: GET /profiles: timeout"},
		},
		{name: "Not written yet", kind: "error", typ: "undefined", message: "undefined step: When something nobody wrote"},
		{name: "Only on the mock", kind: "skipped", message: "@mock-only: target is not the embedded mock"},
		{
			name: "Retry after a timeout", kind: "passed",
			systemOutIs: "flaky: passed on attempt 2 after infrastructure failure: GET /profiles: timeout after 10s",
		},
		{name: "Read a profile", kind: "passed", systemOutIs: extraField.String()},
	}
	for _, tt := range tests {
		c, ok := cases[tt.name]
		if !ok {
			t.Errorf("no testcase %q", tt.name)
			continue
		}
		var got []xsdResult
		switch tt.kind {
		case "failure":
			got = c.Failures
		case "error":
			got = c.Errors
		}
		if n := len(c.Failures) + len(c.Errors); n != len(got) {
			t.Errorf("%q: %d failures and %d errors; want only a %s", tt.name, len(c.Failures), len(c.Errors), tt.kind)
		}
		if (c.Skipped != nil) != (tt.kind == "skipped") {
			t.Errorf("%q: skipped = %v; want %v", tt.name, c.Skipped != nil, tt.kind == "skipped")
		}
		if tt.kind == "skipped" && c.Skipped.Message != tt.message {
			t.Errorf("%q: skipped message = %q; want %q", tt.name, c.Skipped.Message, tt.message)
		}
		if len(got) > 0 {
			if got[0].Type != tt.typ || got[0].Message != tt.message {
				t.Errorf("%q: %s type %q message %q; want type %q message %q",
					tt.name, tt.kind, got[0].Type, got[0].Message, tt.typ, tt.message)
			}
			for _, want := range tt.bodyHas {
				if !strings.Contains(got[0].Body, want) {
					t.Errorf("%q: %s body %q lacks %q", tt.name, tt.kind, got[0].Body, want)
				}
			}
		}
		if out := strings.Join(c.SystemOut, "\n"); out != tt.systemOutIs {
			t.Errorf("%q: system-out = %q; want %q", tt.name, out, tt.systemOutIs)
		}
	}
}

func TestJUnitEscaping(t *testing.T) {
	t.Parallel()
	r := &Run{Suite: `suite "q" & <x>`, Features: []Feature{{
		URI: "features/x.feature", Name: "F <&> \"q\" 'a'",
		Scenarios: []Scenario{{
			Name: "S\x00\x07 <b>&amp;</b>\x1b[31m", Status: Failed, Duration: time.Millisecond,
			Steps: []Step{{Status: Failed, Error: "bad \x0c<value> & \"quoted\"\nsecond line\x01",
				Findings: []finding.Finding{{Class: finding.Contract, Kind: finding.WrongType,
					Pointer: "/a<b>", Message: "got \"x\" & \x02<y>"}}}},
		}},
	}}}
	raw, doc := writeJUnit(t, r)
	for _, c := range []byte{0x00, 0x01, 0x02, 0x07, 0x0c, 0x1b} {
		if bytes.IndexByte(raw, c) >= 0 {
			t.Errorf("output holds control character %#x", c)
		}
	}
	if doc.Name != `suite "q" & <x>` {
		t.Errorf("testsuites name = %q; want the suite name back", doc.Name)
	}
	s := doc.Suites[0]
	if s.Name != "F <&> \"q\" 'a'" {
		t.Errorf("testsuite name = %q", s.Name)
	}
	c := s.Cases[0]
	if c.Name != "S <b>&amp;</b>[31m" {
		t.Errorf("testcase name = %q; want control characters stripped, text kept", c.Name)
	}
	if len(c.Failures) != 1 {
		t.Fatalf("want one failure, got %+v", c)
	}
	f := c.Failures[0]
	wantMsg := "contract: /a<b>: got \"x\" & <y> [wrong-type]"
	if f.Message != wantMsg {
		t.Errorf("failure message = %q; want %q", f.Message, wantMsg)
	}
	if !strings.Contains(f.Body, "error: bad <value> & \"quoted\"\nsecond line") {
		t.Errorf("failure body = %q", f.Body)
	}
}

func TestJUnitEmptyRun(t *testing.T) {
	t.Parallel()
	_, doc := writeJUnit(t, &Run{})
	if doc.Tests != 0 || len(doc.Suites) != 0 || doc.Time != 0 {
		t.Errorf("empty run = %+v; want no tests", doc)
	}
}
