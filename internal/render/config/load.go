package config

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"regexp/syntax"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/agext/levenshtein"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/format/yamldoc"
	"github.com/bpgen/bpgen/internal/render/diag"
)

//go:embed schema.json
var schemaJSON []byte

// SchemaJSON returns the config's JSON Schema document.
func SchemaJSON() []byte { return bytes.Clone(schemaJSON) }

var (
	compileOnce sync.Once
	compiled    *jsonschema.Schema
	schemaDoc   map[string]any
	compileErr  error
)

// schema compiles the config schema, once per process: only a config the
// fast reading (fastschema.go) cannot vouch for needs it.
func schema() (*jsonschema.Schema, error) {
	compileOnce.Do(func() {
		compiled, schemaDoc, compileErr = compileSchema(schemaJSON)
	})
	return compiled, compileErr
}

// schemaURL is where the embedded schema is registered with the compiler
// (which checks it against its metaschema as it compiles it).
const schemaURL = "bpgen.schema.json"

// compileSchema compiles a schema document registered at schemaURL.
func compileSchema(data []byte) (*jsonschema.Schema, map[string]any, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, nil, err
	}
	m, _ := doc.(map[string]any)
	c := jsonschema.NewCompiler()
	c.UseRegexpEngine(lazyRegexp)
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, m, err
	}
	sch, err := c.Compile(schemaURL)
	return sch, m, err
}

// lazyRegexp is the library's engine (regexp.Compile) with the compile put
// off until a value is matched: compiling the schema checks every pattern
// against the metaschema's "regex" format and then compiles it again, and the
// regexp compiles were a quarter of the schema's compile time, mostly for
// patterns a given config never reaches. syntax.Parse reports every error
// regexp.Compile reports (compiling a parsed expression cannot fail), so a
// bad pattern is still refused when the schema compiles.
func lazyRegexp(s string) (jsonschema.Regexp, error) {
	if _, err := syntax.Parse(s, syntax.Perl); err != nil {
		return nil, err // the very error regexp.Compile returns
	}
	return &deferredRegexp{src: s}, nil
}

type deferredRegexp struct {
	src  string
	once sync.Once
	re   *regexp.Regexp
}

func (d *deferredRegexp) MatchString(s string) bool {
	d.once.Do(func() { d.re = regexp.MustCompile(d.src) })
	return d.re.MatchString(s)
}

func (d *deferredRegexp) String() string { return d.src }

// Source is a loaded config file: its name and YAML tree, for positions.
type Source struct {
	File string
	root *yaml.Node
	// index maps a JSON pointer ("/identifiers/0/type") to its value and key nodes.
	index map[string]located
}

type located struct {
	key, value *yaml.Node
}

// Pos returns the position of the value at a JSON pointer, or of the nearest
// existing parent, so a diagnostic always lands on a real line.
func (s *Source) Pos(ptr string) diag.Pos {
	for {
		if l, ok := s.index[ptr]; ok {
			n := l.value
			if n == nil {
				n = l.key
			}
			return diag.Pos{File: s.File, Line: n.Line, Col: n.Column}
		}
		i := strings.LastIndex(ptr, "/")
		if i < 0 {
			return diag.Pos{File: s.File, Line: 1, Col: 1}
		}
		ptr = ptr[:i]
	}
}

// KeyPos returns the position of the key of the value at ptr (where a rename would go).
func (s *Source) KeyPos(ptr string) diag.Pos {
	if l, ok := s.index[ptr]; ok && l.key != nil {
		return diag.Pos{File: s.File, Line: l.key.Line, Col: l.key.Column}
	}
	return s.Pos(ptr)
}

// Has reports whether the user wrote a value at ptr.
func (s *Source) Has(ptr string) bool {
	_, ok := s.index[ptr]
	return ok
}

// JSON pointer segment escaping (RFC 6901). One replacer each, built once:
// a Replacer with a multi-byte replacement builds a lookup table of a few
// kilobytes on first use, which per key was a quarter of a config's load.
var (
	pointerEscaper   = strings.NewReplacer("~", "~0", "/", "~1")
	pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")
)

func escapeSegment(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return pointerEscaper.Replace(s)
}

// Field turns a JSON pointer into the dotted field path users read: identifiers[1].ask.pattern.
func Field(ptr string) string {
	var b strings.Builder
	for _, seg := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if seg == "" {
			continue
		}
		seg = pointerUnescaper.Replace(seg)
		if _, err := strconv.Atoi(seg); err == nil {
			fmt.Fprintf(&b, "[%s]", seg)
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
	}
	return b.String()
}

// Load reads and validates a config file.
func Load(path string) (*Config, *Source, diag.List) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, diag.List{{Pos: diag.Pos{File: path}, Severity: diag.Error, Rule: diag.Unreadable, Message: readErr(err)}}
	}
	return Parse(path, data)
}

