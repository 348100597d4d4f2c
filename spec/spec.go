// Package spec embeds the harness's contract files, so a compiled test binary
// or cmd/conformance runs anywhere without the source tree.
package spec

import _ "embed"

// OpenAPI is spec/passfort-4.0.yaml: our OpenAPI 3.0.3 description of PassFort API 4.0.
//
//go:embed passfort-4.0.yaml
var OpenAPI []byte

// Lifecycle is spec/lifecycle.yaml: the product-application lifecycle model.
//
//go:embed lifecycle.yaml
var Lifecycle []byte

// Products is spec/products.yaml: the mock's product catalogue and the suite's product roles.
//
//go:embed products.yaml
var Products []byte

// Consistency is spec/consistency.yaml: the read-consistency model.
//
//go:embed consistency.yaml
var Consistency []byte
