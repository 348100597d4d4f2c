package steps

import (
	"context"
	"fmt"
	"strings"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/catalog"
)

// profileRoles maps the guide's words to PassFort roles.
var profileRoles = map[string]string{
	"INDIVIDUAL":            "INDIVIDUAL_CUSTOMER",
	"COMPANY":               "COMPANY_CUSTOMER",
	"INDIVIDUAL_CUSTOMER":   "INDIVIDUAL_CUSTOMER",
	"COMPANY_CUSTOMER":      "COMPANY_CUSTOMER",
	"INDIVIDUAL_ASSOCIATED": "INDIVIDUAL_ASSOCIATED",
	"COMPANY_ASSOCIATED":    "COMPANY_ASSOCIATED",
}

// collectedData returns the smallest collected_data the role needs,
// tagged with the run id so a run's test data can be found and deleted.
func (w *World) collectedData(role, name string) map[string]any {
	if strings.HasPrefix(role, "COMPANY") {
		if name == "" {
			name = "Forexo Test Ltd"
		}
		return map[string]any{
			"entity_type":  "COMPANY",
			"customer_ref": w.env.RunID,
			"metadata": map[string]any{
				"name": name, "number": "09565115", "country_of_incorporation": "GBR",
			},
		}
	}
	given, family := []string{"Jane"}, "Doe"
	if parts := strings.Fields(name); len(parts) > 0 {
		// Every word but the last is a given name, so a demo keyword in
		// the middle ("Jane FAIL Doe") reaches the target.
		given, family = parts[:len(parts)-1], parts[len(parts)-1]
		if len(parts) == 1 {
			given, family = parts, "Test"
		}
	}
	return map[string]any{
		"entity_type":  "INDIVIDUAL",
		"customer_ref": w.env.RunID,
		"personal_details": map[string]any{
			"name":        map[string]any{"given_names": given, "family_name": family},
			"dob":         "1990-01-31",
			"nationality": "GBR",
		},
	}
}

// createProfile creates a profile and remembers its id as {{profile_id}}.
func (w *World) createProfile(ctx context.Context, role, name string, applications []map[string]any) error {
	body := map[string]any{"role": role, "collected_data": w.collectedData(role, name)}
	if applications != nil {
		body["applications"] = applications
	}
	return w.createProfileWith(ctx, role, body)
}

// createProfileWith posts a profile body and remembers the new profile.
func (w *World) createProfileWith(ctx context.Context, role string, body map[string]any) error {
	ex, err := w.postOK(ctx, "create "+role+" profile", "/profiles", body)
	if err != nil {
		return err
	}
	id := gjson.GetBytes(ex.ResponseBody, "id").String()
	if id == "" {
		return fmt.Errorf("create %s profile: response has no id: %s", role, snippet(ex.ResponseBody))
	}
	w.setVar("profile_id", id)
	return nil
}

func aProfile(ctx context.Context, kind string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	return w.createProfile(ctx, profileRoles[kind], "", nil)
}

// aProfileWithoutAutomaticProducts creates a profile with an empty
// applications list: PassFort applies a new profile for every product with
// automatically_apply only when the list is omitted, so this profile starts
// with no application and a feature can count its applications exactly.
func aProfileWithoutAutomaticProducts(ctx context.Context, kind string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	return w.createProfile(ctx, profileRoles[kind], "", []map[string]any{})
}

func aProfileNamed(ctx context.Context, kind, name string) error {
	w, name, err := worldExpand(ctx, name)
	if err != nil {
		return err
	}
	return w.createProfile(ctx, profileRoles[kind], name, nil)
}

// product resolves a feature's product alias on the target. Features are
// written with the mock catalogue's aliases; on a real account the alias is
// translated through the product's role to PASSFORT_CATALOG. A role the
// account lacks skips the scenario with the reason.
func (w *World) product(alias string) (catalog.Product, error) {
	// A mock alias is mapped by its role first: an account may use that
	// same alias for a product of another role.
	if w.env.MockCatalog != nil {
		if mp, ok := w.env.MockCatalog.ByAlias(alias); ok {
			for _, role := range mp.Roles {
				if p, ok := w.env.Catalog.ForRole(role); ok {
					return p, nil
				}
			}
			if p, ok := w.env.Catalog.ByAlias(alias); ok && len(mp.Roles) == 0 {
				return p, nil
			}
			return catalog.Product{}, fmt.Errorf("%w: the target's catalogue has no product for role %s (feature alias %q)", godog.ErrSkip, strings.Join(mp.Roles, "/"), alias)
		}
	}
	if p, ok := w.env.Catalog.ByAlias(alias); ok {
		return p, nil
	}
	// An alias nobody knows is sent as is: scenarios about unknown
	// products need exactly that.
	return catalog.Product{Alias: alias}, nil
}

