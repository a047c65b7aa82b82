package deploy

import (
	"fmt"
	"io/fs"
	"math/big"
	"path/filepath"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// module is the bundle's terraform/ directory, read just enough to apply it
// the way Terraform would: the input variables (declared defaults, then
// *.auto.tfvars, then Options.Vars, like TF_VAR_*) and the literal settings
// of each resource (descriptions, permission policies, allowed domains…).
// Attributes that reference other resources are not evaluated; the
// manifest says how objects are wired, and Apply wires them from it.
type module struct {
	resources map[string]*hclsyntax.Body // "type.name" → body
	declared  map[string]variable
	vars      map[string]cty.Value
	ctx       *hcl.EvalContext
}

// bodyRef is a resource body; nil when the object is not a resource (a
// data source or a variable) or the bundle has no such block.
type bodyRef = *hclsyntax.Body

type variable struct {
	name        string
	isString    bool // type = string: Options.Vars values are taken literally
	sensitive   bool
	validations []validation
}

// validation is a variable's validation block.
type validation struct {
	condition hcl.Expression
	message   string
}

// loadModule reads terraform/ of the bundle in fsys; dir prefixes the file
// names in messages (the bundle directory, "" for an in-memory bundle).
func loadModule(fsys fs.FS, dir string, overrides map[string]string) (*module, error) {
	m := &module{resources: map[string]*hclsyntax.Body{}, declared: map[string]variable{}, vars: map[string]cty.Value{}}
	tfDir := "terraform"
	files, err := fs.Glob(fsys, tfDir+"/*.tf")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no Terraform files in %s", filepath.Join(dir, tfDir))
	}
	sort.Strings(files)
	for _, f := range files {
		body, err := parseFile(fsys, dir, f)
		if err != nil {
			return nil, err
		}
		for _, b := range body.Blocks {
			switch {
			case b.Type == "resource" && len(b.Labels) == 2:
				m.resources[b.Labels[0]+"."+b.Labels[1]] = b.Body
			case b.Type == "variable" && len(b.Labels) == 1:
				if err := m.declare(b); err != nil {
					return nil, fmt.Errorf("%s: %w", filepath.Join(dir, f), err)
				}
			}
		}
	}
	tfvars, err := fs.Glob(fsys, tfDir+"/*.auto.tfvars")
	if err != nil {
		return nil, err
	}
	if _, err := fs.Stat(fsys, tfDir+"/terraform.tfvars"); err == nil {
		tfvars = append([]string{tfDir + "/terraform.tfvars"}, tfvars...)
	}
	for _, f := range tfvars {
		body, err := parseFile(fsys, dir, f)
		if err != nil {
			return nil, err
		}
		f = filepath.Join(dir, f)
		attrs, diags := body.JustAttributes()
		if diags.HasErrors() {
			return nil, fmt.Errorf("%s: %s", f, diags.Error())
		}
		for name, a := range attrs {
			if _, ok := m.declared[name]; !ok {
				continue // Terraform warns about undeclared values and ignores them
			}
			v, diags := a.Expr.Value(nil)
			if diags.HasErrors() {
				return nil, fmt.Errorf("%s: %s", f, diags.Error())
			}
			m.vars[name] = v
		}
	}
	for name, raw := range overrides {
		d, ok := m.declared[name]
		if !ok {
			return nil, fmt.Errorf("Options.Vars: the bundle declares no variable %q", name)
		}
		if d.isString {
			m.vars[name] = cty.StringVal(raw)
			continue
		}
		expr, diags := hclsyntax.ParseExpression([]byte(raw), "Options.Vars["+name+"]", hcl.InitialPos)
		if diags.HasErrors() {
			return nil, fmt.Errorf("Options.Vars[%q]: %s", name, diags.Error())
		}
		v, diags := expr.Value(nil)
		if diags.HasErrors() {
			return nil, fmt.Errorf("Options.Vars[%q]: %s", name, diags.Error())
		}
		m.vars[name] = v
	}
	m.refreshContext()
	return m, nil
}

func parseFile(fsys fs.FS, dir, name string) (*hclsyntax.Body, error) {
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, name)
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s", diags.Error())
	}
	return f.Body.(*hclsyntax.Body), nil
}

func (m *module) declare(b *hclsyntax.Block) error {
	v := variable{name: b.Labels[0], isString: true}
	if t, ok := b.Body.Attributes["type"]; ok {
		v.isString = hcl.ExprAsKeyword(t.Expr) == "string"
	}
	if s, ok := b.Body.Attributes["sensitive"]; ok {
		sv, diags := s.Expr.Value(nil)
		v.sensitive = !diags.HasErrors() && sv.Type() == cty.Bool && sv.True()
	}
	for _, vb := range blocks(b.Body, "validation") {
		c, ok := vb.Attributes["condition"]
		if !ok {
			continue
		}
		msg := "invalid value"
		if em, ok := vb.Attributes["error_message"]; ok {
			if mv, diags := em.Expr.Value(nil); !diags.HasErrors() && mv.Type() == cty.String {
				msg = mv.AsString()
			}
		}
		v.validations = append(v.validations, validation{condition: c.Expr, message: msg})
	}
	m.declared[v.name] = v
	if d, ok := b.Body.Attributes["default"]; ok {
		val, diags := d.Expr.Value(nil)
		if diags.HasErrors() {
			return fmt.Errorf("variable %q default: %s", v.name, diags.Error())
		}
		m.vars[v.name] = val
	}
	return nil
}

