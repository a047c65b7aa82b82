package vet

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// literalBodies are attribute values covering what literalJSON reads and
// what it leaves to evaluation.
var literalBodies = []string{
	`{}`, `[]`, `"x"`, `true`, `12`, `null`,
	`{ a = "x", b = 1, c = true, d = [1, "two", false, {}], e = { f = { g = [] } } }`,
	// Duplicate keys: hclsyntax keeps the last.
	`{ a = 1, a = "two" }`, `{ "a" = 1, a = 2 }`,
	// Quoted, non-ASCII and keyword keys.
	`{ "with space" = 1, "é" = 2, true = 3, null = 4 }`, `{ (a) = 1 }`, `{ a.b = 1 }`,
	// Numbers: big, small, exponents, negative (an operator), beyond float64.
	`[0, 0.1, 1e3, 1.5e-7, 123456789012345678901234567890, 9007199254740993, -1, 1e400]`,
	// Strings that encoding/json escapes, and cty's NFC: an escape followed by
	// a combining mark (U+0301) composes once the text is normalised.
	`["<b>&amp;", "a\tb\nc", "café", "cafe\u0301", "<\u0301", "x\n\u0301", "\u2028", "\"\u0301"]`,
	// Interpolation, references, calls, and null inside: evaluated.
	`{ a = "${1 + 1}" }`, `{ a = var.x }`, `{ a = upper("x") }`, `{ a = null }`, `["$${x}"]`,
}

// literalJSON reads what json.Unmarshal would give for the jsonencode cty
// evaluates, or declines; the export comparison built on it answers as
// sameJSON does on the evaluated text.
func TestLiteralJSONMatchesEvaluation(t *testing.T) {
	exports := []string{`{}`, `[]`, `"x"`, `null`, `{"a":"two"}`, `not json`,
		`{"a":"x","b":1,"c":true,"d":[1,"two",false,{}],"e":{"f":{"g":[]}}}`}
	for _, src := range literalBodies {
		body := parseBody(t, "contract = jsonencode("+src+")\nm = "+src+"\n")
		evaluated := str(body, "contract")
		var want any
		wantOK := evaluated != "" && json.Unmarshal([]byte(evaluated), &want) == nil
		got, ok := literalJSON(body.Attributes["m"].Expr)
		if ok && (!wantOK || !reflect.DeepEqual(got, want)) {
			t.Errorf("%s: literalJSON = %#v, jsonencode decodes to %#v (%v)", src, got, want, wantOK)
		}
		for _, exp := range append(exports, evaluated) {
			if a, b := sameContract(body, "contract", json.RawMessage(exp)), sameJSON(evaluated, json.RawMessage(exp)); a != b {
				t.Errorf("%s against %s: sameContract %v, sameJSON %v", src, exp, a, b)
			}
		}
	}
	// The common cases are read, not evaluated.
	for _, src := range []string{`{}`, `{ a = "x", b = 1, c = true, d = [1, "two", false, {}], e = { f = { g = [] } } }`, `["<b>&amp;", "café"]`} {
		if _, ok := literalJSON(parseBody(t, "m = "+src+"\n").Attributes["m"].Expr); !ok {
			t.Errorf("%s: literalJSON declines", src)
		}
	}
}

// strMap reads an object of literals as evaluating it would.
func TestStrMapMatchesEvaluation(t *testing.T) {
	for _, src := range literalBodies {
		body := parseBody(t, "m = "+src+"\n")
		want := map[string]string{}
		if v := value(body, "m"); v.Type().IsObjectType() || v.Type().IsMapType() {
			for k, e := range v.AsValueMap() {
				if e.Type().Equals(cty.String) {
					want[k] = e.AsString()
				}
			}
		}
		if got := strMap(body, "m"); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: strMap = %v, evaluated %v", src, got, want)
		}
	}
}

func parseBody(t *testing.T, src string) *hclsyntax.Body {
	t.Helper()
	p := parseTF("test.tf", []byte(src))
	if p.diags.HasErrors() {
		t.Fatalf("%s: %v", src, p.diags)
	}
	return p.file.Body.(*hclsyntax.Body)
}
