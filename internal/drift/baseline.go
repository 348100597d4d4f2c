package drift

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/passfort-conformance/harness/internal/boundedfile"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// DateLayout is the layout of a baseline entry's expiry date.
const DateLayout = "2006-01-02"

// Baseline is the committed list of accepted drift (spec/drift-baseline.yaml).
type Baseline struct {
	// Entries are in file order.
	Entries []Accepted
}

// Accepted is one accepted drift entry. It matches report entries with the
// same class, kind, operation, status, pointer and value (see Entry.Key).
type Accepted struct {
	Class     finding.Class `yaml:"class" json:"class"`
	Kind      string        `yaml:"kind" json:"kind"`
	Operation string        `yaml:"operation" json:"operation"`
	Status    int           `yaml:"status" json:"status"`
	Pointer   string        `yaml:"pointer,omitempty" json:"pointer,omitempty"`
	Value     string        `yaml:"value,omitempty" json:"value,omitempty"`
	// Reason says why the drift is accepted (a ticket, who decided). Required.
	Reason string `yaml:"reason" json:"reason"`
	// Expires is the last day (YYYY-MM-DD) the acceptance holds. Required:
	// accepted drift is looked at again.
	Expires string `yaml:"expires" json:"expires"`
	// Line is the entry's line in the baseline file.
	Line int `yaml:"-" json:"line,omitempty"`
}

// Key is the key of the report entries the acceptance matches.
func (a Accepted) Key() string {
	return EntryKey(a.Class, a.Kind, a.Operation, a.Status, a.Pointer, a.Value)
}

// String is the acceptance as one line.
func (a Accepted) String() string {
	s := fmt.Sprintf("%s %s %s %d", a.Class, a.Kind, a.Operation, a.Status)
	if a.Pointer != "" {
		s += " " + a.Pointer
	}
	if a.Value != "" {
		s += fmt.Sprintf(" %q", a.Value)
	}
	return s
}

// expiry is the parsed Expires date; LoadBaseline has checked it.
func (a Accepted) expiry() time.Time {
	t, _ := time.Parse(DateLayout, a.Expires)
	return t
}

// LoadBaseline reads and checks a baseline file. Errors are one line and
// name the file and the entry's line: a missing reason, a bad date, an
// unknown class, a duplicate entry, an unknown key.
func LoadBaseline(path string) (*Baseline, error) {
	raw, err := boundedfile.Read(path, boundedfile.SpecLimit)
	if err != nil {
		return nil, fmt.Errorf("drift baseline: %w", err)
	}
	b, err := ParseBaseline(raw)
	if err != nil {
		return nil, fmt.Errorf("drift baseline %s: %w", path, err)
	}
	return b, nil
}

// ParseBaseline parses and checks a baseline document (see LoadBaseline).
// An empty document is an empty baseline.
func ParseBaseline(raw []byte) (*Baseline, error) {
	var doc struct {
		Accepted []yaml.Node `yaml:"accepted"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
		return nil, errors.New(oneline.First(err.Error()))
	}
	b := &Baseline{Entries: make([]Accepted, 0, len(doc.Accepted))}
	seen := map[string]int{}
	for i := range doc.Accepted {
		n := &doc.Accepted[i]
		var a Accepted
		if err := decodeStrict(n, &a); err != nil {
			return nil, fmt.Errorf("entry at line %d: %s", n.Line, oneline.First(err.Error()))
		}
		a.Line = n.Line
		if err := a.check(); err != nil {
			return nil, fmt.Errorf("entry at line %d (%s): %w", n.Line, a, err)
		}
		if prev, dup := seen[a.Key()]; dup {
			return nil, fmt.Errorf("entry at line %d (%s): duplicate of the entry at line %d", n.Line, a, prev)
		}
		seen[a.Key()] = n.Line
		b.Entries = append(b.Entries, a)
	}
	return b, nil
}

// decodeStrict decodes one entry, refusing keys Accepted does not have (a
// misspelt "expiry" must not pass silently). yaml.Node.Decode ignores the
// decoder's KnownFields, so the entry is encoded and decoded again.
func decodeStrict(n *yaml.Node, a *Accepted) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("got a %s, want a mapping (class, kind, operation, status, pointer, value, reason, expires)", kindName(n.Kind))
	}
	raw, err := yaml.Marshal(n)
	if err != nil {
		return err
	}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	return dec.Decode(a)
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "scalar"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}

// check validates one entry's fields.
func (a *Accepted) check() error {
	switch a.Class {
	case finding.Drift, finding.Contract:
	case "":
		return errors.New("class: got none, want drift or contract")
	default:
		return fmt.Errorf("class: got %q, want drift or contract", a.Class)
	}
	if a.Kind == "" {
		return errors.New("kind: got none, want a finding kind such as undocumented-field")
	}
	method, path, ok := strings.Cut(a.Operation, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		return fmt.Errorf("operation: got %q, want \"METHOD /path\"", a.Operation)
	}
	if a.Status < 100 || a.Status > 599 {
		return fmt.Errorf("status: got %d, want an HTTP status (100-599)", a.Status)
	}
	if a.Pointer != "" && !strings.HasPrefix(a.Pointer, "/") {
		return fmt.Errorf("pointer: got %q, want a JSON pointer starting with /", a.Pointer)
	}
	if strings.TrimSpace(a.Reason) == "" {
		return errors.New("reason: got none, want why the drift is accepted")
	}
	if a.Expires == "" {
		return errors.New("expires: got none, want a date YYYY-MM-DD")
	}
	if _, err := time.Parse(DateLayout, a.Expires); err != nil {
		return fmt.Errorf("expires: got %q, want a date YYYY-MM-DD", a.Expires)
	}
	return nil
}

// Suggest returns an acceptance for each entry of the report that the
// baseline (nil for none) does not accept yet, with the given reason and
// expiry, for a person to review and paste into the baseline. Entries
// covered by an expired acceptance are left out: renew that one instead.
func Suggest(r *Report, b *Baseline, reason, expires string, today time.Time) ([]Accepted, error) {
	v := Gate(r, b, GateOptions{}, today)
	out := make([]Accepted, 0, len(v.New))
	for _, e := range v.New {
		a := Accepted{
			Class: e.Class, Kind: e.Kind, Operation: e.Operation, Status: e.Status,
			Pointer: e.Pointer, Value: e.Value, Reason: reason, Expires: expires,
		}
		if err := a.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", a, err)
		}
		out = append(out, a)
	}
	return out, nil
}

// WriteAccepted writes acceptances as the items of the baseline's
// "accepted:" list, indented to be pasted under it.
func WriteAccepted(w io.Writer, as []Accepted) error {
	if len(as) == 0 {
		return nil
	}
	raw, err := yaml.Marshal(as)
	if err != nil {
		return fmt.Errorf("write acceptances: %w", err)
	}
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(raw), "\n") {
		if line != "" {
			b.WriteString("  " + line)
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}
