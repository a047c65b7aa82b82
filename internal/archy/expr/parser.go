package expr

import (
	"strconv"
	"strings"
	"unicode/utf8"
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
	p := &parser{src: src, lx: lexer{src: src}}
	root, err := p.parse()
	// A lexical error anywhere in src is the error, even where the tokens
	// before it fail to parse: the whole input used to be tokenised first.
	if lerr := p.lx.rest(); lerr != nil {
		return nil, lerr
	}
	if err != nil {
		return nil, err
	}
	return &Expr{src: src, root: root}, nil
}

func (p *parser) parse() (Node, error) {
	root, _, err := p.parseBinary(1)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		if t.is(")") {
			return nil, p.errAt(t.pos, "unexpected ')' without matching '('")
		}
		return nil, p.errAt(t.pos, "expected operator or end of expression, found %s", t.describe())
	}
	return root, nil
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
	src   string
	lx    lexer
	ahead [2]token // the next tokens, lexed: ahead[0] is the current one
	n     int      // how many of ahead are lexed
	depth int      // current recursion, bounded by maxRecursion
}

// The parse functions return each node with its tree depth (a leaf, literal
// or variable, is 1), so that the depth is known without a table of nodes.

// built returns the tree depth of n, one more than the deepest of its
// children's depths kids, and fails when it exceeds maxDepth.
func (p *parser) built(n Node, kids ...int) (Node, int, error) {
	d := 0
	for _, kd := range kids {
		d = max(d, kd)
	}
	d++
	if d > maxDepth {
		return nil, 0, p.errAt(n.Pos(), "expression nested too deeply (more than %d levels)", maxDepth)
	}
	return n, d, nil
}

func (p *parser) peek() token {
	if p.n == 0 {
		p.ahead[0], p.n = p.lx.scan(), 1
	}
	return p.ahead[0]
}

// peek2 is the token after the current one; the final EOF token repeats
// forever.
func (p *parser) peek2() token {
	if t := p.peek(); t.kind == tEOF {
		return t
	}
	if p.n == 1 {
		p.ahead[1], p.n = p.lx.scan(), 2
	}
	return p.ahead[1]
}

