package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Layout of the lifecycle diagram: statuses in columns by their distance
// from the first status (breadth first over the transitions, in the order
// given), rows in the order given; forward transitions run left to right,
// backward and same-column ones loop below the boxes, each at its own depth,
// self transitions above. Edge labels are wrapped at their names' commas and
// placed along their curve where their box meets no status box and no label
// placed before it; the viewBox is the bounding box of everything drawn, and
// the SVG is drawn at the panel's full width (decision D103,
// docs/decisions.md). Everything is computed from the input order alone, so
// the same diagram always draws the same SVG.
const (
	boxH           = 40
	boxMinW        = 130
	colGap, rowGap = 170, 70
	// Text metrics, deliberately generous so a label's computed box holds
	// what a browser draws (the Chromium test measures the real boxes).
	labelCharW    = 7.0 // px per character of an 11px label (semi-bold)
	statusCharW   = 8.6 // px per character of a 12px status name (semi-bold)
	labelLineH    = 14
	labelPad      = 3
	labelMaxChars = 24 // a label line wraps after this many characters
	viewMargin    = 8
	loopStep      = 26 // vertical distance between backward loops
)

type htmlDiagram struct {
	Title string
	// MinX, MinY, Width and Height are the viewBox: everything drawn.
	MinX, MinY, Width, Height int
	Boxes                     []svgBox
	Edges                     []svgEdge
}

type svgBox struct {
	Name       string
	X, Y, W, H int
	TX, TY     int // text anchor (centre)
	Class      string
	Modelled   bool
	Observed   bool
}

type svgEdge struct {
	From, To, Names string
	D               string
	// LX, LY is the label's centre; Lines its text, one per line; Box the
	// rectangle the label may cover.
	LX, LY   int
	Lines    []svgLine
	Box      rect
	Label    string
	Class    string // "observed", "modelled" or "illegal"
	Count    int
	Observed bool
	Modelled bool
}

// svgLine is one line of an edge label with its baseline's centre.
type svgLine struct {
	Text string
	X, Y int
}

// rect is an axis-aligned rectangle in the diagram's coordinates.
type rect struct{ X, Y, W, H int }

func (r rect) overlaps(o rect) bool {
	return r.X < o.X+o.W && o.X < r.X+r.W && r.Y < o.Y+o.H && o.Y < r.Y+r.H
}

// union returns the smallest rectangle holding r and o; a zero r is empty.
func (r rect) union(o rect) rect {
	if r == (rect{}) {
		return o
	}
	x0, y0 := min(r.X, o.X), min(r.Y, o.Y)
	x1, y1 := max(r.X+r.W, o.X+o.W), max(r.Y+r.H, o.Y+o.H)
	return rect{x0, y0, x1 - x0, y1 - y0}
}

type point struct{ X, Y float64 }

// bezier returns the point at t of the cubic curve p.
func bezier(p [4]point, t float64) point {
	u := 1 - t
	a, b, c, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
	return point{a*p[0].X + b*p[1].X + c*p[2].X + d*p[3].X, a*p[0].Y + b*p[1].Y + c*p[2].Y + d*p[3].Y}
}

