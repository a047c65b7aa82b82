package terraform

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/pmezard/go-difflib/difflib"
	"github.com/zclconf/go-cty/cty"

	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/flows"
	"github.com/bpgen/bpgen/internal/render/model"
	"github.com/bpgen/bpgen/internal/testutil"
)

// The oracle: the same tree built with hclwrite, as the emitter built files
// before the direct writer (TokensFor*, SetAttributeRaw, AppendNewBlock),
// then File.Bytes, which runs hclwrite's formatter.
func oracle(b *body) []byte {
	f := hclwrite.NewEmptyFile()
	oracleBody(f.Body(), b)
	return f.Bytes()
}

func oracleBody(hb *hclwrite.Body, b *body) {
	for _, it := range b.items {
		switch it.kind {
		case itemAttr:
			hb.SetAttributeRaw(it.name, oracleExpr(it.value))
		case itemBlock:
			oracleBody(hb.AppendNewBlock(it.name, it.labels).Body(), it.body)
		case itemComment:
			appendComment(hb, it.name)
		case itemBlank:
			hb.AppendNewline()
		}
	}
}

func oracleExpr(e Expr) hclwrite.Tokens {
	switch e.kind {
	case kString:
		return hclwrite.TokensForValue(cty.StringVal(e.text))
	case kNumber:
		return hclwrite.TokensForValue(cty.MustParseNumberVal(e.text))
	case kKeyword:
		switch e.text {
		case "true", "false":
			return hclwrite.TokensForValue(cty.BoolVal(e.text == "true"))
		}
		return hclwrite.TokensForValue(cty.NullVal(cty.String))
	case kRef:
		return hclwrite.TokensForTraversal(traversal(e.text))
	case kSource:
		f, diags := hclwrite.ParseConfig([]byte("x = "+e.text+"\n"), "expr", hcl.InitialPos)
		if diags.HasErrors() {
			panic(diags.Error())
		}
		return f.Body().GetAttribute("x").Expr().BuildTokens(nil)
	case kCall:
		return hclwrite.TokensForFunctionCall(e.text, oracleExprs(e.elems)...)
	case kTuple:
		return hclwrite.TokensForTuple(oracleExprs(e.elems))
	case kObject:
		items := make([]hclwrite.ObjectAttrTokens, len(e.keys))
		for i, k := range e.keys {
			name := hclwrite.TokensForValue(cty.StringVal(k))
			if hclsyntax.ValidIdentifier(cty.NormalizeString(k)) {
				name = hclwrite.TokensForIdentifier(cty.NormalizeString(k))
			}
			items[i] = hclwrite.ObjectAttrTokens{Name: name, Value: oracleExpr(e.elems[i])}
		}
		return hclwrite.TokensForObject(items)
	case kTemplate:
		toks := hclwrite.Tokens{
			{Type: hclsyntax.TokenOQuote, Bytes: []byte(`"`)},
			{Type: hclsyntax.TokenTemplateInterp, Bytes: []byte(`${`)},
		}
		toks = append(toks, hclwrite.TokensForTraversal(traversal(e.text))...)
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenTemplateSeqEnd, Bytes: []byte(`}`)})
		lit := hclwrite.TokensForValue(cty.StringVal(e.suffix))
		return append(toks, lit[1:]...) // the escaped literal (if any) and the closing quote
	}
	panic(fmt.Sprintf("oracle: expression kind %d", e.kind))
}

func oracleExprs(es []Expr) []hclwrite.Tokens {
	out := make([]hclwrite.Tokens, len(es))
	for i, e := range es {
		out[i] = oracleExpr(e)
	}
	return out
}

func traversal(src string) hcl.Traversal {
	tr, diags := hclsyntax.ParseTraversalAbs([]byte(src), "ref", hcl.InitialPos)
	if diags.HasErrors() {
		panic(fmt.Sprintf("oracle: %q is not a traversal: %s", src, diags))
	}
	return tr
}

