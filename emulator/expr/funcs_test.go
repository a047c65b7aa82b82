package expr

import (
	"errors"
	"sort"
	"strings"
	"testing"
)

// funcCases exercises every emulated function. want is Value.String() of the
// result; err, if set, is a substring of the expected error message.
var funcCases = []struct {
	src, want, err string
}{
	// If: lazy branches, strict condition.
	{src: `If(true, "y", "n")`, want: `"y"`},
	{src: `If(1 > 2, "y", "n")`, want: `"n"`},
	{src: `if(State.T, 1, 2)`, want: `1`},
	{src: `If(IsSet(State.Unset), State.Unset + 1, 0)`, want: `0`},
	{src: `If(false, Nope.Missing, NOT_SET)`, want: `NOT_SET`},
	{src: `If(State.Unset, 1, 2)`, err: `If: condition is NOT_SET`},
	{src: `If("true", 1, 2)`, err: `If: condition must be Boolean, got String`},

	// IsSet / IsNotSetOrEmpty / IsEmpty.
	{src: `IsSet(State.CustomerEmail)`, want: `true`},
	{src: `IsSet(State.Unset)`, want: `false`},
	{src: `IsSet(State.Empty)`, want: `true`},
	{src: `ISSET(NOT_SET)`, want: `false`},
	{src: `IsNotSetOrEmpty(State.Unset)`, want: `true`},
	{src: `IsNotSetOrEmpty(State.Empty)`, want: `true`},
	{src: `IsNotSetOrEmpty(State.Spaces)`, want: `false`},
	{src: `isNotSetOrEmpty(State.CustomerEmail)`, want: `false`},
	{src: `IsNotSetOrEmpty(State.EmptyList)`, want: `true`},
	{src: `IsNotSetOrEmpty(State.List)`, want: `false`},
	{src: `IsNotSetOrEmpty(State.N)`, want: `false`},
	{src: `IsNotSetOrEmpty(Flow.noContact.personalEmail)`, want: `true`},
	{src: `IsNotSetOrEmpty(Flow.jsonData.arr)`, want: `false`},
	{src: `IsNotSetOrEmpty(ToDisplayString(State.Unset))`, want: `true`},
	{src: `IsEmpty(State.Empty)`, want: `true`},
	{src: `IsEmpty(State.List)`, want: `false`},
	{src: `IsEmpty(MakeList())`, want: `true`},
	{src: `IsEmpty(State.Unset)`, err: `IsEmpty: argument 1 is NOT_SET (use IsNotSetOrEmpty)`},
	{src: `IsEmpty(5)`, err: `IsEmpty: argument 1 must be String or Collection, got Integer`},

	// Append.
	{src: `Append("a", "b", "c")`, want: `"abc"`},
	{src: `Append("x")`, want: `"x"`},
	{src: `Append("a", State.Unset, "b")`, want: `"ab"`},
	{src: `append(NOT_SET)`, want: `""`},
	{src: `Append("n=", 5)`, err: `Append: argument 2 must be String, got Integer (use ToString)`},
	{src: `Append()`, err: `Append takes at least 1 argument, got 0`},

	// Trim, case conversion.
	{src: `Trim("  a b \n\t")`, want: `"a b"`},
	{src: `Trim(State.Unset)`, err: `Trim: argument 1 is NOT_SET`},
	{src: `ToLower("AbÇ")`, want: `"abç"`},
	{src: `ToUpper("abç")`, want: `"ABÇ"`},
	{src: `Lower("MiXeD")`, want: `"mixed"`},
	{src: `lower("MiXeD")`, want: `"mixed"`},
	{src: `Upper("MiXeD")`, want: `"MIXED"`},
	{src: `ToLower(State.Unset)`, err: `ToLower: argument 1 is NOT_SET`},
	{src: `ToUpper(1)`, err: `ToUpper: argument 1 must be String, got Integer`},

	// Replace.
	{src: `Replace("+1+2", "+", "")`, want: `"12"`},
	{src: `Replace("aaa", "a", "bb")`, want: `"bbbbbb"`},
	{src: `Replace("abc", "B", "x")`, want: `"abc"`},
	{src: `Replace("abc", "", "x")`, want: `"abc"`},
	{src: `Replace(State.Unset, "a", "b")`, err: `Replace: argument 1 is NOT_SET`},
	{src: `Replace("a", "a")`, err: `Replace takes 3 arguments, got 2`},

	// Contains / StartsWith / EndsWith.
	{src: `Contains("sip:abc", "sip")`, want: `true`},
	{src: `contains("SIP:abc", "sip")`, want: `false`},
	{src: `Contains(State.List, "b")`, want: `true`},
	{src: `Contains(State.List, "z")`, want: `false`},
	{src: `Contains(State.List, 1)`, err: `Contains: cannot compare String with Integer`},
	{src: `Contains(State.Unset, "a")`, err: `Contains: argument 1 is NOT_SET`},
	{src: `StartsWith("hello", "he")`, want: `true`},
	{src: `StartsWith("hello", "He")`, want: `false`},
	{src: `EndsWith("hello", "lo")`, want: `true`},
	{src: `endswith("hello", "x")`, want: `false`},
	{src: `EndsWith("hello", State.Unset)`, err: `EndsWith: argument 2 is NOT_SET`},

	// Left / Right / Substring / Length (character based).
	{src: `Left("0.123456", 4)`, want: `"0.12"`},
	{src: `Left("ab", 5)`, want: `"ab"`},
	{src: `Left("héllo", 2)`, want: `"hé"`},
	{src: `Left("ab", 0)`, want: `""`},
	{src: `Left("ab", -1)`, err: `Left: argument 2 must not be negative, got -1`},
	{src: `Right("+13175550100", 10)`, want: `"3175550100"`},
	{src: `right("ab", 12)`, want: `"ab"`},
	{src: `Right("ab", "1")`, err: `Right: argument 2 must be Integer, got String`},
	{src: `Substring("hello", 1, 3)`, want: `"ell"`},
	{src: `Substring("hello", 3, 10)`, want: `"lo"`},
	{src: `Substring("hello", 5, 1)`, want: `""`},
	{src: `Substring("hello", 6, 1)`, err: `Substring: start index 6 beyond end of string of length 5`},
	{src: `Substring("hello", -1, 1)`, err: `Substring: argument 2 must not be negative`},
	{src: `Length("héllo")`, want: `5`},
	{src: `Length("")`, want: `0`},
	{src: `Length(State.List)`, err: `Length: argument 1 must be String (use Count for collections), got Collection`},
	{src: `Length(State.Unset)`, err: `Length: argument 1 is NOT_SET`},

	// ToDisplayString / ToString.
	{src: `ToDisplayString(State.Unset)`, want: `""`},
	{src: `ToDisplayString("x")`, want: `"x"`},
	{src: `ToDisplayString(42)`, want: `"42"`},
	{src: `ToDisplayString(2.50)`, want: `"2.5"`},
	{src: `ToDisplayString(true)`, want: `"true"`},
	{src: `ToDisplayString(State.List)`, want: `"a, b, c"`},
	{src: `ToDisplayString(MakeCommunication("hi"))`, want: `"hi"`},
	{src: `ToDisplayString(Flow.jsonData.obj)`, want: `"{\"k\":\"v\"}"`},
	{src: `ToString(NOT_SET)`, want: `NOT_SET`},
	{src: `ToString(12)`, want: `"12"`},
	{src: `ToString(-0.5)`, want: `"-0.5"`},
	{src: `ToString(false)`, want: `"false"`},
	{src: `ToString(Flow.jsonData.conversationId)`, want: `"c-1"`},
	{src: `ToString(Flow.jsonData.n)`, want: `"42"`},
	{src: `ToString(Flow.jsonData.arr)`, want: `"[\"x\",\"y\"]"`},
	{src: `ToString(ToPhoneNumber(Flow.ani).e164)`, want: `"+13175550100"`},
	{src: `ToString(State.List, "</p>")`, want: `"a</p>b</p>c"`},
	{src: `ToString(MakeList("a", NOT_SET, "c"), ",")`, want: `"a,,c"`},
	{src: `ToString(State.EmptyList, ",")`, want: `""`},
	{src: `ToString(Flow.jsonData.arr, "|")`, want: `"x|y"`},
	{src: `ToString(State.Unset, ",")`, want: `NOT_SET`},
	{src: `ToString("abc", ",")`, err: `ToString: argument 1 must be Collection, got String`},

	// ToInt / ToDecimal / ToBool.
	{src: `ToInt("42")`, want: `42`},
	{src: `ToInt(" -7 ")`, want: `-7`},
	{src: `ToInt(3.9)`, want: `3`},
	{src: `ToInt(-3.9)`, want: `-3`},
	{src: `ToInt(Flow.jsonData.n)`, want: `42`},
	{src: `ToInt(Flow.jsonData.f)`, want: `2`},
	{src: `ToInt(NOT_SET)`, want: `NOT_SET`},
	{src: `ToInt("1.5")`, err: `ToInt: cannot convert "1.5" to Integer`},
	{src: `ToInt("abc")`, err: `ToInt: cannot convert "abc" to Integer`},
	{src: `ToInt(true)`, err: `ToInt: argument 1 must be String, Decimal or JSON number, got Boolean`},
	{src: `ToInt(1e3)`, err: `found identifier "e3"`}, // no exponent syntax
	{src: `ToDecimal("2.5")`, want: `2.5`},
	{src: `ToDecimal(3)`, want: `3.0`},
	{src: `ToDecimal(Flow.jsonData.f)`, want: `2.5`},
	{src: `ToDecimal(NOT_SET)`, want: `NOT_SET`},
	{src: `ToDecimal("NaN")`, err: `ToDecimal: cannot convert "NaN" to Decimal`},
	{src: `ToDecimal("0x10")`, err: `ToDecimal: cannot convert "0x10" to Decimal`},
	{src: `ToBool("TRUE")`, want: `true`},
	{src: `ToBool(" false ")`, want: `false`},
	{src: `ToBool(0)`, want: `false`},
	{src: `ToBool(2)`, want: `true`},
	{src: `ToBool(Flow.jsonData.flag)`, want: `true`},
	{src: `ToBool(NOT_SET)`, want: `NOT_SET`},
	{src: `ToBool("yes")`, err: `ToBool: cannot convert "yes" to Boolean`},

	// Communications.
	{src: `MakeCommunication("Hello ", "world")`, want: `MakeCommunication("Hello world")`},
	{src: `MakeCommunication("a", ToCommunication(NOT_SET), State.Unset, "b")`, want: `MakeCommunication("ab")`},
	{src: `MakeCommunication("n=", ToCommunication(5))`, want: `MakeCommunication("n=5")`},
	{src: `MakeCommunication(5)`, err: `MakeCommunication: argument 1 must be String or Communication, got Integer (use ToCommunication)`},
	{src: `MakeCommunication()`, err: `MakeCommunication takes at least 1 argument, got 0`},
	{src: `ToCommunication("x")`, want: `MakeCommunication("x")`},
	{src: `ToCommunication(ResolveSlot(Slot.Email), State.Unset)`, want: `MakeCommunication("s@example.com")`},
	{src: `ToCommunication(NOT_SET)`, want: `NOT_SET`},

	// Collections.
	{src: `MakeList()`, want: `MakeList()`},
	{src: `MakeList("a", "b")`, want: `MakeList("a", "b")`},
	{src: `MakeList("a", NOT_SET)`, want: `MakeList("a", NOT_SET)`},
	{src: `MakeList("a", 1)`, err: `MakeList: item 2 is Integer but earlier items are String`},
	{src: `AddItem(State.List, "d")`, want: `MakeList("a", "b", "c", "d")`},
	{src: `AddItem(State.Unset, "d")`, want: `MakeList("d")`},
	{src: `Count(AddItem(State.List, "d")) + Count(State.List)`, want: `7`}, // AddItem does not mutate
	{src: `AddItem("a", "b")`, err: `AddItem: argument 1 must be Collection, got String`},
	{src: `Count(State.List)`, want: `3`},
	{src: `count(State.Unset)`, want: `0`},
	{src: `Count(Flow.jsonData.arr)`, want: `2`},
	{src: `Count("abc")`, err: `Count: argument 1 must be Collection, got String`},
	{src: `GetAt(State.List, 1)`, want: `"b"`},
	{src: `GetAt(Flow.jsonData.arr, 0)`, want: `JsonParse("\"x\"")`},
	{src: `GetAt(State.List, 3)`, err: `GetAt: index 3 out of range for collection of 3 items`},
	{src: `GetAt(State.Unset, 0)`, err: `GetAt: argument 1 is NOT_SET`},
	{src: `GetAt(State.List, State.Unset)`, err: `GetAt: argument 2 is NOT_SET`},
	{src: `GetAt(State.List, "1")`, err: `GetAt: argument 2 must be Integer, got String`},
	{src: `FindFirst(State.List, "c")`, want: `2`},
	{src: `FindFirst(State.List, "z")`, want: `-1`},
	{src: `FindFirst(State.Unset, "z")`, want: `-1`},
	{src: `FindFirst(State.Nums, 2.0)`, want: `1`},
	{src: `FindFirst("héllo", "llo")`, want: `2`},
	{src: `FindFirst("hello", "z")`, want: `-1`},
	{src: `FindFirst(State.List, 1)`, err: `FindFirst: cannot compare String with Integer`},
	{src: `FindFirst(5, 1)`, err: `FindFirst: argument 1 must be Collection, got Integer`},
	{src: `AreEqual("genesys.x", "genesys.x")`, want: `true`},
	{src: `AreEqual(1, 2)`, want: `false`},
	{src: `AreEqual(NOT_SET, NOT_SET)`, want: `true`},
	{src: `AreEqual("1", 1)`, err: `cannot compare String with Integer`},
	{src: `Split("a,b,,c", ",")`, want: `MakeList("a", "b", "", "c")`},
	{src: `Split("abc", ",")`, want: `MakeList("abc")`},
	{src: `Split("", ",")`, want: `MakeList()`},
	{src: `Split("abc", "")`, err: `Split: separator must not be empty`},
	{src: `Split(State.Unset, ",")`, err: `Split: argument 1 is NOT_SET`},

	// JSON.
	{src: `JsonParse("{\"a\": {\"b\": [1, 2]}}").a.b[1]`, want: `JsonParse("2")`},
	{src: `ToInt(JsonParse("12345678901234567"))`, want: `12345678901234567`},
	{src: `JsonParse("null")`, want: `NOT_SET`},
	{src: `JsonParse(NOT_SET)`, want: `NOT_SET`},
	{src: `JsonParse("{")`, err: `JsonParse: invalid JSON: unexpected EOF`},
	{src: `JsonParse("1 2")`, err: `JsonParse: invalid JSON: data after the first value`},
	{src: `GetJsonObjectProperty(Flow.jsonData, "ani")`, want: `JsonParse("\"+1 (317) 555-0100\"")`},
	{src: `GetJsonObjectProperty(Flow.jsonData, "missing")`, want: `NOT_SET`},
	{src: `GetJsonObjectProperty(Flow.jsonData, "nul")`, want: `NOT_SET`},
	{src: `GetJsonObjectProperty(Flow.jsonData.arr, "x")`, err: `GetJsonObjectProperty: argument 1 is a JSON value that is not an object`},
	{src: `GetJsonObjectProperty(State.Unset, "x")`, err: `GetJsonObjectProperty: argument 1 is NOT_SET`},
	{src: `GetJsonObjectProperty("{}", "x")`, err: `GetJsonObjectProperty: argument 1 must be JSON, got String`},

	// Phone numbers.
	{src: `ToPhoneNumber(ToString(GetJsonObjectProperty(Flow.jsonData, "ani"))).e164`, want: `"+13175550100"`},
	{src: `Replace(ToString(ToPhoneNumber(Flow.ani).e164), "+", "")`, want: `"13175550100"`},
	{src: `ToPhoneNumber("317-555-0100").e164`, want: `"3175550100"`},
	{src: `ToPhoneNumber("anonymous").e164`, want: `""`},
	{src: `ToPhoneNumber("1+2").E164`, want: `"12"`},
	{src: `tophonenumber(ToPhoneNumber("+1 2")).e164`, want: `"+12"`},
	{src: `ToPhoneNumber(NOT_SET)`, want: `NOT_SET`},
	{src: `ToPhoneNumber(5)`, err: `ToPhoneNumber: argument 1 must be String, got Integer`},

	// Bot slots.
	{src: `ResolveSlot(Slot.Email)`, want: `"s@example.com"`},
}

