package expr

import "testing"

// A typical String Builder expression from the blueprint's inbound flow.
var benchSrc = blueprintExprs[5]

func BenchmarkParseEval(b *testing.B) {
	env := MapEnv{"State.CustomerEmail": String("jane@example.com")}
	b.ReportAllocs()
	for b.Loop() {
		e, err := Parse(benchSrc)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := e.Eval(env); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEval(b *testing.B) {
	env := MapEnv{"State.CustomerEmail": String("jane@example.com")}
	e := MustParse(benchSrc)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Eval(env); err != nil {
			b.Fatal(err)
		}
	}
}
