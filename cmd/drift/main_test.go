package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/finding"
)

const op = "GET /profiles/{profile_id}/applications/{application_id}"

func entry(class finding.Class, kind string, status int, ptr, value string) drift.Entry {
	return drift.Entry{
		Class: class, Kind: kind, Operation: op, Status: status, Pointer: ptr, Value: value,
		Message: "m", Count: 1, Key: drift.EntryKey(class, kind, op, status, ptr, value),
	}
}

// fixture writes a drift report with three findings, one of each kind the
// mock's -drift switch provokes (plus the extra ones), a baseline accepting the three until expires, and two
// observations files; it returns their paths.
type fixture struct{ report, baseline, oldObs, newObs, dir string }

func newFixture(t *testing.T, expires string, extra ...drift.Entry) fixture {
	t.Helper()
	dir := t.TempDir()
	r := &drift.Report{Run: "r1", Target: "embedded mock", Generated: time.Now(), Entries: append([]drift.Entry{
		entry(finding.Drift, finding.UndocumentedField, 200, "/extra_field", ""),
		entry(finding.Contract, finding.OutsideEnum, 200, "/flag", "BRAND_NEW_FLAG"),
		entry(finding.Contract, finding.UndocumentedStatus, 418, "", ""),
	}, extra...)}
	f := fixture{
		report: filepath.Join(dir, "drift.json"), baseline: filepath.Join(dir, "baseline.yaml"),
		oldObs: filepath.Join(dir, "old.json"), newObs: filepath.Join(dir, "new.json"), dir: dir,
	}
	var b bytes.Buffer
	require.NoError(t, drift.WriteJSON(&b, r))
	require.NoError(t, os.WriteFile(f.report, b.Bytes(), 0o644))
	baseline := "accepted:\n"
	for _, e := range r.Entries[:3] {
		baseline += "  - class: " + string(e.Class) + "\n    kind: " + e.Kind + "\n    operation: " + e.Operation +
			"\n    status: " + strconv.Itoa(e.Status) + "\n    pointer: \"" + e.Pointer + "\"\n    value: \"" + e.Value +
			"\"\n    reason: accepted in a test\n    expires: " + expires + "\n"
	}
	require.NoError(t, os.WriteFile(f.baseline, []byte(baseline), 0o644))

	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	seen := drift.Seen{FirstSeen: at, LastSeen: at, Count: 1}
	oldObs := &drift.Observations{Run: "old", Operations: map[string]*drift.OpObs{
		op: {Seen: seen, Statuses: map[int]*drift.StatusObs{200: {Seen: seen, Fields: map[string]*drift.Seen{"/flag": &seen, "/gone": &seen}}}},
	}}
	newObs := &drift.Observations{Run: "new", Operations: map[string]*drift.OpObs{
		op: {Seen: seen, Statuses: map[int]*drift.StatusObs{
			200: {Seen: seen, Fields: map[string]*drift.Seen{"/flag": &seen, "/extra_field": &seen}},
			418: {Seen: seen},
		}},
	}}
	require.NoError(t, drift.WriteObservations(f.oldObs, oldObs))
	require.NoError(t, drift.WriteObservations(f.newObs, newObs))
	return f
}

