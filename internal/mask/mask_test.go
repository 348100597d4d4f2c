package mask

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const profile = `{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL",
"personal_details":{"name":{"given_names":["Jane","Ann"],"family_name":"Doe"},"dob":"1990-01-31","nationality":"GBR",
"national_identity_number":{"GBR":"QQ123456C"}},
"address_history":[{"address":{"type":"STRUCTURED","country":"GBR","street_number":"12","route":"Baker Street","postal_code":"NW1 6XE"},"start_date":"2020-01"}],
"contact_details":{"email":"jane@doe.example","phone_number":"+447700900123"},
"documents":[{"document_type":"PASSPORT","number":"P1234567"}]}}`

func TestMaskerMasksPersonalData(t *testing.T) {
	t.Parallel()
	m := WithKey([]byte("k"))
	m.LearnJSON([]byte(profile))
	out := m.String(profile)
	for _, v := range []string{"Jane", "Ann", "Doe", "1990-01-31", "QQ123456C", "Baker Street", "NW1 6XE", "jane@doe.example", "+447700900123", "P1234567"} {
		assert.NotContains(t, out, v)
	}
	// What says nothing about the person stays, and the body stays JSON.
	for _, v := range []string{"INDIVIDUAL_CUSTOMER", "GBR", "STRUCTURED", "PASSPORT", "2020-01"} {
		assert.Contains(t, out, v)
	}
	require.True(t, json.Valid([]byte(out)), out)
	var got struct {
		CollectedData struct {
			PersonalDetails struct {
				Dob string `json:"dob"`
			} `json:"personal_details"`
			ContactDetails struct {
				Email string `json:"email"`
			} `json:"contact_details"`
		} `json:"collected_data"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	assert.Regexp(t, `^\d{4}-\d{2}-\d{2}$`, got.CollectedData.PersonalDetails.Dob, "a date stays a date")
	assert.Regexp(t, `^masked-[0-9a-f]{8}@example\.invalid$`, got.CollectedData.ContactDetails.Email)
}

func TestMaskerIsStableAndWholeWord(t *testing.T) {
	t.Parallel()
	m := WithKey([]byte("k"))
	m.LearnJSON([]byte(`{"family_name":"Doe","given_names":["Jo"]}`))
	a, b := m.String(`profile for "Jo Doe"`), m.String(`expected Doe, got Doe`)
	assert.NotContains(t, a, "Doe")
	assert.Equal(t, m.String("Doe"), m.String("Doe"), "one value, one pseudonym")
	assert.Contains(t, b, m.String("Doe"))
	assert.Equal(t, "Doest Jolly", m.String("Doest Jolly"), "a value inside another word is left alone")
	other := WithKey([]byte("other run"))
	other.LearnJSON([]byte(`{"family_name":"Doe"}`))
	assert.NotEqual(t, m.String("Doe"), other.String("Doe"), "pseudonyms are per run")
}

func TestMaskerLearnsNothingFromOtherData(t *testing.T) {
	t.Parallel()
	m := WithKey([]byte("k"))
	m.LearnJSON([]byte(`{"id":"a1b2","name":"forexo_basic","metadata":{"name":"Acme Ltd","number":"09565115"}}`))
	m.LearnJSON([]byte(`not json`))
	m.LearnJSON([]byte(`{"family_name":"X"}`))                // shorter than MinLen
	m.LearnJSON([]byte(`{"address":{"street_number":"12"}}`)) // would garble every 12
	assert.Zero(t, m.Len())
	assert.Equal(t, "forexo_basic", m.String("forexo_basic"))
}
