package expr_test

import (
	"fmt"

	"github.com/bpgen/bpgen/internal/archy/expr"
)

func Example() {
	e, err := expr.Parse(`If(IsSet(Common.externalId), Common.externalId, Common.customerId)`)
	if err != nil {
		panic(err)
	}
	env := expr.MapEnv{
		"Common.externalId": expr.NotSet{},
		"Common.customerId": expr.String("cust-42"),
	}
	v, err := e.Eval(env)
	fmt.Println(expr.Display(v), err)
	fmt.Println(e.Vars())
	fmt.Println(e.Funcs())
	// Output:
	// cust-42 <nil>
	// [Common.customerId Common.externalId]
	// [If IsSet]
}

func ExampleParse_error() {
	_, err := expr.Parse(`If(IsSet(x), 1`)
	fmt.Println(err)
	// Output:
	// expr: 1:15: expected ')' after arguments of If, found end of expression in "If(IsSet(x), 1"
}

func ExampleQuote() {
	fmt.Println(expr.Quote("Say \"yes\"\nor no"))
	// Output:
	// "Say \"yes\"\nor no"
}

func ExampleCheck() {
	for _, err := range expr.Check(`Trim(Apend("a", "b"), 1)`) {
		fmt.Println(err)
	}
	// Output:
	// expr: 1:1: Trim takes 1 argument, got 2 in "Trim(Apend(\"a\", \"b\"), 1)"
	// expr: 1:6: unknown function Apend in "Trim(Apend(\"a\", \"b\"), 1)"
}
