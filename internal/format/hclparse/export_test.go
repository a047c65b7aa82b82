package hclparse

import "github.com/hashicorp/hcl/v2"

// FastPath reports whether ParseConfig reads src with its own parser.
func FastPath(src []byte, start hcl.Pos) bool { return parseFast(src, "f.tf", start) != nil }
