package hclparse

import "github.com/hashicorp/hcl/v2"

// FastPath reports whether ParseConfig reads src with its own parser.
func FastPath(src []byte, start hcl.Pos) bool { return parseFast(src, "f.tf", start) != nil }

// Columns is the column count of a token's text.
func Columns(b []byte) int {
	p := &parser{}
	n := p.columns(b, false)
	if p.failed {
		return -1
	}
	return n
}

var SimpleRune = simpleRune
