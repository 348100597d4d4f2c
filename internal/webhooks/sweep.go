package webhooks

import (
	"container/heap"
	"time"
)

// ChangeDue has the sweeper work out a profile's next time-driven change
// when it is due, while a webhook is set.
func (h *Hooks) ChangeDue(profileID string, at time.Time) {
	if !h.on.Load() {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.schedule(profileID, at.UnixNano())
}

// schedule (with h.mu held) puts a profile in the sweeper's queue at at,
// unless it is there for an earlier time, and starts or wakes the sweeper.
func (h *Hooks) schedule(profileID string, at int64) {
	select {
	case <-h.closed:
		return
	default:
	}
	if cur, ok := h.sched[profileID]; ok && cur <= at {
		return
	}
	h.sched[profileID] = at
	heap.Push(&h.due, dueEntry{at: at, profile: profileID})
	if !h.sweeping {
		h.sweeping = true
		go h.sweep()
		return
	}
	if h.due[0].profile == profileID && h.due[0].at == at {
		select {
		case h.wake <- struct{}{}:
		default:
		}
	}
}

// sweep has the watched profiles' changes worked out as they fall due,
// waiting on the clock until the earliest; it ends when none is left, no
// webhook is set or Hooks is closed.
func (h *Hooks) sweep() {
	for {
		h.mu.Lock()
		if len(h.due) == 0 || !h.on.Load() {
			h.due, h.sched, h.sweeping = nil, map[string]int64{}, false
			h.mu.Unlock()
			return
		}
		top := h.due[0]
		now := h.clock.Now().UnixNano()
		if top.at > now {
			h.mu.Unlock()
			wait := min(time.Duration(top.at-now), maxSweepWait)
			select {
			case <-h.closed:
				return
			case <-h.wake:
			case <-h.clock.After(wait):
			}
			continue
		}
		heap.Pop(&h.due)
		stale := h.sched[top.profile] != top.at
		if !stale {
			delete(h.sched, top.profile)
		}
		h.mu.Unlock()
		if stale {
			continue // the profile was scheduled again, for an earlier time
		}
		// The API works the changes out and tells ChangeDue of the next one.
		h.api.WorkOutDue(top.profile)
	}
}

// dueHeap orders watched profiles by the time of their next change.
type dueEntry struct {
	at      int64 // Unix ns
	profile string
}

type dueHeap []dueEntry

func (d dueHeap) Len() int           { return len(d) }
func (d dueHeap) Less(i, j int) bool { return d[i].at < d[j].at }
func (d dueHeap) Swap(i, j int)      { d[i], d[j] = d[j], d[i] }
func (d *dueHeap) Push(x any)        { *d = append(*d, x.(dueEntry)) }
func (d *dueHeap) Pop() any {
	old := *d
	e := old[len(old)-1]
	*d = old[:len(old)-1]
	return e
}
