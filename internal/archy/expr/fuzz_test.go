package expr

import (
	"errors"
	"strings"
	"testing"
)

func fuzzSeeds(f *testing.F) {
	for _, s := range blueprintExprs {
		f.Add(s)
	}
	for _, s := range referenceExprs {
		f.Add(s)
	}
	for _, c := range funcCases {
		f.Add(c.src)
	}
	// Issue 8: 500 nested unary operators parsed, but their canonical form
	// exceeded the nesting limit.
	f.Add(strings.Repeat("-", 500) + "1")
	f.Add("1" + strings.Repeat(" + 1", 999))
	for _, s := range []string{"", "(", ")", `"`, `"\`, "a.", "a[", "-", "!!!!x", "1.2.3", "a..b", "f(,)", "\x00", "\xff", "é", "not not not", "NOT_SET.x[0]"} {
		f.Add(s)
	}
}

// checkError verifies that err is a well-formed *Error for src.
func checkError(t *testing.T, src string, err error, kind ErrorKind) {
	t.Helper()
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("%q: error %T %v is not *Error", src, err, err)
	}
	if pe.Kind != kind || pe.Expr != src {
		t.Fatalf("%q: error %+v has wrong kind or expression", src, pe)
	}
	if pe.Offset < 0 || pe.Offset > len(src) || pe.Line < 1 || pe.Col < 1 {
		t.Fatalf("%q: error position out of range: %+v", src, pe)
	}
	if l, c := lineCol(src, pe.Offset); l != pe.Line || c != pe.Col {
		t.Fatalf("%q: error at offset %d says %d:%d, want %d:%d", src, pe.Offset, pe.Line, pe.Col, l, c)
	}
}

func FuzzParse(f *testing.F) {
	fuzzSeeds(f)
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			checkError(t, src, err, SyntaxError)
			return
		}
		canon := e.String()
		again, err := Parse(canon)
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", canon, src, err)
		}
		if again.String() != canon {
			t.Fatalf("canonical form not stable: %q -> %q", canon, again.String())
		}
		_ = e.Vars()
		_ = e.Funcs()
		for _, err := range e.Check() {
			checkError(t, src, err, CheckError)
		}
	})
}

// fuzzEnv is a small fixed environment covering every value type.
var fuzzEnv = MapEnv{
	"a":            String("abc"),
	"b":            Integer(2),
	"c":            Decimal(1.5),
	"d":            Boolean(true),
	"e":            NotSet{},
	"l":            Collection{String("x"), String("y")},
	"n":            Collection{Integer(1), NotSet{}, Integer(3)},
	"x":            Collection{Integer(1), String("two"), NotSet{}, Collection{Decimal(2)}},
	"j":            JSON{V: map[string]any{"k": "v", "n": 1.0, "arr": []any{1.0, "two", nil}}},
	"m":            Communication("hi"),
	"p":            PhoneNumber{Raw: "+1 555", E164: "+1555"},
	"o":            Object{TypeName: "Thing", Fields: map[string]Value{"x": Integer(1)}},
	"State.X":      String("state"),
	"Flow.contact": Object{Fields: map[string]Value{"email": String("e@x")}},
}

func FuzzEval(f *testing.F) {
	fuzzSeeds(f)
	for _, s := range []string{`a + "x"`, `b * c`, `l[b - 1]`, `j.arr[1]`, `ToString(l, a)`, `p.e164 == a`, `o.x + b`, `If(d, e, m)`, `Sum(n)`, `Sum(x)`, `FindFirst(x, b)`, `ToString(x, a)`, `AreEqual(d, l, l)`, `Left(a, b)`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			return
		}
		v, err := e.Eval(fuzzEnv)
		if err != nil {
			checkError(t, src, err, RuntimeError)
		} else if v == nil {
			t.Fatalf("%q evaluated to nil without error", src)
		}
		// The canonical form is the same tree, so it must evaluate the same.
		v2, err2 := MustParse(e.String()).Eval(fuzzEnv)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("%q and its canonical form %q disagree: %v / %v", src, e.String(), err, err2)
		}
		if err == nil && v.String() != v2.String() {
			t.Fatalf("%q = %s but canonical %q = %s", src, v, e.String(), v2)
		}
	})
}
