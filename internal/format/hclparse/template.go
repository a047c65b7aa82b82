package hclparse

import (
	"strconv"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// template reads a quoted template after its opening quote, as
// parseTemplateInner does: literal text (consecutive pieces melded) and
// ${} interpolations; a template directive (%{) is hclsyntax's.
func (p *parser) template(open hcl.Range) hclsyntax.Expression {
	var parts []hclsyntax.Expression
	literals := false
	for !p.failed {
		if text, rng, ok := p.stringText(); ok {
			parts = append(parts, p.literal(cty.StringVal(text), rng))
			literals = true
		}
		if p.failed {
			return nil
		}
		i := p.pos.Byte - p.base
		if p.src[i] == '"' {
			closing := p.punct(1)
			if len(parts) == 0 {
				// hclsyntax's empty literal sits where the next token
				// after the opening quote (the closing one) ends.
				end := hcl.Range{Filename: p.file, Start: closing.End, End: closing.End}
				parts = append(parts, p.literal(cty.StringVal(""), end))
				literals = true
			}
			if len(parts) == 1 && !literals {
				return &hclsyntax.TemplateWrapExpr{Wrapped: parts[0], SrcRange: hcl.RangeBetween(open, closing)}
			}
			e := p.templates.new()
			*e = hclsyntax.TemplateExpr{Parts: parts, SrcRange: hcl.RangeBetween(open, closing)}
			return e
		}
		// stringText stops before "${" or the closing quote only.
		if next(p.src, i+1) == '~' {
			p.fail() // a whitespace-trimming interpolation
			return nil
		}
		p.punct(2)
		nl := p.nl
		p.nl = false
		e := p.expression()
		p.expect(kCBrace) // "~}" lexes as kBad
		p.nl = nl
		parts = append(parts, e)
	}
	return nil
}

// label is parseQuotedStringLiteral: a block label after its opening quote,
// which may hold no interpolation.
func (p *parser) label(open hcl.Range) (string, hcl.Range) {
	text, _, _ := p.stringText()
	if p.failed || p.src[p.pos.Byte-p.base] != '"' {
		p.fail()
		return "", hcl.Range{}
	}
	return text, hcl.RangeBetween(open, p.punct(1))
}

// punct reads n ASCII bytes as one token.
func (p *parser) punct(n int) hcl.Range {
	r := hcl.Range{Filename: p.file, Start: p.pos, End: hcl.Pos{Byte: p.pos.Byte + n, Line: p.pos.Line, Column: p.pos.Column + n}}
	p.pos, p.prev, p.started = r.End, r, true
	return r
}

// stringText reads the literal text of a quoted string from the current
// position up to its closing quote or a "${", resolving escapes as
// ParseStringLiteralToken does. ok is false when there is none. It fails on
// what hclsyntax would reject or read otherwise: a line break, a bad escape,
// a "%{" directive, malformed UTF-8, the end of the text.
//
// Columns count grapheme clusters within each of hclsyntax's QuotedLit
// tokens: a "$" or "%" (alone, or as "$${" / "%%{") is a token of its own,
// and so is each run of other characters and escapes between them.
func (p *parser) stringText() (string, hcl.Range, bool) {
	src := p.src
	start := p.pos
	i := start.Byte - p.base
	col := start.Column
	buf := p.buf[:0]
	plain := true // the text is its source: no escape resolved
	text := func() string {
		p.buf = buf
		if plain {
			return p.str[start.Byte-p.base : i]
		}
		return string(buf)
	}
	for {
		if i >= len(src) {
			p.fail()
			return "", hcl.Range{}, false
		}
		switch c := src[i]; c {
		case '"':
			if i == start.Byte-p.base {
				return "", hcl.Range{}, false
			}
			p.pos = hcl.Pos{Byte: i + p.base, Line: start.Line, Column: col}
			return text(), hcl.Range{Filename: p.file, Start: start, End: p.pos}, true
		case '$', '%':
			switch {
			case next(src, i) == '{':
				if c == '%' {
					p.fail() // a template directive
					return "", hcl.Range{}, false
				}
				if i == start.Byte-p.base {
					return "", hcl.Range{}, false
				}
				p.pos = hcl.Pos{Byte: i + p.base, Line: start.Line, Column: col}
				return text(), hcl.Range{Filename: p.file, Start: start, End: p.pos}, true
			case next(src, i) == c && i+2 < len(src) && src[i+2] == '{':
				buf = append(buf, c, '{')
				plain = false
				i += 3
				col += 3
			default:
				buf = append(buf, c)
				i++
				col++
			}
		case '\n', '\r':
			p.fail() // hclsyntax's "Invalid multi-line string"
			return "", hcl.Range{}, false
		default:
			j, ascii := i, true
			for j < len(src) && !p.failed {
				switch c := src[j]; {
				case c == '"' || c == '$' || c == '%' || c == '\n' || c == '\r':
				case c == '\\':
					j, buf = p.escape(j, buf)
					plain = false
					continue
				default:
					if c >= 0x80 {
						ascii = false
					}
					buf = append(buf, c)
					j++
					continue
				}
				break
			}
			if p.failed {
				return "", hcl.Range{}, false
			}
			col += p.columns(src[i:j], ascii)
			i = j
		}
	}
}

// escape resolves the escape sequence at src[j], one of those
// ParseStringLiteralToken accepts (anything else is an error there).
func (p *parser) escape(j int, buf []byte) (int, []byte) {
	src := p.src
	switch next(src, j) {
	case 'n':
		return j + 2, append(buf, '\n')
	case 'r':
		return j + 2, append(buf, '\r')
	case 't':
		return j + 2, append(buf, '\t')
	case '"':
		return j + 2, append(buf, '"')
	case '\\':
		return j + 2, append(buf, '\\')
	case 'u', 'U':
		digits := 4
		if src[j+1] == 'U' {
			digits = 8
		}
		if j+2+digits > len(src) {
			break
		}
		hex := src[j+2 : j+2+digits]
		for _, h := range hex {
			if !isDigit(h) && (h|0x20 < 'a' || h|0x20 > 'f') {
				p.fail()
				return j, buf
			}
		}
		r, _ := strconv.ParseUint(string(hex), 16, 32)
		if utf8.RuneLen(rune(r)) < 0 {
			break
		}
		return j + 2 + digits, utf8.AppendRune(buf, rune(r))
	}
	p.fail()
	return j, buf
}

// columns is the number of grapheme clusters in one token's text.
func (p *parser) columns(b []byte, ascii bool) int {
	if ascii {
		return len(b) // each ASCII character but CR LF is a cluster; CR is refused
	}
	if !utf8.Valid(b) {
		p.fail() // hclsyntax's "Invalid character encoding"
		return 0
	}
	if n, ok := simpleColumns(b); ok {
		return n
	}
	n := 0
	for len(b) > 0 {
		adv, _, _ := scanGraphemeClusters(b, true)
		b = b[adv:]
		n++
	}
	return n
}

// simpleColumns counts characters where each is a cluster of its own: text
// of ASCII and the letters and punctuation of simpleRune (names such as
// "Café — Ümlaut"), ok false for anything else.
func simpleColumns(b []byte) (int, bool) {
	n := 0
	for _, r := range string(b) {
		if r >= 0x80 && !simpleRune(r) {
			return 0, false
		}
		n++
	}
	return n, true
}

// simpleRune holds characters whose Grapheme_Cluster_Break is Other (UAX
// #29): a cluster boundary lies on both sides of one unless its neighbour
// extends it (Extend, ZWJ, SpacingMark) or precedes it (Prepend), and no
// ASCII character or simpleRune is either. Latin-1 and Latin Extended-A/B
// but the soft hyphen (a Control), and General Punctuation between the
// format characters. TestSimpleRunes checks every one against the
// segmenter.
func simpleRune(r rune) bool {
	return r >= 0xA0 && r <= 0x24F && r != 0xAD || r >= 0x2010 && r <= 0x2027 || r >= 0x2030 && r <= 0x205E
}
