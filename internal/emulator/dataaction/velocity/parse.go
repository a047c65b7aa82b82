package velocity

import (
	"encoding/json"
	"fmt"
	"strings"
)

// node is one of textNode, *refNode, *ifNode, *setNode.
type node any

// expr is one of litExpr, *strExpr, *refNode, *notExpr, *binExpr.
type expr any

type textNode string

// refNode is a reference: $a, ${a.b}, $!a.m(x) …
type refNode struct {
	pos    int
	silent bool
	raw    string // the reference as written; rendered when its value is null
	root   string
	chain  []access
}

// access is one ".name" or ".name(args)" step of a reference.
type access struct {
	pos  int
	name string
	call bool
	args []expr
}

type ifNode struct {
	pos    int
	conds  []expr
	bodies [][]node
	els    []node // nil when there is no #else
}

type setNode struct {
	pos  int
	name string
	val  expr
}

type litExpr struct{ v any }

// strExpr is a double-quoted string literal; it is a template of its own.
type strExpr struct {
	pos   int
	nodes []node
}

type notExpr struct {
	pos int
	x   expr
}

type binExpr struct {
	pos  int
	op   string
	l, r expr
}

// stop tells a body parser's caller which directive ended the body.
type stop struct {
	kind string // "" at end of input, or "elseif", "else", "end"
	pos  int
	cond expr // for elseif
}

const stopEOF = ""

// unsupportedDirectives are real Velocity directives the data-action subset
// does not implement; they must not fall through as literal text.
var unsupportedDirectives = map[string]bool{
	"foreach": true, "macro": true, "include": true, "parse": true,
	"evaluate": true, "define": true, "break": true, "stop": true,
}

type parser struct {
	name     string
	src      string
	i, end   int
	depth    int
	inString bool // inside a "…" literal, where "" stands for one quote
	// lineDirty is true once something other than blanks was produced on the
	// current line; a directive is gobbled with its line only when it is not.
	lineDirty bool
}

