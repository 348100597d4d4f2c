package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// JUnit XML, shaped after the schema Jenkins and Maven Surefire read: one
// <testsuite> per feature, one <testcase> per scenario.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr,omitempty"`
	File       string          `xml:"file,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	ClassName string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Skipped   *junitSkipped `xml:"skipped"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitSkipped struct {
	Message string `xml:"message,attr,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",cdata"`
}

// WriteJUnit writes the run as JUnit XML. A failed scenario becomes a
// <failure> whose type is its FailureClass and whose body lists every
// failing finding and the error; a scenario failed by infrastructure findings
// alone, and an undefined one, becomes an <error> instead, so CI tells a
// broken contract from an unreachable target. Flaky scenarios pass with a
// <system-out> note; drift findings are listed in <system-out> too. Times are
// seconds, never negative.
func WriteJUnit(w io.Writer, r *Run) error {
	doc := junitSuites{
		Name: cleanText(r.Suite),
		Time: seconds(r.Duration()),
	}
	props := junitRunProperties(r)
	for _, f := range r.Features {
		js := junitSuite{
			Name:       cleanText(f.Name),
			File:       cleanText(f.URI),
			Time:       seconds(f.Duration()),
			Properties: props,
		}
		if start := f.Started(); !start.IsZero() {
			js.Timestamp = start.UTC().Format(time.RFC3339)
		}
		for _, s := range f.Scenarios {
			c := junitTestCase(&f, &s)
			js.Tests++
			switch {
			case c.Failure != nil:
				js.Failures++
			case c.Error != nil:
				js.Errors++
			case c.Skipped != nil:
				js.Skipped++
			}
			js.Cases = append(js.Cases, c)
		}
		doc.Tests += js.Tests
		doc.Failures += js.Failures
		doc.Errors += js.Errors
		doc.Skipped += js.Skipped
		doc.Suites = append(doc.Suites, js)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write junit: %w", err)
	}
	return nil
}

func junitRunProperties(r *Run) []junitProperty {
	props := []junitProperty{
		{Name: "run.id", Value: cleanText(r.ID)},
		{Name: "target", Value: cleanText(r.Target)},
		{Name: "seed", Value: strconv.FormatInt(r.Seed, 10)},
		{Name: "spec.sha256", Value: cleanText(r.SpecHash)},
	}
	if r.Guard != "" {
		props = append(props, junitProperty{Name: "guard", Value: cleanText(r.Guard)})
	}
	return props
}

func junitTestCase(f *Feature, s *Scenario) junitCase {
	c := junitCase{
		ClassName: cleanText(f.Name),
		Name:      cleanText(s.Name),
		Time:      seconds(s.Duration),
		File:      cleanText(f.URI),
		Line:      s.Line,
	}
	var out []string
	switch class := s.FailureClass(); class {
	case "":
		if s.Status == Skipped {
			c.Skipped = &junitSkipped{Message: cleanText(oneline.First(s.Error))}
		}
		if s.Status == Flaky {
			out = append(out, flakyNote(s))
		}
	case FailInfrastructure, FailUndefined, FailUsage:
		c.Error = junitProblemOf(s, class)
	default:
		c.Failure = junitProblemOf(s, class)
	}
	for _, fd := range s.Findings() {
		if !fd.Fails() {
			out = append(out, findingText(fd))
		}
	}
	c.SystemOut = cleanText(strings.Join(out, "\n"))
	return c
}

// junitProblemOf is a failed scenario's <failure> or <error>: the message
// is its Headline in full, the body every failing finding and the error.
func junitProblemOf(s *Scenario, class string) *junitProblem {
	fs := s.FailingFindings()
	var lines []string
	for _, fd := range fs {
		lines = append(lines, fd.String())
	}
	errText := s.FailedStepError()
	if errText != "" {
		lines = append(lines, "error: "+errText)
	}
	return &junitProblem{
		Message: cleanText(s.Headline()),
		Type:    class,
		Body:    cleanText(strings.Join(lines, "\n")),
	}
}

// flakyNote explains why a passed scenario counts as flaky.
func flakyNote(s *Scenario) string {
	reason := oneline.First(s.Error)
	if reason == "" {
		for _, fd := range s.Findings() {
			if fd.Class == finding.Infrastructure {
				reason = fd.String()
				break
			}
		}
	}
	if reason == "" {
		reason = "no reason recorded"
	}
	return fmt.Sprintf("flaky: passed on attempt %d after infrastructure failure: %s", max(s.Attempts, 2), reason)
}

// seconds renders a duration as JUnit wants it: seconds with millisecond
// precision, never negative.
func seconds(d time.Duration) string {
	return strconv.FormatFloat(nonNegative(d).Seconds(), 'f', 3, 64)
}
