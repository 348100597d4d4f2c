// Package mask replaces personal data (names, dates of birth, addresses,
// document and national id numbers, contact details) in what a run writes
// out with stable per-run pseudonyms (decision D86, docs/decisions.md).
//
// A Masker learns personal values from JSON bodies by field name, then
// rewrites any text: the same value always reads as the same pseudonym
// within a run, so a report stays readable and a cassette stays consistent,
// and a pseudonym keeps its value's shape (a date stays a date, an email an
// email) so a re-check of a masked cassette judges it as the original.
package mask

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// personalFields are the JSON field names whose string values (or the
// strings of the arrays they hold) are personal data, wherever they occur.
var personalFields = map[string]bool{
	"given_names": true, "family_name": true, "alt_family_names": true,
	"dob": true, "email": true, "phone_number": true,
	"document_number": true, "original_freeform_address": true,
}

// personalParents are the fields every string below which is personal data,
// but for the fields in notPersonal (an address's type and country say
// nothing about whom it belongs to).
var personalParents = map[string]bool{
	"address": true, "national_identity_number": true, "national_identity_numbers": true,
}

// documentParents are the fields below which a "number" is a document's.
var documentParents = map[string]bool{"documents": true, "documents_metadata": true, "document": true}

var notPersonal = map[string]bool{"type": true, "country": true, "country_code": true, "entity_type": true}

// MinLen is the shortest value masked, in runes: a one-letter value would
// match inside every other word.
const MinLen = 2

// Masker is a run's personal-data mask. The zero value is not usable: use
// New. It is safe for concurrent use.
type Masker struct {
	key []byte

	mu     sync.Mutex
	values map[string]string // value -> pseudonym
	re     *regexp.Regexp    // nil until a value is learnt or after one is
}

// New returns a Masker with a random per-run key: pseudonyms cannot be
// reversed by trying every date of birth.
func New() *Masker {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic(fmt.Sprintf("mask: no randomness: %v", err))
	}
	return WithKey(key)
}

// WithKey returns a Masker whose pseudonyms derive from key (for tests).
func WithKey(key []byte) *Masker {
	return &Masker{key: slices.Clone(key), values: map[string]string{}}
}

// LearnJSON records the personal values of a JSON body; a body that is not
// JSON teaches nothing.
func (m *Masker) LearnJSON(body []byte) {
	if len(body) == 0 {
		return
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return
	}
	var found []string
	walk(v, nil, false, &found)
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range found {
		if utf8.RuneCountInString(s) < MinLen || shortNumber.MatchString(s) || m.values[s] != "" {
			continue
		}
		m.values[s] = m.pseudonym(s)
		m.re = nil
	}
}

// walk collects the personal strings of v; path is the keys above it, and
// personal says whether an ancestor makes every string personal.
func walk(v any, path []string, personal bool, found *[]string) {
	key := ""
	if len(path) > 0 {
		key = path[len(path)-1]
	}
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			p := personal || personalParents[k]
			if p && notPersonal[k] {
				p = false
			}
			walk(c, append(path, k), p || personalFields[k] || (k == "number" && anyOf(path, documentParents)), found)
		}
	case []any:
		for _, c := range t {
			walk(c, path, personal || personalFields[key], found)
		}
	case string:
		if personal {
			*found = append(*found, t)
		}
	}
}

func anyOf(path []string, set map[string]bool) bool {
	return slices.ContainsFunc(path, func(k string) bool { return set[k] })
}

var (
	// shortNumber is a value too common to mask as text (a house number):
	// masking "12" would garble every count and line number, and JSON
	// numbers with them.
	shortNumber = regexp.MustCompile(`^\d{1,5}$`)
	fullDate    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	yearMonth   = regexp.MustCompile(`^\d{4}-\d{2}$`)
	yearOnly    = regexp.MustCompile(`^\d{4}$`)
)

// pseudonym is s's stand-in, of s's shape: a date (whole or partial) stays
// a date, an email an email, anything else reads "Masked-<hex>".
func (m *Masker) pseudonym(s string) string {
	mac := hmac.New(sha256.New, m.key)
	mac.Write([]byte(s))
	sum := mac.Sum(nil)
	n := binary.BigEndian.Uint32(sum)
	year, month, day := 1900+n%100, 1+(n>>8)%12, 1+(n>>16)%28
	switch {
	case fullDate.MatchString(s):
		return fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	case yearMonth.MatchString(s):
		return fmt.Sprintf("%04d-%02d", year, month)
	case yearOnly.MatchString(s):
		return fmt.Sprintf("%04d", year)
	case strings.Contains(s, "@"):
		return "masked-" + hex.EncodeToString(sum[:4]) + "@example.invalid"
	}
	return "Masked-" + hex.EncodeToString(sum[:4])
}

// Len returns how many values m has learnt.
func (m *Masker) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.values)
}

// matcher returns the expression matching every learnt value as a whole
// word (where the value starts or ends with a letter or digit), longest
// first so a value containing another is replaced whole.
func (m *Masker) matcher() *regexp.Regexp {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.re != nil || len(m.values) == 0 {
		return m.re
	}
	vals := make([]string, 0, len(m.values))
	for v := range m.values {
		vals = append(vals, v)
	}
	slices.SortFunc(vals, func(a, b string) int {
		if len(a) != len(b) {
			return len(b) - len(a)
		}
		return strings.Compare(a, b)
	})
	alts := make([]string, len(vals))
	for i, v := range vals {
		alt := regexp.QuoteMeta(v)
		if r, _ := utf8.DecodeRuneInString(v); isWord(r) {
			alt = `\b` + alt
		}
		if r, _ := utf8.DecodeLastRuneInString(v); isWord(r) {
			alt += `\b`
		}
		alts[i] = alt
	}
	m.re = regexp.MustCompile(strings.Join(alts, "|"))
	return m.re
}

// isWord is regexp's \b notion of a word character.
func isWord(r rune) bool {
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_')
}

// String masks every learnt value in s.
func (m *Masker) String(s string) string {
	re := m.matcher()
	if re == nil || s == "" {
		return s
	}
	return re.ReplaceAllStringFunc(s, m.lookup)
}

// Bytes masks every learnt value in b, returning b itself when nothing
// changed.
func (m *Masker) Bytes(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	out := m.String(string(b))
	if out == string(b) {
		return b
	}
	return []byte(out)
}

func (m *Masker) lookup(v string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.values[v]
}
