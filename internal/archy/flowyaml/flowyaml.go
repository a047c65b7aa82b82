// Package flowyaml reads Archy flow YAML, keeping line numbers: as yaml.v3
// nodes with the small set of lookups the verifier and the flow runtime use
// to find their way around a flow file, and as a compact tree (Node) for the
// bundle checker, which reads every rendered flow back on every render.
package flowyaml

import "gopkg.in/yaml.v3"

// Resolve follows YAML aliases to the node they name.
func Resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	return n
}

// Get returns the value of key in a mapping, or nil.
func Get(n *yaml.Node, key string) *yaml.Node {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return Resolve(n.Content[i+1])
		}
	}
	return nil
}

// Keys returns a mapping's key nodes, in document order.
func Keys(n *yaml.Node) []*yaml.Node {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, n.Content[i])
	}
	return out
}

// Single returns the only key and value of a one-entry mapping, the shape of
// name-keyed references (`category: {<name>: {...}}`) and of actions
// (`- decision: {...}`); nil, nil for anything else.
func Single(n *yaml.Node) (key, value *yaml.Node) {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode || len(n.Content) != 2 {
		return nil, nil
	}
	return n.Content[0], Resolve(n.Content[1])
}

// Scalar returns a scalar's text, or "" for anything else.
func Scalar(n *yaml.Node) string {
	n = Resolve(n)
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// Walk visits every node with the mapping key it sits under (sequence items
// get their sequence's key; the root gets "").
func Walk(n *yaml.Node, fn func(n *yaml.Node, key string)) {
	walk(n, "", fn)
}

// walk is Walk's recursion, a plain function rather than a closure calling
// itself (which would escape to the heap on every Walk).
func walk(n *yaml.Node, key string, fn func(n *yaml.Node, key string)) {
	n = Resolve(n)
	if n == nil {
		return
	}
	fn(n, key)
	switch n.Kind {
	case yaml.DocumentNode, yaml.SequenceNode:
		for _, c := range n.Content {
			walk(c, key, fn)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			walk(n.Content[i+1], n.Content[i].Value, fn)
		}
	}
}