// checkFile asserts the direct writer's bytes are hclwrite's, that
// `terraform fmt` (hclwrite.Format) would change nothing, and that they parse.
//
// hclwrite writes an object key bare whenever hclsyntax.ValidIdentifier
// accepts it, and two such keys break the file: "for" as an object's first
// key reads as a for expression, and a key starting with U+FEFF (which the
// identifier scanner skips as a byte-order mark) is an invalid character to
// the parser and moves under `terraform fmt`. And hclwrite counts a quoted
// key's columns on the one literal token it built, where `terraform fmt`
// re-lexes the literal into several tokens (after a "$" or "%" not starting a
// template, say) and counts each apart: "$" then a combining mark is one
// column to hclwrite, two to fmt, so fmt re-aligns the run. The writer
// matches hclwrite there too; bpgen's own keys are none of these, so the last
// two checks are left out for trees holding one.
func checkFile(t *testing.T, name string, b *body) []byte {
	t.Helper()
	got, want := write(b), oracle(b)
	if !bytes.Equal(got, want) {
		t.Errorf("%s: the direct writer differs from hclwrite:\n%s", name, diff(want, got))
	}
	if !hasFlawedKey(b) {
		checkCanonical(t, name, got)
	}
	return got
}

func hasFlawedKey(b *body) bool {
	var inExpr func(e Expr) bool
	inExpr = func(e Expr) bool {
		for _, k := range e.keys {
			if k := cty.NormalizeString(k); k == "for" || strings.HasPrefix(k, "\ufeff") && hclsyntax.ValidIdentifier(k) || fmtRecounts(k) {
				return true
			}
		}
		for _, el := range e.elems {
			if inExpr(el) {
				return true
			}
		}
		return false
	}
	for _, it := range b.items {
		if it.kind == itemAttr && inExpr(it.value) || it.kind == itemBlock && hasFlawedKey(it.body) {
			return true
		}
	}
	return false
}

func checkCanonical(t *testing.T, name string, out []byte) {
	t.Helper()
	if f := hclwrite.Format(out); !bytes.Equal(f, out) {
		t.Errorf("%s: terraform fmt would change it:\n%s", name, diff(f, out))
	}
	if _, diags := hclsyntax.ParseConfig(out, name, hcl.InitialPos); diags.HasErrors() {
		t.Errorf("%s: does not parse: %s\n%s", name, diags, out)
	}
}

func diff(want, got []byte) string {
	d, _ := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
		A: difflib.SplitLines(string(want)), B: difflib.SplitLines(string(got)),
		FromFile: "hclwrite", ToFile: "direct", Context: 2,
	})
	return d
}

// extraConfigs reach the branches the committed bundles do not take.
var extraConfigs = map[string]string{
	"existing-integration": `version: 1
identifiers: [{type: Email, ask: {}}]
dataActions: {credentials: existingIntegration}
`,
	"existing-client-open-messaging": `version: 1
identifiers: [{type: Email, ask: {}}]
dataActions: {credentials: existingClient}
channels:
  openMessaging: {enabled: true, webhookUrl: "https://a.example.com/x"}
`,
	"created-source-members": `version: 1
division: "Div \"${x}\" %{y}"
names: {prefix: "${p} ", queue: "Q\\n %{if}"}
identifiers:
  - {type: ExternalId, participantData: crm, externalSource: {name: "CRM ${x} \"q\"", create: true}}
  - {type: Email, ask: {}}
queue: {members: ["a@example.com", "b@example.com"]}
channels:
  webMessaging: {allowedDomains: []}
`,
}

