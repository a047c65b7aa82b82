package terraform

import (
	"bytes"
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
//
// With no previous file, or one that is byte for byte what this render would
// write from nothing (a file nobody edited), the file is built as a tree for
// the direct writer; merging a user's file needs hclwrite's tokens and
// formatter. TestFreshTfvarsMatchesTheMerge holds the two to each other.
func Tfvars(m *model.Model, prev []byte) ([]byte, []Note, error) {
	vars := Variables(m)
	fresh := &file{}
	buildTfvars(vars, nil, nil, treeSink{&fresh.body})
	out := fresh.bytes()
	if len(prev) == 0 || bytes.Equal(prev, out) {
		return out, nil, nil
	}
	return mergeTfvars(vars, prev)
}

// mergeTfvars is Tfvars on a file the user may have edited.
func mergeTfvars(vars []Variable, prev []byte) ([]byte, []Note, error) {
	kept := map[string]hclwrite.Tokens{}
	var order []string
	pf, diags := hclwrite.ParseConfig(prev, TfvarsPath, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, nil, fmt.Errorf("%s: cannot keep your values, the file does not parse: %s", TfvarsPath, diags.Error())
	}
	for name, a := range pf.Body().Attributes() {
		kept[name] = a.Expr().BuildTokens(nil)
		order = append(order, name)
	}
	sort.Strings(order)
	f := hclwrite.NewEmptyFile()
	notes := buildTfvars(vars, kept, order, hclSink{f.Body()})
	return f.Bytes(), notes, nil // File.Bytes formats
}

// tfvarsSink is where buildTfvars writes: a tree for the direct writer, or
// an hclwrite body that can carry a user's tokens over.
type tfvarsSink interface {
	comment(lines ...string)
	blank()
	value(name string, v cty.Value)
	kept(name string, toks hclwrite.Tokens)
}

type treeSink struct{ b *body }

func (t treeSink) comment(lines ...string)        { t.b.comment(lines...) }
func (t treeSink) blank()                         { t.b.blank() }
func (t treeSink) value(name string, v cty.Value) { t.b.attr(name, value(v)) }
func (t treeSink) kept(string, hclwrite.Tokens) {
	panic("terraform: a kept value needs the hclwrite merge")
}

type hclSink struct{ b *hclwrite.Body }

func (h hclSink) comment(lines ...string)                { appendComment(h.b, lines...) }
func (h hclSink) blank()                                 { h.b.AppendNewline() }
func (h hclSink) value(name string, v cty.Value)         { h.b.SetAttributeValue(name, v) }
func (h hclSink) kept(name string, toks hclwrite.Tokens) { h.b.SetAttributeRaw(name, toks) }

// buildTfvars writes the file's items: kept holds the user's values (by
// name, names in order), none for a file from nothing.
func buildTfvars(vars []Variable, kept map[string]hclwrite.Tokens, order []string, out tfvarsSink) []Note {
	declared := map[string]Variable{}
	for _, v := range vars {
		declared[v.Name] = v
	}
	var notes []Note
	out.comment(
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
		out.comment("Set before apply:")
		for _, s := range secrets {
			out.comment("  export TF_VAR_" + s + "=...")
		}
	}
	for _, v := range vars {
		if !v.InTfvars() {
			if _, ok := kept[v.Name]; ok {
				notes = append(notes, Note(fmt.Sprintf("%s: dropped the value of %s: it is a secret; pass it as TF_VAR_%s instead", TfvarsPath, v.Name, v.Name)))
			}
			continue
		}
		out.blank()
		out.comment(v.Description)
		if toks, ok := kept[v.Name]; ok {
			// A required value still at its empty placeholder keeps its
			// "Required" line, so a re-render of render's own output is
			// byte-identical (render --check right after render is clean).
			if v.Default == cty.NilVal && strings.TrimSpace(string(toks.Bytes())) == `""` {
				out.comment(requiredComment(v))
			}
			out.kept(v.Name, toks)
			continue
		}
		switch {
		case v.Default != cty.NilVal:
			out.value(v.Name, v.Default)
		default:
			out.comment(requiredComment(v))
			out.value(v.Name, cty.StringVal(""))
		}
	}
	var unknown []string
	for _, name := range order {
		if _, ok := declared[name]; !ok {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) > 0 {
		out.blank()
		out.comment("Kept from your file; bpgen no longer declares these variables.")
		for _, name := range unknown {
			out.kept(name, kept[name])
			notes = append(notes, Note(fmt.Sprintf("%s: kept %s, which the bundle no longer declares; remove it if it is unused", TfvarsPath, name)))
		}
	}
	return notes
}

func requiredComment(v Variable) string { return "Required: set it (e.g. " + v.Example + ")." }
