//go:build !go1.27

package hclparse

import "github.com/apparentlymart/go-textseg/v15/textseg"

// scanGraphemeClusters is the segmenter hcl's internal/unicodeutil picks for
// this Go version (v15 before Go 1.27, v17 from it), so columns count
// characters exactly as hclsyntax does.
var scanGraphemeClusters = textseg.ScanGraphemeClusters