func (p *parser) errAt(off int, format string, args ...any) error {
	line, col := position(p.src, off)
	return &Error{Template: p.name, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func identStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func identChar(c byte) bool { return identStart(c) || c >= '0' && c <= '9' || c == '_' }

func (p *parser) ident() string {
	start := p.i
	for p.i < p.end && identChar(p.src[p.i]) {
		p.i++
	}
	return p.src[start:p.i]
}

func (p *parser) skipSpace() {
	for p.i < p.end {
		switch p.src[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) enter(off int) error {
	p.depth++
	if p.depth > maxDepth {
		return p.errAt(off, "nesting deeper than %d levels", maxDepth)
	}
	return nil
}

// trimBlankTail removes the spaces and tabs that end text (the indentation of
// a directive line being gobbled).
func trimBlankTail(text *strings.Builder) {
	s := text.String()
	t := strings.TrimRight(s, " \t")
	if len(t) != len(s) {
		text.Reset()
		text.WriteString(t)
	}
}

// gobbleLine consumes the rest of the current line if it is blank, newline
// included, and reports whether it did.
func (p *parser) gobbleLine() bool {
	j := p.i
	for j < p.end && (p.src[j] == ' ' || p.src[j] == '\t' || p.src[j] == '\r') {
		j++
	}
	if j < p.end && p.src[j] != '\n' {
		return false
	}
	if j < p.end {
		j++
	}
	p.i = j
	return true
}

// parseNodes parses text, references and directives until the end of input
// or an #elseif / #else / #end, which it consumes and reports in stop.
func (p *parser) parseNodes() ([]node, stop, error) {
	var nodes []node
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			nodes = append(nodes, textNode(text.String()))
			text.Reset()
		}
	}
	for p.i < p.end {
		c := p.src[p.i]
		switch {
		case c == '$':
			ref, ok, err := p.parseRef()
			if err != nil {
				return nil, stop{}, err
			}
			if !ok {
				text.WriteByte('$')
				p.i++
				p.lineDirty = true
				continue
			}
			flush()
			nodes = append(nodes, ref)
			p.lineDirty = true
		case c == '#':
			st, done, err := p.parseHash(&text, &nodes, flush)
			if err != nil || done {
				if err == nil {
					flush()
				}
				return nodes, st, err
			}
		case c == '"' && p.inString && p.i+1 < p.end && p.src[p.i+1] == '"':
			text.WriteByte('"')
			p.i += 2
			p.lineDirty = true
		default:
			text.WriteByte(c)
			p.i++
			switch c {
			case '\n':
				p.lineDirty = false
			case ' ', '\t', '\r':
			default:
				p.lineDirty = true
			}
		}
	}
	flush()
	return nodes, stop{kind: stopEOF, pos: p.i}, nil
}

// parseHash handles a '#' at p.i: comments, unparsed blocks and directives.
// done reports that a body-ending directive (#elseif/#else/#end) was read.
func (p *parser) parseHash(text *strings.Builder, nodes *[]node, flush func()) (st stop, done bool, err error) {
	start := p.i
	rest := p.src[p.i:p.end]
	switch {
	case strings.HasPrefix(rest, "##"):
		// A line comment runs to and includes the newline.
		if !p.lineDirty {
			trimBlankTail(text)
		}
		if j := strings.IndexByte(rest, '\n'); j >= 0 {
			p.i += j + 1
		} else {
			p.i = p.end
		}
		p.lineDirty = false
		return stop{}, false, nil
	case strings.HasPrefix(rest, "#*"):
		j := strings.Index(rest[2:], "*#")
		if j < 0 {
			return stop{}, false, p.errAt(start, "unterminated #* comment")
		}
		p.i += 2 + j + 2
		return stop{}, false, nil
	case strings.HasPrefix(rest, "#[["):
		j := strings.Index(rest[3:], "]]#")
		if j < 0 {
			return stop{}, false, p.errAt(start, "unterminated #[[ block")
		}
		lit := rest[3 : 3+j]
		text.WriteString(lit)
		if strings.TrimSpace(lit) != "" {
			p.lineDirty = true
		}
		p.i += 3 + j + 3
		return stop{}, false, nil
	}

	// #name or #{name}
	j := p.i + 1
	formal := j < p.end && p.src[j] == '{'
	if formal {
		j++
	}
	if j >= p.end || !identStart(p.src[j]) {
		return p.literalHash(text)
	}
	save := p.i
	p.i = j
	name := p.ident()
	if formal {
		if p.i >= p.end || p.src[p.i] != '}' {
			p.i = save
			return p.literalHash(text)
		}
		p.i++
	}
	lineStart := !p.lineDirty
	// finish applies Velocity's line gobbling once the directive's own text
	// has been consumed.
	finish := func() {
		if lineStart && p.gobbleLine() {
			trimBlankTail(text)
			p.lineDirty = false
		} else {
			p.lineDirty = true
		}
	}
	switch name {
	case "if":
		cond, err := p.parseCondition(start, "#if")
		if err != nil {
			return stop{}, false, err
		}
		finish()
		flush()
		n, err := p.parseIf(start, cond)
		if err != nil {
			return stop{}, false, err
		}
		*nodes = append(*nodes, n)
		return stop{}, false, nil
	case "elseif":
		cond, err := p.parseCondition(start, "#elseif")
		if err != nil {
			return stop{}, false, err
		}
		finish()
		return stop{kind: "elseif", pos: start, cond: cond}, true, nil
	case "else", "end":
		finish()
		return stop{kind: name, pos: start}, true, nil
	case "set":
		n, err := p.parseSet(start)
		if err != nil {
			return stop{}, false, err
		}
		finish()
		flush()
		*nodes = append(*nodes, n)
		return stop{}, false, nil
	}
	if unsupportedDirectives[name] {
		return stop{}, false, p.errAt(start, "directive #%s is not supported by data actions", name)
	}
	if !formal && p.i < p.end && p.src[p.i] == '(' {
		return stop{}, false, p.errAt(start, "unknown macro #%s", name)
	}
	// Not a directive (e.g. a colour "#ffffff"): Velocity prints it as is.
	p.i = save
	return p.literalHash(text)
}

func (p *parser) literalHash(text *strings.Builder) (stop, bool, error) {
	text.WriteByte('#')
	p.i++
	p.lineDirty = true
	return stop{}, false, nil
}

func (p *parser) parseIf(start int, cond expr) (*ifNode, error) {
	if err := p.enter(start); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	n := &ifNode{pos: start, conds: []expr{cond}}
	for {
		body, st, err := p.parseNodes()
		if err != nil {
			return nil, err
		}
		n.bodies = append(n.bodies, body)
		switch st.kind {
		case "elseif":
			n.conds = append(n.conds, st.cond)
		case "end":
			return n, nil
		case "else":
			els, st2, err := p.parseNodes()
			if err != nil {
				return nil, err
			}
			if st2.kind != "end" {
				if st2.kind == stopEOF {
					return nil, p.errAt(start, "#if without a matching #end")
				}
				return nil, p.errAt(st2.pos, "#%s after #else", st2.kind)
			}
			if els == nil {
				els = []node{}
			}
			n.els = els
			return n, nil
		default:
			return nil, p.errAt(start, "#if without a matching #end")
		}
	}
}

// accept skips space and consumes c if it comes next; on false p.i is at
// the byte that is not c (or the end), where a parse error points.
func (p *parser) accept(c byte) bool {
	p.skipSpace()
	if p.i >= p.end || p.src[p.i] != c {
		return false
	}
	p.i++
	return true
}

// parseCondition parses "(expr)" after #if / #elseif.
func (p *parser) parseCondition(start int, what string) (expr, error) {
	if !p.accept('(') {
		return nil, p.errAt(start, "expected ( after %s", what)
	}
	e, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	if !p.accept(')') {
		return nil, p.errAt(p.i, "expected ) to close %s condition", what)
	}
	return e, nil
}

// parseSet parses "($name = expr)" after #set.
func (p *parser) parseSet(start int) (*setNode, error) {
	if !p.accept('(') {
		return nil, p.errAt(start, "expected ( after #set")
	}
	p.skipSpace()
	refPos := p.i
	ref, ok, err := p.parseRef()
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, p.errAt(refPos, "expected $name in #set")
	}
	if len(ref.chain) > 0 {
		return nil, p.errAt(refPos, "#set of a property or method (%s) is not supported", ref.raw)
	}
	if !p.accept('=') {
		return nil, p.errAt(p.i, "expected = in #set")
	}
	val, err := p.parseExpr()
	if err != nil {
		return nil, err
	}
	if !p.accept(')') {
		return nil, p.errAt(p.i, "expected ) to close #set")
	}
	return &setNode{pos: start, name: ref.root, val: val}, nil
}

// parseRef parses a reference at p.i ('$'). ok is false, with p.i unchanged,
// when the '$' does not start a reference and is literal text.
func (p *parser) parseRef() (*refNode, bool, error) {
	start := p.i
	j := p.i + 1
	silent := j < p.end && p.src[j] == '!'
	if silent {
		j++
	}
	formal := j < p.end && p.src[j] == '{'
	if formal {
		j++
	}
	if j >= p.end || !identStart(p.src[j]) {
		if formal {
			return nil, false, p.errAt(start, "expected an identifier after %s", p.src[start:j])
		}
		return nil, false, nil
	}
	p.i = j
	ref := &refNode{pos: start, silent: silent, root: p.ident()}
	for p.i+1 < p.end && p.src[p.i] == '.' && identStart(p.src[p.i+1]) {
		p.i++
		pos := p.i // read before ident() advances it
		a := access{pos: pos, name: p.ident()}
		if p.i < p.end && p.src[p.i] == '(' {
			args, err := p.parseArgs()
			if err != nil {
				return nil, false, err
			}
			a.call, a.args = true, args
		}
		ref.chain = append(ref.chain, a)
	}
	if formal {
		if p.i >= p.end || p.src[p.i] != '}' {
			return nil, false, p.errAt(p.i, "expected } to close %s", p.src[start:p.i])
		}
		p.i++
	}
	ref.raw = p.src[start:p.i]
	return ref, true, nil
}

// parseArgs parses "(a, b, …)" of a method call.
func (p *parser) parseArgs() ([]expr, error) {
	open := p.i
	if err := p.enter(open); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	p.i++
	p.skipSpace()
	if p.i < p.end && p.src[p.i] == ')' {
		p.i++
		return nil, nil
	}
	var args []expr
	for {
		e, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		args = append(args, e)
		p.skipSpace()
		if p.i >= p.end {
			return nil, p.errAt(open, "unterminated argument list")
		}
		switch p.src[p.i] {
		case ',':
			p.i++
		case ')':
			p.i++
			return args, nil
		default:
			return nil, p.errAt(p.i, "expected , or ) in argument list, found %q", p.src[p.i])
		}
	}
}

func (p *parser) parseExpr() (expr, error) { return p.parseOr() }

// word returns the identifier at p.i without consuming it.
func (p *parser) word() string {
	j := p.i
	for j < p.end && identChar(p.src[j]) {
		j++
	}
	if j == p.i || !identStart(p.src[p.i]) {
		return ""
	}
	return p.src[p.i:j]
}

func (p *parser) parseOr() (expr, error)  { return p.parseLogical("||", "or", p.parseAnd) }
func (p *parser) parseAnd() (expr, error) { return p.parseLogical("&&", "and", p.parseCmp) }

// parseLogical parses a left-associative chain of operands (each parsed by
// operand) joined by op or its word form (|| or "or", && or "and").
func (p *parser) parseLogical(op, word string, operand func() (expr, error)) (expr, error) {
	l, err := operand()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		pos := p.i
		switch {
		case strings.HasPrefix(p.src[p.i:p.end], op):
			p.i += len(op)
		case p.word() == word:
			p.i += len(word)
		default:
			return l, nil
		}
		r, err := operand()
		if err != nil {
			return nil, err
		}
		l = &binExpr{pos: pos, op: op, l: l, r: r}
	}
}

