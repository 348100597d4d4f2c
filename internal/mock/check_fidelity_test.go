package mock

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// TestCheckCarriesWhatItRanOn: a check names the data it ran on, the
// providers it asked and, once COMPLETE, when it was performed, synchronous
// or not, for an individual and for a company (decision D124).
func TestCheckCarriesWhatItRanOn(t *testing.T) {
	t.Parallel()
	ada := mocktest.Individual("Ada", "Lovelace", "dob", "1990-12-10")
	adaData := ada["collected_data"].(map[string]any)
	adaData["address_history"] = []any{map[string]any{"address": map[string]any{"type": "STRUCTURED", "country": "GBR"}}}
	adaData["customer_ref"] = "ada-1" // no check reads it
	company := mocktest.Company("Forexo Trading Ltd")
	company["collected_data"].(map[string]any)["customer_ref"] = "forexo-1"
	const adaInput = `{"entity_type":"INDIVIDUAL","personal_details":{"dob":"1990-12-10","name":{"family_name":"Lovelace","given_names":["Ada"]}},` +
		`"address_history":[{"address":{"country":"GBR","type":"STRUCTURED"}}]}`
	const companyInput = `{"entity_type":"COMPANY","metadata":{"country_of_incorporation":"GBR","name":"Forexo Trading Ltd","number":"09565115"}}`
	tests := map[string]struct {
		profile       map[string]any
		check, mode   string
		wantInput     string
		wantProviders string
	}{
		"identity check, sync": {ada, "IDENTITY_CHECK", "", adaInput,
			`[{"provider_name":"Demo identity data","variant_name":"Demo default","is_monitored":false}]`},
		"identity check, async": {ada, "IDENTITY_CHECK", "?mode=async", adaInput,
			`[{"provider_name":"Demo identity data","variant_name":"Demo default","is_monitored":false}]`},
		"company registry, async": {company, "COMPANY_REGISTRY", "", companyInput,
			`[{"provider_name":"Demo company registry","variant_name":"Demo default","is_monitored":false}]`},
		"company registry, sync": {company, "COMPANY_REGISTRY", "?mode=sync", companyInput,
			`[{"provider_name":"Demo company registry","variant_name":"Demo default","is_monitored":false}]`},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{CheckDuration: 2 * time.Second})
			pid := e.Post("/profiles", tc.profile).Want(200).Str("id")
			ck := e.Post("/profiles/"+pid+"/checks"+tc.mode, map[string]any{"check_type": tc.check}).Want(200)
			if ck.Str("state") != "COMPLETE" {
				assert.False(t, ck.Get("performed_on").Exists(), "a running check was not performed yet: %s", ck.Body)
				e.Clock.Advance(3 * time.Second)
			}
			got := e.Get("/profiles/" + pid + "/checks/" + ck.Str("id")).Want(200)
			require.Equal(t, "COMPLETE", got.Str("state"))
			for _, r := range []mocktest.Resp{ck, got} {
				assert.JSONEq(t, tc.wantInput, r.Get("input_data").Raw, "input_data")
				assert.JSONEq(t, tc.wantProviders, r.Get("providers").Raw, "providers")
			}
			assert.Equal(t, got.Str("completed_on"), got.Str("performed_on"), "performed_on is when it completed")
		})
	}
}

// TestCheckInputIsASnapshot: replacing the collected data leaves the input
// of a check already run as it was (decision D124).
func TestCheckInputIsASnapshot(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	pid := e.Post("/profiles", mocktest.Individual("Ada", "Lovelace")).Want(200).Str("id")
	ck := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(200)
	require.JSONEq(t, `{"entity_type":"INDIVIDUAL","personal_details":{"name":{"family_name":"Lovelace","given_names":["Ada"]}}}`,
		ck.Get("input_data").Raw)
	e.Post("/profiles/"+pid+"/collected_data", mocktest.Individual("Grace", "Hopper")["collected_data"]).Want(200)
	got := e.Get("/profiles/" + pid + "/checks/" + ck.Str("id")).Want(200)
	assert.JSONEq(t, ck.Get("input_data").Raw, got.Get("input_data").Raw, "input_data after the collected data changed")
}

