package expr

import (
	"strconv"
	"strings"
)

// Expr is a parsed expression. It is immutable and safe for concurrent use.
type Expr struct {
	src  string
	root Node
}

// maxDepth bounds the depth of the syntax tree, so that evaluating, walking
// or printing an expression cannot exhaust the stack. Real expressions nest
// a few levels deep (the deepest bpgen renders, the phone normaliser, about 20).
//
// The limit is on the tree, not on the text: the canonical form [Expr.String]
// parenthesises every operator and so nests deeper in the text than the
// source did ("-" repeated 500 times becomes 500 nested parentheses), and a
// long chain such as a+b+c+... is flat text but a deep tree. Bounding the tree
// makes the two agree: the canonical form of an accepted expression is the
// same tree and is accepted too.
const maxDepth = 1000

// maxRecursion bounds the parser's own recursion (parentheses, operators,
// calls, indexing), which hostile input such as a million '(' would otherwise
// drive. The canonical form of a tree of depth d makes the parser recurse at
// most 2d+1 levels (a parenthesis and an operand per level), so this bound
// never rejects the canonical form of an expression whose tree is accepted.
const maxRecursion = 2*maxDepth + 1

// Parse parses an Architect expression. Errors are *Error with Kind
// SyntaxError.
func Parse(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{src: src, toks: toks, depthOf: map[Node]int{}}
	root, err := p.parseBinary(1)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.is(")") {
			return nil, p.errAt(t.pos, "unexpected ')' without matching '('")
		}
		return nil, p.errAt(t.pos, "expected operator or end of expression, found %s", t.describe())
	}
	return &Expr{src: src, root: root}, nil
}

// MustParse is like Parse but panics on error. It is meant for expressions
// that are constants in Go code.
func MustParse(src string) *Expr {
	e, err := Parse(src)
	if err != nil {
		panic(err)
	}
	return e
}

// Source returns the expression text as given to Parse.
func (e *Expr) Source() string { return e.src }

// Root returns the syntax tree.
func (e *Expr) Root() Node { return e.root }

// String returns the canonical, fully parenthesised form of the expression.
func (e *Expr) String() string { return e.root.String() }

type parser struct {
	src     string
	toks    []token
	i       int
	depth   int          // current recursion, bounded by maxRecursion
	depthOf map[Node]int // tree depth of each inner node built so far (a leaf is 1)
}

// built records the tree depth of n from its children's and fails when it
// exceeds maxDepth.
func (p *parser) built(n Node, kids ...Node) (Node, error) {
	d := 0
	for _, k := range kids {
		kd, ok := p.depthOf[k]
		if !ok {
			kd = 1 // a leaf: literal or variable
		}
		d = max(d, kd)
	}
	d++
	if d > maxDepth {
		return nil, p.errAt(n.Pos(), "expression nested too deeply (more than %d levels)", maxDepth)
	}
	p.depthOf[n] = d
	return n, nil
}

func (p *parser) peek() token { return p.toks[p.i] }

// peekAt looks k tokens ahead; the final EOF token repeats forever.
func (p *parser) peekAt(k int) token { return p.toks[min(p.i+k, len(p.toks)-1)] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) errAt(off int, format string, args ...any) *Error {
	return newError(SyntaxError, p.src, off, nil, format, args...)
}

// Binding powers, loosest first. Every binary operator is left-associative.
func binaryOp(t token) (Op, int) {
	if t.kind == tIdent {
		switch {
		case strings.EqualFold(t.text, "or"):
			return OpOr, 1
		case strings.EqualFold(t.text, "and"):
			return OpAnd, 2
		}
		return 0, 0
	}
	if t.kind != tPunct {
		return 0, 0
	}
	switch t.text {
	case "|":
		return OpBitOr, 3
	case "&":
		return OpBitAnd, 4
	case "==":
		return OpEq, 5
	case "!=":
		return OpNe, 5
	case "<":
		return OpLt, 6
	case "<=":
		return OpLe, 6
	case ">":
		return OpGt, 6
	case ">=":
		return OpGe, 6
	case "+":
		return OpAdd, 7
	case "-":
		return OpSub, 7
	case "*":
		return OpMul, 8
	case "/":
		return OpDiv, 8
	case "%":
		return OpMod, 8
	case "^":
		// inferred: '^' is treated as left-associative like every other
		// operator; its meaning (power or xor) is undocumented.
		return OpPow, 9
	}
	return 0, 0
}

func (p *parser) enter(off int) error {
	p.depth++
	if p.depth > maxRecursion {
		return p.errAt(off, "expression nested too deeply (more than %d levels of parentheses, operators and calls)", maxRecursion)
	}
	return nil
}

func (p *parser) leave() { p.depth-- }

// parseBinary is a precedence-climbing loop: it parses operators that bind at
// least as tightly as minPrec.
func (p *parser) parseBinary(minPrec int) (Node, error) {
	if err := p.enter(p.peek().pos); err != nil {
		return nil, err
	}
	defer p.leave()
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		op, prec := binaryOp(t)
		if op == 0 || prec < minPrec {
			return left, nil
		}
		p.next()
		right, err := p.parseBinary(prec + 1)
		if err != nil {
			return nil, err
		}
		if left, err = p.built(&Binary{At: t.pos, Op: op, X: left, Y: right}, left, right); err != nil {
			return nil, err
		}
	}
}

