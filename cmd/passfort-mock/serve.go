package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/passfort-conformance/harness/internal/mock"
)

// Connection defaults (decision D81, docs/decisions.md): generous for any
// SDK's request and for the slow-body faults, short enough that a held
// connection frees its slot within a minute.
const (
	defaultReadHeaderTimeout = 10 * time.Second
	defaultReadTimeout       = 30 * time.Second
	defaultWriteTimeout      = 60 * time.Second
	defaultIdleTimeout       = 30 * time.Second
	defaultMaxConns          = 512
)

// serving is how the mock serves connections.
type serving struct {
	readTimeout  time.Duration // a whole request, body included
	writeTimeout time.Duration // from the end of the request's headers to the end of the answer
	idleTimeout  time.Duration // a keep-alive connection waiting for its next request
	maxConns     int           // connections open at once; more wait to be accepted
}

// check refuses settings that would serve nothing or never time out.
func (s serving) check() error {
	for name, d := range map[string]time.Duration{"-read-timeout": s.readTimeout, "-write-timeout": s.writeTimeout, "-idle-timeout": s.idleTimeout} {
		if d <= 0 {
			return fmt.Errorf("%s: got %s, want more than 0", name, d)
		}
	}
	if s.maxConns <= 0 {
		return fmt.Errorf("-max-conns: got %d, want 1 or more", s.maxConns)
	}
	return nil
}

// server returns the http.Server the mock serves h with.
func (s serving) server(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(defaultReadHeaderTimeout, s.readTimeout),
		ReadTimeout:       s.readTimeout,
		WriteTimeout:      s.writeTimeout,
		IdleTimeout:       s.idleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
}

// limitListener accepts at most n connections at once: Accept waits while
// n are open, so held connections cannot take every file handle; the
// timeouts free their slots.
type limitListener struct {
	net.Listener
	slots chan struct{}
}

func limit(l net.Listener, n int) net.Listener {
	return &limitListener{Listener: l, slots: make(chan struct{}, n)}
}

func (l *limitListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	return &limitedConn{Conn: c, release: func() { <-l.slots }}, nil
}

// limitedConn frees its slot once, on the first Close.
type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// errPublicDefaultKey is the refusal to serve beyond loopback with the
// documented default key (decision D84, docs/decisions.md).
var errPublicDefaultKey = errors.New("-addr: a non-loopback address with the public default API key: give -api-key")

// checkExposure refuses a non-loopback listen address with the default key.
func checkExposure(addr, apiKey string) error {
	if apiKey != mock.DefaultAPIKey {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil // net.Listen reports it
	}
	if strings.EqualFold(host, "localhost") {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w (got %q)", errPublicDefaultKey, addr)
}
