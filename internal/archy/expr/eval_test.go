package expr

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// testEnv is a small flow state used by the evaluation tests.
func testEnv() MapEnv {
	return MapEnv{
		"State.CustomerEmail":        String("jane@example.com"),
		"State.Empty":                String(""),
		"State.Spaces":               String("   "),
		"State.Unset":                NotSet{},
		"State.Nil":                  nil,
		"State.N":                    Integer(5),
		"State.D":                    Decimal(2.5),
		"State.T":                    Boolean(true),
		"State.F":                    Boolean(false),
		"State.List":                 Collection{String("a"), String("b"), String("c")},
		"State.Nums":                 Collection{Integer(1), Integer(2)},
		"State.EmptyList":            Collection{},
		"State.Mixed":                Collection{Integer(1), String("two")},
		"State.ModuleSuccess":        Boolean(true),
		"State.CustomerId":           String("ext-9"),
		"Flow.ani":                   String("tel:+1 (317) 555-0100"),
		"Flow.contact":               Object{TypeName: "ExternalContact", Fields: map[string]Value{"personalEmail": String("p@example.com"), "workEmail": NotSet{}}},
		"Flow.noContact":             NotSet{},
		"Flow.contact.flat":          String("flat entry wins by longest prefix"),
		"Message.Message.body":       String("hello@example.com"),
		"Common.externalId":          NotSet{},
		"Common.customerId":          String("cust-1"),
		"Common.identifiedContactId": String("cust-1"),
		"Slot.Email":                 String("s@example.com"),
		"Task.Index":                 Integer(1),
		"Flow.jsonData": JSON{V: map[string]any{
			"conversationId": "c-1",
			"ani":            "+1 (317) 555-0100",
			"n":              json.Number("42"),
			"f":              2.5,
			"flag":           true,
			"arr":            []any{"x", "y"},
			"obj":            map[string]any{"k": "v"},
			"nul":            nil,
		}},
	}
}

func TestEval(t *testing.T) {
	tests := []struct {
		src  string
		want string // Value.String() of the result
	}{
		// Arithmetic.
		{`1 + 2 * 3`, `7`},
		{`(1 + 2) * 3`, `9`},
		{`7 / 2`, `3`},
		{`-7 / 2`, `-3`},
		{`7 % 3`, `1`},
		{`7.0 / 2`, `3.5`},
		{`1 + 0.5`, `1.5`},
		{`2.5 * 2`, `5.0`},
		{`5.5 % 2`, `1.5`},
		{`-State.N`, `-5`},
		{`- -3`, `3`},
		{`State.N - 10`, `-5`},
		// String concatenation with +.
		{`"a" + "b" + "c"`, `"abc"`},
		{`"ID: " + State.CustomerId`, `"ID: ext-9"`},
		// Comparison.
		{`1 < 2`, `true`},
		{`2 <= 2`, `true`},
		{`3 > 2.5`, `true`},
		{`2 >= 2.5`, `false`},
		{`"a" < "b"`, `true`},
		{`"B" < "a"`, `true`}, // byte order: upper case sorts first
		{`1 == 1.0`, `true`},
		{`1 != 2`, `true`},
		{`"abc" == "abc"`, `true`},
		{`"abc" == "ABC"`, `false`}, // case-sensitive
		{`true == TRUE`, `true`},
		{`State.List == MakeList("a", "b", "c")`, `true`},
		{`State.List == MakeList("a", "b")`, `false`},
		{`MakeCommunication("x") == "x"`, `true`},
		{`ToPhoneNumber("+1 317 555 0100") == ToPhoneNumber("tel:+13175550100")`, `true`},
		{`JsonParse("{\"a\":1,\"b\":[true]}") == JsonParse("{ \"b\": [true], \"a\": 1 }")`, `true`},
		{`Flow.contact == Flow.contact`, `true`},
		// NOT_SET equality (documented).
		{`NOT_SET == NOT_SET`, `true`},
		{`NOT_SET == "x"`, `false`},
		{`"x" != NOT_SET`, `true`},
		{`State.Unset == NOT_SET`, `true`},
		{`State.Nil == NOT_SET`, `true`},
		{`ToString(NOT_SET) == ""`, `false`},
		{`State.Unset == 5`, `false`},
		// Logic and short-circuit.
		{`true and false`, `false`},
		{`true or false`, `true`},
		{`!State.T`, `false`},
		{`not State.F`, `true`},
		{`false and State.Unset > 1`, `false`},
		{`true or State.Unset > 1`, `true`},
		{`IsSet(State.Unset) and State.Unset > 1`, `false`},
		{`State.F AND Nope.Missing`, `false`}, // right side never looked up
		{`true or 1`, `true`},                 // nor type-checked
		{`1 == 1 or 2 == 3 and false`, `true`},
		// Variables, properties and indexing.
		{`Message.Message.body`, `"hello@example.com"`},
		{`Flow.contact.personalEmail`, `"p@example.com"`},
		{`Flow.contact.PersonalEmail`, `"p@example.com"`},
		{`Flow.contact.workEmail`, `NOT_SET`},
		{`Flow.contact.flat`, `"flat entry wins by longest prefix"`},
		{`Flow.noContact.personalEmail`, `NOT_SET`},
		{`Flow.noContact.a.b.c`, `NOT_SET`},
		{`State.List[0]`, `"a"`},
		{`State.List[Task.Index + 1]`, `"c"`},
		{`Flow.jsonData.conversationId`, `JsonParse("\"c-1\"")`},
		{`Flow.jsonData.obj.k`, `JsonParse("\"v\"")`},
		{`Flow.jsonData.arr[1]`, `JsonParse("\"y\"")`},
		{`Flow.jsonData.missing`, `NOT_SET`},
		{`Flow.jsonData.nul`, `NOT_SET`},
		{`ToPhoneNumber(Flow.ani).e164`, `"+13175550100"`},
		{`ToPhoneNumber(Flow.ani).raw`, `"tel:+1 (317) 555-0100"`},
		{`ToPhoneNumber(NOT_SET).e164`, `NOT_SET`},
		{`MakeList(1, 2)[1]`, `2`},
	}
	env := testEnv()
	for _, tt := range tests {
		v, err := Eval(tt.src, env)
		if err != nil {
			t.Errorf("Eval(%q): %v", tt.src, err)
			continue
		}
		if got := v.String(); got != tt.want {
			t.Errorf("Eval(%q) = %s, want %s", tt.src, got, tt.want)
		}
	}
}

func TestEvalErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string // full Error() text
	}{
		{`5 + State.Unset`, `expr: 1:3: operator '+' applied to NOT_SET (Integer + NOT_SET); guard with IsSet or If in "5 + State.Unset"`},
		{`"a" + State.Unset`, `expr: 1:5: operator '+' applied to NOT_SET (String + NOT_SET); guard with IsSet or If in "\"a\" + State.Unset"`},
		{`State.Unset < 1`, `expr: 1:13: operator '<' applied to NOT_SET (NOT_SET < Integer); guard with IsSet or If in "State.Unset < 1"`},
		{`-State.Unset`, `expr: 1:1: operator '-' needs Integer or Decimal, got NOT_SET in "-State.Unset"`},
		{`!State.Unset`, `expr: 1:1: operator '!' needs Boolean, got NOT_SET in "!State.Unset"`},
		{`"n: " + 5`, `expr: 1:7: operator '+' not defined for String and Integer (use Append or ToString to build strings) in "\"n: \" + 5"`},
		{`"a" - "b"`, `expr: 1:5: operator '-' not defined for String and String in "\"a\" - \"b\""`},
		{`"1" == 1`, `expr: 1:5: cannot compare String with Integer in "\"1\" == 1"`},
		{`Flow.jsonData.conversationId == "c-1"`, `expr: 1:30: cannot compare JSON with String (convert JSON with ToString, ToInt, ...) in "Flow.jsonData.conversationId == \"c-1\""`},
		{`true < false`, `expr: 1:6: operator '<' not defined for Boolean and Boolean in "true < false"`},
		{`1 / 0`, `expr: 1:3: division by zero in "1 / 0"`},
		{`1 % 0`, `expr: 1:3: division by zero in "1 % 0"`},
		{`1.5 / 0`, `expr: 1:5: division by zero in "1.5 / 0"`},
		{`9223372036854775807 + 1`, `expr: 1:21: integer overflow in "9223372036854775807 + 1"`},
		{`-9223372036854775807 - 2`, `expr: 1:22: integer overflow in "-9223372036854775807 - 2"`},
		{`4611686018427387904 * 2`, `expr: 1:21: integer overflow in "4611686018427387904 * 2"`},
		{`1 and true`, `expr: 1:3: left operand of 'and' must be Boolean, got Integer in "1 and true"`},
		{`false or "x"`, `expr: 1:7: right operand of 'or' must be Boolean, got String in "false or \"x\""`},
		{`1 & 2`, `expr: 1:3: unsupported operator '&' (its Architect semantics are not documented) in "1 & 2"`},
		{`1 | 2`, `expr: 1:3: unsupported operator '|' (its Architect semantics are not documented) in "1 | 2"`},
		{`2 ^ 2`, `expr: 1:3: unsupported operator '^' (its Architect semantics are not documented) in "2 ^ 2"`},
		{`~1`, `expr: 1:1: unsupported operator '~' (its Architect semantics are not documented) in "~1"`},
		{`Nope.Missing`, `expr: 1:1: unknown variable Nope.Missing in "Nope.Missing"`},
		{"1 +\n  State.X", "expr: 2:3: unknown variable State.X in \"1 +\\n  State.X\""},
		{`State.CustomerEmail.length`, `expr: 1:1: String has no property "length" in "State.CustomerEmail.length"`},
		{`Flow.contact.phone`, `expr: 1:1: ExternalContact has no property "phone" in "Flow.contact.phone"`},
		{`ToPhoneNumber("1").country`, `expr: 1:20: PhoneNumber has no property "country" in "ToPhoneNumber(\"1\").country"`},
		{`Flow.jsonData.arr.x`, `expr: 1:1: cannot read property "x" of a JSON value that is not an object in "Flow.jsonData.arr.x"`},
		{`State.List[3]`, `expr: 1:11: index 3 out of range for collection of 3 items in "State.List[3]"`},
		{`State.List[-1]`, `expr: 1:11: index -1 out of range for collection of 3 items in "State.List[-1]"`},
		{`State.List["0"]`, `expr: 1:11: index must be Integer, got String in "State.List[\"0\"]"`},
		{`State.Unset[0]`, `expr: 1:12: cannot index NOT_SET in "State.Unset[0]"`},
		{`State.N[0]`, `expr: 1:8: cannot index Integer in "State.N[0]"`},
		{`Flow.jsonData.arr[2]`, `expr: 1:18: index 2 out of range for JSON array of 2 items in "Flow.jsonData.arr[2]"`},
		{`Flow.jsonData.obj[0]`, `expr: 1:18: cannot index a JSON value that is not an array in "Flow.jsonData.obj[0]"`},
		{`NoSuchFunc(1)`, `expr: 1:1: unknown function NoSuchFunc in "NoSuchFunc(1)"`},
		{`If(true, 1)`, `expr: 1:1: If takes 3 arguments, got 2 in "If(true, 1)"`},
		{`1 + GetCurrentDateTimeUtc()`, `expr: 1:5: function GetCurrentDateTimeUtc is not implemented by the emulator in "1 + GetCurrentDateTimeUtc()"`},
		// The error points at the argument, not the call.
		{`Append("a", Lower(State.Unset))`, `expr: 1:19: Lower: argument 1 (text) is NOT_SET, which Lower does not allow (guard it with IsSet or IsNotSetOrEmpty) in "Append(\"a\", Lower(State.Unset))"`},
		{`Append("a", ToLower(State.Unset))`, `expr: 1:13: unknown function ToLower in "Append(\"a\", ToLower(State.Unset))"`},
		{`Trim(State.N)`, `expr: 1:1: no overload of Trim takes (Integer); it takes Trim(String) -> String in "Trim(State.N)"`},
	}
	env := testEnv()
	for _, tt := range tests {
		v, err := Eval(tt.src, env)
		if err == nil {
			t.Errorf("Eval(%q) = %v, want error", tt.src, v)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Eval(%q) error\n got: %s\nwant: %s", tt.src, err, tt.want)
		}
		var pe *Error
		if !errors.As(err, &pe) || pe.Kind != RuntimeError {
			t.Errorf("Eval(%q) error %#v is not a RuntimeError *Error", tt.src, err)
		}
	}
}

