// Package vet checks a rendered bundle as a whole, on the rendered bytes:
// flows against the data actions and each other, the flows' placeholders
// against their Terraform substitutions, the exports against the Terraform,
// and the Terraform against the real provider schema. A finding is a bpgen bug
// or a hand edit that would only fail at publish time.
package vet

import (
	"encoding/json"
	"fmt"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/bpgen/bpgen/internal/archy/expr"
	"github.com/bpgen/bpgen/internal/archy/flowyaml"
	"github.com/bpgen/bpgen/internal/contract"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/render/bundle"
	"github.com/bpgen/bpgen/internal/render/diag"
	"github.com/bpgen/bpgen/internal/render/fileset"
	"github.com/bpgen/bpgen/internal/render/flows"
	"github.com/bpgen/bpgen/internal/render/parallel"
	"github.com/bpgen/bpgen/internal/render/vet/providerschema"
)

// Check runs every bundle check on a render result.
func Check(res *bundle.Result) diag.List {
	return Files(res.Files, res.Manifest)
}

// Files runs every bundle check on a set of files and its manifest.
func Files(files fileset.Set, man *manifest.Manifest) diag.List {
	b := &bundleView{files: files, man: man, actions: map[string]*loadedAction{}, exports: map[string]*fmtda.Action{}, tf: map[string]parsedTF{}}
	// Each file parses on its own, and each check reads the parsed files
	// only: the files parse (and the Terraform is checked against the
	// provider schema) in parallel, then the checks run in parallel. Each
	// task keeps its findings apart and they are joined in the order the
	// checks ran in when they ran one after another, so the sorted list
	// (a stable sort) is the same.
	var tfPaths []string
	for _, p := range files.Paths() {
		if strings.HasPrefix(p, contract.TerraformDir+"/") && strings.HasSuffix(p, ".tf") {
			tfPaths = append(tfPaths, p)
		}
	}
	flowObjs := man.ByKind(contract.KindFlow)
	parsedTFs := make([]parsedTF, len(tfPaths))
	schemaDs := make([]diag.List, len(tfPaths))
	loaded := make([]loadedFlow, len(flowObjs))
	var actionDs diag.List
	// Tasks are sized by the text they read, the flows' for loading a flow
	// and the exports' for the data actions.
	sizes := make([]int, 0, len(flowObjs)+len(tfPaths)+1)
	for _, o := range flowObjs {
		sizes = append(sizes, len(files[o.File]))
	}
	for _, p := range tfPaths {
		sizes = append(sizes, len(files[p]))
	}
	exportSize := 0
	for _, o := range man.ByKind(contract.KindDataAction) {
		exportSize += len(files[o.File])
	}
	largestFirst(append(sizes, exportSize), func(i int) {
		switch {
		case i < len(flowObjs):
			loaded[i] = loadFlow(files, flowObjs[i])
		case i < len(flowObjs)+len(tfPaths):
			i -= len(flowObjs)
			p := tfPaths[i]
			parsedTFs[i] = parseTF(p, files[p])
			schemaDs[i] = providerschema.CheckParsed(p, parsedTFs[i].file, parsedTFs[i].diags)
		default:
			actionDs = b.loadActions()
		}
	})
	var ds diag.List
	for i, p := range tfPaths {
		b.tf[p] = parsedTFs[i]
		ds = append(ds, schemaDs[i]...)
	}
	ds = append(ds, actionDs...)
	for _, l := range loaded {
		ds = append(ds, l.ds...)
		if l.view != nil {
			b.flows = append(b.flows, l.view)
		}
	}
	checks := make([]diag.List, len(b.flows)+2)
	sizes = sizes[:0]
	for _, f := range b.flows {
		sizes = append(sizes, len(files[f.obj.File]))
	}
	// Comparing the exports with the Terraform evaluates HCL and decodes
	// JSON: per byte about fifteen times what checking a flow costs (on
	// examples/kitchen-sink), which makes it as long as the inbound flow's.
	sizes = append(sizes, len(files[contract.TerraformFlows]), 16*len(files[contract.TerraformActions]))
	largestFirst(sizes, func(i int) {
		switch {
		case i < len(b.flows):
			checks[i] = b.checkFlow(b.flows[i])
		case i == len(b.flows):
			checks[i] = b.checkSubstitutions()
		default:
			checks[i] = b.checkExportsAgainstTerraform()
		}
	})
	for _, c := range checks {
		ds = append(ds, c...)
	}
	ds.Sort()
	return ds
}

