package expr

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"strings"
)

// Eval parses and evaluates src in env.
func Eval(src string, env Env) (Value, error) {
	e, err := Parse(src)
	if err != nil {
		return nil, err
	}
	return e.Eval(env)
}

// Eval evaluates the expression. env may be nil when the expression
// references no variables. The result is never nil; errors are *Error with
// Kind RuntimeError and point at the failing node.
func (e *Expr) Eval(env Env) (Value, error) {
	ev := &evaluator{src: e.src, env: env}
	v, err := ev.eval(e.root)
	if err != nil {
		return nil, err
	}
	return norm(v), nil
}

type evaluator struct {
	src string
	env Env
}

// failure is an error from value-level code (operators, functions,
// properties) that does not know node positions yet; the evaluator attaches
// the position. arg >= 0 points the error at that call argument.
type failure struct {
	arg   int
	msg   string
	cause error
}

func (f *failure) Error() string { return f.msg }

func fail(format string, args ...any) *failure {
	return &failure{arg: -1, msg: fmt.Sprintf(format, args...)}
}

func argFail(i int, format string, args ...any) *failure {
	return &failure{arg: i, msg: fmt.Sprintf(format, args...)}
}

// at converts err into a positioned *Error for node n. Errors that are already
// positioned (from nested nodes) pass through unchanged.
func (ev *evaluator) at(n Node, err error) error {
	var pe *Error
	if errors.As(err, &pe) {
		return err
	}
	var f *failure
	if errors.As(err, &f) {
		return newError(RuntimeError, ev.src, n.Pos(), f.cause, "%s", f.msg)
	}
	return newError(RuntimeError, ev.src, n.Pos(), err, "%s", err.Error())
}

func (ev *evaluator) errf(n Node, format string, args ...any) error {
	return newError(RuntimeError, ev.src, n.Pos(), nil, format, args...)
}

func (ev *evaluator) eval(n Node) (Value, error) {
	switch n := n.(type) {
	case *Literal:
		return n.Value, nil
	case *Var:
		return ev.evalVar(n)
	case *Unary:
		return ev.apply(n, func(v []Value) (Value, error) { return unary(n.Op, v[0]) }, n.X)
	case *Binary:
		return ev.evalBinary(n)
	case *Call:
		return ev.evalCall(n)
	case *Prop:
		return ev.apply(n, func(v []Value) (Value, error) { return property(v[0], n.Name) }, n.X)
	case *Index:
		return ev.apply(n, func(v []Value) (Value, error) { return index(v[0], v[1]) }, n.X, n.Index)
	}
	return nil, ev.errf(n, "unknown node %T", n)
}

// apply evaluates the operands left to right, then op on their values; an
// operand's error passes through, op's is reported at n.
func (ev *evaluator) apply(n Node, op func(v []Value) (Value, error), operands ...Node) (Value, error) {
	vs := make([]Value, len(operands))
	for i, o := range operands {
		v, err := ev.eval(o)
		if err != nil {
			return nil, err
		}
		vs[i] = v
	}
	v, err := op(vs)
	if err != nil {
		return nil, ev.at(n, err)
	}
	return v, nil
}

func (ev *evaluator) evalVar(n *Var) (Value, error) {
	name := n.name()
	if ev.env == nil {
		return nil, ev.errf(n, "unknown variable %s (no environment)", name)
	}
	v, k, ok := ev.env.Lookup(n.Path)
	if !ok {
		return nil, ev.errf(n, "unknown variable %s", name)
	}
	if k < 1 || k > len(n.Path) {
		return nil, ev.errf(n, "environment resolved %s with invalid segment count %d", name, k)
	}
	v = norm(v)
	for _, seg := range n.Path[k:] {
		var err error
		if v, err = property(v, seg); err != nil {
			return nil, ev.at(n, err)
		}
	}
	return v, nil
}

