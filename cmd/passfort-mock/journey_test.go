package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/passfort-conformance/harness/internal/mocktest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckDrivesTheJourney is the checks-drive-the-journey acceptance test against the standalone
// mock over plain HTTP: an identity check on a forexo_basic profile passes
// its task and makes the application ready for a decision; with FAIL in the
// name the check fails and the task does not pass (decision D56).
func TestCheckDrivesTheJourney(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr mocktest.LockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-api-key", "k3y", "-quiet"}, &stdout, &stderr)
	}()
	url := waitForURL(t, &stdout)
	defer func() { cancel(); <-done }()
	call := func(method, path string, body any) map[string]any {
		t.Helper()
		var rd bytes.Buffer
		if body != nil {
			require.NoError(t, json.NewEncoder(&rd).Encode(body))
		}
		req, err := http.NewRequest(method, url+path, &rd)
		require.NoError(t, err)
		req.Header.Set("apikey", "k3y")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		var out map[string]any
		require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
		require.Equal(t, 200, res.StatusCode, "%s %s: %v", method, path, out)
		return out
	}
	journey := func(given, family string) (check, task, app map[string]any) {
		p := call("POST", "/profiles", map[string]any{
			"role": "INDIVIDUAL_CUSTOMER",
			"collected_data": map[string]any{"entity_type": "INDIVIDUAL",
				"personal_details": map[string]any{"name": map[string]any{"given_names": []string{given}, "family_name": family}}},
			"applications": []any{map[string]any{"product": map[string]any{"alias": "forexo_basic"}}},
		})
		pid := p["id"].(string)
		check = call("POST", "/profiles/"+pid+"/checks", map[string]any{"check_type": "IDENTITY_CHECK"})
		deadline := time.Now().Add(10 * time.Second)
		for {
			prof := call("GET", "/profiles/"+pid, nil)
			for _, x := range prof["tasks"].([]any) {
				if tk := x.(map[string]any); tk["type"] == "INDIVIDUAL_VERIFY_IDENTITY" {
					task = tk
				}
			}
			app = prof["applications"].([]any)[0].(map[string]any)
			require.NotNil(t, task, "no INDIVIDUAL_VERIFY_IDENTITY task: %v", prof["tasks"])
			if task["state"] != "INCOMPLETE" && app["flag"] != "AUTOMATING" || time.Now().After(deadline) {
				return check, task, app
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	_, task, app := journey("Ada", "Lovelace")
	assert.Equal(t, "COMPLETED_PASS", task["state"], "task of Ada Lovelace")
	assert.Empty(t, app["blockers"], "blockers of Ada Lovelace's application")
	assert.Equal(t, "READY_FOR_DECISION", app["flag"], "flag of Ada Lovelace's application")

	check, task, _ := journey("Ada FAIL", "Lovelace")
	assert.Equal(t, "FAIL", check["decision"], "decision of Ada FAIL Lovelace's check")
	assert.Equal(t, "Fail", check["result"], "result of Ada FAIL Lovelace's check")
	assert.NotEqual(t, "COMPLETED_PASS", task["state"], "task of Ada FAIL Lovelace")
}