// largestFirst runs task(i) for each of the tasks, whose sizes (in any unit)
// are given, on at most GOMAXPROCS goroutines, the caller's among them, each
// taking the next task when it is done: a few long-lived goroutines rather
// than one per file, since each new goroutine grows its stack again for the
// parsers' recursion. The largest tasks go first, so that none is left to
// run alone at the end (the inbound flow is a bundle's largest file).
func largestFirst(sizes []int, task func(i int)) {
	order := make([]int, len(sizes))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return sizes[order[a]] > sizes[order[b]] })
	var next atomic.Int64
	work := func() {
		for k := int(next.Add(1) - 1); k < len(order); k = int(next.Add(1) - 1) {
			task(order[k])
		}
	}
	var wg parallel.Group
	for range min(runtime.GOMAXPROCS(0), len(order)) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

type bundleView struct {
	files   fileset.Set
	man     *manifest.Manifest
	actions map[string]*loadedAction // by name
	exports map[string]*fmtda.Action // by export file, those that parse
	flows   []*flowView
	tf      map[string]parsedTF // every terraform/*.tf file, by path
}

// loadedAction is a rendered data action with what the flows' calls are
// checked against, worked out once per bundle rather than once per call.
type loadedAction struct {
	*fmtda.Action
	category string
	in, out  props
}

type flowView struct {
	obj     *manifest.Object
	root    *flowyaml.Node // the flow-type mapping
	rootKey string
	vars    map[string]*flowyaml.Node // declared variable name -> its variable body
	kinds   map[string]string         // declared variable name -> its kind ("string" for stringVariable)
	refIDs  map[string]bool
	in, out map[string]bool // input and output variable names
	exprs   map[string]*exprFindings
}

func (b *bundleView) loadActions() diag.List {
	var ds diag.List
	for _, o := range b.man.ByKind(contract.KindDataAction) {
		data, ok := b.files[o.File]
		if !ok {
			ds = append(ds, errAt(o.File, 0, 0, diag.ExportMismatch, "", "the export of data action "+o.Name+" is missing"))
			continue
		}
		a, err := fmtda.Parse(data)
		if err != nil {
			ds = append(ds, errAt(o.File, 1, 1, diag.ExportMismatch, "", "does not parse: "+err.Error()))
			continue
		}
		b.actions[a.Name] = &loadedAction{Action: a, category: o.Category,
			in: schemaProps(a.Contract.Input.InputSchema), out: schemaProps(a.Contract.Output.SuccessSchema)}
		b.exports[o.File] = a
	}
	return ds
}

func errAt(file string, line, col int, rule diag.Rule, field, msg string) diag.Diagnostic {
	return diag.Diagnostic{Pos: diag.Pos{File: file, Line: line, Col: col}, Severity: diag.Error, Rule: rule, Field: field, Message: msg}
}

func nodeErr(file string, n *flowyaml.Node, rule diag.Rule, field, format string, args ...any) diag.Diagnostic {
	return errAt(file, int(n.Line), int(n.Column), rule, field, fmt.Sprintf(format, args...))
}

// loadedFlow is a flow file read as YAML once its placeholders are
// substituted (with stand-ins, as Terraform would with the real values), or
// why it cannot be.
type loadedFlow struct {
	view *flowView
	ds   diag.List
}

func loadFlow(files fileset.Set, o *manifest.Object) loadedFlow {
	data, ok := files[o.File]
	if !ok {
		return loadedFlow{ds: diag.List{errAt(o.File, 0, 0, diag.FlowStructure, "", "flow file is missing")}}
	}
	doc, err := flowyaml.ParseTree(o.SubstituteString(data, func(ref string) string { return "<" + ref + ">" }))
	switch {
	case err != nil:
		return loadedFlow{ds: diag.List{errAt(o.File, 1, 1, diag.FlowStructure, "", "not valid YAML once substituted: "+err.Error())}}
	case len(doc.Content) != 1 || doc.Content[0].Kind != flowyaml.MappingNode || len(doc.Content[0].Content) != 2:
		return loadedFlow{ds: diag.List{errAt(o.File, 1, 1, diag.FlowStructure, "", "a flow file must have exactly one root key, the flow type")}}
	}
	// The declarations are gathered first so that the maps are made at
	// their size rather than grown entry by entry.
	type declaration struct {
		name, kind string
		body       *flowyaml.Node
	}
	var decls []declaration
	refIDs := map[string]bool{}
	root := &doc.Content[0].Content[1]
	root.Walk(func(n *flowyaml.Node, key string) {
		if n.Kind != flowyaml.MappingNode {
			return
		}
		if kind, ok := strings.CutSuffix(key, "Variable"); ok {
			if name := n.Get("name"); name != nil {
				decls = append(decls, declaration{name.Value, kind, n})
			}
		}
		if r := n.Get("refId"); r != nil {
			refIDs[r.Value] = true
		}
	})
	f := &flowView{obj: o, rootKey: doc.Content[0].Content[0].Value, root: root, vars: make(map[string]*flowyaml.Node, len(decls)),
		kinds: make(map[string]string, len(decls)), refIDs: refIDs, in: map[string]bool{}, out: map[string]bool{}, exprs: map[string]*exprFindings{}}
	for _, d := range decls {
		f.vars[d.name] = d.body
		f.kinds[d.name] = d.kind
	}
	for name, v := range f.vars {
		if n := v.Get("isInput"); n != nil && n.Value == "true" {
			f.in[name] = true
		}
		if n := v.Get("isOutput"); n != nil && n.Value == "true" {
			f.out[name] = true
		}
	}
	return loadedFlow{view: f}
}

