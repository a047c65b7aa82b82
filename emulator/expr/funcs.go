package expr

import (
	"encoding/json"
	"errors"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// funcDef describes one Architect function. To add a function, add an entry
// to funcTable; nothing else needs to change.
type funcDef struct {
	name     string // canonical spelling
	min, max int    // argument count bounds; max < 0 means variadic
	doc      string
	call     func(args []Value) (Value, error)           // eager: arguments evaluated first
	lazy     func(ev *evaluator, c *Call) (Value, error) // evaluates its own arguments
}

// variadic marks a funcDef without an upper argument bound.
const variadic = -1

// funcTable lists every function the package knows. Entries with neither
// call nor lazy are valid Architect functions the emulator cannot run (they
// need clocks, org configuration or audio); Check accepts them, Eval reports
// them as unsupported.
var funcTable []funcDef

func init() {
	// Assigned in init because lazy implementations refer back to the
	// evaluator, which refers to the table.
	funcTable = []funcDef{
		{name: "If", min: 3, max: 3, doc: "If(condition, whenTrue, whenFalse): only the chosen branch is evaluated", lazy: fnIf},
		{name: "IsSet", min: 1, max: 1, doc: "IsSet(x): true unless x is NOT_SET", call: fnIsSet},
		{name: "IsNotSetOrEmpty", min: 1, max: 1, doc: "IsNotSetOrEmpty(x): true if x is NOT_SET, \"\" or an empty collection", call: fnIsNotSetOrEmpty},
		{name: "IsEmpty", min: 1, max: 1, doc: "IsEmpty(x): true if the string or collection x is empty; NOT_SET is an error", call: fnIsEmpty},
		{name: "Append", min: 1, max: variadic, doc: "Append(s, ...): concatenates strings; NOT_SET counts as \"\"", call: fnAppend},
		{name: "Trim", min: 1, max: 1, doc: "Trim(s): removes leading and trailing white space", call: strFn(strings.TrimSpace)},
		{name: "ToLower", min: 1, max: 1, doc: "ToLower(s): lower-cases s", call: strFn(strings.ToLower)},
		{name: "ToUpper", min: 1, max: 1, doc: "ToUpper(s): upper-cases s", call: strFn(strings.ToUpper)},
		{name: "Lower", min: 1, max: 1, doc: "Lower(s): lower-cases s (same as ToLower)", call: strFn(strings.ToLower)},
		{name: "Upper", min: 1, max: 1, doc: "Upper(s): upper-cases s (same as ToUpper)", call: strFn(strings.ToUpper)},
		{name: "Replace", min: 3, max: 3, doc: "Replace(s, find, replacement): replaces every occurrence, case-sensitively", call: fnReplace},
		{name: "Contains", min: 2, max: 2, doc: "Contains(s, sub) or Contains(collection, item): case-sensitive", call: fnContains},
		{name: "StartsWith", min: 2, max: 2, doc: "StartsWith(s, prefix): case-sensitive", call: strPred(strings.HasPrefix)},
		{name: "EndsWith", min: 2, max: 2, doc: "EndsWith(s, suffix): case-sensitive", call: strPred(strings.HasSuffix)},
		{name: "Left", min: 2, max: 2, doc: "Left(s, n): the first n characters (all of s if shorter)", call: fnLeft},
		{name: "Right", min: 2, max: 2, doc: "Right(s, n): the last n characters (all of s if shorter)", call: fnRight},
		{name: "Substring", min: 3, max: 3, doc: "Substring(s, start, length): 0-based; length is clipped at the end of s", call: fnSubstring},
		{name: "Length", min: 1, max: 1, doc: "Length(s): number of characters in s", call: fnLength},
		{name: "ToDisplayString", min: 1, max: 1, doc: "ToDisplayString(x): display text of x; \"\" for NOT_SET", call: fnToDisplayString},
		{name: "ToString", min: 1, max: 2, doc: "ToString(x) or ToString(collection, separator); NOT_SET stays NOT_SET", call: fnToString},
		{name: "ToInt", min: 1, max: 1, doc: "ToInt(x): converts a String, Decimal (truncated) or JSON number to Integer", call: fnToInt},
		{name: "ToDecimal", min: 1, max: 1, doc: "ToDecimal(x): converts a String, Integer or JSON number to Decimal", call: fnToDecimal},
		{name: "ToBool", min: 1, max: 1, doc: "ToBool(x): converts \"true\"/\"false\" (any case) or a number (non-zero is true)", call: fnToBool},
		{name: "MakeCommunication", min: 1, max: variadic, doc: "MakeCommunication(part, ...): concatenates String and Communication parts; NOT_SET counts as \"\"", call: fnMakeCommunication},
		{name: "ToCommunication", min: 1, max: 2, doc: "ToCommunication(x[, format]): the display text of x as a Communication; the format is ignored", call: fnToCommunication},
		{name: "MakeList", min: 0, max: variadic, doc: "MakeList(item, ...): a collection of items of one type", call: fnMakeList},
		{name: "AddItem", min: 2, max: 2, doc: "AddItem(collection, item): a copy of collection with item appended; NOT_SET counts as empty", call: fnAddItem},
		{name: "Count", min: 1, max: 1, doc: "Count(collection): number of items; 0 for NOT_SET", call: fnCount},
		{name: "GetAt", min: 2, max: 2, doc: "GetAt(collection, index): 0-based item; out of range is an error", call: fnGetAt},
		{name: "FindFirst", min: 2, max: 2, doc: "FindFirst(collection, item): 0-based index of the first equal item, -1 if absent", call: fnFindFirst},
		{name: "AreEqual", min: 2, max: 2, doc: "AreEqual(a, b): same as a == b", call: fnAreEqual},
		{name: "JsonParse", min: 1, max: 1, doc: "JsonParse(s): parses JSON text", call: fnJsonParse},
		{name: "GetJsonObjectProperty", min: 2, max: 2, doc: "GetJsonObjectProperty(json, name): a property of a JSON object; NOT_SET if missing", call: fnGetJsonObjectProperty},
		{name: "ToPhoneNumber", min: 1, max: 1, doc: "ToPhoneNumber(s): phone number with properties e164 (leading '+' and digits) and raw", call: fnToPhoneNumber},
		{name: "Split", min: 2, max: 2, doc: "Split(s, separator): a String collection", call: fnSplit},
		{name: "ResolveSlot", min: 1, max: 1, doc: "ResolveSlot(slot): the slot's value (bot flows)", call: func(a []Value) (Value, error) { return a[0], nil }},

		// Known Architect functions that the emulator does not run.
		{name: "GetCurrentDateTimeUtc", min: 0, max: 0, doc: "current UTC date/time (not emulated)"},
		{name: "AddSeconds", min: 2, max: 2, doc: "AddSeconds(datetime, n) (not emulated)"},
		{name: "AddMinutes", min: 2, max: 2, doc: "AddMinutes(datetime, n) (not emulated)"},
		{name: "AddHours", min: 2, max: 2, doc: "AddHours(datetime, n) (not emulated)"},
		{name: "AddDays", min: 2, max: 2, doc: "AddDays(datetime, n) (not emulated)"},
		{name: "DateTimeDiff", min: 2, max: 2, doc: "DateTimeDiff(a, b): a Duration (not emulated)"},
		{name: "ToDateTime", min: 1, max: variadic, doc: "ToDateTime(...) (not emulated; arity not checked)"},
		{name: "FindQueueById", min: 1, max: 1, doc: "FindQueueById(id) (not emulated)"},
		{name: "FindQueue", min: 1, max: 1, doc: "FindQueue(name) (not emulated)"},
		{name: "FindSkill", min: 1, max: 1, doc: "FindSkill(name) (not emulated)"},
		{name: "FindUserById", min: 1, max: 1, doc: "FindUserById(id) (not emulated)"},
		{name: "FindUser", min: 1, max: 1, doc: "FindUser(email) (not emulated)"},
		{name: "FindEmergencyGroup", min: 1, max: 1, doc: "FindEmergencyGroup(name) (not emulated)"},
		{name: "ToScheduleGroup", min: 1, max: 1, doc: "ToScheduleGroup(x) (not emulated)"},
		{name: "MakeListAgentScorePair", min: 2, max: 2, doc: "MakeListAgentScorePair(users, scores) (not emulated)"},
		{name: "ToAudioTTS", min: 1, max: variadic, doc: "ToAudioTTS(text, ...) (voice only; not emulated; arity not checked)"},
		{name: "ToAudioBlank", min: 1, max: 1, doc: "ToAudioBlank(milliseconds) (voice only; not emulated)"},
		{name: "AudioPlaybackOptions", min: 0, max: variadic, doc: "AudioPlaybackOptions(...) (voice only; not emulated; arity not checked)"},
	}
	funcIndex = make(map[string]*funcDef, len(funcTable))
	for i := range funcTable {
		funcIndex[strings.ToLower(funcTable[i].name)] = &funcTable[i]
	}
}

var funcIndex map[string]*funcDef

func lookupFunc(name string) *funcDef { return funcIndex[strings.ToLower(name)] }

// FuncInfo describes a known function, for documentation and linters.
type FuncInfo struct {
	Name             string // canonical spelling
	MinArgs, MaxArgs int    // MaxArgs < 0: no upper bound
	Doc              string
	Emulated         bool // false: valid in Architect, but Eval reports it unsupported
}

// Functions lists the known functions sorted by name.
func Functions() []FuncInfo {
	out := make([]FuncInfo, len(funcTable))
	for i, f := range funcTable {
		out[i] = f.info()
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// LookupFunc finds a function by case-insensitive name.
func LookupFunc(name string) (FuncInfo, bool) {
	f := lookupFunc(name)
	if f == nil {
		return FuncInfo{}, false
	}
	return f.info(), true
}

func (f *funcDef) info() FuncInfo {
	return FuncInfo{Name: f.name, MinArgs: f.min, MaxArgs: f.max, Doc: f.doc, Emulated: f.call != nil || f.lazy != nil}
}

// arityError returns a message if n arguments do not fit f, else "".
func (f *funcDef) arityError(n int) string {
	switch {
	case f.max == f.min && n != f.min:
		return f.name + " takes " + plural(f.min, "argument") + ", got " + strconv.Itoa(n)
	case n < f.min:
		return f.name + " takes at least " + plural(f.min, "argument") + ", got " + strconv.Itoa(n)
	case f.max >= 0 && n > f.max:
		return f.name + " takes at most " + plural(f.max, "argument") + ", got " + strconv.Itoa(n)
	}
	return ""
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func (ev *evaluator) evalCall(c *Call) (Value, error) {
	f := lookupFunc(c.Name)
	if f == nil {
		return nil, ev.errf(c, "unknown function %s", c.Name)
	}
	if msg := f.arityError(len(c.Args)); msg != "" {
		return nil, ev.errf(c, "%s", msg)
	}
	if f.lazy != nil {
		return f.lazy(ev, c)
	}
	if f.call == nil {
		return nil, ev.errf(c, "function %s is not supported by the emulator", f.name)
	}
	args := make([]Value, len(c.Args))
	for i, a := range c.Args {
		v, err := ev.eval(a)
		if err != nil {
			return nil, err
		}
		args[i] = norm(v)
	}
	v, err := f.call(args)
	if err != nil {
		var fl *failure
		if errors.As(err, &fl) {
			var n Node = c
			if fl.arg >= 0 && fl.arg < len(c.Args) {
				n = c.Args[fl.arg]
			}
			return nil, newError(RuntimeError, ev.src, n.Pos(), fl.cause, "%s: %s", f.name, fl.msg)
		}
		return nil, ev.at(c, err)
	}
	return norm(v), nil
}

// Argument helpers. Messages name the argument 1-based, as users count.

func notSetArg(i int) *failure {
	return argFail(i, "argument %d is NOT_SET (guard with IsSet, or use ToDisplayString)", i+1)
}

func wrongType(i int, want string, got Value) *failure {
	return argFail(i, "argument %d must be %s, got %s", i+1, want, typeName(got))
}

func strArg(args []Value, i int) (string, error) {
	switch v := args[i].(type) {
	case String:
		return string(v), nil
	case NotSet:
		return "", notSetArg(i)
	}
	return "", wrongType(i, "String", args[i])
}

func intArg(args []Value, i int) (int64, error) {
	switch v := args[i].(type) {
	case Integer:
		return int64(v), nil
	case NotSet:
		return 0, notSetArg(i)
	}
	return 0, wrongType(i, "Integer", args[i])
}

func checkLen(n int) error {
	if n > maxStringLen {
		return fail("string result longer than %d bytes", maxStringLen)
	}
	return nil
}

func fnIf(ev *evaluator, c *Call) (Value, error) {
	cond, err := ev.eval(c.Args[0])
	if err != nil {
		return nil, err
	}
	b, ok := cond.(Boolean)
	if !ok {
		if IsNotSet(cond) {
			return nil, ev.errf(c.Args[0], "If: condition is NOT_SET")
		}
		return nil, ev.errf(c.Args[0], "If: condition must be Boolean, got %s", typeName(cond))
	}
	// inferred: only the selected branch is evaluated, so
	// If(IsSet(x), x + 1, 0) is safe when x is NOT_SET.
	if b {
		return ev.eval(c.Args[1])
	}
	return ev.eval(c.Args[2])
}

func fnIsSet(a []Value) (Value, error) { return Boolean(!IsNotSet(a[0])), nil }

// emptiness reports whether v is empty, and whether emptiness applies to its
// type at all.
func emptiness(v Value) (empty, applies bool) {
	switch v := v.(type) {
	case String:
		return v == "", true
	case Communication:
		return v == "", true
	case Collection:
		return len(v) == 0, true
	case JSON:
		switch j := v.V.(type) {
		case string:
			return j == "", true
		case []any:
			return len(j) == 0, true
		case map[string]any:
			return len(j) == 0, true
		}
	}
	return false, false
}

func fnIsNotSetOrEmpty(a []Value) (Value, error) {
	if IsNotSet(a[0]) {
		return Boolean(true), nil
	}
	// "Empty" means zero length; a string of spaces is not empty.
	empty, _ := emptiness(a[0])
	return Boolean(empty), nil
}

func fnIsEmpty(a []Value) (Value, error) {
	if IsNotSet(a[0]) {
		// inferred: NOT_SET is not an allowed argument; IsNotSetOrEmpty
		// exists for that case.
		return nil, argFail(0, "argument 1 is NOT_SET (use IsNotSetOrEmpty)")
	}
	empty, ok := emptiness(a[0])
	if !ok {
		return nil, wrongType(0, "String or Collection", a[0])
	}
	return Boolean(empty), nil
}

func fnAppend(a []Value) (Value, error) {
	var b strings.Builder
	for i, v := range a {
		switch v := v.(type) {
		case NotSet:
			// Append is the NOT_SET-safe way to build strings (the String
			// Builder idiom relies on it).
		case String:
			if err := checkLen(b.Len() + len(v)); err != nil {
				return nil, err
			}
			b.WriteString(string(v))
		default:
			return nil, argFail(i, "argument %d must be String, got %s (use ToString)", i+1, v.Type())
		}
	}
	return String(b.String()), nil
}

// strFn lifts a string transformation into a one-argument function that
// rejects NOT_SET (inferred: Trim, ToLower and friends do not accept NOT_SET).
func strFn(f func(string) string) func([]Value) (Value, error) {
	return func(a []Value) (Value, error) {
		s, err := strArg(a, 0)
		if err != nil {
			return nil, err
		}
		return String(f(s)), nil
	}
}

func strPred(f func(s, t string) bool) func([]Value) (Value, error) {
	return func(a []Value) (Value, error) {
		s, err := strArg(a, 0)
		if err != nil {
			return nil, err
		}
		t, err := strArg(a, 1)
		if err != nil {
			return nil, err
		}
		return Boolean(f(s, t)), nil
	}
}

func fnReplace(a []Value) (Value, error) {
	s, err := strArg(a, 0)
	if err != nil {
		return nil, err
	}
	find, err := strArg(a, 1)
	if err != nil {
		return nil, err
	}
	repl, err := strArg(a, 2)
	if err != nil {
		return nil, err
	}
	if find == "" {
		// inferred: nothing to replace (Go would insert repl between every
		// character).
		return String(s), nil
	}
	if n := strings.Count(s, find); n > 0 && len(repl) > len(find) {
		if err := checkLen(len(s) + n*(len(repl)-len(find))); err != nil {
			return nil, err
		}
	}
	return String(strings.ReplaceAll(s, find, repl)), nil
}

func fnContains(a []Value) (Value, error) {
	if c, ok := a[0].(Collection); ok {
		for _, item := range c {
			eq, err := equal(item, a[1])
			if err != nil {
				return nil, argFail(1, "%s", err.Error())
			}
			if eq {
				return Boolean(true), nil
			}
		}
		return Boolean(false), nil
	}
	return strPred(strings.Contains)(a)
}

func countArg(a []Value, i int) (int, error) {
	n, err := intArg(a, i)
	if err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, argFail(i, "argument %d must not be negative, got %d", i+1, n)
	}
	return int(min(n, math.MaxInt32)), nil
}

func fnLeft(a []Value) (Value, error) {
	s, err := strArg(a, 0)
	if err != nil {
		return nil, err
	}
	n, err := countArg(a, 1)
	if err != nil {
		return nil, err
	}
	r := []rune(s)
	return String(r[:min(n, len(r))]), nil
}

func fnRight(a []Value) (Value, error) {
	s, err := strArg(a, 0)
	if err != nil {
		return nil, err
	}
	n, err := countArg(a, 1)
	if err != nil {
		return nil, err
	}
	r := []rune(s)
	return String(r[len(r)-min(n, len(r)):]), nil
}

func fnSubstring(a []Value) (Value, error) {
	s, err := strArg(a, 0)
	if err != nil {
		return nil, err
	}
	start, err := countArg(a, 1)
	if err != nil {
		return nil, err
	}
	length, err := countArg(a, 2)
	if err != nil {
		return nil, err
	}
	r := []rune(s)
	if start > len(r) {
		// inferred: a start beyond the end is an error; a length running
		// past the end is clipped.
		return nil, argFail(1, "start index %d beyond end of string of length %d", start, len(r))
	}
	return String(r[start:min(len(r), start+length)]), nil
}

func fnLength(a []Value) (Value, error) {
	if _, ok := a[0].(Collection); ok {
		return nil, wrongType(0, "String (use Count for collections)", a[0])
	}
	s, err := strArg(a, 0)
	if err != nil {
		return nil, err
	}
	return Integer(utf8.RuneCountInString(s)), nil
}

func fnToDisplayString(a []Value) (Value, error) { return String(Display(a[0])), nil }

func fnToString(a []Value) (Value, error) {
	if IsNotSet(a[0]) {
		// Documented: ToString(NOT_SET) is a NOT_SET string, not "".
		return NotSet{}, nil
	}
	if len(a) == 1 {
		if s, ok := a[0].(String); ok {
			return s, nil
		}
		s := Display(a[0])
		return String(s), checkLen(len(s))
	}
	sep, err := strArg(a, 1)
	if err != nil {
		return nil, err
	}
	var items []Value
	switch c := a[0].(type) {
	case Collection:
		items = c
	case JSON:
		arr, ok := c.V.([]any)
		if !ok {
			return nil, wrongType(0, "Collection", a[0])
		}
		for _, x := range arr {
			items = append(items, jsonValue(x))
		}
	default:
		return nil, wrongType(0, "Collection", a[0])
	}
	var b strings.Builder
	for i, item := range items {
		if i > 0 {
			b.WriteString(sep)
		}
		// inferred: NOT_SET items contribute "".
		b.WriteString(Display(item))
		if err := checkLen(b.Len()); err != nil {
			return nil, err
		}
	}
	return String(b.String()), nil
}

func fnToInt(a []Value) (Value, error) {
	switch v := a[0].(type) {
	case NotSet:
		return NotSet{}, nil // inferred: conversions keep NOT_SET
	case Integer:
		return v, nil
	case Decimal:
		return decimalToInt(float64(v))
	case String:
		return parseIntText(string(v))
	case JSON:
		if s, ok := v.V.(string); ok {
			return parseIntText(s)
		}
		if i, ok := jsonInt(v.V); ok {
			return Integer(i), nil
		}
		if f, ok := jsonNumber(v.V); ok {
			return decimalToInt(f)
		}
	}
	return nil, wrongType(0, "String, Decimal or JSON number", a[0])
}

func decimalToInt(f float64) (Value, error) {
	// inferred: truncation toward zero.
	t := math.Trunc(f)
	if math.IsNaN(t) || t < -(1<<63) || t >= 1<<63 {
		return nil, argFail(0, "%s is out of Integer range", strconv.FormatFloat(f, 'g', -1, 64))
	}
	return Integer(int64(t)), nil
}

func parseIntText(s string) (Value, error) {
	// inferred: surrounding white space is ignored; anything else that is
	// not an integer (including "1.5") is an error.
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return nil, argFail(0, "cannot convert %s to Integer", Quote(s))
	}
	return Integer(n), nil
}

func fnToDecimal(a []Value) (Value, error) {
	switch v := a[0].(type) {
	case NotSet:
		return NotSet{}, nil
	case Decimal:
		return v, nil
	case Integer:
		return Decimal(v), nil
	case String:
		return parseDecimalText(string(v))
	case JSON:
		if s, ok := v.V.(string); ok {
			return parseDecimalText(s)
		}
		if f, ok := jsonNumber(v.V); ok {
			return Decimal(f), nil
		}
	}
	return nil, wrongType(0, "String, Integer or JSON number", a[0])
}

func parseDecimalText(s string) (Value, error) {
	t := strings.TrimSpace(s)
	f, err := strconv.ParseFloat(t, 64)
	// ParseFloat also accepts "NaN", "Inf" and hex floats; Architect
	// decimals are plain digits.
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(t, "xXnN_") {
		return nil, argFail(0, "cannot convert %s to Decimal", Quote(s))
	}
	return Decimal(f), nil
}

func fnToBool(a []Value) (Value, error) {
	switch v := a[0].(type) {
	case NotSet:
		return NotSet{}, nil
	case Boolean:
		return v, nil
	case String:
		return parseBoolText(string(v))
	case Integer:
		return Boolean(v != 0), nil // inferred
	case Decimal:
		return Boolean(v != 0), nil // inferred
	case JSON:
		switch j := v.V.(type) {
		case bool:
			return Boolean(j), nil
		case string:
			return parseBoolText(j)
		}
	}
	return nil, wrongType(0, "String, Boolean or number", a[0])
}

func parseBoolText(s string) (Value, error) {
	switch t := strings.TrimSpace(s); {
	case strings.EqualFold(t, "true"):
		return Boolean(true), nil
	case strings.EqualFold(t, "false"):
		return Boolean(false), nil
	}
	return nil, argFail(0, "cannot convert %s to Boolean", Quote(s))
}

func fnMakeCommunication(a []Value) (Value, error) {
	var b strings.Builder
	for i, v := range a {
		switch v := v.(type) {
		case NotSet:
			// inferred: a NOT_SET part contributes nothing (mc-demo passes
			// ToCommunication(NOT_SET) as a part).
		case String:
			b.WriteString(string(v))
		case Communication:
			b.WriteString(string(v))
		default:
			return nil, argFail(i, "argument %d must be String or Communication, got %s (use ToCommunication)", i+1, v.Type())
		}
		if err := checkLen(b.Len()); err != nil {
			return nil, err
		}
	}
	// Parts are concatenated without separators, as the prompt text is sent.
	return Communication(b.String()), nil
}

func fnToCommunication(a []Value) (Value, error) {
	if IsNotSet(a[0]) {
		return NotSet{}, nil
	}
	// The optional format (Format.Date.shortYear, Format.String.playChars)
	// only affects speech rendering, so it is evaluated but ignored.
	s := Display(a[0])
	return Communication(s), checkLen(len(s))
}

func fnMakeList(a []Value) (Value, error) {
	// inferred: all set items must share one type, as in Architect's typed
	// collections; NOT_SET items are allowed.
	first := ""
	for i, v := range a {
		if IsNotSet(v) {
			continue
		}
		if first == "" {
			first = v.Type()
		} else if v.Type() != first {
			return nil, argFail(i, "item %d is %s but earlier items are %s (a collection holds one type)", i+1, v.Type(), first)
		}
	}
	return Collection(append([]Value(nil), a...)), nil
}

func collArg(a []Value, i int) (Collection, error) {
	switch v := a[i].(type) {
	case Collection:
		return v, nil
	case NotSet:
		// inferred: an unset collection behaves as an empty one in Count,
		// AddItem and FindFirst.
		return nil, nil
	}
	return nil, wrongType(i, "Collection", a[i])
}

func fnAddItem(a []Value) (Value, error) {
	c, err := collArg(a, 0)
	if err != nil {
		return nil, err
	}
	out := make(Collection, len(c), len(c)+1)
	copy(out, c)
	return append(out, a[1]), nil
}

func fnCount(a []Value) (Value, error) {
	if j, ok := a[0].(JSON); ok {
		if arr, ok := j.V.([]any); ok {
			return Integer(len(arr)), nil
		}
	}
	c, err := collArg(a, 0)
	if err != nil {
		return nil, err
	}
	return Integer(len(c)), nil
}

func fnGetAt(a []Value) (Value, error) {
	if IsNotSet(a[0]) {
		return nil, notSetArg(0)
	}
	if _, ok := a[1].(Integer); !ok {
		if IsNotSet(a[1]) {
			return nil, notSetArg(1)
		}
		return nil, wrongType(1, "Integer", a[1])
	}
	return index(a[0], a[1])
}

func fnFindFirst(a []Value) (Value, error) {
	if s, ok := a[0].(String); ok {
		// inferred: the String overload returns the character index of the
		// first occurrence.
		sub, err := strArg(a, 1)
		if err != nil {
			return nil, err
		}
		i := strings.Index(string(s), sub)
		if i < 0 {
			return Integer(-1), nil
		}
		return Integer(utf8.RuneCountInString(string(s)[:i])), nil
	}
	c, err := collArg(a, 0)
	if err != nil {
		return nil, err
	}
	for i, item := range c {
		eq, err := equal(item, a[1])
		if err != nil {
			return nil, argFail(1, "%s", err.Error())
		}
		if eq {
			return Integer(i), nil
		}
	}
	return Integer(-1), nil
}

func fnAreEqual(a []Value) (Value, error) {
	eq, err := equal(a[0], a[1])
	if err != nil {
		return nil, err
	}
	return Boolean(eq), nil
}

func fnJsonParse(a []Value) (Value, error) {
	switch v := a[0].(type) {
	case NotSet:
		return NotSet{}, nil
	case JSON:
		return v, nil
	}
	s, err := strArg(a, 0)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber() // keep integers exact for ToInt
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, &failure{arg: 0, msg: "invalid JSON: " + err.Error(), cause: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, argFail(0, "invalid JSON: data after the first value")
	}
	return jsonValue(v), nil
}

func fnGetJsonObjectProperty(a []Value) (Value, error) {
	j, ok := a[0].(JSON)
	if !ok {
		if IsNotSet(a[0]) {
			return nil, notSetArg(0)
		}
		return nil, wrongType(0, "JSON", a[0])
	}
	name, err := strArg(a, 1)
	if err != nil {
		return nil, err
	}
	m, ok := j.V.(map[string]any)
	if !ok {
		return nil, argFail(0, "argument 1 is a JSON value that is not an object")
	}
	return jsonValue(m[name]), nil
}

func fnToPhoneNumber(a []Value) (Value, error) {
	switch v := a[0].(type) {
	case NotSet:
		return NotSet{}, nil
	case PhoneNumber:
		return v, nil
	}
	s, err := strArg(a, 0)
	if err != nil {
		return nil, err
	}
	return NewPhoneNumber(s), nil
}

// NewPhoneNumber builds a PhoneNumber from text such as "+1 (317) 555-0100"
// or "tel:+13175550100". E164 keeps a '+' that precedes the first digit and
// all digits; there is no country or validity logic.
func NewPhoneNumber(raw string) PhoneNumber {
	var b strings.Builder
	seenDigit := false
	for _, r := range raw {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
			seenDigit = true
		case r == '+' && !seenDigit && b.Len() == 0:
			b.WriteByte('+')
		}
	}
	e := b.String()
	if e == "+" {
		e = ""
	}
	return PhoneNumber{Raw: raw, E164: e}
}

func fnSplit(a []Value) (Value, error) {
	s, err := strArg(a, 0)
	if err != nil {
		return nil, err
	}
	sep, err := strArg(a, 1)
	if err != nil {
		return nil, err
	}
	if sep == "" {
		return nil, argFail(1, "separator must not be empty")
	}
	if s == "" {
		// inferred: splitting "" gives an empty collection, not [""].
		return Collection{}, nil
	}
	parts := strings.Split(s, sep)
	out := make(Collection, len(parts))
	for i, p := range parts {
		out[i] = String(p)
	}
	return out, nil
}