func (ev *evaluator) evalBinary(n *Binary) (Value, error) {
	switch n.Op {
	case OpAnd, OpOr:
		// Short-circuit: "IsSet(x) and x > 0" must not evaluate x > 0 when
		// x is NOT_SET.
		xb, err := ev.boolOperand(n, "left", n.X)
		if err != nil {
			return nil, err
		}
		if (n.Op == OpAnd && !bool(xb)) || (n.Op == OpOr && bool(xb)) {
			return xb, nil
		}
		yb, err := ev.boolOperand(n, "right", n.Y)
		if err != nil {
			return nil, err
		}
		return yb, nil
	case OpBitOr, OpBitAnd, OpPow:
		return nil, ev.errf(n, "unsupported operator '%s' (its Architect semantics are not documented)", n.Op)
	}
	return ev.apply(n, func(v []Value) (Value, error) { return binary(n.Op, v[0], v[1]) }, n.X, n.Y)
}

// boolOperand evaluates the operand x (the left or right side) of the
// logical operator n, which must be Boolean.
func (ev *evaluator) boolOperand(n *Binary, side string, x Node) (Boolean, error) {
	v, err := ev.eval(x)
	if err != nil {
		return false, err
	}
	b, ok := v.(Boolean)
	if !ok {
		return false, ev.errf(n, "%s operand of '%s' must be Boolean, got %s", side, n.Op, typeName(v))
	}
	return b, nil
}

func unary(op Op, x Value) (Value, error) {
	switch op {
	case OpNeg:
		switch x := x.(type) {
		case Integer:
			if x == math.MinInt64 {
				return nil, fail("integer overflow")
			}
			return -x, nil
		case Decimal:
			return -x, nil
		}
		return nil, fail("operator '-' needs Integer or Decimal, got %s", typeName(x))
	case OpNot:
		if b, ok := x.(Boolean); ok {
			return !b, nil
		}
		return nil, fail("operator '!' needs Boolean, got %s", typeName(x))
	}
	return nil, fail("unsupported operator '%s' (its Architect semantics are not documented)", op)
}

func binary(op Op, x, y Value) (Value, error) {
	switch op {
	case OpEq, OpNe:
		eq, err := equal(x, y)
		if err != nil {
			return nil, err
		}
		return Boolean(eq == (op == OpEq)), nil
	case OpLt, OpLe, OpGt, OpGe:
		c, err := compare(op, x, y)
		if err != nil {
			return nil, err
		}
		switch op {
		case OpLt:
			return Boolean(c < 0), nil
		case OpLe:
			return Boolean(c <= 0), nil
		case OpGt:
			return Boolean(c > 0), nil
		}
		return Boolean(c >= 0), nil
	case OpAdd:
		if xs, ok := x.(String); ok {
			if ys, ok := y.(String); ok {
				if len(xs)+len(ys) > maxStringLen {
					return nil, fail("string result longer than %d bytes", maxStringLen)
				}
				return xs + ys, nil
			}
		}
	}
	return arith(op, x, y)
}

// arith implements + - * / % on numbers. Integer op Integer stays Integer
// (with overflow checks); any Decimal operand makes the result Decimal.
func arith(op Op, x, y Value) (Value, error) {
	if IsNotSet(x) || IsNotSet(y) {
		// Documented: 5 + Flow.MyInteger fails at runtime when it is NOT_SET.
		return nil, fail("operator '%s' applied to NOT_SET (%s %s %s); guard with IsSet or If", op, typeName(x), op, typeName(y))
	}
	xi, xInt := x.(Integer)
	yi, yInt := y.(Integer)
	if xInt && yInt {
		return intArith(op, int64(xi), int64(yi))
	}
	xf, ok1 := toFloat(x)
	yf, ok2 := toFloat(y)
	if !ok1 || !ok2 {
		hint := ""
		if op == OpAdd {
			hint = " (use Append or ToString to build strings)"
		}
		return nil, fail("operator '%s' not defined for %s and %s%s", op, typeName(x), typeName(y), hint)
	}
	var r float64
	switch op {
	case OpAdd:
		r = xf + yf
	case OpSub:
		r = xf - yf
	case OpMul:
		r = xf * yf
	case OpDiv:
		if yf == 0 {
			return nil, fail("division by zero")
		}
		r = xf / yf
	case OpMod:
		if yf == 0 {
			return nil, fail("division by zero")
		}
		r = math.Mod(xf, yf)
	}
	if math.IsInf(r, 0) || math.IsNaN(r) {
		return nil, fail("decimal overflow")
	}
	return Decimal(r), nil
}