func models(t *testing.T) map[string]*emitter {
	t.Helper()
	out := map[string]*emitter{}
	add := func(name string, cfg *config.Config) {
		m := model.Build(cfg)
		fl, err := flows.Build(m)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = &emitter{m: m, flows: fl}
	}
	for _, path := range testutil.CommittedConfigs(t, "../../..") {
		cfg, _, ds := config.Load(path)
		if cfg == nil {
			t.Fatalf("%s: %v", path, ds)
		}
		add(path, cfg)
	}
	for name, text := range extraConfigs {
		cfg, _, ds := config.Parse("bpgen.yaml", []byte(text))
		if cfg == nil {
			t.Fatalf("%s: %v", name, ds)
		}
		add(name, cfg)
	}
	return out
}

// TestWriteMatchesHclwrite: every .tf file of every committed bundle (and of
// configs taking the other branches) is what hclwrite writes for the tree.
func TestWriteMatchesHclwrite(t *testing.T) {
	for name, e := range models(t) {
		files := e.files()
		for path, build := range files {
			checkFile(t, name+": "+path, &build().body)
		}
		emitted := Emit(e.m, e.flows)
		if len(emitted) != len(files) {
			t.Errorf("%s: Emit wrote %d files, want %d", name, len(emitted), len(files))
		}
	}
}

// The old emitter's contract schemas, as cty values, to hold schemaValue to
// TokensForValue's key order and quoting.
func ctySchema(s *model.Schema) cty.Value {
	attrs := map[string]cty.Value{}
	if s.Type != "" {
		attrs["type"] = cty.StringVal(s.Type)
	}
	if s.Description != "" {
		attrs["description"] = cty.StringVal(s.Description)
	}
	if len(s.Enum) > 0 {
		attrs["enum"] = ctyStrings(s.Enum)
	}
	if len(s.Required) > 0 {
		attrs["required"] = ctyStrings(s.Required)
	}
	if s.Properties != nil {
		props := map[string]cty.Value{}
		for _, p := range s.Properties {
			props[p.Name] = ctySchema(p.Schema)
		}
		attrs["properties"] = cty.ObjectVal(props)
	}
	if s.AdditionalProperties != nil {
		attrs["additionalProperties"] = cty.BoolVal(*s.AdditionalProperties)
	}
	return cty.ObjectVal(attrs)
}

func ctyStrings(items []string) cty.Value {
	vals := make([]cty.Value, len(items))
	for i, s := range items {
		vals[i] = cty.StringVal(s)
	}
	return cty.TupleVal(vals)
}

func ctyStrMap(m map[string]string) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	vals := map[string]cty.Value{}
	for k, v := range m {
		vals[k] = cty.StringVal(v)
	}
	return cty.MapVal(vals)
}

// viaCty writes attributes whose values hclwrite builds itself from cty
// values (SetAttributeValue), as the emitter did before.
func viaCty(names []string, vals map[string]cty.Value) []byte {
	f := hclwrite.NewEmptyFile()
	for _, n := range names {
		f.Body().SetAttributeValue(n, vals[n])
	}
	return f.Bytes()
}

// TestValuesMatchCty: the expressions built without cty (contract schemas,
// header and translation maps) are written as TokensForValue writes the cty
// values the emitter used to build.
func TestValuesMatchCty(t *testing.T) {
	for name, e := range models(t) {
		for _, a := range e.m.Actions {
			d := a.Def.Config
			b := &body{}
			b.attr("input", schemaValue(a.Input))
			b.attr("output", schemaValue(a.Output))
			b.attr("headers", strMap(d.Request.Headers))
			b.attr("translation_map", strMap(d.Response.TranslationMap))
			b.attr("translation_map_defaults", strMap(d.Response.TranslationMapDefaults))
			want := viaCty([]string{"input", "output", "headers", "translation_map", "translation_map_defaults"}, map[string]cty.Value{
				"input":                    ctySchema(a.Input),
				"output":                   ctySchema(a.Output),
				"headers":                  ctyStrMap(d.Request.Headers),
				"translation_map":          ctyStrMap(d.Response.TranslationMap),
				"translation_map_defaults": ctyStrMap(d.Response.TranslationMapDefaults),
			})
			if got := checkFile(t, name+": "+a.Key, b); !bytes.Equal(got, want) {
				t.Errorf("%s: action %s: differs from the cty values:\n%s", name, a.Key, diff(want, got))
			}
		}
	}
}

