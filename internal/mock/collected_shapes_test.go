package mock

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The collected data's request shapes follow PassFort's own descriptions
// (decisions D39 and D109, docs/decisions.md): each body below is sent as a
// whole profile's collected data, to the create and to a replace.
func TestCollectedDataShapes(t *testing.T) {
	t.Parallel()
	const structured = `{"type":"STRUCTURED","country":"GBR","locality":"London"}`
	individual := func(fields string) string { return `{"entity_type":"INDIVIDUAL",` + fields + `}` }
	company := func(fields string) string {
		return `{"entity_type":"COMPANY","metadata":{"name":"Forexo Trading Ltd"},` + fields + `}`
	}
	tests := map[string]struct {
		data string
		code int    // 0: accepted
		says string // what the refusal's message names
	}{
		"undated current address":           {data: individual(`"address_history":[{"address":` + structured + `}]`)},
		"dated address":                     {data: individual(`"address_history":[{"address":` + structured + `,"start_date":"2020-01","end_date":"2023-06"}]`)},
		"only a start_date":                 {data: individual(`"address_history":[{"address":` + structured + `,"start_date":"2020-01"}]`)},
		"end_date without start_date":       {data: individual(`"address_history":[{"address":` + structured + `,"end_date":"2023-06"}]`), code: codeInvalidInputData, says: "start_date"},
		"start_date a year alone":           {data: individual(`"address_history":[{"address":` + structured + `,"start_date":"2020"}]`), code: codeInvalidInputData, says: "start_date"},
		"end_date a full date":              {data: individual(`"address_history":[{"address":` + structured + `,"start_date":"2020-01","end_date":"2023-06-30"}]`), code: codeInvalidInputData, says: "end_date"},
		"entry without an address":          {data: individual(`"address_history":[{"start_date":"2020-01"}]`), code: codeMissingRequiredFields},
		"freeform address":                  {data: individual(`"address_history":[{"address":{"type":"FREEFORM","country":"GBR","text":"10 Downing Street, London"}}]`)},
		"freeform address without text":     {data: individual(`"address_history":[{"address":{"type":"FREEFORM","country":"GBR"}}]`), code: codeMissingRequiredFields},
		"structured address without type":   {data: individual(`"address_history":[{"address":{"country":"GBR"}}]`), code: codeMissingRequiredFields},
		"structured address, type only":     {data: individual(`"address_history":[{"address":{"type":"STRUCTURED"}}]`)},
		"address of an unknown type":        {data: individual(`"address_history":[{"address":{"type":"POSTAL","country":"GBR"}}]`), code: codeInvalidInputData},
		"gender F":                          {data: individual(`"personal_details":{"gender":"F"}`)},
		"gender outside M and F":            {data: individual(`"personal_details":{"gender":"female"}`), code: codeInvalidInputData},
		"national identity number":          {data: individual(`"personal_details":{"national_identity_number":{"ITA":"RSSMRA85T10A562S"}}`)},
		"national identity number key":      {data: individual(`"personal_details":{"national_identity_number":{"italy":"RSSMRA85T10A562S"}}`), code: codeInvalidInputData},
		"ip_location":                       {data: individual(`"ip_location":{"ip_address":"192.0.2.1","country":"GBR"}`)},
		"ip_location without ip_address":    {data: individual(`"ip_location":{"country":"GBR"}`), code: codeMissingRequiredFields},
		"banking details":                   {data: individual(`"banking_details":{"bank_accounts":[{"type":"UK_ACCOUNT","country":"GBR","sort_code":"401010","account_number":"12345678"}]}`)},
		"banking details without accounts":  {data: individual(`"banking_details":{}`), code: codeMissingRequiredFields},
		"bank account without a type":       {data: individual(`"banking_details":{"bank_accounts":[{"country":"GBR"}]}`), code: codeMissingRequiredFields},
		"document":                          {data: individual(`"documents":[{"category":"PROOF_OF_IDENTITY","document_type":"PASSPORT"}]`)},
		"document without document_type":    {data: individual(`"documents":[{"category":"PROOF_OF_IDENTITY"}]`), code: codeMissingRequiredFields},
		"document of an unknown category":   {data: individual(`"documents":[{"category":"SELFIE_OF_A_CAT","document_type":"PASSPORT"}]`), code: codeInvalidInputData},
		"company document":                  {data: company(`"documents":[{"category":"PROOF_OF_ADDRESS","document_type":"UTILITY_BILL"}]`)},
		"company document without category": {data: company(`"documents":[{"document_type":"UTILITY_BILL"}]`), code: codeMissingRequiredFields},
		"officers":                          {data: company(`"officers":{"directors":[{"entity_type":"INDIVIDUAL"}]}`)},
		"officers as a list":                {data: company(`"officers":[{"entity_type":"INDIVIDUAL"}]`), code: codeInvalidInputData},
		"ownership structure":               {data: company(`"ownership_structure":{"shareholders":[{"entity_type":"COMPANY"}]}`)},
		"shareholders not a list":           {data: company(`"ownership_structure":{"shareholders":"Forexo Holdings"}`), code: codeInvalidInputData},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{})
			entity := "INDIVIDUAL"
			if strings.HasPrefix(tc.data, `{"entity_type":"COMPANY"`) {
				entity = "COMPANY"
			}
			role := entity + "_CUSTOMER"
			created := e.Post("/profiles", `{"role":"`+role+`","collected_data":`+tc.data+`,"applications":[]}`)
			empty := `{"role":"` + role + `","collected_data":{"entity_type":"` + entity + `"},"applications":[]}`
			id := e.Post("/profiles", empty).Want(200).Str("id")
			replaced := e.Post("/profiles/"+id+"/collected_data", tc.data)
			if tc.code == 0 {
				created.Want(200)
				replaced.Want(200)
				return
			}
			created.Want(400, tc.code)
			replaced.Want(400, tc.code)
			assert.Contains(t, created.Str("errors.0.message"), tc.says, "the refusal says why")
		})
	}
}

// country_of_birth, a field neither of PassFort's descriptions has, is an
// unknown field of collected data: not checked, whatever its value, and kept
// as sent like any other (decisions D21 and D39, docs/decisions.md).
func TestCountryOfBirthIsNotChecked(t *testing.T) {
	t.Parallel()
	for name, value := range map[string]string{"not a country code": `"XX"`, "a country code": `"GBR"`, "a number": `7`} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, Options{})
			data := `{"entity_type":"INDIVIDUAL","personal_details":{"name":{"family_name":"Lovelace"},"country_of_birth":` + value + `,"nationality":"GBR"}}`
			// Unrecorded: the echoed field is undocumented-field drift by
			// design, which the env's check would report.
			r := e.Unrecorded(http.MethodPost, "/profiles", `{"role":"INDIVIDUAL_CUSTOMER","collected_data":`+data+`,"applications":[]}`).Want(200)
			assert.JSONEq(t, value, r.Get("collected_data.personal_details.country_of_birth").Raw, "created: %s", r.Get("collected_data").Raw)
			id := r.Str("id")
			r = e.Unrecorded(http.MethodPost, "/profiles/"+id+"/collected_data", data).Want(200)
			assert.JSONEq(t, data, string(r.Body), "replaced: kept as sent")
			r = e.Unrecorded(http.MethodGet, "/profiles/"+id+"/collected_data", nil).Want(200)
			assert.JSONEq(t, data, string(r.Body), "read: kept as sent")
		})
	}
}