func intArith(op Op, a, b int64) (Value, error) {
	var r int64
	overflow := false
	switch op {
	case OpAdd:
		r = a + b
		overflow = (b > 0 && r < a) || (b < 0 && r > a)
	case OpSub:
		r = a - b
		overflow = (b < 0 && r < a) || (b > 0 && r > a)
	case OpMul:
		r = a * b
		overflow = a != 0 && (r/a != b || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64))
	case OpDiv, OpMod:
		if b == 0 {
			return nil, fail("division by zero")
		}
		if a == math.MinInt64 && b == -1 {
			if op == OpMod {
				return Integer(0), nil
			}
			return nil, fail("integer overflow")
		}
		// inferred: Integer / Integer truncates toward zero and stays Integer,
		// as in the typed languages Architect resembles.
		if op == OpDiv {
			r = a / b
		} else {
			r = a % b
		}
	}
	if overflow {
		return nil, fail("integer overflow")
	}
	return Integer(r), nil
}

func toFloat(v Value) (float64, bool) {
	switch v := v.(type) {
	case Integer:
		return float64(v), true
	case Decimal:
		return float64(v), true
	}
	return 0, false
}

// equal implements == and AreEqual. NOT_SET equals only NOT_SET (documented:
// ToString(NOT_SET) == "" is false). Values of unrelated types cannot be
// compared; that is a runtime error rather than false so that a generated
// flow comparing, say, JSON with a String fails loudly in the emulator.
func equal(x, y Value) (bool, error) {
	x, y = norm(x), norm(y)
	_, xNS := x.(NotSet)
	_, yNS := y.(NotSet)
	if xNS || yNS {
		return xNS && yNS, nil
	}
	if xf, ok := toFloat(x); ok {
		if yf, ok := toFloat(y); ok {
			if xi, ok := x.(Integer); ok {
				if yi, ok := y.(Integer); ok {
					return xi == yi, nil
				}
			}
			return xf == yf, nil
		}
	}
	switch x := x.(type) {
	case String:
		switch y := y.(type) {
		case String:
			return x == y, nil
		case Communication:
			// inferred: a Communication compares by its text.
			return string(x) == string(y), nil
		}
	case Communication:
		switch y := y.(type) {
		case String:
			return string(x) == string(y), nil
		case Communication:
			return x == y, nil
		}
	case Boolean:
		if y, ok := y.(Boolean); ok {
			return x == y, nil
		}
	case PhoneNumber:
		if y, ok := y.(PhoneNumber); ok {
			// inferred: phone numbers are equal when their E.164 forms are.
			return x.E164 == y.E164, nil
		}
	case JSON:
		if y, ok := y.(JSON); ok {
			return jsonText(x.V) == jsonText(y.V), nil
		}
	case Collection:
		if y, ok := y.(Collection); ok {
			if len(x) != len(y) {
				return false, nil
			}
			for i := range x {
				eq, err := equal(x[i], y[i])
				if err != nil || !eq {
					return false, err
				}
			}
			return true, nil
		}
	case Object:
		if y, ok := y.(Object); ok {
			if x.Type() != y.Type() || len(x.Fields) != len(y.Fields) {
				return false, nil
			}
			for k, xv := range x.Fields {
				yv, ok := y.Fields[k]
				if !ok {
					return false, nil
				}
				eq, err := equal(xv, yv)
				if err != nil || !eq {
					return false, err
				}
			}
			return true, nil
		}
	}
	hint := ""
	if _, ok := x.(JSON); ok {
		hint = " (convert JSON with ToString, ToInt, ...)"
	} else if _, ok := y.(JSON); ok {
		hint = " (convert JSON with ToString, ToInt, ...)"
	}
	return false, fail("cannot compare %s with %s%s", x.Type(), y.Type(), hint)
}

