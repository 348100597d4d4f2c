package drift

import (
	"github.com/passfort-conformance/harness/internal/atomicfile"
	"github.com/passfort-conformance/harness/internal/oneline"

	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/passfort-conformance/harness/internal/boundedfile"
	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/report"
)

// Observations is what one run saw the target do, for comparing runs: the
// operations it called, and per operation the statuses it got and, per
// status, the content types, the field paths (templated pointers) and the
// values at every pointer whose schema lists an enum. Each item carries when
// it was first and last seen during the run and how often.
type Observations struct {
	// Run is the run's id.
	Run string `json:"run"`
	// Target is the run's target, e.g. "embedded mock" or a base URL.
	Target string `json:"target,omitempty"`
	// Started and Finished are the run's times.
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Operations is keyed by operation, e.g. "GET /profiles/{profile_id}".
	// An operation the spec does not document is keyed by its method and
	// path with id-like segments written "{id}".
	Operations map[string]*OpObs `json:"operations"`
}

// Seen says when something was first and last seen in a run, and how often.
type Seen struct {
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	Count     int       `json:"count"`
}

// OpObs is what one operation returned during a run.
type OpObs struct {
	Seen
	// Statuses is keyed by HTTP status code.
	Statuses map[int]*StatusObs `json:"statuses"`
}

// StatusObs is what one operation returned with one status.
type StatusObs struct {
	Seen
	// ContentTypes is keyed by media type ("" when the response had none).
	ContentTypes map[string]*Seen `json:"content_types,omitempty"`
	// Fields is keyed by templated pointer, e.g. "/approval_blockers/*/blocker_type".
	Fields map[string]*Seen `json:"fields,omitempty"`
	// Enums maps each templated pointer whose schema lists an enum to the
	// values seen there (strings as they are, other values as JSON).
	Enums map[string]map[string]*Seen `json:"enums,omitempty"`
}

// see counts one sighting at t.
func (s *Seen) see(t time.Time) {
	s.Count++
	if s.FirstSeen.IsZero() || t.Before(s.FirstSeen) {
		s.FirstSeen = t
	}
	if t.After(s.LastSeen) {
		s.LastSeen = t
	}
}

func seeIn[K comparable](m map[K]*Seen, k K, t time.Time) {
	s := m[k]
	if s == nil {
		s = &Seen{}
		m[k] = s
	}
	s.see(t)
}

// Observe builds the observations of a finished run: every exchange with a
// response counts. v names the operations and documents the maps whose keys
// are templated; enum values are recorded when v was built from the embedded
// spec, or with WithEnums.
func Observe(run *report.Run, v *contract.Validator, opts ...Option) *Observations {
	return scan(run, newScanner(v, options(v, opts))).obs
}

// WriteObservations writes o as indented JSON to path, through a temporary
// file in the same directory, creating the directory.
func WriteObservations(path string, o *Observations) error {
	return writeFileAtomic(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(o)
	})
}

// ReadObservations reads an observations file.
func ReadObservations(path string) (*Observations, error) {
	raw, err := boundedfile.Read(path, boundedfile.CassetteLimit)
	if err != nil {
		return nil, fmt.Errorf("read observations: %w", err)
	}
	var o Observations
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, fmt.Errorf("read observations %s: %w", path, err)
	}
	if o.Operations == nil {
		return nil, fmt.Errorf("read observations %s: got no \"operations\", want an observations file", path)
	}
	return normalize(&o), nil
}

// normalize replaces the nil maps and entries a hand-edited file may hold,
// so readers need no nil checks.
func normalize(o *Observations) *Observations {
	if o.Operations == nil {
		o.Operations = map[string]*OpObs{}
	}
	for k, op := range o.Operations {
		if op == nil {
			op = &OpObs{}
			o.Operations[k] = op
		}
		if op.Statuses == nil {
			op.Statuses = map[int]*StatusObs{}
		}
		for code, st := range op.Statuses {
			if st == nil {
				op.Statuses[code] = &StatusObs{}
			}
		}
	}
	return o
}

// writeFileAtomic writes path through a temporary file and a rename, so a
// reader never sees half a file; an error names the file.
func writeFileAtomic(path string, render func(io.Writer) error) error {
	if err := atomicfile.Write(path, render); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// enumValue renders a value seen at an enum pointer: strings as they are,
// anything else as JSON, cut to exampleMax.
func enumValue(v any) string {
	switch x := v.(type) {
	case string:
		return oneline.Clip(x, exampleMax)
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return "null"
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprintf("%v", v)
	}
	return oneline.Clip(string(b), exampleMax)
}