func readErr(err error) string {
	if errors.Is(err, os.ErrNotExist) {
		return "no such file (run `bpgen init` to create a starter config)"
	}
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse validates config text. The returned list holds errors and warnings;
// the Config is nil when there is any error.
func Parse(file string, data []byte) (*Config, *Source, diag.List) {
	src := &Source{File: file, index: map[string]located{}}
	doc, err := yamldoc.Parse(data)
	if err != nil {
		return nil, src, diag.List{yamlErr(file, err)}
	}
	if doc == nil || doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, src, diag.List{{Pos: diag.Pos{File: file, Line: 1, Col: 1}, Severity: diag.Error, Rule: diag.Schema, Message: "the config is empty (run `bpgen init` for a starter config)"}}
	}
	src.root = doc.Content[0]
	inst, err := toJSON(src.root, "", src.index, 0)
	if err != nil {
		return nil, src, diag.List{yamlErr(file, err)}
	}
	if !certainlyValid(inst) {
		if ds := judge(src, inst); ds != nil {
			return nil, src, ds
		}
	}
	var cfg Config
	if err := src.root.Decode(&cfg); err != nil {
		// The schema accepted the document, so this is a bug in the schema/struct pairing.
		return nil, src, diag.List{{Pos: src.Pos(""), Severity: diag.Error, Rule: diag.Schema, Message: "internal: " + err.Error()}}
	}
	ds := Validate(&cfg, src)
	ds.Sort()
	if ds.HasErrors() {
		return nil, src, ds
	}
	return &cfg, src, ds
}

// judge has the library judge the document: its findings, or nil.
func judge(src *Source, inst any) diag.List {
	sch, err := schema()
	if err != nil {
		panic("bpgen: embedded config schema does not compile: " + err.Error())
	}
	err = sch.Validate(inst)
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return diag.List{{Pos: src.Pos(""), Severity: diag.Error, Rule: diag.Schema, Message: err.Error()}}
	}
	ds := schemaDiags(src, ve)
	ds.Sort()
	return ds
}

func yamlErr(file string, err error) diag.Diagnostic {
	var ye *yamldoc.Error
	if !errors.As(err, &ye) {
		ye = yamldoc.Syntax(nil, err)
	}
	return diag.Diagnostic{Pos: diag.Pos{File: file, Line: ye.Line, Col: ye.Col}, Severity: diag.Error, Rule: diag.YAMLSyntax, Message: ye.Msg}
}

func nodeErr(n *yaml.Node, format string, args ...any) error {
	return &yamldoc.Error{Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...)}
}

const maxDepth = 64

