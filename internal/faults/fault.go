// Package faults makes the mock misbehave on purpose, so the harness (and
// an SDK's own tests) can prove that each failure is reported clearly and
// in time: latency, PassFort's rate limit, error statuses, dropped
// connections, and bodies that come slowly or cut short. Each fault applies
// to the requests of one route; they are set with Options.Faults, the
// -fault flags of cmd/passfort-mock, or at run time on the admin endpoint
// /__mock/faults, which this package serves. Faults set with the
// X-Mock-Scope header (internal/mockscope) apply only to requests of that
// scope.
//
// Injector wraps the API as middleware; while no fault is in force a
// request goes straight to the API.
package faults

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Kinds of Fault.
const (
	// Latency delays the answer by Latency.
	Latency = "latency"
	// Status answers Status with PassFort's error envelope instead of
	// serving the request (nothing changes in the store).
	Status = "status"
	// Drop closes the connection without answering.
	Drop = "drop"
	// SlowBody sends the answer's body in chunks of Bytes bytes, Latency apart.
	SlowBody = "slow-body"
	// Truncate announces the whole body's Content-Length, sends only
	// Bytes of it and closes the connection.
	Truncate = "truncate"
	// RateLimit enforces a rate limit with the generic cell rate
	// algorithm PassFort uses: Rate requests per Per, Burst back to back.
	// Requests over it get 429 with PassFort's X-RateLimit-* headers; the
	// requests it lets through carry X-RateLimit-Remaining and -Reset too.
	RateLimit = "rate-limit"
)

// Defaults of Fault fields left zero.
const (
	defaultChunk      = 64
	defaultRatePeriod = time.Hour
)

// Fault is one misbehaviour of the mock on one route. The zero values of
// the optional fields mean: every matching request, no retry header, the
// defaults of the kind.
type Fault struct {
	// Method is the HTTP method the fault applies to; "" or "*" means any.
	Method string
	// Path is the route below /4.0 (a leading /4.0 is ignored): a template
	// in which a segment "*" or "{name}" matches any one segment, e.g.
	// "/profiles/{profile_id}". "*" alone, or "", matches every path.
	Path string
	// Kind is one of the Fault* constants.
	Kind string
	// Latency is the delay of a latency fault, or the pause between the
	// chunks of a slow-body fault.
	Latency time.Duration
	// Status is the answer of a status fault, 400 to 599.
	Status int
	// RetryAfter, when positive, makes a status fault send Retry-After
	// (whole seconds, rounded up) and X-RateLimit-Retry-Secs (exact), the
	// headers that let a client retry.
	RetryAfter time.Duration
	// Bytes is how much of the body a truncate fault sends (0: half of it),
	// or the chunk size of a slow-body fault (0: 64).
	Bytes int
	// Rate, Per and Burst configure a rate-limit fault: Rate requests per
	// Per (0: an hour), Burst of them back to back (0: 1).
	Rate  int
	Per   time.Duration
	Burst int
	// Every makes the fault fire on every Every-th matching request only
	// (deterministic); 0 or 1 means every one.
	Every int
	// Times caps how often the fault fires; 0 means no cap. A status fault
	// with Times 2 answers twice, then lets requests through: a retry test.
	Times int
	// Probability makes the fault fire at random with this probability,
	// from 0 (exclusive) to 1; 0 means always.
	Probability float64
}

