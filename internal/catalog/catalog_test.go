package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const validProduct = `
  - alias: forexo_basic
    id: b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8
    name: Forexo Basic Account
    roles: [basic_individual]
    entity_type: INDIVIDUAL
    automatically_apply: false
    automatically_approve: false
    outcome: MANUAL_REVIEW
    required_tasks:
      - task_type: INDIVIDUAL_VERIFY_IDENTITY
        variant_id: 5f0c3a1e-7b2d-4c89-a1e0-3d4f5a6b7c01
        name: Verify identity
`

func TestDefault(t *testing.T) {
	c, err := Default()
	require.NoError(t, err, "Default")
	basic, ok := c.ByAlias("forexo_basic")
	require.True(t, ok, "ByAlias(forexo_basic): not found")
	assert.Equal(t, "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8", basic.ID, "forexo_basic: want the guide's product")
	assert.Equal(t, "Forexo Basic Account", basic.Name, "forexo_basic: want the guide's product")
	assert.False(t, basic.AutomaticallyApprove, "forexo_basic: want the guide's product")
	if assert.Len(t, basic.RequiredTasks, 1, "forexo_basic tasks: want one INDIVIDUAL_VERIFY_IDENTITY") {
		assert.Equal(t, "INDIVIDUAL_VERIFY_IDENTITY", basic.RequiredTasks[0].TaskType, "forexo_basic task")
	}
	// Every role the suite relies on must be played, with the properties the role implies.
	roles := map[string]func(Product) bool{
		"basic_individual":      func(p Product) bool { return p.EntityType == Individual && len(p.RequiredTasks) == 1 },
		"multi_task_individual": func(p Product) bool { return p.EntityType == Individual && len(p.RequiredTasks) >= 3 },
		"company":               func(p Product) bool { return p.EntityType == Company },
		"auto_approve":          func(p Product) bool { return p.AutomaticallyApprove && p.Outcome == AutomaticApproval },
		"escalation":            func(p Product) bool { return p.Outcome == Escalate },
		"immediate_rejection":   func(p Product) bool { return p.Outcome == ImmediateRejection },
		"auto_apply":            func(p Product) bool { return p.AutomaticallyApply },
		"risk_score":            func(p Product) bool { return p.NeedsRiskData },
		"requires_data":         func(p Product) bool { return p.NeedsAddress && p.EntityType == Individual },
		"nearing_expiry":        func(p Product) bool { return p.TaskExpiryDays > 0 && p.TaskExpiryDays <= 30 },
		"checks_running": func(p Product) bool {
			for _, tv := range p.RequiredTasks {
				if tv.CheckDuration > 0 {
					return true
				}
			}
			return false
		},
	}
	for role, fits := range roles {
		p, ok := c.ForRole(role)
		if !assert.True(t, ok, "ForRole(%q): no product", role) {
			continue
		}
		assert.True(t, fits(p), "ForRole(%q) = %s, which does not fit the role: %+v", role, p.Alias, p)
	}
	for _, p := range c.Products() {
		byID, ok := c.ByID(p.ID)
		assert.True(t, ok, "ByID(%s): not found", p.ID)
		assert.Equal(t, p.Alias, byID.Alias, "ByID(%s)", p.ID)
		assert.Equal(t, p.Alias, c.At(c.Index(p.ID)).Alias, "At(Index(%s))", p.ID)
	}
	assert.Equal(t, -1, c.Index("00000000-0000-0000-0000-000000000000"), "Index(unknown)")
}

