// Package archy builds Archy (Genesys Cloud Architect) flow YAML from typed
// values and encodes it as yaml.v3 does (emit.go writes yaml.v3's output for
// the shapes built here, faster), so every name and prompt is quoted
// correctly by construction.
//
// Values that Terraform supplies at apply time (object names, the division)
// are Placeholders. The provider substitutes `{{key}}` by plain text
// replacement before the flow is published; bpgen always feeds it
// jsonencode(value), and a JSON string is a valid YAML double-quoted scalar, so
// a placeholder is safe both as a value and as a mapping key whatever the name
// contains (": ", "#", quotes, a leading "*", non-ASCII text).
package archy

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/archy/expr"
	"github.com/bpgen/bpgen/internal/archy/flowyaml"
	"github.com/bpgen/bpgen/internal/contract"
)

// Placeholder is a value Terraform substitutes at apply time.
type Placeholder string

// Marker starts every sentinel written in place of a placeholder before the
// final text replacement. The config validator rejects names containing it.
const Marker = contract.PlaceholderMarker

// Node is a node of a document being built: of yaml.v3's Node, what the
// flows are made of (kind, tag, style, text, entries), in 48 bytes rather
// than 152. A kitchen-sink render builds ~1,800 collections; YAML converts
// one to yaml.v3's tree, for the encoder Encode falls back to.
type Node struct {
	Value   string
	Content []*Node
	Kind    flowyaml.Kind
	Style   flowyaml.Style
	Tag     Tag
}

// Tag is a node's resolved tag: the few bpgen writes, TagNone for a document.
type Tag uint8

const (
	TagNone Tag = iota
	TagStr
	TagBool
	TagInt
	TagMap
	TagSeq
)

var tagNames = [...]string{TagNone: "", TagStr: "!!str", TagBool: "!!bool", TagInt: "!!int", TagMap: "!!map", TagSeq: "!!seq"}

// YAML is the node as a yaml.v3 tree (a node shared by several parents
// becomes one yaml.v3 node for each).
func (n *Node) YAML() *yaml.Node {
	y := &yaml.Node{Kind: yaml.Kind(n.Kind), Style: yaml.Style(n.Style), Tag: tagNames[n.Tag], Value: n.Value}
	if len(n.Content) > 0 {
		y.Content = make([]*yaml.Node, len(n.Content))
		for i, c := range n.Content {
			y.Content[i] = c.YAML()
		}
	}
	return y
}

// Builder makes the nodes of the documents one caller builds. A flow has
// thousands of nodes, built one by one and living as long as the document:
// a Builder hands them out of runs it allocates (and a collection's entries
// out of a shared run of pointers) rather than one allocation each.
//
// A Builder belongs to one caller and is dropped with its documents: a run
// stays alive while any node in it does, so runs shared between calls chain
// every document to the ones built before it (a process-global allocator did,
// and kept ~0.8 MB per render; TestRendersRetainNothing). Not safe for
// concurrent use. The zero value is ready; a nil *Builder allocates every
// node on its own (the package-level M, S and so on).
//
// A Builder makes one node for each scalar text and hands it out wherever
// that text appears: a flow repeats its keys and values (name, actions,
// variable names) so much that a kitchen-sink flow's 2,200 scalars are 250
// distinct ones. Nothing changes a scalar node once Of has made it (the
// flows only append entries to collections, and neither emitter writes to a
// node); code that did would change every place the text appears, which
// TestSharedNodesAreNotChanged (package flows) would notice.
//
// The value forms (Lit, Exp, Var, NoValue, None of a scalar) are shared the
// same way: they are one-key mappings no caller adds to.
type Builder struct {
	nodes   []Node
	content []*Node
	strs    map[string]*Node
	subs    map[Placeholder]*Node
	bools   [2]*Node // false, true
	forms   map[formKey]*Node
}

// formKey names a value form: its key (lit, exp...) and its scalar, by tag
// ("!!str", "!!bool", "!!int", or "sub" for a Placeholder) and text.
type formKey struct{ form, tag, text string }

// Runs are small enough to stay out of the large-object allocator (a node is
// 48 bytes) and large enough that a flow needs a few dozen of them.
const (
	nodeRun    = 512
	contentRun = 1024
)