func layoutDiagram(d *LifecycleDiagram) *htmlDiagram {
	names, status := diagramStatuses(d)
	order, edges := mergeTransitions(d)
	col := diagramColumns(names, order)

	out := &htmlDiagram{Title: d.Title}
	boxW := boxMinW
	for _, n := range names {
		boxW = max(boxW, int(math.Ceil(float64(len(n))*statusCharW))+24)
	}
	rowsIn := map[int]int{}
	boxes := map[string]svgBox{}
	var obstacles []rect
	var bounds rect
	for _, n := range names {
		c := col[n]
		row := rowsIn[c]
		rowsIn[c]++
		s := status[n]
		b := svgBox{
			Name: n, X: c * (boxW + colGap), Y: row * (boxH + rowGap), W: boxW, H: boxH,
			Modelled: s.Modelled, Observed: s.Observed,
		}
		b.TX, b.TY = b.X+boxW/2, b.Y+boxH/2
		switch {
		case !s.Modelled:
			b.Class = "illegal"
		case s.Observed:
			b.Class = "observed"
		default:
			b.Class = "modelled"
		}
		boxes[n] = b
		out.Boxes = append(out.Boxes, b)
		r := rect{b.X, b.Y, b.W, b.H}
		obstacles = append(obstacles, r)
		bounds = bounds.union(r)
	}
	bottom := bounds.Y + bounds.H

	backward := 0
	for _, k := range order {
		e := edges[k]
		a, b := boxes[k.from], boxes[k.to]
		var p [4]point
		switch {
		case k.from == k.to:
			cx, y := float64(a.TX), float64(a.Y)
			p = [4]point{{cx - 14, y}, {cx - 44, y - 42}, {cx + 44, y - 42}, {cx + 14, y}}
		case col[k.to] > col[k.from]:
			x1, y1, x2, y2 := float64(a.X+a.W), float64(a.TY), float64(b.X), float64(b.TY)
			dx := (x2 - x1) / 2
			p = [4]point{{x1, y1}, {x1 + dx, y1}, {x2 - dx, y2}, {x2, y2}}
		default:
			// Backward: leave from the bottom, loop below every box at a
			// depth of its own, enter from the bottom.
			backward++
			x1, x2 := float64(a.TX+12), float64(b.TX-12)
			if x1 == x2+24 && a.Y == b.Y { // same box column: keep the ends apart
				x1, x2 = float64(a.TX+30), float64(b.TX-30)
			}
			depth := float64(bottom + 24 + loopStep*backward)
			p = [4]point{{x1, float64(a.Y + a.H)}, {x1, depth}, {x2, depth}, {x2, float64(b.Y + b.H)}}
		}
		e.D = fmt.Sprintf("M%s %s C%s %s %s %s %s %s", num(p[0].X), num(p[0].Y), num(p[1].X), num(p[1].Y),
			num(p[2].X), num(p[2].Y), num(p[3].X), num(p[3].Y))
		// The curve, not its control points, bounds the drawing.
		for i := range 21 {
			q := bezier(p, float64(i)/20)
			bounds = bounds.union(rect{int(math.Floor(q.X)) - 2, int(math.Floor(q.Y)) - 2, 4, 4})
		}
		switch {
		case e.Observed && !e.Modelled:
			e.Class = "illegal"
		case e.Observed:
			e.Class = "observed"
		default:
			e.Class = "modelled"
		}
		label := e.Names
		if e.Count > 0 {
			label += " ×" + strconv.Itoa(e.Count)
		}
		e.Label = strings.TrimSpace(label)
		lines := wrapLabel(e.Label, labelMaxChars)
		w, h := 0, len(lines)*labelLineH+2*labelPad
		for _, l := range lines {
			w = max(w, int(math.Ceil(float64(len([]rune(l)))*labelCharW))+2*labelPad)
		}
		e.Box = placeLabel(p, w, h, obstacles)
		obstacles = append(obstacles, e.Box)
		bounds = bounds.union(e.Box)
		e.LX, e.LY = e.Box.X+e.Box.W/2, e.Box.Y+e.Box.H/2
		for i, l := range lines {
			e.Lines = append(e.Lines, svgLine{Text: l, X: e.LX, Y: e.Box.Y + labelPad + i*labelLineH + labelLineH/2})
		}
		out.Edges = append(out.Edges, *e)
	}
	out.MinX, out.MinY = bounds.X-viewMargin, bounds.Y-viewMargin
	out.Width, out.Height = bounds.W+2*viewMargin, bounds.H+2*viewMargin
	return out
}

