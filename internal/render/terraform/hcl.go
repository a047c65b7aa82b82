// Package terraform emits the bundle's Terraform configuration. Each .tf file
// is a small tree (body, Expr) that write.go turns into bytes already in
// `terraform fmt` form, byte for byte what hclwrite's formatter makes of the
// same tree (write_test.go holds hclwrite as the oracle, on every committed
// bundle, a table of edge values and a fuzzer). User text can only enter the
// tree as a string: a literal (str, strTuple, strMap's values, a cty string
// through value) or a block label, which the writer always writes quoted and
// escaped as hclwrite does, so Velocity's "${" is written "$${" by
// construction; or an object key, written bare only when it is a valid HCL
// identifier (one token, no quote, no "$"), as hclwrite writes it, else
// quoted and escaped. Names, references and built-in expressions are bpgen's
// own text. Every cross-object value is a reference, so Terraform orders
// creation and destruction itself.
//
// dev.auto.tfvars (tfvars.go) is written from the same tree when there is no
// file before it or nobody edited it; merging a user's edited file stays on
// hclwrite, whose parser and formatter alone can carry their tokens over.
package terraform

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/bpgen/bpgen/internal/render/fileset"
)

// Header starts every generated .tf file. It carries no version, so upgrading
// bpgen does not make every bundle look stale.
const Header = fileset.GeneratedMark + " from bpgen.yaml. Do not edit: change bpgen.yaml and run `bpgen render`."

// body is the inside of a file or of a block: attributes, nested blocks,
// comment lines and blank lines, in the order they are written. An attribute
// set twice is written twice (hclwrite would replace it); the emitter never
// does that.
type body struct{ items []item }

type itemKind uint8

const (
	itemAttr    itemKind = iota // name = value
	itemBlock                   // name "label"... { body }
	itemComment                 // # name
	itemBlank                   // an empty line
)

type item struct {
	kind   itemKind
	name   string // attribute name, block type or comment text: bpgen's own, written as is
	labels []string
	value  Expr
	body   *body
}

func (b *body) attr(name string, v Expr) {
	b.items = append(b.items, item{kind: itemAttr, name: name, value: v})
}

// block appends a nested block; labels are user text and are written quoted
// and escaped.
func (b *body) block(typ string, labels ...string) *body {
	nb := &body{}
	b.items = append(b.items, item{kind: itemBlock, name: typ, labels: labels, body: nb})
	return nb
}

// comment appends one "# line" per line ("#" alone for an empty one). A
// comment is bpgen's own text and must be one line.
func (b *body) comment(lines ...string) {
	for _, l := range lines {
		if strings.ContainsAny(l, "\r\n") {
			panic(fmt.Sprintf("terraform: comment %q spans lines", l))
		}
		b.items = append(b.items, item{kind: itemComment, name: l})
	}
}

func (b *body) blank() { b.items = append(b.items, item{kind: itemBlank}) }

type file struct{ body }

func newFile(comment ...string) *file {
	f := &file{}
	f.comment(Header)
	f.comment(comment...)
	return f
}

// topBlock appends a top-level block, separated from the previous item by a
// blank line.
func (f *file) topBlock(typ string, labels ...string) *body {
	f.blank()
	return f.block(typ, labels...)
}

func (f *file) bytes() []byte { return write(&f.body) }

// Expr is a Terraform expression of one of the few forms the bundle uses.
// Only kString values, template suffixes and object keys may carry user
// text, and the writer escapes them; every other form holds syntax bpgen
// itself wrote.
type Expr struct {
	kind exprKind
	// text is the string (kString), the number or keyword as written
	// (kNumber, kKeyword), the traversal (kRef, kTemplate), the canonical
	// source (kSource) or the function name (kCall).
	text string
	// suffix is the literal text after the interpolation of a kTemplate.
	suffix string
	keys   []string // kObject, one per elem
	elems  []Expr   // kCall arguments, kTuple elements, kObject values
}

type exprKind uint8

const (
	kString   exprKind = iota // "text", escaped
	kNumber                   // 86400
	kKeyword                  // true, false, null
	kRef                      // local.division_id, a.b[0].c
	kSource                   // length(var.x) == 0: an expression bpgen authored
	kCall                     // name(elems...)
	kTuple                    // [elems...]
	kObject                   // { keys[i] = elems[i] ... }
	kTemplate                 // "${text}suffix"
)

func str(s string) Expr { return Expr{kind: kString, text: s} }

func boolean(b bool) Expr {
	if b {
		return Expr{kind: kKeyword, text: "true"}
	}
	return Expr{kind: kKeyword, text: "false"}
}

func number(n int64) Expr { return Expr{kind: kNumber, text: strconv.FormatInt(n, 10)} }

