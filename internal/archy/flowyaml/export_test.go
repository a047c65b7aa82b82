package flowyaml

import (
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// FastPath reports whether Parse reads data with its own scanner.
func FastPath(data []byte) bool {
	_, _, ok := scan(string(data))
	return ok
}

// NodeBound is the number of nodes the scanner makes room for in data.
func NodeBound(data []byte) int {
	bound, _ := cleanText(string(data))
	return bound
}

// CleanTextAgrees reports whether cleanText's word-at-a-time reading gives
// what one byte (or rune) at a time gives.
func CleanTextAgrees(data []byte) bool {
	b := string(data)
	bound, ok := cleanText(b)
	want, wantOK := 2, true
	for i, r := range b {
		switch {
		case r == utf8.RuneError:
			wantOK = false
		case r < 0x20 && r != '\n' || r >= 0x7F && r < 0xA0 || r == 0x2028 || r == 0x2029 || r == 0xFEFF || r >= 0xFFFE:
			wantOK = false
		case r == ':' && (i+1 == len(b) || b[i+1] == ' ' || b[i+1] == '\n'):
			want += 2
		case r == '-' && i+1 < len(b) && b[i+1] == ' ':
			want++
		}
	}
	return ok == wantOK && (!ok || bound == want)
}

// FromYAML is the compact tree ParseTree makes of yaml.v3's.
func FromYAML(y *yaml.Node) (Node, error) { return fromYAML(y) }
