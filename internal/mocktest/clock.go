// Package mocktest is what the tests of the mock and of its capabilities
// share: a clock that moves only when told, and Env, one mock under test
// whose every exchange is held against the contract and the lifecycle model
// when the test ends.
package mocktest

import (
	"sync"
	"time"
)

// Start is where a Clock starts.
var Start = time.Date(2024, 5, 14, 9, 30, 12, 0, time.UTC)

// Clock is a test clock that moves only when told. Its timers (After) fire
// when Advance moves it past them, so code that waits on it waits for the
// test, never for the wall clock.
type Clock struct {
	mu     sync.Mutex
	t      time.Time
	timers []timer
}

type timer struct {
	at time.Time
	c  chan time.Time
}

// NewClock returns a clock at Start.
func NewClock() *Clock { return &Clock{t: Start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock by d and fires the timers it passes.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	kept := c.timers[:0]
	for _, tm := range c.timers {
		if tm.at.After(c.t) {
			kept = append(kept, tm)
			continue
		}
		tm.c <- c.t // buffered: never blocks
	}
	c.timers = kept
}

// After sends the clock's time once Advance has moved it by d.
func (c *Clock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.t
		return ch
	}
	c.timers = append(c.timers, timer{at: c.t.Add(d), c: ch})
	return ch
}

// Waiting returns how many timers wait for the clock to move.
func (c *Clock) Waiting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}
