package expr

import "strings"

// Quote returns an Architect string literal whose value is s: backslash and
// double quote are escaped, and newline, carriage return and tab use \n, \r
// and \t so that generated YAML stays on one line. Every other byte is copied
// as is; the parser accepts raw bytes inside literals, so Parse(Quote(s))
// always yields s.
//
// Quote handles only the Architect layer. The result still has to be placed
// in YAML with correct YAML quoting (a single-quoted scalar avoids a second
// layer of backslash escaping).
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
	return b.String()
}
