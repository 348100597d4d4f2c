package faults

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"time"
)

// liveFault is a checked fault in force, with its counters.
type liveFault struct {
	Fault
	segs  []string // nil: every path
	seen  atomic.Int64
	fired atomic.Int64
	limit *gcra // rate-limit faults only
}

// faultSet is the faults in force. It is replaced whole (an atomic pointer
// in the server), never changed, so matching takes no lock.
type faultSet struct {
	all []*liveFault
}

// newFaultSet checks faults and compiles them; nil for none.
func newFaultSet(faults []Fault) (*faultSet, error) {
	if len(faults) == 0 {
		return nil, nil
	}
	set := &faultSet{}
	for i, f := range faults {
		c, err := f.check()
		if err != nil {
			return nil, fmt.Errorf("fault %d (%s): %w", i+1, f, err)
		}
		lf := &liveFault{Fault: c}
		if c.Path != "*" {
			lf.segs = strings.Split(strings.Trim(c.Path, "/"), "/")
		}
		if c.Kind == RateLimit {
			lf.limit = newGCRA(c.Rate, c.Per, c.Burst)
		}
		set.all = append(set.all, lf)
	}
	return set, nil
}

// faults returns the faults of the set, as configured.
func (fs *faultSet) faults() []Fault {
	if fs == nil {
		return []Fault{}
	}
	out := make([]Fault, len(fs.all))
	for i, f := range fs.all {
		out[i] = f.Fault
	}
	return out
}

// matches reports whether the fault applies to a request; path is below /4.0.
func (f *liveFault) matches(method, path string) bool {
	if f.Method != "" && f.Method != method {
		return false
	}
	if f.segs == nil {
		return true
	}
	path = strings.Trim(path, "/")
	for i, seg := range f.segs {
		cur, rest, more := strings.Cut(path, "/")
		if seg != "*" && !(strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}")) && seg != cur {
			return false
		}
		if more != (i < len(f.segs)-1) {
			return false
		}
		path = rest
	}
	return true
}

// fires counts a matching request and reports whether the fault acts on it.
func (f *liveFault) fires() bool {
	n := f.seen.Add(1)
	if f.Every > 1 && n%int64(f.Every) != 0 {
		return false
	}
	if f.Probability > 0 && rand.Float64() >= f.Probability {
		return false
	}
	if f.Times > 0 && f.fired.Add(1) > int64(f.Times) {
		return false
	}
	return true
}

// plan is what the faults do to one request.
type plan struct {
	latency time.Duration
	limit   *liveFault // the rate limit that counts the request
	answer  *liveFault // a status or drop fault: answers instead of the API
	body    *liveFault // a slow-body or truncate fault: how the body is sent
}

// planFor decides, in the set's order, what the faults do to a request:
// every latency that fires adds up; the first rate limit counts it; the
// first status or drop answers it; the first slow-body or truncate sends
// its body.
func (fs *faultSet) planFor(method, path string) plan {
	var p plan
	fs.addTo(&p, method, path)
	return p
}

// addTo adds the set's faults to a plan another set began: what the plan
// already holds comes first.
func (fs *faultSet) addTo(p *plan, method, path string) {
	if fs == nil {
		return
	}
	for _, f := range fs.all {
		if !f.matches(method, path) {
			continue
		}
		switch f.Kind {
		case Latency:
			if f.fires() {
				p.latency += f.Latency
			}
		case RateLimit:
			if p.limit == nil {
				p.limit = f
			}
		case Status, Drop:
			if p.answer == nil && f.fires() {
				p.answer = f
			}
		case SlowBody, Truncate:
			if p.body == nil && f.fires() {
				p.body = f
			}
		}
	}
}
