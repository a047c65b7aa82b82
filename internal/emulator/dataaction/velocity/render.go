package velocity

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf16"
)

type renderer struct {
	t      *Template
	ctx    map[string]any
	vars   map[string]any // #set scope, created on first #set
	budget int            // bytes produced so far, intermediate strings included
}

func (s *renderer) errAt(off int, format string, args ...any) error {
	line, col := position(s.t.src, off)
	return &Error{Template: s.t.name, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)}
}

func (s *renderer) write(b *strings.Builder, off int, str string) error {
	s.budget += len(str)
	if s.budget > maxOutput {
		return s.errAt(off, "output exceeds %d bytes", maxOutput)
	}
	b.WriteString(str)
	return nil
}

func (s *renderer) lookup(name string) (any, bool) {
	if v, ok := s.vars[name]; ok {
		return v, true
	}
	v, ok := s.ctx[name]
	return v, ok
}

func (s *renderer) renderNodes(b *strings.Builder, nodes []node) error {
	for _, n := range nodes {
		switch n := n.(type) {
		case textNode:
			if err := s.write(b, 0, string(n)); err != nil {
				return err
			}
		case *refNode:
			v, err := s.evalRef(n)
			if err != nil {
				return err
			}
			if v == nil {
				if !n.silent {
					if err := s.write(b, n.pos, n.raw); err != nil {
						return err
					}
				}
				continue
			}
			str, err := toText(v)
			if err != nil {
				return s.errAt(n.pos, "%s: %v", n.raw, err)
			}
			if err := s.write(b, n.pos, str); err != nil {
				return err
			}
		case *ifNode:
			if err := s.renderIf(b, n); err != nil {
				return err
			}
		case *setNode:
			v, err := s.eval(n.val)
			if err != nil {
				return err
			}
			if s.vars == nil {
				s.vars = make(map[string]any)
			}
			s.vars[n.name] = v
		}
	}
	return nil
}

func (s *renderer) renderIf(b *strings.Builder, n *ifNode) error {
	for i, c := range n.conds {
		v, err := s.eval(c)
		if err != nil {
			return err
		}
		if truthy(v) {
			return s.renderNodes(b, n.bodies[i])
		}
	}
	if n.els != nil {
		return s.renderNodes(b, n.els)
	}
	return nil
}

// evalRef returns the value of a reference, nil for null.
func (s *renderer) evalRef(r *refNode) (any, error) {
	v, ok := s.lookup(r.root)
	if !ok {
		// An undefined plain variable is null (and renders as written), but a
		// method call on it means a tool the platform has and we do not.
		for _, a := range r.chain {
			if a.call {
				return nil, s.errAt(r.pos, "unknown tool $%s (calling %s)", r.root, a.name)
			}
		}
		return nil, nil
	}
	for _, a := range r.chain {
		if v == nil {
			// Velocity does not invoke anything on null: the whole reference is null.
			return nil, nil
		}
		var args []any
		if a.call {
			args = make([]any, len(a.args))
			for i, e := range a.args {
				x, err := s.eval(e)
				if err != nil {
					return nil, err
				}
				args[i] = x
			}
		}
		nv, err := access1(v, a, args)
		if err != nil {
			return nil, s.errAt(a.pos, "%s: %v", r.raw, err)
		}
		v = nv
	}
	return v, nil
}

// access1 applies one property or method step to a non-nil value.
func access1(v any, a access, args []any) (any, error) {
	switch x := v.(type) {
	case Tool:
		if a.call {
			return x.Invoke(a.name, args)
		}
		return x.Property(a.name)
	case map[string]any:
		if !a.call {
			return x[a.name], nil
		}
		return mapMethod(x, a.name, args)
	case []any:
		if !a.call {
			return nil, nil
		}
		return listMethod(x, a.name, args)
	case string:
		if !a.call {
			return nil, nil
		}
		return stringMethod(x, a.name, args)
	}
	if !a.call {
		// Velocity finds no getter on a number or boolean: null.
		return nil, nil
	}
	if a.name == "toString" && len(args) == 0 {
		return toText(v)
	}
	return nil, fmt.Errorf("%w %s on %s", ErrUnknownMethod, a.name, typeName(v))
}

func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "String"
	case bool:
		return "Boolean"
	case map[string]any:
		return "Map"
	case []any:
		return "List"
	case Tool:
		return "tool"
	}
	if _, ok := toNumber(v); ok {
		return "Number"
	}
	return fmt.Sprintf("%T", v)
}

func argCount(name string, args []any, n ...int) error {
	for _, k := range n {
		if len(args) == k {
			return nil
		}
	}
	return fmt.Errorf("%s takes %v argument(s), got %d", name, n, len(args))
}

