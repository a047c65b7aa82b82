package vet

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/bpgen/bpgen/internal/contract"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/format/hclparse"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/render/diag"
)

// parsedTF is one .tf file of the bundle, parsed once for every check that reads it.
type parsedTF struct {
	file  *hcl.File
	diags hcl.Diagnostics
}

// parseTF reads with hclparse: hclsyntax's own tree, without its
// per-token grapheme segmentation, for the files bpgen renders.
func parseTF(path string, src []byte) parsedTF {
	f, diags := hclparse.ParseConfig(src, path, hcl.InitialPos)
	return parsedTF{f, diags}
}

// tfResources returns the resource blocks of type typ of the Terraform file
// at path: nothing when the bundle has no such file, a diagnostic when it
// does not parse.
func (b *bundleView) tfResources(path, typ string) ([]*hclsyntax.Block, diag.List) {
	p, ok := b.tf[path]
	if !ok {
		return nil, nil
	}
	if p.diags.HasErrors() {
		return nil, diag.List{errAt(path, 1, 1, diag.Substitution, "", "does not parse: "+p.diags.Error())}
	}
	var out []*hclsyntax.Block
	for _, blk := range p.file.Body.(*hclsyntax.Body).Blocks {
		if blk.Type == "resource" && len(blk.Labels) == 2 && blk.Labels[0] == typ {
			out = append(out, blk)
		}
	}
	return out, nil
}

// checkSubstitutions: every {{key}} in a flow file has a substitution in its
// genesyscloud_flow resource, and every substitution is used.
func (b *bundleView) checkSubstitutions() diag.List {
	const path = contract.TerraformFlows
	blocks, ds := b.tfResources(path, "genesyscloud_flow")
	for _, r := range blocks {
		where := "genesyscloud_flow." + r.Labels[1]
		o := b.man.Object(contract.ObjectID(contract.KindFlow, r.Labels[1]))
		if o == nil {
			ds = append(ds, errAt(path, r.DefRange().Start.Line, r.DefRange().Start.Column, diag.Substitution, where, "the manifest has no such flow"))
			continue
		}
		fp, ok := r.Body.Attributes["filepath"]
		if !ok || !strings.HasSuffix(string(fp.Expr.Range().SliceBytes(b.files[path])), "/../"+o.File+`"`) {
			ds = append(ds, errAt(path, r.DefRange().Start.Line, r.DefRange().Start.Column, diag.Substitution, where, "filepath does not point at "+o.File))
		}
		subs := map[string]bool{}
		pos := r.DefRange().Start
		if a, ok := r.Body.Attributes["substitutions"]; ok {
			pos = a.NameRange.Start
			if obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr); ok {
				for _, it := range obj.Items {
					if k, diags := it.KeyExpr.Value(nil); !diags.HasErrors() && k.Type() == cty.String {
						subs[k.AsString()] = true
					}
				}
			}
		}
		used := map[string]bool{}
		for _, k := range manifest.Placeholders(b.files[o.File]) {
			used[k] = true
		}
		for _, k := range slices.Sorted(maps.Keys(used)) {
			if !subs[k] {
				ds = append(ds, errAt(o.File, 0, 0, diag.Substitution, "", fmt.Sprintf("placeholder {{%s}} has no substitution in %s (Archy would fail the publish)", k, where)))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(subs)) {
			if !used[k] {
				ds = append(ds, errAt(path, pos.Line, pos.Column, diag.Substitution, where, fmt.Sprintf("substitution %q is not used by %s", k, o.File)))
			}
		}
	}
	return ds
}

var evalCtx = &hcl.EvalContext{Functions: map[string]function.Function{"jsonencode": stdlib.JSONEncodeFunc}}

