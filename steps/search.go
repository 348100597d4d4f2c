package steps

import (
	"context"

	"github.com/passfort-conformance/harness/internal/target"
)

// Searches that come before a profile: company registries (decision D47)
// and address suggestions with their formatting (decision D48); and the
// short-lived keys a data-collection form uses (decision D49), all in
// docs/decisions.md.

const country = `([A-Z]{3})`

func searchDefinitions() []Def {
	const g = "Search and collection keys"
	return []Def{
		{g, `^I search for companies in ` + country + ` numbered (\S+)$`, "Searches the country's company registry by registration number (the number parameter, matched exactly).", `When I search for companies in GBR numbered 09565115`, searchCompaniesByNumber},
		{g, `^I search for companies in ` + country + ` named ` + quoted + `$`, "Searches the country's company registry by name (the name parameter).", `When I search for companies in GBR named "Forexo"`, searchCompaniesByName},
		{g, `^I search for companies in ` + country + ` matching ` + quoted + `$`, "Searches the country's company registry for text in names or numbers (the query parameter).", `When I search for companies in GBR matching "Forexo"`, searchCompaniesByQuery},
		{g, `^I look up addresses in ` + country + ` for ` + quoted + `$`, "Asks for address suggestions for partial text; saves the first suggestion's id as {{address_id}} and the country as {{address_country}}.", `When I look up addresses in GBR for "10 Downing"`, searchAddresses},
		{g, `^I format the address found$`, "Formats the suggestion {{address_id}} as a structured address.", `When I format the address found`, formatAddress},
		{g, `^I create a data-collection key for the profile$`, "POSTs /api_keys/collect/{profile_id} without a body: a key that can only supply data for this profile.", `When I create a data-collection key for the profile`, collectionKeyForProfile},
		{g, `^I create a data-collection key for the profiles ` + quoted + `$`, "POSTs /api_keys/collect with these profile ids (comma-separated; {{variables}} expand).", `When I create a data-collection key for the profiles "{{profile_id}}"`, collectionKeyForProfiles},
	}
}

func searchCompanies(ctx context.Context, country, param, value string) error {
	w, value, err := worldExpand(ctx, value)
	if err != nil {
		return err
	}
	_, err = w.get(ctx, "/search/companies?"+query("country", country, param, value))
	return err
}

func searchCompaniesByNumber(ctx context.Context, country, number string) error {
	return searchCompanies(ctx, country, "number", number)
}

func searchCompaniesByName(ctx context.Context, country, name string) error {
	return searchCompanies(ctx, country, "name", name)
}

func searchCompaniesByQuery(ctx context.Context, country, text string) error {
	return searchCompanies(ctx, country, "query", text)
}

func searchAddresses(ctx context.Context, country, text string) error {
	w, text, err := worldExpand(ctx, text)
	if err != nil {
		return err
	}
	w.setVar("address_country", country)
	_, err = w.sendSaving(ctx, target.Request{Method: "GET", Path: "/address/search?" + query("address", text, "country_code", country)}, saves{"address_id": "results.0.id"})
	return err
}

func formatAddress(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	id, err := w.need("address_id", `look one up first: "When I look up addresses in GBR for \"10 Downing\""`)
	if err != nil {
		return err
	}
	c, err := w.need("address_country", "look an address up first")
	if err != nil {
		return err
	}
	_, err = w.get(ctx, "/address/format?"+query("id", id, "country_code", c))
	return err
}

func collectionKeyForProfile(ctx context.Context) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	// The operation takes no body: the path names the profile.
	_, err = w.send(ctx, target.Request{Method: "POST", Path: "/api_keys/collect/" + pid})
	return err
}

func collectionKeyForProfiles(ctx context.Context, ids string) error {
	w, ids, err := worldExpand(ctx, ids)
	if err != nil {
		return err
	}
	profiles := list(ids)
	if profiles == nil {
		profiles = []string{} // an empty list, not null: the refusal under test
	}
	_, err = w.post(ctx, "/api_keys/collect", map[string]any{"profile_ids": profiles})
	return err
}
