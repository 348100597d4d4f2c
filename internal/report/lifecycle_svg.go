package report

import (
	"fmt"
	"strconv"
	"strings"
)

// Layout of the lifecycle diagram: statuses in columns by their distance
// from the first status (breadth first over the transitions, in the order
// given), rows in the order given; forward transitions run left to right,
// backward and same-column ones loop below the boxes, self transitions above.
// Everything is computed from the input order alone, so the same diagram
// always draws the same SVG.
const (
	boxW, boxH     = 170, 40
	colGap, rowGap = 90, 60
	marginX        = 20
	marginTop      = 50 // room for self loops and their labels
	marginBottom   = 80 // room for backward arrows and their labels
)

type htmlDiagram struct {
	Title         string
	Width, Height int
	Boxes         []svgBox
	Edges         []svgEdge
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
	LX, LY          int
	Label           string
	Class           string // "observed", "modelled" or "illegal"
	Count           int
	Observed        bool
	Modelled        bool
}

func layoutDiagram(d *LifecycleDiagram) *htmlDiagram {
	// Statuses, with those only named by transitions appended.
	var names []string
	index := map[string]int{}
	status := map[string]LifecycleStatus{}
	add := func(s LifecycleStatus) {
		if _, ok := index[s.Name]; ok {
			return
		}
		index[s.Name] = len(names)
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

	// Merge transitions with the same ends into one edge.
	type key struct{ from, to string }
	var order []key
	edges := map[key]*svgEdge{}
	for _, t := range d.Transitions {
		k := key{t.From, t.To}
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

	// Columns: breadth first from the statuses nothing else leads to.
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

	out := &htmlDiagram{Title: d.Title}
	rowsIn := map[int]int{}
	boxes := map[string]svgBox{}
	maxRows := 0
	for _, n := range names {
		c := col[n]
		row := rowsIn[c]
		rowsIn[c]++
		maxRows = max(maxRows, row+1)
		s := status[n]
		b := svgBox{
			Name: n, X: marginX + c*(boxW+colGap), Y: marginTop + row*(boxH+rowGap), W: boxW, H: boxH,
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
	}
	maxRows = max(maxRows, 1)
	out.Width = 2*marginX + (maxCol+1)*boxW + maxCol*colGap
	out.Height = marginTop + maxRows*boxH + (maxRows-1)*rowGap + marginBottom

	for _, k := range order {
		e := edges[k]
		a, b := boxes[k.from], boxes[k.to]
		var p [4][2]int
		switch {
		case k.from == k.to:
			cx := a.X + a.W/2
			p = [4][2]int{{cx - 12, a.Y}, {cx - 40, a.Y - 38}, {cx + 40, a.Y - 38}, {cx + 12, a.Y}}
		case col[k.to] > col[k.from]:
			x1, y1, x2, y2 := a.X+a.W, a.TY, b.X, b.TY
			dx := (x2 - x1) / 2
			p = [4][2]int{{x1, y1}, {x1 + dx, y1}, {x2 - dx, y2}, {x2, y2}}
		default:
			// Backward: leave from the bottom, loop below, enter from the bottom.
			x1, y1, x2, y2 := a.TX+10, a.Y+a.H, b.TX-10, b.Y+b.H
			drop := 45 + 10*abs(col[k.from]-col[k.to])
			p = [4][2]int{{x1, y1}, {x1, max(y1, y2) + drop}, {x2, max(y1, y2) + drop}, {x2, y2}}
		}
		e.D = fmt.Sprintf("M%d %d C%d %d %d %d %d %d", p[0][0], p[0][1], p[1][0], p[1][1], p[2][0], p[2][1], p[3][0], p[3][1])
		// The label sits at the curve's midpoint, B(1/2) = (P0 + 3P1 + 3P2 + P3) / 8.
		e.LX = (p[0][0] + 3*p[1][0] + 3*p[2][0] + p[3][0]) / 8
		e.LY = (p[0][1]+3*p[1][1]+3*p[2][1]+p[3][1])/8 - 6
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
		out.Edges = append(out.Edges, *e)
	}
	return out
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