func TestFunctions(t *testing.T) {
	env := testEnv()
	for _, tt := range funcCases {
		v, err := Eval(tt.src, env)
		switch {
		case tt.err != "":
			if err == nil {
				t.Errorf("Eval(%q) = %s, want error containing %q", tt.src, v, tt.err)
			} else if !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Eval(%q) error\n got: %v\nwant substring: %s", tt.src, err, tt.err)
			}
		case err != nil:
			t.Errorf("Eval(%q): %v", tt.src, err)
		case v.String() != tt.want:
			t.Errorf("Eval(%q) = %s, want %s", tt.src, v, tt.want)
		}
	}
}

// TestFunctionsCovered makes sure every emulated function in the table has a
// test case, so that adding a function without tests fails.
func TestFunctionsCovered(t *testing.T) {
	called := map[string]bool{}
	for _, tt := range funcCases {
		if e, err := Parse(tt.src); err == nil {
			for _, f := range e.Funcs() {
				called[f] = true
			}
		}
	}
	for _, f := range Functions() {
		if f.Emulated && !called[f.Name] {
			t.Errorf("function %s has no test case in funcCases", f.Name)
		}
	}
}

func TestFunctionArgErrorPosition(t *testing.T) {
	src := "Append(\"a\",\n  Left(\"abc\", -2))"
	_, err := Eval(src, nil)
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want *Error", err)
	}
	// The position is that of the offending argument -2 (the unary minus).
	if pe.Line != 2 || pe.Col != 15 || src[pe.Offset] != '-' {
		t.Errorf("error at %d:%d (offset %d), want 2:15 on '-': %v", pe.Line, pe.Col, pe.Offset, err)
	}
}

