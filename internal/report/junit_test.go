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

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
// GitLab and Surefire's own reader, so the report keeps it.
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
		require.NoError(t, err, "junit: not well-formed XML")
		switch tok := tok.(type) {
		case xml.StartElement:
			name := tok.Name.Local
			attrs, ok := junitSchema[name]
			assert.True(t, ok, name)
			parent := ""
			if len(stack) > 0 {
				parent = stack[len(stack)-1]
			}
			assert.True(t, slices.Contains(junitParents[name], parent))
			for _, a := range tok.Attr {
				assert.True(t, slices.Contains(attrs, a.Name.Local), name)
				if a.Name.Local == "time" {
					v, err := strconv.ParseFloat(a.Value, 64)
					assert.NoError(t, err, "junit: <%s time=%q>: want a non-negative number of seconds", name, a.Value)
					assert.GreaterOrEqual(t, v, 0.0, "junit: <%s time=%q>: want a non-negative number of seconds", name, a.Value)
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
	require.NoError(t, WriteJUnit(&buf, r), "WriteJUnit")
	checkJUnitSchema(t, buf.Bytes())
	var doc xsdSuites
	require.NoError(t, xml.Unmarshal(buf.Bytes(), &doc), "parse junit\n%s", buf.Bytes())
	return buf.Bytes(), doc
}

func TestJUnitCounts(t *testing.T) {
	t.Parallel()
	_, doc := writeJUnit(t, sampleRun())

	// 8 scenarios: contract, lifecycle and assertion failures are <failure>;
	// infrastructure-only and undefined are <error>; one skipped.
	assert.Equal(t, "passfort-conformance", doc.Name)
	assert.Equal(t, [4]int{8, 3, 2, 1}, [4]int{doc.Tests, doc.Failures, doc.Errors, doc.Skipped}, "tests, failures, errors, skipped")
	assert.Equal(t, 1.42, doc.Time)
	tests := map[string]struct{ tests, failures, errors, skipped int }{
		"Profiles":     {4, 1, 0, 1},
		"Applications": {4, 2, 2, 0},
	}
	require.Len(t, doc.Suites, len(tests))
	for _, s := range doc.Suites {
		want, ok := tests[s.Name]
		if !assert.True(t, ok, "unexpected testsuite %q", s.Name) {
			continue
		}
		got := struct{ tests, failures, errors, skipped int }{s.Tests, s.Failures, s.Errors, s.Skipped}
		assert.Equal(t, want, got, "testsuite %q counts", s.Name)
		assert.Len(t, s.Cases, s.Tests, "testsuite %q: %d testcases, tests=%d", s.Name, len(s.Cases), s.Tests)
		props := map[string]string{}
		for _, p := range s.Properties {
			props[p.Name] = p.Value
		}
		assert.Equal(t, "42", props["seed"], "testsuite %q properties", s.Name)
		assert.Equal(t, "embedded mock", props["target"], "testsuite %q properties", s.Name)
		assert.True(t, strings.HasPrefix(props["spec.sha256"], "0123456789ab"), "testsuite %q properties = %v; want seed, target and spec hash", s.Name, props)
	}
}

func TestJUnitTestCases(t *testing.T) {
	t.Parallel()
	_, doc := writeJUnit(t, sampleRun())
	cases := map[string]xsdCase{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			assert.Equal(t, s.Name, c.ClassName, "testcase %q classname", c.Name)
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
		if !assert.True(t, ok, "no testcase %q", tt.name) {
			continue
		}
		var got []xsdResult
		switch tt.kind {
		case "failure":
			got = c.Failures
		case "error":
			got = c.Errors
		}
		assert.Equal(t, len(got), len(c.Failures)+len(c.Errors), "%q: %d failures and %d errors", tt.name, len(c.Failures), len(c.Errors))
		assert.Equal(t, tt.kind == "skipped", c.Skipped != nil, "%q: skipped", tt.name)
		assert.False(t, tt.kind == "skipped" && c.Skipped.Message != tt.message, "%q: skipped message", tt.name)
		if len(got) > 0 {
			assert.Equal(t, tt.typ, got[0].Type, "%q: %s type", tt.name, tt.kind)
			assert.Equal(t, tt.message, got[0].Message, "%q: %s message", tt.name, tt.kind)
			for _, want := range tt.bodyHas {
				assert.Contains(t, got[0].Body, want, "%q: %s body %q lacks %q", tt.name, tt.kind, got[0].Body, want)
			}
		}
		out := strings.Join(c.SystemOut, "\n")
		assert.Equal(t, tt.systemOutIs, out, "%q: system-out", tt.name)
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
		assert.Equal(t, -1, bytes.IndexByte(raw, c))
	}
	assert.Equal(t, `suite "q" & <x>`, doc.Name)
	s := doc.Suites[0]
	assert.Equal(t, "F <&> \"q\" 'a'", s.Name)
	c := s.Cases[0]
	assert.Equal(t, "S <b>&amp;</b>[31m", c.Name)
	require.Len(t, c.Failures, 1)
	f := c.Failures[0]
	wantMsg := "contract: /a<b>: got \"x\" & <y> [wrong-type]"
	assert.Equal(t, wantMsg, f.Message, "failure message")
	assert.Contains(t, f.Body, "error: bad <value> & \"quoted\"\nsecond line")
}

func TestJUnitEmptyRun(t *testing.T) {
	t.Parallel()
	_, doc := writeJUnit(t, &Run{})
	assert.EqualValues(t, 0, doc.Tests)
	assert.Len(t, doc.Suites, 0)
	assert.EqualValues(t, 0, doc.Time)
}

// A failure's message attribute is the first finding or assertion line in
// full: a step error that opens a list ("1 of 16 values differ:") carries its
// first item, a long line is not cut; the body keeps every line.
func TestJUnitMessageIsTheHeadlineInFull(t *testing.T) {
	t.Parallel()
	long := "status: got 500, want 200 " + strings.Repeat("x", 500)
	tests := map[string]struct {
		err  string
		want string
	}{
		"a table of values": {
			err:  "1 of 16 values differ:\n  status: got \"APPLIED\", want \"APPROVED\"\n  flag: got \"A\", want \"B\"",
			want: "1 of 16 values differ: status: got \"APPLIED\", want \"APPROVED\"",
		},
		"one line":                {err: "status: got 404, want 200", want: "status: got 404, want 200"},
		"a long line is kept":     {err: long, want: long},
		"blank lines are skipped": {err: "\n\n  timed out:\n\n  after 5s\n", want: "timed out: after 5s"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			r := &Run{Features: []Feature{{URI: "f.feature", Name: "f", Scenarios: []Scenario{{
				Name: "s", Status: Failed, Steps: []Step{{Keyword: "Then ", Text: "x", Status: Failed, Error: tc.err}},
			}}}}}
			_, doc := writeJUnit(t, r)
			require.Len(t, doc.Suites[0].Cases[0].Failures, 1)
			f := doc.Suites[0].Cases[0].Failures[0]
			assert.Equal(t, tc.want, f.Message)
			assert.Contains(t, f.Body, strings.TrimSpace(tc.err))
		})
	}
}
