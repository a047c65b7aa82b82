// Package yamldoc parses one user-written YAML document (a config, a scenario)
// with the limits every bpgen input shares: exactly one document, an alias
// expansion budget, and syntax errors located at line and column.
package yamldoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxExpanded bounds how many nodes a document may have once every alias is
// expanded. A real config or scenario has a few hundred; "billion laughs"
// style nesting reaches millions from a few hundred bytes.
const MaxExpanded = 100_000

// Error is a parse failure at a position (Col is 0 when it is not known).
type Error struct {
	Line, Col int
	Msg       string
}

func (e *Error) Error() string {
	if e.Col > 0 {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%d: %s", e.Line, e.Msg)
}

// Parse returns the document node of data's single YAML document (nil for an
// empty input), or an *Error.
func Parse(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil
		}
		return nil, Syntax(data, err)
	}
	// A trailing `---` (an empty document) is harmless; any content after
	// the first document would be silently ignored, so it is an error.
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, Syntax(data, err)
		}
		if !empty(&next) {
			line, col := docStart(data, &next)
			return nil, &Error{Line: line, Col: col, Msg: "a second YAML document: the file must hold exactly one (remove the `---` or split the file)"}
		}
	}
	if err := CheckAliases(&doc, MaxExpanded); err != nil {
		return nil, err
	}
	return &doc, nil
}

func empty(doc *yaml.Node) bool {
	if len(doc.Content) == 0 {
		return true
	}
	c := doc.Content[0]
	return len(doc.Content) == 1 && c.Kind == yaml.ScalarNode && c.ShortTag() == "!!null" && c.Value == "" && c.Anchor == ""
}

// docStart finds the `---` that opens the document starting at or before n.
func docStart(data []byte, n *yaml.Node) (int, int) {
	line := n.Line
	if len(n.Content) > 0 {
		line = n.Content[0].Line
	}
	lines := strings.Split(string(data), "\n")
	for l := min(line, len(lines)); l >= 1; l-- {
		if t := strings.TrimRight(lines[l-1], " \r"); t == "---" || strings.HasPrefix(t, "--- ") {
			return l, 1
		}
	}
	return line, 1
}

// CheckAliases refuses a document whose aliases expand to more than budget
// nodes. Sizes are memoised per anchor, so the check is linear in the
// document as written, however large its expansion.
func CheckAliases(doc *yaml.Node, budget int) error {
	size := map[*yaml.Node]int{}
	var sizeOf func(n *yaml.Node) int
	sizeOf = func(n *yaml.Node) int {
		if n == nil {
			return 0
		}
		if s, ok := size[n]; ok {
			return s
		}
		size[n] = budget + 1 // a cycle (yaml.v3 refuses these) counts as over budget
		s := 1
		if n.Kind == yaml.AliasNode {
			s += sizeOf(n.Alias)
		}
		for _, c := range n.Content {
			s += sizeOf(c)
			if s > budget {
				s = budget + 1
				break
			}
		}
		size[n] = s
		return s
	}
	total := 0
	var walk func(n *yaml.Node) error
	walk = func(n *yaml.Node) error {
		if n == nil {
			return nil
		}
		total++
		if n.Kind == yaml.AliasNode {
			total += sizeOf(n.Alias)
			if total > budget {
				return &Error{Line: n.Line, Col: n.Column, Msg: fmt.Sprintf("aliases here expand the document past %d nodes: write the values out or use fewer nested aliases", budget)}
			}
			return nil
		}
		for _, c := range n.Content {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(doc)
}

var lineMsg = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// Syntax turns a yaml.v3 error into an *Error with a line and, where the
// offending character can be found, a column. yaml.v3 reports lines only,
// and for scanner errors the line after the token's context line.
func Syntax(data []byte, err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = strings.TrimPrefix(te.Errors[0], "yaml: ")
	}
	e := &Error{Line: 1, Msg: msg}
	lines := strings.Split(string(data), "\n")
	if m := lineMsg.FindStringSubmatch(msg); m != nil {
		e.Line, _ = strconv.Atoi(m[1])
		e.Msg = m[2]
	} else if data != nil {
		// No line: yaml.v3 ran out of input looking for the end of a
		// construct, so the error is at the end of the last written line.
		for l := len(lines); l >= 1; l-- {
			if strings.TrimSpace(lines[l-1]) != "" {
				e.Line, e.Col = l, len(strings.TrimRight(lines[l-1], " \t\r"))+1
				e.Msg += " (at the end of the file)"
				return e
			}
		}
	}
	// A tab where indentation belongs: yaml.v3 names the line after the one
	// holding it, so look there first, then at the line itself.
	if strings.Contains(e.Msg, "cannot start any token") || strings.Contains(e.Msg, "tab") {
		for _, l := range []int{e.Line - 1, e.Line, e.Line + 1} {
			if l < 1 || l > len(lines) {
				continue
			}
			s := lines[l-1]
			lead := len(s) - len(strings.TrimLeft(s, " \t"))
			if i := strings.IndexByte(s[:lead], '\t'); i >= 0 {
				e.Line, e.Col = l, i+1
				e.Msg = "a tab in indentation: YAML indents with spaces only"
				return e
			}
			if i := strings.IndexByte(s, '\t'); i >= 0 && l != e.Line+1 {
				e.Line, e.Col = l, i+1
				return e
			}
		}
	}
	// An unclosed flow collection: yaml.v3 names the opening bracket's line
	// counted from 0, so look at the next line first.
	for _, br := range []string{"[", "{"} {
		if !strings.Contains(e.Msg, "or '"+map[string]string{"[": "]", "{": "}"}[br]+"'") {
			continue
		}
		for _, l := range []int{e.Line + 1, e.Line} {
			if l >= 1 && l <= len(lines) {
				if i := strings.LastIndex(lines[l-1], br); i >= 0 {
					e.Line, e.Col = l, i+1
					e.Msg += " (this " + br + " is not closed)"
					return e
				}
			}
		}
	}
	if e.Line >= 1 && e.Line <= len(lines) {
		s := lines[e.Line-1]
		// inferred: yaml.v3 gives no column; the first non-blank character of
		// the reported line is where its problem mark sits for most errors.
		e.Col = len(s) - len(strings.TrimLeft(s, " \t")) + 1
		if strings.Contains(e.Msg, "mapping values are not allowed") {
			// The second ": " on the line is the one that is not allowed.
			if first := strings.Index(s, ": "); first >= 0 {
				if second := strings.Index(s[first+2:], ": "); second >= 0 {
					e.Col = first + 2 + second + 1
				}
			}
		}
	} else {
		e.Col = 1
	}
	return e
}
