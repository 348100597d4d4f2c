package drift_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/drift"
	"github.com/passfort-conformance/harness/internal/finding"
)

const goodEntry = `
  - class: drift
    kind: undocumented-field
    operation: GET /profiles/{profile_id}
    status: 200
    pointer: /assignments
    reason: PF-1 in PassFort's own guide, not in either spec
    expires: 2026-12-31
`

func TestParseBaseline(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		doc     string
		entries int
		err     string
	}{
		"empty document":      {doc: "", entries: 0},
		"comments only":       {doc: "# nothing accepted yet\n", entries: 0},
		"empty list":          {doc: "accepted: []\n", entries: 0},
		"one entry":           {doc: "accepted:" + goodEntry, entries: 1},
		"quoted date":         {doc: "accepted:" + replace(goodEntry, "2026-12-31", `"2026-12-31"`), entries: 1},
		"enum value and item": {doc: "accepted:" + replace(replace(goodEntry, "/assignments", "/flag\n    value: NEW"), "class: drift", "class: contract"), entries: 1},
		"same place, other value": {
			doc:     "accepted:" + replace(goodEntry, "/assignments", "/flag\n    value: A") + replace(goodEntry, "/assignments", "/flag\n    value: B"),
			entries: 2,
		},
		"missing reason": {
			doc: "accepted:" + replace(goodEntry, "    reason: PF-1 in PassFort's own guide, not in either spec\n", ""),
			err: "entry at line 2 (drift undocumented-field GET /profiles/{profile_id} 200 /assignments): reason: got none, want why the drift is accepted",
		},
		"blank reason": {
			doc: "accepted:" + replace(goodEntry, "PF-1 in PassFort's own guide, not in either spec", `"  "`),
			err: "entry at line 2 (drift undocumented-field GET /profiles/{profile_id} 200 /assignments): reason: got none, want why the drift is accepted",
		},
		"missing expiry": {
			doc: "accepted:" + replace(goodEntry, "    expires: 2026-12-31\n", ""),
			err: "entry at line 2 (drift undocumented-field GET /profiles/{profile_id} 200 /assignments): expires: got none, want a date YYYY-MM-DD",
		},
		"bad date": {
			doc: "accepted:" + replace(goodEntry, "2026-12-31", "31/12/2026"),
			err: `entry at line 2 (drift undocumented-field GET /profiles/{profile_id} 200 /assignments): expires: got "31/12/2026", want a date YYYY-MM-DD`,
		},
		"impossible date": {
			doc: "accepted:" + replace(goodEntry, "2026-12-31", "2026-02-30"),
			err: `entry at line 2 (drift undocumented-field GET /profiles/{profile_id} 200 /assignments): expires: got "2026-02-30", want a date YYYY-MM-DD`,
		},
		"duplicate": {
			doc: "accepted:" + goodEntry + goodEntry,
			err: "entry at line 10 (drift undocumented-field GET /profiles/{profile_id} 200 /assignments): duplicate of the entry at line 2",
		},
		"unknown class": {
			doc: "accepted:" + replace(goodEntry, "class: drift", "class: lifecycle"),
			err: `entry at line 2 (lifecycle undocumented-field GET /profiles/{profile_id} 200 /assignments): class: got "lifecycle", want drift or contract`,
		},
		"bad operation": {
			doc: "accepted:" + replace(goodEntry, "GET /profiles/{profile_id}", "getProfile"),
			err: `entry at line 2 (drift undocumented-field getProfile 200 /assignments): operation: got "getProfile", want "METHOD /path"`,
		},
		"bad status": {
			doc: "accepted:" + replace(goodEntry, "status: 200", "status: 20"),
			err: "entry at line 2 (drift undocumented-field GET /profiles/{profile_id} 20 /assignments): status: got 20, want an HTTP status (100-599)",
		},
		"bad pointer": {
			doc: "accepted:" + replace(goodEntry, "/assignments", "assignments"),
			err: `entry at line 2 (drift undocumented-field GET /profiles/{profile_id} 200 assignments): pointer: got "assignments", want a JSON pointer starting with /`,
		},
		"misspelt key": {
			doc: "accepted:" + replace(goodEntry, "expires:", "expiry:"),
			err: "entry at line 2: yaml: unmarshal errors:",
		},
		"unknown top-level key": {
			doc: "accept:" + goodEntry,
			err: "yaml: unmarshal errors:",
		},
		"entry not a mapping": {
			doc: "accepted:\n  - just a string\n",
			err: "entry at line 2: got a scalar, want a mapping (class, kind, operation, status, pointer, value, reason, expires)",
		},
		"not yaml": {
			doc: "accepted: [\n",
			err: "yaml: line 1: did not find expected node content",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := drift.ParseBaseline([]byte(tc.doc))
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				assert.NotContains(t, err.Error(), "\n", "one line")
				return
			}
			require.NoError(t, err)
			assert.Len(t, b.Entries, tc.entries)
		})
	}
}

