package terraform

import (
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// write returns the body formatted as hclwrite's File.Bytes formats the same
// tokens (hcl v2.25.0, hclwrite/format.go), without building tokens: the text
// of each line is written with canonical spacing as it is built (for the
// token pairs the tree can produce, formatSpaces' spaceAfterToken gives none
// after an opening bracket, before a closing one, around a dot, before a
// comma or inside a quoted string; one after a comma, around "=", before a
// label and before a block's "{"), and two passes over the lines then apply
// the two rules that need neighbouring lines:
//
//   - indentation: a line whose brackets open more than they close is
//     indented at the current depth and pushes one level, however many
//     brackets it opens; a line that closes pops levels until its closers are
//     used up (so `jsonencode({` ... `})` is one level, not two);
//   - alignment: consecutive attribute lines whose value ends on the same line
//     pad their names so the "=" line up; any other line (a block, a comment, a
//     blank line, a closing brace, an attribute opening a multi-line value)
//     ends the run.
func write(b *body) []byte {
	w := writer{cur: line{eq: -1}}
	w.body(b)
	return w.render()
}

type writer struct {
	text  []byte // every line's text, without indentation or newline
	lines []line
	cur   line
}

type line struct {
	start, end int // the line in writer.text
	// eq is where the " = " of an attribute whose value is on this line
	// alone starts, -1 on any other line; cols is the columns of the name
	// before it (hclwrite counts grapheme clusters).
	eq, cols int
	net      int // brackets opened minus closed
	indent   int
}

func (w *writer) newline() {
	w.cur.end = len(w.text)
	w.lines = append(w.lines, w.cur)
	w.cur = line{start: len(w.text), eq: -1}
}

func (w *writer) raw(s string) { w.text = append(w.text, s...) }

func (w *writer) open(s string)  { w.raw(s); w.cur.net++ }
func (w *writer) close(s string) { w.raw(s); w.cur.net-- }

func (w *writer) body(b *body) {
	for i := range b.items {
		it := &b.items[i]
		switch it.kind {
		case itemAttr:
			w.raw(it.name)
			w.attrValue(columns(it.name), it.value)
		case itemBlock:
			w.raw(it.name)
			for _, l := range it.labels {
				w.raw(" ")
				w.quoted(l)
			}
			w.open(" {")
			w.newline()
			w.body(it.body)
			w.close("}")
			w.newline()
		case itemComment:
			w.raw("#")
			if it.name != "" {
				w.raw(" ")
				w.raw(it.name)
			}
			w.newline()
		case itemBlank:
			w.newline()
		}
	}
}

// attrValue writes " = value" after a name of cols columns and ends the line.
func (w *writer) attrValue(cols int, v Expr) {
	eq, at := len(w.text), len(w.lines)
	w.raw(" = ")
	w.expr(v)
	if len(w.lines) == at {
		w.cur.eq, w.cur.cols = eq, cols
	}
	w.newline()
}

func (w *writer) expr(e Expr) {
	switch e.kind {
	case kString:
		w.quoted(e.text)
	case kNumber, kKeyword, kRef, kSource:
		w.raw(e.text)
	case kCall:
		w.raw(e.text)
		w.open("(")
		w.list(e.elems)
		w.close(")")
	case kTuple:
		w.open("[")
		w.list(e.elems)
		w.close("]")
	case kObject:
		if len(e.keys) == 0 {
			w.raw("{}")
			return
		}
		w.open("{")
		w.newline()
		for i, k := range e.keys {
			w.attrValue(w.key(k), e.elems[i])
		}
		w.close("}")
	case kTemplate:
		w.open(`"${`)
		w.raw(e.text)
		w.close("}")
		w.text = appendEscaped(w.text, e.suffix)
		w.raw(`"`)
	default:
		panic("terraform: unknown expression kind")
	}
}

func (w *writer) list(elems []Expr) {
	for i, e := range elems {
		if i > 0 {
			w.raw(", ")
		}
		w.expr(e)
	}
}

// key writes an object key as TokensForValue does (an identifier when it is
// a valid one, else a quoted string) and returns its columns, counted token
// by token as hclwrite does.
func (w *writer) key(k string) int {
	k = cty.NormalizeString(k)
	if validIdentifier(k) {
		w.raw(k)
		return columns(k)
	}
	w.raw(`"`)
	at := len(w.text)
	w.text = appendEscaped(w.text, k)
	cols := columns(w.text[at:])
	w.raw(`"`)
	return cols + 2
}

// validIdentifier is hclsyntax.ValidIdentifier, which runs HCL's scanner,
// answered directly for ASCII: (ID_Start | '_') (ID_Continue | '-')*
// (hclsyntax/scan_tokens.rl).
func validIdentifier(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return hclsyntax.ValidIdentifier(s)
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', c == '_':
		case i > 0 && ('0' <= c && c <= '9' || c == '-'):
		default:
			return false
		}
	}
	return s != ""
}