func (b *Builder) node(kind flowyaml.Kind, tag Tag, value string) *Node {
	if b == nil {
		return &Node{Kind: kind, Tag: tag, Value: value}
	}
	if len(b.nodes) == 0 {
		b.nodes = make([]Node, nodeRun)
	}
	n := &b.nodes[0]
	b.nodes = b.nodes[1:]
	// The slot is zero: setting three fields spares the write barrier of
	// copying a whole Node in.
	n.Kind, n.Tag, n.Value = kind, tag, value
	return n
}

// entries returns an empty slice with room for n entries. Its capacity is
// exactly n, so appending past n reallocates and slices never share entries.
func (b *Builder) entries(n int) []*Node {
	if b == nil || n == 0 || n > contentRun/16 {
		return make([]*Node, 0, n)
	}
	if len(b.content) < n {
		b.content = make([]*Node, contentRun)
	}
	c := b.content[:0:n]
	b.content = b.content[n:]
	return c
}

// MapOf is an empty mapping with room for the given number of pairs, for a
// caller that adds them one by one (an empty M would reallocate its entries
// as they come).
func (b *Builder) MapOf(pairs int) *Node {
	n := b.node(flowyaml.MappingNode, TagMap, "")
	n.Content = b.entries(2 * pairs)
	return n
}

// Str is Of a string, for a caller adding entries to a MapOf.
func (b *Builder) Str(s string) *Node { return b.str(s) }

// M builds a mapping from alternating keys and values, keeping their order.
// Keys are strings or Placeholders; values are anything Of accepts. A nil
// value drops the pair, which keeps optional settings out of the output.
func M(kv ...any) *Node { return (*Builder)(nil).M(kv...) }

// M is the package-level M, from b's runs.
func (b *Builder) M(kv ...any) *Node {
	if len(kv)%2 != 0 {
		panic("archy.M: odd number of arguments")
	}
	n := b.node(flowyaml.MappingNode, TagMap, "")
	n.Content = b.entries(len(kv))
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == nil {
			continue
		}
		if v, ok := kv[i+1].(*Node); ok && v == nil {
			continue
		}
		n.Content = append(n.Content, b.Of(kv[i]), b.Of(kv[i+1]))
	}
	return n
}

// S builds a sequence; nil items are dropped.
func S(items ...any) *Node { return (*Builder)(nil).S(items...) }

// S is the package-level S, from b's runs.
func (b *Builder) S(items ...any) *Node {
	n := b.node(flowyaml.SequenceNode, TagSeq, "")
	n.Content = b.entries(len(items))
	for _, it := range items {
		if it == nil {
			continue
		}
		if v, ok := it.(*Node); ok && v == nil {
			continue
		}
		n.Content = append(n.Content, b.Of(it))
	}
	return n
}

// Seq builds a sequence from a slice of nodes.
func Seq(items []*Node) *Node { return (*Builder)(nil).Seq(items) }

// Seq is the package-level Seq, from b's runs.
func (b *Builder) Seq(items []*Node) *Node {
	n := b.node(flowyaml.SequenceNode, TagSeq, "")
	k := 0
	for _, it := range items {
		if it != nil {
			k++
		}
	}
	if k == 0 {
		n.Style = flowyaml.FlowStyle
		return n
	}
	n.Content = b.entries(k)
	for _, it := range items {
		if it != nil {
			n.Content = append(n.Content, it)
		}
	}
	return n
}

// Of converts a Go value to a node.
func Of(v any) *Node { return (*Builder)(nil).Of(v) }

// Of is the package-level Of, from b's runs.
func (b *Builder) Of(v any) *Node {
	switch x := v.(type) {
	case *Node:
		return x
	case Placeholder:
		if b != nil {
			if n := b.subs[x]; n != nil {
				return n
			}
		}
		if !isPlaceholderKey(string(x)) {
			panic(fmt.Sprintf("archy: bad placeholder key %q", x))
		}
		n := b.node(flowyaml.ScalarNode, TagStr, Marker+string(x))
		if b != nil {
			if b.subs == nil {
				b.subs = map[Placeholder]*Node{}
			}
			b.subs[x] = n
		}
		return n
	case string:
		return b.str(x)
	case bool:
		if b == nil {
			return b.node(flowyaml.ScalarNode, TagBool, strconv.FormatBool(x))
		}
		i := 0
		if x {
			i = 1
		}
		if b.bools[i] == nil {
			b.bools[i] = b.node(flowyaml.ScalarNode, TagBool, strconv.FormatBool(x))
		}
		return b.bools[i]
	case int:
		return b.node(flowyaml.ScalarNode, TagInt, strconv.Itoa(x))
	case []*Node:
		return b.Seq(x)
	}
	panic(fmt.Sprintf("archy: unsupported value %T", v))
}

