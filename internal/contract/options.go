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
}