func (w *writer) quoted(s string) {
	w.raw(`"`)
	w.text = appendEscaped(w.text, s)
	w.raw(`"`)
}

func (w *writer) render() []byte {
	if w.cur.start != len(w.text) {
		w.newline()
	}
	lines := w.lines
	// Indentation, as hclwrite's formatIndent: a stack of how many brackets
	// each open level opened.
	var stack []int
	for i := range lines {
		l := &lines[i]
		if l.start == l.end {
			continue // a blank line has no indentation and moves nothing
		}
		if l.net < 0 {
			for closed := -l.net; closed > 0 && len(stack) > 0; {
				top := &stack[len(stack)-1]
				if closed < *top {
					*top -= closed
					break
				}
				closed -= *top
				stack = stack[:len(stack)-1]
			}
		}
		l.indent = 2 * len(stack)
		if l.net > 0 {
			stack = append(stack, l.net)
		}
	}
	out := make([]byte, 0, len(w.text)+len(lines)*8)
	for i := 0; i < len(lines); {
		if lines[i].eq < 0 {
			out = appendLine(out, w.text, lines[i], 0)
			i++
			continue
		}
		j, widest := i, 0
		for ; j < len(lines) && lines[j].eq >= 0; j++ {
			widest = max(widest, lines[j].indent+lines[j].cols)
		}
		for ; i < j; i++ {
			out = appendLine(out, w.text, lines[i], widest-lines[i].indent-lines[i].cols)
		}
	}
	return out
}

// appendLine writes a line with its indentation, and pad more spaces before
// the "=" of an attribute line.
func appendLine(out, text []byte, l line, pad int) []byte {
	if l.start < l.end {
		out = appendSpaces(out, l.indent)
	}
	if l.eq < 0 {
		out = append(out, text[l.start:l.end]...)
	} else {
		out = append(out, text[l.start:l.eq]...)
		out = appendSpaces(out, pad)
		out = append(out, text[l.eq:l.end]...)
	}
	return append(out, '\n')
}

const spaces = "                                                                "

func appendSpaces(out []byte, n int) []byte {
	for n > len(spaces) {
		out = append(out, spaces...)
		n -= len(spaces)
	}
	return append(out, spaces[:n]...)
}

// columns is how many columns hclwrite counts for one token's bytes: one per
// byte for printable ASCII (all an escaped literal or an ASCII identifier
// holds), else hclwrite's own grapheme count, so the two cannot disagree.
func columns[T string | []byte](b T) int {
	for i := 0; i < len(b); i++ {
		if c := b[i]; c < 0x20 || c >= 0x7f {
			return hclwrite.Tokens{{Bytes: []byte(b)}}.Columns()
		}
	}
	return len(b)
}

// appendEscaped appends s as the inside of an HCL quoted string, as
// hclwrite.TokensForValue writes a cty string: NFC-normalised (cty.StringVal
// normalises every string), then \n \r \t \" \\ escaped, "${" and "%{"
// doubled to "$${" and "%%{" so no text is ever a template, and any rune that
// is not printable written \uXXXX (\UXXXXXXXX above the BMP). Invalid UTF-8
// becomes U+FFFD, as ranging over the string makes it there too.
func appendEscaped(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			s = cty.NormalizeString(s)
			break
		}
	}
	for i, r := range s {
		switch r {
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '$', '%':
			b = append(b, byte(r))
			if i+1 < len(s) && s[i+1] == '{' {
				b = append(b, byte(r))
			}
		default:
			switch {
			case r < utf8.RuneSelf && r >= 0x20 && r != 0x7f:
				b = append(b, byte(r))
			case unicode.IsPrint(r):
				b = utf8.AppendRune(b, r)
			case r < 0x10000:
				b = appendHex(append(b, `\u`...), uint32(r), 4)
			default:
				b = appendHex(append(b, `\U`...), uint32(r), 8)
			}
		}
	}
	return b
}

func appendHex(b []byte, v uint32, digits int) []byte {
	const hex = "0123456789abcdef"
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b = append(b, hex[(v>>uint(shift))&0xf])
	}
	return b
}
