package mock

import (
	"encoding/json"
	"strconv"
)

// The records of the operations beyond the application lifecycle: checks,
// document images, files, task notes, tags and the audit trail. Like the
// rest of a profile they are guarded by the profile's lock.

// Bounds of a profile's collections (decision D52, docs/decisions.md): an
// addition past a bound is 400 with code 201; the audit trail keeps its
// newest maxAudit items.
const (
	maxChecks       = 200
	maxImages       = 50
	maxFiles        = 50
	maxNotes        = 100 // per task
	maxProfileTags  = 50
	maxAccountTags  = 10_000
	maxSteps        = 50
	maxDocuments    = 50
	maxTasks        = 255 // application task indexes are uint8
	maxAudit        = 1000
	maxContentBytes = 256 << 10 // an image's or a file's decoded content
)

// check is one check run on a profile. Its state is not stored: it is PENDING
// before startAt, RUNNING before doneAt and COMPLETE from then on, read off
// the clock like the other time-driven changes (decision D52).
type check struct {
	id        id
	ctype     string
	variant   *checkVariantJSON // nil: none named
	at        stamp             // instructed_on
	startAt   stamp
	doneAt    stamp
	decision  string // when COMPLETE
	result    string
	errs      []checkErrorJSON
	taskIDs   []id // the tasks the check serves: a completed check can update them
	external  bool
	output    []byte // output_data as sent, compact; nil if none
	input     []byte // input_data: what it ran on, compact (decision D124)
	providers []checkProviderJSON
	performed stamp // performed_on once COMPLETE: its doneAt, or the original's for a copy
	manualFor id    // the check an approve or reject copied; zero if none
	applied   bool  // its outcome has moved its tasks (decision D56)
}

// storedBytes is what the check charges to the store's byte limit: the
// collected data it ran on and the output_data a client sent for it; the
// profile's storedBytes frees the same when the profile goes.
func (c *check) storedBytes() int { return len(c.input) + len(c.output) }

// image is one uploaded document image.
type image struct {
	id        id
	at        stamp
	imageType string
	provRef   *string
	data      string // the data: URI it is read back as (decision D113)
	docType   string // set when a document uses the image
	docCat    string
}

// file is one uploaded file.
type file struct {
	id   id
	name string
	data string // the data: URI it is read back as (decision D114)
}

// note is one note of a task.
type note struct {
	id          id
	at          stamp
	text        string
	attachments []id
}

// tag is one tag of the account; profiles share it.
type tag struct {
	id    id
	name  string
	lower string
}

// auditEntry is one item of a profile's audit trail.
type auditEntry struct {
	n       uint64 // 1 for the profile's first item: the id derives from it
	auto    bool   // automation acted, not the API key
	at      stamp
	action  string
	message string
	detail  string // appended to message after a space: callers need not concatenate
	ref     string // ref_data's key, "" for none
	refID   id
}

// record adds an item to the profile's trail (decision D46); the first item,
// created-profile, is not stored: it derives from the profile.
func (p *profile) record(t stamp, action, message, detail, ref string, refID id) {
	p.recordBy(false, t, action, message, detail, ref, refID)
}

// recordBy is record, saying whether automation (not the API key) acted.
func (p *profile) recordBy(auto bool, t stamp, action, message, detail, ref string, refID id) {
	n := uint64(1)
	if k := len(p.audit); k > 0 {
		n = p.audit[k-1].n + 1
	}
	if len(p.audit) == maxAudit {
		copy(p.audit, p.audit[1:])
		p.audit = p.audit[:maxAudit-1]
	}
	p.audit = append(p.audit, auditEntry{n: n, auto: auto, at: t, action: action, message: message, detail: detail, ref: ref, refID: refID})
}

// derivedID makes a deterministic id from a parent id and a number without
// drawing from the mock's id sequence, so that adding audit items does not
// change the ids of everything made after them.
func derivedID(parent id, n uint64) id {
	var out id
	a := splitmix(uint64(parent[0])<<56 ^ uint64(parent[7])<<48 ^ uint64(parent[15])<<40 ^ n)
	b := splitmix(a ^ uint64(parent[3])<<32 ^ uint64(parent[11]))
	for i := range 8 {
		out[i] = byte(a >> (8 * i))
		out[8+i] = byte(b >> (8 * i))
	}
	out[6] = out[6]&0x0f | 0x40
	out[8] = out[8]&0x3f | 0x80
	return out
}

// JSON shapes of the new resources, encoded with encoding/json: none is on a
// hot path, and a profile without them encodes them as literals.

type checkVariantJSON struct {
	ID    string `json:"id"`
	Alias string `json:"alias,omitempty"`
	Name  string `json:"name,omitempty"`
}

type checkErrorJSON struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Source  string `json:"source"`
}

type checkJSON struct {
	ID                   string              `json:"id"`
	CheckType            string              `json:"check_type"`
	Variant              *checkVariantJSON   `json:"variant,omitempty"`
	State                string              `json:"state"`
	Decision             string              `json:"decision,omitempty"`
	Result               string              `json:"result,omitempty"`
	InstructedOn         string              `json:"instructed_on"`
	StartedOn            string              `json:"started_on,omitempty"`
	CompletedOn          string              `json:"completed_on,omitempty"`
	Errors               []checkErrorJSON    `json:"errors"`
	TaskIDs              []string            `json:"task_ids"`
	InstructedExternally bool                `json:"instructed_externally"`
	PerformedOn          string              `json:"performed_on,omitempty"`
	Providers            []checkProviderJSON `json:"providers"`
	InputData            json.RawMessage     `json:"input_data,omitempty"`
	OutputData           json.RawMessage     `json:"output_data,omitempty"`
}

