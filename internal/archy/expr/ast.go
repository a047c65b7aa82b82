package expr

import (
	"strconv"
	"strings"
)

// Op is a unary or binary operator.
type Op int

const (
	OpOr     Op = iota + 1 // or
	OpAnd                  // and
	OpBitOr                // |  (parsed, not evaluated)
	OpBitAnd               // &  (parsed, not evaluated)
	OpEq                   // ==
	OpNe                   // !=
	OpLt                   // <
	OpLe                   // <=
	OpGt                   // >
	OpGe                   // >=
	OpAdd                  // +
	OpSub                  // -
	OpMul                  // *
	OpDiv                  // /
	OpMod                  // %
	OpPow                  // ^  (parsed, not evaluated)
	OpNeg                  // unary -
	OpNot                  // unary ! (and the unverified keyword "not")
	OpTilde                // unary ~ (parsed, not evaluated)
)

var opText = map[Op]string{
	OpOr: "or", OpAnd: "and", OpBitOr: "|", OpBitAnd: "&", OpEq: "==", OpNe: "!=",
	OpLt: "<", OpLe: "<=", OpGt: ">", OpGe: ">=", OpAdd: "+", OpSub: "-",
	OpMul: "*", OpDiv: "/", OpMod: "%", OpPow: "^", OpNeg: "-", OpNot: "!", OpTilde: "~",
}

func (o Op) String() string {
	if s, ok := opText[o]; ok {
		return s
	}
	return "Op(" + strconv.Itoa(int(o)) + ")"
}

// Node is a node of the syntax tree. Pos is the byte offset reported in
// errors about the node: the operator for Unary and Binary, the function name
// for Call, the '[' for Index, the property name for Prop, and the first
// character otherwise. String renders the node fully parenthesised; the result
// parses back to the same tree, which the tests rely on.
type Node interface {
	Pos() int
	String() string
	node()
}

// Literal is a string, number, boolean or NOT_SET literal.
type Literal struct {
	At    int
	Value Value // String, Integer, Decimal, Boolean or NotSet
}

// Var is a variable reference written as a dotted path, e.g. State.X.y. The
// parser cannot tell where the variable name ends and property access begins
// (Flow.contact.email), so it keeps the whole path and lets the [Env] decide.
type Var struct {
	At   int
	Path []string
	// dotted is the path as one string when the parser found it written
	// without spaces (a piece of the source, so no join); "" otherwise.
	dotted string
}

// name returns the path joined with dots.
func (n *Var) name() string {
	if n.dotted != "" {
		return n.dotted
	}
	return strings.Join(n.Path, ".")
}

// Unary is a prefix operator applied to X.
type Unary struct {
	At int
	Op Op
	X  Node
}

// Binary is X Op Y.
type Binary struct {
	At   int
	Op   Op
	X, Y Node
}

// Call is a function call. Name is as written; lookup is case-insensitive.
type Call struct {
	At   int
	Name string
	Args []Node
}

// Prop is property access on something other than a plain variable path,
// e.g. ToPhoneNumber(x).e164 or a[0].key.
type Prop struct {
	At   int
	X    Node
	Name string
}

// Index is X[Index], 0-based.
type Index struct {
	At       int
	X, Index Node
}

func (n *Literal) Pos() int { return n.At }
func (n *Var) Pos() int     { return n.At }
func (n *Unary) Pos() int   { return n.At }
func (n *Binary) Pos() int  { return n.At }
func (n *Call) Pos() int    { return n.At }
func (n *Prop) Pos() int    { return n.At }
func (n *Index) Pos() int   { return n.At }

func (*Literal) node() {}
func (*Var) node()     {}
func (*Unary) node()   {}
func (*Binary) node()  {}
func (*Call) node()    {}
func (*Prop) node()    {}
func (*Index) node()   {}

func (n *Literal) String() string { return n.Value.String() }
func (n *Var) String() string     { return n.name() }
func (n *Unary) String() string   { return "(" + n.Op.String() + n.X.String() + ")" }
func (n *Binary) String() string {
	return "(" + n.X.String() + " " + n.Op.String() + " " + n.Y.String() + ")"
}

func (n *Call) String() string {
	var b strings.Builder
	b.WriteString(n.Name)
	b.WriteByte('(')
	for i, a := range n.Args {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(a.String())
	}
	b.WriteByte(')')
	return b.String()
}

func (n *Prop) String() string {
	// A property of a plain variable is parenthesised; otherwise it would
	// re-parse as a longer variable path, which the Env may resolve
	// differently.
	if _, ok := n.X.(*Var); ok {
		return "(" + n.X.String() + ")." + n.Name
	}
	return n.X.String() + "." + n.Name
}

func (n *Index) String() string { return n.X.String() + "[" + n.Index.String() + "]" }

// Walk calls fn for n and, if fn returns true, for each of its children in
// source order.
func Walk(n Node, fn func(Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	switch n := n.(type) {
	case *Unary:
		Walk(n.X, fn)
	case *Binary:
		Walk(n.X, fn)
		Walk(n.Y, fn)
	case *Call:
		for _, a := range n.Args {
			Walk(a, fn)
		}
	case *Prop:
		Walk(n.X, fn)
	case *Index:
		Walk(n.X, fn)
		Walk(n.Index, fn)
	}
}
