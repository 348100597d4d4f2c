package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// htmlRate is one row of the per-feature or per-tag table.
type htmlRate struct {
	Name, Anchor string
	Counts
	// Rate is passed and flaky over the scenarios that ran (skipped ones
	// left out), "–" when none ran; Value is the same, 0 to 100.
	Rate  string
	Value float64
	Time  string
	dur   time.Duration
}

func (r *htmlRate) add(s *Scenario) {
	r.Counts.add(s.Status)
	r.dur += nonNegative(s.Duration)
}

func (r *htmlRate) finish() {
	r.Time = humanDuration(r.dur)
	r.Rate, r.Value = percentOf(r.Passed+r.Flaky, r.Total-r.Skipped)
}

// sortRates puts the rows with the most failures first, then by name.
func sortRates(rows []htmlRate) {
	slices.SortStableFunc(rows, func(a, b htmlRate) int {
		return cmp.Or(cmp.Compare(b.Failed+b.Undefined, a.Failed+a.Undefined), cmp.Compare(a.Name, b.Name))
	})
}

// featureRates tallies each feature's scenarios; anchors are "feature-N" in
// run order.
func featureRates(r *Run) []htmlRate {
	var rows []htmlRate
	for i, f := range r.Features {
		row := htmlRate{Name: cleanText(cmp.Or(f.Name, f.URI)), Anchor: "feature-" + strconv.Itoa(i+1)}
		for j := range f.Scenarios {
			row.add(&f.Scenarios[j])
		}
		row.finish()
		rows = append(rows, row)
	}
	sortRates(rows)
	return rows
}

// tagRates tallies the scenarios of every tag, a scenario counting once for
// each of its own and its feature's tags.
func tagRates(r *Run) []htmlRate {
	byTag := map[string]*htmlRate{}
	for _, f := range r.Features {
		for j := range f.Scenarios {
			s := &f.Scenarios[j]
			seen := map[string]bool{}
			for _, tag := range append(slices.Clone(f.Tags), s.Tags...) {
				if seen[tag] {
					continue
				}
				seen[tag] = true
				row := byTag[tag]
				if row == nil {
					row = &htmlRate{Name: cleanText(tag)}
					byTag[tag] = row
				}
				row.add(s)
			}
		}
	}
	rows := make([]htmlRate, 0, len(byTag))
	for _, row := range byTag {
		row.finish()
		rows = append(rows, *row)
	}
	sortRates(rows)
	return rows
}

// htmlTimeline draws the run's scenarios on their workers: one lane per
// worker (one lane when no worker is known), each scenario a bar placed in
// percent of the run's span.
type htmlTimeline struct {
	Span  string
	Lanes []htmlLane
	Ticks []htmlTick
}

type htmlLane struct {
	Label string
	Bars  []htmlBar
}

type htmlBar struct {
	Left, Width           float64 // percent of the span
	Status, Title, Anchor string
}

type htmlTick struct {
	Left  float64
	Label string
}

// minBarWidth keeps a scenario of a few milliseconds visible, in percent.
const minBarWidth = 0.2

// buildTimeline returns nil when no scenario has a start time.
func buildTimeline(r *Run, anchors map[*Scenario]string) *htmlTimeline {
	var first, last time.Time
	for fi := range r.Features {
		for _, s := range r.Features[fi].Scenarios {
			if s.Started.IsZero() {
				continue
			}
			end := s.Started.Add(nonNegative(s.Duration))
			if first.IsZero() || s.Started.Before(first) {
				first = s.Started
			}
			if end.After(last) {
				last = end
			}
		}
	}
	if first.IsZero() {
		return nil
	}
	span := max(last.Sub(first), time.Millisecond)
	pct := func(d time.Duration) float64 { return math.Round(100000*float64(d)/float64(span)) / 1000 }
	lanes := map[int]*htmlLane{}
	for fi := range r.Features {
		for si := range r.Features[fi].Scenarios {
			s := &r.Features[fi].Scenarios[si]
			if s.Started.IsZero() {
				continue
			}
			lane := lanes[s.Worker]
			if lane == nil {
				lane = &htmlLane{Label: "worker " + strconv.Itoa(s.Worker)}
				if s.Worker == 0 {
					lane.Label = "worker unknown"
				}
				lanes[s.Worker] = lane
			}
			left := pct(s.Started.Sub(first))
			lane.Bars = append(lane.Bars, htmlBar{
				Left: left, Width: min(max(pct(nonNegative(s.Duration)), minBarWidth), 100-left),
				Status: string(cmp.Or(s.Status, Undefined)), Anchor: anchors[s],
				Title: fmt.Sprintf("%s · %s · %s from +%s", cleanText(s.Name), cmp.Or(s.Status, Undefined), humanDuration(s.Duration), humanDuration(s.Started.Sub(first))),
			})
		}
	}
	t := &htmlTimeline{Span: humanDuration(span)}
	workers := make([]int, 0, len(lanes))
	for w := range lanes {
		workers = append(workers, w)
	}
	slices.Sort(workers)
	for _, w := range workers {
		lane := lanes[w]
		slices.SortStableFunc(lane.Bars, func(a, b htmlBar) int { return cmp.Compare(a.Left, b.Left) })
		t.Lanes = append(t.Lanes, *lane)
	}
	for i := range 5 {
		t.Ticks = append(t.Ticks, htmlTick{Left: float64(25 * i), Label: "+" + humanDuration(span*time.Duration(i)/4)})
	}
	return t
}
