// Package vet checks a rendered bundle as a whole: flows against the data
// actions and each other, Terraform against the real provider schema, and the
// exports against the Terraform. A finding is a bpgen bug or a broken hand edit.
package vet

import (
	"github.com/bpgen/bpgen/generator/bundle"
	"github.com/bpgen/bpgen/generator/diag"
)

// Check runs every bundle check.
func Check(res *bundle.Result) diag.List {
	var ds diag.List
	return ds
}
