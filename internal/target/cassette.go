package target

import (
	"github.com/passfort-conformance/harness/internal/atomicfile"
	"github.com/passfort-conformance/harness/internal/boundedfile"

	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// CassetteVersion is the version of the cassette format WriteCassette
// writes and ReadCassette reads.
const CassetteVersion = 1

// Cassette is a run's exchanges, redacted, as a file: a demo-API run can be
// re-judged offline in CI without network or credentials, and a reviewer can
// edit a recorded response by hand to see the verdict change.
type Cassette struct {
	// Version is CassetteVersion.
	Version int `json:"version"`
	// Recorded is when the cassette was written.
	Recorded time.Time `json:"recorded"`
	// Target is the (redacted) base URL the run was sent to.
	Target string `json:"target"`
	// Run is the run's id, the tag its created data carries; a replay
	// sends the same request bodies only when it uses the same id.
	Run string `json:"run,omitempty"`
	// Seed is the recorded run's random order seed, so that a re-check
	// names the run it re-judges as the run itself does; 0 in cassettes
	// written before it was kept.
	Seed int64 `json:"seed,omitempty"`
	// Exchanges are grouped by feature and scenario, in the order each
	// scenario sent them.
	Exchanges []CassetteEntry `json:"exchanges"`
}

// CassetteEntry is one recorded exchange and where in the suite it was sent.
//
// In the file, a request or response body that is JSON is written as JSON
// (whitespace is not kept: it reads back compacted); any other body is
// written as "body_base64".
type CassetteEntry struct {
	exchange.Exchange
	// Scenario names the scenario run that sent it.
	Scenario string
	// Feature is the feature file's URI.
	Feature string
	// Line is the line of the step that sent it.
	Line int
	// Operation is the contract operation, e.g.
	// "POST /profiles/{profile_id}/applications"; "" when unknown.
	Operation string
}

// wireEntry is an entry as the file holds it: request and response apart,
// bodies readable.
type wireEntry struct {
	Scenario  string        `json:"scenario,omitempty"`
	Feature   string        `json:"feature,omitempty"`
	Line      int           `json:"line,omitempty"`
	Operation string        `json:"operation,omitempty"`
	Request   wireMessage   `json:"request"`
	Response  *wireMessage  `json:"response,omitempty"`
	Error     string        `json:"error,omitempty"`
	Started   time.Time     `json:"started"`
	Duration  time.Duration `json:"duration_ns"`
	Attempts  int           `json:"attempts"`
	Waited    time.Duration `json:"waited_ns,omitempty"`
}

type wireMessage struct {
	Method     string          `json:"method,omitempty"`
	Path       string          `json:"path,omitempty"`
	URL        string          `json:"url,omitempty"`
	Status     int             `json:"status,omitempty"`
	Header     http.Header     `json:"header,omitempty"`
	Body       json.RawMessage `json:"body,omitempty"`
	BodyBase64 string          `json:"body_base64,omitempty"`
}

func setBody(m *wireMessage, body []byte) {
	switch {
	case len(body) == 0:
	case json.Valid(body):
		m.Body = body
	default:
		m.BodyBase64 = base64.StdEncoding.EncodeToString(body)
	}
}

func getBody(m *wireMessage) ([]byte, error) {
	switch {
	case len(m.Body) > 0 && m.BodyBase64 != "":
		return nil, errors.New("got both body and body_base64, want one")
	case len(m.Body) > 0:
		var buf bytes.Buffer
		if err := json.Compact(&buf, m.Body); err != nil {
			return nil, fmt.Errorf("body: %w", err)
		}
		return buf.Bytes(), nil
	case m.BodyBase64 != "":
		b, err := base64.StdEncoding.DecodeString(m.BodyBase64)
		if err != nil {
			return nil, fmt.Errorf("body_base64: %w", err)
		}
		return b, nil
	}
	return nil, nil
}

// MarshalJSON writes the entry in the cassette's file form.
func (e CassetteEntry) MarshalJSON() ([]byte, error) {
	w := wireEntry{
		Scenario: e.Scenario, Feature: e.Feature, Line: e.Line, Operation: e.Operation,
		Request: wireMessage{Method: e.Method, Path: e.Path, URL: e.URL, Header: e.RequestHeader},
		Error:   e.Err, Started: e.Started, Duration: e.Duration, Attempts: e.Attempts, Waited: e.Waited,
	}
	setBody(&w.Request, e.RequestBody)
	if e.Status != 0 || e.ResponseHeader != nil || len(e.ResponseBody) > 0 {
		w.Response = &wireMessage{Status: e.Status, Header: e.ResponseHeader}
		setBody(w.Response, e.ResponseBody)
	}
	return marshalNoHTML(w, "")
}

// UnmarshalJSON reads the entry from the cassette's file form.
func (e *CassetteEntry) UnmarshalJSON(data []byte) error {
	var w wireEntry
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // a misspelt field in a hand edit must not pass silently
	if err := dec.Decode(&w); err != nil {
		return err
	}
	if w.Request.Status != 0 {
		return errors.New("request: got a status, want it in response")
	}
	reqBody, err := getBody(&w.Request)
	if err != nil {
		return fmt.Errorf("request: %w", err)
	}
	*e = CassetteEntry{
		Exchange: exchange.Exchange{
			Method: w.Request.Method, Path: w.Request.Path, URL: w.Request.URL,
			RequestHeader: w.Request.Header, RequestBody: reqBody,
			Started: w.Started, Duration: w.Duration, Attempts: w.Attempts, Waited: w.Waited, Err: w.Error,
		},
		Scenario: w.Scenario, Feature: w.Feature, Line: w.Line, Operation: w.Operation,
	}
	if r := w.Response; r != nil {
		if r.Method != "" || r.Path != "" || r.URL != "" {
			return errors.New("response: got method, path or url, want them in request")
		}
		body, err := getBody(r)
		if err != nil {
			return fmt.Errorf("response: %w", err)
		}
		e.Status, e.ResponseHeader, e.ResponseBody = r.Status, r.Header, body
	}
	return nil
}

func marshalNoHTML(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // keep "<" and "&" readable for a hand edit
	if indent != "" {
		enc.SetIndent("", indent)
	}
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteCassette writes c to path as indented JSON, creating the directory.
// It writes a temporary file and renames it, so a run stopped half-way
// leaves no half a cassette. It writes c as it is: secrets must already be
// redacted (a Recorder redacts what it records with its redactor).
func WriteCassette(path string, c *Cassette) error {
	data, err := marshalNoHTML(c, "  ")
	if err != nil {
		return fmt.Errorf("cassette %s: %w", path, err)
	}
	if err := atomicfile.WriteBytes(path, data); err != nil {
		return fmt.Errorf("cassette %s: %w", path, err)
	}
	return nil
}

// ReadCassette reads and checks the cassette at path. Errors are one line
// and say where the file is wrong: "cassette c.json: line 12, column 5:
// invalid character '}' ...", "cassette c.json: exchange 3: method: got "",
// want an HTTP method".
func ReadCassette(path string) (*Cassette, error) {
	data, err := boundedfile.Read(path, boundedfile.CassetteLimit)
	if err != nil {
		return nil, fmt.Errorf("cassette: %w", err)
	}
	c, err := ParseCassette(data)
	if err != nil {
		return nil, fmt.Errorf("cassette %s: %w", path, err)
	}
	return c, nil
}

// ParseCassette reads and checks a cassette from data.
func ParseCassette(data []byte) (*Cassette, error) {
	// A syntax check of the whole file first: it gives file offsets, the
	// streaming decoder below gives offsets within one value.
	if err := json.Unmarshal(data, new(json.RawMessage)); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// The offset is just past the offending byte.
			return nil, fmt.Errorf("%s: %s", place(data, syn.Offset-1), oneline.Fold(err.Error()))
		}
		return nil, errors.New(oneline.Fold(err.Error()))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, _ := dec.Token(); tok != json.Delim('{') {
		return nil, fmt.Errorf("got %v, want a JSON object", tok)
	}
	var c Cassette
	for dec.More() {
		start := valueStart(data, dec.InputOffset()) // the key's
		tok, _ := dec.Token()
		key, _ := tok.(string)
		var err error
		switch key {
		case "version":
			err = dec.Decode(&c.Version)
		case "recorded":
			err = dec.Decode(&c.Recorded)
		case "target":
			err = dec.Decode(&c.Target)
		case "run":
			err = dec.Decode(&c.Run)
		case "seed":
			err = dec.Decode(&c.Seed)
		case "exchanges":
			c.Exchanges, err = decodeEntries(dec, data)
			if err != nil {
				return nil, err
			}
		default:
			err = errors.New("unknown field")
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %s", place(data, start), key, oneline.Fold(err.Error()))
		}
	}
	if c.Version != CassetteVersion {
		return nil, fmt.Errorf("version: got %d, want %d", c.Version, CassetteVersion)
	}
	return &c, nil
}

// decodeEntries decodes the exchanges array, one entry at a time, so an
// error names the entry and its line.
func decodeEntries(dec *json.Decoder, data []byte) ([]CassetteEntry, error) {
	start := valueStart(data, dec.InputOffset())
	tok, _ := dec.Token()
	if tok == nil {
		return nil, nil
	}
	if tok != json.Delim('[') {
		return nil, fmt.Errorf("%s: exchanges: got %v, want an array", place(data, start), tok)
	}
	var out []CassetteEntry
	for i := 1; dec.More(); i++ {
		start := valueStart(data, dec.InputOffset())
		var e CassetteEntry
		err := dec.Decode(&e)
		if err == nil {
			err = checkEntry(e)
		}
		if err != nil {
			return nil, fmt.Errorf("exchange %d (%s): %s", i, place(data, start), oneline.Fold(err.Error()))
		}
		out = append(out, e)
	}
	_, err := dec.Token() // the closing bracket; the syntax was checked
	return out, err
}

func checkEntry(e CassetteEntry) error {
	switch {
	case e.Method == "" || strings.ContainsAny(e.Method, " \t\r\n/"):
		return fmt.Errorf("method: got %q, want an HTTP method", e.Method)
	case !strings.HasPrefix(e.Path, "/"):
		return fmt.Errorf("path: got %q, want a path below the base URL starting with /", e.Path)
	case e.Status != 0 && (e.Status < 100 || e.Status > 999):
		return fmt.Errorf("status: got %d, want 100 to 999", e.Status)
	case e.Status == 0 && e.Err == "" && e.Attempts > 0:
		return errors.New("response: got none and no error, want one of them")
	case e.Attempts < 0:
		return fmt.Errorf("attempts: got %d, want 0 or more", e.Attempts)
	}
	return nil
}

// valueStart skips the white space and separators a decoder's offset
// points before.
func valueStart(data []byte, off int64) int64 {
	for off < int64(len(data)) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
		off++
	}
	return off
}

