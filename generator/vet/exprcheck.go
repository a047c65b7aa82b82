package vet

import (
	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/emulator/expr"
	"github.com/bpgen/bpgen/generator/diag"
)

// checkExpr parses an expression with the emulator's parser (the same one that
// runs the flows) and checks its functions and variables.
func checkExpr(f *flowView, file string, n *yaml.Node) diag.List {
	e, err := expr.Parse(n.Value)
	if err != nil {
		return diag.List{nodeErr(file, n, diag.FlowStructure, "", "expression does not parse: %v", err)}
	}
	var ds diag.List
	for _, cerr := range e.Check() {
		ds = append(ds, nodeErr(file, n, diag.FlowStructure, "", "%v", cerr))
	}
	for _, v := range e.Vars() {
		if !f.declared(v) {
			ds = append(ds, nodeErr(file, n, diag.UndeclaredVariable, "", "expression uses %s, which is not declared", v))
		}
	}
	return ds
}
