// Package velocity parses and renders the subset of the Apache Velocity
// Template Language that Genesys Cloud data actions use in requestUrlTemplate,
// headers, requestTemplate and successTemplate.
//
// Supported:
//
//   - references: $x, ${x}, $!x, $!{x}, property chains ($input.a.b) and method
//     calls ($esc.url($input.q), ${successTemplateUtils.firstFromArray("…")});
//   - a null reference renders as the reference text exactly as written
//     (${input.foo} stays "${input.foo}"); the silent forms render nothing;
//   - string arguments: "double quoted" strings are themselves templates
//     (interpolated), 'single quoted' strings are literal;
//   - #if / #elseif / #else / #end (also #{if} … #{end}) with ==, !=, <, <=, >,
//     >=, &&, ||, !, and/or/not, parentheses, truthiness and null checks;
//   - #set($name = expr), ## line comments, #* block comments *#, #[[unparsed]]#;
//   - tools supplied through the context as [Tool] values: [Esc] ($esc) and
//     [SuccessTemplateUtils] ($successTemplateUtils), plus a few Java String,
//     Map and List methods on plain values.
//
// Anything else — a method call on an unknown tool, an unknown method, an
// unsupported directive (#foreach, #macro, …) — is an [*Error] naming the
// template and the line:column, never silently passed through, so a template
// that would behave differently on the platform fails loudly in the emulator.
//
// Not supported (each is an error, or plain text where Velocity itself would
// print it): #foreach and macros, arithmetic, [list] and {map} literals, the
// math/encoding/urlTool tools, and backslash escaping of references (a
// backslash is plain text here).
//
// Whitespace follows Velocity 2's default "lines" gobbling: a line holding only
// a directive (or a ## comment) disappears entirely, indentation and newline
// included.
//
// A [*Template] is immutable after [Parse] and safe for concurrent Render calls.
package velocity

import (
	"fmt"
	"strings"
)

// Template is a parsed Velocity template.
type Template struct {
	name  string
	src   string
	nodes []node
}

// Error is a parse or render error positioned in a named template.
type Error struct {
	Template string // template name given to Parse
	Line     int    // 1-based
	Col      int    // 1-based, in bytes
	Msg      string
}

func (e *Error) Error() string {
	return fmt.Sprintf("velocity: %s:%d:%d: %s", e.Template, e.Line, e.Col, e.Msg)
}

// Limits keep hostile or accidental templates from exhausting the process.
const (
	// maxDepth bounds nesting of directives, parentheses and string templates.
	maxDepth = 64
	// maxOutput bounds the bytes one Render may produce, counting
	// intermediate strings: #set($a = "$a$a") doubles per line. It is well
	// above the runtime's default 16 MiB response limit, so ${rawResult} of
	// any accepted response renders.
	maxOutput = 32 << 20
)

// Parse parses src. name identifies the template in error messages (for
// example "Fetch contact/successTemplate").
func Parse(name, src string) (*Template, error) {
	p := &parser{name: name, src: src, end: len(src)}
	nodes, stop, err := p.parseNodes()
	if err != nil {
		return nil, err
	}
	if stop.kind != stopEOF {
		return nil, p.errAt(stop.pos, "#%s without a matching #if", stop.kind)
	}
	return &Template{name: name, src: src, nodes: nodes}, nil
}

// MustParse is Parse that panics on error; for templates fixed in code.
func MustParse(name, src string) *Template {
	t, err := Parse(name, src)
	if err != nil {
		panic(err)
	}
	return t
}

// Name returns the name given to Parse.
func (t *Template) Name() string { return t.name }

// Source returns the template text.
func (t *Template) Source() string { return t.src }

// IsConstant reports whether the template has no references or directives,
// so every render returns the same text.
func (t *Template) IsConstant() bool {
	for _, n := range t.nodes {
		if _, ok := n.(textNode); !ok {
			return false
		}
	}
	return true
}

// Render renders the template against ctx. ctx is only read; #set writes go
// to a per-render scope, so one Template and one ctx may be shared by
// concurrent renders.
//
// Values in ctx are expected in encoding/json shapes: string, bool, nil,
// json.Number / float64 / int / int64, map[string]any, []any — plus [Tool]s.
func (t *Template) Render(ctx map[string]any) (string, error) {
	s := &renderer{t: t, ctx: ctx}
	var b strings.Builder
	if err := s.renderNodes(&b, t.nodes); err != nil {
		return "", err
	}
	return b.String(), nil
}

// position converts a byte offset into 1-based line and column.
func position(src string, off int) (line, col int) {
	if off > len(src) {
		off = len(src)
	}
	line = 1 + strings.Count(src[:off], "\n")
	col = off + 1
	if i := strings.LastIndexByte(src[:off], '\n'); i >= 0 {
		col = off - i
	}
	return line, col
}
