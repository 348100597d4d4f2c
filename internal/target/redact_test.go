package target

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
)

// The forms below are built independently of redact.go (by the standard
// library or written out by hand), so a form the redactor forgets fails.

func jsonMarshalled(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

func jsonUnescapedHTML(s string) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.Encode(s)
	return strings.Trim(strings.TrimSpace(buf.String()), `"`)
}

// encodings of a secret, each as a text the secret appears in.
func encodings(secret string) map[string]string {
	return map[string]string{
		"raw":                  "key=" + secret + ";",
		"query-escaped":        "https://x/4.0/whoami?apikey=" + url.QueryEscape(secret) + "&a=1",
		"url.Values":           "https://x/?" + url.Values{"apikey": {secret}}.Encode(),
		"path-escaped":         "/4.0/keys/" + url.PathEscape(secret) + "/x",
		"url.URL":              (&url.URL{Scheme: "https", Host: "x", Path: "/k/" + secret}).String(),
		"json (go default)":    `{"key":"` + jsonMarshalled(secret) + `"}`,
		"json (no html)":       `{"key":"` + jsonUnescapedHTML(secret) + `"}`,
		"json slash-escaped":   `{"key":"` + strings.ReplaceAll(jsonUnescapedHTML(secret), "/", `\/`) + `"}`,
		"base64 std":           "data:" + base64.StdEncoding.EncodeToString([]byte(secret)),
		"base64 url":           "token=" + base64.URLEncoding.EncodeToString([]byte(secret)),
		"base64 raw std":       "x " + base64.RawStdEncoding.EncodeToString([]byte(secret)) + " y",
		"base64 raw url":       "x " + base64.RawURLEncoding.EncodeToString([]byte(secret)) + " y",
		"basic credential":     "Basic " + base64.StdEncoding.EncodeToString([]byte("user:"+secret)),
		"in a json body twice": fmt.Sprintf(`{"a":%q,"b":{"c":"%s"}}`, secret, jsonMarshalled(secret)),
	}
}

var testSecrets = map[string]string{
	"plain":                   "pk_live_0123456789abcdefABCDEF",
	"quote, slash, html, url": `k"ey/with+slash&<tag>?q=1%`,
	"unicode":                 "clé-ü-🔑-0123",
}

func TestRedactorEveryForm(t *testing.T) {
	for sname, secret := range testSecrets {
		r := NewRedactor(secret)
		for ename, text := range encodings(secret) {
			t.Run(sname+"/"+ename, func(t *testing.T) {
				got := r.String(text)
				require.Contains(t, got, Redacted, "String(%q)", text)
				assertNoSecret(t, got, secret)
			})
		}
	}
}

// TestRedactorHandWrittenJSON pins escapings other encoders write, spelt out
// by hand: Python's json.dumps (ASCII only), PHP's json_encode ("\/").
func TestRedactorHandWrittenJSON(t *testing.T) {
	tests := map[string]struct{ secret, text string }{
		"python ascii, bmp and astral": {"clé-ü-🔑-0123", `{"key": "cl\u00e9-\u00fc-\ud83d\udd11-0123"}`},
		"upper-case hex escapes":       {"clé-ü-🔑-0123", `{"key": "cl\u00E9-\u00FC-\uD83D\uDD11-0123"}`},
		"php slashes and unicode":      {"a/b-é-secret", `{"key":"a\/b-\u00e9-secret"}`},
		"go html escapes":              {"a<b>&c-secret", `{"key":"a\u003cb\u003e\u0026c-secret"}`},
		"quote and backslash":          {`a"b\c-secret`, `{"key":"a\"b\\c-secret"}`},
		"lower-case percent escapes":   {"a/b c+d-secret", "?k=a%2fb+c%2bd-secret"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got := NewRedactor(tc.secret).String(tc.text)
			assert.Contains(t, got, Redacted, "String(%q)", tc.text)
			assert.NotContains(t, got, "secret", "String(%q)", tc.text)
			assert.NotContains(t, got, "0123", "String(%q)", tc.text)
		})
	}
}

