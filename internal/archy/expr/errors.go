package expr

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// ErrorKind tells which stage produced an [Error].
type ErrorKind int

const (
	// SyntaxError: the text is not a valid expression.
	SyntaxError ErrorKind = iota
	// CheckError: the expression parses but calls an unknown function, or
	// passes arguments whose number or type no overload takes (reported by
	// [Check]).
	CheckError
	// RuntimeError: evaluation failed; in Architect the flow would take its
	// error path.
	RuntimeError
)

func (k ErrorKind) String() string {
	switch k {
	case SyntaxError:
		return "syntax error"
	case CheckError:
		return "check error"
	case RuntimeError:
		return "runtime error"
	}
	return fmt.Sprintf("ErrorKind(%d)", int(k))
}

// Error is the error type returned by every function of this package. It
// names the expression and the position of the offending token or node so
// that a message is useful even when the expression came from deep inside a
// YAML file.
type Error struct {
	Kind ErrorKind
	Expr string // the complete expression text
	// Offset is the byte offset into Expr; Line and Col are 1-based and Col
	// counts characters (runes), not bytes.
	Offset, Line, Col int
	Msg               string
	Err               error // underlying cause, if any (e.g. a JSON decode error)
}

func (e *Error) Error() string {
	return fmt.Sprintf("expr: %d:%d: %s in %q", e.Line, e.Col, e.Msg, e.Expr)
}

func (e *Error) Unwrap() error { return e.Err }

// newError builds an Error, computing line and column from the offset.
func newError(kind ErrorKind, src string, off int, cause error, format string, args ...any) *Error {
	line, col := lineCol(src, off)
	return &Error{Kind: kind, Expr: src, Offset: off, Line: line, Col: col, Msg: fmt.Sprintf(format, args...), Err: cause}
}

// lineCol converts a byte offset into a 1-based line and rune column.
func lineCol(src string, off int) (line, col int) {
	off = min(max(off, 0), len(src))
	before := src[:off]
	line = 1 + strings.Count(before, "\n")
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, 1 + utf8.RuneCountInString(before)
}