// str is Of a string, without putting it in an interface (which would
// allocate it on the heap).
func (b *Builder) str(x string) *Node {
	if b != nil {
		if n := b.strs[x]; n != nil {
			return n
		}
	}
	n := b.node(flowyaml.ScalarNode, TagStr, x)
	if yaml11Ambiguous(x) {
		// YAML 1.2 reads these as strings, but YAML 1.1 readers turn them into
		// booleans, nulls or numbers; Architect's exports always quote them.
		n.Style = flowyaml.DoubleQuotedStyle
	}
	if b != nil {
		if b.strs == nil {
			b.strs = make(map[string]*Node, 256)
		}
		b.strs[x] = n
	}
	return n
}

// form returns the value form k, {k.form: scalar}, as M(k.form, scalar)
// builds it; a Builder makes each one once.
func (b *Builder) form(k formKey) *Node {
	if b != nil {
		if n := b.forms[k]; n != nil {
			return n
		}
	}
	var v *Node
	switch k.tag {
	case "!!str":
		v = b.str(k.text)
	case "!!bool":
		v = b.Of(k.text == "true")
	case "!!int":
		v = b.node(flowyaml.ScalarNode, TagInt, k.text)
	case "sub":
		v = b.Of(Placeholder(k.text))
	}
	n := b.node(flowyaml.MappingNode, TagMap, "")
	n.Content = append(b.entries(2), b.str(k.form), v)
	if b != nil {
		if b.forms == nil {
			b.forms = make(map[formKey]*Node, 128)
		}
		b.forms[k] = n
	}
	return n
}

// Value forms: every configurable property is a one-key mapping. Each has a
// Builder method of the same name that takes the nodes from b's runs.

// Lit is a literal of the property's type.
func Lit(v any) *Node { return (*Builder)(nil).Lit(v) }
func (b *Builder) Lit(v any) *Node {
	switch x := v.(type) {
	case string:
		return b.form(formKey{"lit", "!!str", x})
	case bool:
		return b.form(formKey{"lit", "!!bool", strconv.FormatBool(x)})
	case int:
		return b.form(formKey{"lit", "!!int", strconv.Itoa(x)})
	case Placeholder:
		return b.form(formKey{"lit", "sub", string(x)})
	}
	return b.M("lit", v)
}

// Exp is an Architect expression.
func Exp(e string) *Node              { return (*Builder)(nil).Exp(e) }
func (b *Builder) Exp(e string) *Node { return b.form(formKey{"exp", "!!str", e}) }

// Var binds an output to a variable.
func Var(name string) *Node              { return (*Builder)(nil).Var(name) }
func (b *Builder) Var(name string) *Node { return b.form(formKey{"var", "!!str", name}) }

// NoValue is "explicitly not set".
func NoValue() *Node              { return (*Builder)(nil).NoValue() }
func (b *Builder) NoValue() *Node { return b.form(formKey{"noValue", "!!bool", "true"}) }

// None is "no configuration" for an object-valued setting.
func None() *Node              { return (*Builder)(nil).None() }
func (b *Builder) None() *Node { return b.form(formKey{"none", "!!bool", "true"}) }

// Action wraps an action body under its type key: `- <typ>: {...}`.
func Action(typ string, body *Node) *Node              { return (*Builder)(nil).Action(typ, body) }
func (b *Builder) Action(typ string, body *Node) *Node { return b.M(typ, body) }