// TestRedactorBase64Inside puts the secret at every offset of a larger
// base64 text (a document, a token): no alignment may leave it readable.
func TestRedactorBase64Inside(t *testing.T) {
	secret := testSecrets["plain"]
	r := NewRedactor(secret)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		for off := range 6 {
			payload := append(bytes.Repeat([]byte{0xA5}, off), secret...)
			payload = append(payload, "-and some more bytes after it"...)
			text := enc.EncodeToString(payload)
			got := r.String(text)
			if !assert.NotEqual(t, text, got, "offset %d: want the secret's part redacted", off) {
				continue
			}
			assertNoSecret(t, got, secret)
		}
	}
}

// assertNoSecret fails if text holds secret raw, or any base64 decoding of
// any run of text at any alignment holds the secret's inner part (its first
// and last bytes may share characters with their neighbours).
func assertNoSecret(t *testing.T, text, secret string) {
	t.Helper()
	assert.NotContains(t, text, secret)
	inner := secret[1 : len(secret)-1]
	isB64 := func(r rune) bool {
		return r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("+/-_", r)
	}
	for _, run := range strings.FieldsFunc(text, func(r rune) bool { return !isB64(r) }) {
		for skip := range 4 {
			if skip >= len(run) {
				break
			}
			s := run[skip:]
			s = s[:len(s)/4*4]
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
				b, err := enc.DecodeString(s)
				assert.False(t, err == nil && bytes.Contains(b, []byte(inner)), "%q holds the secret in base64 (run %q, skip %d)", text, run, skip)
			}
		}
	}
}

func TestRedactorLongestFirst(t *testing.T) {
	tests := map[string]struct {
		secrets    []string
		text, want string
	}{
		"escaped form replaced whole": {[]string{"abc/defg-1"}, "x=abc%2Fdefg-1;", "x=" + Redacted + ";"},
		"longer secret wins":          {[]string{"secret-one", "secret-one-two"}, "a secret-one-two b", "a " + Redacted + " b"},
		"both secrets":                {[]string{"secret-one", "other-secret"}, "secret-one,other-secret", Redacted + "," + Redacted},
		"nothing to redact":           {[]string{"secret-one"}, "nothing here", "nothing here"},
		"empty secrets ignored":       {[]string{"", ""}, "anything", "anything"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			assert.Equal(t, tc.want, NewRedactor(tc.secrets...).String(tc.text), "String(%q)", tc.text)
		})
	}
}

func TestRedactorBytesAndHeader(t *testing.T) {
	r := NewRedactor("the-secret-key")
	in := []byte("no secret here")
	assert.Equal(t, &in[0], &r.Bytes(in)[0], "Bytes copied a body with nothing to redact")
	assert.Equal(t, `{"k":"`+Redacted+`"}`, string(r.Bytes([]byte(`{"k":"the-secret-key"}`))))
	assert.Nil(t, r.Bytes(nil), "Bytes(nil) != nil")
	h := http.Header{
		"Apikey":        {"anything"},
		"Authorization": {"Bearer x"},
		"X-Api-Key":     {"whatever"},
		"Location":      {"/4.0/x?apikey=the-secret-key"},
		"X-Other":       {"plain", "the-secret-key"},
	}
	got := r.Header(h)
	want := http.Header{
		"Apikey":        {Redacted},
		"Authorization": {Redacted},
		"X-Api-Key":     {Redacted},
		"Location":      {"/4.0/x?apikey=" + Redacted},
		"X-Other":       {"plain", Redacted},
	}
	assert.Equal(t, fmt.Sprint(want), fmt.Sprint(got), "Header")
	assert.Equal(t, "anything", h.Get("Apikey"), "Header changed its argument")
	assert.Nil(t, r.Header(nil), "Header(nil) != nil")
	var zero Redactor
	assert.Equal(t, "the-secret-key", zero.String("the-secret-key"), "the zero Redactor redacted something")
	assert.Equal(t, Redacted, zero.Header(http.Header{"Apikey": {"k"}}).Get("Apikey"), "the zero Redactor kept an apikey header")
}