// TestApprovedCheckKeepsWhatTheOriginalRanOn: the copy an approve makes
// carries the original's input_data, providers and performed_on (decision
// D124).
func TestApprovedCheckKeepsWhatTheOriginalRanOn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	pid := e.Post("/profiles", mocktest.Individual("Ada FAIL", "Lovelace")).Want(200).Str("id")
	orig := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(200)
	require.Equal(t, "COMPLETE", orig.Str("state"))
	e.Clock.Advance(time.Minute)
	e.Post("/profiles/"+pid+"/collected_data", mocktest.Individual("Grace", "Hopper")["collected_data"]).Want(200)
	e.Post("/profiles/"+pid+"/checks/"+orig.Str("id")+"/approve", map[string]any{}).Want(200)
	checks := e.Get("/profiles/" + pid + "/checks").Want(200)
	require.Equal(t, int64(2), checks.Get("#").Int(), "the approve made a copy")
	cp := checks.Get("1")
	assert.Equal(t, "PASS", cp.Get("decision").String())
	for _, key := range []string{"input_data", "providers", "performed_on"} {
		require.True(t, orig.Get(key).Exists(), "the original has %s", key)
		assert.JSONEq(t, orig.Get(key).Raw, cp.Get(key).Raw, key)
	}
	assert.NotEqual(t, cp.Get("completed_on").String(), cp.Get("performed_on").String(),
		"the copy was completed later than the original was performed")
}

// TestTasksCarryTheirBooleans: an ad-hoc task, like a product's, always
// says whether it is deleted, skipped or waiting on automatic checks
// (decision D124).
func TestTasksCarryTheirBooleans(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_basic")).Want(200)
	pid := p.Str("id")
	adhoc := e.Post("/profiles/"+pid+"/tasks", map[string]any{"type": "INDIVIDUAL_MANUAL_TASK"}).Want(200)
	product := e.Get("/profiles/" + pid + "/tasks/" + p.Str("tasks.0.id")).Want(200)
	for name, r := range map[string]mocktest.Resp{"ad-hoc task": adhoc, "product task": product} {
		for _, key := range []string{"is_deleted", "is_skipped", "needs_check_automation"} {
			require.True(t, r.Get(key).Exists(), "%s: %s missing: %s", name, key, r.Body)
		}
		assert.False(t, r.Get("is_deleted").Bool(), "%s: is_deleted", name)
		assert.False(t, r.Get("is_skipped").Bool(), "%s: is_skipped", name)
	}
	assert.False(t, adhoc.Get("needs_check_automation").Bool(), "an ad-hoc task waits on no automatic check")
}

// TestTaskNeedsCheckAutomationWhileItsCheckRuns: a product task whose
// catalogue entry runs an automatic check waits on it until it finishes
// (decision D124).
func TestTaskNeedsCheckAutomationWhileItsCheckRuns(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_plus")).Want(200)
	screening := func() bool {
		for _, tk := range e.Get("/profiles/" + p.Str("id") + "/tasks").Want(200).Get("@this").Array() {
			if tk.Get("type").String() == "INDIVIDUAL_ASSESS_POLITICAL_AND_SANCTIONS_EXPOSURE" {
				return tk.Get("needs_check_automation").Bool()
			}
		}
		require.Fail(t, "no screening task")
		return false
	}
	assert.True(t, screening(), "while its automatic check runs")
	e.Clock.Advance(time.Minute)
	assert.False(t, screening(), "once its automatic check has run")
}

