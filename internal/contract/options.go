package contract

// Options configures a Validator. The zero value is the strict default: the
// spec must pass every load-time check of kin-openapi.
type Options struct {
	// Lenient turns the load-time checks that real-world specs fail into
	// Warnings instead of errors: examples and defaults that do not match their
	// own schema, and patterns Go's regexp cannot compile (such as Perl
	// lookahead "(?!"), which are then not checked at all. Use it for a vendor
	// spec handed to the harness as is; our own spec loads without it.
	Lenient bool
	// StrictEnums makes a response value outside a vendor-extensible enum
	// (x-extensible-enum: true) a contract failure (finding.OutsideEnum),
	// as a value outside a closed enum always is. By default it is drift
	// (finding.UnknownEnumValue): PassFort adds task types, check types and
	// the like over time (decisions D35 and D54, docs/decisions.md).
	// Requests are judged strictly either way.
	StrictEnums bool
}
