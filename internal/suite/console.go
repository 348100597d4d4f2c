package suite

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/report"
	"github.com/passfort-conformance/harness/internal/target"
)

// printHeader writes the run's first lines: the target, the seed and the
// shard that reproduce it, the spec, the target's settings when they are
// not the defaults (model options, time scale), the guard's decision.
func printHeader(out io.Writer, run *report.Run, shard Shard, settings string) {
	s := ""
	if v := shard.String(); v != "" {
		s = fmt.Sprintf(", shard %s (reproduce: SHARD=%s)", v, v)
	}
	fmt.Fprintf(out, "passfort-conformance: target %s, seed %d (reproduce: SEED=%d)%s, spec %.12s%s\nguard: %s\n", run.Target, run.Seed, run.Seed, s, run.SpecHash, settings, run.Guard)
}

// printRequests writes what the run sent.
func printRequests(out io.Writer, st exchange.Stats) {
	fmt.Fprintf(out, "requests: %d exchanges, %d sent, %d retries, %d errors; waited %s (%s rate-limited)\n",
		st.Exchanges, st.Requests, st.Retries, st.Errors, st.Waited.Round(time.Millisecond), st.Throttled.Round(time.Millisecond))
}

// printLeftBehind lists the profiles the run could not delete, if any.
func printLeftBehind(out io.Writer, ids []string, runID string) {
	if len(ids) > 0 {
		fmt.Fprintf(out, "left behind on the target (delete by hand; customer_ref %s): %s\n", runID, strings.Join(ids, ", "))
	}
}

// progressWidth is how many scenarios one progress line shows.
const progressWidth = 50

// progress prints a character per finished scenario (. passed, F failed,
// S skipped, U undefined), a line per progressWidth scenarios ending with
// the counts so far and the time: a long run shows it is moving and how it
// goes, in a few lines that read the same in a CI log as in a terminal
// (decision D106, docs/decisions.md).
type progress struct {
	mu                            sync.Mutex
	out                           io.Writer
	start                         time.Time
	line                          []byte
	count, failed, skipped, undef int
}

func newProgress(out io.Writer, start time.Time) *progress {
	return &progress{out: out, start: start}
}

// tick counts one finished scenario.
func (p *progress) tick(s report.Status) {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := byte('.')
	switch s {
	case report.Failed:
		c = 'F'
		p.failed++
	case report.Skipped:
		c = 'S'
		p.skipped++
	case report.Passed, report.Flaky:
	default:
		c = 'U'
		p.undef++
	}
	p.count++
	p.line = append(p.line, c)
	if len(p.line) == progressWidth {
		p.flush()
	}
}

// done ends the last, partial line.
func (p *progress) done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.line) > 0 {
		p.flush()
	}
}

// flush writes the line so far with the counts, in one write.
func (p *progress) flush() {
	var b strings.Builder
	fmt.Fprintf(&b, "%-*s  %s", progressWidth, p.line, oneline.Count(p.count, "scenario"))
	for _, n := range []struct {
		n    int
		word string
	}{{p.failed, "failed"}, {p.skipped, "skipped"}, {p.undef, "undefined"}} {
		if n.n > 0 {
			fmt.Fprintf(&b, ", %d %s", n.n, n.word)
		}
	}
	fmt.Fprintf(&b, " (%.1fs)\n", time.Since(p.start).Seconds())
	io.WriteString(p.out, b.String())
	p.line = p.line[:0]
}

// lockedWriter serialises writes to the console.
type lockedWriter struct {
	mu   sync.Mutex
	w    io.Writer
	red  target.Redactor
	line []byte // the unfinished line
}

// Write redacts whole lines: godog writes a step's text in pieces (its
// arguments apart), so a secret can only be recognised in the whole line.
// The unfinished rest waits for its newline or for Flush.
func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.line = append(l.line, p...)
	if i := bytes.LastIndexByte(l.line, '\n'); i >= 0 {
		if _, err := l.w.Write(l.red.Bytes(l.line[:i+1])); err != nil {
			return 0, err
		}
		l.line = append(l.line[:0], l.line[i+1:]...)
	}
	return len(p), nil
}

// Flush writes the unfinished line.
func (l *lockedWriter) Flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.line) > 0 {
		_, _ = l.w.Write(l.red.Bytes(l.line))
		l.line = l.line[:0]
	}
}