// check validates f and fills the defaults of its kind.
func (f Fault) check() (Fault, error) {
	f.Method = strings.ToUpper(strings.TrimSpace(f.Method))
	if f.Method == "*" {
		f.Method = ""
	}
	if f.Method != "" && !validMethodToken(f.Method) {
		return f, fmt.Errorf("method: got %q, want an HTTP method or *", f.Method)
	}
	f.Path = normalizeFaultPath(f.Path)
	if strings.ContainsAny(f.Path, " ?#") {
		return f, fmt.Errorf("path: got %q, want a path template such as /profiles/{profile_id}", f.Path)
	}
	for _, c := range []struct {
		name string
		n    int
	}{{"bytes", f.Bytes}, {"every", f.Every}, {"times", f.Times}, {"rate", f.Rate}, {"burst", f.Burst}} {
		if c.n < 0 {
			return f, fmt.Errorf("%s: got %d, want 0 or more", c.name, c.n)
		}
	}
	if f.Latency < 0 || f.RetryAfter < 0 || f.Per < 0 {
		return f, errors.New("durations: got a negative one, want 0 or more")
	}
	if f.Probability < 0 || f.Probability > 1 || math.IsNaN(f.Probability) {
		return f, fmt.Errorf("probability: got %g, want 0 to 1", f.Probability)
	}
	switch f.Kind {
	case Latency:
		if f.Latency <= 0 {
			return f, errors.New("latency: got none, want a positive duration")
		}
	case Status:
		if f.Status < 400 || f.Status > 599 {
			return f, fmt.Errorf("status: got %d, want 400 to 599", f.Status)
		}
	case Drop, Truncate:
	case SlowBody:
		if f.Latency <= 0 {
			return f, errors.New("slow-body: got no pause, want a positive duration between chunks")
		}
		if f.Bytes == 0 {
			f.Bytes = defaultChunk
		}
	case RateLimit:
		if f.Rate <= 0 {
			return f, errors.New("rate-limit: got no rate, want requests per period such as 10000/h")
		}
		if f.Per == 0 {
			f.Per = defaultRatePeriod
		}
		if f.Burst == 0 {
			f.Burst = 1
		}
		if f.Every > 1 || f.Times > 0 || f.Probability > 0 {
			return f, errors.New("rate-limit: every, times and probability do not apply: every request counts")
		}
		if time.Duration(f.Rate) > f.Per {
			return f, fmt.Errorf("rate-limit: got %d per %s, want at most one request per nanosecond", f.Rate, f.Per)
		}
	case "":
		return f, fmt.Errorf("kind: got none, want one of %s", strings.Join(faultKinds, ", "))
	default:
		return f, fmt.Errorf("kind: got %q, want one of %s", f.Kind, strings.Join(faultKinds, ", "))
	}
	return f, nil
}

var faultKinds = []string{Latency, Status, Drop, SlowBody, Truncate, RateLimit}

