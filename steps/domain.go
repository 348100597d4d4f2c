package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/catalog"
	"github.com/passfort-conformance/harness/internal/target"
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
	given, family := "Jane", "Doe"
	if name != "" {
		parts := strings.Fields(name)
		given, family = parts[0], parts[len(parts)-1]
		if len(parts) == 1 {
			family = "Test"
		}
	}
	return map[string]any{
		"entity_type":  "INDIVIDUAL",
		"customer_ref": w.env.RunID,
		"personal_details": map[string]any{
			"name":        map[string]any{"given_names": []string{given}, "family_name": family},
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
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	ex, err := w.send(ctx, target.Request{Method: "POST", Path: "/profiles", Body: data})
	if err != nil {
		return err
	}
	if ex.Status != 200 {
		return fmt.Errorf("create %s profile: got %d, want 200; body: %s", role, ex.Status, snippet(ex.ResponseBody))
	}
	id := gjson.GetBytes(ex.ResponseBody, "id").String()
	if id == "" {
		return fmt.Errorf("create %s profile: response has no id: %s", role, snippet(ex.ResponseBody))
	}
	w.mu.Lock()
	w.profileID, w.profileRole = id, role
	w.vars["profile_id"] = id
	w.mu.Unlock()
	return nil
}

func aProfile(ctx context.Context, kind string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	return w.createProfile(ctx, profileRoles[kind], "", nil)
}

func aProfileNamed(ctx context.Context, kind, name string) error {
	w, err := world(ctx)
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
	if p, ok := w.env.Catalog.ByAlias(alias); ok {
		return p, nil
	}
	if w.env.MockCatalog != nil {
		if mp, ok := w.env.MockCatalog.ByAlias(alias); ok {
			for _, role := range mp.Roles {
				if p, ok := w.env.Catalog.ForRole(role); ok {
					return p, nil
				}
			}
			return catalog.Product{}, fmt.Errorf("%w: the target's catalogue has no product for role %s (feature alias %q)", godog.ErrSkip, strings.Join(mp.Roles, "/"), alias)
		}
	}
	// An alias nobody knows is sent as is: scenarios about unknown
	// products need exactly that.
	return catalog.Product{Alias: alias}, nil
}

func (w *World) addProduct(ctx context.Context, ref map[string]any, associatedRole string) error {
	w.mu.Lock()
	pid := w.profileID
	w.mu.Unlock()
	if pid == "" {
		return fmt.Errorf("no profile yet: start the scenario with \"Given an INDIVIDUAL profile\"")
	}
	body := map[string]any{"product": ref}
	if associatedRole != "" {
		body["associated_role"] = associatedRole
	}
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	ex, err := w.send(ctx, target.Request{Method: "POST", Path: "/profiles/" + pid + "/applications", Body: data})
	if err != nil {
		return err
	}
	if ex.Status == 200 {
		id := gjson.GetBytes(ex.ResponseBody, "id").String()
		w.mu.Lock()
		w.applicationID = id
		w.vars["application_id"] = id
		w.mu.Unlock()
	}
	return nil
}

func addProductByAlias(ctx context.Context, alias string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	p, err := w.product(alias)
	if err != nil {
		return err
	}
	return w.addProduct(ctx, map[string]any{"alias": p.Alias}, "")
}

func addProductByID(ctx context.Context, alias string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	p, err := w.product(alias)
	if err != nil {
		return err
	}
	if p.ID == "" {
		return fmt.Errorf("product %q: the catalogue has no id for it", alias)
	}
	return w.addProduct(ctx, map[string]any{"id": p.ID}, "")
}

func addProductAsAssociate(ctx context.Context, alias, role string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	p, err := w.product(alias)
	if err != nil {
		return err
	}
	return w.addProduct(ctx, map[string]any{"alias": p.Alias}, role)
}

func createProfileWithProduct(ctx context.Context, kind, alias string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	p, err := w.product(alias)
	if err != nil {
		return err
	}
	apps := []map[string]any{{"product": map[string]any{"alias": p.Alias}}}
	if err := w.createProfile(ctx, profileRoles[kind], "", apps); err != nil {
		return err
	}
	ex := w.Last()
	id := gjson.GetBytes(ex.ResponseBody, "applications.0.id").String()
	w.mu.Lock()
	w.applicationID = id
	w.vars["application_id"] = id
	w.mu.Unlock()
	return nil
}

func (w *World) ids() (profile, application string, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.profileID == "" || w.applicationID == "" {
		return "", "", fmt.Errorf("no application yet: add a product to a profile first")
	}
	return w.profileID, w.applicationID, nil
}

func fetchApplication(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	pid, aid, err := w.ids()
	if err != nil {
		return err
	}
	_, err = w.send(ctx, target.Request{Method: "GET", Path: "/profiles/" + pid + "/applications/" + aid})
	return err
}

func listApplications(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	w.mu.Lock()
	pid := w.profileID
	w.mu.Unlock()
	_, err = w.send(ctx, target.Request{Method: "GET", Path: "/profiles/" + pid + "/applications"})
	return err
}

func fetchProfile(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	w.mu.Lock()
	pid := w.profileID
	w.mu.Unlock()
	_, err = w.send(ctx, target.Request{Method: "GET", Path: "/profiles/" + pid})
	return err
}

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
