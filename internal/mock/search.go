package mock

import (
	"net/url"
	"strings"
)

// Company and address search answer from a small catalogue of the mock's
// own (decisions D47, D48 and D52, docs/decisions.md): deterministic, and
// the same for every mock.

type companyJSON struct {
	Name    string  `json:"name"`
	Number  string  `json:"number"`
	Country string  `json:"country"`
	State   *string `json:"state"`
}

var companies = []companyJSON{
	{Name: "Forexo Trading Ltd", Number: "09565115", Country: "GBR"},
	{Name: "Lovelace Analytical Engines Ltd", Number: "01815121", Country: "GBR"},
	{Name: "Babbage Difference Ltd", Number: "00179112", Country: "GBR"},
	{Name: "Hopper Compilers Inc", Number: "C1952", Country: "USA", State: ptr("DE")},
	{Name: "Noether Algebra GmbH", Number: "HRB 1882", Country: "DEU"},
}

func ptr(s string) *string { return &s }

// requiredParams refuses a query without the named parameters (code 101).
func requiredParams(q url.Values, names ...string) *apiError {
	var miss []string
	for _, n := range names {
		if q.Get(n) == "" {
			miss = append(miss, n)
		}
	}
	if len(miss) > 0 {
		return missing(miss...)
	}
	return nil
}

type companySearchJSON struct {
	Companies []companyJSON    `json:"companies"`
	Errors    []checkErrorJSON `json:"errors"`
}

// searchCompanies serves GET /search/companies.
func (s *Server) searchCompanies(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	country := q.Get("country")
	if country == "" {
		return nil, missing("country")
	}
	if !isCountryCode(country) {
		return nil, invalid("country: got %q, want an ISO 3166-1 alpha-3 code such as GBR", country)
	}
	query, name, number := strings.ToLower(q.Get("query")), strings.ToLower(q.Get("name")), q.Get("number")
	state := q.Get("state")
	out := companySearchJSON{Companies: []companyJSON{}, Errors: []checkErrorJSON{}}
	if query == "" && name == "" && number == "" {
		return &out, nil // nothing to search for matches nothing (decision D53)
	}
	if userAssignedCountry(country) {
		out.Errors = append(out.Errors, checkErrorJSON{Code: 106, Message: "No registry covers the country " + country, Source: "PROVIDER"})
		return &out, nil
	}
	for _, co := range companies {
		lower := strings.ToLower(co.Name)
		switch {
		case co.Country != country:
		case state != "" && (co.State == nil || *co.State != state):
		case query != "" && !strings.Contains(lower, query) && !strings.Contains(strings.ToLower(co.Number), query):
		case name != "" && !strings.Contains(lower, name):
		case number != "" && co.Number != number:
		default:
			out.Companies = append(out.Companies, co)
		}
	}
	return &out, nil
}

// address is one address of the mock's catalogue.
type address struct {
	id, text string
	a        structuredAddressJSON
}

type structuredAddressJSON struct {
	Type         string `json:"type"`
	Country      string `json:"country"`
	PostalCode   string `json:"postal_code,omitempty"`
	Locality     string `json:"locality,omitempty"`
	Route        string `json:"route,omitempty"`
	StreetNumber string `json:"street_number,omitempty"`
	Premise      string `json:"premise,omitempty"`
}

var addresses = []address{
	{"GB|RM|A|12345678", "10 Downing Street, London, SW1A 2AA",
		structuredAddressJSON{Type: "STRUCTURED", Country: "GBR", PostalCode: "SW1A 2AA", Locality: "London", Route: "Downing Street", StreetNumber: "10"}},
	{"GB|RM|A|23456789", "11 Downing Street, London, SW1A 2AB",
		structuredAddressJSON{Type: "STRUCTURED", Country: "GBR", PostalCode: "SW1A 2AB", Locality: "London", Route: "Downing Street", StreetNumber: "11"}},
	{"GB|RM|A|34567890", "221B Baker Street, London, NW1 6XE",
		structuredAddressJSON{Type: "STRUCTURED", Country: "GBR", PostalCode: "NW1 6XE", Locality: "London", Route: "Baker Street", StreetNumber: "221B"}},
	{"US|US|A|45678901", "1600 Pennsylvania Avenue NW, Washington, DC 20500",
		structuredAddressJSON{Type: "STRUCTURED", Country: "USA", PostalCode: "20500", Locality: "Washington", Route: "Pennsylvania Avenue NW", StreetNumber: "1600"}},
}

type addressResultJSON struct {
	ID              string   `json:"id"`
	Text            string   `json:"text"`
	QuerySubstrings [][2]int `json:"query_substrings"`
}

type addressSearchJSON struct {
	Count   int                 `json:"count"`
	Results []addressResultJSON `json:"results"`
}

// searchAddresses serves GET /address/search: each word of the query must
// occur in the address (case-insensitively); the ranges mark where.
func (s *Server) searchAddresses(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	if e := requiredParams(q, "address", "country_code"); e != nil {
		return nil, e
	}
	text, country := q.Get("address"), q.Get("country_code")
	if !isCountryCode(country) {
		return nil, invalid("country_code: got %q, want an ISO 3166-1 alpha-3 code such as GBR", country)
	}
	if len(text) > 200 {
		return nil, invalid("address: got %d characters, want 1 to 200", len(text))
	}
	limit, e := intParam(q.Get("limit"), q.Has("limit"), "limit", 50, 1, 200)
	if e != nil {
		return nil, e
	}
	words := strings.Fields(strings.ToLower(text))
	out := addressSearchJSON{Results: []addressResultJSON{}}
	for _, a := range addresses {
		if a.a.Country != country || len(out.Results) == limit {
			continue
		}
		lower := strings.ToLower(a.text)
		r := addressResultJSON{ID: a.id, Text: a.text, QuerySubstrings: [][2]int{}}
		ok := true
		for _, w := range words {
			i := strings.Index(lower, w)
			if i < 0 {
				ok = false
				break
			}
			r.QuerySubstrings = append(r.QuerySubstrings, [2]int{i, i + len(w)})
		}
		if ok {
			out.Results = append(out.Results, r)
		}
	}
	out.Count = len(out.Results)
	return &out, nil
}

// formatAddress serves GET /address/format.
func (s *Server) formatAddress(c *call) (any, *apiError) {
	q := c.r.URL.Query()
	if e := requiredParams(q, "id", "country_code"); e != nil {
		return nil, e
	}
	aid, country := q.Get("id"), q.Get("country_code")
	for _, a := range addresses {
		if a.id == aid && a.a.Country == country {
			out := a.a
			return &out, nil
		}
	}
	return nil, notFound("Address not found: %s", aid)
}
