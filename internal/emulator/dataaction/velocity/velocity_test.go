package velocity

import (
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
)

// blueprintSuccess is the success template of the blueprint's "Get External
// Contact Id for Customer Participant v2" action, after JSON decoding.
const blueprintSuccess = `{"externalContactId_external": ${successTemplateUtils.firstFromArray("${customerIdArray}", "$esc.quote$esc.quote")}, "externalContactId_customer": ${successTemplateUtils.firstFromArray("${externalIdArray}", "$esc.quote$esc.quote")}}`

func requestCtx(input map[string]any) map[string]any {
	raw, _ := json.Marshal(input)
	in := map[string]any{"rawRequest": string(raw)}
	for k, v := range input {
		in[k] = v
	}
	return map[string]any{"input": in, "esc": Esc, "successTemplateUtils": SuccessTemplateUtils}
}

func render(t *testing.T, src string, ctx map[string]any) string {
	t.Helper()
	tpl, err := Parse("test", src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	out, err := tpl.Render(ctx)
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}
	return out
}

func TestReferences(t *testing.T) {
	ctx := requestCtx(map[string]any{
		"conversationId": "c-1",
		"n":              json.Number("42"),
		"flag":           true,
		"addr":           map[string]any{"city": "Paris"},
		"tags":           []any{"a", "b"},
	})
	tests := []struct{ src, want string }{
		{`/api/v2/conversations/${input.conversationId}`, `/api/v2/conversations/c-1`},
		{`/api/v2/conversations/$input.conversationId/x`, `/api/v2/conversations/c-1/x`},
		{`n=$input.n flag=${input.flag}`, `n=42 flag=true`},
		{`city=$input.addr.city`, `city=Paris`},
		// Composite values print as JSON text.
		{`$input.addr $input.tags`, `{"city":"Paris"} ["a","b"]`},
		// Null: formal and informal print the reference as written; silent prints nothing.
		{`[${input.missing}]`, `[${input.missing}]`},
		{`[$input.missing]`, `[$input.missing]`},
		{`[$!{input.missing}][$!input.missing]`, `[][]`},
		{`[$input.addr.zip.code]`, `[$input.addr.zip.code]`},
		{`[$nothing]`, `[$nothing]`},
		// A trailing dot or a $ that starts no reference is text.
		{`$input.conversationId.`, `c-1.`},
		{`costs $5.00 and $ and $! and $$input.n`, `costs $5.00 and $ and $! and $42`},
		{`{"color": "#ffffff", "n": #1}`, `{"color": "#ffffff", "n": #1}`},
		{`${input.rawRequest}`, `{"addr":{"city":"Paris"},"conversationId":"c-1","flag":true,"n":42,"tags":["a","b"]}`},
	}
	for _, tc := range tests {
		if got := render(t, tc.src, ctx); got != tc.want {
			t.Errorf("render(%q)\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

func TestEscapeTool(t *testing.T) {
	ctx := requestCtx(map[string]any{"s": "say \"hi\"\n\tto José 😀 / \\ \x01", "q": "a b&c=d/é*~"})
	tests := []struct{ src, want string }{
		{`"$esc.jsonString($input.s)"`, `"say \"hi\"\n\tto Jos\u00E9 \uD83D\uDE00 \/ \\ \u0001"`},
		{`"$esc.jsonEncode($input.s)"`, "\"say \\\"hi\\\"\\n\\tto José 😀 / \\\\ \\u0001\""},
		{`?name=$esc.url($input.q)`, `?name=a+b%26c%3Dd%2F%C3%A9*%7E`},
		{`?name=$esc.urlFormEncode(${input.q})`, `?name=a+b%26c%3Dd%2F%C3%A9*%7E`},
		{`/x/$esc.uriEncode($input.q)`, `/x/a%20b%26c%3Dd%2F%C3%A9%2A~`},
		{`$esc.quote$esc.quote$esc.d$esc.h`, `""$#`},
		// EscapeTool returns null for null, so the call prints as written.
		{`$esc.jsonString($input.nope)`, `$esc.jsonString($input.nope)`},
		{`$!esc.jsonString($input.nope)`, ``},
	}
	for _, tc := range tests {
		got := render(t, tc.src, ctx)
		if got != tc.want {
			t.Errorf("render(%q)\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
	// Whatever the input, the jsonString/jsonEncode output embedded in quotes is
	// valid JSON that decodes back to the input.
	for _, m := range []string{"jsonString", "jsonEncode"} {
		out := render(t, `{"v": "$esc.`+m+`($input.s)"}`, ctx)
		var v struct{ V string }
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatalf("%s output is not JSON: %v\n%s", m, err, out)
		}
		if v.V != ctx["input"].(map[string]any)["s"] {
			t.Errorf("%s round trip: got %q", m, v.V)
		}
	}
}

func TestFirstFromArray(t *testing.T) {
	tpl, err := Parse("successTemplate", blueprintSuccess)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		customer, external string
		want               string
	}{
		{`["E1"]`, `[]`, `{"externalContactId_external": "E1", "externalContactId_customer": ""}`},
		{`["E1","E2"]`, `["X9"]`, `{"externalContactId_external": "E1", "externalContactId_customer": "X9"}`},
		{`[""]`, `[""]`, `{"externalContactId_external": "", "externalContactId_customer": ""}`},
		{`[{"a": 1}]`, `[null]`, `{"externalContactId_external": {"a":1}, "externalContactId_customer": null}`},
	}
	for _, tc := range tests {
		ctx := map[string]any{"esc": Esc, "successTemplateUtils": SuccessTemplateUtils,
			"customerIdArray": tc.customer, "externalIdArray": tc.external}
		got, err := tpl.Render(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("customer=%s external=%s\n got %s\nwant %s", tc.customer, tc.external, got, tc.want)
		}
	}

	ctx := map[string]any{"successTemplateUtils": SuccessTemplateUtils, "arr": `[]`, "count": `[]`}
	// No default: empty text. Informal form works too.
	if got := render(t, `[$successTemplateUtils.firstFromArray("$arr")]`, ctx); got != `[]` {
		t.Errorf("no default: got %q", got)
	}
	if got := render(t, `$successTemplateUtils.firstFromArray("${count}", "0")`, ctx); got != `0` {
		t.Errorf("default 0: got %q", got)
	}
	// Not an array: a render error at the call.
	tpl2 := MustParse("st", `x ${successTemplateUtils.firstFromArray("{}")}`)
	_, err = tpl2.Render(ctx)
	var ve *Error
	if !errors.As(err, &ve) || ve.Template != "st" || ve.Line != 1 || !strings.Contains(ve.Msg, "not a JSON array") {
		t.Errorf("non-array: got %v", err)
	}
}

func TestIf(t *testing.T) {
	ctx := requestCtx(map[string]any{
		"type": "Email", "n": json.Number("3"), "zero": json.Number("0"), "empty": "", "yes": true, "no": false,
		"list": []any{}, "id": `"abc"`,
	})
	tests := []struct{ src, want string }{
		{`#if($input.type == "Email")E#elseif($input.type == "Phone")P#{else}O#end`, `E`},
		{`#if($input.type == 'Phone')P#elseif($input.n == 3)three#else O#end`, `three`},
		{`#if ($input.missing) set #else unset #end`, ` unset `},
		{`#if(!$input.missing)none#end`, `none`},
		{`#if($input.missing == $null)null#end`, `null`},
		{`#if($input.type != "Email" || $input.yes && !$input.no)ok#end`, `ok`},
		{`#if(($input.type == "x" || $input.n > 2) and not $input.no)ok#end`, `ok`},
		{`#if($input.n >= 3 && $input.n < 4 && $input.n != 4 && $input.n == 3.0)ok#end`, `ok`},
		{`#if($input.empty)a#elseif($input.zero)b#elseif($input.list)c#else d#end`, ` d`},
		{`#if($input.n == "3")text-equal#end`, `text-equal`},
		{`#if($input.id == "${esc.quote}abc$esc.quote")json-text#end`, `json-text`},
		{`#if($input.yes)#if($input.no)x#else y#end#end`, ` y`},
	}
	for _, tc := range tests {
		if got := render(t, tc.src, ctx); got != tc.want {
			t.Errorf("render(%q)\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
}

func TestLineGobblingAndComments(t *testing.T) {
	ctx := requestCtx(map[string]any{"name": "Jane", "email": "j@x"})
	src := `{
  ## the name is always present
  "name": "$input.name"
  #if($input.email)
  ,"email": "$input.email"
  #end
  #if($input.phone)
  ,"phone": "$input.phone"
  #end
#* a block
   comment *#}`
	want := `{
  "name": "Jane"
  ,"email": "j@x"
}`
	if got := render(t, src, ctx); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if got := render(t, "a ## trailing comment\nb #[[$not.parsed #if]]# c", ctx); got != "a b $not.parsed #if c" {
		t.Errorf("got %q", got)
	}
}

func TestSetAndMethods(t *testing.T) {
	ctx := requestCtx(map[string]any{"name": "  Jane Doe ", "m": map[string]any{"k": "v"}, "l": []any{"x", "y"}})
	tests := []struct{ src, want string }{
		{`#set($n = $input.name.trim())$n.toUpperCase()/$n.length()/$n.substring(0, 4)`, `JANE DOE/8/Jane`},
		{`#set($greeting = "Hi ${input.name.trim()}!")$greeting`, `Hi Jane Doe!`},
		{`$input.name.replace(" ", "_").contains("Jane_Doe")`, `true`},
		{`$input.m.get("k") $input.m.size() $input.l.get(1) $input.l.size() $input.l.isEmpty()`, `v 1 y 2 false`},
		{"#set($x = 1)\n#set($x = $x)\n$x", `1`},
	}
	for _, tc := range tests {
		if got := render(t, tc.src, ctx); got != tc.want {
			t.Errorf("render(%q)\n got %q\nwant %q", tc.src, got, tc.want)
		}
	}
	// #set never leaks into the caller's context.
	if _, ok := ctx["n"]; ok {
		t.Error("#set wrote into the shared context")
	}
}

func TestErrorsArePositioned(t *testing.T) {
	ctx := requestCtx(map[string]any{"x": "v"})
	tests := []struct {
		src        string
		line, col  int
		msgContain string
	}{
		{"a\n  $math.add(1, 2)", 2, 3, "unknown tool $math"},
		{"$esc.html($input.x)", 1, 6, "unknown method $esc.html"},
		{"$esc.nope", 1, 6, "no property nope"},
		{"ok\n#foreach($a in $b)x#end", 2, 1, "#foreach is not supported"},
		{"#mymacro($a)", 1, 1, "unknown macro #mymacro"},
		{"#if($input.x)never closed", 1, 1, "#if without a matching #end"},
		{"text #end", 1, 6, "#end without a matching #if"},
		{"#if(1)a#else b#elseif(2)c#end", 1, 15, "#elseif after #else"},
		{"${input.x", 1, 10, "expected } to close"},
		{"#if($input.x == )x#end", 1, 17, "unexpected"},
		{"$input.x.frobnicate()", 1, 10, "unknown method frobnicate on String"},
		{`#if($input.x > 1)x#end`, 1, 14, "> needs two numbers"},
		{`$successTemplateUtils.moveKeysIntoArrayOfObjects($input.x)`, 1, 23, "not emulated"},
		{`"#set($a.b = 1)"`, 1, 7, "#set of a property"},
	}
	for _, tc := range tests {
		tpl, err := Parse("requestTemplate", tc.src)
		if err == nil {
			_, err = tpl.Render(ctx)
		}
		var ve *Error
		if !errors.As(err, &ve) {
			t.Errorf("%q: want *Error, got %v", tc.src, err)
			continue
		}
		if ve.Template != "requestTemplate" || ve.Line != tc.line || ve.Col != tc.col || !strings.Contains(ve.Msg, tc.msgContain) {
			t.Errorf("%q: got %v; want requestTemplate:%d:%d containing %q", tc.src, err, tc.line, tc.col, tc.msgContain)
		}
		if !strings.Contains(err.Error(), "requestTemplate:") {
			t.Errorf("error text does not name the template: %v", err)
		}
	}
}

func TestRunawayOutputIsBounded(t *testing.T) {
	src := `#set($a = "xxxxxxxxxxxxxxxx")` + strings.Repeat(`#set($a = "$a$a")`, 40) + `$a`
	tpl := MustParse("bomb", src)
	if _, err := tpl.Render(nil); err == nil || !strings.Contains(err.Error(), "output exceeds") {
		t.Fatalf("want output limit error, got %v", err)
	}
	deep := strings.Repeat("(", 200) + "1" + strings.Repeat(")", 200)
	if _, err := Parse("deep", "#if("+deep+")x#end"); err == nil || !strings.Contains(err.Error(), "nesting deeper") {
		t.Fatalf("want nesting error, got %v", err)
	}
}

func TestConcurrentRender(t *testing.T) {
	tpl := MustParse("successTemplate", blueprintSuccess)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := strings.Repeat("e", i+1)
			ctx := map[string]any{"esc": Esc, "successTemplateUtils": SuccessTemplateUtils,
				"customerIdArray": `["` + id + `"]`, "externalIdArray": `[]`}
			for j := 0; j < 200; j++ {
				out, err := tpl.Render(ctx)
				if err != nil || !strings.Contains(out, `"externalContactId_external": "`+id+`"`) {
					t.Errorf("render %d: %q %v", i, out, err)
					return
				}
			}
		}(i)
	}
	wg.Wait()
}

func TestIsConstant(t *testing.T) {
	if !MustParse("a", `{"ok": true}`).IsConstant() {
		t.Error("plain JSON should be constant")
	}
	if MustParse("b", `{"id": ${id}}`).IsConstant() {
		t.Error("a reference is not constant")
	}
}
