package report

import (
	"fmt"
	"strconv"
)

// htmlComparison is the previous-run section: five lists, each with its count.
type htmlComparison struct {
	PreviousID, PreviousStarted string
	Sections                    []htmlCompareSection
}

type htmlCompareSection struct {
	// Key is the section's test id, e.g. "newly-failing"; Tone its colour.
	Key, Title, Tone string
	Count            int
	Open             bool
	Scenarios        []htmlCompareScenario
	Drift            []htmlDrift
}

type htmlCompareScenario struct {
	Name, Where, Class string
	// Anchor links to the scenario in this page, "" when the run lacks it
	// (a fixed scenario that no longer exists).
	Anchor string
}

type htmlDrift struct {
	Rule, Operation, Pointer string
	Count                    int
}

// scenarioKey identifies a scenario of this run as a ScenarioRef names it
// (feature URI, name and line), to find its anchor in the page.
func scenarioKey(feature, name string, line int) string {
	return feature + "\x00" + name + "\x00" + strconv.Itoa(line)
}

// buildComparison renders c; anchors maps scenarioKey to the page's anchors.
func buildComparison(c *Comparison, anchors map[string]string) *htmlComparison {
	if c == nil {
		return nil
	}
	out := &htmlComparison{PreviousID: cleanText(c.PreviousID)}
	if !c.PreviousStarted.IsZero() {
		out.PreviousStarted = c.PreviousStarted.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	scen := func(key, title, tone string, open bool, refs []ScenarioRef) {
		s := htmlCompareSection{Key: key, Title: title, Tone: tone, Count: len(refs), Open: open && len(refs) > 0}
		for _, r := range refs {
			s.Scenarios = append(s.Scenarios, htmlCompareScenario{
				Name: cleanText(r.Name), Where: cleanText(fmt.Sprintf("%s:%d", r.Feature, r.Line)), Class: r.Class,
				Anchor: anchors[scenarioKey(r.Feature, r.Name, r.Line)],
			})
		}
		out.Sections = append(out.Sections, s)
	}
	drift := func(key, title, tone string, open bool, refs []DriftRef) {
		s := htmlCompareSection{Key: key, Title: title, Tone: tone, Count: len(refs), Open: open && len(refs) > 0}
		for _, r := range refs {
			s.Drift = append(s.Drift, htmlDrift{Rule: cleanText(r.Rule), Operation: cleanText(r.Operation), Pointer: cleanText(r.Pointer), Count: r.Count})
		}
		out.Sections = append(out.Sections, s)
	}
	scen("newly-failing", "Newly failing", "bad", true, c.NewlyFailing)
	scen("fixed", "Fixed", "good", false, c.Fixed)
	scen("still-failing", "Still failing", "warn", false, c.StillFailing)
	drift("new-drift", "New drift", "drift", true, c.NewDrift)
	drift("vanished-drift", "Vanished drift", "none", false, c.VanishedDrift)
	return out
}
