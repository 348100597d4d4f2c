package mock

import "slices"

// What a check ran on and whom it asked (decision D124, docs/decisions.md):
// its input_data is the part of the profile's collected data its entity's
// checks read, taken when the check is instructed; its providers are a fixed
// demo provider per kind of check. A check recorded as run elsewhere, and a
// manual form, asked no provider.

// checkInputKeys are the collected-data keys a check of an individual, or
// of a company, runs on.
var checkInputKeys = map[string][]string{
	"INDIVIDUAL": {"entity_type", "personal_details", "address_history"},
	"COMPANY":    {"entity_type", "metadata"},
}

// checkInput returns the input_data of a check run on the collected data of
// an entity (INDIVIDUAL or COMPANY, its profile's: collected data always
// agrees with its role) as compact JSON: the keys of checkInputKeys for the
// entity, in the order the collected data has them; nil if the data is not
// an object.
func checkInput(collected []byte, entity string) []byte {
	cd, e := asObject(collected, collectedData)
	if e != nil {
		return nil
	}
	keep := checkInputKeys[entity]
	b, first := []byte{'{'}, true
	for _, f := range cd {
		if slices.Contains(keep, string(f.key)) {
			b = appendRaw(appendKey(b, string(f.key), first), f.val)
			first = false
		}
	}
	return append(b, '}')
}

// demoProviderNames name the demo provider each kind of check asks; a check
// type not listed asks demoProviderName.
var demoProviderNames = map[string]string{
	"IDENTITY_CHECK":                    "Demo identity data",
	"DOCUMENT_VERIFICATION":             "Demo document verification",
	"COMPANY_DOCUMENT_VERIFICATION":     "Demo document verification",
	"DOCUMENT_FETCH":                    "Demo document verification",
	"PEPS_AND_SANCTIONS_SCREEN":         "Demo screening",
	"COMPANY_PEPS_AND_SANCTIONS_SCREEN": "Demo screening",
	"PEPS_SCREEN":                       "Demo screening",
	"SANCTIONS_SCREEN":                  "Demo screening",
	"CRA_BANK_ACCOUNT_VERIFICATION":     "Demo credit reference",
	"FRAUD_SCREENING":                   "Demo fraud data",
	"DEVICE_FRAUD_DETECTION":            "Demo fraud data",
	"COMPANY_FRAUD_SCREENING":           "Demo fraud data",
	"COMPANY_MERCHANT_FRAUD_SCREENING":  "Demo fraud data",
	"COMPANY_REGISTRY":                  "Demo company registry",
	"COMPANY_CHARITIES_REGISTRY":        "Demo company registry",
	"COMPANY_OWNERSHIP":                 "Demo company registry",
	"COMPANY_DATA":                      "Demo company registry",
	"COMPANY_FILINGS":                   "Demo company registry",
	"COMPANY_FILING_PURCHASE":           "Demo company registry",
}

const (
	demoProviderName = "Demo provider"
	// demoVariantName is the provider variant of a check that names no
	// variant, or one without a name.
	demoVariantName = "Demo default"
)

// checkProviders returns the providers a check of ctype asked: none for a
// check run elsewhere or a manual form, else the type's demo provider, run
// as the check's variant when that has a name. The mock monitors nothing:
// is_monitored is false.
func checkProviders(ctype string, variant *checkVariantJSON, external bool) []checkProviderJSON {
	if external || ctype == "INDIVIDUAL_MANUAL_FORM" || ctype == "COMPANY_MANUAL_FORM" {
		return []checkProviderJSON{}
	}
	name, ok := demoProviderNames[ctype]
	if !ok {
		name = demoProviderName
	}
	vname := demoVariantName
	if variant != nil && variant.Name != "" {
		vname = variant.Name
	}
	return []checkProviderJSON{{ProviderName: name, VariantName: vname}}
}