// checkExportsAgainstTerraform: the UI-import JSON and the Terraform carry the
// same names and templates, so the two deployment paths are interchangeable.
func (b *bundleView) checkExportsAgainstTerraform() diag.List {
	const path = contract.TerraformActions
	blocks, ds := b.tfResources(path, "genesyscloud_integration_action")
	for _, r := range blocks {
		key := r.Labels[1]
		o := b.man.Object(contract.ObjectID(contract.KindDataAction, key))
		if o == nil {
			ds = append(ds, errAt(path, r.DefRange().Start.Line, 0, diag.ExportMismatch, "", "the manifest has no data action "+key))
			continue
		}
		exp, ok := b.exports[o.File]
		if !ok {
			continue // reported by loadActions
		}
		tf := fmtda.Action{Name: str(r.Body, "name"), Secure: boolean(r.Body, "secure")}
		tf.Config.TimeoutSeconds = integer(r.Body, "config_timeout_seconds")
		if rq := block(r.Body, "config_request"); rq != nil {
			tf.Config.Request = fmtda.Request{RequestURLTemplate: str(rq, "request_url_template"), RequestType: str(rq, "request_type"),
				RequestTemplate: str(rq, "request_template"), Headers: strMap(rq, "headers")}
		}
		if rs := block(r.Body, "config_response"); rs != nil {
			tf.Config.Response = fmtda.Response{TranslationMap: strMap(rs, "translation_map"), TranslationMapDefaults: strMap(rs, "translation_map_defaults"),
				SuccessTemplate: str(rs, "success_template")}
		}
		line := r.DefRange().Start.Line
		mismatch := func(what string) {
			ds = append(ds, errAt(path, line, 0, diag.ExportMismatch, "genesyscloud_integration_action."+key, what+" differs from "+o.File))
		}
		if tf.Name != exp.Name {
			mismatch("name")
		}
		if str(r.Body, "category") != o.Category {
			ds = append(ds, errAt(path, line, 0, diag.ExportMismatch, "genesyscloud_integration_action."+key, "category differs from the manifest"))
		}
		if tf.Secure != exp.Secure || tf.Config.TimeoutSeconds != exp.Config.TimeoutSeconds {
			mismatch("secure or timeout")
		}
		if !reflect.DeepEqual(tf.Config.Request, exp.Config.Request) {
			mismatch("config_request (after Terraform unescapes $${)")
		}
		if !reflect.DeepEqual(tf.Config.Response, exp.Config.Response) {
			mismatch("config_response (after Terraform unescapes $${)")
		}
		if !sameContract(r.Body, "contract_input", exp.Contract.Input.InputSchema) {
			mismatch("contract_input")
		}
		if !sameContract(r.Body, "contract_output", exp.Contract.Output.SuccessSchema) {
			mismatch("contract_output")
		}
	}
	return ds
}

func value(body *hclsyntax.Body, name string) cty.Value {
	a, ok := body.Attributes[name]
	if !ok {
		return cty.NilVal
	}
	// A quoted string without interpolation is its literal, the string
	// TemplateExpr.Value would build again from it.
	if t, ok := a.Expr.(*hclsyntax.TemplateExpr); ok && t.IsStringLiteral() {
		if v := t.Parts[0].(*hclsyntax.LiteralValueExpr).Val; v.Type() == cty.String && v.IsKnown() && !v.IsNull() && !v.IsMarked() {
			return v
		}
	}
	v, diags := a.Expr.Value(evalCtx)
	if diags.HasErrors() {
		return cty.NilVal
	}
	return v
}

func str(body *hclsyntax.Body, name string) string {
	v := value(body, name)
	if v == cty.NilVal || v.IsNull() || !v.Type().Equals(cty.String) {
		return ""
	}
	return v.AsString()
}

func boolean(body *hclsyntax.Body, name string) bool {
	v := value(body, name)
	return v != cty.NilVal && v.Type().Equals(cty.Bool) && v.True()
}

func integer(body *hclsyntax.Body, name string) int {
	v := value(body, name)
	if v == cty.NilVal || !v.Type().Equals(cty.Number) {
		return 0
	}
	i, _ := v.AsBigFloat().Int64()
	return int(i)
}

func strMap(body *hclsyntax.Body, name string) map[string]string {
	out := map[string]string{}
	if a, ok := body.Attributes[name]; ok {
		if m, ok := literalJSON(a.Expr); ok {
			// The object's string attributes, as AsValueMap gives them below.
			if m, ok := m.(map[string]any); ok {
				for k, e := range m {
					if s, ok := e.(string); ok {
						out[k] = s
					}
				}
				return out
			}
		}
	}
	v := value(body, name)
	if v == cty.NilVal || v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
		return out
	}
	for k, e := range v.AsValueMap() {
		if e.Type().Equals(cty.String) {
			out[k] = e.AsString()
		}
	}
	return out
}

func block(body *hclsyntax.Body, typ string) *hclsyntax.Body {
	for _, b := range body.Blocks {
		if b.Type == typ {
			return b.Body
		}
	}
	return nil
}

// sameContract compares a contract attribute, jsonencode({...}) of literals
// in what bpgen renders, with the export's JSON schema: the literals read
// as the values json.Unmarshal would give for the jsonencode text, without
// evaluating them through cty and encoding and decoding them again.
func sameContract(body *hclsyntax.Body, name string, exp json.RawMessage) bool {
	if a, ok := body.Attributes[name]; ok {
		if c, ok := a.Expr.(*hclsyntax.FunctionCallExpr); ok && c.Name == "jsonencode" && len(c.Args) == 1 && !c.ExpandFinal {
			if x, ok := literalJSON(c.Args[0]); ok {
				var y any
				// The text jsonencode would give decodes to x, so it
				// equals exp's bytes only when x equals exp's value:
				// sameJSON's comparison, without the bytes.
				return json.Unmarshal(exp, &y) == nil && jsonEqual(x, y)
			}
		}
	}
	return sameJSON(str(body, name), exp)
}