var wordOps = map[string]string{"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}

func (p *parser) parseCmp() (expr, error) {
	l, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	pos := p.i
	rest := p.src[p.i:p.end]
	var op string
	for _, o := range []string{"==", "!=", "<=", ">=", "<", ">"} {
		if strings.HasPrefix(rest, o) {
			op = o
			p.i += len(o)
			break
		}
	}
	if op == "" {
		if w := p.word(); wordOps[w] != "" {
			op = wordOps[w]
			p.i += len(w)
		}
	}
	if op == "" {
		return l, nil
	}
	r, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	return &binExpr{pos: pos, op: op, l: l, r: r}, nil
}

func (p *parser) parseUnary() (expr, error) {
	p.skipSpace()
	pos := p.i
	neg := false
	switch {
	case p.i < p.end && p.src[p.i] == '!' && !strings.HasPrefix(p.src[p.i:p.end], "!="):
		p.i++
		neg = true
	case p.word() == "not":
		p.i += 3
		neg = true
	}
	if !neg {
		return p.parsePrimary()
	}
	if err := p.enter(pos); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	x, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	return &notExpr{pos: pos, x: x}, nil
}

func (p *parser) parsePrimary() (expr, error) {
	p.skipSpace()
	if p.i >= p.end {
		return nil, p.errAt(p.i, "expected an expression, found end of input")
	}
	start := p.i
	c := p.src[p.i]
	switch {
	case c == '(':
		if err := p.enter(start); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		p.i++
		e, err := p.parseExpr()
		if err != nil {
			return nil, err
		}
		if !p.accept(')') {
			return nil, p.errAt(start, "unbalanced (")
		}
		return e, nil
	case c == '"':
		return p.parseDoubleQuoted()
	case c == '\'':
		j := p.i + 1
		var b strings.Builder
		for {
			if j >= p.end {
				return nil, p.errAt(start, "unterminated string")
			}
			if p.src[j] == '\'' {
				if j+1 < p.end && p.src[j+1] == '\'' {
					b.WriteByte('\'')
					j += 2
					continue
				}
				break
			}
			b.WriteByte(p.src[j])
			j++
		}
		p.i = j + 1
		return litExpr{b.String()}, nil
	case c == '$':
		ref, ok, err := p.parseRef()
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, p.errAt(start, "expected a reference after $")
		}
		return ref, nil
	case c == '-' || c >= '0' && c <= '9':
		j := p.i
		if c == '-' {
			j++
		}
		digits := j
		for j < p.end && p.src[j] >= '0' && p.src[j] <= '9' {
			j++
		}
		if j == digits {
			return nil, p.errAt(start, "expected a number")
		}
		if j+1 < p.end && p.src[j] == '.' && p.src[j+1] >= '0' && p.src[j+1] <= '9' {
			j++
			for j < p.end && p.src[j] >= '0' && p.src[j] <= '9' {
				j++
			}
		}
		p.i = j
		return litExpr{json.Number(p.src[start:j])}, nil
	}
	switch w := p.word(); w {
	case "true", "false":
		p.i += len(w)
		return litExpr{w == "true"}, nil
	case "null":
		p.i += len(w)
		return litExpr{nil}, nil
	case "":
		return nil, p.errAt(start, "unexpected %q in expression", c)
	default:
		return nil, p.errAt(start, "unexpected identifier %q in expression (references start with $)", w)
	}
}

// parseDoubleQuoted parses a "…" literal. Its content is parsed in place as a
// template, so positions inside it point into the original source.
func (p *parser) parseDoubleQuoted() (expr, error) {
	start := p.i
	j := p.i + 1
	for {
		if j >= p.end {
			return nil, p.errAt(start, "unterminated string")
		}
		if p.src[j] == '"' {
			if j+1 < p.end && p.src[j+1] == '"' {
				j += 2
				continue
			}
			break
		}
		j++
	}
	if err := p.enter(start); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	sub := &parser{name: p.name, src: p.src, i: start + 1, end: j, depth: p.depth, inString: true, lineDirty: true}
	nodes, st, err := sub.parseNodes()
	if err != nil {
		return nil, err
	}
	if st.kind != stopEOF {
		return nil, p.errAt(st.pos, "#%s without a matching #if", st.kind)
	}
	p.i = j + 1
	if len(nodes) == 0 {
		return litExpr{""}, nil
	}
	if len(nodes) == 1 {
		if t, ok := nodes[0].(textNode); ok {
			return litExpr{string(t)}, nil
		}
	}
	return &strExpr{pos: start, nodes: nodes}, nil
}
