package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clientEnv switches this test binary into a tiny SDK client: the gate runs
// os.Args[0] as its command with it set (the re-exec pattern).
const clientEnv = "SDK_GATE_TEST_CLIENT"

func TestMain(m *testing.M) {
	if mode := os.Getenv(clientEnv); mode != "" {
		os.Exit(sdkClient(mode))
	}
	os.Exit(m.Run())
}

// sdkClient is the SDK's integration test: it sends one good request
// (create a profile), and in mode "bad" one that breaks the contract (an
// application without a product); in mode "fail" it fails after the good one.
func sdkClient(mode string) int {
	base, key := os.Getenv("PASSFORT_BASE_URL"), os.Getenv("PASSFORT_API_KEY")
	if base == "" || key == "" || os.Getenv("PASSFORT_ENV") != "demo" {
		fmt.Fprintln(os.Stderr, "client: PASSFORT_BASE_URL, PASSFORT_API_KEY and PASSFORT_ENV=demo must be set")
		return 5
	}
	post := func(path, body string) (int, map[string]any) {
		req, err := http.NewRequest("POST", base+path, strings.NewReader(body))
		if err != nil {
			return 0, nil
		}
		req.Header.Set("apikey", key)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Fprintln(os.Stderr, "client:", err)
			return 0, nil
		}
		defer res.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	status, profile := post("/profiles", `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL"}}`)
	if status != 200 {
		fmt.Fprintln(os.Stderr, "client: create profile:", status)
		return 6
	}
	switch mode {
	case "bad":
		post(fmt.Sprintf("/profiles/%v/applications", profile["id"]), `{"associated_role":"DIRECTOR"}`)
	case "fail":
		fmt.Fprintln(os.Stderr, "client: an assertion failed")
		return 1
	}
	return 0
}

func TestGate(t *testing.T) {
	tests := map[string]struct {
		mode     string
		code     int
		requests int
		want     []string
		notWant  string
	}{
		"good requests pass": {"good", exitOK, 1, []string{"sdk-gate: 1 request, 1 operation exercised, 0 broke the contract", "sdk-gate: PASS"}, "invalid-request"},
		"a bad request fails the gate": {"bad", exitFindings, 2, []string{
			"sdk-gate: POST /profiles/{profile_id}/applications 400: /product: value is required [invalid-request required]\n",
			"sdk-gate: FAIL: requests broke the contract",
		}, "PASS"},
		"a failing command fails the gate": {"fail", exitCommand, 1, []string{"sdk-gate: FAIL: the command failed: exit status 1"}, "PASS"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Setenv(clientEnv, tc.mode)
			report := filepath.Join(t.TempDir(), "out", "sdk-gate.json")
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"-report", report, "--", os.Args[0], "-test.run=^$"}, nil, &stdout, &stderr)
			require.False(t, code != tc.code, "exit = %d; want %d\nstdout: %s\nstderr: %s", code, tc.code, stdout.String(), stderr.String())
			for _, w := range tc.want {
				assert.True(t, strings.Contains(stdout.String(), w), "stdout lacks %q:\n%s", w, stdout.String())
			}
			assert.False(t, strings.Contains(stdout.String(), tc.notWant), "stdout has %q:\n%s", tc.notWant, stdout.String())
			b, err := os.ReadFile(report)
			require.NoError(t, err)
			var g struct {
				Requests   int                        `json:"requests"`
				Operations map[string]json.RawMessage `json:"operations"`
				Findings   []json.RawMessage          `json:"findings"`
			}
			err = json.Unmarshal(b, &g)
			require.NoError(t, err, "report %s", b)
			assert.False(t, g.Requests != tc.requests || (tc.code == exitFindings) != (len(g.Findings) == 1), "report = %s; want %d requests", b, tc.requests)
		})
	}
}

func TestUsage(t *testing.T) {
	tests := map[string]struct {
		args []string
		want string
	}{
		"no command":      {[]string{"-report", ""}, "no command"},
		"unknown flag":    {[]string{"-nope", "--", "true"}, "flag provided but not defined"},
		"not loopback":    {[]string{"-addr", "0.0.0.0:0", "--", "true"}, "loopback"},
		"bad address":     {[]string{"-addr", "nowhere", "--", "true"}, "-addr"},
		"empty key":       {[]string{"-api-key", "", "--", "true"}, "empty key"},
		"address in use?": {[]string{"-addr", "127.0.0.1:-1", "--", "true"}, "-addr"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, nil, &stdout, &stderr)
			assert.False(t, code != exitUsage, "exit = %d; want %d", code, exitUsage)
			msg := stderr.String()
			assert.False(t, !strings.Contains(msg, tc.want) || strings.Count(msg, "\n") != 1, "stderr = %q; want one line containing %q", msg, tc.want)
		})
	}
	var stderr bytes.Buffer
	assert.Equal(t, exitOK, run(context.Background(), []string{"-h"}, nil, io.Discard, &stderr), "-h")
	assert.Contains(t, stderr.String(), "-report", "-h: want the flags")
}

func TestCommandThatCannotStart(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-report", "", "--", filepath.Join(t.TempDir(), "no-such-command")}, nil, &stdout, &stderr)
	assert.False(t, code != exitCommand || !strings.Contains(stdout.String(), "the command failed"), "exit %d, stdout %q; want %d and the reason", code, stdout.String(), exitCommand)
}

// A command that sends no request (make sdk-gate CMD=true, or tests pointed
// at another URL) gated nothing: it fails, in one line, with its own status.
func TestGateThatSawNoRequestFails(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-report", "", "--", "true"}, nil, &stdout, &stderr)
	require.Equal(t, exitNoRequest, code, "stdout: %s\nstderr: %s", stdout.String(), stderr.String())
	assert.Contains(t, stdout.String(), "sdk-gate: FAIL: the command sent no request to the mock")
	assert.NotContains(t, stdout.String(), "sdk-gate: PASS")
}
