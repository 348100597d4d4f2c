// Package scripts holds the shell helpers the Makefile sources; its tests run
// them the way a recipe does, from the repository root.
package scripts

import (
	"bytes"
	"errors"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// runRecipe runs line in bash from the repository root after sourcing
// start-mock.sh, as the Makefile's START_MOCK does, and returns its exit
// code, stdout and stderr.
func runRecipe(t *testing.T, line string) (code int, stdout, stderr string) {
	t.Helper()
	root, err := filepath.Abs("..")
	require.NoError(t, err)
	cmd := exec.Command("bash", "-c", ". scripts/start-mock.sh; "+line)
	cmd.Dir = root
	// A mock left running would hold stdout open and Run would wait for it
	// forever; stop waiting shortly after bash exits, and let the check
	// that the mock is gone report it.
	cmd.WaitDelay = 2 * time.Second
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err = cmd.Run()
	if err != nil && !errors.Is(err, exec.ErrWaitDelay) {
		var exit *exec.ExitError
		require.ErrorAs(t, err, &exit, "bash did not run: stderr:\n%s", errb.String())
		code = exit.ExitCode()
	}
	return code, out.String(), errb.String()
}

// freeAddr returns a loopback address no one listens on (a port the kernel
// just handed out and took back).
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// refusesWithin reports whether addr stops accepting connections within d.
func refusesWithin(addr string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err != nil {
			return true
		}
		_ = c.Close()
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// lastLine is the last non-empty line of s: the recipe's or the helper's own
// line, after whatever the mock printed before it.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestStartMock(t *testing.T) {
	t.Run("starts the mock, runs the rest of the line, kills the mock on exit", func(t *testing.T) {
		addr := freeAddr(t)
		code, stdout, stderr := runRecipe(t, "start_mock "+addr+" && listening "+addr+" && echo up")
		require.Equal(t, 0, code, "stderr:\n%s", stderr)
		assert.Equal(t, "up", lastLine(stdout), "the recipe did not go on once the mock was up")
		assert.True(t, refusesWithin(addr, 5*time.Second), "the mock on %s still accepts connections after the shell exited", addr)
	})

	t.Run("fails in one line when the address is taken", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(t, err)
		t.Cleanup(func() { _ = ln.Close() })
		addr := ln.Addr().String()
		code, stdout, stderr := runRecipe(t, "start_mock "+addr+"; echo ran-anyway")
		assert.Equal(t, 1, code)
		assert.Empty(t, stdout, "the recipe went on after start_mock failed")
		assert.Equal(t, "start_mock: "+addr+" is already in use; stop what listens there or choose another address\n", stderr)
	})

	t.Run("fails in one line when the mock exits before listening", func(t *testing.T) {
		addr := freeAddr(t)
		code, stdout, stderr := runRecipe(t, "start_mock "+addr+" -no-such-flag; echo ran-anyway")
		assert.Equal(t, 1, code)
		assert.Empty(t, stdout, "the recipe went on after start_mock failed")
		assert.Equal(t, "start_mock: passfort-mock exited before listening on "+addr, lastLine(stderr))
	})
}
