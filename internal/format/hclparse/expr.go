package hclparse

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// binaryOps are hclsyntax's operator precedence groups (expression_ops.go),
// lowest first; operators in a group associate to the left.
var binaryOps = [][]struct {
	k  kind
	op *hclsyntax.Operation
}{
	{{kOr, hclsyntax.OpLogicalOr}},
	{{kAnd, hclsyntax.OpLogicalAnd}},
	{{kEq, hclsyntax.OpEqual}, {kNe, hclsyntax.OpNotEqual}},
	{{kGt, hclsyntax.OpGreaterThan}, {kGe, hclsyntax.OpGreaterThanOrEqual}, {kLt, hclsyntax.OpLessThan}, {kLe, hclsyntax.OpLessThanOrEqual}},
	{{kPlus, hclsyntax.OpAdd}, {kMinus, hclsyntax.OpSubtract}},
	{{kStar, hclsyntax.OpMultiply}, {kSlash, hclsyntax.OpDivide}, {kPercent, hclsyntax.OpModulo}},
}

// expression is parseTernaryConditional.
func (p *parser) expression() hclsyntax.Expression {
	p.peekKind()
	start := p.peekTok.rng.Start
	cond := p.binary(0)
	if p.failed || p.peekKind() != kQuestion {
		return cond
	}
	p.read()
	t := p.expression()
	p.expect(kColon)
	f := p.expression()
	if p.failed {
		return nil
	}
	return &hclsyntax.ConditionalExpr{Condition: cond, TrueResult: t, FalseResult: f, SrcRange: hcl.Range{Filename: p.file, Start: start, End: f.Range().End}}
}

// binary reads operands joined by operators of precedence group minLevel
// or higher. It climbs precedence rather than recursing through every
// group for every operand as parseBinaryOps does, building the same tree:
// operators of one group associate to the left, and a higher group binds
// tighter.
func (p *parser) binary(minLevel int) hclsyntax.Expression {
	lhs := p.withTraversals()
	for !p.failed {
		level, op := binaryOp(p.peekKind())
		if level < minLevel {
			return lhs
		}
		p.read()
		rhs := p.binary(level + 1)
		if p.failed {
			return nil
		}
		lhs = &hclsyntax.BinaryOpExpr{LHS: lhs, Op: op, RHS: rhs, SrcRange: hcl.RangeBetween(lhs.Range(), rhs.Range())}
	}
	return nil
}

// binaryOp is the precedence group and operation of an operator token;
// the group is -1 for any other token.
func binaryOp(k kind) (int, *hclsyntax.Operation) {
	for level, group := range binaryOps {
		for _, o := range group {
			if o.k == k {
				return level, o.op
			}
		}
	}
	return -1, nil
}

// withTraversals is parseExpressionWithTraversals: a term, then attribute
// and constant index steps.
func (p *parser) withTraversals() hclsyntax.Expression {
	ret := p.term()
	for !p.failed {
		switch p.peekKind() {
		case kDot:
			dot := p.read()
			name := p.expect(kIdent) // .0 and .* are hclsyntax's
			if p.failed {
				return nil
			}
			rng := hcl.RangeBetween(dot.rng, name.rng)
			ret = extend(ret, hcl.TraverseAttr{Name: p.text(name.rng), SrcRange: rng}, rng)
		case kOBrack:
			open := p.read()
			if p.peekKind() == kStar {
				p.fail() // a splat
				return nil
			}
			nl := p.nl
			p.nl = false
			key := p.expression()
			closing := p.expect(kCBrack)
			p.nl = nl
			lit, ok := key.(*hclsyntax.LiteralValueExpr)
			if p.failed || !ok {
				p.fail() // an IndexExpr, or a string key
				return nil
			}
			rng := hcl.RangeBetween(open.rng, closing.rng)
			ret = extend(ret, hcl.TraverseIndex{Key: lit.Val, SrcRange: rng}, rng)
		default:
			return ret
		}
	}
	return nil
}

// extend is makeRelativeTraversal.
func extend(expr hclsyntax.Expression, step hcl.Traverser, rng hcl.Range) hclsyntax.Expression {
	switch e := expr.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		e.Traversal = append(e.Traversal, step)
		e.SrcRange = hcl.RangeBetween(e.SrcRange, rng)
		return e
	case *hclsyntax.RelativeTraversalExpr:
		e.Traversal = append(e.Traversal, step)
		e.SrcRange = hcl.RangeBetween(e.SrcRange, rng)
		return e
	}
	return &hclsyntax.RelativeTraversalExpr{Source: expr, Traversal: hcl.Traversal{step}, SrcRange: hcl.RangeBetween(expr.Range(), rng)}
}

// term is parseExpressionTerm.
func (p *parser) term() hclsyntax.Expression {
	t := p.peek()
	switch t.kind {
	case kOParen:
		p.read()
		nl := p.nl
		p.nl = false
		e := p.expression()
		closing := p.expect(kCParen)
		p.nl = nl
		return &hclsyntax.ParenthesesExpr{Expression: e, SrcRange: hcl.RangeBetween(t.rng, closing.rng)}
	case kNumber:
		p.read()
		v, err := cty.ParseNumberVal(p.text(t.rng))
		if err != nil {
			p.fail()
			return nil
		}
		return p.literal(v, t.rng)
	case kIdent:
		p.read()
		if k := p.peekKind(); k == kOParen {
			return p.call(t)
		}
		switch name := p.text(t.rng); name {
		case "true":
			return p.literal(cty.True, t.rng)
		case "false":
			return p.literal(cty.False, t.rng)
		case "null":
			return p.literal(cty.NullVal(cty.DynamicPseudoType), t.rng)
		default:
			e := p.scopes.new()
			*e = hclsyntax.ScopeTraversalExpr{Traversal: hcl.Traversal{hcl.TraverseRoot{Name: name, SrcRange: t.rng}}, SrcRange: t.rng}
			return e
		}
	case kOQuote:
		p.read()
		return p.template(t.rng)
	case kMinus, kBang:
		p.read()
		operand := p.withTraversals()
		if p.failed {
			return nil
		}
		op := hclsyntax.OpNegate
		if t.kind == kBang {
			op = hclsyntax.OpLogicalNot
		}
		return &hclsyntax.UnaryOpExpr{Op: op, Val: operand, SrcRange: hcl.RangeBetween(t.rng, operand.Range()), SymbolRange: t.rng}
	case kOBrack:
		return p.tuple()
	case kOBrace:
		return p.object()
	}
	p.fail()
	return nil
}

