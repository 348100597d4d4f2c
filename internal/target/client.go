// Package target is the one HTTP client the harness sends requests with, to
// every kind of target: the embedded mock, cmd/passfort-mock, PassFort's demo
// API, or a recorded cassette. It sets the base URL and the apikey header,
// bounds each request with a timeout and the whole run with a deadline,
// retries only what cannot double an effect, paces rate-limited operations,
// redacts secrets, and hands every finished exchange to an observer (the
// checks, reports and the cassette recorder). Nothing else in the harness
// sends requests.
package target

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/oneline"
)

// Defaults of the Config fields left zero.
const (
	DefaultTimeout      = 30 * time.Second
	DefaultMaxRetries   = 3
	DefaultBackoff      = 100 * time.Millisecond
	DefaultMaxWait      = 30 * time.Second
	DefaultMaxBodyBytes = 16 << 20
	// maxBackoff caps the doubling back-off of retries without a wait header.
	maxBackoff = 5 * time.Second
	// MinSecretLen is the shortest secret the client redacts: a shorter one
	// would garble every body it appears in by chance.
	MinSecretLen = 4
)

// Config configures a Client.
type Config struct {
	// BaseURL is the API root including the version, e.g.
	// "https://api.passfort.com/4.0" or "http://127.0.0.1:8080/4.0".
	// A password in it is treated as a secret.
	BaseURL string
	// APIKey is sent as the apikey header. It is redacted everywhere.
	APIKey string
	// Secrets are further values to redact from every exchange and error.
	// Each must be at least 4 bytes long.
	Secrets []string
	// Header holds headers sent with every request; a Request's own Header
	// wins. The suite names a scenario's fault scope with it (X-Mock-Scope)
	// on a standalone mock.
	Header http.Header
	// Timeout bounds each attempt, from sending to the last byte of the
	// response. Zero means DefaultTimeout.
	Timeout time.Duration
	// Deadline ends the run: once it has passed, every Do fails at once
	// with kind timeout, and no attempt, back-off or rate-limit wait runs
	// past it. Zero means none.
	Deadline time.Time
	// Transport carries the requests; nil means a dedicated clone of
	// http.DefaultTransport. The embedded mock passes InProcess, a
	// re-check of a recording passes NewReplay.
	Transport http.RoundTripper
	// MaxRetries is how many times a retryable failure (429, 503 with a
	// retry header, a refused connection) is tried again. Zero means
	// DefaultMaxRetries; negative means none (a 429 then ends the exchange
	// as retries-exhausted at once).
	MaxRetries int
	// Backoff is the first wait before a retry the target gave no wait
	// for; it doubles per retry up to 5s. Zero means DefaultBackoff.
	Backoff time.Duration
	// MaxWait caps one back-off wait. A target that asks for a longer wait
	// ends the exchange as retries-exhausted instead of being retried early.
	// Zero means DefaultMaxWait.
	MaxWait time.Duration
	// MaxBodyBytes caps a response body read. Zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Limiter paces requests to rate-limited operations; nil means none.
	// One Limiter is shared by every client of a run.
	Limiter *Limiter
	// Meter counts requests, retries and waiting. One Meter may be shared
	// by every client of a run (one client per scenario) to report the
	// run's totals; nil gives the client a meter of its own.
	Meter *Meter
	// Allow, when set, is asked before anything is sent; an error refuses the
	// request (the production guard). The exchange is then observed with
	// Status 0, Attempts 0 and the error, kind "guarded".
	Allow func(method, path string) error
	// Observe is called with every finished exchange as the target answered
	// it (not redacted: the checks read it; whatever writes it out redacts
	// it with Redactor.Exchange), successful or not. Its Err is redacted.
	// It must be safe for concurrent use.
	Observe func(*exchange.Exchange)
}

// Request is one call to the target.
type Request struct {
	// Method is the HTTP method; "" means GET.
	Method string
	// Path is below the base URL, e.g. "/profiles/123/applications", with an
	// optional query. It is used as written (percent-encoding kept).
	Path string
	// Body is sent as application/json unless Header sets another Content-Type.
	Body []byte
	// Header holds extra request headers. An Accept or Content-Type here
	// replaces the default application/json.
	Header http.Header
	// OmitKey sends no apikey header (for testing authentication).
	OmitKey bool
	// Key, when not empty, is sent instead of the configured key. It is
	// redacted like the configured one when it is at least 4 bytes long.
	Key string
	// NoRetry disables retries, for steps that test how the target fails:
	// a 429 or 503 is returned as the response, a refused connection as
	// kind refused.
	NoRetry bool
	// Timeout, when positive, replaces the configured per-attempt timeout.
	Timeout time.Duration
	// Root resolves Path against the base URL's host instead of below its
	// path: for a mock's admin endpoints outside /4.0.
	Root bool
}

