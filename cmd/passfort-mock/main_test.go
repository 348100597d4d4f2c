package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server goroutine and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestBadSetup(t *testing.T) {
	dir := t.TempDir()
	badCatalog := filepath.Join(dir, "products.yaml")
	badSpec := filepath.Join(dir, "spec.yaml")
	if err := os.WriteFile(badCatalog, []byte("products: []"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(badSpec, []byte("openapi: 3.0.3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		args []string
		want string
	}{
		"unknown flag":    {[]string{"-nope"}, "flag provided but not defined"},
		"bad duration":    {[]string{"-automation-delay", "soon"}, "automation-delay"},
		"negative delay":  {[]string{"-automation-delay", "-1s"}, "want 0 or more"},
		"empty key":       {[]string{"-api-key", ""}, "empty key"},
		"argument":        {[]string{"extra"}, "unexpected argument"},
		"bad catalog":     {[]string{"-catalog", badCatalog}, "-catalog:"},
		"missing catalog": {[]string{"-catalog", filepath.Join(dir, "none.yaml")}, "-catalog:"},
		"bad spec":        {[]string{"-spec", badSpec}, "-spec:"},
		"bad revert mode": {[]string{"-revert-mode", "sideways"}, "revert mode"},
		"bad address":     {[]string{"-addr", "nowhere:-1"}, "-addr:"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tc.args, &stdout, &stderr)
			if code != 2 {
				t.Errorf("exit = %d; want 2", code)
			}
			msg := stderr.String()
			if !strings.Contains(msg, tc.want) || strings.Count(msg, "\n") != 1 {
				t.Errorf("stderr = %q; want one line containing %q", msg, tc.want)
			}
		})
	}
	var stderr bytes.Buffer
	if code := run(context.Background(), []string{"-h"}, io.Discard, &stderr); code != 0 || !strings.Contains(stderr.String(), "-addr") {
		t.Errorf("-h: exit %d, usage %q; want 0 and the flags", code, stderr.String())
	}
}

func TestServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-api-key", "k3y", "-seed", "3"}, &stdout, &stderr)
	}()
	url := waitForURL(t, &stdout)
	req, err := http.NewRequest(http.MethodGet, url+"/whoami", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("apikey", "k3y")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Errorf("whoami = %d; want 200", res.StatusCode)
	}
	res, err = http.Get(url + "/whoami?apikey=k3y")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit = %d; want 0 after the signal; stderr: %s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no graceful shutdown within 10s")
	}
	logs := stderr.String()
	if !strings.Contains(logs, "method=GET path=/4.0/whoami status=200") {
		t.Errorf("logs = %q; want a line per request", logs)
	}
	if strings.Contains(logs, "k3y") {
		t.Errorf("logs = %q; the API key must never be logged", logs)
	}
}

func TestQuiet(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-quiet"}, &stdout, &stderr) }()
	url := waitForURL(t, &stdout)
	res, err := http.Get(url + "/whoami")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Errorf("whoami without a key = %d; want 401", res.StatusCode)
	}
	cancel()
	<-done
	if strings.Contains(stderr.String(), "request") {
		t.Errorf("-quiet logged requests: %q", stderr.String())
	}
}

func waitForURL(t *testing.T, stdout *syncBuffer) string {
	t.Helper()
	re := regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+/4\.0)`)
	for range 200 {
		if m := re.FindStringSubmatch(stdout.String()); m != nil {
			return m[1]
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("no listening URL printed: %q", stdout.String())
	return ""
}
