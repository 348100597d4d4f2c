package mocktest

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestClockTimersFireOnAdvance(t *testing.T) {
	t.Parallel()
	c := NewClock()
	soon, later := c.After(100*time.Millisecond), c.After(time.Second)
	assert.Equal(t, 2, c.Waiting())
	c.Advance(99 * time.Millisecond)
	assert.Empty(t, soon, "before its time")
	c.Advance(time.Millisecond)
	assert.Equal(t, Start.Add(100*time.Millisecond), <-soon)
	assert.Empty(t, later, "before its time")
	assert.Equal(t, 1, c.Waiting())
	c.Advance(time.Hour)
	assert.Equal(t, Start.Add(time.Hour+100*time.Millisecond), <-later)
	assert.Zero(t, c.Waiting())
	assert.Equal(t, c.Now(), <-c.After(0), "a timer of no time fires at once")
}
