package mock

import (
	"fmt"
	"math"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
)

// never is the time of an event that is not pending.
const never stamp = math.MaxInt64

// numShards splits the profile index so that concurrent requests for
// different profiles rarely meet on a lock; reads take only read locks.
const numShards = 64

// store is the mock's in-memory database: profiles by id, sharded.
type store struct {
	shards [numShards]shard
	seq    atomic.Uint64 // creation order, for newest-first listing

	// Limits (decision D82, docs/decisions.md); 0 or less means none.
	maxProfiles int64
	maxBytes    int64        // bytes of storedKinds in all profiles
	profiles    atomic.Int64 // profiles stored, deleted ones not counted
	bytes       atomic.Int64 // bytes of storedKinds they hold
	// Per-profile limits (decision D92, appbounds.go); 0 or less means none.
	maxApps    int // applications a profile holds, hidden ones included
	maxHistory int // entries of an application's history, and of its flag_history
}

// storedKinds names what counts against -max-stored-bytes, for the 507 that
// refuses more of it: a user who meets the limit sees what fills the store.
const storedKinds = "collected data, images, files, checks' input and output data and application records"

// storageFull is the answer when a limit of the store is reached: 507 with
// the envelope (decision D82, docs/decisions.md). Nothing stored changes.
func storageFull(format string, args ...any) *apiError {
	return &apiError{status: http.StatusInsufficientStorage, code: codeInvalidInputData, message: fmt.Sprintf(format, args...)}
}

// admit reserves room for one more profile holding n bytes of collected
// data, or refuses with storageFull; put must follow an admit.
func (s *store) admit(n int) *apiError {
	if c := s.profiles.Add(1); s.maxProfiles > 0 && c > s.maxProfiles {
		s.profiles.Add(-1)
		return storageFull("The mock holds %d profiles, its limit (-max-profiles): delete some, or start it with a higher limit", s.maxProfiles)
	}
	if e := s.grow(n); e != nil {
		s.profiles.Add(-1)
		return e
	}
	return nil
}

// grow reserves delta more bytes of storedKinds (a negative delta frees
// them), or refuses with storageFull.
func (s *store) grow(delta int) *apiError {
	if b := s.bytes.Add(int64(delta)); delta > 0 && s.maxBytes > 0 && b > s.maxBytes {
		s.bytes.Add(-int64(delta))
		return storageFull("The mock holds %d bytes of "+storedKinds+"; %d more would pass its limit of %d (-max-stored-bytes): delete profiles, or start it with a higher limit", b-int64(delta), delta, s.maxBytes)
	}
	return nil
}

// release frees what a removed profile held.
func (s *store) release(n int) {
	s.profiles.Add(-1)
	s.bytes.Add(-int64(n))
}

type shard struct {
	mu sync.RWMutex
	m  map[id]*profile
}

func newStore() *store {
	s := &store{}
	for i := range s.shards {
		s.shards[i].m = make(map[id]*profile)
	}
	return s
}

func (s *store) shard(x id) *shard { return &s.shards[x[15]%numShards] }

func (s *store) get(x id) *profile {
	sh := s.shard(x)
	sh.mu.RLock()
	p := sh.m[x]
	sh.mu.RUnlock()
	return p
}

func (s *store) put(p *profile) {
	p.seq = s.seq.Add(1)
	sh := s.shard(p.id)
	sh.mu.Lock()
	sh.m[p.id] = p
	sh.mu.Unlock()
}

func (s *store) remove(x id) {
	sh := s.shard(x)
	sh.mu.Lock()
	delete(sh.m, x)
	sh.mu.Unlock()
}

// search returns the profiles that match, newest first.
func (s *store) search(match func(*profile) bool) []*profile {
	var out []*profile
	for i := range s.shards {
		sh := &s.shards[i]
		sh.mu.RLock()
		for _, p := range sh.m {
			if match(p) {
				out = append(out, p)
			}
		}
		sh.mu.RUnlock()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].seq > out[j].seq })
	return out
}

// profile is one stored profile. Every field but the immutable ones (id, seq,
// created, role) is guarded by mu.
type profile struct {
	mu sync.RWMutex

	id          id
	seq         uint64
	created     stamp
	role        uint8
	riskData    bool   // the data a product's risk model needs is present
	hasAddress  bool   // personal_details.address_history has an entry (decision D58)
	riskUntil   stamp  // while a risk recalculation runs, when it ends; 0 for none
	displayName string // derived from collected data at creation
	lowerName   string // displayName in lower case, for search
	collected   []byte // the collected_data object as sent, compacted

	deleted bool
	status  uint8 // NORMAL, SUSPENDED, BANNED
	last    stamp // the latest change: history dates never go back
	next    stamp // the earliest pending timed event, never if none
	apps    []application
	tasks   []task
	events  []event

	// The rest of the public API (state.go).
	cdVersion uint64       // bumped by each replace of the collected data: the ETag
	checks    []check      // oldest first
	images    []image      // oldest first
	files     []file       // oldest first
	tags      []*tag       // the account's tags the profile carries, in tagging order
	steps     []byte       // the collection steps as a compact JSON array; nil: none
	audit     []auditEntry // oldest first, at most maxAudit (the oldest are dropped)
}