func (p *parser) parseUnary() (Node, error) {
	t := p.peek()
	var op Op
	switch {
	case t.is("-"):
		op = OpNeg
	case t.is("!"):
		op = OpNot
	case t.is("~"):
		op = OpTilde
	case t.keyword("not"):
		// unverified: Architect documents only '!'; "not"/"NOT" is accepted
		// as a synonym at the same (unary) precedence.
		op = OpNot
	default:
		return p.parsePostfix()
	}
	if err := p.enter(t.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	p.next()
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	return p.built(&Unary{At: t.pos, Op: op, X: x}, x)
}

func (p *parser) parsePostfix() (Node, error) {
	x, err := p.parsePrimary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		switch {
		case t.is("."):
			p.next()
			name := p.next()
			if name.kind != tIdent {
				return nil, p.errAt(name.pos, "expected property name after '.', found %s", name.describe())
			}
			if x, err = p.built(&Prop{At: name.pos, X: x, Name: name.text}, x); err != nil {
				return nil, err
			}
		case t.is("["):
			if err := p.enter(t.pos); err != nil {
				return nil, err
			}
			p.next()
			idx, err := p.parseBinary(1)
			p.leave()
			if err != nil {
				return nil, err
			}
			if c := p.next(); !c.is("]") {
				return nil, p.errAt(c.pos, "expected ']' after index, found %s", c.describe())
			}
			if x, err = p.built(&Index{At: t.pos, X: x, Index: idx}, x, idx); err != nil {
				return nil, err
			}
		default:
			return x, nil
		}
	}
}

func (p *parser) parsePrimary() (Node, error) {
	t := p.next()
	switch t.kind {
	case tInt:
		n, err := strconv.ParseInt(t.text, 10, 64)
		if err != nil {
			return nil, p.errAt(t.pos, "integer literal %s out of range", t.text)
		}
		return &Literal{At: t.pos, Value: Integer(n)}, nil
	case tDecimal:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, p.errAt(t.pos, "decimal literal %s out of range", t.text)
		}
		return &Literal{At: t.pos, Value: Decimal(f)}, nil
	case tString:
		return &Literal{At: t.pos, Value: String(t.text)}, nil
	case tIdent:
		return p.parseIdent(t)
	case tPunct:
		if t.is("(") {
			x, err := p.parseBinary(1)
			if err != nil {
				return nil, err
			}
			if c := p.next(); !c.is(")") {
				return nil, p.errAt(c.pos, "expected ')' to close '(' at %s, found %s", p.lineColText(t.pos), c.describe())
			}
			return x, nil
		}
	}
	return nil, p.errAt(t.pos, "expected expression, found %s", t.describe())
}

func (p *parser) lineColText(off int) string {
	l, c := lineCol(p.src, off)
	return strconv.Itoa(l) + ":" + strconv.Itoa(c)
}

// parseIdent handles keywords, function calls and variable paths.
func (p *parser) parseIdent(t token) (Node, error) {
	switch strings.ToLower(t.text) {
	case "true":
		return &Literal{At: t.pos, Value: Boolean(true)}, nil
	case "false":
		return &Literal{At: t.pos, Value: Boolean(false)}, nil
	case "not_set":
		// inferred: NOT_SET is matched case-insensitively like the other
		// keywords.
		return &Literal{At: t.pos, Value: NotSet{}}, nil
	case "and", "or":
		return nil, p.errAt(t.pos, "expected expression, found keyword %q", t.text)
	}
	if p.peek().is("(") {
		return p.parseCall(t)
	}
	v := &Var{At: t.pos, Path: []string{t.text}}
	// Consume ".name" segments greedily; a '.' followed by something else is
	// left for parsePostfix to report.
	for p.peek().is(".") && p.peekAt(1).kind == tIdent {
		p.next()
		v.Path = append(v.Path, p.next().text)
	}
	return v, nil
}

func (p *parser) parseCall(name token) (Node, error) {
	if err := p.enter(name.pos); err != nil {
		return nil, err
	}
	defer p.leave()
	p.next() // '('
	c := &Call{At: name.pos, Name: name.text}
	if p.peek().is(")") {
		p.next()
		return p.built(c)
	}
	for {
		arg, err := p.parseBinary(1)
		if err != nil {
			return nil, err
		}
		c.Args = append(c.Args, arg)
		t := p.next()
		switch {
		case t.is(")"):
			return p.built(c, c.Args...)
		case t.is(","):
			continue
		case t.kind == tEOF:
			return nil, p.errAt(t.pos, "expected ')' after arguments of %s, found end of expression", name.text)
		default:
			return nil, p.errAt(t.pos, "expected ',' or ')' after argument %d of %s, found %s", len(c.Args), name.text, t.describe())
		}
	}
}
