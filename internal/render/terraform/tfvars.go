package terraform

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/render/model"
)

// TfvarsPath is the one file users edit.
const TfvarsPath = contract.TerraformTfvars

// Note is something render tells the user about dev.auto.tfvars. It never
// contains a value: a note may be about a secret.
type Note string

// Tfvars renders dev.auto.tfvars. prev is the file already on disk (nil when
// there is none): a value the user set for a variable bpgen still declares is
// kept exactly as written, entries bpgen does not declare are kept at the end,
// and values of sensitive variables are dropped, so a secret typed into the
// file by mistake does not survive the next render. Only comments and the set
// of variables follow the config.
func Tfvars(m *model.Model, prev []byte) ([]byte, []Note, error) {
	kept := map[string]hclwrite.Tokens{}
	var order []string
	if len(prev) > 0 {
		pf, diags := hclwrite.ParseConfig(prev, TfvarsPath, hcl.InitialPos)
		if diags.HasErrors() {
			return nil, nil, fmt.Errorf("%s: cannot keep your values, the file does not parse: %s", TfvarsPath, diags.Error())
		}
		attrs := pf.Body().Attributes()
		for name, a := range attrs {
			kept[name] = a.Expr().BuildTokens(nil)
			order = append(order, name)
		}
		sort.Strings(order)
	}
	vars := Variables(m)
	declared := map[string]Variable{}
	for _, v := range vars {
		declared[v.Name] = v
	}
	var notes []Note
	f := hclwrite.NewEmptyFile()
	b := f.Body()
	appendComment(b,
		"Values for this environment: the one file to edit before `terraform apply`.",
		"`bpgen render` keeps every value set here and only rewrites the comments.",
		"Never put a secret here: sensitive variables are read from the environment.",
	)
	var secrets []string
	for _, v := range vars {
		if v.Sensitive {
			secrets = append(secrets, v.Name)
		}
	}
	if len(secrets) > 0 {
		appendComment(b, "Set before apply:")
		for _, s := range secrets {
			appendComment(b, "  export TF_VAR_"+s+"=...")
		}
	}
	for _, v := range vars {
		if !v.InTfvars() {
			if _, ok := kept[v.Name]; ok {
				notes = append(notes, Note(fmt.Sprintf("%s: dropped the value of %s: it is a secret; pass it as TF_VAR_%s instead", TfvarsPath, v.Name, v.Name)))
			}
			continue
		}
		b.AppendNewline()
		appendComment(b, v.Description)
		if toks, ok := kept[v.Name]; ok {
			// A required value still at its empty placeholder keeps its
			// "Required" line, so a re-render of render's own output is
			// byte-identical (render --check right after render is clean).
			if v.Default == cty.NilVal && strings.TrimSpace(string(toks.Bytes())) == `""` {
				appendComment(b, requiredComment(v))
			}
			b.SetAttributeRaw(v.Name, toks)
			continue
		}
		switch {
		case v.Default != cty.NilVal:
			b.SetAttributeValue(v.Name, v.Default)
		default:
			appendComment(b, requiredComment(v))
			b.SetAttributeValue(v.Name, cty.StringVal(""))
		}
	}
	var unknown []string
	for _, name := range order {
		if _, ok := declared[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		b.AppendNewline()
		appendComment(b, "Kept from your file; bpgen no longer declares these variables.")
		for _, name := range unknown {
			b.SetAttributeRaw(name, kept[name])
			notes = append(notes, Note(fmt.Sprintf("%s: kept %s, which the bundle no longer declares; remove it if it is unused", TfvarsPath, name)))
		}
	}
	return f.Bytes(), notes, nil // File.Bytes formats
}

func requiredComment(v Variable) string { return "Required: set it (e.g. " + v.Example + ")." }
