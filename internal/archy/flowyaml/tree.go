package flowyaml

import (
	"errors"
	"fmt"
	"iter"
	"math"

	"gopkg.in/yaml.v3"
)

// Node is a node of a flow file read by ParseTree: yaml.v3's Node less
// comments, anchors and aliases, its children held by value. A flow has
// thousands of nodes, read back on every render's self-check: at 56 bytes
// rather than yaml.v3's 152 (and no slab of child pointers) that reading
// allocates a third as much, and the collector has a third as much to scan.
type Node struct {
	Value        string
	Content      []Node
	Line, Column int32
	Kind         Kind
	Style        Style
	tag          tag // what the scanner resolved, for ParseString's yaml.v3 tree
}

// Kind and Style hold yaml.v3's values (yaml.Kind and yaml.Style, all
// below 256), so the two convert by value.
type (
	Kind  uint8
	Style uint8
)

const (
	DocumentNode = Kind(yaml.DocumentNode)
	SequenceNode = Kind(yaml.SequenceNode)
	MappingNode  = Kind(yaml.MappingNode)
	ScalarNode   = Kind(yaml.ScalarNode)

	DoubleQuotedStyle = Style(yaml.DoubleQuotedStyle)
	SingleQuotedStyle = Style(yaml.SingleQuotedStyle)
	FlowStyle         = Style(yaml.FlowStyle)
)

// tag is a resolved tag the scanner gives (tagOther for any other, from
// yaml.v3's reading).
type tag uint8

const (
	tagNone tag = iota // the document's
	tagStr
	tagInt
	tagBool
	tagNull
	tagSeq
	tagMap
	tagOther
)

var tagNames = [...]string{tagNone: "", tagStr: "!!str", tagInt: "!!int", tagBool: "!!bool", tagNull: "!!null", tagSeq: "!!seq", tagMap: "!!map"}

// Get returns the value of key in a mapping, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return &n.Content[i+1]
		}
	}
	return nil
}

// Keys yields a mapping's key nodes, in document order.
func (n *Node) Keys() iter.Seq[*Node] {
	return func(yield func(*Node) bool) {
		if n == nil || n.Kind != MappingNode {
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			if !yield(&n.Content[i]) {
				return
			}
		}
	}
}

// Single returns the only key and value of a one-entry mapping (see the
// function Single); nil, nil for anything else.
func (n *Node) Single() (key, value *Node) {
	if n == nil || n.Kind != MappingNode || len(n.Content) != 2 {
		return nil, nil
	}
	return &n.Content[0], &n.Content[1]
}

// Walk visits every node with the mapping key it sits under, as the
// function Walk does.
func (n *Node) Walk(fn func(n *Node, key string)) {
	if n != nil {
		walkTree(n, "", fn)
	}
}

func walkTree(n *Node, key string, fn func(n *Node, key string)) {
	fn(n, key)
	switch n.Kind {
	case DocumentNode, SequenceNode:
		for i := range n.Content {
			walkTree(&n.Content[i], key, fn)
		}
	case MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			walkTree(&n.Content[i+1], n.Content[i].Value, fn)
		}
	}
}

// ParseTree reads a flow file as Parse does, into the compact tree. Flow
// files bpgen writes hold no aliases; one is refused rather than expanded
// (a shared node would be walked once per reference, and nested aliases
// multiply).
func ParseTree(src string) (*Node, error) {
	if doc, _, ok := scan(src); ok {
		return doc, nil
	}
	var y yaml.Node
	if err := yaml.Unmarshal([]byte(src), &y); err != nil {
		return nil, err
	}
	doc, err := fromYAML(&y)
	if err != nil {
		return nil, err
	}
	return &doc, nil
}

var errPosition = errors.New("a line or column past 2,147,483,647, more than a flow file holds")

// fromYAML converts yaml.v3's tree (the rare text the scanner leaves to it).
func fromYAML(y *yaml.Node) (Node, error) {
	if y.Kind == yaml.AliasNode {
		return Node{}, fmt.Errorf("line %d: the alias *%s: flow files bpgen writes have none", y.Line, y.Value)
	}
	if y.Line > math.MaxInt32 || y.Column > math.MaxInt32 {
		return Node{}, errPosition
	}
	n := Node{Kind: Kind(y.Kind), Style: Style(y.Style), Value: y.Value, Line: int32(y.Line), Column: int32(y.Column), tag: tagOther}
	if len(y.Content) > 0 {
		n.Content = make([]Node, len(y.Content))
		for i, c := range y.Content {
			var err error
			if n.Content[i], err = fromYAML(c); err != nil {
				return Node{}, err
			}
		}
	}
	return n, nil
}

// toYAML is the scanner's tree as yaml.v3 builds it, its nodes carved from
// one slab and their Content from another (count is the tree's nodes).
func toYAML(doc *Node, count int) *yaml.Node {
	c := converter{nodes: make([]yaml.Node, count), ptrs: make([]*yaml.Node, count)}
	return c.node(doc)
}

type converter struct {
	nodes []yaml.Node
	ptrs  []*yaml.Node
}

func (c *converter) node(n *Node) *yaml.Node {
	y := &c.nodes[0]
	c.nodes = c.nodes[1:]
	y.Kind, y.Style, y.Tag, y.Value, y.Line, y.Column = yaml.Kind(n.Kind), yaml.Style(n.Style), tagNames[n.tag], n.Value, int(n.Line), int(n.Column)
	if k := len(n.Content); k > 0 {
		// Capped, as yaml.v3's are not shared: an append copies.
		y.Content = c.ptrs[:k:k]
		c.ptrs = c.ptrs[k:]
		for i := range n.Content {
			y.Content[i] = c.node(&n.Content[i])
		}
	}
	return y
}
