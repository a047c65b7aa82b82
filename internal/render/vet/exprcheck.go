package vet

import (
	"errors"
	"strings"

	"github.com/bpgen/bpgen/internal/archy/expr"
	"github.com/bpgen/bpgen/internal/archy/flowyaml"
	"github.com/bpgen/bpgen/internal/render/diag"
)

// exprFindings is what checking one expression text against one flow finds,
// before it is placed at a scalar: a flow repeats many expressions (the same
// IsNotSetOrEmpty(Flow.X) guard at every step), so each text is parsed and
// checked once per flow. The cache is per flow because the result depends on
// the flow's declarations (types and names), not on the text alone.
type exprFindings struct {
	parseErr   error
	typeErrs   []error
	undeclared []string
}

// checkExpr parses an expression with the emulator's parser (the same one that
// runs the flows) and checks its functions against Architect's table (unknown
// functions, argument counts and types, with the declared types of the
// flow's variables, NOT_SET where it is not allowed) and its variables
// against the flow's declarations.
func checkExpr(f *flowView, file string, n *flowyaml.Node) diag.List {
	r := f.exprs[n.Value]
	if r == nil {
		r = f.findExpr(n.Value)
		f.exprs[n.Value] = r
	}
	if r.parseErr != nil {
		return diag.List{exprErr(file, n, diag.FlowStructure, "expression does not parse: ", r.parseErr)}
	}
	var ds diag.List
	for _, cerr := range r.typeErrs {
		ds = append(ds, exprErr(file, n, diag.FlowStructure, "", cerr))
	}
	for _, v := range r.undeclared {
		ds = append(ds, nodeErr(file, n, diag.UndeclaredVariable, "", "expression uses %s, which is not declared", v))
	}
	return ds
}

func (f *flowView) findExpr(src string) *exprFindings {
	e, err := expr.Parse(src)
	if err != nil {
		return &exprFindings{parseErr: err}
	}
	r := exprFindings{typeErrs: e.CheckTypes(func(path string) string { return f.kinds[path] })}
	for _, v := range e.Vars() {
		if !f.declared(v) {
			r.undeclared = append(r.undeclared, v)
		}
	}
	if r.typeErrs == nil && r.undeclared == nil {
		return clean // most expressions: nothing to allocate
	}
	found := r
	return &found
}

// clean is the findings of an expression with none; it is never written.
var clean = &exprFindings{}

// exprErr places an expression error at the offending character in the file
// when the scalar's text is the expression character for character (a plain
// scalar on one line, or a single-quoted one without quotes to unescape), and
// at the scalar otherwise; the message keeps the position within the
// expression.
func exprErr(file string, n *flowyaml.Node, rule diag.Rule, prefix string, err error) diag.Diagnostic {
	d := nodeErr(file, n, rule, "", "%s%v", prefix, err)
	var pe *expr.Error
	if !errors.As(err, &pe) || strings.Contains(n.Value, "\n") {
		return d
	}
	switch {
	case n.Style == 0:
		d.Pos.Col = int(n.Column) + pe.Col - 1
	case n.Style == flowyaml.SingleQuotedStyle && !strings.Contains(n.Value, "'"):
		d.Pos.Col = int(n.Column) + pe.Col // after the opening quote
	}
	return d
}