// compare orders numbers numerically and strings by bytes (case-sensitive).
func compare(op Op, x, y Value) (int, error) {
	if IsNotSet(x) || IsNotSet(y) {
		return 0, fail("operator '%s' applied to NOT_SET (%s %s %s); guard with IsSet or If", op, typeName(x), op, typeName(y))
	}
	if xi, ok := x.(Integer); ok {
		if yi, ok := y.(Integer); ok {
			return cmp.Compare(xi, yi), nil
		}
	}
	if xf, ok := toFloat(x); ok {
		if yf, ok := toFloat(y); ok {
			// Not cmp.Compare, which orders a NaN first: here it is neither less nor greater.
			switch {
			case xf < yf:
				return -1, nil
			case xf > yf:
				return 1, nil
			}
			return 0, nil
		}
	}
	if xs, ok := x.(String); ok {
		if ys, ok := y.(String); ok {
			// inferred: ordinal (byte-wise) comparison.
			return strings.Compare(string(xs), string(ys)), nil
		}
	}
	return 0, fail("operator '%s' not defined for %s and %s", op, typeName(x), typeName(y))
}

// property implements '.name'.
func property(v Value, name string) (Value, error) {
	switch v := norm(v).(type) {
	case NotSet:
		// inferred: a property of NOT_SET is NOT_SET, which is what makes
		// IsNotSetOrEmpty(Flow.contact.personalEmail) usable after a failed
		// contact lookup.
		return NotSet{}, nil
	case JSON:
		m, ok := v.V.(map[string]any)
		if !ok {
			return nil, fail("cannot read property %q of a JSON value that is not an object", name)
		}
		// inferred: a missing JSON property (or null) is NOT_SET.
		return jsonValue(m[name]), nil
	case PhoneNumber:
		// inferred: property names of built-in types are case-insensitive.
		switch strings.ToLower(name) {
		case "e164":
			return String(v.E164), nil
		case "raw":
			return String(v.Raw), nil
		}
	case Object:
		if f, ok := v.Fields[name]; ok {
			return norm(f), nil
		}
		for k, f := range v.Fields {
			if strings.EqualFold(k, name) {
				return norm(f), nil
			}
		}
		return nil, fail("%s has no property %q", v.Type(), name)
	}
	return nil, fail("%s has no property %q", typeName(v), name)
}

// index implements x[i] and GetAt.
func index(x, i Value) (Value, error) {
	n, ok := i.(Integer)
	if !ok {
		return nil, fail("index must be Integer, got %s", typeName(i))
	}
	switch x := norm(x).(type) {
	case Collection:
		if n < 0 || int64(n) >= int64(len(x)) {
			return nil, fail("index %d out of range for collection of %d items", n, len(x))
		}
		return norm(x[n]), nil
	case JSON:
		a, ok := x.V.([]any)
		if !ok {
			return nil, fail("cannot index a JSON value that is not an array")
		}
		if n < 0 || int64(n) >= int64(len(a)) {
			return nil, fail("index %d out of range for JSON array of %d items", n, len(a))
		}
		return jsonValue(a[n]), nil
	case NotSet:
		// inferred: unlike property access, indexing NOT_SET is an error;
		// there is no item to return and Architect reports index errors.
		return nil, fail("cannot index NOT_SET")
	}
	return nil, fail("cannot index %s", typeName(x))
}