func TestFunctionsTable(t *testing.T) {
	fs := Functions()
	if !sort.SliceIsSorted(fs, func(i, j int) bool { return fs[i].Name < fs[j].Name }) {
		t.Error("Functions() is not sorted")
	}
	seen := map[string]bool{}
	for _, f := range fs {
		key := strings.ToLower(f.Name)
		if seen[key] {
			t.Errorf("duplicate function %s", f.Name)
		}
		seen[key] = true
		if f.Doc == "" {
			t.Errorf("function %s has no doc line", f.Name)
		}
		if f.MaxArgs >= 0 && f.MaxArgs < f.MinArgs {
			t.Errorf("function %s: MaxArgs %d < MinArgs %d", f.Name, f.MaxArgs, f.MinArgs)
		}
	}
	info, ok := LookupFunc("isnotsetorempty")
	if !ok || info.Name != "IsNotSetOrEmpty" || info.MinArgs != 1 || info.MaxArgs != 1 || !info.Emulated {
		t.Errorf("LookupFunc(isnotsetorempty) = %+v, %v", info, ok)
	}
	if info, ok := LookupFunc("FindQueueById"); !ok || info.Emulated {
		t.Errorf("LookupFunc(FindQueueById) = %+v, %v; want known, not emulated", info, ok)
	}
	if _, ok := LookupFunc("Nope"); ok {
		t.Error("LookupFunc(Nope) succeeded")
	}
}

func TestNewPhoneNumber(t *testing.T) {
	tests := []struct{ raw, e164 string }{
		{"+1 (317) 555-0100", "+13175550100"},
		{"tel:+13175550100", "+13175550100"},
		{"3175550100", "3175550100"},
		{"1+317", "1317"},
		{"++1", "+1"},
		{"+", ""},
		{"", ""},
		{"sip:+1555@host", "+1555"},
	}
	for _, tt := range tests {
		if got := NewPhoneNumber(tt.raw); got.E164 != tt.e164 || got.Raw != tt.raw {
			t.Errorf("NewPhoneNumber(%q) = %+v, want E164 %q", tt.raw, got, tt.e164)
		}
	}
}