// toJSON converts a YAML node to the value model the schema validator takes,
// recording where every value sits.
func toJSON(n *yaml.Node, ptr string, index map[string]located, depth int) (any, error) {
	if depth > maxDepth {
		return nil, nodeErr(n, "the document nests deeper than %d levels", maxDepth)
	}
	if _, ok := index[ptr]; !ok {
		index[ptr] = located{value: n}
	}
	switch n.Kind {
	case yaml.AliasNode:
		return toJSON(n.Alias, ptr, index, depth+1)
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return toJSON(n.Content[0], ptr, index, depth+1)
	case yaml.MappingNode:
		out := make(map[string]any, len(n.Content)/2)
		keys := make(map[string]*yaml.Node, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Kind != yaml.ScalarNode {
				return nil, nodeErr(k, "mapping keys must be plain strings")
			}
			if k.Value == "<<" {
				return nil, nodeErr(k, "YAML merge keys (<<) are not supported")
			}
			if first, dup := keys[k.Value]; dup {
				return nil, nodeErr(k, "duplicate key %s (first at line %d)", rejected(k.Value), first.Line)
			}
			keys[k.Value] = k
			child := ptr + "/" + escapeSegment(k.Value)
			index[child] = located{key: k, value: v}
			val, err := toJSON(v, child, index, depth+1)
			if err != nil {
				return nil, err
			}
			out[k.Value] = val
		}
		return out, nil
	case yaml.SequenceNode:
		out := make([]any, len(n.Content))
		for i, c := range n.Content {
			val, err := toJSON(c, ptr+"/"+strconv.Itoa(i), index, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = val
		}
		return out, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool":
			var b bool
			if err := n.Decode(&b); err != nil {
				return nil, nodeErr(n, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
			}
			return b, nil
		case "!!int", "!!float":
			var f float64
			if err := n.Decode(&f); err != nil {
				return nil, nodeErr(n, "%s", strings.TrimPrefix(err.Error(), "yaml: "))
			}
			return json.Number(strconv.FormatFloat(f, 'f', -1, 64)), nil
		default:
			return n.Value, nil
		}
	}
	return nil, nodeErr(n, "unsupported YAML node")
}

var printer = message.NewPrinter(language.English)

// schemaDiags flattens the validator's error tree into one diagnostic per leaf.
func schemaDiags(src *Source, ve *jsonschema.ValidationError) diag.List {
	var out diag.List
	seen := map[string]bool{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		for _, d := range leafDiags(src, e) {
			key := d.Pos.String() + d.Message
			if !seen[key] {
				seen[key] = true
				out = append(out, d)
			}
		}
	}
	walk(ve)
	return out
}

func pointer(loc []string) string {
	if len(loc) == 0 {
		return ""
	}
	esc := make([]string, len(loc))
	for i, s := range loc {
		esc[i] = escapeSegment(s)
	}
	return "/" + strings.Join(esc, "/")
}

func leafDiags(src *Source, e *jsonschema.ValidationError) diag.List {
	ptr := pointer(e.InstanceLocation)
	mk := func(p string, pos diag.Pos, msg string) diag.Diagnostic {
		return diag.Diagnostic{Pos: pos, Severity: diag.Error, Rule: diag.Schema, Field: Field(p), Message: msg}
	}
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		var out diag.List
		for _, p := range k.Properties {
			child := ptr + "/" + escapeSegment(p)
			field := child
			msg := fmt.Sprintf("unknown field %q", p)
			if shown := rejected(p); shown != display(p) {
				// A secret pasted as a key: neither the field's path nor the
				// message names it; the position still points at it.
				field, msg = ptr, "unknown field: "+shown
			}
			if s := suggest(p, knownProps(e.InstanceLocation)); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			out = append(out, mk(field, src.KeyPos(child), msg))
		}
		return out
	case *kind.Required:
		var out diag.List
		for _, p := range k.Missing {
			out = append(out, mk(ptr+"/"+p, src.KeyPos(ptr), fmt.Sprintf("missing required field %q", p)))
		}
		return out
	case *kind.Type:
		return diag.List{mk(ptr, src.Pos(ptr), fmt.Sprintf("wrong type: got %s, want %s", k.Got, strings.Join(k.Want, " or ")))}
	case *kind.Enum:
		return diag.List{mk(ptr, src.Pos(ptr), fmt.Sprintf("%s: got %s", e.ErrorKind.LocalizedString(printer), rejected(k.Got)))}
	case *kind.Const:
		return diag.List{mk(ptr, src.Pos(ptr), fmt.Sprintf("must be %s, got %s", display(k.Want), rejected(k.Got)))}
	case *kind.Pattern:
		return diag.List{mk(ptr, src.Pos(ptr), fmt.Sprintf("%s does not match the pattern %s", rejected(k.Got), k.Want))}
	}
	return diag.List{mk(ptr, src.Pos(ptr), e.ErrorKind.LocalizedString(printer))}
}

// rejected shows a value the schema refused by the rule every config error
// follows (shown): a string that is long or looks like a credential is
// described, not echoed, since a secret pasted into the wrong field must not
// land in a terminal or CI log.
func rejected(v any) string {
	if s, ok := v.(string); ok {
		if len(s) > maxShown || looksSecret(s) {
			return shown(s)
		}
	}
	return display(v)
}

func display(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// knownProps returns the property names the schema allows at an instance location.
func knownProps(loc []string) []string {
	node := resolveRef(schemaDoc)
	for _, seg := range loc {
		if node == nil {
			return nil
		}
		if _, err := strconv.Atoi(seg); err == nil {
			items, _ := node["items"].(map[string]any)
			node = resolveRef(items)
			continue
		}
		props, _ := node["properties"].(map[string]any)
		next, _ := props[seg].(map[string]any)
		node = resolveRef(next)
	}
	if node == nil {
		return nil
	}
	props, _ := node["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for n := range props {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func resolveRef(n map[string]any) map[string]any {
	for i := 0; n != nil && i < 8; i++ {
		ref, ok := n["$ref"].(string)
		if !ok {
			return n
		}
		name := strings.TrimPrefix(ref, "#/$defs/")
		defs, _ := schemaDoc["$defs"].(map[string]any)
		n, _ = defs[name].(map[string]any)
	}
	return n
}

// suggest returns the closest known name, if it is close enough to be a typo.
func suggest(got string, known []string) string {
	best, bestD := "", 1<<30
	for _, k := range known {
		d := levenshtein.Distance(strings.ToLower(got), strings.ToLower(k), nil)
		if d < bestD {
			best, bestD = k, d
		}
	}
	if best != "" && bestD <= max(2, len(got)/3) {
		return best
	}
	return ""
}
