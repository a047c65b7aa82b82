package expr

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

type tokenKind int

const (
	tEOF     tokenKind = iota
	tIdent             // name, keyword or path segment
	tInt               // 123
	tDecimal           // 1.5
	tString            // "..." (text holds the decoded value)
	tPunct             // operator or punctuation (text holds it)
)

type token struct {
	kind tokenKind
	text string
	pos  int // byte offset of the first character
}

// describe renders a token for "found X" parts of syntax errors.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of expression"
	case tIdent:
		return fmt.Sprintf("identifier %q", t.text)
	case tInt, tDecimal:
		return "number " + t.text
	case tString:
		return "string literal"
	}
	return "'" + t.text + "'"
}

// is reports whether t is the punctuation p.
func (t token) is(p string) bool { return t.kind == tPunct && t.text == p }

// keyword reports whether t is the case-insensitive keyword kw.
func (t token) keyword(kw string) bool { return t.kind == tIdent && strings.EqualFold(t.text, kw) }

// lexer splits src into tokens one at a time, as the parser asks for them:
// the parser looks at most two tokens ahead, so no slice of every token is
// built (which, at a token every 3.5 bytes, was most of what parsing
// allocated). A lexical error ends the tokens; [Parse] reports it in
// preference to any syntax error, as when the whole input was tokenised
// before parsing.
type lexer struct {
	src string
	i   int // offset of the next token, or past its whitespace
	err *Error
}

// scan returns the next token. At the end, and after an error (kept in
// l.err), it returns the end-of-expression token, forever.
func (l *lexer) scan() token {
	if l.err != nil {
		return token{kind: tEOF, pos: len(l.src)}
	}
	t, err := l.lexToken()
	if err != nil {
		l.err = err
		l.i = len(l.src)
		return token{kind: tEOF, pos: len(l.src)}
	}
	return t
}

// rest scans the remaining tokens and returns the first lexical error.
func (l *lexer) rest() *Error {
	for l.scan().kind != tEOF {
	}
	return l.err
}

func (l *lexer) lexToken() (token, *Error) {
	src, i := l.src, l.i
	// Whitespace, including newlines, is insignificant: exports format
	// long expressions with "\n" and "\t".
	for i < len(src) {
		if c := src[i]; c < utf8.RuneSelf {
			// unicode.IsSpace's ASCII spaces.
			if c != ' ' && (c < '\t' || c > '\r') {
				break
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(src[i:])
		if !unicode.IsSpace(r) {
			break
		}
		i += n
	}
	l.i = i
	if i >= len(src) {
		return token{kind: tEOF, pos: len(src)}, nil
	}
	start := i
	var t token
	switch c := src[i]; {
	case c == '"':
		s, end, err := lexString(src, i)
		if err != nil {
			return token{}, err
		}
		t = token{kind: tString, text: s, pos: start}
		i = end
	case c >= '0' && c <= '9':
		for i < len(src) && isDigit(src[i]) {
			i++
		}
		kind := tInt
		// A '.' makes a decimal only when a digit follows, so that
		// property access on an integer literal still lexes.
		if i+1 < len(src) && src[i] == '.' && isDigit(src[i+1]) {
			i++
			for i < len(src) && isDigit(src[i]) {
				i++
			}
			kind = tDecimal
		}
		t = token{kind: kind, text: src[start:i], pos: start}
	case c == '_' || c >= utf8.RuneSelf || isLetter(rune(c)):
		r, n := utf8.DecodeRuneInString(src[i:])
		if r == utf8.RuneError && n <= 1 {
			return token{}, newError(SyntaxError, src, i, nil, "invalid UTF-8 byte 0x%02x", src[i])
		}
		if !isIdentStart(r) {
			return token{}, newError(SyntaxError, src, i, nil, "unexpected character %q", r)
		}
		i += n
		for i < len(src) {
			if c := src[i]; c < utf8.RuneSelf {
				// isIdentStart or unicode.IsDigit, for ASCII.
				if c != '_' && !isDigit(c) && (c|0x20 < 'a' || c|0x20 > 'z') {
					break
				}
				i++
				continue
			}
			r, n := utf8.DecodeRuneInString(src[i:])
			if !isIdentStart(r) && !unicode.IsDigit(r) {
				break
			}
			i += n
		}
		t = token{kind: tIdent, text: src[start:i], pos: start}
	default:
		op, err := lexPunct(src, i)
		if err != nil {
			return token{}, err
		}
		t = token{kind: tPunct, text: op, pos: start}
		i += len(op)
	}
	l.i = i
	return t, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLetter(r rune) bool { return unicode.IsLetter(r) }

func isIdentStart(r rune) bool { return r == '_' || (unicode.IsLetter(r) && r != utf8.RuneError) }

// lexPunct recognises operators and punctuation. Common mistakes from other
// languages get a pointed message instead of a confusing parse later on.
func lexPunct(src string, i int) (string, *Error) {
	two := ""
	if i+1 < len(src) {
		two = src[i : i+2]
	}
	switch two {
	case "<=", ">=", "==", "!=":
		return two, nil
	case "&&":
		return "", newError(SyntaxError, src, i, nil, "'&&' is not an Architect operator; use 'and'")
	case "||":
		return "", newError(SyntaxError, src, i, nil, "'||' is not an Architect operator; use 'or'")
	}
	switch c := src[i]; c {
	case '(', ')', '[', ']', ',', '.', '+', '-', '*', '/', '%', '^', '!', '~', '&', '|', '<', '>':
		return src[i : i+1], nil // the source's byte, not a new string
	case '=':
		return "", newError(SyntaxError, src, i, nil, "unexpected '='; use '==' to compare")
	case '\'':
		return "", newError(SyntaxError, src, i, nil, "unexpected \"'\"; string literals use double quotes")
	default:
		r, _ := utf8.DecodeRuneInString(src[i:])
		return "", newError(SyntaxError, src, i, nil, "unexpected character %q", r)
	}
}

// lexString decodes the string literal starting at src[start] == '"'. It
// returns the decoded text and the offset just past the closing quote. Bytes
// other than escapes are copied verbatim (including raw newlines and invalid
// UTF-8) so that Quote round-trips any Go string.
func lexString(src string, start int) (string, int, *Error) {
	// Most literals have no escape: their text is the source's.
	for j := start + 1; j < len(src) && src[j] != '\\'; j++ {
		if src[j] == '"' {
			return src[start+1 : j], j + 1, nil
		}
	}
	var b strings.Builder
	i := start + 1
	for i < len(src) {
		c := src[i]
		switch c {
		case '"':
			return b.String(), i + 1, nil
		case '\\':
			if i+1 >= len(src) {
				return "", 0, newError(SyntaxError, src, start, nil, "unterminated string literal")
			}
			switch e := src[i+1]; e {
			case '"', '\\':
				b.WriteByte(e)
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				r, _ := utf8.DecodeRuneInString(src[i+1:])
				return "", 0, newError(SyntaxError, src, i, nil, "unknown escape sequence \\%c in string literal (valid: \\\" \\\\ \\n \\t \\r)", r)
			}
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return "", 0, newError(SyntaxError, src, start, nil, "unterminated string literal")
}
