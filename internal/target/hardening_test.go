package target

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/finding"
)

// A base URL without a scheme is not printed raw.
func TestNewSchemelessURLNotPrinted(t *testing.T) {
	for _, base := range []string{
		"api.passfort.com/4.0?apikey=SECRETKEY123",
		"api.passfort.com/4.0#SECRETKEY123",
		"user:SECRETKEY123@api.passfort.com/4.0",
		"%zz/SECRETKEY123?x",
	} {
		_, err := New(Config{BaseURL: base, APIKey: "another-key"})
		require.Error(t, err, base)
		assert.NotContains(t, err.Error(), "SECRETKEY123", base)
		assert.NotContains(t, err.Error(), "\n", base)
	}
}

// A secret as a header name is redacted too.
func TestRedactorHeaderNames(t *testing.T) {
	red := NewRedactor("SECRETKEY123")
	h := http.Header{"X-Echo-Secretkey123": {"v"}, "SECRETKEY123": {"w"}}
	got := red.Header(h)
	for k, vs := range got {
		assert.NotContains(t, strings.ToLower(k), "secretkey123")
		for _, v := range vs {
			assert.NotContains(t, v, "SECRETKEY123")
		}
	}
	assert.Len(t, got, 2)
}

// A secret as a header name, end to end through the client: a target echoing the
// key as a header name.
func TestClientRedactsHeaderNames(t *testing.T) {
	const key = "SECRETKEY123"
	srv := newCountingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-"+r.Header.Get("apikey"), "1")
	})
	var seen []string
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.APIKey = key
	})
	ex, err := c.Do(context.Background(), Request{Path: "/profiles"})
	require.NoError(t, err)
	for k := range c.Redactor().Header(ex.ResponseHeader) {
		seen = append(seen, k)
	}
	assert.NotContains(t, strings.ToLower(strings.Join(seen, ",")), strings.ToLower(key))
}

// Response headers over the transport's limit are a
// response too large, not refused.
func TestDoHeadersTooLarge(t *testing.T) {
	srv := newCountingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		big := strings.Repeat("x", 1<<20)
		for i := range 11 {
			w.Header().Set("X-Big-"+string(rune('a'+i)), big)
		}
	})
	c := newTestClient(t, srv.URL, nil)
	_, err := c.Do(context.Background(), Request{Path: "/profiles"})
	assert.Equal(t, finding.ResponseTooLarge, kindOf(t, err), "kind of %v", err)
}

// A URL password holding "@ : /" (and "+", which a URL's
// user information keeps) is redacted in the form the URL writes it.
func TestURLPasswordForms(t *testing.T) {
	const pw = "pa@ss:w/rd+99!"
	red := NewRedactor(pw)
	for _, written := range []string{
		url.UserPassword("u", pw).String(),
		"u:pa%40ss%3aw%2frd+99%21", // lower-case hex, "!" escaped
	} {
		base := "http://" + written + "@127.0.0.1:1/4.0"
		c, err := New(Config{BaseURL: base, APIKey: "the-api-key"})
		require.NoError(t, err)
		assert.NotContains(t, c.BaseURL(), "pa%40ss", "BaseURL %s", c.BaseURL())
		assert.NotContains(t, c.Redactor().String(base), "pa%40ss", "the URL as written")
		_, err = c.Do(context.Background(), Request{Path: "/x"})
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "pa%40ss")
	}
	assert.Equal(t, "http://u:"+Redacted+"@h", red.String("http://"+url.UserPassword("u", pw).String()+"@h"))
}