// TestBlueprintEval runs the blueprint's expressions against plausible state.
func TestBlueprintEval(t *testing.T) {
	tests := []struct {
		src  string
		env  MapEnv
		want string
	}{
		{blueprintExprs[3], nil, `MakeCommunication("The one you sent is either invalid or incorrect.Please enter your email to start.")`},
		{blueprintExprs[5], MapEnv{"State.CustomerEmail": String("jane@example.com")},
			`"Hello  jane@example.com ! Please wait as we route you to an agent shortly."`},
		{blueprintExprs[5], MapEnv{"State.CustomerEmail": NotSet{}},
			`"Hello  ! Please wait as we route you to an agent shortly."`},
		{blueprintExprs[8], MapEnv{"State.ModuleSuccess": Boolean(true), "State.CustomerId": String("ext-9")},
			`"Common Module Status:  Success.  Customer ID:  ext-9"`},
		{blueprintExprs[8], MapEnv{"State.ModuleSuccess": Boolean(false), "State.CustomerId": NotSet{}},
			`"Common Module Status:  Failed.  Customer ID:  Module Failed."`},
		{blueprintExprs[12], MapEnv{"Common.identifiedContactId": String("c1"), "Common.externalId": NotSet{}, "Common.customerId": String("c1")}, `true`},
		{blueprintExprs[12], MapEnv{"Common.identifiedContactId": String("c1"), "Common.externalId": String("c2"), "Common.customerId": NotSet{}}, `false`},
		{blueprintExprs[13], MapEnv{"Common.externalId": NotSet{}, "Common.customerId": String("cust")}, `"cust"`},
		{blueprintExprs[13], MapEnv{"Common.externalId": String("ext"), "Common.customerId": String("cust")}, `"ext"`},
	}
	for _, tt := range tests {
		v, err := MustParse(tt.src).Eval(tt.env)
		if err != nil {
			t.Errorf("Eval(%q): %v", tt.src, err)
			continue
		}
		if got := v.String(); got != tt.want {
			t.Errorf("Eval(%q)\n got %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

func TestEvalNilEnv(t *testing.T) {
	if v, err := MustParse(`1 + 1`).Eval(nil); err != nil || v != Integer(2) {
		t.Errorf("Eval(nil env) = %v, %v", v, err)
	}
	_, err := MustParse(`x`).Eval(nil)
	if err == nil || !strings.Contains(err.Error(), "unknown variable x (no environment)") {
		t.Errorf("variable with nil env: %v", err)
	}
}

func TestEnvSegmentCount(t *testing.T) {
	// An environment that treats the first two segments as the variable.
	env := EnvFunc(func(path []string) (Value, int, bool) {
		if len(path) >= 2 && path[0] == "Flow" && path[1] == "data" {
			return JSON{V: map[string]any{"a": map[string]any{"b": "deep"}}}, 2, true
		}
		if path[0] == "Bad" {
			return String("x"), 5, true
		}
		return nil, 0, false
	})
	v, err := Eval(`ToString(Flow.data.a.b)`, env)
	if err != nil || v != String("deep") {
		t.Errorf("got %v, %v; want \"deep\"", v, err)
	}
	if _, err := Eval(`Bad.x`, env); err == nil || !strings.Contains(err.Error(), "invalid segment count 5") {
		t.Errorf("bad segment count: %v", err)
	}
}

func TestStringLimit(t *testing.T) {
	// Each Replace multiplies the length by 64; four levels exceed the cap.
	src := `Replace(Replace(Replace(Replace("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), "a", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")`
	_, err := Eval(src, nil)
	if err == nil || !strings.Contains(err.Error(), "string result longer than") {
		t.Errorf("got %v, want length error", err)
	}
}

func TestDisplay(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{nil, ""},
		{NotSet{}, ""},
		{String("s"), "s"},
		{Integer(-3), "-3"},
		{Decimal(2), "2"},
		{Decimal(0.1), "0.1"},
		{Boolean(true), "true"},
		{Collection{String("a"), NotSet{}, Integer(1)}, "a, , 1"},
		{JSON{V: "str"}, "str"},
		{JSON{V: map[string]any{"b": 1, "a": "<x>"}}, `{"a":"<x>","b":1}`},
		{Communication("hi"), "hi"},
		{PhoneNumber{Raw: "+1 555", E164: "+1555"}, "+1 555"},
		{Object{Fields: map[string]Value{"b": Integer(1), "a": String("x")}}, `Object{a: "x", b: 1}`},
	}
	for _, tt := range tests {
		if got := Display(tt.v); got != tt.want {
			t.Errorf("Display(%#v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestValueTypes(t *testing.T) {
	tests := []struct {
		v    Value
		want string
	}{
		{NotSet{}, "NOT_SET"}, {String(""), "String"}, {Integer(0), "Integer"}, {Decimal(0), "Decimal"},
		{Boolean(false), "Boolean"}, {Collection{}, "Collection"}, {JSON{}, "JSON"},
		{Communication(""), "Communication"}, {PhoneNumber{}, "PhoneNumber"},
		{Object{}, "Object"}, {Object{TypeName: "ExternalContact"}, "ExternalContact"},
	}
	for _, tt := range tests {
		if got := tt.v.Type(); got != tt.want {
			t.Errorf("%#v.Type() = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// TestValueStringParses checks that the debugging form of values is itself an
// expression evaluating to an equal value.
func TestValueStringParses(t *testing.T) {
	vals := []Value{
		NotSet{}, String("a\"b\\\n"), Integer(-7), Decimal(3), Decimal(-0.25), Boolean(true),
		Collection{String("x"), String("y")}, Communication("hello"),
		PhoneNumber{Raw: "+1 555", E164: "+1555"}, JSON{V: map[string]any{"a": json.Number("1")}},
	}
	for _, v := range vals {
		got, err := Eval(v.String(), nil)
		if err != nil {
			t.Errorf("Eval(%s): %v", v, err)
			continue
		}
		if eq, err := equal(got, v); err != nil || !eq {
			t.Errorf("Eval(%s) = %s, not equal to the original (%v)", v, got, err)
		}
	}
}

func TestErrorUnwrap(t *testing.T) {
	_, err := Eval(`JsonParse("{\"a\":}")`, nil)
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		t.Errorf("JsonParse error %v does not wrap *json.SyntaxError", err)
	}
	if RuntimeError.String() != "runtime error" || SyntaxError.String() != "syntax error" || CheckError.String() != "check error" {
		t.Error("ErrorKind.String")
	}
}

// TestJSONFromGoValues covers JSON values built by environment code rather
// than by JsonParse (plain Go numbers instead of json.Number).
func TestJSONFromGoValues(t *testing.T) {
	env := MapEnv{"Flow.j": JSON{V: map[string]any{"i": 7, "i64": int64(8), "i32": int32(9), "f32": float32(1.5), "f": 2.0, "big": 1e300}}}
	tests := []struct{ src, want string }{
		{`ToString(Flow.j.i)`, `"7"`},
		{`ToString(Flow.j.i64)`, `"8"`},
		{`ToDisplayString(Flow.j.f32)`, `"1.5"`},
		{`ToString(Flow.j.f)`, `"2"`},
	}
	for _, tt := range tests {
		v, err := Eval(tt.src, env)
		if err != nil || v.String() != tt.want {
			t.Errorf("Eval(%q) = %v, %v; want %s", tt.src, v, err, tt.want)
		}
	}
	// The catalogue has no JSON overloads: ToInt(JSON) is a type error.
	if _, err := Eval(`ToInt(Flow.j.big)`, env); err == nil || !strings.Contains(err.Error(), "no overload of ToInt takes (JSON)") {
		t.Errorf("ToInt(JSON): %v", err)
	}
	if _, err := Eval(`ToInt(9223372036854775807.0 * 10.0)`, env); err == nil || !strings.Contains(err.Error(), "out of Integer range") {
		t.Errorf("ToInt(9.2e19): %v", err)
	}
}

// TestConcurrentEval evaluates one parsed expression from several goroutines;
// run with -race.
func TestConcurrentEval(t *testing.T) {
	e := MustParse(blueprintExprs[5])
	env := testEnv()
	done := make(chan string)
	for range 4 {
		go func() {
			var last string
			for range 200 {
				v, err := e.Eval(env)
				if err != nil {
					last = err.Error()
					break
				}
				last = v.String()
			}
			done <- last
		}()
	}
	want := `"Hello  jane@example.com ! Please wait as we route you to an agent shortly."`
	for range 4 {
		if got := <-done; got != want {
			t.Errorf("concurrent Eval = %s, want %s", got, want)
		}
	}
}
