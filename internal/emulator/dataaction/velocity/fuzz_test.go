package velocity

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func FuzzParseRender(f *testing.F) {
	seeds := []string{
		blueprintSuccess,
		`${input.rawRequest}`,
		`/api/v2/conversations/${input.conversationId}`,
		`?q=$esc.url($input.q)&r=$esc.uriEncode(${input.q})`,
		`{"v": "$esc.jsonString($input.s)", "w": "$!esc.jsonEncode($input.missing)"}`,
		"#if($input.a == 'x' && !$input.b)\n  a\n#elseif($input.n >= 2 or $input.c)b#{else}c#end",
		"## comment\n#* block *# #[[raw $x]]# #set($x = \"$input.a$input.a\")$x.length()",
		`$input.m.get("k").substring(1) $input.l.get(0) #ffffff $5 $! ${`,
		`#foreach($a in $b)#end`,
	}
	for _, s := range seeds {
		f.Add(s)
	}
	ctx := map[string]any{
		"input": map[string]any{
			"a": "x", "b": false, "n": json.Number("2"), "s": "q\"\n😀", "q": "a b",
			"m": map[string]any{"k": "value"}, "l": []any{"first", json.Number("1")},
			"rawRequest": `{"a":"x"}`,
		},
		"esc": Esc, "successTemplateUtils": SuccessTemplateUtils,
		"customerIdArray": `["E1"]`, "externalIdArray": `[]`,
	}
	f.Fuzz(func(t *testing.T, src string) {
		tpl, err := Parse("fuzz", src)
		if err != nil {
			var ve *Error
			if !errors.As(err, &ve) {
				t.Fatalf("parse error is not *Error: %v", err)
			}
			return
		}
		out, err := tpl.Render(ctx)
		if err != nil {
			var ve *Error
			if !errors.As(err, &ve) {
				t.Fatalf("render error is not *Error: %v", err)
			}
			return
		}
		// Text without any Velocity syntax renders unchanged.
		if !strings.ContainsAny(src, "$#") && out != src {
			t.Fatalf("plain text changed: %q -> %q", src, out)
		}
	})
}

func BenchmarkRenderTemplate(b *testing.B) {
	tpl := MustParse("successTemplate", blueprintSuccess)
	ctx := map[string]any{"esc": Esc, "successTemplateUtils": SuccessTemplateUtils,
		"customerIdArray": `["5e1c9c36-1a2b-4c3d-8e9f-0a1b2c3d4e5f"]`, "externalIdArray": `[]`}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tpl.Render(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseTemplate(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("successTemplate", blueprintSuccess); err != nil {
			b.Fatal(err)
		}
	}
}
