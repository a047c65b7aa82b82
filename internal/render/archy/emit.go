package archy

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bpgen/bpgen/internal/archy/flowyaml"
)

// emitFast writes doc exactly as yaml.v3's Encoder with SetIndent(2) does,
// for the node shapes this package builds (block mappings and sequences,
// empty ones in flow style, !!str/!!bool/!!int scalars on one line), without
// yaml.v3's event machinery: encoding flows was a quarter of a render's time.
// It reports false for anything outside those shapes (a multi-line or
// non-printable string, a complex key, a plain string yaml.v3 might resolve as
// a number or a timestamp), and Encode then uses yaml.v3 itself. Its rules
// are yaml.v3 v3.0.1's emitter (emitterc.go: analyze_scalar,
// select_scalar_style, check_simple_key, the block and flow writers);
// TestEmitFastMatchesYAMLv3 and FuzzEmitFast hold it to that encoder.
func emitFast(doc *Node) ([]byte, bool) {
	e := emitter{buf: make([]byte, 0, 16<<10)}
	return e.emit(doc)
}

// emit is emitFast appending to e.buf.
func (e *emitter) emit(doc *Node) ([]byte, bool) {
	if doc.Kind == flowyaml.DocumentNode {
		if len(doc.Content) != 1 {
			return nil, false
		}
		doc = doc.Content[0]
	}
	if doc.Kind != flowyaml.MappingNode && doc.Kind != flowyaml.SequenceNode || len(doc.Content) == 0 {
		return nil, false
	}
	if !e.block(doc, 0, false) {
		return nil, false
	}
	return append(e.buf, '\n'), true
}

type emitter struct {
	buf []byte
	// check applies checkScalar to each scalar as it is written (Encode's
	// check, without a walk of its own): the emitter meets the scalars in
	// document order, as checkScalars does, so the first error is the same.
	// err is the error that stopped it.
	check bool
	err   error
}

// block writes a non-empty block collection whose entries start at column
// indent. inline is true right after "- ", where the first entry shares the
// dash's line (yaml.v3 pads to the indent instead of breaking the line).
func (e *emitter) block(n *Node, indent int, inline bool) bool {
	if n.Style != 0 {
		return false
	}
	switch n.Kind {
	case flowyaml.MappingNode:
		if n.Tag != TagNone && n.Tag != TagMap || len(n.Content)%2 != 0 {
			return false
		}
		for i := 0; i < len(n.Content); i += 2 {
			e.indent(indent, inline && i == 0)
			if !e.key(n.Content[i]) {
				return false
			}
			e.buf = append(e.buf, ':')
			if !e.value(n.Content[i+1], indent, false) {
				return false
			}
		}
	case flowyaml.SequenceNode:
		if n.Tag != TagNone && n.Tag != TagSeq {
			return false
		}
		for i, it := range n.Content {
			e.indent(indent, inline && i == 0)
			e.buf = append(e.buf, '-')
			if !e.value(it, indent, true) {
				return false
			}
		}
	default:
		return false
	}
	return true
}

// indent starts a line at column n, or (inline) pads the current line to it.
func (e *emitter) indent(n int, inline bool) {
	if inline {
		e.buf = append(e.buf, ' ')
		return
	}
	if len(e.buf) > 0 {
		e.buf = append(e.buf, '\n')
	}
	for ; n > len(spaces); n -= len(spaces) {
		e.buf = append(e.buf, spaces...)
	}
	e.buf = append(e.buf, spaces[:n]...)
}

const spaces = "                                                                "

// value writes what follows "key:" or "-" (afterDash) at a parent whose
// entries start at column indent: a scalar or an empty collection on the same
// line, a non-empty collection indented by two. After "-" the dash is part of
// the indentation: the collection's first entry goes on the dash's line.
func (e *emitter) value(n *Node, indent int, afterDash bool) bool {
	switch n.Kind {
	case flowyaml.ScalarNode:
		e.buf = append(e.buf, ' ')
		return e.scalar(n, false)
	case flowyaml.MappingNode, flowyaml.SequenceNode:
		if len(n.Content) == 0 {
			if n.Tag != TagNone && n.Tag != TagMap && n.Tag != TagSeq {
				return false
			}
			if n.Kind == flowyaml.MappingNode {
				e.buf = append(e.buf, " {}"...)
			} else {
				e.buf = append(e.buf, " []"...)
			}
			return true
		}
		return e.block(n, indent+2, afterDash)
	}
	return false
}

// key writes a mapping key: yaml.v3 writes a scalar of up to 128 bytes on
// one line as a simple key, where an empty plain scalar must be quoted.
func (e *emitter) key(n *Node) bool {
	if n.Kind != flowyaml.ScalarNode || len(n.Value) > 128 {
		return false
	}
	return e.scalar(n, true)
}

// The scalar styles yaml.v3 chooses between.
const (
	plain = iota
	singleQuoted
	doubleQuoted
)