// ref builds a traversal such as genesyscloud_flow.bot.id or
// genesyscloud_integration.x.config[0].name from dotted parts ("[0]" for an
// index). The parts are addresses and keys bpgen chose, never user text.
func ref(parts ...string) Expr {
	var sb strings.Builder
	for i, p := range parts {
		if i > 0 && !strings.HasPrefix(p, "[") {
			sb.WriteByte('.')
		}
		sb.WriteString(p)
	}
	return Expr{kind: kRef, text: sb.String()}
}

func call(name string, args ...Expr) Expr { return Expr{kind: kCall, text: name, elems: args} }

func tuple(elems []Expr) Expr { return Expr{kind: kTuple, elems: elems} }

// object writes name = value pairs in the given key order.
func object(keys []string, vals map[string]Expr) Expr {
	elems := make([]Expr, len(keys))
	for i, k := range keys {
		elems[i] = vals[k]
	}
	return Expr{kind: kObject, keys: keys, elems: elems}
}

// template builds "${<ref>}<suffix>", the only interpolated string bpgen
// writes; the suffix is escaped like any literal.
func template(refParts []string, suffix string) Expr {
	return Expr{kind: kTemplate, text: ref(refParts...).text, suffix: suffix}
}

// expr is an expression bpgen itself authors (never user text), e.g.
// `length(var.x) == 0`, already written as hclwrite's formatter writes it:
// it is emitted as given. TestAuthoredExpressionsAreCanonical parses and
// formats every one the emitters write, for every committed config and the
// other branches; canonicalising them here instead cost more than the rest
// of a cold render of the .tf files (hclsyntax and hclwrite run cold once
// per expression).
func expr(src string) Expr { return Expr{kind: kSource, text: src} }

func strList(items []string) cty.Value {
	if len(items) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(items))
	for i, s := range items {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}

func strTuple(items []string) Expr {
	elems := make([]Expr, len(items))
	for i, s := range items {
		elems[i] = str(s)
	}
	return tuple(elems)
}

// strMap is a map(string) as hclwrite writes a cty map (see mapObject).
func strMap(m map[string]string) Expr {
	vals := make(map[string]Expr, len(m))
	for k, v := range m {
		vals[k] = str(v)
	}
	return mapObject(vals)
}

// mapObject is an object or map as cty holds it: keys NFC-normalised
// (cty.StringVal does that to every string) and in sort.Strings order. Two
// keys that normalise alike are one key, as in cty; the value of the one that
// sorts last before normalising is kept, so the output stays deterministic.
func mapObject(m map[string]Expr) Expr {
	keys := make([]string, 0, len(m))
	normal := true
	for k := range m {
		keys = append(keys, k)
		normal = normal && cty.NormalizeString(k) == k
	}
	if !normal {
		// The original key each normalised one takes its value from.
		from := make(map[string]string, len(m))
		for _, k := range keys {
			nk := cty.NormalizeString(k)
			if prev, dup := from[nk]; !dup || k > prev {
				from[nk] = k
			}
		}
		keys = keys[:0]
		for nk := range from {
			keys = append(keys, nk)
		}
		sort.Strings(keys)
		elems := make([]Expr, len(keys))
		for i, nk := range keys {
			elems[i] = m[from[nk]]
		}
		return Expr{kind: kObject, keys: keys, elems: elems}
	}
	sort.Strings(keys)
	elems := make([]Expr, len(keys))
	for i, k := range keys {
		elems[i] = m[k]
	}
	return Expr{kind: kObject, keys: keys, elems: elems}
}

// value turns a known cty value into the expression hclwrite.TokensForValue
// writes for it: elements in cty's iteration order (sorted keys for maps and
// objects), numbers in their shortest decimal form.
func value(v cty.Value) Expr {
	ty := v.Type()
	switch {
	case !v.IsKnown():
		panic("terraform: cannot write an unknown value")
	case v.IsNull():
		return Expr{kind: kKeyword, text: "null"}
	case ty == cty.Bool:
		return boolean(v.True())
	case ty == cty.Number:
		return Expr{kind: kNumber, text: v.AsBigFloat().Text('f', -1)}
	case ty == cty.String:
		return str(v.AsString())
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		elems := make([]Expr, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			elems = append(elems, value(e))
		}
		return tuple(elems)
	case ty.IsMapType() || ty.IsObjectType():
		n := v.LengthInt()
		out := Expr{kind: kObject, keys: make([]string, 0, n), elems: make([]Expr, 0, n)}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out.keys = append(out.keys, k.AsString())
			out.elems = append(out.elems, value(e))
		}
		return out
	}
	panic(fmt.Sprintf("terraform: cannot write a value of type %s", ty.FriendlyName()))
}

// appendComment is dev.auto.tfvars' comment line, on hclwrite.
func appendComment(b *hclwrite.Body, lines ...string) {
	for _, l := range lines {
		text := "#"
		if l != "" {
			text += " " + l
		}
		b.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(text + "\n")}})
	}
}