// replace is strings.ReplaceAll that insists old is there, so a typo in a
// test case cannot turn it into a copy of the good entry.
func replace(s, old, new string) string {
	if !strings.Contains(s, old) {
		panic("replace: " + old + " not found")
	}
	return strings.ReplaceAll(s, old, new)
}

func TestParseBaselineFields(t *testing.T) {
	t.Parallel()
	b, err := drift.ParseBaseline([]byte("accepted:" + goodEntry))
	require.NoError(t, err)
	assert.Equal(t, drift.Accepted{
		Class: finding.Drift, Kind: finding.UndocumentedField, Operation: "GET /profiles/{profile_id}", Status: 200,
		Pointer: "/assignments", Reason: "PF-1 in PassFort's own guide, not in either spec", Expires: "2026-12-31", Line: 2,
	}, b.Entries[0])
	assert.Equal(t, "drift|undocumented-field|GET /profiles/{profile_id}|200|/assignments", b.Entries[0].Key())
}

func TestLoadBaseline(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "b.yaml")
	require.NoError(t, os.WriteFile(path, []byte("accepted:"+replace(goodEntry, "2026-12-31", "soon")), 0o644))
	_, err := drift.LoadBaseline(path)
	assert.EqualError(t, err, "drift baseline "+path+`: entry at line 2 (drift undocumented-field GET /profiles/{profile_id} 200 /assignments): expires: got "soon", want a date YYYY-MM-DD`)

	_, err = drift.LoadBaseline(filepath.Join(dir, "missing.yaml"))
	assert.ErrorIs(t, err, os.ErrNotExist)
}

// The committed baseline must load, and hold no expired entry for long: a
// failing test here means an acceptance needs a look.
func TestCommittedBaselineLoads(t *testing.T) {
	t.Parallel()
	b, err := drift.LoadBaseline(filepath.Join("..", "..", "spec", "drift-baseline.yaml"))
	require.NoError(t, err)
	for _, a := range b.Entries {
		assert.NotEmpty(t, a.Reason)
	}
}

func TestSuggestAndWriteAccepted(t *testing.T) {
	t.Parallel()
	r := drift.Analyze(driftingRun(t, "one_more"), mustValidator(t))
	b := mustBaseline(t, baselineYAML("2026-12-31", threeFindings...))

	as, err := drift.Suggest(r, b, "PF-9: announced in the changelog", "2026-09-30", today)
	require.NoError(t, err)
	require.Len(t, as, 1, "only the entry the baseline does not accept")
	var out strings.Builder
	require.NoError(t, drift.WriteAccepted(&out, as))

	// Pasted under the existing entries, the baseline accepts the run.
	merged := mustBaseline(t, baselineYAML("2026-12-31", threeFindings...)+out.String())
	v := drift.Gate(r, merged, drift.GateOptions{}, today)
	assert.True(t, v.Pass, "%v", v.Lines)
	assert.Equal(t, "PF-9: announced in the changelog", merged.Entries[3].Reason)

	_, err = drift.Suggest(r, b, " ", "2026-09-30", today)
	assert.ErrorContains(t, err, "reason: got none")
	_, err = drift.Suggest(r, b, "why", "someday", today)
	assert.ErrorContains(t, err, `expires: got "someday"`)
}