// checkProviderJSON is a provider a check asked (decision D124).
type checkProviderJSON struct {
	ProviderName string `json:"provider_name"`
	VariantName  string `json:"variant_name"`
	IsMonitored  bool   `json:"is_monitored"`
}

func renderCheck(c *check, now stamp) checkJSON {
	out := checkJSON{
		ID: c.id.String(), CheckType: c.ctype, Variant: c.variant, InstructedOn: dateTime(c.at),
		Errors: []checkErrorJSON{}, TaskIDs: idStrings(c.taskIDs), InstructedExternally: c.external,
		Providers: c.providers, InputData: c.input, OutputData: c.output,
	}
	switch {
	case now < c.startAt:
		out.State = "PENDING"
	case now < c.doneAt:
		out.State = "RUNNING"
		out.StartedOn = dateTime(c.startAt)
	default:
		out.State = "COMPLETE"
		out.StartedOn, out.CompletedOn = dateTime(c.startAt), dateTime(c.doneAt)
		out.PerformedOn = dateTime(c.performed)
		out.Decision, out.Result = c.decision, c.result
		if len(c.errs) > 0 {
			out.Errors = c.errs
		}
	}
	return out
}

func idStrings(xs []id) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = x.String()
	}
	return out
}

type imageJSON struct {
	ID                string  `json:"id"`
	ImageType         string  `json:"image_type,omitempty"`
	UploadDate        string  `json:"upload_date"`
	ProviderReference *string `json:"provider_reference,omitempty"`
	DocumentType      string  `json:"document_type,omitempty"`
	DocumentCategory  string  `json:"document_category,omitempty"`
	DecryptedData     string  `json:"decrypted_data,omitempty"`
}

func renderImage(im *image, full bool) imageJSON {
	out := imageJSON{ID: im.id.String(), ImageType: im.imageType, UploadDate: dateTime(im.at),
		ProviderReference: im.provRef, DocumentType: im.docType, DocumentCategory: im.docCat}
	if full {
		out.DecryptedData = im.data
	}
	return out
}

type fileJSON struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	DecryptedData string `json:"decrypted_data,omitempty"` // a single file's read only
}

type tagJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	IsAutomatic bool   `json:"is_automatic"`
}

func renderTag(t *tag) tagJSON { return tagJSON{ID: t.id.String(), Name: t.name} }

type apiKeyJSON struct {
	Name string `json:"name"`
}

type auditJSON struct {
	ID        string            `json:"id"`
	ProfileID string            `json:"profileID"`
	Action    string            `json:"action"`
	User      *struct{}         `json:"user"`
	APIKey    *apiKeyJSON       `json:"apikey"`
	Timestamp int64             `json:"timestamp"`
	Message   *string           `json:"message"`
	RefData   map[string]string `json:"ref_data"`
}

// mockKeyName names the mock's API key where PassFort names the key that acted.
const mockKeyName = "PassFort mock API key"

// appendProfileExtras appends the profile keys of the operations beyond the
// lifecycle (decision D50); a profile without any encodes literals only.
func (s *Server) appendProfileExtras(b []byte, p *profile, now stamp) []byte {
	b = appendList(appendKey(b, "checks", false), len(p.checks), func(i int) checkJSON { return renderCheck(&p.checks[i], now) })
	b = appendKey(b, "collection_steps", false)
	if p.steps == nil {
		b = append(b, "[]"...)
	} else {
		b = append(b, p.steps...)
	}
	b = appendList(appendKey(b, "document_images", false), len(p.images), func(i int) imageJSON { return renderImage(&p.images[i], false) })
	b = appendList(appendKey(b, "tags", false), len(p.tags), func(i int) tagJSON { return renderTag(p.tags[i]) })
	b = appendKey(b, "risk", false)
	b = append(b, "null"...)
	b = appendKey(b, "has_collection_steps", false)
	b = appendBool(b, p.steps != nil)
	b = appendKey(b, "linked_to", false)
	b = append(b, "[]"...)
	// Nothing is verified on the demo account, but the object names the
	// entity it is about, as PassFort's verified data always does.
	b = appendKey(b, "verified_data", false)
	b = append(b, `{"entity_type":"`...)
	b = append(b, roleEntity(p.role)...)
	return append(b, `"}`...)
}

// noExtras is appendProfileExtras of a profile without checks, steps,
// images or tags, by role: most profiles, encoded once.
var noExtras = func() (out [len(roleNames)][]byte) {
	for r := range out {
		out[r] = (&Server{}).appendProfileExtras(nil, &profile{role: uint8(r)}, 0)
	}
	return out
}()

// profileExtras returns the encoded extra keys of p.
func (s *Server) profileExtras(p *profile, now stamp) []byte {
	if len(p.checks) == 0 && p.steps == nil && len(p.images) == 0 && len(p.tags) == 0 {
		return noExtras[p.role]
	}
	return s.appendProfileExtras(nil, p, now)
}

// appendList appends n items, each made by render, as a JSON array.
func appendList[T any](b []byte, n int, render func(int) T) []byte {
	if n == 0 {
		return append(b, "[]"...)
	}
	out := make([]T, n)
	for i := range out {
		out[i] = render(i)
	}
	return appendMarshal(b, out)
}

// appendMarshal appends v as encoding/json encodes it.
func appendMarshal(b []byte, v any) []byte {
	raw, err := json.Marshal(v)
	if err != nil { // only a bug: every value is a struct of this package
		return append(b, "null"...)
	}
	return append(b, raw...)
}

// etag names a version of the collected data (decision D40).
func (p *profile) etag() string {
	return `W/"` + strconv.FormatInt(p.created/1e9, 10) + "." + strconv.FormatUint(p.cdVersion, 10) + `"`
}