// Client sends requests to one target. It is safe for concurrent use.
type Client struct {
	base     *url.URL
	baseStr  string
	cfg      Config
	http     *http.Client
	redactor Redactor
	meter    *Meter
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.BaseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("base url: got %s, want an absolute URL such as https://api.passfort.com/4.0", describeBadURL(u, err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("base url: got scheme %q, want http or https", u.Scheme)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, errors.New("base url: got a query or fragment, want only scheme, host and path")
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	secrets := append([]string{cfg.APIKey}, cfg.Secrets...)
	secrets = append(secrets, URLSecrets(cfg.BaseURL)...)
	for i, s := range secrets {
		what := "api key"
		if i > 0 {
			what = fmt.Sprintf("secret %d", i)
		}
		if err := checkSecretLen(what, s); err != nil {
			return nil, err
		}
	}
	switch {
	case cfg.Timeout < 0:
		return nil, fmt.Errorf("timeout: got %s, want a positive duration", cfg.Timeout)
	case cfg.Timeout == 0:
		cfg.Timeout = DefaultTimeout
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = DefaultMaxWait
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	tr := cfg.Transport
	if tr == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 16 // scenarios run concurrently against one host
		tr = t
	}
	meter := cfg.Meter
	if meter == nil {
		meter = new(Meter)
	}
	return &Client{
		base:     u,
		baseStr:  u.String(),
		cfg:      cfg,
		http:     &http.Client{Transport: tr, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		redactor: NewRedactor(secrets...),
		meter:    meter,
	}, nil
}

// describeBadURL describes a base URL that is not absolute without quoting
// it: written without a scheme, its user information, query or fragment
// would be read as a path and could hold a key.
func describeBadURL(u *url.URL, err error) string {
	if err != nil || u == nil {
		return "a URL that does not parse"
	}
	switch {
	case u.Scheme == "":
		return "a URL without a scheme"
	case u.Opaque != "":
		// "user:pw@host/4.0" reads as scheme "user" and an opaque rest.
		return `a URL without "//" after its scheme`
	}
	return "a URL without a host"
}

// BaseURL returns the configured base URL, redacted.
func (c *Client) BaseURL() string { return c.redactor.String(c.baseStr) }

// Redactor returns the client's redactor, for anything else that prints
// target data.
func (c *Client) Redactor() Redactor { return c.redactor }

// Stats returns what the client's meter counted so far: the client's own
// work, or the run's when the meter is shared.
func (c *Client) Stats() exchange.Stats { return c.meter.Stats() }

// Error is a transport failure: no usable response. Err's text is redacted.
type Error struct {
	// Kind is one of the finding package's infrastructure kinds.
	Kind string
	// Status is the last response's status when there was one (a 429 that
	// exhausted the retry budget), else 0.
	Status int
	Err    error
}

func (e *Error) Error() string { return e.Kind + ": " + e.Err.Error() }

// Unwrap returns the (redacted) cause.
func (e *Error) Unwrap() error { return e.Err }

// Finding returns the infrastructure finding for the failure.
func (e *Error) Finding(operation string) finding.Finding {
	return finding.Finding{Class: finding.Infrastructure, Kind: e.Kind, Operation: operation, Status: e.Status, Message: e.Err.Error()}
}

// Do sends r and returns the exchange. The exchange is returned (and
// observed) even when err is not nil; err is then an *Error.
func (c *Client) Do(ctx context.Context, r Request) (*exchange.Exchange, error) {
	if r.Method == "" {
		r.Method = http.MethodGet
	}
	red := c.redactor
	if len(r.Key) >= MinSecretLen && r.Key != c.cfg.APIKey {
		red = red.With(r.Key)
	}
	ex := &exchange.Exchange{Method: r.Method, Path: r.Path, Started: time.Now()}
	err := c.do(ctx, r, ex)
	ex.Duration = time.Since(ex.Started)
	c.meter.exchanges.Add(1)
	if err != nil {
		c.meter.errors.Add(1)
		// The cause is dropped on purpose: its text may hold a secret.
		err = &Error{Kind: classify(err), Status: ex.Status, Err: errors.New(red.String(err.Error()))}
		ex.Err = err.Error()
	}
	// The exchange stays as the target answered it: the checks read it, and
	// a secret that also occurs in data ("2026") must not change a verdict.
	// Whatever writes it out redacts it (Redactor.Exchange;
	// decision D70, docs/decisions.md).
	// The request's key headers, which no check reads, are redacted now.
	ex.RequestHeader = Redactor{}.Header(ex.RequestHeader)
	if c.cfg.Observe != nil {
		c.cfg.Observe(ex)
	}
	return ex, err
}

func (c *Client) do(ctx context.Context, r Request, ex *exchange.Exchange) error {
	if !c.cfg.Deadline.IsZero() {
		if !time.Now().Before(c.cfg.Deadline) {
			return fmt.Errorf("%w: it passed at %s", errRunDeadline, c.cfg.Deadline.Format(time.RFC3339))
		}
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, c.cfg.Deadline)
		defer cancel()
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	target, path, err := c.resolve(r.Path, r.Root)
	if err != nil {
		return err
	}
	ex.URL = target

	if c.cfg.Allow != nil {
		if err := c.cfg.Allow(r.Method, path); err != nil {
			return fmt.Errorf("%w: %w", errGuarded, err)
		}
	}
	retries := max(c.cfg.MaxRetries, 0)
	for attempt := 0; ; attempt++ {
		waited, err := c.cfg.Limiter.Wait(ctx, r.Method, path)
		c.addWait(ex, waited, true)
		if err != nil {
			return err
		}
		resp, body, sent, err := c.attempt(ctx, r, target, ex)
		ex.Attempts++
		// The exchange shows the last attempt only: a 429 before a refused
		// connection must not read as the answer.
		ex.Status, ex.ResponseHeader, ex.ResponseBody = 0, nil, nil
		if err == nil {
			ex.Status, ex.ResponseHeader, ex.ResponseBody = resp.StatusCode, resp.Header, body
		}
		wait, retryable := retryAfter(resp, err, sent)
		if !retryable || r.NoRetry {
			return err
		}
		if attempt >= retries {
			if err != nil {
				// Still the transport's kind (refused): the target is down,
				// and the count says how hard we tried.
				return fmt.Errorf("after %d attempts: %w", ex.Attempts, err)
			}
			return fmt.Errorf("%w: %d after %d attempts", errRetriesExhausted, resp.StatusCode, ex.Attempts)
		}
		if wait > c.cfg.MaxWait {
			return fmt.Errorf("%w: %d after %d attempts, and the target asked to wait %s, over the %s cap", errRetriesExhausted, resp.StatusCode, ex.Attempts, wait, c.cfg.MaxWait)
		}
		wait = min(max(wait, c.backoff(attempt)), c.cfg.MaxWait)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return fmt.Errorf("%w: waiting %s to retry would pass it", errRunDeadline, wait)
		}
		if err := sleep(ctx, wait); err != nil {
			return err
		}
		c.meter.retries.Add(1)
		c.addWait(ex, wait, false)
	}
}

// resolve joins the request path to the base URL. It returns the URL to
// send to and the decoded path without query, which the guard and the
// limiter match on.
func (c *Client) resolve(p string, root bool) (string, string, error) {
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	ref, err := url.Parse(p)
	if err != nil {
		return "", "", fmt.Errorf("request path: %w", err)
	}
	if ref.Scheme != "" || ref.Host != "" {
		return "", "", fmt.Errorf("request path: got %q, want a path below the base URL", p)
	}
	u := *c.base
	u.Path = c.base.Path + ref.Path
	u.RawPath = c.base.EscapedPath() + ref.EscapedPath()
	if root {
		u.Path, u.RawPath = ref.Path, ref.EscapedPath()
	}
	u.RawQuery = ref.RawQuery
	return u.String(), ref.Path, nil
}

func (c *Client) backoff(attempt int) time.Duration {
	if attempt > 16 {
		return maxBackoff
	}
	return min(c.cfg.Backoff<<attempt, maxBackoff)
}

func (c *Client) addWait(ex *exchange.Exchange, d time.Duration, throttled bool) {
	if d <= 0 {
		return
	}
	ex.Waited += d
	c.meter.waited.Add(int64(d))
	if throttled {
		ex.Throttled += d
		c.meter.throttled.Add(int64(d))
	}
}

var (
	errRetriesExhausted = errors.New("retry budget exhausted")
	errTruncated        = errors.New("response body cut short")
	errTooLarge         = errors.New("response body over the client's cap")
	errGuarded          = errors.New("refused by the production guard")
	errRunDeadline      = errors.New("run deadline")
)

// attempt sends one request. sent reports whether the request may have
// reached the server (false only when the connection was refused).
func (c *Client) attempt(ctx context.Context, r Request, target string, ex *exchange.Exchange) (*http.Response, []byte, bool, error) {
	timeout := c.cfg.Timeout
	if r.Timeout > 0 {
		timeout = r.Timeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, target, body)
	if err != nil {
		return nil, nil, false, fmt.Errorf("request: %w", err)
	}
	for _, h := range []http.Header{c.cfg.Header, r.Header} {
		for k, vs := range h {
			req.Header[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
		}
	}
	if r.Body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	switch {
	case r.OmitKey:
		req.Header.Del("Apikey")
	case r.Key != "":
		req.Header.Set("Apikey", r.Key)
	case c.cfg.APIKey != "":
		req.Header.Set("Apikey", c.cfg.APIKey)
	}
	ex.RequestHeader = req.Header
	ex.RequestBody = r.Body

	c.meter.requests.Add(1)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, !isRefused(err), err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.cfg.MaxBodyBytes+1))
	if err != nil {
		if cerr := ctx.Err(); cerr != nil {
			// The attempt ran out of time mid-body: a timeout, not a
			// server that hung up.
			return nil, nil, true, fmt.Errorf("reading the %d response body after %d bytes: %w", resp.StatusCode, len(data), cerr)
		}
		return nil, nil, true, fmt.Errorf("%w: %d response after %d bytes: %w", errTruncated, resp.StatusCode, len(data), err)
	}
	if int64(len(data)) > c.cfg.MaxBodyBytes {
		return nil, nil, true, fmt.Errorf("%w: %d response over %d bytes", errTooLarge, resp.StatusCode, c.cfg.MaxBodyBytes)
	}
	if resp.ContentLength > 0 && int64(len(data)) < resp.ContentLength && bodyAllowed(r.Method, resp.StatusCode) {
		// Transports that hand over a body without a socket (InProcess,
		// Replay) do not check the length themselves.
		return nil, nil, true, fmt.Errorf("%w: %d response of %d bytes, Content-Length %d", errTruncated, resp.StatusCode, len(data), resp.ContentLength)
	}
	return resp, data, true, nil
}

// bodyAllowed reports whether a response may carry the body its
// Content-Length announces (RFC 9110 section 8.6).
func bodyAllowed(method string, status int) bool {
	return method != http.MethodHead && status != http.StatusNoContent && status != http.StatusNotModified && status >= 200
}

func isRefused(err error) bool {
	return errors.Is(err, syscall.ECONNREFUSED)
}

// kinded is an error that knows its finding kind: a replayed failure.
type kinded interface{ FindingKind() string }

// classify maps a failure to its infrastructure kind. Anything that is not
// a timeout, a cut body, an exhausted budget or a refusal by the guard means
// the target could not be reached or answered: refused.
func classify(err error) string {
	var (
		nerr net.Error
		kerr kinded
	)
	switch {
	case errors.Is(err, errGuarded):
		return finding.Guarded
	case errors.As(err, &kerr):
		return kerr.FindingKind()
	case errors.Is(err, errRetriesExhausted):
		return finding.RetriesExhausted
	case strings.Contains(err.Error(), "server response headers exceeded"):
		// net/http's only sign of it: an unexported, untyped error.
		return finding.ResponseTooLarge
	case errors.Is(err, errTruncated), errors.Is(err, errTooLarge), errors.Is(err, io.ErrUnexpectedEOF):
		return finding.TruncatedBody
	case errors.Is(err, errRunDeadline), errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.As(err, &nerr) && nerr.Timeout():
		return finding.Timeout
	default:
		return finding.Refused
	}
}

// retryAfter decides whether an attempt may be repeated without doubling an
// effect, and how long the target asked us to wait. Every PassFort write is
// a POST without an idempotency key, so only answers that say the request
// was not processed qualify: 429, 503 with a retry header, and a connection
// refused before anything was sent. A timeout never qualifies, whatever the
// method: the server may be working on it.
func retryAfter(resp *http.Response, err error, sent bool) (time.Duration, bool) {
	if err != nil {
		return 0, !sent
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests:
		d, _ := retryHeader(resp.Header)
		return d, true
	case http.StatusServiceUnavailable:
		return retryHeader(resp.Header)
	}
	return 0, false
}

// retryHeader reads PassFort's X-RateLimit-Retry-Secs, then the standard
// Retry-After (seconds or an HTTP date). Unparsable values count as absent.
func retryHeader(h http.Header) (time.Duration, bool) {
	for _, k := range []string{"X-RateLimit-Retry-Secs", "Retry-After"} {
		v := strings.TrimSpace(h.Get(k))
		if v == "" {
			continue
		}
		if secs, err := strconv.ParseFloat(v, 64); err == nil {
			if secs < 0 || math.IsNaN(secs) || math.IsInf(secs, 0) {
				continue
			}
			if secs > float64(math.MaxInt64/int64(time.Second)) {
				return time.Duration(math.MaxInt64), true
			}
			return time.Duration(secs * float64(time.Second)), true
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(time.Until(t), 0), true
		}
	}
	return 0, false
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// checkSecretLen refuses a secret (named what) shorter than MinSecretLen
// bytes; an empty one is no secret. The run redacts every secret from every
// output, and one that short would garble every text it occurs in.
func checkSecretLen(what, s string) error {
	if s != "" && len(s) < MinSecretLen {
		return fmt.Errorf("%s: got %s, want at least %d (a value that short cannot be redacted safely)", what, oneline.Count(len(s), "byte"), MinSecretLen)
	}
	return nil
}
