package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	basic, ok := c.ByAlias("forexo_basic")
	if !ok {
		t.Fatal("ByAlias(forexo_basic): not found")
	}
	if basic.ID != "b0ce7c17-2cab-86e7-9a83-ebee0d4d5dc8" || basic.Name != "Forexo Basic Account" || basic.AutomaticallyApprove {
		t.Errorf("forexo_basic = %+v; want the guide's product", basic)
	}
	if len(basic.RequiredTasks) != 1 || basic.RequiredTasks[0].TaskType != "INDIVIDUAL_VERIFY_IDENTITY" {
		t.Errorf("forexo_basic tasks = %+v; want one INDIVIDUAL_VERIFY_IDENTITY", basic.RequiredTasks)
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
		if !ok {
			t.Errorf("ForRole(%q): no product", role)
			continue
		}
		if !fits(p) {
			t.Errorf("ForRole(%q) = %s, which does not fit the role: %+v", role, p.Alias, p)
		}
	}
	for _, p := range c.Products() {
		if byID, ok := c.ByID(p.ID); !ok || byID.Alias != p.Alias {
			t.Errorf("ByID(%s) = %v, %v; want %s", p.ID, byID.Alias, ok, p.Alias)
		}
		if c.At(c.Index(p.ID)).Alias != p.Alias {
			t.Errorf("At(Index(%s)) is not %s", p.ID, p.Alias)
		}
	}
	if c.Index("00000000-0000-0000-0000-000000000000") != -1 {
		t.Error("Index(unknown) != -1")
	}
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
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.Len() != 2 {
		t.Fatalf("Len = %d; want 2", c.Len())
	}
	biz, ok := c.ForRole("other")
	if !ok || biz.Alias != "biz" {
		t.Fatalf("ForRole(other) = %v, %v; want biz", biz.Alias, ok)
	}
	want := Product{ID: "2d0f6b38-51e4-4a7c-9f32-ab8c4d6e3f05", Alias: "biz", Name: "Biz", EntityType: Company,
		AutomaticallyApply: true, AutomaticallyApprove: true, Outcome: AutomaticApproval, NeedsRiskData: true, TaskExpiryDays: 20}
	got := biz
	got.Roles, got.RequiredTasks = nil, nil
	if got.ID != want.ID || got.Alias != want.Alias || got.Name != want.Name || got.EntityType != want.EntityType ||
		got.AutomaticallyApply != want.AutomaticallyApply || got.AutomaticallyApprove != want.AutomaticallyApprove ||
		got.Outcome != want.Outcome || got.NeedsRiskData != want.NeedsRiskData || got.TaskExpiryDays != want.TaskExpiryDays {
		t.Errorf("biz = %+v; want %+v", got, want)
	}
	if len(biz.Roles) != 2 || biz.Roles[1] != "other" {
		t.Errorf("biz roles = %v; want [company other]", biz.Roles)
	}
	if len(biz.RequiredTasks) != 1 || biz.RequiredTasks[0].CheckDuration != 250*time.Millisecond || biz.RequiredTasks[0].Name != "Verify company" {
		t.Errorf("biz tasks = %+v; want one task with a 250ms check", biz.RequiredTasks)
	}
	if _, ok := c.ByAlias("nope"); ok {
		t.Error("ByAlias(nope) found a product")
	}
	if _, ok := c.ByID("nope"); ok {
		t.Error("ByID(nope) found a product")
	}
	if _, ok := c.ForRole("nope"); ok {
		t.Error("ForRole(nope) found a product")
	}
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
			if err == nil {
				t.Fatalf("Load: no error; want one containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Load error = %q; want it to contain %q", err, tc.want)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("Load error spans several lines: %q", err)
			}
		})
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(good, []byte("products:"+validProduct), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bad, []byte("products: []"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err := LoadFile(good); err != nil || c.Len() != 1 {
		t.Errorf("LoadFile(good) = %v, %v; want one product", c, err)
	}
	if _, err := LoadFile(bad); err == nil || !strings.Contains(err.Error(), bad) {
		t.Errorf("LoadFile(bad) error = %v; want one naming the file", err)
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "read catalog") {
		t.Errorf("LoadFile(missing) error = %v; want a read error", err)
	}
}

func TestIsTaskType(t *testing.T) {
	for in, want := range map[string]bool{
		"INDIVIDUAL_VERIFY_IDENTITY":       true,
		"COMPANY_MERCHANT_FRAUD_SCREENING": true,
		"individual_verify_identity":       false,
		"INDIVIDUAL_":                      false,
	} {
		if got := IsTaskType(in); got != want {
			t.Errorf("IsTaskType(%q) = %t; want %t", in, got, want)
		}
	}
}

func TestProductsIsACopy(t *testing.T) {
	c, err := Load([]byte("products:" + validProduct))
	if err != nil {
		t.Fatal(err)
	}
	ps := c.Products()
	ps[0].Alias = "changed"
	if p, _ := c.ByAlias("forexo_basic"); p.Alias != "forexo_basic" {
		t.Errorf("changing Products() changed the catalog: %q", p.Alias)
	}
}