// Encode writes the document as YAML and turns sentinels into `{{key}}`.
func Encode(doc *Node) ([]byte, error) {
	// The fast emitter checks the scalars as it writes them, into a buffer
	// sized for the document up front (grown from nothing, a flow's buffer
	// was copied four times over), and the sentinels are swapped in place.
	// Where the emitter declines the document, checkScalars walks it before
	// yaml.v3 writes it.
	e := emitter{buf: make([]byte, 0, encodedSize(doc, 0)*5/4), check: true}
	out, ok := e.emit(doc)
	if e.err != nil {
		return nil, e.err
	}
	if ok {
		return swapSentinels(out), nil
	}
	if err := checkScalars(doc); err != nil {
		return nil, err
	}
	out, err := encodeYAMLv3(doc)
	if err != nil {
		return nil, err
	}
	return swapSentinels(out), nil
}

// encodedSize is about the size of the block YAML of n at depth: each scalar
// is written once, after about as many columns of indentation and
// punctuation as it lies deep in the tree (0.8 to 1.0 of the real size on
// the committed bundles, hence the quarter more Encode asks for).
func encodedSize(n *Node, depth int) int {
	size := 0
	if n.Kind == flowyaml.ScalarNode {
		size = len(n.Value) + depth + 3
	}
	for _, c := range n.Content {
		size += encodedSize(c, depth+1)
	}
	return size
}

// encodeYAMLv3 is the reference encoding, which emitFast reproduces for the
// shapes it takes.
func encodeYAMLv3(doc *Node) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(doc.YAML()); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// yaml11Ambiguous reports whether YAML 1.1 reads s as something other than a
// string (a boolean, null, a number, a timestamp): the plain scalars
// matching, case-insensitively,
//
//	y|yes|n|no|true|false|on|off|null|~|[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?|
//	0x[0-9a-f_]+|0o?[0-7_]+|0b[01_]+|[-+]?\.inf|\.nan|[0-9]{4}-[0-9]{2}-[0-9]{2}.*
//
// (yaml.v3's resolver table and its YAML 1.1 compatibility cases), and "".
// Hand code rather than the regexp: every string of every flow passes here
// (the test compares it with the regexp).
func yaml11Ambiguous(s string) bool {
	if s == "" {
		return true
	}
	// Every alternative starts with one of these: most scalars (names,
	// expressions) are ruled out at once.
	if !strings.ContainsRune("yYnNtTfFoO~+-.0123456789", rune(s[0])) {
		return false
	}
	if len(s) <= len("falſe") {
		// strings.EqualFold folds as (?i) does, ſ (U+017F, two bytes) with
		// s included.
		for _, w := range [...]string{"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", ".inf", "+.inf", "-.inf", ".nan"} {
			if strings.EqualFold(s, w) {
				return true
			}
		}
	}
	return yaml11Number(s) || yaml11Radix(s) || yaml11Date(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digits returns the end of the run of bytes from i that ok accepts.
func digits(s string, i int, ok func(byte) bool) int {
	for i < len(s) && ok(s[i]) {
		i++
	}
	return i
}

func isDigitOrUnderscore(c byte) bool { return isDigit(c) || c == '_' }

// yaml11Number: [-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?
func yaml11Number(s string) bool {
	i := 0
	if s[0] == '-' || s[0] == '+' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '.':
		j := digits(s, i+1, isDigit)
		if j == i+1 {
			return false
		}
		i = j
	case i < len(s) && isDigit(s[i]):
		i = digits(s, i+1, isDigitOrUnderscore)
		if i < len(s) && s[i] == '.' {
			i = digits(s, i+1, isDigitOrUnderscore)
		}
	default:
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '-' || s[i] == '+') {
			i++
		}
		j := digits(s, i, isDigit)
		if j == i {
			return false
		}
		i = j
	}
	return i == len(s)
}

