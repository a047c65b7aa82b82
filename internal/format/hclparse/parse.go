// Package hclparse reads Terraform files into the very tree
// hclsyntax.ParseConfig builds (hcl v2.25.0), positions included. The
// configuration bpgen renders (blocks with quoted labels, attributes, quoted
// strings with ${} interpolations and escapes, numbers, references, function
// calls, tuples, objects, operators and [for ...] tuples, line comments) is read
// by a direct parser; anything else (a heredoc, a template directive, a
// fraction, a splat, a block comment, a non-ASCII identifier, a syntax
// error) goes to hclsyntax itself, diagnostics included. hclsyntax's scanner
// counts grapheme clusters for every token's column and its parser allocates
// per token, which made it the largest part of vetting a render; here only
// string text with non-ASCII bytes is segmented. TestParseMatchesHCLSyntax
// and FuzzParseConfig hold the two to the same trees.
package hclparse

import (
	"reflect"
	"unsafe"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// ParseConfig is hclsyntax.ParseConfig, faster on the files bpgen renders.
func ParseConfig(src []byte, filename string, start hcl.Pos) (*hcl.File, hcl.Diagnostics) {
	if f := parseFast(src, filename, start); f != nil {
		return f, nil
	}
	return hclsyntax.ParseConfig(src, filename, start)
}

// parseFast returns nil where it cannot promise hclsyntax's tree.
func parseFast(src []byte, filename string, start hcl.Pos) *hcl.File {
	if navType == nil || len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		return nil // hclsyntax skips a byte-order mark, moving every position
	}
	p := &parser{src: src, str: string(src), file: filename, base: start.Byte, pos: start, nl: true}
	body := p.body(kEOF)
	if p.failed {
		return nil
	}
	return &hcl.File{Body: body, Bytes: src, Nav: nav(body)}
}

// navType is the type of hclsyntax's File.Nav (an unexported struct holding
// the root body), nil if it is not the shape nav fills in.
var navType = func() reflect.Type {
	f, _ := hclsyntax.ParseConfig(nil, "", hcl.InitialPos)
	t := reflect.TypeOf(f.Nav)
	if t == nil || t.Kind() != reflect.Struct || t.NumField() != 1 || t.Field(0).Type != reflect.TypeOf((*hclsyntax.Body)(nil)) {
		return nil
	}
	return t
}()

// nav builds the Nav hclsyntax.ParseConfig sets, so the files are equal as a
// whole (diagnostic printers read it). Its one field is unexported, hence
// unsafe.
func nav(body *hclsyntax.Body) any {
	v := reflect.New(navType).Elem()
	f := v.Field(0)
	reflect.NewAt(f.Type(), unsafe.Pointer(f.UnsafeAddr())).Elem().Set(reflect.ValueOf(body))
	return v.Interface()
}

// parser follows hclsyntax's parser.go step by step, over the bytes rather
// than a token slice: pos is the end of the last token read (prev its
// range, the peeker's PrevRange), nl whether newlines are tokens here (the
// top of the peeker's IncludeNewlinesStack). failed is set at the first
// thing outside the subset, and the result is then discarded.
type parser struct {
	src    []byte
	file   string
	base   int
	pos    hcl.Pos
	prev   hcl.Range
	nl     bool
	failed bool

	peeked  bool
	peekPos int
	peekNL  bool
	peekTok token
	started bool
	str     string // src, once
	buf     []byte

	literals  slab[hclsyntax.LiteralValueExpr]
	templates slab[hclsyntax.TemplateExpr]
	scopes    slab[hclsyntax.ScopeTraversalExpr]
	keys      slab[hclsyntax.ObjectConsKeyExpr]
	attrs     slab[hclsyntax.Attribute]
	calls     slab[hclsyntax.FunctionCallExpr]
}

func (p *parser) peek() token {
	if p.peeked && p.peekPos == p.pos.Byte && p.peekNL == p.nl {
		return p.peekTok
	}
	p.peekTok = p.lex(p.pos, p.nl)
	p.peeked, p.peekPos, p.peekNL = true, p.pos.Byte, p.nl
	return p.peekTok
}

// peekKind is peek().kind, without copying the token.
func (p *parser) peekKind() kind {
	if !p.peeked || p.peekPos != p.pos.Byte || p.peekNL != p.nl {
		p.peek()
	}
	return p.peekTok.kind
}