// literal makes a literal node (the most common kind).
func (p *parser) literal(v cty.Value, rng hcl.Range) *hclsyntax.LiteralValueExpr {
	l := p.literals.new()
	l.Val, l.SrcRange = v, rng
	return l
}

// call is finishParsingFunctionCall, without namespaces (::) or an
// expanded final argument (...).
func (p *parser) call(name token) hclsyntax.Expression {
	open := p.read()
	nl := p.nl
	p.nl = false
	defer func() { p.nl = nl }()
	e := p.calls.new()
	*e = hclsyntax.FunctionCallExpr{Name: p.text(name.rng), NameRange: name.rng, OpenParenRange: open.rng}
	for !p.failed {
		if t := p.peek(); t.kind == kCParen {
			e.CloseParenRange = p.read().rng
			return e
		}
		e.Args = append(e.Args, p.expression())
		switch sep := p.read(); sep.kind {
		case kCParen:
			e.CloseParenRange = sep.rng
			return e
		case kComma:
		default:
			p.fail()
		}
	}
	return nil
}

// opening reads a tuple's or object's opening bracket, after which
// newlines are not tokens until the caller restores nl (hclsyntax's
// peeker does the same), and tells whether a for expression follows.
func (p *parser) opening() (open token, isFor bool, nl bool) {
	open = p.read()
	nl = p.nl
	p.nl = false
	t := p.peek()
	return open, t.kind == kIdent && p.text(t.rng) == "for", nl
}

// tuple is parseTupleCons, and finishParsingForExpr for a tuple.
func (p *parser) tuple() hclsyntax.Expression {
	open, isFor, nl := p.opening()
	defer func() { p.nl = nl }()
	if isFor {
		return p.forTuple(open)
	}
	e := &hclsyntax.TupleConsExpr{OpenRange: open.rng}
	for !p.failed {
		if t := p.peek(); t.kind == kCBrack {
			e.SrcRange = hcl.RangeBetween(open.rng, p.read().rng)
			return e
		}
		e.Exprs = append(e.Exprs, p.expression())
		switch sep := p.read(); sep.kind {
		case kCBrack:
			e.SrcRange = hcl.RangeBetween(open.rng, sep.rng)
			return e
		case kComma:
		default:
			p.fail()
		}
	}
	return nil
}

// forTuple reads [for k, v in coll : value if cond].
func (p *parser) forTuple(open token) hclsyntax.Expression {
	p.read() // for
	e := &hclsyntax.ForExpr{OpenRange: open.rng}
	e.ValVar = p.name()
	if p.peekKind() == kComma {
		p.read()
		e.KeyVar = e.ValVar
		e.ValVar = p.name()
	}
	if !p.keyword("in") {
		return nil
	}
	e.CollExpr = p.expression()
	p.expect(kColon)
	e.ValExpr = p.expression()
	if t := p.peek(); t.kind == kIdent && p.text(t.rng) == "if" {
		p.read()
		e.CondExpr = p.expression()
	}
	closing := p.expect(kCBrack) // => and ... are errors in a tuple: hclsyntax's
	if p.failed {
		return nil
	}
	e.CloseRange = closing.rng
	e.SrcRange = hcl.RangeBetween(open.rng, closing.rng)
	return e
}

// name reads an identifier.
func (p *parser) name() string {
	t := p.expect(kIdent)
	if p.failed {
		return ""
	}
	return p.text(t.rng)
}

func (p *parser) keyword(word string) bool {
	t := p.peek()
	if t.kind != kIdent || p.text(t.rng) != word {
		p.fail()
		return false
	}
	p.read()
	return true
}

// object is parseObjectCons (an object for expression is hclsyntax's).
func (p *parser) object() hclsyntax.Expression {
	open, isFor, nl := p.opening()
	if isFor {
		p.fail()
	}
	p.nl = true
	defer func() { p.nl = nl }()
	e := &hclsyntax.ObjectConsExpr{OpenRange: open.rng}
	for !p.failed {
		t := p.peek()
		switch t.kind {
		case kNewline:
			p.read()
			continue
		case kCBrace:
			e.SrcRange = hcl.RangeBetween(open.rng, p.read().rng)
			return e
		}
		key := p.keys.new()
		key.ForceNonLiteral = t.kind == kOParen
		key.Wrapped = p.expression()
		if k := p.peekKind(); k != kEqual && k != kColon {
			p.fail()
			return nil
		}
		p.read()
		e.Items = append(e.Items, hclsyntax.ObjectConsItem{KeyExpr: key, ValueExpr: p.expression()})
		switch sep := p.read(); sep.kind {
		case kCBrace:
			e.SrcRange = hcl.RangeBetween(open.rng, sep.rng)
			return e
		case kComma, kNewline:
		default:
			p.fail()
		}
	}
	return nil
}
