package architect

import (
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/archy/expr"
	"github.com/bpgen/bpgen/internal/archy/flowyaml"
)

// Helpers over yaml.v3 nodes. Every compile error carries the file and the
// line of the node it is about.

// kv is one key/value pair of a mapping, in document order.
type kv struct {
	key string
	k   *yaml.Node
	v   *yaml.Node
}

func resolveAlias(n *yaml.Node) *yaml.Node { return flowyaml.Resolve(n) }

// pairs returns a mapping's entries; nil for anything else.
func pairs(n *yaml.Node) []kv {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := make([]kv, 0, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], resolveAlias(n.Content[i+1])
		out = append(out, kv{key: k.Value, k: k, v: v})
	}
	return out
}

// get returns the value of key in a mapping, or nil.
func get(n *yaml.Node, key string) *yaml.Node { return flowyaml.Get(n, key) }

func isNull(n *yaml.Node) bool {
	n = resolveAlias(n)
	return n == nil || (n.Kind == yaml.ScalarNode && n.Tag == "!!null")
}

// items returns a sequence's elements; nil for a null or absent node.
func (c *compiler) items(n *yaml.Node, what string) ([]*yaml.Node, error) {
	n = resolveAlias(n)
	if isNull(n) {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, c.errf(n, "%s must be a list", what)
	}
	out := make([]*yaml.Node, len(n.Content))
	for i, x := range n.Content {
		out[i] = resolveAlias(x)
	}
	return out, nil
}

// single returns the only key of a one-key mapping such as `- decision: {...}`.
func (c *compiler) single(n *yaml.Node, what string) (kv, error) {
	ps := pairs(n)
	if len(ps) != 1 {
		return kv{}, c.errf(n, "%s must be a mapping with exactly one key", what)
	}
	return ps[0], nil
}