func TestRun(t *testing.T) {
	t.Parallel()
	type tc struct {
		args   func(f fixture) []string
		extra  []drift.Entry
		code   int
		stdout []string // lines that must be printed, in order
		stderr string   // substring of stderr
	}
	gateArgs := func(more ...string) func(f fixture) []string {
		return func(f fixture) []string {
			return append([]string{"gate", "-report", f.report, "-baseline", f.baseline, "-today", "2026-06-01"}, more...)
		}
	}
	tests := map[string]tc{
		"accepted drift passes": {
			args: gateArgs(), code: 0,
			stdout: []string{"drift gate: PASS: 0 new, 0 expired, 3 accepted, 0 unused acceptances"},
		},
		"one more field fails": {
			args: gateArgs(), code: 1,
			extra: []drift.Entry{entry(finding.Drift, finding.UndocumentedField, 200, "/one_more", "")},
			stdout: []string{
				"new: drift undocumented-field " + op + " 200 /one_more (1×)",
				"drift gate: FAIL: 1 new, 0 expired, 3 accepted, 0 unused acceptances",
			},
		},
		"strict fails on accepted drift": {
			args: gateArgs("-strict"), code: 1,
			stdout: []string{"drift gate (strict): FAIL: 0 new, 0 expired, 3 accepted, 0 unused acceptances"},
		},
		"expired entries fail": {
			args: func(f fixture) []string {
				return []string{"gate", "-report", f.report, "-baseline", f.baseline, "-today", "2027-01-01"}
			},
			code:   1,
			stdout: []string{"expired: drift undocumented-field " + op + " 200 /extra_field: accepted until 2026-12-31 (line 2): accepted in a test"},
		},
		"markdown with the verdict": {
			args: func(f fixture) []string {
				return gateArgs("-markdown", filepath.Join(f.dir, "drift.md"))(f)
			},
			code: 0,
		},
		"missing report": {
			args: func(f fixture) []string {
				return []string{"gate", "-report", filepath.Join(f.dir, "nope.json"), "-baseline", f.baseline}
			},
			code: 2, stderr: "drift gate: read drift report: stat ",
		},
		"bad baseline": {
			args: func(f fixture) []string {
				return []string{"gate", "-report", f.report, "-baseline", f.report}
			},
			code: 2, stderr: "drift gate: drift baseline ",
		},
		"bad today": {
			args: gateArgs("-today", "tomorrow"), code: 2,
			stderr: `drift gate: -today: got "tomorrow", want a date YYYY-MM-DD`,
		},
		"unknown flag": {
			args: gateArgs("-loose"), code: 2, stderr: "flag provided but not defined: -loose",
		},
		"stray argument": {
			args: gateArgs("extra"), code: 2, stderr: `drift gate: unexpected arguments ["extra"]`,
		},
		"compare": {
			args: func(f fixture) []string { return []string{"compare", f.oldObs, f.newObs} },
			code: 0,
			stdout: []string{
				"observations old -> new: 2 appeared, 1 vanished",
				"appeared: field " + op + " 200 /extra_field (first seen 2026-03-01T10:00:00Z, 1×)",
				"appeared: status " + op + " 418 (first seen 2026-03-01T10:00:00Z, 1×)",
				"vanished: field " + op + " 200 /gone (last seen 2026-03-01T10:00:00Z, 1×)",
			},
		},
		"compare fails on vanished when asked, flag after the files": {
			args: func(f fixture) []string { return []string{"compare", f.oldObs, f.newObs, "-fail-on-vanished"} },
			code: 1,
		},
		"compare: nothing vanished the other way round": {
			args: func(f fixture) []string { return []string{"compare", "-fail-on-vanished", f.oldObs, f.oldObs} },
			code: 0, stdout: []string{"observations old -> old: 0 appeared, 0 vanished"},
		},
		"compare: a drift report without observations is refused": {
			args: func(f fixture) []string { return []string{"compare", f.report, f.newObs} },
			code: 2, stderr: `got no "operations"`,
		},
		"compare needs two files": {
			args: func(f fixture) []string { return []string{"compare", f.oldObs} },
			code: 2, stderr: "drift compare: got 1 files, want 2 (old.json new.json)",
		},
		"no command": {
			args: func(fixture) []string { return nil }, code: 2, stderr: "usage:",
		},
		"unknown command": {
			args: func(fixture) []string { return []string{"gat"} }, code: 2, stderr: `drift: unknown command "gat", want gate, compare or accept`,
		},
		"accept prints what the baseline lacks": {
			args: func(f fixture) []string {
				return []string{"accept", "-report", f.report, "-baseline", f.baseline, "-reason", "PF-7 reviewed", "-expires", "2030-01-31"}
			},
			extra: []drift.Entry{entry(finding.Drift, finding.NeverReturned, 200, "/risk", "")},
			code:  0,
			stdout: []string{
				"  - class: drift\n    kind: never-returned\n    operation: " + op + "\n    status: 200\n    pointer: /risk\n    reason: PF-7 reviewed\n    expires: \"2030-01-31\"\n",
			},
			stderr: `drift accept: 1 entry to review and paste under "accepted:"`,
		},
		"accept without a reason": {
			args: func(f fixture) []string {
				return []string{"accept", "-report", f.report, "-baseline", "", "-expires", "2030-01-31"}
			},
			code: 2, stderr: "reason: got none, want why the drift is accepted",
		},
		"help": {
			args: func(fixture) []string { return []string{"help"} }, code: 0, stdout: []string{"usage:"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t, "2026-12-31", tc.extra...)
			var stdout, stderr bytes.Buffer
			code := run(tc.args(f), &stdout, &stderr)
			assert.Equal(t, tc.code, code, "stdout:\n%s\nstderr:\n%s", stdout.String(), stderr.String())
			out := stdout.String()
			pos := 0
			for _, l := range tc.stdout {
				i := strings.Index(out[pos:], l)
				if !assert.GreaterOrEqual(t, i, 0, "stdout lacks (in order) %q:\n%s", l, out) {
					break
				}
				pos += i + len(l)
			}
			assert.Contains(t, stderr.String(), tc.stderr)
			if name == "markdown with the verdict" {
				md, err := os.ReadFile(filepath.Join(f.dir, "drift.md"))
				require.NoError(t, err)
				assert.Contains(t, string(md), "Gate: PASS: 0 new, 0 expired, 3 accepted, 0 unused acceptances.")
			}
		})
	}
}

func TestParseInterleavedStopsAtDoubleDash(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	code := run([]string{"compare", "--", "-fail-on-vanished", "x"}, &bytes.Buffer{}, &stderr)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr.String(), "read observations: stat -fail-on-vanished", "after -- a flag is a file name")
}