// TestCheckProviders: the demo provider of a check follows its type and
// variant; a check run elsewhere or a manual form asked none (decision D124).
func TestCheckProviders(t *testing.T) {
	t.Parallel()
	named := &checkVariantJSON{ID: "6a7b8c9d-0e1f-4a2b-9c3d-4e5f6a7b8c9d", Alias: "eid", Name: "eid"}
	tests := map[string]struct {
		ctype    string
		variant  *checkVariantJSON
		external bool
		want     []checkProviderJSON
	}{
		"screening":     {"PEPS_AND_SANCTIONS_SCREEN", nil, false, []checkProviderJSON{{ProviderName: "Demo screening", VariantName: demoVariantName}}},
		"named variant": {"IDENTITY_CHECK", named, false, []checkProviderJSON{{ProviderName: "Demo identity data", VariantName: "eid"}}},
		"unlisted type": {"GEOCODING", nil, false, []checkProviderJSON{{ProviderName: demoProviderName, VariantName: demoVariantName}}},
		"run elsewhere": {"IDENTITY_CHECK", nil, true, []checkProviderJSON{}},
		"manual form":   {"COMPANY_MANUAL_FORM", nil, false, []checkProviderJSON{}},
		"variant with no name": {"IDENTITY_CHECK", &checkVariantJSON{ID: named.ID}, false,
			[]checkProviderJSON{{ProviderName: "Demo identity data", VariantName: demoVariantName}}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			assert.Equal(t, tc.want, checkProviders(tc.ctype, tc.variant, tc.external))
		})
	}
}

// TestCheckInputIsCharged: a check's input_data counts against the store's
// byte limit, and deleting the profile frees it (decision D124).
func TestCheckInputIsCharged(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	pid := e.Post("/profiles", mocktest.Individual("Ada", "Lovelace")).Want(200).Str("id")
	before := e.s.store.bytes.Load()
	ck := e.Post("/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"}).Want(200)
	assert.Equal(t, before+int64(len(ck.Get("input_data").Raw)), e.s.store.bytes.Load(), "bytes charged for the check")
	e.Post("/profiles/"+pid+"/delete", map[string]any{"confirm_id": pid}).Want(200)
	assert.Zero(t, e.s.store.bytes.Load(), "deleting the profile frees every byte charged for it")
}

// A check run elsewhere keeps the output_data its client sent: those bytes
// count against -max-stored-bytes like the input, and go with the profile.
func TestCheckOutputIsCharged(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	pid := e.Post("/profiles", mocktest.Individual("Ada", "Lovelace")).Want(200).Str("id")
	before := e.s.store.bytes.Load()
	output := map[string]any{"matches": []any{map[string]any{"name": strings.Repeat("x", 4096)}}}
	ck := e.Post("/profiles/"+pid+"/checks", map[string]any{
		"check_type": "PEPS_AND_SANCTIONS_SCREEN", "instructed_externally": true, "result": "Pass", "output_data": output,
	}).Want(200)
	want := before + int64(len(ck.Get("input_data").Raw)+len(ck.Get("output_data").Raw))
	assert.Equal(t, want, e.s.store.bytes.Load(), "bytes charged for the check's input and output")
	e.Post("/profiles/"+pid+"/delete", map[string]any{"confirm_id": pid}).Want(200)
	assert.Zero(t, e.s.store.bytes.Load(), "deleting the profile frees every byte charged for it")
}

// verified_data names the entity it is about, as both of PassFort's files
// require, on the answers that create and read a profile.
func TestVerifiedDataNamesTheEntity(t *testing.T) {
	t.Parallel()
	e := newEnv(t, Options{})
	for name, tc := range map[string]struct {
		body any
		want string
	}{
		"individual": {mocktest.Individual("Ada", "Lovelace"), "INDIVIDUAL"},
		"company": {map[string]any{"role": "COMPANY_CUSTOMER", "collected_data": map[string]any{
			"entity_type": "COMPANY", "metadata": map[string]any{"name": "Acme", "country_of_incorporation": "GBR"}}}, "COMPANY"},
	} {
		created := e.Post("/profiles", tc.body).Want(200)
		assert.Equal(t, tc.want, created.Str("verified_data.entity_type"), "%s: created", name)
		read := e.Get("/profiles/" + created.Str("id")).Want(200)
		assert.Equal(t, tc.want, read.Str("verified_data.entity_type"), "%s: read", name)
	}
}
