package providerschema

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/bpgen/bpgen/internal/render/diag"
)

// Meta-arguments Terraform itself accepts on resources and data sources.
var metaAttrs = map[string]bool{"count": true, "for_each": true, "depends_on": true, "provider": true}

// CheckFile checks one .tf file against the schema.
func CheckFile(name string, src []byte) diag.List {
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	return CheckParsed(name, f, diags)
}

// CheckParsed is CheckFile on a file the caller has parsed already (with
// hclsyntax.ParseConfig), so a bundle check that reads the same file for
// other reasons parses it once.
func CheckParsed(name string, f *hcl.File, diags hcl.Diagnostics) diag.List {
	if diags.HasErrors() {
		return diag.List{{Pos: diag.Pos{File: name, Line: 1}, Severity: diag.Error, Rule: diag.UnknownAttribute, Message: "does not parse: " + diags.Error()}}
	}
	s := Load()
	var out diag.List
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		var schema Block
		var ok bool
		where := ""
		switch {
		case b.Type == "resource" && len(b.Labels) == 2:
			schema, ok = s.Resources[b.Labels[0]]
			where = b.Labels[0] + "." + b.Labels[1]
		case b.Type == "data" && len(b.Labels) == 2:
			schema, ok = s.DataSources[b.Labels[0]]
			where = "data." + b.Labels[0] + "." + b.Labels[1]
		case b.Type == "provider" && len(b.Labels) == 1 && b.Labels[0] == "genesyscloud":
			schema, ok, where = s.Provider, true, "provider.genesyscloud"
		default:
			continue
		}
		if !ok {
			out = append(out, d(name, b.TypeRange, diag.UnknownResource, where, fmt.Sprintf("%s %q is not in provider 1.82.0 (or not one bpgen checks)", b.Type, b.Labels[0])))
			continue
		}
		out = append(out, checkBody(name, where, b.Body, schema, true)...)
	}
	return out
}

func d(file string, r hcl.Range, rule diag.Rule, field, msg string) diag.Diagnostic {
	return diag.Diagnostic{Pos: diag.Pos{File: file, Line: r.Start.Line, Col: r.Start.Column}, Severity: diag.Error, Rule: rule, Field: field, Message: msg}
}

func checkBody(file, where string, body *hclsyntax.Body, schema Block, top bool) diag.List {
	var out diag.List
	for _, name := range sortedAttrs(body) {
		a := body.Attributes[name]
		if top && metaAttrs[name] {
			continue
		}
		sa, ok := schema.Attributes[name]
		switch {
		case !ok:
			out = append(out, d(file, a.NameRange, diag.UnknownAttribute, where+"."+name, "the provider has no attribute "+name+" here"))
		case sa.ComputedOnly():
			out = append(out, d(file, a.NameRange, diag.ComputedOnly, where+"."+name, name+" is computed by the provider and cannot be set"))
		}
	}
	// Findings at the body's position go in name order (the final sort
	// keeps the order of findings at one position).
	var missing []string
	for an, sa := range schema.Attributes {
		if sa.Required {
			if _, ok := body.Attributes[an]; !ok {
				missing = append(missing, an)
			}
		}
	}
	sort.Strings(missing)
	for _, an := range missing {
		out = append(out, d(file, body.SrcRange, diag.MissingRequired, where, "required attribute "+an+" is not set"))
	}
	counts := map[string]int{}
	dynamic := map[string]bool{}
	for _, b := range body.Blocks {
		typ, content := b.Type, b.Body
		if top && b.Type == "lifecycle" {
			continue
		}
		if b.Type == "dynamic" && len(b.Labels) == 1 {
			typ = b.Labels[0]
			dynamic[typ] = true
			for _, inner := range b.Body.Blocks {
				if inner.Type == "content" {
					content = inner.Body
				}
			}
		}
		nb, ok := schema.Blocks[typ]
		if !ok {
			out = append(out, d(file, b.TypeRange, diag.UnknownAttribute, where+"."+typ, "the provider has no block "+typ+" here"))
			continue
		}
		counts[typ]++
		out = append(out, checkBody(file, where+"."+typ, content, nb.Block, false)...)
	}
	var miscounted []string
	for name, nb := range schema.Blocks {
		if n := counts[name]; nb.MinItems > 0 && n < nb.MinItems && !dynamic[name] || nb.MaxItems > 0 && n > nb.MaxItems {
			miscounted = append(miscounted, name)
		}
	}
	sort.Strings(miscounted)
	for _, name := range miscounted {
		nb, n := schema.Blocks[name], counts[name]
		if nb.MinItems > 0 && n < nb.MinItems && !dynamic[name] {
			out = append(out, d(file, body.SrcRange, diag.BlockCount, where, fmt.Sprintf("block %s needs at least %d", name, nb.MinItems)))
		}
		if nb.MaxItems > 0 && n > nb.MaxItems {
			out = append(out, d(file, body.SrcRange, diag.BlockCount, where, fmt.Sprintf("block %s allows at most %d", name, nb.MaxItems)))
		}
	}
	return out
}

func sortedAttrs(b *hclsyntax.Body) []string {
	names := make([]string, 0, len(b.Attributes))
	for n := range b.Attributes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
