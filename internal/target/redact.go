package target

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/passfort-conformance/harness/internal/exchange"
)

// Redacted is what every secret reads as in exchanges, logs and reports.
const Redacted = "[REDACTED]"

// minFragment is the shortest base64 fragment of a secret that is
// redacted inside a larger base64 text: shorter ones would match by chance.
const minFragment = 8

// Redactor replaces configured secrets, in every form they can be written,
// with Redacted: raw; URL query-, segment- and path-escaped (either hex
// case);
// JSON-escaped as Go, JavaScript and Python write it (HTML-escaped or not,
// "/" as "\/" or not, non-ASCII as \u escapes or not); base64 in the
// standard and URL alphabets, padded or not, on its own or at any offset
// inside a larger base64 text. The zero value redacts nothing. It is
// immutable and safe for concurrent use.
type Redactor struct {
	secrets []string
	r       *strings.Replacer
}

// NewRedactor returns a Redactor for the given secrets; empty ones are
// ignored. Secrets shorter than 4 bytes are refused by the client's config
// check, not here: redacting "a" would garble every body.
func NewRedactor(secrets ...string) Redactor {
	var kept []string
	seen := map[string]bool{}
	for _, s := range secrets {
		if s != "" && !seen[s] {
			seen[s] = true
			kept = append(kept, s)
		}
	}
	if len(kept) == 0 {
		return Redactor{}
	}
	seen = map[string]bool{}
	var forms []string
	for _, s := range kept {
		for _, f := range secretForms(s) {
			if f != "" && !seen[f] {
				seen[f] = true
				forms = append(forms, f)
			}
		}
	}
	// Longest first: at a given position strings.Replacer takes the first
	// pattern in argument order, so an encoded form that starts like the
	// raw secret is replaced whole rather than leaving its encoding's
	// remains behind. Ties break by text, so the order is deterministic.
	slices.SortFunc(forms, func(a, b string) int {
		return cmp.Or(cmp.Compare(len(b), len(a)), strings.Compare(a, b))
	})
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Redacted)
	}
	return Redactor{secrets: kept, r: strings.NewReplacer(pairs...)}
}

// With returns a Redactor for r's secrets and the given ones.
func (r Redactor) With(secrets ...string) Redactor {
	return NewRedactor(append(slices.Clip(r.secrets), secrets...)...)
}

// secretForms lists the ways s can be written in a URL, a header, a JSON
// document or a base64 text.
func secretForms(s string) []string {
	// HTML-escaped as html/template writes it ("+" is &#43;), for report.html.
	forms := []string{s, template.HTMLEscapeString(s)}
	// A path segment escapes "/", a whole URL path keeps it.
	wholePath := (&url.URL{Path: s}).EscapedPath()
	// A URL's user information escapes "@", ":", "/" and "?" but keeps "+"
	// and the other sub-delimiters, unlike a query or a path: a password
	// such as "a@b:c/d+e" has a form of its own.
	userinfo := strings.TrimPrefix(url.UserPassword("", s).String(), ":")
	for _, esc := range []string{url.QueryEscape(s), url.PathEscape(s), wholePath, userinfo} {
		forms = append(forms, esc, lowerHexEscapes(esc))
	}
	forms = append(forms, jsonForms(s)...)
	raw := []byte(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
		forms = append(forms, enc.EncodeToString(raw))
		noPad := enc.WithPadding(base64.NoPadding)
		forms = append(forms, noPad.EncodeToString(raw))
		forms = append(forms, base64Fragments(noPad, raw)...)
	}
	return forms
}

// lowerHexEscapes rewrites %XX escapes with lower-case hex digits, as some
// servers echo them.
func lowerHexEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1] = lowerHex(b[i+1])
			b[i+2] = lowerHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lowerHex(c byte) byte {
	if c >= 'A' && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}

// jsonForms returns s as the inside of a JSON string, in each escaping
// common encoders use.
func jsonForms(s string) []string {
	var bases []string
	for _, html := range []bool{true, false} {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(html)
		if err := enc.Encode(s); err != nil {
			continue
		}
		q := strings.TrimSpace(buf.String())
		bases = append(bases, q[1:len(q)-1])
	}
	var out []string
	for _, b := range bases {
		for _, v := range []string{b, asciiEscapes(b, "\\u%04x"), asciiEscapes(b, "\\u%04X")} {
			out = append(out, v, strings.ReplaceAll(v, "/", `\/`))
		}
	}
	return out
}

