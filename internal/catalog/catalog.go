// Package catalog loads the product catalogue (spec/products.yaml): the products
// the mock offers and the product roles the suite plays with them.
//
// PassFort has no products endpoint; an account's products and the tasks their
// smart policy requires are configured in its portal. The catalogue stands in for
// that configuration in the mock, and maps the suite's roles (basic_individual,
// company, escalation, ...) to a real account's aliases when the suite runs
// against PassFort itself: decision D31 (docs/decisions.md).
package catalog

import (
	"github.com/passfort-conformance/harness/internal/boundedfile"
	"github.com/passfort-conformance/harness/internal/idshape"
	"github.com/passfort-conformance/harness/internal/timescale"

	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"sort"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/spec"
)

// Entity types a product may be offered to.
const (
	Individual = "INDIVIDUAL"
	Company    = "COMPANY"
)

// Smart-policy outcomes once all of an application's tasks pass.
const (
	// ManualReview leaves the application READY_FOR_DECISION for a user or the API.
	ManualReview = "MANUAL_REVIEW"
	// AutomaticApproval approves the application (flag DECIDED).
	AutomaticApproval = "AUTOMATIC_APPROVAL"
	// Escalate holds the application in WAITING_ON_ESCALATION until a manual approve.
	Escalate = "ESCALATE"
	// ImmediateRejection rejects a never-approved application when one of its
	// tasks fails.
	ImmediateRejection = "IMMEDIATE_REJECTION"
)

// TaskVariant is one task a product's smart policy requires.
type TaskVariant struct {
	// TaskType is the PassFort task type, e.g. INDIVIDUAL_VERIFY_IDENTITY.
	TaskType string
	// VariantID is the task variant's id (lower-case 8-4-4-4-12 hex).
	VariantID string
	// Name is the variant's display name.
	Name string
	// CheckDuration is how long the task's automated check keeps running after
	// automation completes (flag WAITING_ON_CHECKS meanwhile); 0 for none.
	CheckDuration time.Duration
	// CheckTypes are the check types that serve the task: a check of one of
	// them run without task_ids serves it, and its outcome moves the task
	// (decision D56, docs/decisions.md). None: only a check naming the task
	// in task_ids serves it.
	CheckTypes []string
}

// Product is one product of the catalogue.
type Product struct {
	// ID is the product id (lower-case 8-4-4-4-12 hex).
	ID string
	// Alias is the product alias clients send, e.g. forexo_basic.
	Alias string
	// Name is the product's display name.
	Name string
	// EntityType is INDIVIDUAL or COMPANY: the profiles that may apply.
	EntityType string
	// Roles are the suite's product roles this product plays.
	Roles []string
	// AutomaticallyApply: applied to new profiles created without applications.
	AutomaticallyApply bool
	// AutomaticallyApprove: approved by the smart policy once all tasks pass.
	AutomaticallyApprove bool
	// Outcome is the smart-policy outcome once all tasks pass (MANUAL_REVIEW,
	// AUTOMATIC_APPROVAL, ESCALATE, IMMEDIATE_REJECTION).
	Outcome string
	// NeedsRiskData: the product's risk model needs the profile's risk data
	// (dob and nationality, or a company's country of incorporation); without
	// it the application requires a risk score.
	NeedsRiskData bool
	// NeedsAddress: the product's smart policy needs the individual's address
	// (collected_data.address_history) to reach an outcome; without it the
	// application requires data (decision D58, docs/decisions.md).
	NeedsAddress bool
	// TaskExpiryDays: a passed task of this product expires this many days
	// after it passed; 0 for never.
	TaskExpiryDays int
	// RequiredTasks are the tasks the smart policy creates, in order.
	RequiredTasks []TaskVariant
}

// Catalog is a validated, read-only product catalogue. It is safe for
// concurrent use.
type Catalog struct {
	products []Product
	byAlias  map[string]int
	byID     map[string]int
	byRole   map[string]int
	// modelOptions and timeScale are the target's settings beside its
	// products (decisions D98 and D99, docs/decisions.md).
	modelOptions map[string]string
	timeScale    float64
}

