package expr

import (
	"errors"
	"sort"
	"strings"
	"testing"
)

// funcCases exercises every emulated function against the catalogue's
// documented behaviour (quoted where it decides). want is Value.String() of
// the result; err, if set, is a substring of the expected error message.
var funcCases = []struct {
	src, want, err string
}{
	// If: "Only the trueValue or falseValue parameter will be evaluated";
	// "A NOT_SET Boolean is considered false."
	{src: `If(true, "y", "n")`, want: `"y"`},
	{src: `If(1 > 2, "y", "n")`, want: `"n"`},
	{src: `if(State.T, 1, 2)`, want: `1`},
	{src: `If(IsSet(State.Unset), State.Unset + 1, 0)`, want: `0`},
	{src: `If(false, Nope.Missing, NOT_SET)`, want: `NOT_SET`},
	{src: `If(true, 1, Nope.Missing)`, want: `1`},
	{src: `If(State.Unset, 1, 2)`, want: `2`},
	{src: `If(NOT_SET, "y", "n")`, want: `"n"`},
	{src: `If("true", 1, 2)`, err: `If: argument 1 (condition) must be Boolean, got String`},

	// IsSet / IsNotSetOrEmpty: "Determines whether a value is NOT_SET or empty."
	{src: `IsSet(State.CustomerEmail)`, want: `true`},
	{src: `IsSet(State.Unset)`, want: `false`},
	{src: `IsSet(State.Empty)`, want: `true`},
	{src: `ISSET(NOT_SET)`, want: `false`},
	{src: `IsNotSetOrEmpty(State.Unset)`, want: `true`},
	{src: `IsNotSetOrEmpty(NOT_SET)`, want: `true`},
	{src: `IsNotSetOrEmpty(State.Empty)`, want: `true`},
	{src: `IsNotSetOrEmpty(State.Spaces)`, want: `false`},
	{src: `isNotSetOrEmpty(State.CustomerEmail)`, want: `false`},
	{src: `IsNotSetOrEmpty(State.EmptyList)`, want: `true`},
	{src: `IsNotSetOrEmpty(State.List)`, want: `false`},
	{src: `IsNotSetOrEmpty(State.N)`, want: `false`},
	{src: `IsNotSetOrEmpty(Flow.noContact.personalEmail)`, want: `true`},
	{src: `IsNotSetOrEmpty(Flow.jsonData.arr)`, want: `false`},
	{src: `IsNotSetOrEmpty(ToDisplayString(State.Unset))`, want: `true`},

	// Append: "A NOT_SET String is treated as a blank string."
	{src: `Append("a", "b", "c")`, want: `"abc"`},
	{src: `Append("a", State.Unset, "b")`, want: `"ab"`},
	{src: `append(NOT_SET, NOT_SET)`, want: `""`},
	{src: `Append("n=", 5)`, err: `no overload of Append takes (String, Integer); it takes Append(String, String...) -> String or Append(Audio or Prompt, Audio or Prompt...) -> Audio`},
	{src: `Append("x")`, err: `Append takes at least 2 arguments, got 1`},

	// Trim family: "Whitespace characters are space, tab, carriage return
	// and line feed" (so a no-break space stays).
	{src: `Trim("  a b \n\t\r")`, want: `"a b"`},
	{src: "Trim(\"\u00a0a\u00a0\")", want: "\"\u00a0a\u00a0\""},
	{src: `LTrim("  a  ")`, want: `"a  "`},
	{src: `RTrim("  a  ")`, want: `"  a"`},
	{src: `Trim(State.Unset)`, err: `Trim: argument 1 (stringToTrim) is NOT_SET, which Trim does not allow`},

	// Case: "in a culture invariant manner".
	{src: `Lower("MiXeD ÀÇ")`, want: `"mixed àç"`},
	{src: `lower("MiXeD")`, want: `"mixed"`},
	{src: `Upper("MiXeD àç")`, want: `"MIXED ÀÇ"`},
	{src: `Lower(State.Unset)`, err: `Lower: argument 1 (text) is NOT_SET, which Lower does not allow`},
	{src: `Upper(1)`, err: `no overload of Upper takes (Integer); it takes Upper(String) -> String`},
	{src: `Reverse("héllo")`, want: `"olléh"`},

	// Replace: "A NOT_SET value is treated as a blank string" (the
	// replacement only); "This is a case sensitive match."
	{src: `Replace("Hello World", "Hello", NOT_SET)`, want: `" World"`},
	{src: `Replace("Hello World", "Hello", State.Unset)`, want: `" World"`},
	{src: `Replace("+1+2", "+", "")`, want: `"12"`},
	{src: `Replace("aaa", "a", "bb")`, want: `"bbbbbb"`},
	{src: `Replace("abc", "B", "x")`, want: `"abc"`},
	{src: `Replace("abc", "", "x")`, want: `"abc"`},
	{src: `Replace(State.Unset, "a", "b")`, err: `Replace: argument 1 (text) is NOT_SET, which Replace does not allow`},
	{src: `Replace("a", State.Unset, "b")`, err: `Replace: argument 2 (findString) is NOT_SET`},
	{src: `Replace("a", "a")`, err: `Replace takes 3 arguments, got 2`},

	// Contains: "in a case sensitive manner" unless ignoreCase.
	{src: `Contains("sip:abc", "sip")`, want: `true`},
	{src: `contains("SIP:abc", "sip")`, want: `false`},
	{src: `Contains("SIP:abc", "sip", true)`, want: `true`},
	{src: `Contains("SIP:abc", "sip", false)`, want: `false`},
	{src: `Contains(State.List, "b")`, err: `no overload of Contains takes (String collection, String)`},
	{src: `Contains(State.Unset, "a")`, err: `Contains: argument 1 (stringToSearch) is NOT_SET`},

	// FindString: "zero based index"; "If textToFind find is "", a -1 will
	// be returned"; "If there are less than occurrenceNumber matches ..., a
	// -1 is returned."
	{src: `FindString("héllo", "llo")`, want: `2`},
	{src: `FindString("hello", "z")`, want: `-1`},
	{src: `FindString("hello", "")`, want: `-1`},
	{src: `FindString("Hello", "h", true)`, want: `0`},
	{src: `FindString("abab", "b", 2)`, want: `3`},
	{src: `FindString("abab", "b", 3)`, want: `-1`},
	{src: `FindString("ABab", "b", 2, true)`, want: `3`},

	// Left / Right / Substring / Length (character based).
	{src: `Left("0.123456", 4)`, want: `"0.12"`},
	{src: `Left("ab", 5)`, want: `"ab"`}, // "the entire string in srcString is returned"
	{src: `Left("héllo", 2)`, want: `"hé"`},
	{src: `Left("ab", 0)`, want: `""`},
	{src: `Left("ab", -1)`, err: `Left: argument 2 must not be negative, got -1`},
	{src: `Right("+13175550100", 10)`, want: `"3175550100"`},
	{src: `right("ab", 12)`, want: `"ab"`},
	{src: `Right("ab", "1")`, err: `no overload of Right takes (String, String); it takes Right(String, Integer) -> String`},
	{src: `Substring("hello", 1, 3)`, want: `"ell"`},
	{src: `Substring("hello", 3, 10)`, want: `"lo"`},
	{src: `Substring("hello", 5, 1)`, want: `""`},
	{src: `Substring("Hello", 10, 5)`, want: `""`}, // "If the starting position is past the end of the string, "" is returned."
	{src: `Substring("hello", -1, 1)`, err: `Substring: argument 2 must not be negative`},
	{src: `Length("héllo")`, want: `5`},
	{src: `Length("")`, want: `0`},
	{src: `Length(State.List)`, err: `no overload of Length takes (String collection); it takes Length(String) -> Integer`},
	{src: `Length(State.Unset)`, err: `Length: argument 1 (text) is NOT_SET`},

	// Split.
	{src: `Split("a,b,,c", ",")`, want: `MakeList("a", "b", "", "c")`},
	{src: `Split("abc", ",")`, want: `MakeList("abc")`},
	{src: `Split("", ",")`, want: `MakeEmptyList(NOT_SET)`},
	{src: `Split("abc", "")`, err: `Split: argument 2 (delimiter) must not be empty`},
	{src: `Split(State.Unset, ",")`, err: `Split: argument 1 (textToSplit) is NOT_SET`},

	// ToDisplayString (published flows) / ToString.
	{src: `ToDisplayString(State.Unset)`, want: `""`},
	{src: `ToDisplayString("x")`, want: `"x"`},
	{src: `ToDisplayString(42)`, want: `"42"`},
	{src: `ToDisplayString(2.50)`, want: `"2.5"`},
	{src: `ToDisplayString(true)`, want: `"true"`},
	{src: `ToDisplayString(MakeCommunication("hi"))`, want: `"hi"`},
	{src: `ToDisplayString(Flow.jsonData.obj)`, want: `"{\"k\":\"v\"}"`},
	{src: `ToString(NOT_SET)`, want: `NOT_SET`}, // "Returns a NOT_SET String."
	{src: `ToString(12)`, want: `"12"`},
	{src: `ToString(-0.5)`, want: `"-0.5"`},
	{src: `ToString(false)`, want: `"false"`},
	{src: `ToString(2.345, 2)`, want: `"2.35"`}, // "Values will be rounded to the number of decimal places specified."
	{src: `ToString(2.0, 0)`, want: `"2"`},
	{src: `ToString(Flow.jsonData.conversationId)`, want: `"c-1"`},
	{src: `ToString(Flow.jsonData.n)`, want: `"42"`},
	{src: `ToString(Flow.jsonData.arr)`, want: `"[\"x\",\"y\"]"`},
	{src: `ToString(ToPhoneNumber(Flow.ani).e164)`, want: `"+13175550100"`},
	{src: `ToString(State.List)`, want: `"a\nb\nc"`}, // "Collection items are delimited with a newline"
	{src: `ToString(State.List, "</p>")`, want: `"a</p>b</p>c"`},
	{src: `ToString(State.List, NOT_SET)`, want: `"a\nb\nc"`}, // "If the delimiter is a NOT_SET string, a newline will be used"
	{src: `ToString(MakeList("a", NOT_SET, "c"), ",")`, want: `"a,,c"`},
	{src: `ToString(State.EmptyList, ",")`, want: `""`},
	{src: `ToString(State.Unset, ",")`, err: `ToString: argument 1 (valueToConvert) is NOT_SET`},
	{src: `ToString("abc", ",")`, err: `no overload of ToString takes (String, String)`},

	// ToInt / ToDecimal / ToBool.
	{src: `ToInt("42")`, want: `42`},
	{src: `ToInt(" -7 ")`, want: `-7`},
	{src: `ToInt(3.9)`, want: `3`}, // "the integer part of the Decimal"
	{src: `ToInt(-3.9)`, want: `-3`},
	{src: `ToInt(true)`, want: `1`}, // "True returns 1. False returns 0."
	{src: `ToInt(false)`, want: `0`},
	{src: `ToInt(NOT_SET)`, want: `NOT_SET`},
	{src: `ToInt("1.5")`, err: `ToInt: cannot convert "1.5" to Integer`},
	{src: `ToInt(Flow.jsonData.n)`, err: `no overload of ToInt takes (JSON)`},
	{src: `ToInt(1e3)`, err: `found identifier "e3"`}, // no exponent syntax
	{src: `ToDecimal("2.5")`, want: `2.5`},
	{src: `ToDecimal(3)`, want: `3.0`},
	{src: `ToDecimal(true)`, want: `1.0`}, // "Returns 1.0 for the Boolean value true"
	{src: `ToDecimal(NOT_SET)`, want: `NOT_SET`},
	{src: `ToDecimal("NaN")`, err: `ToDecimal: cannot convert "NaN" to Decimal`},
	{src: `ToDecimal("0x10")`, err: `ToDecimal: cannot convert "0x10" to Decimal`},
	// "a case insensitive match to "True", "1" or "T" ... "False", "0" or
	// "F" ... doesn't match ..., a NOT_SET Boolean is returned."
	{src: `ToBool("TRUE")`, want: `true`},
	{src: `ToBool("t")`, want: `true`},
	{src: `ToBool("1")`, want: `true`},
	{src: `ToBool("F")`, want: `false`},
	{src: `ToBool("0")`, want: `false`},
	{src: `ToBool("yes")`, want: `NOT_SET`},
	{src: `ToBool(" false ")`, want: `NOT_SET`},
	{src: `ToBool(0)`, want: `false`},
	{src: `ToBool(2)`, want: `true`},
	{src: `ToBool(0.0)`, want: `false`},
	{src: `ToBool(NOT_SET)`, want: `NOT_SET`},
	{src: `ToBool(Flow.jsonData.flag)`, err: `no overload of ToBool takes (JSON)`},

	// Numbers.
	{src: `Sum(1, 2, NOT_SET)`, want: `3`}, // "If the Integer value is NOT_SET, it will be treated as 0."
	{src: `Sum(State.Nums)`, want: `3`},
	{src: `Sum(1.5, 2.0)`, want: `3.5`},
	{src: `Sum(9223372036854775807, 1)`, err: `integer overflow`},
	{src: `Sum(1, 2.0)`, err: `no overload of Sum takes (Integer, Decimal)`},
	{src: `Sum(State.Mixed)`, err: `no overload of Sum takes (mixed-type collection)`},
	{src: `Count(State.Mixed)`, want: `2`},
	{src: `Floor(2.7)`, want: `2.0`},
	{src: `Floor(-2.5)`, want: `-3.0`},
	{src: `Floor(4)`, want: `4`}, // "the supplied Integer is returned"
	{src: `Ceiling(2.1)`, want: `3.0`},
	{src: `Ceiling(4)`, want: `4`},

	// Communications (published flows).
	{src: `MakeCommunication("Hello ", "world")`, want: `MakeCommunication("Hello world")`},
	{src: `MakeCommunication("a", ToCommunication(NOT_SET), State.Unset, "b")`, want: `MakeCommunication("ab")`},
	{src: `MakeCommunication("n=", ToCommunication(5))`, want: `MakeCommunication("n=5")`},
	{src: `MakeCommunication(5)`, err: `no overload of MakeCommunication takes (Integer)`},
	{src: `MakeCommunication()`, err: `MakeCommunication takes at least 1 argument, got 0`},
	{src: `ToCommunication("x")`, want: `MakeCommunication("x")`},
	{src: `ToCommunication(ResolveSlot(Slot.Email), State.Unset)`, want: `MakeCommunication("s@example.com")`},
	{src: `ToCommunication(NOT_SET)`, want: `NOT_SET`},
	{src: `ResolveSlot(Slot.Email)`, want: `"s@example.com"`},

	// Collections.
	{src: `MakeList("a", "b")`, want: `MakeList("a", "b")`},
	{src: `MakeList("a", NOT_SET)`, want: `MakeList("a", NOT_SET)`},
	{src: `MakeList("a", 1)`, err: `MakeList: item 2 is Integer but the collection holds String`},
	{src: `MakeList()`, err: `MakeList takes at least 1 argument, got 0`},
	{src: `MakeList(MakeList(1, 2))`, err: `no overload of MakeList takes (Integer collection)`},
	{src: `MakeEmptyList("a")`, want: `MakeEmptyList(NOT_SET)`},
	{src: `AddItem(State.List, "d")`, want: `MakeList("a", "b", "c", "d")`},
	{src: `Count(AddItem(State.List, "d")) + Count(State.List)`, want: `7`}, // AddItem does not mutate
	{src: `AddItem(State.List, 1)`, err: `AddItem: item 2 is Integer but the collection holds String`},
	{src: `AddItem(State.Unset, "d")`, want: `MakeList("d")`},
	{src: `AddItem("a", "b")`, err: `no overload of AddItem takes (String, String)`},
	{src: `Count(State.List)`, want: `3`},
	{src: `Count(State.EmptyList)`, want: `0`},
	{src: `count(State.Unset)`, err: `Count: argument 1 (value) is NOT_SET`},
	{src: `Count("abc")`, err: `no overload of Count takes (String); it takes Count(any type collection) -> Integer`},
	{src: `GetAt(State.List, 1)`, want: `"b"`},
	{src: `GetAt(State.List, 3)`, err: `GetAt: index 3 out of range for collection of 3 items`},
	{src: `GetAt(State.Unset, 0)`, err: `GetAt: argument 1 (collection) is NOT_SET`},
	{src: `GetAt(State.List, State.Unset)`, err: `GetAt: argument 2 (index) is NOT_SET`},
	{src: `GetAt(State.List, "1")`, err: `no overload of GetAt takes (String collection, String)`},
	{src: `FindFirst(State.List, "c")`, want: `2`},
	{src: `FindFirst(State.List, "z")`, want: `-1`}, // "If the item is not found, -1 is returned."
	{src: `FindFirst(MakeList("a", NOT_SET), NOT_SET)`, want: `1`},
	{src: `FindFirst(State.Nums, 2.0)`, want: `1`},
	{src: `FindFirst(State.List, 1)`, err: `FindFirst: cannot compare String with Integer`},
	{src: `FindFirst("hello", "z")`, err: `no overload of FindFirst takes (String, String)`},
	{src: `Find(MakeList("a", "b", "a"), "a")`, want: `MakeList(0, 2)`},
	{src: `Find(State.List, "z")`, want: `MakeEmptyList(NOT_SET)`}, // "an empty Integer collection is returned"

	// AreEqual: "Returns true if all instances of valueToCompare are equal".
	{src: `AreEqual("genesys.x", "genesys.x")`, want: `true`},
	{src: `AreEqual(1, 1, 2)`, want: `false`},
	{src: `AreEqual(NOT_SET, NOT_SET)`, want: `true`},
	{src: `AreEqual(true, "AB", "ab")`, want: `true`},
	{src: `AreEqual(false, "AB", "ab")`, want: `false`},
	{src: `AreEqual(State.List, MakeList("a", "b", "c"))`, want: `true`},
	{src: `AreEqual(true, State.List, MakeList("A", "B", "C"))`, want: `true`},
	{src: `AreEqual("1", 1)`, err: `cannot compare String with Integer`},

	// JSON (published flows).
	{src: `JsonParse("{\"a\": {\"b\": [1, 2]}}").a.b[1]`, want: `JsonParse("2")`},
	{src: `JsonParse("null")`, want: `NOT_SET`},
	{src: `JsonParse(NOT_SET)`, want: `NOT_SET`},
	{src: `JsonParse("{")`, err: `JsonParse: invalid JSON: unexpected EOF`},
	{src: `JsonParse("1 2")`, err: `JsonParse: invalid JSON: data after the first value`},
	{src: `GetJsonObjectProperty(Flow.jsonData, "ani")`, want: `JsonParse("\"+1 (317) 555-0100\"")`},
	{src: `GetJsonObjectProperty(Flow.jsonData, "missing")`, want: `NOT_SET`},
	{src: `GetJsonObjectProperty(Flow.jsonData, "nul")`, want: `NOT_SET`},
	{src: `GetJsonObjectProperty(Flow.jsonData.arr, "x")`, err: `GetJsonObjectProperty: argument 1 is a JSON value that is not an object`},
	{src: `GetJsonObjectProperty(State.Unset, "x")`, err: `GetJsonObjectProperty: argument 1 (object) is NOT_SET`},
	{src: `GetJsonObjectProperty("{}", "x")`, err: `no overload of GetJsonObjectProperty takes (String, String)`},

	// Phone numbers.
	{src: `ToPhoneNumber(ToString(GetJsonObjectProperty(Flow.jsonData, "ani"))).e164`, want: `"+13175550100"`},
	{src: `Replace(ToString(ToPhoneNumber(Flow.ani).e164), "+", "")`, want: `"13175550100"`},
	{src: `ToPhoneNumber("317-555-0100").e164`, want: `"3175550100"`},
	{src: `ToPhoneNumber("anonymous").e164`, want: `""`},
	{src: `ToPhoneNumber("1+2").E164`, want: `"12"`},
	{src: `tophonenumber(ToPhoneNumber("+1 2")).e164`, want: `"+12"`},
	{src: `ToPhoneNumber(NOT_SET)`, want: `NOT_SET`}, // "Returns a NOT_SET PhoneNumber."
	{src: `ToPhoneNumber(5)`, err: `no overload of ToPhoneNumber takes (Integer)`},
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
		if len(f.Signatures) == 0 {
			t.Errorf("function %s has no signature", f.Name)
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

// lookupFunc's exact-spelling index finds what the case-insensitive one
// finds, for every function of the table and other spellings of it.
func TestLookupFuncExactIndex(t *testing.T) {
	functions()
	for _, f := range funcTable {
		for _, name := range []string{f.name, strings.ToLower(f.name), strings.ToUpper(f.name), f.name + "x"} {
			if got, want := lookupFunc(name), functions()[strings.ToLower(name)]; got != want {
				t.Errorf("lookupFunc(%q) = %v, want %v", name, got, want)
			}
		}
	}
	if len(funcTable) < 50 {
		t.Fatalf("only %d functions in the table", len(funcTable))
	}
}