func (b *bundleView) flowByKey(key string) *flowView {
	for _, f := range b.flows {
		if f.obj.Key == key {
			return f
		}
	}
	return nil
}

// declared reports whether a variable path names a declared variable, or a
// property of one (Flow.Contact.id when Flow.Contact is declared): every
// prefix of two or more dotted segments, longest first. Paths outside the
// flow's own scopes are built-ins (Message.*, Call.*, Session.*, ...).
func (f *flowView) declared(path string) bool {
	switch scope, _, _ := strings.Cut(path, "."); {
	case len(scope) == len(path): // no dot, no scope
		return true
	case scope != "Flow" && scope != "State" && scope != "Common" && scope != "Slot" && scope != "Task":
		return true
	}
	for p := path; strings.IndexByte(p, '.') >= 0; p = p[:strings.LastIndexByte(p, '.')] {
		if _, ok := f.vars[p]; ok {
			return true
		}
	}
	return false
}

func (b *bundleView) checkFlow(f *flowView) diag.List {
	var ds diag.List
	file := f.obj.File
	add := func(n *flowyaml.Node, rule diag.Rule, format string, args ...any) {
		ds = append(ds, nodeErr(file, n, rule, "", format, args...))
	}
	if ref := f.root.Get("startUpRef"); ref != nil {
		b.checkRef(f, ref, add)
	}
	f.root.Walk(func(n *flowyaml.Node, key string) {
		switch key {
		case "callData", "callCommonModule", "callBotFlow", "askForSlot":
			// Actions carry a name; settingsActionDefaults reuses the keys for defaults.
			if n.Get("name") == nil {
				return
			}
		}
		switch key {
		case "exp":
			if n.Kind == flowyaml.ScalarNode {
				ds = append(ds, checkExpr(f, file, n)...)
			}
		case "var", "variable":
			if n.Kind == flowyaml.ScalarNode && !f.declared(n.Value) {
				add(n, diag.UndeclaredVariable, "variable %s is not declared", n.Value)
			}
		case "targetTaskRef", "targetStateRef":
			b.checkRef(f, n, add)
		case "callData":
			ds = append(ds, b.checkCallData(f, n)...)
		case "callCommonModule":
			ds = append(ds, b.checkCall(f, n, "commonModule", flows.ModuleKey, diag.ModuleIO)...)
		case "callBotFlow":
			ds = append(ds, b.checkCall(f, n, "botFlow", flows.BotKey, diag.BotIO)...)
		case "askForSlot":
			if s := n.Get("slot").Get("name"); s != nil {
				if _, ok := f.vars["Slot."+s.Value]; !ok {
					add(s, diag.SlotEntity, "slot %s has no Slot.%s variable", s.Value, s.Value)
				}
				if !hasEntity(f.root, s.Value) {
					add(s, diag.SlotEntity, "slot %s has no NLU entity with an entity type", s.Value)
				}
			}
		}
	})
	return ds
}

func hasEntity(root *flowyaml.Node, slot string) bool {
	nlu := root.Get("settingsNaturalLanguageUnderstanding").Get("nluDomainVersion")
	types := map[string]bool{}
	if et := nlu.Get("entityTypes"); et != nil {
		for i := range et.Content {
			if n := et.Content[i].Get("name"); n != nil {
				types[n.Value] = true
			}
		}
	}
	if es := nlu.Get("entities"); es != nil {
		for i := range es.Content {
			e := &es.Content[i]
			if n := e.Get("name"); n != nil && n.Value == slot {
				t := e.Get("type")
				return t != nil && (types[t.Value] || strings.HasPrefix(t.Value, "builtin:"))
			}
		}
	}
	return false
}

var refSyntax = regexp.MustCompile(`^/([A-Za-z]+)/(?:[A-Za-z]+)/[A-Za-z]+\[(.+)\]$`)

func (b *bundleView) checkRef(f *flowView, n *flowyaml.Node, add func(*flowyaml.Node, diag.Rule, string, ...any)) {
	m := refSyntax.FindStringSubmatch(n.Value)
	switch {
	case m == nil:
		add(n, diag.UnresolvedRef, "%q is not an absolute reference", n.Value)
	case m[1] != f.rootKey:
		add(n, diag.UnresolvedRef, "%q starts at /%s, but the flow's root is %s", n.Value, m[1], f.rootKey)
	case !f.refIDs[m[2]]:
		add(n, diag.UnresolvedRef, "%q names no refId in this flow", n.Value)
	}
}

