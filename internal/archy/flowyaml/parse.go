package flowyaml

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// Parse reads a flow file into a yaml.v3 document node, exactly as
// yaml.Unmarshal into a yaml.Node does. Flow files as bpgen writes them (block
// mappings and sequences, one-line plain and quoted scalars, empty [] and {})
// are read by a direct scanner, several times faster than yaml.v3's, which a
// render's self-check used to spend a fifth of its time in; anything else (a
// comment, a tab, a multi-line scalar, an anchor, a number yaml.v3 might read
// as a float or a timestamp) goes to yaml.v3 itself, errors included.
// TestParseMatchesYAMLv3 and FuzzParse hold the two to the same trees.
func Parse(data []byte) (*yaml.Node, error) { return ParseString(string(data)) }

// ParseString is Parse of text held as a string (the tree's scalars are
// pieces of it), for a caller that has one and would otherwise copy it.
func ParseString(src string) (*yaml.Node, error) {
	if doc, count, ok := scan(src); ok {
		return toYAML(doc, count), nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// scan reads src with the scanner into the compact tree and counts its
// nodes; ok is false where it cannot promise yaml.v3's tree.
func scan(src string) (doc *Node, count int, ok bool) {
	bound, ok := cleanText(src)
	if !ok || len(src) > math.MaxInt32 {
		return nil, 0, false
	}
	// Every Content slice is carved from one slab this call owns, sized
	// for the whole tree: a flow has thousands of nodes, all living as long
	// as the tree does, and one allocation per collection was most of the
	// parse's work.
	//
	// The stack holds the entries of every collection open at once: a
	// rendered flow's reach about 300, and growing it in steps cost more
	// than making room for them.
	p := &scanner{src: src, line: 1, slab: make([]Node, bound), stack: make([]Node, 0, min(bound, 320))}
	p.skipBlankLines()
	if p.eof() {
		return nil, 0, false
	}
	col := p.indentation()
	if col != 0 || !p.block(col) {
		return nil, 0, false
	}
	p.skipBlankLines()
	if !p.eof() {
		return nil, 0, false
	}
	doc = &Node{Kind: DocumentNode, Line: p.stack[0].Line, Column: p.stack[0].Column}
	doc.Content = p.content(0)
	return doc, p.count + 1, true
}

// cleanText admits UTF-8 text with line feeds as its only control
// characters and no character yaml.v3's reader refuses or treats specially
// (tab, CR, NEL, line and paragraph separators, BOM, C1 controls). It also
// bounds the nodes the scanner can build from the text: the document, the
// root, a key and its value for each ':' that may end a key, and an item
// for each "- ".
func cleanText(b string) (bound int, ok bool) {
	bound = 2
	for i := 0; i < len(b); {
		// Eight ASCII bytes (and the one after them) at a time: this reads
		// every byte of every flow, as often as a bundle is vetted.
		if i+8 < len(b) && b[i+8] < 0x80 {
			w := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
				uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
			if w&highBits == 0 {
				if below(w, 0x20)&^equal(w, '\n')|equal(w, 0x7F) != 0 {
					return 0, false
				}
				// Most words hold neither ':' nor '-', and add nothing.
				if colon, dash := equal(w, ':'), equal(w, '-'); colon|dash != 0 {
					next := w>>8 | uint64(b[i+8])<<56 // each byte's successor, in its place
					bound += 2*bits.OnesCount64(colon&(equal(next, ' ')|equal(next, '\n'))) +
						bits.OnesCount64(dash&equal(next, ' '))
				}
				i += 8
				continue
			}
		}
		c := b[i]
		if c < 0x80 {
			switch {
			case c < 0x20 && c != '\n' || c == 0x7F:
				return 0, false
			case c == ':' && (i+1 == len(b) || b[i+1] == ' ' || b[i+1] == '\n'):
				bound += 2
			case c == '-' && i+1 < len(b) && b[i+1] == ' ':
				bound++
			}
			i++
			continue
		}
		r, w := utf8.DecodeRuneInString(b[i:])
		if r == utf8.RuneError || r < 0xA0 || r == 0x2028 || r == 0x2029 || r == 0xFEFF || r >= 0xFFFE {
			return 0, false
		}
		i += w
	}
	return bound, true
}

// Byte-wise tests on a word of eight ASCII bytes (high bits clear, so no
// sum below carries from one byte into the next): each gives the high bit
// of every byte that passes.
const (
	lowBits  = 0x0101010101010101
	highBits = 0x8080808080808080
)

// equal marks the bytes of w equal to c (x+0x7F sets the high bit of every
// byte of x but a zero one).
func equal(w uint64, c byte) uint64 { return ^((w ^ lowBits*uint64(c)) + lowBits*0x7F) & highBits }

// below marks the bytes of w less than c (c <= 0x80).
func below(w uint64, c byte) uint64 { return ^(w + lowBits*uint64(0x80-c)) & highBits }

// scanner walks the text; pos is a byte offset, col (0-based) its column.
type scanner struct {
	src       string
	pos       int
	line      int
	lineStart int
	slab      []Node // the rest of the Content slab
	stack     []Node // the entries of the collections being read
	count     int    // the nodes made (the document's aside)
	// The last column col worked out, at colPos on the line starting at
	// colLine: a line's nodes are met left to right, so each counts the
	// runes from the one before rather than from the line's start (flows
	// nest deep, and most of a line is its indentation).
	colLine, colPos, colN int
}

func (p *scanner) eof() bool { return p.pos >= len(p.src) }

func (p *scanner) col() int {
	if p.colLine != p.lineStart || p.colPos > p.pos || p.colPos < p.lineStart {
		p.colLine, p.colPos, p.colN = p.lineStart, p.lineStart, 0
	}
	p.colN += utf8.RuneCountInString(p.src[p.colPos:p.pos])
	p.colPos = p.pos
	return p.colN
}

// skipBlankLines moves to the start of the next line with content.
func (p *scanner) skipBlankLines() {
	for !p.eof() {
		// A line is blank when only spaces come before its end: a line with
		// content is left at its start without reading the rest of it.
		i := p.spacesEnd(p.pos)
		switch {
		case i == len(p.src):
			p.pos = i
			return
		case p.src[i] != '\n':
			return
		}
		p.pos = i + 1
		p.line++
		p.lineStart = p.pos
	}
}

// indentation moves past the leading spaces of the current line.
func (p *scanner) indentation() int {
	p.pos = p.spacesEnd(p.pos)
	// Spaces are a rune each: col need not count them again.
	p.colLine, p.colPos, p.colN = p.lineStart, p.pos, p.pos-p.lineStart
	return p.pos - p.lineStart
}

// spacesEnd is the offset of the first byte from i on that is not a space,
// found eight at a time first (flows nest deep, and most of a line is its
// indentation).
func (p *scanner) spacesEnd(i int) int {
	for i+8 <= len(p.src) && p.src[i:i+8] == "        " {
		i += 8
	}
	for i < len(p.src) && p.src[i] == ' ' {
		i++
	}
	return i
}

// nextLine moves past the line break ending the current line (which must
// have nothing left on it), then to the next line with content, and returns
// its indentation; -1 at the end of the text.
func (p *scanner) nextLine() (int, bool) {
	if p.eof() {
		return -1, true
	}
	if p.src[p.pos] != '\n' {
		return 0, false
	}
	p.pos++
	p.line++
	p.lineStart = p.pos
	p.skipBlankLines()
	if p.eof() {
		return -1, true
	}
	return p.indentation(), true
}

// push stacks a new node here and returns its index. The scanner builds
// each node in place on the stack (a node is 56 bytes: returning and
// copying them cost more than reading the text), and moves the entries of a
// collection to the slab when it ends.
func (p *scanner) push(kind Kind, t tag) int {
	p.count++
	p.stack = append(p.stack, Node{Kind: kind, tag: t, Line: int32(p.line), Column: int32(p.col() + 1)})
	return len(p.stack) - 1
}

// content moves the entries stacked since mark into a Content slice of
// their exact length (capped, so an append by a caller copies rather than
// writing over the next slice in the slab).
func (p *scanner) content(mark int) []Node {
	n := len(p.stack) - mark
	if len(p.slab) < n {
		p.slab = make([]Node, max(n, 64)) // cleanText's bound holds; this is for safety
	}
	out := p.slab[:n:n]
	p.slab = p.slab[n:]
	copy(out, p.stack[mark:])
	p.stack = p.stack[:mark]
	return out
}

// block reads the collection starting here, at column col: a sequence when
// the text is "- ", else a mapping. It stops before the first line indented
// less than col, with the scanner after that line's indentation. It, and
// every reading below, stacks what it read and reports whether it could.
func (p *scanner) block(col int) bool {
	if strings.HasPrefix(p.src[p.pos:], "- ") {
		return p.sequence(col)
	}
	return p.mapping(col, false, 0)
}

func (p *scanner) sequence(col int) bool {
	seq := p.push(SequenceNode, tagSeq)
	for {
		if !strings.HasPrefix(p.src[p.pos:], "- ") {
			return false
		}
		p.pos += 2
		if !p.inline(col + 2) {
			return false
		}
		next, ok := p.after(col)
		if !ok {
			return false
		}
		if next < col {
			p.stack[seq].Content = p.content(seq + 1)
			return true
		}
		if next != col {
			return false
		}
	}
}

// inline reads a sequence item after its "- ": a collection whose first
// entry shares the dash's line (its entries at column col), or a one-line
// value.
func (p *scanner) inline(col int) bool {
	if p.col() != col {
		return false
	}
	if strings.HasPrefix(p.src[p.pos:], "- ") {
		return p.sequence(col)
	}
	// A scalar read as a key is the mapping's first key when ':' and a
	// space or the line's end follow it, and the item itself when the line
	// ends after it (a key's scalar takes less than a value's, so what it
	// reads up to a line's end a value reads alike); the rest is read again
	// as a value.
	save := *p
	if p.scalar(true) {
		if p.keyEnds() {
			return p.mapping(col, true, save.pos)
		}
		if p.eof() || p.src[p.pos] == '\n' {
			return true
		}
	}
	*p = save
	return p.value()
}

// keyEnds reports whether a key may end here: a ':' and then a space, a
// line break or the end of the text.
func (p *scanner) keyEnds() bool {
	return p.pos < len(p.src) && p.src[p.pos] == ':' && (p.pos+1 == len(p.src) || p.src[p.pos+1] == ' ' || p.src[p.pos+1] == '\n')
}

// after finishes the line of an entry at column col whose value was the
// node last stacked: a scalar or empty collection must end its line (a
// deeper line after it would continue a plain scalar). It returns the next
// line's indentation.
func (p *scanner) after(col int) (int, bool) {
	if n := &p.stack[len(p.stack)-1]; n.Kind == ScalarNode || len(n.Content) == 0 {
		next, ok := p.nextLine()
		if !ok || next > col {
			return 0, false
		}
		return next, true
	}
	// A collection has already moved to the line after its last entry.
	if p.eof() {
		return -1, true
	}
	return p.pos - p.lineStart, true
}

// mapping reads a block mapping at column col; with hasFirst, the node
// last stacked is its first key, already read from offset firstStart.
func (p *scanner) mapping(col int, hasFirst bool, firstStart int) bool {
	var m int
	if hasFirst {
		// The mapping goes before its first key, where it starts.
		m = len(p.stack) - 1
		key := p.stack[m]
		p.count++
		p.stack = append(p.stack, key)
		p.stack[m] = Node{Kind: MappingNode, tag: tagMap, Line: key.Line, Column: key.Column}
	} else {
		m = p.push(MappingNode, tagMap)
	}
	for {
		start := firstStart
		if !hasFirst {
			start = p.pos
			if !p.scalar(true) {
				return false
			}
		}
		hasFirst = false
		// yaml.v3 takes a simple key of up to 1024 characters, quotes included.
		if key := &p.stack[len(p.stack)-1]; p.pos-start > 1000 || key.Style == 0 && key.tag != tagStr {
			// A plain key yaml.v3 resolves as something else keeps its tag;
			// flows never have one, so leave it to yaml.v3.
			return false
		}
		if p.eof() || p.src[p.pos] != ':' {
			return false
		}
		p.pos++
		next := 0
		switch {
		case p.eof() || p.src[p.pos] == '\n':
			// The value is the block on the next lines, deeper than the key.
			n, ok := p.nextLine()
			if !ok || n <= col {
				return false // an empty (null) value, or a same-column sequence
			}
			if !p.block(n) {
				return false
			}
			next = p.pos - p.lineStart
			if p.eof() {
				next = -1
			}
		case p.src[p.pos] == ' ':
			p.pos++
			if !p.value() {
				return false
			}
			var ok bool
			if next, ok = p.after(col); !ok {
				return false
			}
		default:
			return false
		}
		if next < col {
			p.stack[m].Content = p.content(m + 1)
			return true
		}
		if next != col || strings.HasPrefix(p.src[p.pos:], "- ") {
			return false
		}
	}
}

// value reads a one-line value: a scalar, [] or {}.
func (p *scanner) value() bool {
	if rest := p.src[p.pos:]; len(rest) >= 2 && (len(rest) == 2 || rest[2] == '\n') && (rest[:2] == "[]" || rest[:2] == "{}") {
		n := &p.stack[p.push(SequenceNode, tagSeq)]
		if rest[0] == '{' {
			n.Kind, n.tag = MappingNode, tagMap
		}
		n.Style = FlowStyle
		p.pos += 2
		return true
	}
	return p.scalar(false) && (p.eof() || p.src[p.pos] == '\n')
}

// scalar reads a one-line scalar. As a key it stops before ": " or a ':'
// ending the line; as a value it runs to the end of the line.
func (p *scanner) scalar(key bool) bool {
	if p.eof() {
		return false
	}
	n := &p.stack[p.push(ScalarNode, tagStr)]
	switch p.src[p.pos] {
	case '"':
		n.Style = DoubleQuotedStyle
		v, ok := p.doubleQuoted()
		n.Value = v
		return ok
	case '\'':
		n.Style = SingleQuotedStyle
		v, ok := p.singleQuoted()
		n.Value = v
		return ok
	}
	start := p.pos
	if indicators[p.src[p.pos]] {
		return false
	}
	stops := &valueStops
	if key {
		stops = &keyStops
	}
scan:
	for ; p.pos < len(p.src); p.pos++ {
		c := p.src[p.pos]
		if !stops[c] {
			continue
		}
		switch c {
		case '\n':
			break scan
		case ':':
			if p.keyEnds() {
				if !key {
					return false
				}
				break scan
			}
		case '#':
			if p.src[p.pos-1] == ' ' {
				return false // a comment
			}
		default:
			return false // a flow indicator in a key
		}
	}
	v := p.src[start:p.pos]
	if v == "" || v[len(v)-1] == ' ' || len(v) >= 3 && (v[:3] == "---" || v[:3] == "...") {
		return false
	}
	n.Value = v
	t, ok := plainTag(v)
	n.tag = t
	return ok
}

// Bytes a plain scalar cannot start with (YAML's indicators, and a space),
// and those a plain scalar's scan must look at: its line's end, a ':' that
// may end it, a '#' that may start a comment, and in a key the flow
// indicators yaml.v3 would read as a flow collection's.
var (
	indicators = byteSet(" -?:,[]{}#&*!|>%@`")
	valueStops = byteSet("\n:#")
	keyStops   = byteSet("\n:#,[]{}")
)

func byteSet(s string) (set [256]bool) {
	for i := 0; i < len(s); i++ {
		set[s[i]] = true
	}
	return set
}

// plainTag is the tag yaml.v3 resolves a plain scalar to (resolve.go), for
// the text flows hold; ok is false where yaml.v3 would try a number, float
// or timestamp this does not settle.
func plainTag(v string) (tag, bool) {
	switch v {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return tagBool, true
	case "null", "Null", "NULL", "~":
		return tagNull, true
	case "<<":
		return tagOther, false // yaml.v3 reads it as a merge key
	}
	switch c := v[0]; {
	case c >= '0' && c <= '9' || c == '-' || c == '+':
		// A decimal integer without a leading zero that fits an int64.
		d := strings.TrimPrefix(v, "-")
		if d == "0" && v == "0" || d != "" && d[0] >= '1' && d[0] <= '9' && allDigits(d) {
			if _, err := strconv.ParseInt(v, 10, 64); err == nil {
				return tagInt, true
			}
		}
		return tagOther, false
	case c == '.':
		return tagOther, false
	}
	return tagStr, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// unescaped reads a quoted scalar's text when the first of stops after the
// opening quote is its closing quote (and, for ' , not a doubled one): the
// value is then the text between the quotes, as it stands.
func (p *scanner) unescaped(stops string, quote byte) (string, bool) {
	end := strings.IndexAny(p.src[p.pos:], stops)
	if end < 0 || p.src[p.pos+end] != quote || quote == '\'' && strings.HasPrefix(p.src[p.pos+end:], "''") {
		return "", false
	}
	v := p.src[p.pos : p.pos+end]
	p.pos += end + 1
	return v, true
}

func (p *scanner) singleQuoted() (string, bool) {
	p.pos++
	// Without a doubled quote the value is the text between the quotes.
	if v, ok := p.unescaped("'\n", '\''); ok {
		return v, true
	}
	var b strings.Builder
	for !p.eof() {
		c := p.src[p.pos]
		switch {
		case c == '\n':
			return "", false
		case c == '\'' && strings.HasPrefix(p.src[p.pos:], "''"):
			b.WriteByte('\'')
			p.pos += 2
		case c == '\'':
			p.pos++
			return b.String(), true
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", false
}

// shortEscapes are the one-letter escapes JSON and YAML share.
var shortEscapes = map[byte]byte{'"': '"', '\\': '\\', 'n': '\n', 't': '\t', 'r': '\r', 'b': '\b', 'f': '\f'}

// doubleQuoted reads a one-line double-quoted scalar with the escapes JSON
// strings use (what Terraform's jsonencode substitutes into flows); any
// other escape goes to yaml.v3.
func (p *scanner) doubleQuoted() (string, bool) {
	p.pos++
	// Without an escape the value is the text between the quotes.
	if v, ok := p.unescaped("\"\\\n", '"'); ok {
		return v, true
	}
	var b strings.Builder
	for !p.eof() {
		c := p.src[p.pos]
		switch c {
		case '\n':
			return "", false
		case '"':
			p.pos++
			return b.String(), true
		case '\\':
			if p.pos+1 >= len(p.src) {
				return "", false
			}
			e := p.src[p.pos+1]
			p.pos += 2
			if c, ok := shortEscapes[e]; ok {
				b.WriteByte(c)
				continue
			}
			switch e {
			case 'u':
				if p.pos+4 > len(p.src) {
					return "", false
				}
				r, err := strconv.ParseUint(p.src[p.pos:p.pos+4], 16, 32)
				if err != nil || r >= 0xD800 && r <= 0xDFFF {
					return "", false
				}
				b.WriteRune(rune(r))
				p.pos += 4
			default:
				return "", false
			}
		default:
			b.WriteByte(c)
			p.pos++
		}
	}
	return "", false
}
