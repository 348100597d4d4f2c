package webhooks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"
)

// Egress is where webhooks may go (decision D80, docs/decisions.md): a
// receiver on loopback (127.0.0.0/8, ::1, "localhost"), or a host the
// operator names in Allow. A URL is checked when it is set, and the address
// it resolves to is checked again when the connection is dialled, so a name
// that later resolves elsewhere (DNS rebinding) still reaches only loopback.
// Redirects are never followed: a receiver answering 3xx is a refusal.
type Egress struct {
	// Allow names the other receivers webhooks may reach, each "host"
	// (any port) or "host:port", as -webhook-allow lists them. A host named
	// here is dialled wherever it resolves: the operator named it.
	Allow []string
}

// ParseAllow splits a comma-separated -webhook-allow list and checks each
// entry is "host" or "host:port".
func ParseAllow(list string) ([]string, error) {
	var out []string
	for _, e := range strings.Split(list, ",") {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		host := e
		if h, port, err := net.SplitHostPort(e); err == nil {
			if port == "" || strings.Trim(port, "0123456789") != "" {
				return nil, fmt.Errorf("webhook allow entry %q: want host or host:port", e)
			}
			host = h
		}
		if host == "" || strings.ContainsAny(host, "/@?# ") {
			return nil, fmt.Errorf("webhook allow entry %q: want host or host:port", e)
		}
		out = append(out, strings.ToLower(e))
	}
	return out, nil
}

// allowed reports whether host (and port) is named in the allow list.
func (e Egress) allowed(host, port string) bool {
	host = strings.ToLower(strings.Trim(host, "[]"))
	for _, a := range e.Allow {
		if h, p, err := net.SplitHostPort(a); err == nil {
			if strings.Trim(h, "[]") == host && p == port {
				return true
			}
			continue
		}
		if strings.Trim(a, "[]") == host {
			return true
		}
	}
	return false
}

// checkURL refuses a URL whose host is neither loopback nor allowed.
func (e Egress) checkURL(u *url.URL) error {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	host := u.Hostname()
	if e.allowed(host, port) || loopbackName(host) {
		return nil
	}
	return fmt.Errorf("url: host %q is not a loopback receiver and not allowed by -webhook-allow", host)
}

// loopbackName reports whether host is a loopback IP literal or "localhost".
func loopbackName(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// errNotLoopback is the dial-time refusal of an address outside loopback.
var errNotLoopback = errors.New("webhook: the receiver's address is not on loopback")

// client returns the HTTP client webhooks are sent with: no proxy, no
// redirects, and a dialer that reaches only loopback unless the host is
// allowed.
func (e Egress) client() *http.Client {
	loopback := &net.Dialer{Timeout: sendTimeout, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return err
		}
		if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("%w: %s", errNotLoopback, host)
		}
		return nil
	}}
	open := &net.Dialer{Timeout: sendTimeout}
	tr := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			if e.allowed(host, port) {
				return open.DialContext(ctx, network, addr)
			}
			return loopback.DialContext(ctx, network, addr)
		},
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: sendTimeout,
	}
	return &http.Client{
		Timeout:   sendTimeout,
		Transport: tr,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// CheckURL reports whether e lets webhooks go to raw, as /__mock/webhooks
// checks it: an absolute http or https URL on loopback or allowed.
func CheckURL(e Egress, raw string) error {
	return Config{URL: raw}.check(e)
}