func (e *emitter) scalar(n *Node, simpleKey bool) bool {
	if e.check {
		if e.err = checkScalar(n); e.err != nil {
			return false
		}
	}
	v := n.Value
	style := plain
	switch {
	case n.Style == flowyaml.DoubleQuotedStyle:
		style = doubleQuoted
	case n.Style == flowyaml.SingleQuotedStyle:
		style = singleQuoted
	case n.Style != 0:
		return false
	}
	switch n.Tag {
	case TagStr:
		if style == plain {
			force, known := resolvesOther(v)
			if !known {
				return false
			}
			if force {
				style = doubleQuoted
			}
		}
	case TagBool:
		if v != "true" && v != "false" || style != plain {
			return false
		}
	case TagInt:
		// As Of writes them (strconv.Itoa), which yaml.v3 resolves as !!int.
		if i, err := strconv.Atoi(v); err != nil || style != plain || v != strconv.Itoa(i) {
			return false
		}
	default:
		return false
	}
	a, ok := analyze(v)
	if !ok {
		return false
	}
	if style == plain && (!a.blockPlain || v == "" && simpleKey) {
		style = singleQuoted
	}
	switch style {
	case plain:
		e.buf = append(e.buf, v...)
	case singleQuoted:
		e.buf = append(e.buf, '\'')
		for i := 0; i < len(v); i++ {
			if v[i] == '\'' {
				e.buf = append(e.buf, '\'')
			}
			e.buf = append(e.buf, v[i])
		}
		e.buf = append(e.buf, '\'')
	case doubleQuoted:
		// analyze admitted printable text only, so '"' and '\' are the only
		// characters yaml.v3 escapes here.
		e.buf = append(e.buf, '"')
		for i := 0; i < len(v); i++ {
			if v[i] == '"' || v[i] == '\\' {
				e.buf = append(e.buf, '\\')
			}
			e.buf = append(e.buf, v[i])
		}
		e.buf = append(e.buf, '"')
	}
	return true
}

// resolvesOther reports whether yaml.v3 reads the plain text v as something
// other than a string (resolve.go: its resolveTable hints and resolveMap),
// in which case it double-quotes a !!str. known is false for text starting
// with a digit, a sign or a dot, which yaml.v3 tries as a number or a
// timestamp: those go through yaml.v3 itself.
func resolvesOther(v string) (force, known bool) {
	if v == "" {
		return true, true // resolveMap[""] is null
	}
	switch c := v[0]; {
	case c >= '0' && c <= '9', c == '+', c == '-', c == '.':
		return false, false
	case strings.IndexByte("yYnNtTfFoO~", c) >= 0:
		switch v {
		case "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~":
			return true, true
		}
	}
	return false, true
}

type analysis struct{ blockPlain bool }

// analyze is yaml.v3's analyze_scalar for one-line printable text (no
// breaks, no tabs, nothing yaml.v3 would escape); ok is false for anything
// else. blockPlain is whether the text may stand unquoted in block context.
func analyze(v string) (analysis, bool) {
	if v == "" {
		return analysis{blockPlain: true}, true
	}
	indicators := len(v) >= 3 && (v[:3] == "---" || v[:3] == "...")
	precededBySpace := true
	for i, w := 0, 0; i < len(v); i += w {
		// Decoded by hand: nearly all text is ASCII, and past the first
		// character most of it only says whether a space precedes the next.
		w = 1
		if i > 0 {
			switch asciiClass[v[i]] {
			case plainASCII:
				precededBySpace = false
				continue
			case spaceASCII:
				precededBySpace = true
				continue
			}
		}
		r := rune(v[i])
		if r >= utf8.RuneSelf {
			if r, w = utf8.DecodeRuneInString(v[i:]); r == utf8.RuneError && w == 1 {
				return analysis{}, false // invalid UTF-8: yaml.v3 writes it as !!binary
			}
		}
		if !printable(r) {
			return analysis{}, false
		}
		followedBySpace := i+w >= len(v) || v[i+w] == ' '
		if i == 0 {
			switch r {
			case '#', ',', '[', ']', '{', '}', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
				indicators = true
			case '?', ':', '-':
				if followedBySpace {
					indicators = true
				}
			}
		} else {
			switch r {
			case ':':
				if followedBySpace {
					indicators = true
				}
			case '#':
				if precededBySpace {
					indicators = true
				}
			}
		}
		precededBySpace = r == ' '
	}
	spaces := v[0] == ' ' || v[len(v)-1] == ' '
	return analysis{blockPlain: !spaces && !indicators}, true
}

// asciiClass sorts bytes for analyze: a printable ASCII byte that is no
// indicator anywhere but first (neither ':' nor '#'), a space, or anything
// the full test must see.
var asciiClass = func() (t [256]uint8) {
	for c := 0x21; c <= 0x7E; c++ {
		if c != ':' && c != '#' {
			t[c] = plainASCII
		}
	}
	t[' '] = spaceASCII
	return t
}()

const (
	otherByte = iota
	plainASCII
	spaceASCII
)

// printable is yaml.v3's is_printable (YAML 1.1's printable set, as the
// emitter applies it with unicode output on), without the line breaks
// (\n, U+2028, U+2029; \r and U+0085 are not printable) and the tab.
func printable(r rune) bool {
	switch {
	case r >= 0x20 && r <= 0x7E:
		return true
	case r >= 0xA0 && r <= 0xD7FF:
		return r != 0x2028 && r != 0x2029
	case r >= 0xE000 && r <= 0xFFFD:
		return r != 0xFEFF
	}
	return false
}
