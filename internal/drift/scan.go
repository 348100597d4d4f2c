package drift

import (
	"github.com/passfort-conformance/harness/internal/idshape"
	"github.com/passfort-conformance/harness/internal/jsonpointer"

	"bytes"
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/passfort-conformance/harness/internal/contract"
	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/report"
)

// Option tunes Analyze and Observe.
type Option func(*config)

type config struct {
	enums *Enums
}

// WithEnums makes observations record enum values with the given index,
// for a run checked against another spec than the embedded one
// (PASSFORT_SPEC): the Enums of the document the run's validator parsed.
func WithEnums(e *Enums) Option { return func(c *config) { c.enums = e } }

func options(v *contract.Validator, opts []Option) config {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.enums == nil {
		c.enums = embeddedEnums(v)
	}
	return c
}

// opStatus names one operation's responses with one status.
type opStatus struct {
	op     string
	status int
}

// objSeen counts the objects seen at one templated pointer, and where first.
type objSeen struct {
	count    int
	scenario string
}

// scanned is what one pass over a run collects.
type scanned struct {
	obs *Observations
	// jsonBodies lists, in run order, the operation+statuses that returned
	// at least one JSON body, for the never-returned check.
	jsonBodies []opStatus
	// fields and objects hold, per operation+status, the templated pointers
	// of every field and every object seen in a JSON body.
	fields  map[opStatus]map[string]bool
	objects map[opStatus]map[string]*objSeen
}

// scanner carries one pass's read-only inputs and caches.
type scanner struct {
	v      *contract.Validator
	enums  *Enums
	shapes map[opStatus]shape
	ops    map[string]string // "METHOD path" → operation name
}

func newScanner(v *contract.Validator, c config) *scanner {
	return &scanner{v: v, enums: c.enums, shapes: map[opStatus]shape{}, ops: map[string]string{}}
}

// operation names the operation of an exchange as findings do.
func (s *scanner) operation(ex *exchange.Exchange) string {
	k := ex.Method + " " + ex.Path
	if name, ok := s.ops[k]; ok {
		return name
	}
	var name string
	if op, ok := s.lookup(ex.Method, ex.Path); ok {
		name = op.String()
	} else {
		name = strings.ToUpper(ex.Method) + " " + templatePath(ex.Path)
	}
	s.ops[k] = name
	return name
}

func (s *scanner) lookup(method, path string) (contract.Operation, bool) {
	if s.v == nil {
		return contract.Operation{}, false
	}
	return s.v.Operation(method, path)
}

// shape returns the templating shape of an operation+status: the pointers
// the spec documents there.
func (s *scanner) shape(ex *exchange.Exchange, k opStatus) shape {
	if sh, ok := s.shapes[k]; ok {
		return sh
	}
	var sh shape
	if op, ok := s.lookup(ex.Method, ex.Path); ok {
		if fields := s.v.DocumentedFields(op, k.status); len(fields) > 0 {
			sh.documented = make(map[string]bool, len(fields))
			for _, f := range fields {
				sh.documented[f] = true
			}
		}
	}
	s.shapes[k] = sh
	return sh
}

// scan makes one pass over the run's exchanges.
func scan(run *report.Run, s *scanner) *scanned {
	out := &scanned{
		obs:     &Observations{Operations: map[string]*OpObs{}},
		fields:  map[opStatus]map[string]bool{},
		objects: map[opStatus]map[string]*objSeen{},
	}
	if run == nil {
		return out
	}
	out.obs.Run, out.obs.Target, out.obs.Started, out.obs.Finished = run.ID, run.Target, run.Started, run.Finished
	for fi := range run.Features {
		f := &run.Features[fi]
		for si := range f.Scenarios {
			sc := &f.Scenarios[si]
			for sti := range sc.Steps {
				for ei := range sc.Steps[sti].Exchanges {
					s.observe(out, &sc.Steps[sti].Exchanges[ei], sc.Name, run.Started)
				}
			}
		}
	}
	return out
}

// observe records one exchange.
func (s *scanner) observe(out *scanned, ex *exchange.Exchange, scenario string, fallback time.Time) {
	if ex.Status == 0 {
		return // no response: nothing the target did
	}
	t := ex.Started
	if t.IsZero() {
		t = fallback
	}
	k := opStatus{s.operation(ex), ex.Status}

	op := out.obs.Operations[k.op]
	if op == nil {
		op = &OpObs{Statuses: map[int]*StatusObs{}}
		out.obs.Operations[k.op] = op
	}
	op.see(t)
	st := op.Statuses[k.status]
	if st == nil {
		st = &StatusObs{ContentTypes: map[string]*Seen{}}
		op.Statuses[k.status] = st
	}
	st.see(t)
	seeIn(st.ContentTypes, strings.ToLower(ex.ContentType()), t)

	value, ok := decodeBody(ex.ResponseBody)
	if !ok {
		return
	}
	sh := s.shape(ex, k)
	enums := s.enums.Pointers(k.op, k.status)
	fields, objects := out.fields[k], out.objects[k]
	if fields == nil {
		fields, objects = map[string]bool{}, map[string]*objSeen{}
		out.fields[k], out.objects[k] = fields, objects
		out.jsonBodies = append(out.jsonBodies, k)
	}
	if st.Fields == nil {
		st.Fields = map[string]*Seen{}
	}
	sh.walk(value, "", false, func(ptr string, v any, field bool) {
		if field {
			fields[ptr] = true
			seeIn(st.Fields, ptr, t)
		}
		switch v.(type) {
		case map[string]any:
			o := objects[ptr]
			if o == nil {
				o = &objSeen{scenario: scenario}
				objects[ptr] = o
			}
			o.count++
		case []any:
		default:
			if enums[ptr] {
				if st.Enums == nil {
					st.Enums = map[string]map[string]*Seen{}
				}
				vals := st.Enums[ptr]
				if vals == nil {
					vals = map[string]*Seen{}
					st.Enums[ptr] = vals
				}
				seeIn(vals, enumValue(v), t)
			}
		}
	})
}

// decodeBody decodes a JSON body, numbers kept exact; ok is false for an
// empty or non-JSON body.
func decodeBody(body []byte) (any, bool) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false // trailing data
	}
	return v, true
}

// templatePath writes the id-like segments of an undocumented path as
// "{id}", so its observations do not split by id: UUID-shaped and all-digit
// segments. The query is dropped.
func templatePath(path string) string {
	path, _, _ = strings.Cut(path, "?")
	parts := strings.Split(path, "/")
	for i, p := range parts {
		if _, isIndex := jsonpointer.ArrayIndex(p); isIndex || idshape.IsUUID(p) {
			parts[i] = "{id}"
		}
	}
	return strings.Join(parts, "/")
}