// yaml11Radix: 0x[0-9a-f_]+|0o?[0-7_]+|0b[01_]+, case-insensitively.
func yaml11Radix(s string) bool {
	if len(s) < 2 || s[0] != '0' {
		return false
	}
	rest, ok := s[2:], func(c byte) bool { return '0' <= c && c <= '7' || c == '_' }
	switch s[1] {
	case 'x', 'X':
		ok = func(c byte) bool { return isDigitOrUnderscore(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
	case 'b', 'B':
		ok = func(c byte) bool { return c == '0' || c == '1' || c == '_' }
	case 'o', 'O':
	default:
		rest = s[1:]
	}
	return rest != "" && digits(rest, 0, ok) == len(rest)
}

// yaml11Date: [0-9]{4}-[0-9]{2}-[0-9]{2}.* (the dot does not match a newline).
func yaml11Date(s string) bool {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' || strings.IndexByte(s[10:], '\n') >= 0 {
		return false
	}
	for _, i := range [...]int{0, 1, 2, 3, 5, 6, 8, 9} {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isPlaceholderKey: [a-z][a-z0-9_]*, the keys swapSentinels turns back into
// {{key}}.
func isPlaceholderKey(k string) bool {
	if k == "" || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for i := 1; i < len(k); i++ {
		if c := k[i]; !('a' <= c && c <= 'z' || isDigit(c) || c == '_') {
			return false
		}
	}
	return true
}

// swapSentinels rewrites every Marker+key ([a-z][a-z0-9_]*) back to
// {{key}}, in place (the braces are shorter than the marker): a scan rather
// than a regexp, since it runs over every flow.
func swapSentinels(b []byte) []byte {
	m := []byte(Marker)
	i := bytes.Index(b, m)
	if i < 0 {
		return b
	}
	out := b[:i] // what is written never passes what is read
	for i >= 0 {
		rest := b[i+len(m):]
		n := 0
		if len(rest) > 0 && rest[0] >= 'a' && rest[0] <= 'z' {
			for n = 1; n < len(rest) && (rest[n] >= 'a' && rest[n] <= 'z' || rest[n] >= '0' && rest[n] <= '9' || rest[n] == '_'); n++ {
			}
		}
		if n == 0 {
			out = append(out, m...)
		} else {
			out = append(append(append(out, "{{"...), rest[:n]...), "}}"...)
		}
		b = rest[n:]
		i = bytes.Index(b, m)
		if i < 0 {
			out = append(out, b...)
			break
		}
		out = append(out, b[:i]...)
	}
	return out
}

// checkScalars refuses text that the provider's or Archy's pre-processing
// would misread: a literal {{ or a stray sentinel.
func checkScalars(n *Node) error {
	if err := checkScalar(n); err != nil {
		return err
	}
	for _, c := range n.Content {
		if err := checkScalars(c); err != nil {
			return err
		}
	}
	return nil
}

// checkScalar is checkScalars' test of one node.
func checkScalar(n *Node) error {
	if n.Kind != flowyaml.ScalarNode {
		return nil
	}
	if strings.HasPrefix(n.Value, Marker) {
		if !isPlaceholderKey(strings.TrimPrefix(n.Value, Marker)) {
			return fmt.Errorf("text %q collides with bpgen's placeholder marker", n.Value)
		}
		return nil
	}
	if strings.Contains(n.Value, Marker) {
		return fmt.Errorf("text %q contains bpgen's placeholder marker %q", n.Value, Marker)
	}
	if strings.Contains(n.Value, "{{") || strings.Contains(n.Value, "}}") {
		return fmt.Errorf("text %q contains {{ or }}, which Archy treats as a substitution placeholder", n.Value)
	}
	return nil
}

// Placeholders lists the keys of every placeholder in a document, in first-use order.
func Placeholders(doc *Node) []string {
	// A flow has a dozen keys at most: a list is quicker than a set.
	var out []string
	var walk func(*Node)
	walk = func(n *Node) {
		if n.Kind == flowyaml.ScalarNode {
			if k, ok := strings.CutPrefix(n.Value, Marker); ok && !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// Quote returns an Architect string literal for s. It is the expression
// package's Quote, the one FuzzQuoteRoundTrip checks against the parser.
func Quote(s string) string { return expr.Quote(s) }

// Communication is MakeCommunication("text"), the prompt form bot flows use.
func Communication(text string) *Node { return (*Builder)(nil).Communication(text) }

// Communication is the package-level Communication, from b's runs. This is
// where every rendered MakeCommunication is written. The function is not in
// Architect's function catalogue (an old build); Genesys's published bot
// flows build every prompt with it: the blueprint's own
// modules/bot-flow/MergeExternalContactBot.yaml (../shared/reference/blueprint)
// and GenesysCloudBlueprints/scheduling-bot-blueprint@468b59f
// modules/schedulingbot-flow/SchedulingBot.yaml. The emulator's function
// table (internal/archy/expr/extras.tsv) cites the same.
func (b *Builder) Communication(text string) *Node {
	return b.Exp("MakeCommunication(" + Quote(text) + ")")
}