// placeLabel returns a w×h box for a label of the curve p: centred on the
// curve, or just above or below it, at the first of a few points along it
// where it meets none of the obstacles; failing that, the midpoint's box
// pushed down until it is clear, which always ends.
func placeLabel(p [4]point, w, h int, obstacles []rect) rect {
	at := func(c point, dy int) rect {
		return rect{int(math.Round(c.X)) - w/2, int(math.Round(c.Y)) - h/2 + dy, w, h}
	}
	clear := func(r rect) bool {
		for _, o := range obstacles {
			if r.overlaps(o) {
				return false
			}
		}
		return true
	}
	for _, t := range []float64{0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8} {
		c := bezier(p, t)
		for _, dy := range []int{0, -(h/2 + 4), h/2 + 4} {
			if r := at(c, dy); clear(r) {
				return r
			}
		}
	}
	r := at(bezier(p, 0.5), 0)
	for !clear(r) {
		r.Y += 4
	}
	return r
}

// wrapLabel splits a label into lines of at most limit characters, breaking
// after the commas that separate transition names; a single name longer than
// limit keeps a line of its own.
func wrapLabel(s string, limit int) []string {
	var lines []string
	cur := ""
	for _, part := range strings.SplitAfter(s, ", ") {
		if cur != "" && len([]rune(cur+strings.TrimRight(part, " "))) > limit {
			lines = append(lines, strings.TrimSpace(cur))
			cur = ""
		}
		cur += part
	}
	if strings.TrimSpace(cur) != "" {
		lines = append(lines, strings.TrimSpace(cur))
	}
	return lines
}

func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// diagramStatuses returns the statuses in order, with those only named by a
// transition appended.
func diagramStatuses(d *LifecycleDiagram) ([]string, map[string]LifecycleStatus) {
	var names []string
	status := map[string]LifecycleStatus{}
	add := func(s LifecycleStatus) {
		if _, ok := status[s.Name]; ok {
			return
		}
		names = append(names, s.Name)
		status[s.Name] = s
	}
	for _, s := range d.Statuses {
		add(s)
	}
	for _, t := range d.Transitions {
		add(LifecycleStatus{Name: t.From, Observed: t.Observed})
		add(LifecycleStatus{Name: t.To, Observed: t.Observed})
	}
	return names, status
}

type edgeKey struct{ from, to string }

// mergeTransitions merges transitions with the same ends into one edge.
func mergeTransitions(d *LifecycleDiagram) ([]edgeKey, map[edgeKey]*svgEdge) {
	var order []edgeKey
	edges := map[edgeKey]*svgEdge{}
	for _, t := range d.Transitions {
		k := edgeKey{t.From, t.To}
		e, ok := edges[k]
		if !ok {
			e = &svgEdge{From: t.From, To: t.To, Modelled: true}
			edges[k] = e
			order = append(order, k)
		}
		if e.Names != "" {
			e.Names += ", "
		}
		e.Names += t.Name
		e.Count += t.Count
		e.Observed = e.Observed || t.Observed
		e.Modelled = e.Modelled && t.Modelled
	}
	return order, edges
}

// diagramColumns assigns columns breadth first from the statuses nothing
// else leads to (or the first status).
func diagramColumns(names []string, order []edgeKey) map[string]int {
	col := map[string]int{}
	incoming := map[string]bool{}
	for _, k := range order {
		if k.from != k.to {
			incoming[k.to] = true
		}
	}
	var queue []string
	for _, n := range names {
		if !incoming[n] {
			col[n] = 0
			queue = append(queue, n)
		}
	}
	if len(queue) == 0 && len(names) > 0 {
		col[names[0]] = 0
		queue = append(queue, names[0])
	}
	for len(queue) > 0 {
		n := queue[0]
		queue = queue[1:]
		for _, k := range order {
			if k.from != n {
				continue
			}
			if _, seen := col[k.to]; !seen {
				col[k.to] = col[n] + 1
				queue = append(queue, k.to)
			}
		}
	}
	maxCol := 0
	for _, c := range col {
		maxCol = max(maxCol, c)
	}
	for _, n := range names {
		if _, ok := col[n]; !ok { // only reachable from a cycle not yet placed
			maxCol++
			col[n] = maxCol
		}
	}
	return col
}
