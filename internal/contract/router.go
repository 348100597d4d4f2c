package contract

import (
	"cmp"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// router maps a method and a path below the base to an operation. It is built
// once in New and only read afterwards. It splits paths on "/" and compares
// segments, instead of building an *http.Request and running gorilla/mux's
// regular expressions for every exchange.
type router struct {
	// bySegments holds the routes with n segments, most specific first: at
	// the first segment where two templates differ, a literal beats a parameter
	// ("/events/bulk_update" before "/events/{event_id}").
	bySegments map[int][]*route
	// byOp finds an operation's entry by "METHOD /template".
	byOp map[string]*entry
}

type route struct {
	template string
	segs     []segment
	methods  map[string]*entry
}

// segment is one "/"-separated part of a template: a literal, or a parameter
// with an optional literal prefix and suffix ("{id}" or "{id}.pdf").
type segment struct {
	literal        string
	param          string // "" for a literal segment
	prefix, suffix string
}

// entry is everything the checks need about one operation.
type entry struct {
	op    Operation
	name  string // op.String(), built once
	kin   *openapi3.Operation
	route *routers.Route
	tmpl  *route
}

// newRouter indexes the operations of doc; server is the one every route
// carries (relativeServers).
func newRouter(doc *openapi3.T, server *openapi3.Server) (router, []Operation) {
	r := router{bySegments: map[int][]*route{}, byOp: map[string]*entry{}}
	var ops []Operation
	for template, item := range doc.Paths.Map() {
		if item == nil {
			continue
		}
		rt := &route{template: template, segs: parseTemplate(template), methods: map[string]*entry{}}
		for method, op := range item.Operations() {
			method = strings.ToUpper(method)
			o := Operation{ID: op.OperationID, Method: method, Path: template}
			e := &entry{
				op:   o,
				name: o.String(),
				kin:  op,
				tmpl: rt,
				route: &routers.Route{
					Spec: doc, Server: server, Path: template,
					PathItem: item, Method: method, Operation: op,
				},
			}
			rt.methods[method] = e
			r.byOp[o.String()] = e
			ops = append(ops, o)
		}
		if len(rt.methods) > 0 {
			n := len(rt.segs)
			r.bySegments[n] = append(r.bySegments[n], rt)
		}
	}
	for _, rs := range r.bySegments {
		slices.SortFunc(rs, compareSpecificity)
	}
	slices.SortFunc(ops, func(a, b Operation) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Method, b.Method))
	})
	return r, ops
}

func parseTemplate(t string) []segment {
	parts := splitPath(t)
	segs := make([]segment, len(parts))
	for i, p := range parts {
		open, end := strings.IndexByte(p, '{'), strings.LastIndexByte(p, '}')
		if open < 0 || end < open {
			segs[i] = segment{literal: p}
			continue
		}
		segs[i] = segment{param: p[open+1 : end], prefix: p[:open], suffix: p[end+1:]}
	}
	return segs
}

func compareSpecificity(a, b *route) int {
	for i := range a.segs {
		al, bl := a.segs[i].param == "", b.segs[i].param == ""
		if al != bl {
			if al {
				return -1
			}
			return 1
		}
	}
	return cmp.Compare(a.template, b.template)
}

// splitPath turns "/a/b" into ["a", "b"] and "/" into [""].
func splitPath(p string) []string {
	return strings.Split(strings.TrimPrefix(p, "/"), "/")
}

// find returns the operation for method and path (below the base, without
// query) and the path's segments, or nil when the spec has none.
func (r router) find(method, path string) (*entry, []string) {
	path, _, _ = strings.Cut(path, "?")
	path, _, _ = strings.Cut(path, "#")
	if path == "" {
		path = "/"
	}
	parts := splitPath(path)
	method = strings.ToUpper(method)
	for _, rt := range r.bySegments[len(parts)] {
		if !rt.matches(parts) {
			continue
		}
		if e := rt.methods[method]; e != nil {
			return e, parts
		}
	}
	return nil, nil
}

func (rt *route) matches(parts []string) bool {
	for i, s := range rt.segs {
		p := parts[i]
		if s.param == "" {
			if p != s.literal {
				return false
			}
			continue
		}
		if len(p) <= len(s.prefix)+len(s.suffix) || !strings.HasPrefix(p, s.prefix) || !strings.HasSuffix(p, s.suffix) {
			return false
		}
	}
	return true
}

// pathParams returns the (unescaped) values of the route's parameters.
func (rt *route) pathParams(parts []string) map[string]string {
	params := make(map[string]string, len(rt.segs))
	for i, s := range rt.segs {
		if s.param == "" {
			continue
		}
		raw := strings.TrimSuffix(strings.TrimPrefix(parts[i], s.prefix), s.suffix)
		if v, err := url.PathUnescape(raw); err == nil {
			raw = v
		}
		params[s.param] = raw
	}
	return params
}

// trimBase removes the servers' base path ("/4.0") when path starts with it.
func (v *Validator) trimBase(path string) string {
	if v.base == "" || !strings.HasPrefix(path, v.base) {
		return path
	}
	rest := path[len(v.base):]
	if rest == "" || rest[0] == '/' || rest[0] == '?' {
		return rest
	}
	return path
}