func (b *bundleView) checkCallData(f *flowView, n *flowyaml.Node) diag.List {
	var ds diag.List
	file := f.obj.File
	catKey, catVal := n.Get("category").Single()
	if catKey == nil {
		return diag.List{nodeErr(file, n, diag.DataActionMissing, "", "callData has no single category")}
	}
	nameKey, call := catVal.Get("dataAction").Single()
	if nameKey == nil {
		return diag.List{nodeErr(file, catKey, diag.DataActionMissing, "", "callData has no single dataAction")}
	}
	a, ok := b.actions[nameKey.Value]
	if !ok {
		return diag.List{nodeErr(file, nameKey, diag.DataActionMissing, "", "no rendered data action is named %q", nameKey.Value)}
	}
	if cat := a.category; cat != catKey.Value {
		ds = append(ds, nodeErr(file, catKey, diag.DataActionMissing, "", "data action %q is in category %q, not %q", a.Name, cat, catKey.Value))
	}
	in := a.in
	given := map[string]bool{}
	for k := range call.Get("inputs").Keys() {
		given[k.Value] = true
		if !in.props[k.Value] {
			ds = append(ds, nodeErr(file, k, diag.DataActionInput, "", "%q is not an input of data action %q (inputs: %s)", k.Value, a.Name, in.list()))
		}
	}
	for _, r := range in.required {
		if !given[r] {
			ds = append(ds, nodeErr(file, nameKey, diag.DataActionInput, "", "required input %q of data action %q is not set", r, a.Name))
		}
	}
	out := a.out
	for k := range call.Get("successOutputs").Keys() {
		if !out.props[k.Value] {
			ds = append(ds, nodeErr(file, k, diag.DataActionOutput, "", "%q is not a success output of data action %q (outputs: %s)", k.Value, a.Name, out.list()))
		}
	}
	for k := range call.Get("failureOutputs").Keys() {
		if !slices.Contains(contract.FailureOutputs, k.Value) {
			ds = append(ds, nodeErr(file, k, diag.DataActionOutput, "", "%q is not a failure output", k.Value))
		}
	}
	return ds
}

type props struct {
	props    map[string]bool
	required []string
}

func (p props) list() string {
	var out []string
	for k := range p.props {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

// schemaProps flattens a contract's properties the way Architect shows them (a.b for nested objects).
func schemaProps(raw json.RawMessage) props {
	var s struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	_ = json.Unmarshal(raw, &s)
	p := props{props: map[string]bool{}, required: s.Required}
	for name, sub := range s.Properties {
		p.props[name] = true
		for inner := range schemaProps(sub).props {
			p.props[name+"."+inner] = true
		}
	}
	return p
}

func (b *bundleView) checkCall(f *flowView, n *flowyaml.Node, field, calleeKey string, rule diag.Rule) diag.List {
	var ds diag.List
	file := f.obj.File
	nameKey, body := n.Get(field).Single()
	if nameKey == nil {
		return diag.List{nodeErr(file, n, rule, "", "%s has no single callee", field)}
	}
	callee := b.flowByKey(calleeKey)
	if callee == nil || callee.obj.Name != nameKey.Value {
		return diag.List{nodeErr(file, nameKey, rule, "", "no rendered flow is named %q", nameKey.Value)}
	}
	in, out := callee.in, callee.out
	ver := body.Get("ver_latestPublished")
	given := map[string]bool{}
	for k := range ver.Get("inputs").Keys() {
		given[k.Value] = true
		if !in[k.Value] {
			ds = append(ds, nodeErr(file, k, rule, "", "%q is not an input of %q", k.Value, callee.obj.Name))
		}
	}
	// In name order: the findings share a position, and the final sort
	// keeps their order.
	var missing []string
	for name := range in {
		if !given[name] {
			missing = append(missing, name)
		}
	}
	sort.Strings(missing)
	for _, name := range missing {
		ds = append(ds, nodeErr(file, nameKey, rule, "", "input %q of %q is not passed", name, callee.obj.Name))
	}
	for k := range ver.Get("outputs").Keys() {
		if !out[k.Value] {
			ds = append(ds, nodeErr(file, k, rule, "", "%q is not an output of %q", k.Value, callee.obj.Name))
		}
	}
	return ds
}

// Prepare loads what every Check reads (the provider schema, Architect's
// function table) in the background, so a command that loads and renders a
// config first finds them ready when it vets.
func Prepare() {
	go func() {
		providerschema.Load()
		expr.Prepare()
	}()
}
