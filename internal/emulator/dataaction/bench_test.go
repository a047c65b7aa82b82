package dataaction

import (
	"context"
	"testing"
)

func BenchmarkExecute(b *testing.B) {
	o := newFakeOrg(b)
	rt := newRuntime(b, o, StaticToken("static-token"), nil)
	for _, bc := range []struct {
		name   string
		action string
		input  map[string]any
	}{
		{"lookup", lookupActionJSON, map[string]any{"type": "Email", "value": "jane@example.com"}},
		{"conversation", conversationActionJSON, map[string]any{"conversationId": "conv-both"}},
	} {
		a := parseAction(b, bc.action)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if res := rt.Execute(context.Background(), a, bc.input); res.Outcome != Success {
					b.Fatal(res.Trace.FailureReason)
				}
			}
		})
	}
}

// BenchmarkCompiledFor is the per-call cost of finding an action's cached
// compiled form (content hash).
func BenchmarkCompiledFor(b *testing.B) {
	rt, _ := New("http://127.0.0.1", StaticToken("t"), nil)
	a := parseAction(b, conversationActionJSON)
	b.ReportAllocs()
	for b.Loop() {
		rt.compiledFor(a)
	}
}
