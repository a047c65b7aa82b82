package hclparse

import (
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// kind is a token of the HCL native syntax as hclsyntax's scanner
// (scan_tokens.rl) splits the text, for the tokens the subset uses. kBad
// stands for anything else: the parser never reads one, so meeting one
// means falling back.
type kind uint8

const (
	kBad kind = iota
	kEOF
	kNewline
	kIdent
	kNumber
	kOQuote
	kOBrace
	kCBrace
	kOBrack
	kCBrack
	kOParen
	kCParen
	kComma
	kDot
	kEqual
	kColon
	kQuestion
	kFatArrow
	kEllipsis
	kOr
	kAnd
	kEq
	kNe
	kGt
	kGe
	kLt
	kLe
	kPlus
	kMinus
	kStar
	kSlash
	kPercent
	kBang
)

type token struct {
	kind kind
	rng  hcl.Range
}

// lex returns the token after from. With nl false, newlines and comments
// are skipped, as hclsyntax's peeker does inside brackets; with nl true a
// line comment stands for the newline it ends with, covering the whole
// comment (the peeker's "fake newline").
func (p *parser) lex(from hcl.Pos, nl bool) token {
	src := p.src
	i := from.Byte - p.base
	line, col := from.Line, from.Column
	for {
		at := hcl.Pos{Byte: i + p.base, Line: line, Column: col}
		if i >= len(src) {
			return token{kEOF, hcl.Range{Filename: p.file, Start: at, End: at}}
		}
		c := src[i]
		n := 1 // the token's length in bytes (all of them ASCII)
		k := kBad
		switch c {
		case ' ', '\t':
			// hclsyntax counts the gap between tokens in bytes, which
			// is one column each for spaces and tabs alike.
			i++
			col++
			continue
		case '\r', '\n':
			if c == '\r' {
				if i+1 >= len(src) || src[i+1] != '\n' {
					return token{kind: kBad}
				}
				n = 2
			}
			if !nl {
				i += n
				line++
				col = 1
				continue
			}
			return token{kNewline, hcl.Range{Filename: p.file, Start: at, End: hcl.Pos{Byte: at.Byte + n, Line: line + 1, Column: 1}}}
		case '#':
			return p.comment(at, i, nl)
		case '/':
			if i+1 < len(src) && src[i+1] == '/' {
				return p.comment(at, i, nl)
			}
			if i+1 < len(src) && src[i+1] == '*' {
				return token{kind: kBad}
			}
			k = kSlash
		case '{':
			k = kOBrace
		case '}':
			k = kCBrace
		case '[':
			k = kOBrack
		case ']':
			k = kCBrack
		case '(':
			k = kOParen
		case ')':
			k = kCParen
		case ',':
			k = kComma
		case '?':
			k = kQuestion
		case '"':
			k = kOQuote
		case '+':
			k = kPlus
		case '-':
			k = kMinus
		case '*':
			k = kStar
		case '%':
			k = kPercent
		case ':':
			if next(src, i) == ':' {
				return token{kind: kBad}
			}
			k = kColon
		case '.':
			k = kDot
			if next(src, i) == '.' && i+2 < len(src) && src[i+2] == '.' {
				k, n = kEllipsis, 3
			}
		case '=', '!', '<', '>', '&', '|':
			if k2, ok := twoByteOp(c, next(src, i)); ok {
				k, n = k2, 2
				break
			}
			switch c {
			case '=':
				k = kEqual
			case '!':
				k = kBang
			case '<':
				if next(src, i) == '<' {
					return token{kind: kBad} // a heredoc
				}
				k = kLt
			case '>':
				k = kGt
			default:
				return token{kind: kBad} // a lone & or |
			}
		default:
			switch {
			case c >= '0' && c <= '9':
				for n < len(src)-i && isDigit(src[i+n]) {
					n++
				}
				// A fraction or an exponent: hclsyntax's NumberLit
				// rule is not worth repeating for numbers bpgen never
				// writes.
				if d := next(src, i+n-1); d == '.' || d == 'e' || d == 'E' || d >= 0x80 {
					return token{kind: kBad}
				}
				k = kNumber
			case isLetter(c) || c == '_':
				for n < len(src)-i && isIdentByte(src[i+n]) {
					n++
				}
				// A non-ASCII letter could continue the identifier
				// (Unicode ID_Continue).
				if next(src, i+n-1) >= 0x80 {
					return token{kind: kBad}
				}
				k = kIdent
			default:
				return token{kind: kBad}
			}
		}
		return token{k, hcl.Range{Filename: p.file, Start: at, End: hcl.Pos{Byte: at.Byte + n, Line: line, Column: col + n}}}
	}
}

// comment reads a line comment starting at byte i. It ends with its line
// break, so it ends at the start of the next line whatever it holds, as
// long as that is text: the segmenter hclsyntax counts columns with can
// take malformed UTF-8 and the line break after it for one character.
func (p *parser) comment(at hcl.Pos, i int, nl bool) token {
	j, ascii := i, true
	for j < len(p.src) && p.src[j] != '\n' {
		ascii = ascii && p.src[j] < 0x80
		j++
	}
	if j == len(p.src) || !ascii && !utf8.Valid(p.src[i:j]) {
		return token{kind: kBad} // a comment ending the file without a line break, or not UTF-8
	}
	end := hcl.Pos{Byte: j + 1 + p.base, Line: at.Line + 1, Column: 1}
	if !nl {
		return p.lex(end, nl)
	}
	return token{kNewline, hcl.Range{Filename: p.file, Start: at, End: end}}
}

// next is the byte after i, or 0 at the end.
func next(src []byte, i int) byte {
	if i+1 < len(src) {
		return src[i+1]
	}
	return 0
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// isIdentByte is hclsyntax's Ident continuation (ID_Continue or '-') in ASCII.
func isIdentByte(c byte) bool { return isLetter(c) || isDigit(c) || c == '_' || c == '-' }

// twoByteOps are the operators of two bytes.
var twoByteOps = [...]struct {
	a, b byte
	k    kind
}{{'=', '=', kEq}, {'=', '>', kFatArrow}, {'!', '=', kNe}, {'<', '=', kLe}, {'>', '=', kGe}, {'&', '&', kAnd}, {'|', '|', kOr}}

// twoByteOp is the operator the bytes a and b spell together, if any.
func twoByteOp(a, b byte) (kind, bool) {
	for _, op := range twoByteOps {
		if op.a == a && op.b == b {
			return op.k, true
		}
	}
	return 0, false
}