// edgeStrings are the texts most likely to be written wrong: escapes, template
// introducers, line breaks, runes hclwrite escapes, runes NFC changes, runes
// whose grapheme clusters span several code points, invalid UTF-8, and a long
// line.
var edgeStrings = []string{
	"", " ", "a", `"`, `""`, `\`, `\\`, `\n`, `\"`, "${", "${x}", "%{", "%{if x}", "$${", "%%{", "$$${x}", "$", "%",
	"a$", "a%", "$}", "{", "}", "${}", "#", "//", "/*", "*/", "<<EOF", "=", " = ", "\n", "\r", "\t", "\r\n", "a\nb",
	"\x00", "\x01", "\x1b[0m", "\x7f", "\u0085", "\u00a0", "\u00ad", "\u200b", "\u200d", "\u2028", "\ufeff", "\ufffd",
	"é", "e\u0301", "\u0301", "a\u0301\u0302", "Å", "\u212b", "ﬁ", "Ω", "\u2126", "日本語", "한국어", "\u1100\u1161",
	"👍", "👍🏽", "👨‍👩‍👧", "🇩🇪", "\U0001F600", "\U000E0001", "\U0010FFFF", "\xff", "a\xffb", "\xe2\x82", "\xc0\xaf",
	strings.Repeat("x", 5000), strings.Repeat("${", 100), strings.Repeat("é", 300) + "\n",
	"a$\u0302", "%\u0301{", "1abc", "a b", "a-b", "a.b", "for", "null", "true", "in", "_x", "x_1", "ä", "a\u0301", "日本",
}

// edgeFile puts s everywhere a user's text can go: an attribute value, a
// block label, map keys and values, list elements, object keys at two depths,
// next to plain attributes whose "=" it must align with; others are more map
// keys and list elements. It returns the same file built the old way, with
// cty values and hclwrite, when there are no others.
func edgeFile(s string, others ...string) (*body, []byte) {
	f := newFile("edge")
	r := f.topBlock("resource", s, "x")
	r.attr("a", str(s))
	r.attr("long_name", str(s+"!"))
	r.attr("n", number(-3))
	m := map[string]string{s: s, "k": s, s + "k": "v"}
	for i, o := range others {
		m[o] = fmt.Sprint(i)
	}
	r.attr("headers", strMap(m))
	r.attr("list", strTuple(append([]string{s}, others...)))
	r.attr("empty_map", strMap(nil))
	r.attr("empty_list", strTuple(nil))
	obj := cty.ObjectVal(map[string]cty.Value{
		s:      cty.ObjectVal(map[string]cty.Value{s: cty.StringVal(s), "z": cty.TupleVal([]cty.Value{cty.StringVal(s), cty.True})}),
		"flag": cty.False,
		"num":  cty.NumberFloatVal(1.5),
		"list": cty.ListVal([]cty.Value{cty.StringVal(s)}),
		"set":  cty.SetVal([]cty.Value{cty.StringVal(s), cty.StringVal("b")}),
		"none": cty.NullVal(cty.String),
		"emp":  cty.EmptyObjectVal,
	})
	r.attr("obj", value(obj))
	r.attr("call", call("jsonencode", value(obj), str(s)))
	r.attr("tpl", template([]string{"path", "module"}, "/"+s))
	r.block("nested", s).attr(s2ident(s), str(s))
	if len(others) > 0 {
		return &f.body, nil
	}
	return &f.body, viaCtyEdge(s, m, obj)
}

// s2ident is a valid attribute name near s, so the nested block is legal.
func s2ident(s string) string {
	if hclsyntax.ValidIdentifier(s) {
		return s
	}
	return "v"
}

// viaCtyEdge is edgeFile built the old way, with hclwrite and cty values.
func viaCtyEdge(s string, m map[string]string, obj cty.Value) []byte {
	f := hclwrite.NewEmptyFile()
	appendComment(f.Body(), Header, "edge")
	f.Body().AppendNewline()
	r := f.Body().AppendNewBlock("resource", []string{s, "x"}).Body()
	r.SetAttributeValue("a", cty.StringVal(s))
	r.SetAttributeValue("long_name", cty.StringVal(s+"!"))
	r.SetAttributeValue("n", cty.NumberIntVal(-3))
	r.SetAttributeValue("headers", ctyStrMap(m))
	r.SetAttributeValue("list", cty.TupleVal([]cty.Value{cty.StringVal(s)}))
	r.SetAttributeValue("empty_map", cty.MapValEmpty(cty.String))
	r.SetAttributeValue("empty_list", cty.EmptyTupleVal)
	r.SetAttributeValue("obj", obj)
	r.SetAttributeRaw("call", hclwrite.TokensForFunctionCall("jsonencode", hclwrite.TokensForValue(obj), hclwrite.TokensForValue(cty.StringVal(s))))
	r.SetAttributeRaw("tpl", oracleExpr(template([]string{"path", "module"}, "/"+s)))
	r.AppendNewBlock("nested", []string{s}).Body().SetAttributeValue(s2ident(s), cty.StringVal(s))
	return f.Bytes()
}

// TestEdgeValues: for each edge string, the direct writer matches the tree's
// oracle and the file built from cty values; the file is canonical, parses,
// and reads back the (NFC-normalised) string.
func TestEdgeValues(t *testing.T) {
	for _, s := range edgeStrings {
		b, want := edgeFile(s)
		name := fmt.Sprintf("%q", s)
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		got := checkFile(t, name, b)
		if !collides(s, "k", s+"k") && !bytes.Equal(got, want) {
			t.Errorf("%s: differs from the cty-built file:\n%s", name, diff(want, got))
		}
		checkReadBack(t, name, got, s)
	}
	// All of them in one map and one list: key order and alignment across
	// keys of every width.
	b, _ := edgeFile("x", edgeStrings...)
	checkFile(t, "all", b)
}

// collides reports whether two of the keys are one key once NFC-normalised:
// cty keeps whichever its map iteration meets last, so there is no single
// answer to compare with.
func collides(keys ...string) bool {
	seen := map[string]string{}
	for _, k := range keys {
		n := cty.NormalizeString(k)
		if prev, ok := seen[n]; ok && prev != k {
			return true
		}
		seen[n] = k
	}
	return false
}

// checkReadBack parses out and requires attribute "a" of the first block to be s.
func checkReadBack(t *testing.T, name string, out []byte, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		return // invalid bytes are written as U+FFFD
	}
	f, diags := hclsyntax.ParseConfig(out, name, hcl.InitialPos)
	if diags.HasErrors() {
		return // checkCanonical reported it
	}
	blocks := f.Body.(*hclsyntax.Body).Blocks
	if len(blocks) == 0 {
		t.Fatalf("%s: no block in\n%s", name, out)
	}
	v, diags := blocks[0].Body.Attributes["a"].Expr.Value(nil)
	if diags.HasErrors() || v.AsString() != cty.NormalizeString(s) {
		t.Errorf("%s: reads back as %#v (%s), want %q", name, v, diags, cty.NormalizeString(s))
	}
	if got := blocks[0].Labels[0]; got != cty.NormalizeString(s) {
		t.Errorf("%s: label reads back as %q", name, got)
	}
}

// TestAlignmentRuns: hclwrite aligns "=" across a run of single-line
// attributes only; a block, a comment, a blank line, a closing brace or an
// attribute opening a multi-line value ends the run (each case would be
// misaligned if the writer ran the chain through it).
func TestAlignmentRuns(t *testing.T) {
	f := newFile()
	r := f.topBlock("resource", "t", "n")
	r.attr("a", str("1"))
	r.attr("bbbbbbbb", str("2"))
	r.attr("obj", mapObject(map[string]Expr{"k": str("v"), "kkkkkk": str("w")}))
	r.attr("c", str("3"))
	r.block("inner").attr("dddddddddddd", str("4"))
	r.attr("e", str("5"))
	r.comment("note")
	r.attr("ffffffffff", str("6"))
	r.blank()
	r.attr("g", str("7"))
	r.attr("call", call("f", mapObject(map[string]Expr{"x": str("y")}), str("z")))
	r.attr("tuple", tuple([]Expr{mapObject(map[string]Expr{"a": number(1)}), mapObject(map[string]Expr{"bb": number(2)})}))
	r.attr("h", str("8"))
	got := checkFile(t, "alignment", &f.body)
	for _, want := range []string{
		"  a        = \"1\"\n  bbbbbbbb = \"2\"\n  obj = {\n",
		"    k      = \"v\"\n    kkkkkk = \"w\"\n  }\n  c = \"3\"\n",
		"  e = \"5\"\n  # note\n  ffffffffff = \"6\"\n\n  g = \"7\"\n",
	} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("want %q in\n%s", want, got)
		}
	}
}

// fmtRecounts reports whether `terraform fmt` counts a quoted key's columns
// differently from hclwrite (see checkFile).
func fmtRecounts(k string) bool {
	if hclsyntax.ValidIdentifier(k) {
		return false
	}
	lit := appendEscaped(nil, k)
	toks, _ := hclsyntax.LexExpression([]byte(`"`+string(lit)+`"`), "key", hcl.InitialPos)
	n := 0
	for _, tok := range toks {
		n += hclwrite.Tokens{{Bytes: tok.Bytes}}.Columns()
	}
	return n != 2+columns(lit)
}

// TestValidIdentifier: the ASCII shortcut answers as HCL's scanner does, for
// every ASCII string of up to two characters and a few longer ones.
func TestValidIdentifier(t *testing.T) {
	check := func(s string) {
		if got, want := validIdentifier(s), hclsyntax.ValidIdentifier(s); got != want {
			t.Errorf("validIdentifier(%q) = %v, hclsyntax says %v", s, got, want)
		}
	}
	check("")
	for a := 0; a < 128; a++ {
		check(string(rune(a)))
		for b := 0; b < 128; b++ {
			check(string([]rune{rune(a), rune(b)}))
		}
	}
	for _, s := range []string{"abc-def_1", "_", "__x", "-a", "a-", "a b", "x1y2", "9a", "ä", "aä", "\ufeffk"} {
		check(s)
	}
}

// TestAuthoredExpressionsAreCanonical: every expression bpgen authors (expr,
// emitted as written) parses as one expression and is already as hclwrite
// formats it, in every tree of every committed config and the other branches.
func TestAuthoredExpressionsAreCanonical(t *testing.T) {
	seen := 0
	for name, e := range models(t) {
		for path, build := range e.files() {
			walkSources(&build().body, func(src string) {
				seen++
				if err := canonical(src); err != nil {
					t.Errorf("%s: %s: %v", name, path, err)
				}
			})
		}
	}
	if seen == 0 {
		t.Fatal("no authored expression found: the walk is broken")
	}
	// The check itself refuses what it must.
	for _, bad := range []string{"length(var.x)==0", "toset( var.x )", "alltrue([for e in var.x:e])", "length(", "a\nb", "x = 1"} {
		if canonical(bad) == nil {
			t.Errorf("canonical accepted %q", bad)
		}
	}
}

// canonical reports why src is not one single-line expression in the form
// `terraform fmt` writes.
func canonical(src string) error {
	if strings.ContainsAny(src, "\r\n") {
		return fmt.Errorf("%q spans lines", src)
	}
	if _, diags := hclsyntax.ParseExpression([]byte(src), "expr", hcl.InitialPos); diags.HasErrors() {
		return fmt.Errorf("%q does not parse: %s", src, diags)
	}
	out := strings.TrimSuffix(strings.TrimPrefix(string(hclwrite.Format([]byte("x = "+src+"\n"))), "x = "), "\n")
	if out != src {
		return fmt.Errorf("%q is written %q by terraform fmt", src, out)
	}
	return nil
}

func walkSources(b *body, visit func(string)) {
	var inExpr func(e Expr)
	inExpr = func(e Expr) {
		if e.kind == kSource {
			visit(e.text)
		}
		for _, el := range e.elems {
			inExpr(el)
		}
	}
	for _, it := range b.items {
		switch it.kind {
		case itemAttr:
			inExpr(it.value)
		case itemBlock:
			walkSources(it.body, visit)
		}
	}
}

// FuzzWriteMatchesHclwrite feeds arbitrary strings into string, map, object
// and list values, block labels and object keys: the direct writer must write
// what hclwrite writes for the same tree and for the same cty values, and the
// result must be canonical and parse.
func FuzzWriteMatchesHclwrite(f *testing.F) {
	for i, s := range edgeStrings {
		f.Add(s, edgeStrings[(i+1)%len(edgeStrings)], edgeStrings[(i+7)%len(edgeStrings)])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		if collides(a, "k", a+"k") || collides(a, b, c, "k", a+"k") {
			t.Skip("keys that NFC-normalise alike have no single cty answer")
		}
		eb, want := edgeFile(a)
		got := checkFile(t, "edge", eb)
		if !bytes.Equal(got, want) {
			t.Errorf("differs from the cty-built file:\n%s", diff(want, got))
		}
		checkReadBack(t, "edge", got, a)
		eb, _ = edgeFile(a, b, c)
		checkFile(t, "edge+", eb)

		v := cty.ObjectVal(map[string]cty.Value{
			a: cty.MapVal(map[string]cty.Value{b: cty.StringVal(c), c: cty.StringVal(a)}),
			b: cty.ListVal([]cty.Value{cty.StringVal(a), cty.StringVal(b)}),
			c: cty.ObjectVal(map[string]cty.Value{a: cty.ObjectVal(map[string]cty.Value{b: cty.StringVal(c)})}),
		})
		fb := &body{}
		fb.attr("v", value(v))
		fb.block("b", a, b).attr("w", value(v))
		got = checkFile(t, "value", fb)
		h := hclwrite.NewEmptyFile()
		h.Body().SetAttributeValue("v", v)
		h.Body().AppendNewBlock("b", []string{a, b}).Body().SetAttributeValue("w", v)
		if want := h.Bytes(); !bytes.Equal(got, want) {
			t.Errorf("value differs from SetAttributeValue:\n%s", diff(want, got))
		}
	})
}

// BenchmarkEmit: the Terraform files of examples/kitchen-sink, written
// directly (Emit) and, for comparison, through hclwrite's formatter (the
// oracle, which still skips the cty values the emitter used to build).
func BenchmarkEmit(b *testing.B) {
	cfg, _, ds := config.Load("../../../examples/kitchen-sink/bpgen.yaml")
	if cfg == nil {
		b.Fatal(ds)
	}
	m := model.Build(cfg)
	fl, err := flows.Build(m)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		defer testutil.ReportCPU(b)()
		for b.Loop() {
			Emit(m, fl)
		}
	})
	b.Run("hclwrite", func(b *testing.B) {
		b.ReportAllocs()
		defer testutil.ReportCPU(b)()
		e := emitter{m: m, flows: fl}
		for b.Loop() {
			for _, build := range e.files() {
				oracle(&build().body)
			}
		}
	})
}
