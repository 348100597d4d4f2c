// Package features embeds the suite's Gherkin files, so cmd/conformance runs
// them without the source tree.
package features

import "embed"

// FS holds every .feature file of this folder, at its root.
//
//go:embed *.feature
var FS embed.FS