func (p *parser) read() token {
	t := p.peek()
	if t.kind == kBad {
		p.fail()
		return t
	}
	p.pos, p.prev, p.started = t.rng.End, t.rng, true
	return t
}

// prevRange is the peeker's PrevRange: before the first token it is the
// next token's range.
func (p *parser) prevRange() hcl.Range {
	if !p.started {
		return p.peek().rng
	}
	return p.prev
}

// expect reads a token of kind k, failing on anything else.
func (p *parser) expect(k kind) token {
	t := p.peek()
	if t.kind != k {
		p.fail()
		return t
	}
	return p.read()
}

func (p *parser) fail() {
	p.failed = true
	// Stop at once: every loop below ends at the end of the text.
	p.pos = hcl.Pos{Byte: p.base + len(p.src), Line: p.pos.Line, Column: p.pos.Column}
	p.started = true
}

// body is ParseBody: items up to the token end, which it consumes.
func (p *parser) body(end kind) *hclsyntax.Body {
	b := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: hclsyntax.Blocks{}}
	start := p.prevRange()
	for !p.failed {
		t := p.peek()
		switch t.kind {
		case end:
			p.read()
			b.SrcRange = hcl.RangeBetween(start, t.rng)
			b.EndRange = hcl.Range{Filename: t.rng.Filename, Start: t.rng.End, End: t.rng.End}
			return b
		case kNewline:
			p.read()
		case kIdent:
			p.item(b)
		default:
			p.fail()
		}
	}
	return nil
}

// item reads an attribute or a block into b.
func (p *parser) item(b *hclsyntax.Body) {
	ident := p.read()
	name := p.text(ident.rng)
	switch p.peekKind() {
	case kEqual:
		eq := p.read()
		expr := p.expression()
		end := p.prev
		if k := p.peekKind(); k != kNewline && k != kEOF {
			p.fail()
			return
		}
		p.read()
		if _, dup := b.Attributes[name]; dup {
			p.fail() // "Attribute redefined" is hclsyntax's to say
			return
		}
		a := p.attrs.new()
		*a = hclsyntax.Attribute{Name: name, Expr: expr, SrcRange: hcl.RangeBetween(ident.rng, end), NameRange: ident.rng, EqualsRange: eq.rng}
		b.Attributes[name] = a
	case kOQuote, kOBrace, kIdent:
		b.Blocks = append(b.Blocks, p.block(name, ident.rng))
	default:
		p.fail()
	}
}

// block is finishParsingBodyBlock, for blocks whose body starts on a new
// line (hclsyntax's single-line form is left to it).
func (p *parser) block(typ string, typeRange hcl.Range) *hclsyntax.Block {
	blk := &hclsyntax.Block{Type: typ, TypeRange: typeRange}
	for !p.failed {
		t := p.peek()
		switch t.kind {
		case kOQuote:
			p.read()
			label, rng := p.label(t.rng)
			blk.Labels = append(blk.Labels, label)
			blk.LabelRanges = append(blk.LabelRanges, rng)
			continue
		case kIdent:
			p.read()
			blk.Labels = append(blk.Labels, p.text(t.rng))
			blk.LabelRanges = append(blk.LabelRanges, t.rng)
			continue
		case kOBrace:
			blk.OpenBraceRange = p.read().rng
		default:
			p.fail()
		}
		break
	}
	switch p.peekKind() {
	case kNewline, kEOF, kCBrace:
	default:
		p.fail()
	}
	blk.Body = p.body(kCBrace)
	blk.CloseBraceRange = p.prev
	if k := p.peekKind(); k != kNewline && k != kEOF {
		p.fail()
	}
	p.read()
	return blk
}

// text is the source of a token, a substring of one copy of the whole
// text rather than a string allocated per name.
func (p *parser) text(r hcl.Range) string {
	return p.str[r.Start.Byte-p.base : r.End.Byte-p.base]
}

// slab hands out nodes from blocks: a file has hundreds, all living as
// long as the tree does, so one allocation per node was wasted work.
// Blocks double from 8 to 64 nodes, so a small file wastes little.
type slab[T any] struct {
	free []T
	size int
}

func (s *slab[T]) new() *T {
	if len(s.free) == 0 {
		s.size = min(max(2*s.size, 8), 64)
		s.free = make([]T, s.size)
	}
	n := &s.free[0]
	s.free = s.free[1:]
	return n
}