func TestLoadValid(t *testing.T) {
	c, err := Load([]byte("products:" + validProduct + `
  - alias: biz
    id: 2d0f6b38-51e4-4a7c-9f32-ab8c4d6e3f05
    name: Biz
    roles: [company, other]
    entity_type: COMPANY
    automatically_apply: true
    automatically_approve: true
    outcome: AUTOMATIC_APPROVAL
    needs_risk_data: true
    task_expiry_days: 20
    required_tasks:
      - task_type: COMPANY_VERIFY_IDENTITY
        variant_id: 8c3f6d4b-ae50-4fbc-94b3-6a7c8d9eaf06
        name: Verify company
        check_duration: 250ms
`))
	require.NoError(t, err, "Load")
	require.Equal(t, 2, c.Len(), "Len")
	biz, ok := c.ForRole("other")
	require.True(t, ok, "ForRole(other): not found")
	require.Equal(t, "biz", biz.Alias, "ForRole(other)")
	want := Product{ID: "2d0f6b38-51e4-4a7c-9f32-ab8c4d6e3f05", Alias: "biz", Name: "Biz", EntityType: Company,
		AutomaticallyApply: true, AutomaticallyApprove: true, Outcome: AutomaticApproval, NeedsRiskData: true, TaskExpiryDays: 20}
	got := biz
	got.Roles, got.RequiredTasks = nil, nil
	assert.Equal(t, want, got, "biz")
	if assert.Len(t, biz.Roles, 2, "biz roles: want [company other]") {
		assert.Equal(t, "other", biz.Roles[1], "biz roles: want [company other]")
	}
	if assert.Len(t, biz.RequiredTasks, 1, "biz tasks: want one task with a 250ms check") {
		assert.Equal(t, 250*time.Millisecond, biz.RequiredTasks[0].CheckDuration, "biz task check duration")
		assert.Equal(t, "Verify company", biz.RequiredTasks[0].Name, "biz task name")
	}
	_, ok = c.ByAlias("nope")
	assert.False(t, ok, "ByAlias(nope) found a product")
	_, ok = c.ByID("nope")
	assert.False(t, ok, "ByID(nope) found a product")
	_, ok = c.ForRole("nope")
	assert.False(t, ok, "ForRole(nope) found a product")
}