// missing lists the declared variables that have no value, sorted.
func (m *module) missing() []string {
	var out []string
	for name := range m.declared {
		if _, ok := m.vars[name]; !ok {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// invalid returns the error message of the first validation block a set
// variable fails, or "". A condition the emulator cannot evaluate (a
// function it does not provide) is skipped: it is Terraform's to check.
func (m *module) invalid(name string) string {
	if _, ok := m.vars[name]; !ok {
		return ""
	}
	for _, v := range m.declared[name].validations {
		ok, diags := v.condition.Value(m.ctx)
		if diags.HasErrors() || !ok.IsWhollyKnown() || ok.IsNull() || ok.Type() != cty.Bool {
			continue
		}
		if ok.False() {
			return v.message
		}
	}
	return ""
}

// setVar supplies a variable's value (the fixtures of non-strict mode).
func (m *module) setVar(name, value string) {
	m.vars[name] = cty.StringVal(value)
	m.refreshContext()
}

func (m *module) refreshContext() {
	m.ctx = &hcl.EvalContext{
		Variables: map[string]cty.Value{"var": cty.ObjectVal(m.vars)},
		Functions: map[string]function.Function{
			"length":     stdlib.LengthFunc,
			"jsonencode": stdlib.JSONEncodeFunc,
			"trimspace":  stdlib.TrimSpaceFunc,
			"regex":      stdlib.RegexFunc,
			"can":        tryfunc.CanFunc,
			"alltrue":    allTrueFunc,
		},
	}
}

// allTrueFunc is Terraform's alltrue(), which cty's stdlib lacks.
var allTrueFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
	Type:   function.StaticReturnType(cty.Bool),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		for it := args[0].ElementIterator(); it.Next(); {
			_, v := it.Element()
			if !v.IsKnown() || v.IsNull() || v.False() {
				return cty.False, nil
			}
		}
		return cty.True, nil
	},
})

// varString returns a variable's value as a string ("" when unset or not a string).
func (m *module) varString(name string) string {
	s, _ := asString(m.vars[name])
	return s
}

// resource returns a resource's body by address ("type.name").
func (m *module) resource(addr string) *hclsyntax.Body { return m.resources[addr] }

// eval evaluates attribute name of body; ok is false when the attribute is
// absent or depends on something other than variables and literals.
func (m *module) eval(body *hclsyntax.Body, name string) (cty.Value, bool) {
	if body == nil {
		return cty.NilVal, false
	}
	a, ok := body.Attributes[name]
	if !ok {
		return cty.NilVal, false
	}
	v, diags := a.Expr.Value(m.ctx)
	if diags.HasErrors() || !v.IsWhollyKnown() || v.IsNull() {
		return cty.NilVal, false
	}
	return v, true
}

func (m *module) str(body *hclsyntax.Body, name string) (string, bool) {
	v, ok := m.eval(body, name)
	if !ok {
		return "", false
	}
	return asString(v)
}

func (m *module) strList(body *hclsyntax.Body, name string) ([]string, bool) {
	v, ok := m.eval(body, name)
	if !ok {
		return nil, false
	}
	return asStrings(v)
}

func (m *module) boolean(body *hclsyntax.Body, name string) (bool, bool) {
	v, ok := m.eval(body, name)
	if !ok || v.Type() != cty.Bool {
		return false, false
	}
	return v.True(), true
}

func (m *module) integer(body *hclsyntax.Body, name string) (int64, bool) {
	v, ok := m.eval(body, name)
	if !ok || v.Type() != cty.Number {
		return 0, false
	}
	i, acc := v.AsBigFloat().Int64()
	return i, acc == big.Exact
}

// blocks returns the nested blocks of a type, in file order.
func blocks(body *hclsyntax.Body, typ string) []*hclsyntax.Body {
	if body == nil {
		return nil
	}
	var out []*hclsyntax.Body
	for _, b := range body.Blocks {
		if b.Type == typ {
			out = append(out, b.Body)
		}
	}
	return out
}

func asString(v cty.Value) (string, bool) {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() || v.Type() != cty.String {
		return "", false
	}
	return v.AsString(), true
}

func asStrings(v cty.Value) ([]string, bool) {
	if v == cty.NilVal || v.IsNull() || !v.IsKnown() || !(v.Type().IsListType() || v.Type().IsSetType() || v.Type().IsTupleType()) {
		return nil, false
	}
	out := []string{}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, ok := asString(e)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}