// file is the YAML shape of spec/products.yaml.
type file struct {
	Products []productYAML `yaml:"products"`
	// ModelOptions sets lifecycle model options for the target, e.g.
	// revert_mode: new_application; the suite checks the names and values.
	ModelOptions map[string]string `yaml:"model_options"`
	// TimeScale stretches the features' time bounds for the target.
	TimeScale *float64 `yaml:"time_scale"`
}

type productYAML struct {
	Alias                string     `yaml:"alias"`
	ID                   string     `yaml:"id"`
	Name                 string     `yaml:"name"`
	Roles                []string   `yaml:"roles"`
	EntityType           string     `yaml:"entity_type"`
	AutomaticallyApply   bool       `yaml:"automatically_apply"`
	AutomaticallyApprove bool       `yaml:"automatically_approve"`
	Outcome              string     `yaml:"outcome"`
	NeedsRiskData        bool       `yaml:"needs_risk_data"`
	NeedsAddress         bool       `yaml:"needs_address"`
	TaskExpiryDays       int        `yaml:"task_expiry_days"`
	RequiredTasks        []taskYAML `yaml:"required_tasks"`
}

type taskYAML struct {
	TaskType      string   `yaml:"task_type"`
	VariantID     string   `yaml:"variant_id"`
	Name          string   `yaml:"name"`
	CheckDuration string   `yaml:"check_duration"`
	CheckTypes    []string `yaml:"check_types"`
}

// Default loads the embedded catalogue, spec/products.yaml.
func Default() (*Catalog, error) {
	c, err := Load(spec.Products)
	if err != nil {
		return nil, fmt.Errorf("spec/products.yaml: %w", err)
	}
	return c, nil
}

// LoadFile loads and validates the catalogue in the file at path.
func LoadFile(path string) (*Catalog, error) {
	data, err := boundedfile.Read(path, boundedfile.SpecLimit)
	if err != nil {
		return nil, fmt.Errorf("read catalog: %w", err)
	}
	c, err := Load(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Load parses and validates a catalogue. Unknown keys, duplicate aliases, ids
// or roles, ids that are not 8-4-4-4-12 hex, and unknown entity types,
// outcomes or task types are errors; each error is one line naming the product.
func Load(data []byte) (*Catalog, error) {
	var f file
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("catalog: empty document, want a products list")
		}
		return nil, fmt.Errorf("catalog: %s", oneline.Fold(err.Error()))
	}
	if len(f.Products) == 0 {
		return nil, errors.New("catalog: no products, want at least one")
	}
	if f.TimeScale != nil {
		if err := timescale.Check(*f.TimeScale); err != nil {
			return nil, fmt.Errorf("catalog: %s: %w", timescale.CatalogKey, err)
		}
	}
	for name, v := range f.ModelOptions {
		if name == "" || v == "" {
			return nil, fmt.Errorf("catalog: model_options: got %q: %q, want a model option's name and a value", name, v)
		}
	}
	c := &Catalog{
		modelOptions: f.ModelOptions, // Load's own map; ModelOptions hands out copies
		byAlias:      make(map[string]int, len(f.Products)),
		byID:         make(map[string]int, len(f.Products)),
		byRole:       make(map[string]int),
	}
	for i, py := range f.Products {
		p, err := py.product(i)
		if err != nil {
			return nil, err
		}
		name := p.Alias
		if j, dup := c.byAlias[p.Alias]; dup {
			return nil, fmt.Errorf("product %q: alias already used by product #%d", name, j+1)
		}
		if j, dup := c.byID[p.ID]; dup {
			return nil, fmt.Errorf("product %q: id %s already used by product %q", name, p.ID, c.products[j].Alias)
		}
		for _, r := range p.Roles {
			if j, dup := c.byRole[r]; dup {
				return nil, fmt.Errorf("product %q: role %q already played by product %q", name, r, c.products[j].Alias)
			}
			c.byRole[r] = len(c.products)
		}
		c.byAlias[p.Alias] = len(c.products)
		c.byID[p.ID] = len(c.products)
		c.products = append(c.products, p)
	}
	if f.TimeScale != nil {
		c.timeScale = *f.TimeScale
	}
	return c, nil
}