func normalizeFaultPath(p string) string {
	p = strings.TrimSpace(p)
	if p == "" || p == "*" {
		return "*"
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	if p == "/4.0" {
		return "/"
	}
	return strings.TrimPrefix(p, "/4.0")
}

func validMethodToken(m string) bool {
	for i := 0; i < len(m); i++ {
		if c := m[i]; c < 'A' || c > 'Z' {
			return false
		}
	}
	return m != ""
}

// String renders f in the syntax Parse reads:
// "GET /profiles/{profile_id}: status=503 retry-after=1s".
func (f Fault) String() string {
	var b strings.Builder
	if f.Method != "" {
		b.WriteString(f.Method + " ")
	}
	b.WriteString(normalizeFaultPath(f.Path) + ":")
	item := func(k, v string) {
		b.WriteString(" " + k)
		if v != "" {
			b.WriteString("=" + v)
		}
	}
	switch f.Kind {
	case Latency:
		item("latency", f.Latency.String())
	case Status:
		item("status", strconv.Itoa(f.Status))
	case Drop:
		item("drop", "")
	case Truncate:
		if f.Bytes > 0 {
			item("truncate", strconv.Itoa(f.Bytes))
		} else {
			item("truncate", "")
		}
	case SlowBody:
		item("slow-body", f.Latency.String())
		if f.Bytes > 0 && f.Bytes != defaultChunk {
			item("chunk", strconv.Itoa(f.Bytes))
		}
	case RateLimit:
		item("rate-limit", strconv.Itoa(f.Rate)+"/"+periodString(f.Per))
		if f.Burst > 1 {
			item("burst", strconv.Itoa(f.Burst))
		}
	default:
		item("kind", f.Kind)
	}
	if f.RetryAfter > 0 {
		item("retry-after", f.RetryAfter.String())
	}
	if f.Every > 1 {
		item("every", strconv.Itoa(f.Every))
	}
	if f.Times > 0 {
		item("times", strconv.Itoa(f.Times))
	}
	if f.Probability > 0 {
		item("probability", strconv.FormatFloat(f.Probability, 'g', -1, 64))
	}
	return b.String()
}

func periodString(d time.Duration) string {
	switch d {
	case 0, time.Hour:
		return "h"
	case time.Minute:
		return "m"
	case time.Second:
		return "s"
	}
	return d.String()
}

// Parse reads a fault in the compact syntax of the -fault flag:
//
//	[METHOD] PATH: KEY[=VALUE] ...
//
// PATH is a route below /4.0 ("*" for every path; a segment "*" or
// "{name}" matches any one segment), METHOD is optional ("*" for any). One
// key names the kind:
//
//	latency=DURATION          delay the answer
//	status=CODE               answer CODE (400-599) with the error envelope
//	drop                      close the connection without answering
//	truncate[=BYTES]          send BYTES of the body (default half), then close
//	slow-body=DURATION        send the body in chunks, DURATION apart
//	rate-limit=N/PERIOD       PassFort's GCRA limit: N per h, m, s or a duration
//
// and the others qualify it: retry-after=SECONDS|DURATION (status),
// chunk=BYTES (slow-body), burst=N (rate-limit), every=N, times=N,
// probability=P. Examples:
//
//	GET /profiles/*: status=503 retry-after=1
//	POST /profiles: rate-limit=2/h
//	*: latency=100ms
func Parse(s string) (Fault, error) {
	route, items, ok := strings.Cut(s, ":")
	if !ok {
		return Fault{}, fmt.Errorf("fault %q: got no colon, want [METHOD] PATH: KEY=VALUE ...", s)
	}
	var f Fault
	switch fs := strings.Fields(route); len(fs) {
	case 1:
		f.Path = fs[0]
	case 2:
		f.Method, f.Path = fs[0], fs[1]
	default:
		return Fault{}, fmt.Errorf("fault %q: route %q: want [METHOD] PATH", s, strings.TrimSpace(route))
	}
	kind := func(k string) error {
		if f.Kind != "" {
			return fmt.Errorf("two kinds, %s and %s: want one fault per flag", f.Kind, k)
		}
		f.Kind = k
		return nil
	}
	for _, it := range strings.Fields(items) {
		k, v, hasValue := strings.Cut(it, "=")
		var err error
		switch k {
		case "latency":
			if err = kind(Latency); err == nil {
				f.Latency, err = time.ParseDuration(v)
			}
		case "status":
			if err = kind(Status); err == nil {
				f.Status, err = strconv.Atoi(v)
			}
		case "drop":
			err = kind(Drop)
			if hasValue {
				err = errors.New("drop takes no value")
			}
		case "truncate":
			if err = kind(Truncate); err == nil && hasValue {
				f.Bytes, err = strconv.Atoi(v)
			}
		case "slow-body":
			if err = kind(SlowBody); err == nil {
				f.Latency, err = time.ParseDuration(v)
			}
		case "rate-limit":
			if err = kind(RateLimit); err == nil {
				f.Rate, f.Per, err = parseRate(v)
			}
		case "retry-after":
			f.RetryAfter, err = parseSeconds(v)
		case "chunk":
			f.Bytes, err = strconv.Atoi(v)
		case "burst":
			f.Burst, err = strconv.Atoi(v)
		case "every":
			f.Every, err = strconv.Atoi(v)
		case "times":
			f.Times, err = strconv.Atoi(v)
		case "probability":
			f.Probability, err = strconv.ParseFloat(v, 64)
		default:
			err = errors.New("unknown key: want latency, status, drop, truncate, slow-body, rate-limit, retry-after, chunk, burst, every, times or probability")
		}
		if err != nil {
			return Fault{}, fmt.Errorf("fault %q: %s: %w", s, it, err)
		}
	}
	checked, err := f.check()
	if err != nil {
		return Fault{}, fmt.Errorf("fault %q: %w", s, err)
	}
	return checked, nil
}

// parseRate reads N/PERIOD: 10000/h, 60/m, 5/s or 3/10s.
func parseRate(v string) (int, time.Duration, error) {
	n, unit, ok := strings.Cut(v, "/")
	if !ok {
		return 0, 0, fmt.Errorf("got %q, want N/PERIOD such as 10000/h", v)
	}
	rate, err := strconv.Atoi(n)
	if err != nil {
		return 0, 0, err
	}
	switch unit {
	case "h", "hour":
		return rate, time.Hour, nil
	case "m", "min", "minute":
		return rate, time.Minute, nil
	case "s", "sec", "second":
		return rate, time.Second, nil
	}
	d, err := time.ParseDuration(unit)
	if err != nil || d <= 0 {
		return 0, 0, fmt.Errorf("period: got %q, want h, m, s or a positive duration", unit)
	}
	return rate, d, nil
}

// parseSeconds reads a number of seconds ("1", "0.2") or a duration ("200ms").
func parseSeconds(v string) (time.Duration, error) {
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs < 0 || secs > 1e9 || math.IsNaN(secs) {
			return 0, fmt.Errorf("got %q, want 0 to 1e9 seconds", v)
		}
		return time.Duration(secs * float64(time.Second)), nil
	}
	return time.ParseDuration(v)
}

