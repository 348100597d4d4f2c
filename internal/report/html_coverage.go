package report

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// CoverageRollup is the coverage summary report.html shows above the folded
// coverage tables: the operation × documented status matrix, from which the
// page computes per-area percentages.
type CoverageRollup struct {
	// Operations are the matrix's rows, in the contract's order.
	Operations []OperationStatuses
}

// OperationStatuses is one operation's row of the matrix.
type OperationStatuses struct {
	// Operation is "METHOD /path", e.g. "GET /profiles/{profile_id}".
	Operation string
	// Documented maps each status the contract documents for the operation
	// to how often the run received it (0: never).
	Documented map[int]int
	// Undocumented maps each status the run received that the contract
	// does not document to how often.
	Undocumented map[int]int
}

type htmlRollup struct {
	Statuses []int
	Rows     []htmlMatrixRow
	// Areas are per API area (the resource an operation works on);
	// Dimensions the coverage tables' own percentages.
	Areas, Dimensions []htmlArea
}

type htmlMatrixRow struct {
	Operation string
	Cells     []htmlCell
}

// htmlCell is one matrix cell; Class is "hit" (documented, received),
// "miss" (documented, never received), "undoc" (received, not documented)
// or "na" (neither).
type htmlCell struct {
	Class, Text, Title string
}

type htmlArea struct {
	Name                 string
	Observed, Documented int
	Percent              string
	Value                float64
}

// apiArea is the resource an operation works on: the segment after
// /profiles/{profile_id} when there is one ("applications", "tasks"), else
// the path's first segment ("profiles", "tags", "search").
func apiArea(op string) string {
	path := op
	if i := strings.IndexByte(op, ' '); i >= 0 {
		path = op[i+1:]
	}
	var segs []string
	for _, s := range strings.Split(strings.Trim(path, "/"), "/") {
		if s != "" && !strings.HasPrefix(s, "{") {
			segs = append(segs, s)
		}
	}
	switch {
	case len(segs) == 0:
		return "/"
	case segs[0] == "profiles" && len(segs) > 1:
		return segs[1]
	}
	return segs[0]
}

// percentOf is observed over total in percent, one decimal, as text ("66.7%")
// and as a number; "–" and 0 when total is 0.
func percentOf(observed, total int) (string, float64) {
	if total == 0 {
		return "–", 0
	}
	v := math.Round(1000*float64(observed)/float64(total)) / 10
	return strconv.FormatFloat(v, 'f', 1, 64) + "%", v
}

// buildRollup renders the matrix and the per-area percentages; tables give
// the per-dimension ones. It returns nil when there is nothing to show.
func buildRollup(r *CoverageRollup, tables []CoverageTable) *htmlRollup {
	if r == nil && len(tables) == 0 {
		return nil
	}
	out := &htmlRollup{}
	for _, t := range tables {
		title, _, _ := strings.Cut(t.Title, ":")
		p := strconv.FormatFloat(t.Percent, 'f', 1, 64) + "%"
		out.Dimensions = append(out.Dimensions, htmlArea{Name: title, Percent: p, Value: min(max(t.Percent, 0), 100)})
	}
	if r == nil {
		return out
	}
	statusSet := map[int]bool{}
	for _, op := range r.Operations {
		for s := range op.Documented {
			statusSet[s] = true
		}
		for s := range op.Undocumented {
			statusSet[s] = true
		}
	}
	for s := range statusSet {
		out.Statuses = append(out.Statuses, s)
	}
	slices.Sort(out.Statuses)
	areas := map[string]*htmlArea{}
	var areaOrder []string
	for _, op := range r.Operations {
		row := htmlMatrixRow{Operation: cleanText(op.Operation)}
		name := apiArea(op.Operation)
		a := areas[name]
		if a == nil {
			a = &htmlArea{Name: cleanText(name)}
			areas[name] = a
			areaOrder = append(areaOrder, name)
		}
		for _, s := range out.Statuses {
			st := strconv.Itoa(s)
			c := htmlCell{Class: "na", Title: row.Operation + " " + st + ": not documented"}
			if n, ok := op.Documented[s]; ok {
				a.Documented++
				c = htmlCell{Class: "miss", Text: "0", Title: row.Operation + " " + st + ": documented, never received"}
				if n > 0 {
					a.Observed++
					c = htmlCell{Class: "hit", Text: strconv.Itoa(n), Title: row.Operation + " " + st + ": received " + strconv.Itoa(n) + "×"}
				}
			} else if n, ok := op.Undocumented[s]; ok {
				c = htmlCell{Class: "undoc", Text: "!" + strconv.Itoa(n), Title: row.Operation + " " + st + ": received " + strconv.Itoa(n) + "×, not documented"}
			}
			row.Cells = append(row.Cells, c)
		}
		out.Rows = append(out.Rows, row)
	}
	for _, name := range areaOrder {
		a := areas[name]
		a.Percent, a.Value = percentOf(a.Observed, a.Documented)
		out.Areas = append(out.Areas, *a)
	}
	// The least covered areas first, so gaps show at the top.
	slices.SortStableFunc(out.Areas, func(a, b htmlArea) int { return cmp.Or(cmp.Compare(a.Value, b.Value), cmp.Compare(a.Name, b.Name)) })
	return out
}
