package steps

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/passfort-conformance/harness/internal/target"
)

// Tags: put on a profile by name, taken off by id, searched across the
// account (decision D43, docs/decisions.md). The id of the tag a step put
// on is {{tag_id}}.

func tagDefinitions() []Def {
	const g = "Tags"
	return []Def{
		{g, `^I tag the profile ` + quoted + `$`, "Tags the profile by name (an account tag of that name is reused); saves the tag's id as {{tag_id}}.", `When I tag the profile "vip"`, tagProfile},
		{g, `^I remove the tag ` + quoted + ` from the profile$`, "DELETEs the tag from the profile, by the id the profile's tags give it (or, once it is gone, the id this scenario saw); asserts nothing.", `When I remove the tag "vip" from the profile`, untagProfile},
		{g, `^the profile (carries|does not carry) the tag ` + quoted + `$`, "Fetches the profile: its tags include (or do not include) one of this name.", `Then the profile carries the tag "vip"`, profileCarriesTag},
		{g, `^I search for tags containing ` + quoted + `$`, "GETs /tags/search/{term}: the account's tags whose name contains the text.", `When I search for tags containing "vi"`, searchTags},
	}
}

func tagProfile(ctx context.Context, name string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	if err := profilePost(ctx, "/tags", map[string]string{"name": name}, saves{"tag_id": "id"}); err != nil {
		return err
	}
	if id, ok := w.variable("tag_id"); ok && w.Last().Status == 200 {
		w.setVar(tagVar(name), id)
	}
	return nil
}

// tagVar is the variable that remembers the id of a tag by name, so that a
// scenario can remove a tag twice (the second time is a 404).
func tagVar(name string) string { return "tag_id " + strings.ToLower(name) }

// profileTags fetches the profile and returns its tags' ids by lower-case name.
func (w *World) profileTags(ctx context.Context) (map[string]string, error) {
	pid, err := w.profile()
	if err != nil {
		return nil, err
	}
	p, err := w.getOK(ctx, "fetch profile", "/profiles/"+pid)
	if err != nil {
		return nil, err
	}
	tags := map[string]string{}
	for _, t := range p.Get("tags").Array() {
		tags[strings.ToLower(t.Get("name").String())] = t.Get("id").String()
	}
	return tags, nil
}

func untagProfile(ctx context.Context, name string) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	tags, err := w.profileTags(ctx)
	if err != nil {
		return err
	}
	id, ok := tags[strings.ToLower(name)]
	if !ok {
		if id, ok = w.variable(tagVar(name)); !ok {
			return fmt.Errorf("tag %q: the profile does not carry it and the scenario never put it on", name)
		}
	}
	return sendStep(ctx, target.Request{Method: "DELETE", Path: "/profiles/" + pid + "/tags/" + id}, false)
}

func profileCarriesTag(ctx context.Context, verb, name string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	tags, err := w.profileTags(ctx)
	if err != nil {
		return err
	}
	_, has := tags[strings.ToLower(name)]
	if want := verb == "carries"; has != want {
		names := make([]string, 0, len(tags))
		for n := range tags {
			names = append(names, n)
		}
		return fmt.Errorf("profile's tags: got [%s], want it %s %q", strings.Join(names, ", "), map[bool]string{true: "to carry", false: "not to carry"}[want], name)
	}
	return nil
}

func searchTags(ctx context.Context, term string) error {
	w, term, err := worldExpand(ctx, term)
	if err != nil {
		return err
	}
	_, err = w.get(ctx, "/tags/search/"+url.PathEscape(term))
	return err
}