func TestRedactorWith(t *testing.T) {
	base := NewRedactor("first-secret")
	more := base.With("second-secret")
	assert.Equal(t, Redacted+" "+Redacted, more.String("first-secret second-secret"))
	assert.Equal(t, "second-secret", base.String("second-secret"))
}

// TestClientRedactsEverywhere sends a configured key, a second secret and a
// per-request key in the query, a header and the body, has the server echo
// them in every form, and checks the exchange, the observed copy and the
// error hold none of them.
func TestClientRedactsEverywhere(t *testing.T) {
	const key = `pk/"live"+ü-0123456789`
	const other = "second-secret-value"
	const override = "override-key-987654"
	srv := newCountingServer(t, func(_ int64, w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("apikey")
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Location", "/4.0/x?apikey="+url.QueryEscape(got))
		w.Header().Set("X-Echo", got)
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"raw":%q,"b64":%q,"path":%q,"uri":%q,"sent":%s,"html":"%s"}`,
			got, base64.StdEncoding.EncodeToString([]byte(got)), url.PathEscape(got), r.RequestURI, body, jsonMarshalled(got))
	})
	var observed []exchange.Exchange
	c := newTestClient(t, srv.URL, func(cfg *Config) {
		cfg.APIKey = key
		cfg.Secrets = []string{other}
		cfg.Observe = func(ex *exchange.Exchange) { observed = append(observed, *ex) }
	})
	secrets := []string{key, other, override}
	reqs := []Request{
		{Method: "POST", Path: "/profiles?apikey=" + url.QueryEscape(key) + "&s=" + other,
			Body: []byte(`{"note":"` + jsonMarshalled(key) + `","other":"` + other + `"}`), Header: http.Header{"X-Trace": {other}}},
		{Method: "GET", Path: "/whoami", Key: override},
	}
	// The checks read the exchange as the target sent it; what writes it
	// out redacts it with the run's redactor (here the client's and the
	// other key, as the suite's holds the keys its features send).
	red := c.Redactor().With(override)
	for _, req := range reqs {
		ex, err := c.Do(context.Background(), req)
		require.NoError(t, err, "Do")
		assert.NotContains(t, string(ex.ResponseBody), Redacted, "the exchange the checks read is redacted")
		all, _ := json.Marshal(red.Exchange(ex))
		for _, s := range secrets {
			assertNoForm(t, "exchange", string(all), s)
		}
	}
	require.Len(t, observed, 2)
	for _, ex := range observed {
		all, _ := json.Marshal(red.Exchange(&ex))
		for _, s := range secrets {
			assertNoForm(t, "observed exchange", string(all), s)
		}
		assert.Contains(t, string(red.Exchange(&ex).ResponseBody), Redacted)
	}

	// An error message quotes the URL, query and all.
	c2 := newTestClient(t, closedPort(t), func(cfg *Config) { cfg.APIKey = key; cfg.MaxRetries = -1 })
	ex, err := c2.Do(context.Background(), Request{Path: "/x?apikey=" + url.QueryEscape(key)})
	require.Error(t, err, "Do to a closed port: nil error")
	assertNoForm(t, "error", err.Error(), key)
	assertNoForm(t, "exchange error", ex.Err, key)
	assert.Contains(t, err.Error(), Redacted)
}

// assertNoForm fails if text holds s in any form a JSON rendering of an
// exchange could carry it: raw, escaped or base64.
func assertNoForm(t *testing.T, what, text, s string) {
	t.Helper()
	forms := map[string]string{
		"raw": s, "query": url.QueryEscape(s), "path": url.PathEscape(s),
		"json": jsonMarshalled(s), "json no html": jsonUnescapedHTML(s),
		"base64": base64.StdEncoding.EncodeToString([]byte(s)), "base64 raw url": base64.RawURLEncoding.EncodeToString([]byte(s)),
		"json of json": jsonMarshalled(jsonMarshalled(s)),
	}
	for name, f := range forms {
		assert.NotContains(t, text, f, "%s holds the secret %s (%s form): %s", what, s, name, text)
	}
	assertNoSecret(t, text, s)
}