// faultJSON is a Fault on the admin endpoint: durations as Go duration
// strings ("150ms").
type faultJSON struct {
	Method      string  `json:"method,omitempty"`
	Path        string  `json:"path"`
	Kind        string  `json:"kind"`
	Latency     string  `json:"latency,omitempty"`
	Status      int     `json:"status,omitempty"`
	RetryAfter  string  `json:"retry_after,omitempty"`
	Bytes       int     `json:"bytes,omitempty"`
	Rate        int     `json:"rate,omitempty"`
	Per         string  `json:"per,omitempty"`
	Burst       int     `json:"burst,omitempty"`
	Every       int     `json:"every,omitempty"`
	Times       int     `json:"times,omitempty"`
	Probability float64 `json:"probability,omitempty"`
}

// MarshalJSON writes the fault as the admin endpoint lists it, durations as
// strings such as "150ms".
func (f Fault) MarshalJSON() ([]byte, error) {
	dur := func(d time.Duration) string {
		if d == 0 {
			return ""
		}
		return d.String()
	}
	return json.Marshal(faultJSON{
		Method: f.Method, Path: normalizeFaultPath(f.Path), Kind: f.Kind, Latency: dur(f.Latency), Status: f.Status,
		RetryAfter: dur(f.RetryAfter), Bytes: f.Bytes, Rate: f.Rate, Per: dur(f.Per), Burst: f.Burst,
		Every: f.Every, Times: f.Times, Probability: f.Probability,
	})
}

// UnmarshalJSON reads a fault as an object (the fields of MarshalJSON;
// unknown fields are refused) or as a string in Parse's syntax. The
// fault is checked.
func (f *Fault) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); len(t) > 0 && t[0] == '"' {
		var s string
		if err := json.Unmarshal(t, &s); err != nil {
			return err
		}
		parsed, err := Parse(s)
		if err != nil {
			return err
		}
		*f = parsed
		return nil
	}
	var j faultJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("fault: %w", err)
	}
	out := Fault{Method: j.Method, Path: j.Path, Kind: j.Kind, Status: j.Status, Bytes: j.Bytes, Rate: j.Rate,
		Burst: j.Burst, Every: j.Every, Times: j.Times, Probability: j.Probability}
	for _, d := range []struct {
		name string
		v    string
		to   *time.Duration
	}{{"latency", j.Latency, &out.Latency}, {"retry_after", j.RetryAfter, &out.RetryAfter}, {"per", j.Per, &out.Per}} {
		if d.v == "" {
			continue
		}
		v, err := parseSeconds(d.v)
		if err != nil {
			return fmt.Errorf("fault: %s: %w", d.name, err)
		}
		*d.to = v
	}
	checked, err := out.check()
	if err != nil {
		return fmt.Errorf("fault %s: %w", out, err)
	}
	*f = checked
	return nil
}
