package dataaction

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// decodePlain decodes s as decodeJSON's Decoder does, for the text data
// actions exchange nearly always: objects, arrays, strings without escapes,
// numbers, true, false and null, no deeper than maxPlainDepth, and nothing
// after the value but white space. ok is false for anything else (an
// escape, invalid UTF-8, a syntax error, trailing text), which the Decoder
// then reads or refuses itself. The Decoder copies its input into a buffer
// it grows as it reads, and unquotes every string into a fresh one: a
// simulated merge's four calls spent a tenth of their allocation there.
// TestDecodePlainMatchesEncodingJSON and FuzzDecodePlain hold the two to
// the same values.
func decodePlain(s string) (v any, ok bool) {
	r := plainReader{s: s}
	r.space()
	if v, ok = r.value(0); !ok {
		return nil, false
	}
	r.space()
	return v, r.i == len(r.s)
}

// maxPlainDepth bounds decodePlain's recursion; deeper text goes to the
// Decoder, which has its own limit.
const maxPlainDepth = 64

type plainReader struct {
	s string
	i int
}

// space skips JSON's white space (encoding/json's isSpace).
func (r *plainReader) space() {
	for r.i < len(r.s) {
		switch r.s[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *plainReader) value(depth int) (any, bool) {
	if r.i >= len(r.s) {
		return nil, false
	}
	switch c := r.s[r.i]; {
	case c == '{':
		return r.object(depth + 1)
	case c == '[':
		return r.array(depth + 1)
	case c == '"':
		return r.str()
	case c == 't':
		return r.word("true", true)
	case c == 'f':
		return r.word("false", false)
	case c == 'n':
		return r.word("null", nil)
	case c == '-' || c >= '0' && c <= '9':
		return r.number()
	}
	return nil, false
}

// word reads a literal; what follows it is the caller's to check (a
// delimiter, white space or the end), so "truex" is not taken.
func (r *plainReader) word(w string, v any) (any, bool) {
	if !strings.HasPrefix(r.s[r.i:], w) {
		return nil, false
	}
	r.i += len(w)
	return v, true
}

// number reads JSON's number grammar, -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?,
// as its own text (UseNumber).
func (r *plainReader) number() (any, bool) {
	start := r.i
	if r.s[r.i] == '-' {
		r.i++
	}
	switch {
	case r.i < len(r.s) && r.s[r.i] == '0':
		r.i++
	case r.digits() == 0:
		return nil, false
	}
	if r.i < len(r.s) && r.s[r.i] == '.' {
		r.i++
		if r.digits() == 0 {
			return nil, false
		}
	}
	if r.i < len(r.s) && (r.s[r.i] == 'e' || r.s[r.i] == 'E') {
		r.i++
		if r.i < len(r.s) && (r.s[r.i] == '+' || r.s[r.i] == '-') {
			r.i++
		}
		if r.digits() == 0 {
			return nil, false
		}
	}
	return json.Number(r.s[start:r.i]), true
}

func (r *plainReader) digits() int {
	start := r.i
	for r.i < len(r.s) && r.s[r.i] >= '0' && r.s[r.i] <= '9' {
		r.i++
	}
	return r.i - start
}

// str reads a string without escapes: its value is the text between the
// quotes, which must be valid UTF-8 without control characters (the
// Decoder replaces invalid bytes, and refuses controls).
func (r *plainReader) str() (any, bool) {
	r.i++
	start, high := r.i, false
	for ; r.i < len(r.s); r.i++ {
		switch c := r.s[r.i]; {
		case c == '"':
			v := r.s[start:r.i]
			r.i++
			return v, !high || utf8.ValidString(v)
		case c == '\\' || c < 0x20:
			return nil, false
		case c >= 0x80:
			high = true
		}
	}
	return nil, false
}

// object reads an object into a map (a repeated key keeps its last value,
// as the Decoder's does).
func (r *plainReader) object(depth int) (any, bool) {
	if depth > maxPlainDepth {
		return nil, false
	}
	r.i++
	m := map[string]any{}
	r.space()
	if r.i < len(r.s) && r.s[r.i] == '}' {
		r.i++
		return m, true
	}
	for {
		if r.i >= len(r.s) || r.s[r.i] != '"' {
			return nil, false
		}
		k, ok := r.str()
		if !ok {
			return nil, false
		}
		r.space()
		if r.i >= len(r.s) || r.s[r.i] != ':' {
			return nil, false
		}
		r.i++
		r.space()
		v, ok := r.value(depth)
		if !ok {
			return nil, false
		}
		m[k.(string)] = v
		if more, ok := r.next('}'); !ok || !more {
			return m, ok
		}
	}
}

// array reads an array; an empty one is an empty slice, not nil, as the
// Decoder makes it.
func (r *plainReader) array(depth int) (any, bool) {
	if depth > maxPlainDepth {
		return nil, false
	}
	r.i++
	a := make([]any, 0)
	r.space()
	if r.i < len(r.s) && r.s[r.i] == ']' {
		r.i++
		return a, true
	}
	for {
		v, ok := r.value(depth)
		if !ok {
			return nil, false
		}
		a = append(a, v)
		if more, ok := r.next(']'); !ok || !more {
			return a, ok
		}
	}
}

// next reads what follows a collection's entry: a comma (more entries
// follow) or its closer.
func (r *plainReader) next(closer byte) (more, ok bool) {
	r.space()
	switch {
	case r.i >= len(r.s):
		return false, false
	case r.s[r.i] == ',':
		r.i++
		r.space()
		return true, true
	case r.s[r.i] == closer:
		r.i++
		return false, true
	}
	return false, false
}