func (py productYAML) product(i int) (Product, error) {
	name := py.Alias
	if name == "" {
		name = fmt.Sprintf("#%d", i+1)
	}
	fail := func(format string, args ...any) (Product, error) {
		return Product{}, fmt.Errorf("product %q: "+format, append([]any{name}, args...)...)
	}
	switch {
	case py.Alias == "":
		return fail("alias is missing")
	case !idshape.IsLower(py.ID):
		return fail("id: got %q, want lower-case 8-4-4-4-12 hex", py.ID)
	case py.Name == "":
		return fail("name is missing")
	case py.EntityType != Individual && py.EntityType != Company:
		return fail("entity_type: got %q, want INDIVIDUAL or COMPANY", py.EntityType)
	case !knownOutcome(py.Outcome):
		return fail("outcome: got %q, want MANUAL_REVIEW, AUTOMATIC_APPROVAL, ESCALATE or IMMEDIATE_REJECTION", py.Outcome)
	case py.AutomaticallyApprove != (py.Outcome == AutomaticApproval):
		return fail("automatically_approve is %t but outcome is %s: want true exactly with AUTOMATIC_APPROVAL", py.AutomaticallyApprove, py.Outcome)
	case py.TaskExpiryDays < 0:
		return fail("task_expiry_days: got %d, want 0 or more", py.TaskExpiryDays)
	case len(py.RequiredTasks) == 0:
		return fail("required_tasks is empty, want at least one task")
	case py.NeedsAddress && py.EntityType != Individual:
		return fail("needs_address is for an INDIVIDUAL product: a company's address is not modelled")
	}
	for _, r := range py.Roles {
		if r == "" {
			return fail("roles: empty role name")
		}
	}
	p := Product{
		ID: py.ID, Alias: py.Alias, Name: py.Name, EntityType: py.EntityType,
		Roles:                append([]string(nil), py.Roles...),
		AutomaticallyApply:   py.AutomaticallyApply,
		AutomaticallyApprove: py.AutomaticallyApprove,
		Outcome:              py.Outcome,
		NeedsRiskData:        py.NeedsRiskData,
		NeedsAddress:         py.NeedsAddress,
		TaskExpiryDays:       py.TaskExpiryDays,
	}
	seen := make(map[string]bool, len(py.RequiredTasks))
	for j, t := range py.RequiredTasks {
		switch {
		case !IsTaskType(t.TaskType):
			return fail("required_tasks[%d].task_type: got %q, want a PassFort task type", j, t.TaskType)
		case !entityOfTask(t.TaskType, py.EntityType):
			return fail("required_tasks[%d].task_type: got %s, want a %s_* task for a %s product", j, t.TaskType, py.EntityType, py.EntityType)
		case seen[t.TaskType]:
			return fail("required_tasks[%d].task_type: %s listed twice", j, t.TaskType)
		case !idshape.IsLower(t.VariantID):
			return fail("required_tasks[%d].variant_id: got %q, want lower-case 8-4-4-4-12 hex", j, t.VariantID)
		case t.Name == "":
			return fail("required_tasks[%d].name is missing", j)
		}
		seen[t.TaskType] = true
		var d time.Duration
		if t.CheckDuration != "" {
			var err error
			if d, err = time.ParseDuration(t.CheckDuration); err != nil || d < 0 {
				return fail("required_tasks[%d].check_duration: got %q, want a non-negative Go duration such as 250ms", j, t.CheckDuration)
			}
		}
		for k, ct := range t.CheckTypes {
			if ct == "" || strings.ToUpper(ct) != ct {
				return fail("required_tasks[%d].check_types[%d]: got %q, want an upper-case check type such as IDENTITY_CHECK", j, k, ct)
			}
		}
		p.RequiredTasks = append(p.RequiredTasks, TaskVariant{TaskType: t.TaskType, VariantID: t.VariantID, Name: t.Name,
			CheckDuration: d, CheckTypes: append([]string(nil), t.CheckTypes...)})
	}
	return p, nil
}

// Products returns the products in file order. The slice is a copy; the
// products' slices are shared and must not be modified.
func (c *Catalog) Products() []Product {
	return append([]Product(nil), c.products...)
}

// ModelOptions returns the lifecycle model options the catalogue sets for
// its target, by name (a copy); nil when it sets none. Their names and
// values are checked against the model by the suite.
func (c *Catalog) ModelOptions() map[string]string { return maps.Clone(c.modelOptions) }

