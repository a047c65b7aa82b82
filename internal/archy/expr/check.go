package expr

import (
	"cmp"
	"slices"
	"sort"
	"strings"
)

// Vars returns every variable path the expression references, as dotted text
// exactly as written (including any trailing property segments, since the
// parser cannot tell variable from property), deduplicated and sorted.
// Properties reached through calls or indexing are not included: for
// Chat.Guest.customFields[i].key the path is Chat.Guest.customFields.
func (e *Expr) Vars() []string {
	// Sorted and compacted on the stack rather than gathered in a set: an
	// expression names a few variables, often one.
	var buf [8]string
	names := buf[:0]
	Walk(e.root, func(n Node) bool {
		if v, ok := n.(*Var); ok {
			names = append(names, v.name())
		}
		return true
	})
	slices.Sort(names)
	names = slices.Compact(names)
	out := make([]string, len(names))
	copy(out, names)
	return out
}

// Funcs returns the functions the expression calls, deduplicated and sorted.
// Known functions are reported in their canonical spelling (contains ->
// Contains); unknown ones as written.
func (e *Expr) Funcs() []string {
	set := map[string]bool{}
	Walk(e.root, func(n Node) bool {
		if c, ok := n.(*Call); ok {
			if f := lookupFunc(c.Name); f != nil {
				set[f.name] = true
			} else {
				set[c.Name] = true
			}
		}
		return true
	})
	return sortedKeys(set)
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Check parses src and reports, without evaluating, what Architect would
// reject when validating the flow: calls to unknown functions, calls with a
// number of arguments no overload takes, and arguments whose type is known
// from the text (literals, operators, results of other calls) that no
// overload takes, including a NOT_SET literal where the catalogue forbids
// NOT_SET. A syntax error is returned as the only element. The result is nil
// when nothing is wrong.
func Check(src string) []error {
	e, err := Parse(src)
	if err != nil {
		return []error{err}
	}
	return e.Check()
}

// Check reports the problems described on the package-level [Check], in
// source order, as *Error with Kind CheckError.
func (e *Expr) Check() []error { return e.CheckTypes(nil) }

// CheckTypes is [Expr.Check] knowing the declared types of variables, as
// Architect knows them when it validates a flow: kind returns the Archy
// variable kind a variable is declared with (the YAML key before "Variable":
// "string", "integer", "stringCollection", ...) for a path that names a whole
// variable, or "" when it does not know. kind may be nil.
func (e *Expr) CheckTypes(kind func(path string) string) []error {
	c := &checker{src: e.src}
	c.typeOf(e.root, kind)
	if len(c.errs) == 0 {
		return nil // nearly every expression: no sort, no slice
	}
	slices.SortStableFunc(c.errs, func(a, b *Error) int { return cmp.Compare(a.Offset, b.Offset) })
	out := make([]error, len(c.errs))
	for i, err := range c.errs {
		out[i] = err
	}
	return out
}

// checker gathers the findings; the kind function is passed down the calls
// rather than kept here, so that a caller's closure need not escape with
// the findings.
type checker struct {
	src  string
	errs []*Error
}

// archyKinds maps Archy variable kinds (stringVariable, ...) to type codes;
// a "<kind>Collection" kind is a collection of the kind. Kinds without a
// catalogue type (externalContact, date, time) stay unknown.
var archyKinds = map[string]string{
	"string": "str", "integer": "int", "decimal": "dec", "boolean": "bln", "json": "json",
	"phoneNumber": "phn", "queue": "que", "user": "usr", "skill": "skl", "group": "grp",
	"languageSkill": "lac", "wrapupCode": "wrc", "dateTime": "dtm", "duration": "dur",
	"currency": "cur", "agentScorePair": "asp",
}

func kindType(kind string) staticType {
	base, coll := strings.CutSuffix(kind, "Collection")
	if code, ok := archyKinds[base]; ok {
		return staticType{typ: code, coll: coll}
	}
	return unknownType
}

func (c *checker) errf(n Node, format string, args ...any) {
	c.errs = append(c.errs, newError(CheckError, c.src, n.Pos(), nil, format, args...))
}

// typeOf checks n and its children and returns n's type as far as the text
// tells it (unknownType when it depends on variables).
func (c *checker) typeOf(n Node, kind func(path string) string) staticType {
	switch n := n.(type) {
	case *Literal:
		return valueType(n.Value)
	case *Var:
		if kind != nil {
			return kindType(kind(n.name()))
		}
	case *Unary:
		c.typeOf(n.X, kind)
		if n.Op == OpNot {
			return staticType{typ: "bln"}
		}
	case *Binary:
		c.typeOf(n.X, kind)
		c.typeOf(n.Y, kind)
		switch n.Op {
		case OpOr, OpAnd, OpEq, OpNe, OpLt, OpLe, OpGt, OpGe:
			return staticType{typ: "bln"}
		}
	case *Call:
		return c.call(n, kind)
	case *Prop:
		c.typeOf(n.X, kind)
	case *Index:
		c.typeOf(n.X, kind)
		c.typeOf(n.Index, kind)
	}
	return unknownType
}

func (c *checker) call(n *Call, kind func(path string) string) staticType {
	var buf [4]staticType // most calls take at most four arguments
	types := buf[:0]
	for _, a := range n.Args {
		types = append(types, c.typeOf(a, kind))
	}
	f := lookupFunc(n.Name)
	if f == nil {
		c.errf(n, "unknown function %s", n.Name)
		return unknownType
	}
	if msg := f.arityError(len(n.Args)); msg != "" {
		c.errf(n, "%s", msg)
		return unknownType
	}
	o, bad := f.pick(types)
	switch {
	case o == nil:
		c.errf(n, "%s", f.noOverload(types))
		return unknownType
	case bad >= 0:
		c.errf(n.Args[bad], "%s: %s", f.name, f.notSetMessage(o, bad))
	}
	if f.name == "If" && len(types) == 3 {
		// The catalogue: "The type of data passed in to trueValue and
		// falseValue parameters must be the same."
		a, b := types[1], types[2]
		known := func(t staticType) bool { return t.typ != "" && t.typ != "nts" && t.typ != "any" }
		if known(a) && known(b) && a != b {
			c.errf(n, "If: the values for true (%s) and false (%s) must have the same type", typeText(a.typ, a.coll), typeText(b.typ, b.coll))
			return unknownType
		}
		if known(a) {
			return a
		}
		return b
	}
	// The result type is known when every overload that fits agrees on it,
	// or when every argument type is known (so the overload is certain).
	ret := staticType{typ: o.ret, coll: o.retColl}
	certain := true
	for _, t := range types {
		if t.typ == "" {
			certain = false
		}
	}
	for i := range f.overloads {
		if ov := &f.overloads[i]; !certain && ov.fits(len(types)) && (ov.ret != ret.typ || ov.retColl != ret.coll) {
			return unknownType
		}
	}
	if ret.typ == "any" {
		return unknownType
	}
	return ret
}