func (w *World) addProduct(ctx context.Context, ref map[string]any, associatedRole string) error {
	pid, err := w.profile()
	if err != nil {
		return err
	}
	body := map[string]any{"product": ref}
	if associatedRole != "" {
		body["associated_role"] = associatedRole
	}
	ex, err := w.post(ctx, "/profiles/"+pid+"/applications", body)
	if err != nil {
		return err
	}
	if ex.Status == 200 {
		w.setApplication(gjson.GetBytes(ex.ResponseBody, "id").String())
	}
	return nil
}

// setApplication makes id the scenario's application, {{application_id}}.
func (w *World) setApplication(id string) {
	w.setVar("application_id", id)
}

// withProduct runs add with the scenario's world and the target's product
// for a feature's alias.
func withProduct(ctx context.Context, alias string, add func(w *World, p catalog.Product) error) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	// The alias may be a product role variable: "{{product.company.alias}}".
	if alias, err = w.expand(alias); err != nil {
		return err
	}
	p, err := w.product(alias)
	if err != nil {
		return err
	}
	return add(w, p)
}

func addProductByAlias(ctx context.Context, alias string) error {
	return withProduct(ctx, alias, func(w *World, p catalog.Product) error {
		return w.addProduct(ctx, map[string]any{"alias": p.Alias}, "")
	})
}

func addProductByID(ctx context.Context, alias string) error {
	return withProduct(ctx, alias, func(w *World, p catalog.Product) error {
		if p.ID == "" {
			return fmt.Errorf("product %q: the catalogue has no id for it", alias)
		}
		return w.addProduct(ctx, map[string]any{"id": p.ID}, "")
	})
}

func addProductAsAssociate(ctx context.Context, alias, role string) error {
	return withProduct(ctx, alias, func(w *World, p catalog.Product) error {
		return w.addProduct(ctx, map[string]any{"alias": p.Alias}, role)
	})
}

func createProfileWithProduct(ctx context.Context, kind, alias string) error {
	return withProduct(ctx, alias, func(w *World, p catalog.Product) error {
		apps := []map[string]any{{"product": map[string]any{"alias": p.Alias}}}
		if err := w.createProfile(ctx, profileRoles[kind], "", apps); err != nil {
			return err
		}
		w.setApplication(gjson.GetBytes(w.Last().ResponseBody, "applications.0.id").String())
		return nil
	})
}

func fetchApplication(ctx context.Context) error { return fetchPath(ctx, (*World).applicationPath) }

// fetchPath GETs the path pathOf names for the scenario.
func fetchPath(ctx context.Context, pathOf func(*World) (string, error)) error {
	w, path, err := worldAnd(ctx, pathOf)
	if err != nil {
		return err
	}
	_, err = w.get(ctx, path)
	return err
}

// fetchProfilePath GETs a path below the scenario's profile.
func fetchProfilePath(ctx context.Context, suffix string) error {
	w, pid, err := worldAnd(ctx, (*World).profile)
	if err != nil {
		return err
	}
	_, err = w.get(ctx, "/profiles/"+pid+suffix)
	return err
}

func listApplications(ctx context.Context) error { return fetchProfilePath(ctx, "/applications") }

func fetchProfile(ctx context.Context) error { return fetchProfilePath(ctx, "") }

// applicationListedOnce checks that the last response (a list of
// applications, or a profile with applications) holds the scenario's
// application exactly once.
func applicationListedOnce(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	_, aid, err := w.ids()
	if err != nil {
		return err
	}
	ex, err := w.lastJSON()
	if err != nil {
		return err
	}
	list := gjson.ParseBytes(ex.ResponseBody)
	if !list.IsArray() {
		list = list.Get("applications")
	}
	n := 0
	for _, a := range list.Array() {
		if a.Get("id").String() == aid {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("application %s: listed %d times, want exactly once", aid, n)
	}
	return nil
}

func applicationStatusAndFlag(ctx context.Context, status, flag string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	if err := w.jsonEquals("status", `"`+status+`"`); err != nil {
		return err
	}
	return w.jsonEquals("flag", `"`+flag+`"`)
}