// TimeScale returns the scale the catalogue sets for its target's time
// bounds (above 0, at most timescale.Max), or 0 when it sets none.
func (c *Catalog) TimeScale() float64 { return c.timeScale }

// Len returns the number of products.
func (c *Catalog) Len() int { return len(c.products) }

// At returns the i-th product in file order (0 <= i < Len()).
func (c *Catalog) At(i int) Product { return c.products[i] }

// Index returns the position of the product with the given id, or -1.
func (c *Catalog) Index(id string) int {
	if i, ok := c.byID[id]; ok {
		return i
	}
	return -1
}

// ByAlias returns the product with the given alias.
func (c *Catalog) ByAlias(alias string) (Product, bool) {
	i, ok := c.byAlias[alias]
	if !ok {
		return Product{}, false
	}
	return c.products[i], true
}

// ByID returns the product with the given id.
func (c *Catalog) ByID(id string) (Product, bool) {
	i, ok := c.byID[id]
	if !ok {
		return Product{}, false
	}
	return c.products[i], true
}

// ForRole returns the product that plays the suite's product role.
func (c *Catalog) ForRole(role string) (Product, bool) {
	i, ok := c.byRole[role]
	if !ok {
		return Product{}, false
	}
	return c.products[i], true
}

// Roles returns the product roles the catalogue's products play, sorted.
func (c *Catalog) Roles() []string {
	out := make([]string, 0, len(c.byRole))
	for r := range c.byRole {
		out = append(out, r)
	}
	sort.Strings(out)
	return out
}

func knownOutcome(o string) bool {
	switch o {
	case ManualReview, AutomaticApproval, Escalate, ImmediateRejection:
		return true
	}
	return false
}

func entityOfTask(taskType, entity string) bool {
	return len(taskType) > len(entity) && taskType[:len(entity)] == entity && taskType[len(entity)] == '_'
}

// IsTaskType reports whether t is one of PassFort's task types (API 4.0).
func IsTaskType(t string) bool {
	switch t {
	case "INDIVIDUAL_VERIFY_IDENTITY",
		"INDIVIDUAL_VERIFY_ADDRESS",
		"INDIVIDUAL_VERIFY_SOURCE_OF_FUNDS",
		"INDIVIDUAL_ASSESS_MEDIA_AND_POLITICAL_AND_SANCTIONS_EXPOSURE",
		"INDIVIDUAL_ASSESS_POLITICAL_AND_SANCTIONS_EXPOSURE",
		"INDIVIDUAL_ASSESS_POLITICAL_EXPOSURE",
		"INDIVIDUAL_ASSESS_SANCTIONS_EXPOSURE",
		"INDIVIDUAL_VERIFY_BANK_ACCOUNT",
		"INDIVIDUAL_VERIFY_IMMIGRATION_STATUS",
		"INDIVIDUAL_MANUAL_TASK",
		"INDIVIDUAL_ASSESS_DEVICE_REPUTATION",
		"INDIVIDUAL_FRAUD_SCREENING",
		"INDIVIDUAL_VERIFY_TAX_STATUS",
		"COMPANY_VERIFY_IDENTITY",
		"COMPANY_VERIFY_ADDRESS",
		"COMPANY_VERIFY_CHARITY",
		"COMPANY_IDENTIFY_AUTHORIZED_PERSONS",
		"COMPANY_IDENTIFY_OFFICERS",
		"COMPANY_IDENTIFY_TRUSTEES",
		"COMPANY_IDENTIFY_BENEFICIAL_OWNERS",
		"COMPANY_REVIEW_FILINGS",
		"COMPANY_ASSESS_SANCTIONS_EXPOSURE",
		"COMPANY_ASSESS_MEDIA_EXPOSURE",
		"COMPANY_ASSESS_MEDIA_AND_SANCTIONS_EXPOSURE",
		"COMPANY_MANUAL_TASK",
		"COMPANY_VERIFY_BANK_ACCOUNT",
		"COMPANY_VERIFY_TAX_STATUS",
		"COMPANY_ASSESS_FINANCIALS",
		"COMPANY_FRAUD_SCREENING",
		"COMPANY_MERCHANT_FRAUD_SCREENING":
		return true
	}
	return false
}