// application is one product application of a profile.
type application struct {
	id           id
	product      uint16 // index in the catalogue
	assocRole    uint8  // index in associatedRoleNames; 0 for none
	status       uint8
	flag         uint8
	hidden       bool
	everApproved bool
	automated    bool    // automation has completed
	automationAt stamp   // when automation completes
	tasks        []uint8 // indexes in profile.tasks of the required tasks, in product order
	history      []historyEntry
	flags        []flagEntry
}

type historyEntry struct {
	at         stamp
	status     uint8
	hasComment bool
	comment    string
}

type flagEntry struct {
	at     stamp
	status uint8
	flag   uint8
}

// Stages of a task's expiry.
const (
	expiryNone    uint8 = iota // not passed, or nothing processed yet
	expiryNearing              // within 30 days of will_expire_at
	expiryExpired              // will_expire_at has passed
)

// task is one task of a profile (one per task type), shared by the
// applications that require its type.
type task struct {
	id           id
	product      uint16 // catalogue index of the product whose variant created it
	variant      uint8  // index of the variant in that product's RequiredTasks
	state        uint8
	created      stamp
	checkRunning bool
	checkAt      stamp // when the running check finishes
	expiresAt    stamp // 0: never
	nearingAt    stamp // when NEARING_EXPIRY starts (expiresAt - 30 days, not before it passed)
	expiry       uint8 // an expired task is INCOMPLETE again, with is_expired true
	checkIDs     []id
	adhocType    string // the type of an ad-hoc task (product is noProduct)
	notes        []note // oldest first
}

// noProduct is the product of an ad-hoc task, which no product's variant made.
const noProduct = 0xFFFF

// passed reports whether the task counts as passed.
func (t *task) passed() bool { return t.state == taskPassed }

// event is one profile event (a monitoring hit and its resolution).
type event struct {
	id         id
	created    stamp
	etype      uint8
	resolution uint8
	hasReason  bool
	reason     string
	resolvedAt stamp // 0 while unresolved
	taskIDs    []id
	data       []byte // the data object as sent, compacted
}

func (p *profile) app(x id) *application {
	for i := range p.apps {
		if p.apps[i].id == x {
			return &p.apps[i]
		}
	}
	return nil
}

func (p *profile) unresolvedEvents() int {
	n := 0
	for i := range p.events {
		if p.events[i].resolution == resolutionUnresolved {
			n++
		}
	}
	return n
}

// open reports whether an application still counts for duplicates, blockers
// and events: not hidden, not REJECTED or CANCELLED.
func (a *application) open() bool {
	return !a.hidden && a.status != statusRejected && a.status != statusCancelled
}

// clamp returns the time a change made at now is recorded with: never before
// the profile's latest change, so histories stay ordered.
func (p *profile) clamp(now stamp) stamp {
	if now < p.last {
		return p.last
	}
	return now
}

// Kinds of timed event, in the order they are processed when due at the same time.
const (
	timedAutomation = iota
	timedCheck
	timedCheckDone
	timedRisk
	timedNearing
	timedExpiry
)

// nextTimed returns the earliest pending timed event of the profile.
func (p *profile) nextTimed() (at stamp, kind, i int) {
	at = never
	for j := range p.apps {
		a := &p.apps[j]
		if !a.automated && a.automationAt < at {
			at, kind, i = a.automationAt, timedAutomation, j
		}
	}
	if p.riskUntil != 0 && p.riskUntil < at {
		at, kind, i = p.riskUntil, timedRisk, 0
	}
	for j := range p.checks {
		if c := &p.checks[j]; !c.applied && c.doneAt < at {
			at, kind, i = c.doneAt, timedCheckDone, j
		}
	}
	for j := range p.tasks {
		t := &p.tasks[j]
		if t.checkRunning && t.checkAt < at {
			at, kind, i = t.checkAt, timedCheck, j
		}
		if t.expiresAt > 0 && t.state == taskPassed {
			if t.expiry == expiryNone && t.nearingAt < at {
				at, kind, i = t.nearingAt, timedNearing, j
			}
			if t.expiry == expiryNearing && t.expiresAt < at {
				at, kind, i = t.expiresAt, timedExpiry, j
			}
		}
	}
	return at, kind, i
}

// storedBytes is what p holds against the store's byte limit: its collected
// data, its images' and files' content, its checks' input_data and
// output_data, and its applications' records. The
// caller holds p.mu.
func (p *profile) storedBytes() int {
	n := len(p.collected)
	for i := range p.images {
		n += len(p.images[i].data)
	}
	for i := range p.files {
		n += len(p.files[i].data)
	}
	for i := range p.checks {
		n += p.checks[i].storedBytes()
	}
	for i := range p.apps {
		n += p.apps[i].recordsCost()
	}
	return n
}