// place renders a byte offset of data as "line L, column C".
func place(data []byte, off int64) string {
	off = min(max(off, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return fmt.Sprintf("line %d, column %d", line, col)
}

// Recorder collects a run's exchanges for a cassette. It is safe for
// concurrent use: scenarios running in parallel add to one Recorder.
type Recorder struct {
	target, run string
	operation   func(method, path string) string
	red         Redactor

	mu      sync.Mutex
	entries []CassetteEntry
}

// NewRecorder returns a Recorder for a run against target (the redacted
// base URL) with id run. operation, when not nil, names the contract
// operation of a method and path (below the base URL, with query).
func NewRecorder(target, run string, operation func(method, path string) string) *Recorder {
	return &Recorder{target: target, run: run, operation: operation}
}

// Redacting makes r redact every exchange it records with red, and
// returns r. Call it before the first Add.
func (r *Recorder) Redacting(red Redactor) *Recorder {
	r.red = red
	return r
}

// Add records ex (redacted with the Recorder's redactor), sent by the step at line of the scenario run named
// scenario in feature. scenario should tell apart the runs of one scenario
// outline (e.g. the name and the example row's line): a cassette keeps each
// scenario's exchanges in the order they were added. ex is copied.
func (r *Recorder) Add(scenario, feature string, line int, ex *exchange.Exchange) {
	ex = r.red.Exchange(ex) // a copy with headers of its own; bodies may be shared
	// The suite hands over names it already redacted; redacting them here
	// too keeps a cassette safe from any other caller.
	e := CassetteEntry{Exchange: *ex, Scenario: r.red.String(scenario), Feature: r.red.String(feature), Line: line}
	e.RequestBody = bytes.Clone(ex.RequestBody)
	e.ResponseBody = bytes.Clone(ex.ResponseBody)
	if r.operation != nil {
		e.Operation = r.operation(ex.Method, ex.Path)
	}
	r.mu.Lock()
	r.entries = append(r.entries, e)
	r.mu.Unlock()
}

// Len returns how many exchanges were added.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.entries)
}

// Cassette returns what was recorded so far, sorted by feature and scenario
// (whichever order scenarios ran in), each scenario's exchanges in the
// order they were sent.
func (r *Recorder) Cassette() *Cassette {
	r.mu.Lock()
	entries := slices.Clone(r.entries)
	r.mu.Unlock()
	slices.SortStableFunc(entries, func(a, b CassetteEntry) int {
		return cmp.Or(strings.Compare(a.Feature, b.Feature), strings.Compare(a.Scenario, b.Scenario))
	})
	return &Cassette{
		Version:   CassetteVersion,
		Recorded:  time.Now().UTC().Truncate(time.Second),
		Target:    r.target,
		Run:       r.run,
		Exchanges: entries,
	}
}

// Write writes what was recorded so far to path (see WriteCassette).
func (r *Recorder) Write(path string) error { return WriteCassette(path, r.Cassette()) }
