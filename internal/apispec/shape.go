package apispec

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// The shape limits of a spec, checked before kin-openapi decodes it: its
// decoding is quadratic in a mapping's size (one mapping of 90,000 keys took
// 74 s, 20,000 keys 4 s, 5,000 keys 0.23 s), so a hostile spec could hold a
// run for minutes. The PassFort spec has 8,481 nodes and no mapping over 99
// keys; at the limits the worst case loads in a few seconds (decision D72,
// docs/decisions.md).
const (
	// MaxNodes caps the YAML nodes (scalars, mappings, sequences) of a spec.
	MaxNodes = 200_000
	// MaxMappingKeys caps the keys of one mapping.
	MaxMappingKeys = 2_000
	// maxDepth caps nesting: yaml.v3 decodes recursively.
	maxDepth = 500
)

// CheckShape refuses a spec (YAML or JSON) whose shape is over the limits,
// with a one-line error naming the line. It does not check that raw is
// valid YAML: the loader does, with its own message.
func CheckShape(raw []byte) error {
	var root yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(raw)).Decode(&root); err != nil {
		return nil // the loader reports it
	}
	nodes := 0
	var walk func(n *yaml.Node, depth int) error
	walk = func(n *yaml.Node, depth int) error {
		nodes++
		if nodes > MaxNodes {
			return fmt.Errorf("spec shape: got over %d YAML nodes, want at most %d", MaxNodes, MaxNodes)
		}
		if depth > maxDepth {
			return fmt.Errorf("spec shape: line %d: got nesting over %d levels, want at most %d", n.Line, maxDepth, maxDepth)
		}
		if n.Kind == yaml.MappingNode && len(n.Content)/2 > MaxMappingKeys {
			return fmt.Errorf("spec shape: line %d: got a mapping of %d keys, want at most %d", n.Line, len(n.Content)/2, MaxMappingKeys)
		}
		for _, c := range n.Content {
			if err := walk(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(&root, 0)
}
