// Package terraform emits the bundle's Terraform configuration with hclwrite:
// user text always goes through cty values (so Velocity's "${" is escaped to
// "$${" by construction), and every cross-object value is a reference, so
// Terraform orders creation and destruction itself.
package terraform

import (
	"fmt"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/bpgen/bpgen/internal/render/fileset"
)

// Header starts every generated .tf file. It carries no version, so upgrading
// bpgen does not make every bundle look stale.
const Header = fileset.GeneratedMark + " from bpgen.yaml. Do not edit: change bpgen.yaml and run `bpgen render`."

type file struct {
	f    *hclwrite.File
	body *hclwrite.Body
}

func newFile(comment ...string) *file {
	f := hclwrite.NewEmptyFile()
	out := &file{f: f, body: f.Body()}
	out.comment(append([]string{Header}, comment...)...)
	return out
}

func (f *file) comment(lines ...string) { appendComment(f.body, lines...) }

func appendComment(b *hclwrite.Body, lines ...string) {
	for _, l := range lines {
		text := "#"
		if l != "" {
			text += " " + l
		}
		b.AppendUnstructuredTokens(hclwrite.Tokens{{Type: hclsyntax.TokenComment, Bytes: []byte(text + "\n")}})
	}
}

// block appends a top-level block, separated from the previous one by a blank line.
func (f *file) block(typ string, labels ...string) *hclwrite.Body {
	f.body.AppendNewline()
	return f.body.AppendNewBlock(typ, labels).Body()
}

// bytes returns the file formatted: hclwrite's File.Bytes already runs its
// formatter over the tokens, so a second hclwrite.Format pass would only
// re-lex identical bytes.
func (f *file) bytes() []byte { return f.f.Bytes() }

// ref builds a traversal such as genesyscloud_flow.bot.id or
// genesyscloud_integration.x.config[0].name from dotted parts ("[0]" for an index).
func ref(parts ...string) hclwrite.Tokens {
	var tr hcl.Traversal
	for i, p := range parts {
		switch {
		case i == 0:
			tr = append(tr, hcl.TraverseRoot{Name: p})
		case strings.HasPrefix(p, "["):
			var n int
			fmt.Sscanf(p, "[%d]", &n)
			tr = append(tr, hcl.TraverseIndex{Key: cty.NumberIntVal(int64(n))})
		default:
			tr = append(tr, hcl.TraverseAttr{Name: p})
		}
	}
	return hclwrite.TokensForTraversal(tr)
}

func call(name string, args ...hclwrite.Tokens) hclwrite.Tokens {
	return hclwrite.TokensForFunctionCall(name, args...)
}

func val(v cty.Value) hclwrite.Tokens { return hclwrite.TokensForValue(v) }

func str(s string) hclwrite.Tokens { return val(cty.StringVal(s)) }

// expr parses an expression bpgen itself authors (never user text), e.g.
// `length(var.x) == 0`, so it is written exactly as a person would.
// Each is parsed once per process: the same few expressions recur in every
// variable's validation, and parsing was most of what writing them cost.
func expr(src string) hclwrite.Tokens {
	exprMu.Lock()
	toks, ok := exprCache[src]
	if !ok {
		f, diags := hclwrite.ParseConfig([]byte("x = "+src+"\n"), "expr", hcl.InitialPos)
		if diags.HasErrors() {
			exprMu.Unlock()
			panic(fmt.Sprintf("terraform: bad built-in expression %q: %s", src, diags))
		}
		toks = f.Body().GetAttribute("x").Expr().BuildTokens(nil)
		exprCache[src] = toks
	}
	exprMu.Unlock()
	// Fresh tokens each time: formatting a file sets their spacing in place.
	out := make(hclwrite.Tokens, len(toks))
	for i, t := range toks {
		c := *t
		out[i] = &c
	}
	return out
}

var (
	exprMu    sync.Mutex
	exprCache = map[string]hclwrite.Tokens{}
)

// template builds "${<ref>}<suffix>", the only interpolated string bpgen writes.
func template(refParts []string, suffix string) hclwrite.Tokens {
	toks := hclwrite.Tokens{
		{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)},
		{Type: hclsyntax.TokenTemplateInterp, Bytes: []byte(`${`)},
	}
	toks = append(toks, ref(refParts...)...)
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenTemplateSeqEnd, Bytes: []byte(`}`)})
	// The suffix is a path bpgen chose (no "${"), so it needs no escaping beyond quotes.
	toks = append(toks,
		&hclwrite.Token{Type: hclsyntax.TokenQuotedLit, Bytes: []byte(suffix)},
		&hclwrite.Token{Type: hclsyntax.TokenCQuote, Bytes: []byte(`"`)},
	)
	return toks
}

// object writes a map of name = tokens in the given key order.
func object(keys []string, vals map[string]hclwrite.Tokens) hclwrite.Tokens {
	items := make([]hclwrite.ObjectAttrTokens, 0, len(keys))
	for _, k := range keys {
		items = append(items, hclwrite.ObjectAttrTokens{Name: hclwrite.TokensForIdentifier(k), Value: vals[k]})
	}
	return hclwrite.TokensForObject(items)
}

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

func strMap(m map[string]string) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	vals := make(map[string]cty.Value, len(m))
	for k, v := range m {
		vals[k] = cty.StringVal(v)
	}
	return cty.MapVal(vals)
}