// oneArg checks that a method got exactly one argument and converts it with
// conv (argString, argInt).
func oneArg[T any](name string, args []any, conv func(string, any) (T, error)) (T, error) {
	if err := argCount(name, args, 1); err != nil {
		var zero T
		return zero, err
	}
	return conv(name, args[0])
}

func argString(name string, v any) (string, error) {
	if v == nil {
		// Java would throw a NullPointerException here.
		return "", fmt.Errorf("%s: null argument", name)
	}
	return toText(v)
}

func argInt(name string, v any) (int, error) {
	f, ok := toNumber(v)
	if !ok || f != math.Trunc(f) || math.Abs(f) > 1<<31 {
		return 0, fmt.Errorf("%s: argument %v is not an integer", name, v)
	}
	return int(f), nil
}

// stringNoArgMethods are the java.lang.String methods without arguments.
var stringNoArgMethods = map[string]func(s string) any{
	"toString": func(s string) any { return s },
	// String.trim strips every character up to U+0020.
	"trim": func(s string) any {
		return strings.Trim(s, "\x00\x01\x02\x03\x04\x05\x06\x07\x08\t\n\x0b\x0c\r\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f ")
	},
	"toLowerCase": func(s string) any { return strings.ToLower(s) },
	"toUpperCase": func(s string) any { return strings.ToUpper(s) },
	"length":      func(s string) any { return utf16Len(s) },
	"isEmpty":     func(s string) any { return s == "" },
	"isBlank":     func(s string) any { return strings.TrimSpace(s) == "" },
}

// stringOneArgMethods are the java.lang.String methods taking one String.
var stringOneArgMethods = map[string]func(s, o string) any{
	"contains":         func(s, o string) any { return strings.Contains(s, o) },
	"startsWith":       func(s, o string) any { return strings.HasPrefix(s, o) },
	"endsWith":         func(s, o string) any { return strings.HasSuffix(s, o) },
	"equalsIgnoreCase": func(s, o string) any { return strings.EqualFold(s, o) },
	"indexOf": func(s, o string) any {
		i := strings.Index(s, o)
		if i < 0 {
			return -1
		}
		return utf16Len(s[:i])
	},
}

// utf16Len is the length of s in UTF-16 code units, Java's String.length.
func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// stringMethod implements the java.lang.String methods templates commonly
// use. Indexes count UTF-16 code units, as Java does.
func stringMethod(s, name string, args []any) (any, error) {
	if f, ok := stringNoArgMethods[name]; ok {
		if err := argCount(name, args, 0); err != nil {
			return nil, err
		}
		return f(s), nil
	}
	if f, ok := stringOneArgMethods[name]; ok {
		o, err := oneArg(name, args, argString)
		if err != nil {
			return nil, err
		}
		return f(s, o), nil
	}
	switch name {
	case "equals":
		// Unlike the methods above, equals takes any object (false for a
		// non-String) rather than failing on null.
		if err := argCount(name, args, 1); err != nil {
			return nil, err
		}
		o, ok := args[0].(string)
		return ok && o == s, nil
	case "replace":
		if err := argCount(name, args, 2); err != nil {
			return nil, err
		}
		from, err := argString(name, args[0])
		if err != nil {
			return nil, err
		}
		to, err := argString(name, args[1])
		if err != nil {
			return nil, err
		}
		if from == "" {
			// Java inserts the replacement between every character; no template needs it.
			return nil, fmt.Errorf("replace: empty target is not supported")
		}
		return strings.ReplaceAll(s, from, to), nil
	case "substring":
		if err := argCount(name, args, 1, 2); err != nil {
			return nil, err
		}
		u := utf16.Encode([]rune(s))
		b, err := argInt(name, args[0])
		if err != nil {
			return nil, err
		}
		e := len(u)
		if len(args) == 2 {
			if e, err = argInt(name, args[1]); err != nil {
				return nil, err
			}
		}
		if b < 0 || e > len(u) || b > e {
			return nil, fmt.Errorf("substring: index out of range (%d, %d) for length %d", b, e, len(u))
		}
		return string(utf16.Decode(u[b:e])), nil
	}
	return nil, fmt.Errorf("%w %s on String", ErrUnknownMethod, name)
}

func mapMethod(m map[string]any, name string, args []any) (any, error) {
	switch name {
	case "get", "containsKey":
		k, err := oneArg(name, args, argString)
		if err != nil {
			return nil, err
		}
		v, ok := m[k]
		if name == "get" {
			return v, nil
		}
		return ok, nil
	case "size", "isEmpty", "toString":
		return sizedMethod(m, len(m), name, args)
	}
	return nil, fmt.Errorf("%w %s on Map", ErrUnknownMethod, name)
}