// each yields the items of the list n (named list in messages), each read
// by read, in order. It stops at the first error, which it yields with a
// zero T.
func each[T any](c *compiler, n *yaml.Node, list string, read func(item *yaml.Node) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		items, err := c.items(n, list)
		if err != nil {
			yield(zero, err)
			return
		}
		for _, item := range items {
			v, err := read(item)
			if err != nil {
				yield(zero, err)
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// entries yields the items of the list n, each a one-key mapping such as
// `- case: {...}` (what names one in messages: "a case"); key, unless "", is
// the only key an item may have.
func (c *compiler) entries(n *yaml.Node, list, what, key string) iter.Seq2[kv, error] {
	return each(c, n, list, func(item *yaml.Node) (kv, error) {
		p, err := c.single(item, what)
		if err == nil && key != "" && p.key != key {
			err = c.errf(p.k, "%s may only hold %s entries", list, key)
		}
		return p, err
	})
}

// field is an item of a list and the string value of one of its keys.
type field struct {
	node  *yaml.Node
	value string
}

// fields yields the items of the list n with the string value of each one's
// key (what names it in messages).
func (c *compiler) fields(n *yaml.Node, list, key, what string) iter.Seq2[field, error] {
	return each(c, n, list, func(item *yaml.Node) (field, error) {
		v, err := c.str(get(item, key), what)
		return field{item, v}, err
	})
}

// checkKeys reports the first key of n that is not in allowed as unsupported.
// Unknown keys are never ignored: a property the runtime does not know could
// change what the flow does.
func (c *compiler) checkKeys(n *yaml.Node, what string, allowed ...string) error {
	for _, p := range pairs(n) {
		ok := false
		for _, a := range allowed {
			if p.key == a {
				ok = true
				break
			}
		}
		if !ok {
			return c.unsupported(p.k, "%s property %q", what, p.key)
		}
	}
	return nil
}

func (c *compiler) str(n *yaml.Node, what string) (string, error) {
	n = resolveAlias(n)
	if n == nil || n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", c.errf(n, "%s must be a string", what)
	}
	return n.Value, nil
}

func (c *compiler) boolean(n *yaml.Node, what string) (bool, error) {
	n = resolveAlias(n)
	if n == nil {
		return false, nil
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return false, c.errf(n, "%s must be true or false", what)
	}
	return n.Value == "true", nil
}

// line returns n's line, or the flow root's when n is nil (a missing key).
func (c *compiler) line(n *yaml.Node) int {
	if n = resolveAlias(n); n != nil {
		return n.Line
	}
	return c.rootLine
}

func (c *compiler) errf(n *yaml.Node, format string, args ...any) error {
	return &LoadError{File: c.file, Line: c.line(n), Msg: fmt.Sprintf(format, args...)}
}

func (c *compiler) unsupported(n *yaml.Node, format string, args ...any) error {
	return &UnsupportedError{Construct: fmt.Sprintf(format, args...), File: c.file, Line: c.line(n)}
}

// ---------------------------------------------------------------- value forms

// valueKind is which of Archy's value forms a property uses.
type valueKind int

const (
	vNoValue valueKind = iota // noValue: true, or the property is absent
	vLit                      // lit: <literal>
	vExp                      // exp: <expression>
	vVar                      // var: <variable> (an output binding)
)

// value is one property value: a literal, an expression, a variable binding
// or nothing.
type value struct {
	kind     valueKind
	lit      *yaml.Node // the literal, converted once the target type is known
	exp      *expr.Expr
	variable string
	file     string
	line     int
}

func (v value) set() bool { return v.kind != vNoValue }

// value parses a property written as {lit|exp|var|noValue}. allowVar says
// whether a variable binding is valid here (outputs only).
func (c *compiler) value(n *yaml.Node, what string, allowVar bool) (value, error) {
	n = resolveAlias(n)
	v := value{file: c.file, line: c.line(n)}
	if isNull(n) {
		return v, nil
	}
	p, err := c.single(n, what)
	if err != nil {
		return v, err
	}
	switch p.key {
	case "noValue", "none":
		return v, nil
	case "lit":
		v.kind, v.lit = vLit, p.v
		return v, nil
	case "exp":
		src, err := c.str(p.v, what+" expression")
		if err != nil {
			return v, err
		}
		e, err := c.expression(p.v, src)
		if err != nil {
			return v, err
		}
		v.kind, v.exp, v.line = vExp, e, p.v.Line
		return v, nil
	case "var":
		if !allowVar {
			return v, c.unsupported(p.k, "a variable binding (var:) for %s", what)
		}
		name, err := c.str(p.v, what+" variable")
		if err != nil {
			return v, err
		}
		if err := c.checkDeclared(p.v, name); err != nil {
			return v, err
		}
		v.kind, v.variable = vVar, name
		return v, nil
	}
	return v, c.unsupported(p.k, "value form %q for %s", p.key, what)
}

// expression parses and checks an expression: syntax, known functions with
// arguments of a number and type (declared variables included) an overload
// takes, functions the evaluator implements, and variables that exist in the
// flow.
func (c *compiler) expression(n *yaml.Node, src string) (*expr.Expr, error) {
	e, err := expr.Parse(src)
	if err != nil {
		return nil, c.errf(n, "%v", err)
	}
	if errs := e.CheckTypes(c.kindOf); len(errs) > 0 {
		return nil, c.errf(n, "%v", errs[0])
	}
	for _, f := range e.Funcs() {
		if info, ok := expr.LookupFunc(f); ok && !info.Emulated {
			return nil, c.unsupported(n, "function %s in %q", info.Name, src)
		}
	}
	for _, v := range e.Vars() {
		if err := c.checkDeclared(n, v); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// kindOf names the Archy kind a variable was declared with, for type
// checks of the expressions that use it ("" for anything else).
func (c *compiler) kindOf(path string) string {
	k, ok := c.declared[path]
	if !ok {
		return ""
	}
	for name, vk := range variableKinds {
		if vk == k {
			return name
		}
	}
	return ""
}

// checkDeclared reports a variable path that names no declared variable or
// built-in of the flow being compiled.
func (c *compiler) checkDeclared(n *yaml.Node, path string) error {
	parts := strings.Split(path, ".")
	for i := len(parts); i >= 1; i-- {
		name := strings.Join(parts[:i], ".")
		if _, ok := c.declared[name]; ok {
			return nil
		}
		if props, ok := builtinProps[c.flow.typ][name]; ok {
			if i == len(parts) {
				return nil
			}
			if i+1 == len(parts) && props[parts[i]] {
				return nil
			}
			return c.unsupported(n, "built-in property %s", path)
		}
	}
	switch parts[0] {
	case "Message", "Session", "Format", "Call", "Chat", "Email", "Workitem", "System":
		return c.unsupported(n, "built-in variable %s", path)
	}
	return c.errf(n, "variable %s is not declared", path)
}

// builtinProps lists the built-in variables the runtime provides per flow
// type, with the properties of object-valued ones. The inbound message flow
// gets Message.ConversationId and the triggering message (api.md, archy.md
// 4.4); anything else is reported as unsupported rather than evaluated to a
// made-up value.
var builtinProps = map[string]map[string]map[string]bool{
	"inboundshortmessage": {
		"Message.ConversationId": nil,
		"Message.Message":        {"body": true},
	},
}

// literal converts a lit node to a value of kind k (kUnknown: by YAML tag).
func (c *compiler) literal(n *yaml.Node, k varKind, what string) (expr.Value, error) {
	n = resolveAlias(n)
	if n != nil && n.Kind != yaml.ScalarNode {
		return nil, c.errf(n, "%s: literal must be a scalar", what)
	}
	v, ok := litValue(n, k)
	if !ok {
		return nil, c.errf(n, "%s: %q is not a %s literal", what, n.Value, k)
	}
	return v, nil
}

// litValue converts a scalar literal to a value of kind k; with kUnknown the
// YAML tag decides (an unquoted 0 is an Integer, "0" a String).
func litValue(n *yaml.Node, k varKind) (expr.Value, bool) {
	n = resolveAlias(n)
	if isNull(n) {
		return expr.NotSet{}, true
	}
	if n.Kind != yaml.ScalarNode {
		return nil, false
	}
	s := n.Value
	switch k {
	case kString:
		return expr.String(s), true
	case kBoolean:
		if s == "true" || s == "false" {
			return expr.Boolean(s == "true"), true
		}
	case kInteger:
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return expr.Integer(i), true
		}
	case kDecimal:
		if f, err := strconv.ParseFloat(s, 64); err == nil {
			return expr.Decimal(f), true
		}
	default:
		switch n.Tag {
		case "!!bool":
			return expr.Boolean(s == "true"), true
		case "!!int":
			if i, err := strconv.ParseInt(s, 10, 64); err == nil {
				return expr.Integer(i), true
			}
		case "!!float":
			if f, err := strconv.ParseFloat(s, 64); err == nil {
				return expr.Decimal(f), true
			}
		}
		return expr.String(s), true
	}
	return nil, false
}

// duration parses a duration literal such as {seconds: 15} or {ms: 100}.
func (c *compiler) duration(n *yaml.Node, what string) (time.Duration, error) {
	v, err := c.value(n, what, false)
	if err != nil {
		return 0, err
	}
	switch v.kind {
	case vNoValue:
		return 0, nil
	case vExp:
		return 0, c.unsupported(n, "an expression for %s", what)
	}
	ps := pairs(v.lit)
	if len(ps) == 0 {
		return 0, c.errf(v.lit, "%s must be a duration such as {seconds: 15}", what)
	}
	units := map[string]time.Duration{"ms": time.Millisecond, "seconds": time.Second, "minutes": time.Minute, "hours": time.Hour, "days": 24 * time.Hour}
	var d time.Duration
	for _, p := range ps {
		u, ok := units[p.key]
		if !ok {
			return 0, c.unsupported(p.k, "duration unit %q in %s", p.key, what)
		}
		x, err := strconv.ParseFloat(p.v.Value, 64)
		if err != nil || x < 0 {
			return 0, c.errf(p.v, "%s: %q is not a non-negative number", what, p.v.Value)
		}
		d += time.Duration(x * float64(u))
	}
	return d, nil
}
