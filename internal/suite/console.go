package suite

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/passfort-conformance/harness/internal/exchange"
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

// failureBlock is a failed scenario's reason and its last exchange
// (redacted, nil before the first), as the console prints them so nobody
// has to open a report to see why.
func failureBlock(rec *recorder, sc *report.Scenario, last *exchange.Exchange) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n--- FAIL: %s (%s:%d)\n", sc.Name, rec.uriOf(sc), sc.Line)
	for _, st := range sc.Steps {
		if st.Status == report.Failed {
			fmt.Fprintf(&b, "    step %q (line %d):\n      %s\n", st.Text, st.Line, strings.ReplaceAll(st.Error, "\n", "\n      "))
		}
	}
	if ex := last; ex != nil {
		fmt.Fprintf(&b, "    last exchange: %s %s -> %d (%s)\n", ex.Method, ex.URL, ex.Status, ex.Duration.Round(time.Microsecond))
		if len(ex.RequestBody) > 0 {
			fmt.Fprintf(&b, "      request:  %s\n", clip(string(ex.RequestBody), 2000))
		}
		if ex.Err != "" {
			fmt.Fprintf(&b, "      error:    %s\n", ex.Err)
		} else {
			fmt.Fprintf(&b, "      response: %s\n", clip(string(ex.ResponseBody), 2000))
		}
	}
	return b.String()
}

func clip(s string, n int) string {
	s = oneLine(s)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
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