func (p *parser) next() token {
	t := p.peek()
	if t.kind != tEOF {
		p.ahead[0] = p.ahead[1]
		p.n--
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
func (p *parser) parseBinary(minPrec int) (Node, int, error) {
	if err := p.enter(p.peek().pos); err != nil {
		return nil, 0, err
	}
	defer p.leave()
	left, ld, err := p.parseUnary()
	if err != nil {
		return nil, 0, err
	}
	for {
		t := p.peek()
		op, prec := binaryOp(t)
		if op == 0 || prec < minPrec {
			return left, ld, nil
		}
		p.next()
		right, rd, err := p.parseBinary(prec + 1)
		if err != nil {
			return nil, 0, err
		}
		if left, ld, err = p.built(&Binary{At: t.pos, Op: op, X: left, Y: right}, ld, rd); err != nil {
			return nil, 0, err
		}
	}
}

func (p *parser) parseUnary() (Node, int, error) {
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
		return nil, 0, err
	}
	defer p.leave()
	p.next()
	x, xd, err := p.parseUnary()
	if err != nil {
		return nil, 0, err
	}
	return p.built(&Unary{At: t.pos, Op: op, X: x}, xd)
}

func (p *parser) parsePostfix() (Node, int, error) {
	x, xd, err := p.parsePrimary()
	if err != nil {
		return nil, 0, err
	}
	for {
		t := p.peek()
		switch {
		case t.is("."):
			p.next()
			name := p.next()
			if name.kind != tIdent {
				return nil, 0, p.errAt(name.pos, "expected property name after '.', found %s", name.describe())
			}
			if x, xd, err = p.built(&Prop{At: name.pos, X: x, Name: name.text}, xd); err != nil {
				return nil, 0, err
			}
		case t.is("["):
			if err := p.enter(t.pos); err != nil {
				return nil, 0, err
			}
			p.next()
			idx, id, err := p.parseBinary(1)
			p.leave()
			if err != nil {
				return nil, 0, err
			}
			if c := p.next(); !c.is("]") {
				return nil, 0, p.errAt(c.pos, "expected ']' after index, found %s", c.describe())
			}
			if x, xd, err = p.built(&Index{At: t.pos, X: x, Index: idx}, xd, id); err != nil {
				return nil, 0, err
			}
		default:
			return x, xd, nil
		}
	}
}

func (p *parser) parsePrimary() (Node, int, error) {
	t := p.next()
	switch t.kind {
	case tInt:
		n, err := strconv.ParseInt(t.text, 10, 64)
		if err != nil {
			return nil, 0, p.errAt(t.pos, "integer literal %s out of range", t.text)
		}
		return &Literal{At: t.pos, Value: Integer(n)}, 1, nil
	case tDecimal:
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil {
			return nil, 0, p.errAt(t.pos, "decimal literal %s out of range", t.text)
		}
		return &Literal{At: t.pos, Value: Decimal(f)}, 1, nil
	case tString:
		return &Literal{At: t.pos, Value: String(t.text)}, 1, nil
	case tIdent:
		return p.parseIdent(t)
	case tPunct:
		if t.is("(") {
			x, xd, err := p.parseBinary(1)
			if err != nil {
				return nil, 0, err
			}
			if c := p.next(); !c.is(")") {
				return nil, 0, p.errAt(c.pos, "expected ')' to close '(' at %s, found %s", p.lineColText(t.pos), c.describe())
			}
			return x, xd, nil
		}
	}
	return nil, 0, p.errAt(t.pos, "expected expression, found %s", t.describe())
}

func (p *parser) lineColText(off int) string {
	l, c := lineCol(p.src, off)
	return strconv.Itoa(l) + ":" + strconv.Itoa(c)
}

// parseIdent handles keywords, function calls and variable paths.
func (p *parser) parseIdent(t token) (Node, int, error) {
	switch keyword(t.text) {
	case "true":
		return &Literal{At: t.pos, Value: Boolean(true)}, 1, nil
	case "false":
		return &Literal{At: t.pos, Value: Boolean(false)}, 1, nil
	case "not_set":
		// inferred: NOT_SET is matched case-insensitively like the other
		// keywords.
		return &Literal{At: t.pos, Value: NotSet{}}, 1, nil
	case "and", "or":
		return nil, 0, p.errAt(t.pos, "expected expression, found keyword %q", t.text)
	}
	if p.peek().is("(") {
		return p.parseCall(t)
	}
	return p.parseVar(t), 1, nil
}

// parseVar reads a variable path from its first segment t. It is not
// inlined into parseIdent: its buffer would sit in the frame of every call
// parseIdent makes, deepening the parser's recursion.
//
//go:noinline
func (p *parser) parseVar(t token) *Var {
	// Consume ".name" segments greedily; a '.' followed by something else is
	// left for parsePostfix to report. The segments gather on the stack, so
	// that the path is allocated once, at its length.
	var segs [8]string
	path := append(segs[:0], t.text)
	length := len(t.text)
	end := t.pos + len(t.text)
	for p.peek().is(".") && p.peek2().kind == tIdent {
		p.next()
		seg := p.next()
		path = append(path, seg.text)
		length += 1 + len(seg.text)
		end = seg.pos + len(seg.text)
	}
	v := newVar(t.pos, path)
	if end-t.pos == length {
		v.dotted = p.src[t.pos:end] // no space between the segments and dots
	}
	return v
}

// keyword returns strings.ToLower(ident) where that could be a keyword
// (true, false, not_set, and, or), without building the lower-case copy of
// an ASCII identifier, which is what nearly every identifier is; for an
// ASCII identifier, ToLower equals a keyword exactly when EqualFold does.
func keyword(ident string) string {
	for i := 0; i < len(ident); i++ {
		if ident[i] >= utf8.RuneSelf {
			return strings.ToLower(ident)
		}
	}
	if len(ident) <= len("not_set") {
		for _, kw := range [...]string{"true", "false", "not_set", "and", "or"} {
			if strings.EqualFold(ident, kw) {
				return kw
			}
		}
	}
	return ""
}

func (p *parser) parseCall(name token) (Node, int, error) {
	if err := p.enter(name.pos); err != nil {
		return nil, 0, err
	}
	defer p.leave()
	p.next() // '('
	if p.peek().is(")") {
		p.next()
		return p.built(&Call{At: name.pos, Name: name.text})
	}
	deepest := 0
	// The arguments gather on the stack, so that the call and its
	// arguments are allocated once, at their length; four of them, as the
	// buffer is in the frame of every level of a nested call.
	var buf [4]Node
	args := buf[:0]
	for {
		arg, ad, err := p.parseBinary(1)
		if err != nil {
			return nil, 0, err
		}
		args = append(args, arg)
		deepest = max(deepest, ad)
		t := p.next()
		switch {
		case t.is(")"):
			return p.built(newCall(name.pos, name.text, args), deepest)
		case t.is(","):
			continue
		case t.kind == tEOF:
			return nil, 0, p.errAt(t.pos, "expected ')' after arguments of %s, found end of expression", name.text)
		default:
			return nil, 0, p.errAt(t.pos, "expected ',' or ')' after argument %d of %s, found %s", len(args), name.text, t.describe())
		}
	}
}

// newVar allocates a variable node with a copy of path, in one allocation
// for the usual short paths (see withSlice).
func newVar(at int, path []string) *Var {
	v, p := withSlice[Var, string](len(path))
	copy(p, path)
	v.At, v.Path = at, p
	return v
}

// newCall allocates a call node with a copy of args, as newVar does.
func newCall(at int, name string, args []Node) *Call {
	c, a := withSlice[Call, Node](len(args))
	copy(a, args)
	c.At, c.Name, c.Args = at, name, a
	return c
}

// joint is a node and the backing array of the slice it owns.
type joint[N, A any] struct {
	node N
	arr  A
}

// withSlice returns a new N and a slice of n Es for it, in one allocation
// when n is at most four (nearly every path and call): the two live and
// die together, so nothing is kept alive that would not be.
func withSlice[N, E any](n int) (*N, []E) {
	switch n {
	case 1:
		j := new(joint[N, [1]E])
		return &j.node, j.arr[:]
	case 2:
		j := new(joint[N, [2]E])
		return &j.node, j.arr[:]
	case 3:
		j := new(joint[N, [3]E])
		return &j.node, j.arr[:]
	case 4:
		j := new(joint[N, [4]E])
		return &j.node, j.arr[:]
	}
	return new(N), make([]E, n)
}