func listMethod(l []any, name string, args []any) (any, error) {
	switch name {
	case "get":
		i, err := oneArg(name, args, argInt)
		if err != nil {
			return nil, err
		}
		if i < 0 || i >= len(l) {
			return nil, fmt.Errorf("get: index %d out of range for size %d", i, len(l))
		}
		return l[i], nil
	case "contains":
		if err := argCount(name, args, 1); err != nil {
			return nil, err
		}
		for _, x := range l {
			if equal(x, args[0]) {
				return true, nil
			}
		}
		return false, nil
	case "size", "isEmpty", "toString":
		return sizedMethod(l, len(l), name, args)
	}
	return nil, fmt.Errorf("%w %s on List", ErrUnknownMethod, name)
}

// sizedMethod answers size, isEmpty and toString, which java.util.Map and
// java.util.List both have, for v holding n entries.
func sizedMethod(v any, n int, name string, args []any) (any, error) {
	if err := argCount(name, args, 0); err != nil {
		return nil, err
	}
	switch name {
	case "size":
		return n, nil
	case "isEmpty":
		return n == 0, nil
	default:
		return toText(v)
	}
}

func (s *renderer) eval(e expr) (any, error) {
	switch e := e.(type) {
	case litExpr:
		return e.v, nil
	case *strExpr:
		var b strings.Builder
		if err := s.renderNodes(&b, e.nodes); err != nil {
			return nil, err
		}
		return b.String(), nil
	case *refNode:
		return s.evalRef(e)
	case *notExpr:
		v, err := s.eval(e.x)
		if err != nil {
			return nil, err
		}
		return !truthy(v), nil
	case *binExpr:
		l, err := s.eval(e.l)
		if err != nil {
			return nil, err
		}
		switch e.op {
		case "&&":
			if !truthy(l) {
				return false, nil
			}
			r, err := s.eval(e.r)
			return err == nil && truthy(r), err
		case "||":
			if truthy(l) {
				return true, nil
			}
			r, err := s.eval(e.r)
			return err == nil && truthy(r), err
		}
		r, err := s.eval(e.r)
		if err != nil {
			return nil, err
		}
		switch e.op {
		case "==":
			return equal(l, r), nil
		case "!=":
			return !equal(l, r), nil
		}
		lf, lok := toNumber(l)
		rf, rok := toNumber(r)
		if !lok || !rok {
			return nil, s.errAt(e.pos, "%s needs two numbers, got %s and %s", e.op, typeName(l), typeName(r))
		}
		switch e.op {
		case "<":
			return lf < rf, nil
		case "<=":
			return lf <= rf, nil
		case ">":
			return lf > rf, nil
		default:
			return lf >= rf, nil
		}
	}
	return nil, fmt.Errorf("velocity: internal error: unknown expression %T", e)
}

// truthy follows Velocity 2's #if with empty checks: null, false, "", empty
// collections and zero are false.
// inferred: the platform's Velocity version is not documented; Velocity 1.7
// would treat "" and 0 as true.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	case map[string]any:
		return len(x) > 0
	case []any:
		return len(x) > 0
	case Tool:
		return true
	}
	if f, ok := toNumber(v); ok {
		return f != 0
	}
	return true
}

// equal compares like Velocity: numbers by value, otherwise by text.
func equal(l, r any) bool {
	if l == nil || r == nil {
		return l == nil && r == nil
	}
	if lf, ok := toNumber(l); ok {
		if rf, ok := toNumber(r); ok {
			return lf == rf
		}
	}
	if lb, ok := l.(bool); ok {
		rb, ok := r.(bool)
		return ok && lb == rb
	}
	ls, err1 := toText(l)
	rs, err2 := toText(r)
	return err1 == nil && err2 == nil && ls == rs
}

func toNumber(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	case float64:
		return x, true
	case float32:
		return float64(x), true
	case int:
		return float64(x), true
	case int64:
		return float64(x), true
	case int32:
		return float64(x), true
	case uint64:
		return float64(x), true
	}
	return 0, false
}

// errToolText: a tool object has no meaningful text.
var errToolText = errors.New("a tool cannot be rendered as text")

// toText is the text a non-null value renders as. Maps and lists render as
// JSON text.
// inferred: Java would print a Map as {a=1}; data-action inputs are JSON, and
// JSON text is what a template author can use.
func toText(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return string(x), nil
	case bool:
		return strconv.FormatBool(x), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1e21 {
			return strconv.FormatFloat(x, 'f', -1, 64), nil
		}
		return strconv.FormatFloat(x, 'g', -1, 64), nil
	case Tool:
		return "", errToolText
	case nil:
		return "", nil
	}
	return JSONText(v)
}

// JSONText marshals v compactly without HTML escaping (<, >, & stay as is),
// as the platform's Jackson output has it; the data-action runtime shares it.
func JSONText(v any) (string, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(buf.String(), "\n"), nil
}
