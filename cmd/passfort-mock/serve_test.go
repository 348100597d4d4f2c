package main

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// A non-loopback address with a key of one's own is served (decision D84).
func TestPublicAddressWithKey(t *testing.T) {
	c, err := parseFlags([]string{"-addr", "0.0.0.0:0", "-api-key", "s3cret"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "0.0.0.0:0", c.addr)
}

// Held connections, idle after a request or dripping a body, cannot starve
// a legitimate request: the server closes them after its timeouts and caps
// how many are open at once (decision D81).
func TestHeldConnectionsDoNotStarve(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr mocktest.LockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-quiet", "-max-conns", "8",
			"-read-timeout", "500ms", "-idle-timeout", "500ms", "-write-timeout", "2s"}, &stdout, &stderr)
	}()
	base := waitForURL(t, &stdout)
	addr := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/4.0")

	var held []net.Conn
	t.Cleanup(func() {
		for _, c := range held {
			_ = c.Close()
		}
	})
	// Idle keep-alive connections: one request each, then nothing.
	for range 8 {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		held = append(held, c)
		_, err = io.WriteString(c, "GET /4.0/whoami HTTP/1.1\r\nHost: x\r\napikey: local-mock-key\r\n\r\n")
		require.NoError(t, err)
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		require.NoError(t, err)
		_ = resp.Body.Close()
	}
	// Slow bodies: a POST announcing 1 MB that sends one byte.
	for range 8 {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		held = append(held, c)
		_, _ = io.WriteString(c, "POST /4.0/profiles HTTP/1.1\r\nHost: x\r\napikey: local-mock-key\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")
	}

	// The first idle connection is closed by the server.
	_ = held[0].SetReadDeadline(time.Now().Add(3 * time.Second))
	_, err := held[0].Read(make([]byte, 1))
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "timeout", "an idle connection is still open after -idle-timeout")

	client := &http.Client{Timeout: 5 * time.Second}
	start := time.Now()
	req, err := http.NewRequest(http.MethodGet, base+"/whoami", nil)
	require.NoError(t, err)
	req.Header.Set("apikey", "local-mock-key")
	resp, err := client.Do(req)
	require.NoError(t, err, "a legitimate request behind 16 held connections")
	_ = resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Less(t, time.Since(start), 3*time.Second)
	cancel()
	assert.Equal(t, 0, <-done)
}