// asciiEscapes writes every non-ASCII rune of s as a \u escape (a UTF-16
// surrogate pair beyond the BMP), as Python's json.dumps does by default.
func asciiEscapes(s, format string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(r)
		case r > 0xFFFF:
			r -= 0x10000
			fmt.Fprintf(&b, format, 0xD800+(r>>10))
			fmt.Fprintf(&b, format, 0xDC00+(r&0x3FF))
		default:
			fmt.Fprintf(&b, format, r)
		}
	}
	return b.String()
}

// base64Fragments returns the characters of s's encoding that depend on s
// alone when s starts at byte offset 0, 1 or 2 of a larger encoded text:
// what is left of s inside, say, a base64 document or a Basic credential.
func base64Fragments(enc *base64.Encoding, s []byte) []string {
	var out []string
	for k := range 3 {
		buf := make([]byte, k+len(s))
		copy(buf[k:], s)
		e := enc.EncodeToString(buf)
		from := (8*k + 5) / 6      // first character made of s's bits only
		to := 8 * (k + len(s)) / 6 // after the last one
		if to-from >= minFragment {
			out = append(out, e[from:to])
		}
	}
	return out
}

// String redacts s.
func (r Redactor) String(s string) string {
	if r.r == nil {
		return s
	}
	return r.r.Replace(s)
}

// Bytes redacts b, returning b itself when nothing changed.
func (r Redactor) Bytes(b []byte) []byte {
	if r.r == nil || len(b) == 0 {
		return b
	}
	s := string(b)
	out := r.r.Replace(s)
	if out == s {
		return b
	}
	return []byte(out)
}

// Exchange returns a redacted copy of ex, for anything that writes it out.
// Its headers are new maps; a body is ex's own when nothing in it changed.
func (r Redactor) Exchange(ex *exchange.Exchange) *exchange.Exchange {
	cp := *ex
	cp.URL = r.String(ex.URL)
	cp.Err = r.String(ex.Err)
	cp.Path = r.String(ex.Path)
	cp.RequestHeader = r.Header(ex.RequestHeader)
	cp.ResponseHeader = r.Header(ex.ResponseHeader)
	cp.RequestBody = r.Bytes(ex.RequestBody)
	cp.ResponseBody = r.Bytes(ex.ResponseBody)
	return &cp
}

// isSecretHeader reports whether a header is redacted whatever its value.
func isSecretHeader(canonical string) bool {
	switch canonical {
	case "Apikey", "X-Api-Key", "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie":
		return true
	}
	return false
}

// Header returns a redacted copy of h, names and values.
func (r Redactor) Header(h http.Header) http.Header {
	if h == nil {
		return nil
	}
	out := make(http.Header, len(h))
	for k, vs := range h {
		secret := isSecretHeader(http.CanonicalHeaderKey(k))
		cp := make([]string, len(vs))
		for i, v := range vs {
			if secret {
				cp[i] = Redacted
			} else {
				cp[i] = r.String(v)
			}
		}
		// A name can hold a secret too: a target may echo the key as one.
		name := r.headerName(k)
		out[name] = append(out[name], cp...)
	}
	return out
}

// headerName redacts a header name. Names are canonicalised ("X-Abcd" for
// "x-ABCD"), so secrets are matched whatever their case.
func (r Redactor) headerName(k string) string {
	k = r.String(k)
	for _, s := range r.secrets {
		ls := strings.ToLower(s)
		for {
			i := strings.Index(strings.ToLower(k), ls)
			if i < 0 || ls == "" || len(strings.ToLower(k)) != len(k) {
				break
			}
			k = k[:i] + Redacted + k[i+len(s):]
		}
	}
	return k
}

// URLSecrets returns the secrets a base URL carries: its password, decoded
// and as written (a URL may escape it in a way Go would not, e.g. "%3a" for
// ":" or "%21" for "!").
func URLSecrets(base string) []string {
	u, err := url.Parse(base)
	if err != nil || u.User == nil {
		return nil
	}
	pw, ok := u.User.Password()
	if !ok || pw == "" {
		return nil
	}
	out := []string{pw}
	if _, rest, ok := strings.Cut(base, "://"); ok {
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if _, written, ok := strings.Cut(rest[:at], ":"); ok && written != pw && written != "" {
				out = append(out, written)
			}
		}
	}
	return out
}
