package consistency

import (
	"strconv"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
)

// The kinds of resource a response can carry.
const (
	kindProfile     = "profile"
	kindApplication = "application"
	kindTask        = "task"
	kindCheck       = "check"
	kindEvent       = "event"
)

// Checker judges the responses of one scenario, in the order they were
// received, against the model. It sends nothing: what it knows is what the
// responses said. It is not safe for concurrent use; a scenario's exchanges
// come one at a time.
type Checker struct {
	model *Model
	res   map[string]*resource // kind + ":" + id → what earlier responses said
	out   *outcomes            // what completed checks left their tasks in
}

// resource is what the scenario's earlier responses said of one resource.
type resource struct {
	fields     map[string]string // the first value of each field that never changes
	checkState string            // the last state of a check
}

// item is one resource a response carries, where it carries it.
type item struct {
	kind    string
	pointer string
	v       gjson.Result
	id      string // v's id, read once: every rule and remember use it
	profile *item  // the profile the resource came inside, nil for a resource read alone
}

// input is one response as the checks see it.
type input struct {
	op     string // the operation's template, e.g. "GET /profiles/{profile_id}/tasks/{task_id}"
	path   string // the path as sent, without its query
	body   gjson.Result
	items  []item
	byKind map[string][]item      // items by kind, in the order of items
	before map[string]*resource   // what the scenario saw before this response
	expect map[string]expectation // task id → the state a completed check left it in, before this response
}

// problem is one rule broken at a pointer.
type problem struct {
	pointer string
	message string
}

// check is one rule's test of one response.
type check func(in *input) []problem

// Observe judges one exchange (op is its operation's template) and
// remembers what its response said for the exchanges that follow. Only 2xx
// JSON responses are judged; every request counts for what it may have
// changed, whatever its answer.
func (c *Checker) Observe(ex *exchange.Exchange, op string) []finding.Finding {
	path, _, _ := strings.Cut(ex.Path, "?")
	c.out.seq++
	c.out.sent(ex.Method, path)
	if ex.Err != "" || ex.Status < 200 || ex.Status > 299 || !gjson.ValidBytes(ex.ResponseBody) {
		return nil
	}
	in := &input{op: op, path: path, body: gjson.ParseBytes(ex.ResponseBody), before: c.res, expect: c.out.expect}
	in.items = itemsOf(op, in.body)
	in.byKind = byKind(in.items)
	var out []finding.Finding
	for _, r := range c.model.Rules {
		for _, p := range checks[r.Name](in) {
			out = append(out, finding.Finding{
				Class: finding.Lifecycle, Kind: finding.InconsistentRead, Operation: op, Status: ex.Status,
				Pointer: p.pointer, Rule: r.Name, Message: p.message,
			})
		}
	}
	c.remember(in.items)
	c.out.learn(path, in.items)
	return out
}

// itemsOf lists the resources a response of op carries.
func itemsOf(op string, body gjson.Result) []item {
	kind, ok := kindOf(op)
	if !ok {
		return nil
	}
	if op == "GET /profiles" {
		var out []item
		body.Get("results").ForEach(func(k, v gjson.Result) bool {
			out = append(out, item{kind: kindProfile, pointer: "/results/" + k.String(), v: v, id: v.Get("id").String()})
			return true
		})
		return out
	}
	var out []item
	add := func(ptr string, v gjson.Result) {
		if !v.IsObject() {
			return
		}
		it := &item{kind: kind, pointer: ptr, v: v, id: v.Get("id").String()} // its own allocation: carried items point at it
		out = append(out, *it)
		if kind == kindProfile {
			out = append(out, carried(it)...)
		}
	}
	if body.IsArray() {
		body.ForEach(func(k, v gjson.Result) bool {
			add("/"+k.String(), v)
			return true
		})
	} else {
		add("", body)
	}
	return out
}

// carried lists the resources a profile carries inside it.
func carried(p *item) []item {
	var out []item
	for _, c := range []struct{ key, kind string }{
		{"applications", kindApplication}, {"tasks", kindTask}, {"checks", kindCheck}, {"events", kindEvent},
	} {
		p.v.Get(c.key).ForEach(func(k, v gjson.Result) bool {
			if v.IsObject() {
				out = append(out, item{kind: c.kind, pointer: p.pointer + "/" + c.key + "/" + k.String(), v: v, id: v.Get("id").String(), profile: p})
			}
			return true
		})
	}
	return out
}

// kindOf names the resource op answers with: the collection its path ends
// in ("/profiles/{profile_id}/tasks/{task_id}" → task).
func kindOf(op string) (string, bool) {
	method, path, _ := strings.Cut(op, " ")
	if method != "GET" && method != "POST" {
		return "", false
	}
	segs := strings.Split(strings.Trim(path, "/"), "/")
	last := segs[len(segs)-1]
	if strings.HasPrefix(last, "{") && len(segs) > 1 {
		last = segs[len(segs)-2]
	} else if last == "bulk_update" && len(segs) > 1 {
		last = segs[len(segs)-2]
	}
	switch last {
	case "profiles":
		return kindProfile, true
	case "applications":
		return kindApplication, true
	case "tasks":
		return kindTask, true
	case "checks":
		return kindCheck, true
	case "events":
		return kindEvent, true
	}
	return "", false
}

// remember records what the response said, for the responses that follow.
func (c *Checker) remember(items []item) {
	for _, it := range items {
		if it.id == "" {
			continue
		}
		key := it.kind + ":" + it.id
		r := c.res[key]
		if r == nil {
			r = &resource{fields: map[string]string{}}
			c.res[key] = r
		}
		for _, f := range immutableFields[it.kind] {
			if v := it.v.Get(f); v.Exists() {
				if _, ok := r.fields[f]; !ok {
					r.fields[f] = v.Raw
				}
			}
		}
		if s := it.v.Get("state"); it.kind == kindCheck && s.Exists() {
			r.checkState = s.String()
		}
	}
}

// immutableFields are the fields remember keeps the first value of.
var immutableFields = map[string][]string{
	kindProfile: {"creation_date", "role"},
	kindTask:    {"creation_date", "type"},
	kindCheck:   {"check_type"},
	kindEvent:   {"creation_date"},
}

// seen reports whether the scenario saw the resource before this response.
func (in *input) seen(kind, id string) bool {
	_, ok := in.before[kind+":"+id]
	return ok
}

// byKind groups items by kind once per response, for the many rules that
// read one kind.
func byKind(items []item) map[string][]item {
	out := map[string][]item{}
	for _, it := range items {
		out[it.kind] = append(out[it.kind], it)
	}
	return out
}

// of returns the items of a kind.
func (in *input) of(kind string) []item { return in.byKind[kind] }

// prior returns what earlier responses said of it, nil when nothing.
func (in *input) prior(it item) *resource {
	if it.id == "" {
		return nil
	}
	return in.before[it.kind+":"+it.id]
}

func ptr(base string, tokens ...any) string {
	var b strings.Builder
	b.WriteString(base)
	for _, t := range tokens {
		b.WriteByte('/')
		switch t := t.(type) {
		case int:
			b.WriteString(strconv.Itoa(t))
		case string:
			b.WriteString(t)
		}
	}
	return b.String()
}