func TestLoadErrors(t *testing.T) {
	tests := map[string]struct {
		yaml string
		want string // substring of the error
	}{
		"empty":             {"", "empty document"},
		"no products":       {"products: []", "no products"},
		"not yaml":          {"products: [", "catalog:"},
		"unknown key":       {"products:" + strings.Replace(validProduct, "outcome:", "outcom:", 1), "field outcom not found"},
		"duplicate alias":   {"products:" + validProduct + strings.Replace(validProduct, "b0ce7c17", "c0ce7c17", 1), `product "forexo_basic": alias already used`},
		"duplicate id":      {"products:" + validProduct + strings.Replace(validProduct, "alias: forexo_basic", "alias: other", 1), `product "other": id b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8 already used by product "forexo_basic"`},
		"duplicate role":    {"products:" + validProduct + strings.NewReplacer("alias: forexo_basic", "alias: other", "b0ce7c17", "c0ce7c17").Replace(validProduct), `product "other": role "basic_individual" already played`},
		"missing alias":     {"products:" + strings.Replace(validProduct, "alias: forexo_basic", "alias: ''", 1), `product "#1": alias is missing`},
		"bad id":            {"products:" + strings.Replace(validProduct, "b0ce7c17-2cab", "B0CE7C17-2cab", 1), `product "forexo_basic": id: got "B0CE7C17`},
		"short id":          {"products:" + strings.Replace(validProduct, "b0ce7c17-2cab", "b0ce7c1-2cab", 1), `id: got "b0ce7c1-2cab`},
		"missing name":      {"products:" + strings.Replace(validProduct, "name: Forexo Basic Account", "name: ''", 1), "name is missing"},
		"bad entity":        {"products:" + strings.Replace(validProduct, "entity_type: INDIVIDUAL", "entity_type: PERSON", 1), `entity_type: got "PERSON"`},
		"bad outcome":       {"products:" + strings.Replace(validProduct, "MANUAL_REVIEW", "MAYBE", 1), `outcome: got "MAYBE"`},
		"approve mismatch":  {"products:" + strings.Replace(validProduct, "automatically_approve: false", "automatically_approve: true", 1), "automatically_approve is true but outcome is MANUAL_REVIEW"},
		"negative expiry":   {"products:" + strings.Replace(validProduct, "outcome: MANUAL_REVIEW", "outcome: MANUAL_REVIEW\n    task_expiry_days: -1", 1), "task_expiry_days: got -1"},
		"no tasks":          {"products:" + validProduct[:strings.Index(validProduct, "    required_tasks:")], "required_tasks is empty"},
		"bad task type":     {"products:" + strings.Replace(validProduct, "INDIVIDUAL_VERIFY_IDENTITY", "INDIVIDUAL_GUESS", 1), `required_tasks[0].task_type: got "INDIVIDUAL_GUESS"`},
		"company task":      {"products:" + strings.Replace(validProduct, "INDIVIDUAL_VERIFY_IDENTITY", "COMPANY_VERIFY_IDENTITY", 1), "want a INDIVIDUAL_* task"},
		"bad variant id":    {"products:" + strings.Replace(validProduct, "5f0c3a1e", "xyz", 1), "required_tasks[0].variant_id"},
		"missing task name": {"products:" + strings.Replace(validProduct, "name: Verify identity", "name: ''", 1), "required_tasks[0].name is missing"},
		"bad duration":      {"products:" + strings.Replace(validProduct, "name: Verify identity", "name: V\n        check_duration: soon", 1), `check_duration: got "soon"`},
		"negative duration": {"products:" + strings.Replace(validProduct, "name: Verify identity", "name: V\n        check_duration: -1s", 1), `check_duration: got "-1s"`},
		"twice task": {"products:" + strings.Replace(validProduct, "        name: Verify identity", `        name: Verify identity
      - task_type: INDIVIDUAL_VERIFY_IDENTITY
        variant_id: 5f0c3a1e-7b2d-4c89-a1e0-3d4f5a6b7c01
        name: Again`, 1), "listed twice"},
		"empty role": {"products:" + strings.Replace(validProduct, "[basic_individual]", "['']", 1), "empty role name"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := Load([]byte(tc.yaml))
			require.Error(t, err, "Load: want one containing %q", tc.want)
			assert.Contains(t, err.Error(), tc.want, "Load error")
			assert.NotContains(t, err.Error(), "\n", "Load error spans several lines")
			assert.NotContains(t, err.Error(), "\r", "Load error spans several lines")
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(good, []byte("products:"+validProduct), 0o600))
	require.NoError(t, os.WriteFile(bad, []byte("products: []"), 0o600))
	c, err := LoadFile(good)
	if assert.NoError(t, err, "LoadFile(good)") {
		assert.Equal(t, 1, c.Len(), "LoadFile(good): want one product")
	}
	_, err = LoadFile(bad)
	assert.ErrorContains(t, err, bad, "LoadFile(bad): want an error naming the file")
	_, err = LoadFile(filepath.Join(dir, "missing.yaml"))
	assert.ErrorContains(t, err, "read catalog", "LoadFile(missing): want a read error")
}

func TestIsTaskType(t *testing.T) {
	for in, want := range map[string]bool{
		"INDIVIDUAL_VERIFY_IDENTITY":       true,
		"COMPANY_MERCHANT_FRAUD_SCREENING": true,
		"individual_verify_identity":       false,
		"INDIVIDUAL_":                      false,
	} {
		assert.Equal(t, want, IsTaskType(in), "IsTaskType(%q)", in)
	}
}

func TestProductsIsACopy(t *testing.T) {
	c, err := Load([]byte("products:" + validProduct))
	require.NoError(t, err)
	ps := c.Products()
	ps[0].Alias = "changed"
	p, _ := c.ByAlias("forexo_basic")
	assert.Equal(t, "forexo_basic", p.Alias, "changing Products() changed the catalog")
}

// Roles lists every role once, sorted, so an error naming the known roles
// reads the same on every run.
func TestRoles(t *testing.T) {
	c, err := Default()
	require.NoError(t, err)
	roles := c.Roles()
	assert.IsIncreasing(t, roles, "Roles: want sorted")
	assert.Contains(t, roles, "basic_individual")
	assert.Contains(t, roles, "checks_running")
	for _, r := range roles {
		_, ok := c.ForRole(r)
		assert.True(t, ok, "ForRole(%q): listed by Roles but not played", r)
	}
	n := 0
	for _, p := range c.Products() {
		n += len(p.Roles)
	}
	assert.Len(t, roles, n, "Roles: want every role of every product once")
}