// literalJSON returns what json.Unmarshal gives (map[string]any, []any,
// string, float64, bool) for jsonencode(e), when e is made only of objects
// with plain ASCII names or literal string keys, tuples, strings without
// interpolation, non-negative numbers and booleans; ok is false for
// anything else (null, references, calls, operators), which is evaluated.
//
// The steps it skips: hclsyntax keeps the last of duplicate keys, as the
// map does; cty holds strings in NFC, as a literal's value already is (an
// ASCII name is its own NFC); cty's marshaller writes a string with
// encoding/json (see encodesApart for the strings left to evaluation) and
// a number as AsBigFloat().Text('f', -1), which json.Unmarshal reads with
// strconv.ParseFloat.
func literalJSON(e hclsyntax.Expression) (any, bool) {
	switch e := e.(type) {
	case *hclsyntax.ObjectConsExpr:
		m := make(map[string]any, len(e.Items))
		for _, it := range e.Items {
			k, ok := literalKey(it.KeyExpr)
			if !ok {
				return nil, false
			}
			v, ok := literalJSON(it.ValueExpr)
			if !ok {
				return nil, false
			}
			m[k] = v
		}
		return m, true
	case *hclsyntax.TupleConsExpr:
		l := make([]any, len(e.Exprs))
		for i, x := range e.Exprs {
			v, ok := literalJSON(x)
			if !ok {
				return nil, false
			}
			l[i] = v
		}
		return l, true
	case *hclsyntax.TemplateExpr:
		if e.IsStringLiteral() {
			return literalJSON(e.Parts[0])
		}
	case *hclsyntax.LiteralValueExpr:
		v := e.Val
		if !v.IsKnown() || v.IsNull() || v.IsMarked() {
			return nil, false
		}
		switch v.Type() {
		case cty.String:
			if s := v.AsString(); encodesApart(s) {
				return s, true
			}
		case cty.Bool:
			return v.True(), true
		case cty.Number:
			if bf := v.AsBigFloat(); !bf.IsInf() {
				if f, err := strconv.ParseFloat(bf.Text('f', -1), 64); err == nil {
					return f, true
				}
			}
		}
	}
	return nil, false
}

// encodesApart reports whether s comes back unchanged from the text cty's
// jsonencode makes of it, as it does unless s is invalid UTF-8 (written as
// U+FFFD) or has a character encoding/json escapes followed by a non-ASCII
// one: the escape ends in a letter or digit (\n, \u003c), which cty's NFC
// normalisation of the whole text might compose with a combining mark.
func encodesApart(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	escaped := false
	for _, r := range s {
		if escaped && r >= utf8.RuneSelf {
			return false
		}
		escaped = r < 0x20 || r == '"' || r == '\\' || r == '<' || r == '>' || r == '&' || r == '\u2028' || r == '\u2029'
	}
	return true
}

// literalKey is an object key's string, as ObjectConsKeyExpr.Value gives it,
// for a plain ASCII name (a one-step traversal) or a literal string.
func literalKey(k hclsyntax.Expression) (string, bool) {
	key, ok := k.(*hclsyntax.ObjectConsKeyExpr)
	if !ok {
		return "", false
	}
	switch w := key.Wrapped.(type) {
	case *hclsyntax.ScopeTraversalExpr:
		if key.ForceNonLiteral || len(w.Traversal) != 1 {
			return "", false
		}
		name := w.Traversal.RootName()
		for i := 0; i < len(name); i++ {
			if name[i] >= utf8.RuneSelf {
				return "", false
			}
		}
		return name, encodesApart(name)
	case *hclsyntax.TemplateExpr:
		if s, ok := literalJSON(w); ok {
			s, ok := s.(string)
			return s, ok
		}
	}
	return "", false
}

// jsonEqual is reflect.DeepEqual on values json.Unmarshal gives: it never
// gives a nil map or slice, so comparing their contents is the same.
func jsonEqual(x, y any) bool {
	switch x := x.(type) {
	case map[string]any:
		y, ok := y.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			if yv, ok := y[k]; !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := y.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return x == y // nil, bool, float64 or string
}

func sameJSON(a string, b json.RawMessage) bool {
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal(b, &y) != nil {
		return false
	}
	return reflect.DeepEqual(x, y) || bytes.Equal([]byte(a), b)
}
