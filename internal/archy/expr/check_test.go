package expr

import (
	"errors"
	"reflect"
	"testing"
)

func TestVarsFuncs(t *testing.T) {
	tests := []struct {
		src   string
		vars  []string
		funcs []string
	}{
		{blueprintExprs[5], []string{"State.CustomerEmail"}, []string{"Append", "If", "IsNotSetOrEmpty", "ToDisplayString", "Trim"}},
		{blueprintExprs[12], []string{"Common.customerId", "Common.externalId", "Common.identifiedContactId"}, []string{}},
		{`Chat.Guest.customFields[Task.i].key == "x"`, []string{"Chat.Guest.customFields", "Task.i"}, []string{}},
		{`contains(Lower(Flow.ani),"anonymous") or Contains(Flow.ani, "sip")`, []string{"Flow.ani"}, []string{"Contains", "Lower"}},
		{`Flow.contact.personalEmail`, []string{"Flow.contact.personalEmail"}, []string{}},
		{`myFunc(a) + MYFUNC(b)`, []string{"a", "b"}, []string{"MYFUNC", "myFunc"}},
		{`1 + 2`, []string{}, []string{}},
	}
	for _, tt := range tests {
		e := MustParse(tt.src)
		if got := e.Vars(); !reflect.DeepEqual(got, tt.vars) {
			t.Errorf("Vars(%q) = %q, want %q", tt.src, got, tt.vars)
		}
		if got := e.Funcs(); !reflect.DeepEqual(got, tt.funcs) {
			t.Errorf("Funcs(%q) = %q, want %q", tt.src, got, tt.funcs)
		}
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{blueprintExprs[8], nil},
		{`If(IsSet(x), y)`, []string{`expr: 1:1: If takes 3 arguments, got 2 in "If(IsSet(x), y)"`}},
		{`Foo(1) + Trim("a", "b") + ToString()`, []string{
			`expr: 1:1: unknown function Foo in "Foo(1) + Trim(\"a\", \"b\") + ToString()"`,
			`expr: 1:10: Trim takes 1 argument, got 2 in "Foo(1) + Trim(\"a\", \"b\") + ToString()"`,
			`expr: 1:27: ToString takes at least 1 argument, got 0 in "Foo(1) + Trim(\"a\", \"b\") + ToString()"`,
		}},
		{`ToString(a, b, c, d)`, []string{`expr: 1:1: ToString takes at most 3 arguments, got 4 in "ToString(a, b, c, d)"`}},
		{`Trim(Nope(If()))`, []string{
			`expr: 1:6: unknown function Nope in "Trim(Nope(If()))"`,
			`expr: 1:11: If takes 3 arguments, got 0 in "Trim(Nope(If()))"`,
		}},
		// Names other languages have but Architect does not.
		{`ToLower(x)`, []string{`expr: 1:1: unknown function ToLower in "ToLower(x)"`}},
		// Types known from the text: literals, operators, call results.
		{`Lower(5)`, []string{`expr: 1:1: no overload of Lower takes (Integer); it takes Lower(String) -> String in "Lower(5)"`}},
		{`Length(Length(x))`, []string{`expr: 1:1: no overload of Length takes (Integer); it takes Length(String) -> Integer in "Length(Length(x))"`}},
		{`Left(x, "2")`, []string{`expr: 1:1: no overload of Left takes (?, String); it takes Left(String, Integer) -> String in "Left(x, \"2\")"`}},
		{`Contains(x == y, "a")`, []string{`expr: 1:1: no overload of Contains takes (Boolean, String); it takes Contains(String, String) -> Boolean in "Contains(x == y, \"a\")"`}},
		{`Left(Trim(x), Length(y))`, nil},
		// A NOT_SET literal where the catalogue forbids NOT_SET...
		{`Trim(NOT_SET)`, []string{`expr: 1:6: Trim: argument 1 (stringToTrim) is NOT_SET, which Trim does not allow (guard it with IsSet or IsNotSetOrEmpty) in "Trim(NOT_SET)"`}},
		// ... and where it allows it.
		{`Replace(x, "a", NOT_SET)`, nil},
		{`ToPhoneNumber(NOT_SET)`, nil},
		// If's two values must have one type.
		{`If(c, "a", 1)`, []string{`expr: 1:1: If: the values for true (String) and false (Integer) must have the same type in "If(c, \"a\", 1)"`}},
		{`If(c, "a", NOT_SET)`, nil},
		{`Length(If(c, "a", x))`, nil},
		{`Length(If(c, 1, 2))`, []string{`expr: 1:1: no overload of Length takes (Integer); it takes Length(String) -> Integer in "Length(If(c, 1, 2))"`}},
		// Known but not emulated functions pass the check.
		{`FindQueueById(Flow.q)`, nil},
		{`GetCurrentDateTimeUtc(1)`, []string{`expr: 1:1: GetCurrentDateTimeUtc takes 0 arguments, got 1 in "GetCurrentDateTimeUtc(1)"`}},
		{`If(`, []string{`expr: 1:4: expected expression, found end of expression in "If("`}},
	}
	for _, tt := range tests {
		errs := Check(tt.src)
		var got []string
		for _, err := range errs {
			got = append(got, err.Error())
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Check(%q)\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
	var pe *Error
	if errs := Check(`Nope()`); len(errs) != 1 || !errors.As(errs[0], &pe) || pe.Kind != CheckError {
		t.Errorf("Check(Nope()) = %v, want one CheckError", errs)
	}
}

// TestCheckTypes: with the variables' declared kinds, a wrong argument type
// is found before anything runs, as Architect's validation finds it.
func TestCheckTypes(t *testing.T) {
	kinds := map[string]string{"Flow.n": "integer", "Flow.s": "string", "Flow.list": "stringCollection", "Flow.b": "boolean", "Flow.c": "externalContact"}
	kind := func(p string) string { return kinds[p] }
	tests := []struct {
		src  string
		want []string
	}{
		{`Lower(Flow.s)`, nil},
		{`Lower(Flow.n)`, []string{`expr: 1:1: no overload of Lower takes (Integer); it takes Lower(String) -> String in "Lower(Flow.n)"`}},
		{`Count(Flow.list) + Length(GetAt(Flow.list, 0))`, nil},
		{`Length(Flow.list)`, []string{`expr: 1:1: no overload of Length takes (String collection); it takes Length(String) -> Integer in "Length(Flow.list)"`}},
		{`If(Flow.b, Flow.s, Flow.n)`, []string{`expr: 1:1: If: the values for true (String) and false (Integer) must have the same type in "If(Flow.b, Flow.s, Flow.n)"`}},
		{`If(Flow.s, 1, 2)`, []string{`expr: 1:1: no overload of If takes (String, Integer, Integer); it takes If(Boolean, any type, any type) -> any type or If(Boolean, any type collection, any type collection) -> any type collection or If(Boolean, Audio, Audio) -> Audio in "If(Flow.s, 1, 2)"`}},
		// A property path or a kind without a catalogue type stays unknown.
		{`Lower(Flow.c.firstName) == Lower(Flow.c)`, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, err := range MustParse(tt.src).CheckTypes(kind) {
			got = append(got, err.Error())
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("CheckTypes(%q)\n got %q\nwant %q", tt.src, got, tt.want)
		}
	}
}

// A variable's path is reported joined with dots however it was written: the
// parser keeps the source text for a path written without spaces, and joins
// the segments otherwise.
func TestVarsJoinPathsAsWritten(t *testing.T) {
	for src, want := range map[string][]string{
		"Flow.x.y":            {"Flow.x.y"},
		"Flow . x":            {"Flow.x"},
		"Flow.x .y + Flow.x":  {"Flow.x", "Flow.x.y"},
		"If(a, Flow.b, a. b)": {"Flow.b", "a", "a.b"},
	} {
		e := MustParse(src)
		if got := e.Vars(); !reflect.DeepEqual(got, want) {
			t.Errorf("Vars(%q) = %q, want %q", src, got, want)
		}
		if got, want := e.String(), MustParse(e.String()).String(); got != want {
			t.Errorf("%q: canonical form %q is not stable (%q)", src, got, want)
		}
	}
}
