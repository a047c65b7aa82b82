package expr

import (
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// impl is the emulator's implementation of a function of the table. By the
// time call runs, the arguments have been matched to overload o: their types
// are those of o's parameters, and NOT_SET appears only where o allows it.
// Quotes in comments are the catalogue's own words.
type impl struct {
	call func(o *overload, args []Value) (Value, error)
	lazy func(ev *evaluator, c *Call) (Value, error)
}

// implementations lists the functions the emulator runs. Every other function
// of the table fails at evaluation with "not implemented by the emulator"
// (dates, durations, currencies, org look-ups, audio: nothing a messaging
// flow of bpgen calls). Filled in init because If refers back to the
// evaluator, which refers to the table.
var implementations map[string]impl

func init() {
	implementations = map[string]impl{
		"If":              {lazy: fnIf},
		"IsSet":           {call: fnIsSet},
		"IsNotSetOrEmpty": {call: fnIsNotSetOrEmpty},
		"Append":          {call: fnAppend},
		"Trim":            {call: strFn(func(s string) string { return strings.Trim(s, architectSpace) })},
		"LTrim":           {call: strFn(func(s string) string { return strings.TrimLeft(s, architectSpace) })},
		"RTrim":           {call: strFn(func(s string) string { return strings.TrimRight(s, architectSpace) })},
		"Lower":           {call: strFn(strings.ToLower)},
		"Upper":           {call: strFn(strings.ToUpper)},
		"Reverse":         {call: strFn(reverse)},
		"Length":          {call: fnLength},
		"Left":            {call: fnLeft},
		"Right":           {call: fnRight},
		"Substring":       {call: fnSubstring},
		"Replace":         {call: fnReplace},
		"Contains":        {call: fnContains},
		"FindString":      {call: fnFindString},
		"Split":           {call: fnSplit},
		"Count":           {call: fnCount},
		"GetAt":           {call: fnGetAt},
		"Find":            {call: fnFind},
		"FindFirst":       {call: fnFindFirst},
		"MakeList":        {call: fnMakeList},
		"MakeEmptyList":   {call: func(*overload, []Value) (Value, error) { return Collection{}, nil }},
		"AreEqual":        {call: fnAreEqual},
		"ToString":        {call: fnToString},
		"ToInt":           {call: fnToInt},
		"ToDecimal":       {call: fnToDecimal},
		"ToBool":          {call: fnToBool},
		"ToPhoneNumber":   {call: fnToPhoneNumber},
		"Sum":             {call: fnSum},
		"Floor":           {call: roundFn(math.Floor)},
		"Ceiling":         {call: roundFn(math.Ceil)},

		// Functions from published flows (extras).
		"MakeCommunication":     {call: fnMakeCommunication},
		"ToCommunication":       {call: fnToCommunication},
		"ResolveSlot":           {call: func(_ *overload, a []Value) (Value, error) { return a[0], nil }},
		"ToDisplayString":       {call: func(_ *overload, a []Value) (Value, error) { return String(Display(a[0])), nil }},
		"JsonParse":             {call: fnJsonParse},
		"GetJsonObjectProperty": {call: fnGetJsonObjectProperty},
		"AddItem":               {call: fnAddItem},
	}
}

// architectSpace is what Trim, LTrim and RTrim remove: "Whitespace characters
// are space, tab, carriage return and line feed."
const architectSpace = " \t\r\n"

// maxStringLen caps strings built during evaluation so that nested Replace or
// Append calls cannot exhaust memory. It is far above any message a flow sends.
const maxStringLen = 1 << 20

func checkLen(n int) error {
	if n > maxStringLen {
		return fail("string result longer than %d bytes", maxStringLen)
	}
	return nil
}

// notImplemented reports an overload of an implemented function that the
// emulator cannot run (Audio, Currency, Duration variants).
func notImplemented(name string, o *overload) error {
	return fail("%s is not implemented by the emulator", o.signature(name))
}

func fnIf(ev *evaluator, c *Call) (Value, error) {
	cond, err := ev.eval(c.Args[0])
	if err != nil {
		return nil, err
	}
	var yes bool
	switch b := norm(cond).(type) {
	case Boolean:
		yes = bool(b)
	case NotSet:
		// "A NOT_SET Boolean is considered false."
	default:
		return nil, ev.errf(c.Args[0], "If: argument 1 (condition) must be Boolean, got %s", typeName(cond))
	}
	// "Only the trueValue or falseValue parameter will be evaluated based on
	// the result the condition parameter."
	if yes {
		return ev.eval(c.Args[1])
	}
	return ev.eval(c.Args[2])
}

func fnIsSet(_ *overload, a []Value) (Value, error) { return Boolean(!IsNotSet(a[0])), nil }

func fnIsNotSetOrEmpty(_ *overload, a []Value) (Value, error) {
	if IsNotSet(a[0]) {
		return Boolean(true), nil
	}
	// "Determines whether a value is NOT_SET or empty": empty is zero length
	// (a string of spaces is not empty) or a collection without items.
	switch v := a[0].(type) {
	case String:
		return Boolean(v == ""), nil
	case Communication:
		return Boolean(v == ""), nil
	case Collection:
		return Boolean(len(v) == 0), nil
	case JSON:
		switch j := v.V.(type) {
		case string:
			return Boolean(j == ""), nil
		case []any:
			return Boolean(len(j) == 0), nil
		case map[string]any:
			return Boolean(len(j) == 0), nil
		}
	}
	return Boolean(false), nil
}

func fnAppend(o *overload, a []Value) (Value, error) {
	if o.ret != "str" {
		return nil, notImplemented("Append", o)
	}
	var b strings.Builder
	for _, v := range a {
		// "A NOT_SET String is treated as a blank string."
		if s, ok := v.(String); ok {
			if err := checkLen(b.Len() + len(s)); err != nil {
				return nil, err
			}
			b.WriteString(string(s))
		}
	}
	return String(b.String()), nil
}

// strFn lifts a string transformation into a one-argument function.
func strFn(f func(string) string) func(*overload, []Value) (Value, error) {
	return func(_ *overload, a []Value) (Value, error) { return String(f(string(a[0].(String)))), nil }
}

func reverse(s string) string {
	r := []rune(s)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return string(r)
}

func fnLength(_ *overload, a []Value) (Value, error) {
	return Integer(utf8.RuneCountInString(string(a[0].(String)))), nil
}

// count reads a non-negative character count or index. inferred: a negative
// one is an error (the catalogue does not say what it means).
func count(a []Value, i int) (int, error) {
	n := int64(a[i].(Integer))
	if n < 0 {
		return 0, argFail(i, "argument %d must not be negative, got %d", i+1, n)
	}
	return int(min(n, math.MaxInt32)), nil
}

func fnLeft(_ *overload, a []Value) (Value, error) {
	n, err := count(a, 1)
	if err != nil {
		return nil, err
	}
	// "If the length of the string ... is less than the number of characters
	// specified in the length parameter, the entire string ... is returned."
	r := []rune(string(a[0].(String)))
	return String(r[:min(n, len(r))]), nil
}

func fnRight(_ *overload, a []Value) (Value, error) {
	n, err := count(a, 1)
	if err != nil {
		return nil, err
	}
	r := []rune(string(a[0].(String)))
	return String(r[len(r)-min(n, len(r)):]), nil
}

func fnSubstring(_ *overload, a []Value) (Value, error) {
	start, err := count(a, 1)
	if err != nil {
		return nil, err
	}
	length, err := count(a, 2)
	if err != nil {
		return nil, err
	}
	r := []rune(string(a[0].(String)))
	if start >= len(r) {
		// "If the starting position is past the end of the string, "" is
		// returned."
		return String(""), nil
	}
	// inferred: a length running past the end is clipped, as in Left/Right.
	return String(r[start:min(len(r), start+length)]), nil
}

func fnReplace(_ *overload, a []Value) (Value, error) {
	s, find := string(a[0].(String)), string(a[1].(String))
	// "A NOT_SET value is treated as a blank string."
	repl, _ := a[2].(String)
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
	return String(strings.ReplaceAll(s, find, string(repl))), nil
}

// fold lower-cases both strings when ignoreCase: the catalogue's "case
// insensitive" comparisons (inferred: simple Unicode lower-casing).
func fold(ignoreCase bool, s, t string) (string, string) {
	if ignoreCase {
		return strings.ToLower(s), strings.ToLower(t)
	}
	return s, t
}

func fnContains(_ *overload, a []Value) (Value, error) {
	ic := len(a) == 3 && bool(a[2].(Boolean))
	s, t := fold(ic, string(a[0].(String)), string(a[1].(String)))
	return Boolean(strings.Contains(s, t)), nil
}

func fnFindString(o *overload, a []Value) (Value, error) {
	occurrence, ic := 1, false
	for i := 2; i < len(a); i++ {
		switch o.params[i].name {
		case "occurrenceNumber":
			n := int64(a[i].(Integer))
			if n < 1 {
				// inferred: occurrences count from 1.
				return nil, argFail(i, "argument %d (occurrenceNumber) must be at least 1, got %d", i+1, n)
			}
			occurrence = int(min(n, math.MaxInt32))
		case "ignoreCase":
			ic = bool(a[i].(Boolean))
		}
	}
	s, t := fold(ic, string(a[0].(String)), string(a[1].(String)))
	if t == "" {
		// "If textToFind find is "", a -1 will be returned."
		return Integer(-1), nil
	}
	from := 0
	for {
		i := strings.Index(s[from:], t)
		if i < 0 {
			// "If there are less than occurrenceNumber matches ..., a -1 is
			// returned."
			return Integer(-1), nil
		}
		occurrence--
		if occurrence == 0 {
			// "the zero based index", in characters.
			return Integer(utf8.RuneCountInString(s[:from+i])), nil
		}
		from += i + len(t)
	}
}

func fnSplit(_ *overload, a []Value) (Value, error) {
	s, sep := string(a[0].(String)), string(a[1].(String))
	if sep == "" {
		// inferred: an empty delimiter delimits nothing; strict reading.
		return nil, argFail(1, "argument 2 (delimiter) must not be empty")
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

func fnCount(_ *overload, a []Value) (Value, error) { return Integer(len(a[0].(Collection))), nil }

func fnGetAt(_ *overload, a []Value) (Value, error) { return index(a[0], a[1]) }

// matches lists the indices of items equal to v.
func matches(c Collection, v Value) ([]int, error) {
	var out []int
	for i, item := range c {
		eq, err := equal(item, v)
		if err != nil {
			return nil, argFail(1, "%s", err.Error())
		}
		if eq {
			out = append(out, i)
		}
	}
	return out, nil
}

func fnFind(_ *overload, a []Value) (Value, error) {
	at, err := matches(a[0].(Collection), a[1])
	if err != nil {
		return nil, err
	}
	// "If the item is not found, an empty Integer collection is returned."
	out := Collection{}
	for _, i := range at {
		out = append(out, Integer(i))
	}
	return out, nil
}

func fnFindFirst(_ *overload, a []Value) (Value, error) {
	at, err := matches(a[0].(Collection), a[1])
	if err != nil {
		return nil, err
	}
	if len(at) == 0 {
		return Integer(-1), nil // "If the item is not found, -1 is returned."
	}
	return Integer(at[0]), nil
}

// sameType checks that the set items of a collection share one type, as the
// catalogue's resolver n-SameTypeRetColl requires of MakeList's items.
func sameType(items []Value, first Value, offset int) error {
	want := ""
	if first != nil && !IsNotSet(first) {
		want = first.Type()
	}
	for i, v := range items {
		if IsNotSet(v) {
			continue
		}
		if want == "" {
			want = v.Type()
		} else if v.Type() != want {
			return argFail(i+offset, "item %d is %s but the collection holds %s (a collection holds one type)", i+offset+1, v.Type(), want)
		}
	}
	return nil
}

func fnMakeList(_ *overload, a []Value) (Value, error) {
	if err := sameType(a, nil, 0); err != nil {
		return nil, err
	}
	return Collection(append([]Value(nil), a...)), nil
}

func fnAddItem(_ *overload, a []Value) (Value, error) {
	c, _ := a[0].(Collection) // NOT_SET: empty (see the extras table)
	var first Value
	for _, x := range c {
		if !IsNotSet(x) {
			first = x
			break
		}
	}
	if err := sameType(a[1:], first, 1); err != nil {
		return nil, err
	}
	out := make(Collection, len(c), len(c)+1)
	copy(out, c)
	return append(out, a[1]), nil
}

func fnAreEqual(o *overload, a []Value) (Value, error) {
	vals, ic := a, false
	if o.params[0].name == "ignoreCase" {
		vals, ic = a[1:], bool(a[0].(Boolean))
	}
	if ic {
		vals = append([]Value(nil), vals...)
		for i, v := range vals {
			switch v := v.(type) {
			case String:
				vals[i] = String(strings.ToLower(string(v)))
			case Collection:
				c := make(Collection, len(v))
				for j, x := range v {
					if s, ok := x.(String); ok {
						x = String(strings.ToLower(string(s)))
					}
					c[j] = x
				}
				vals[i] = c
			}
		}
	}
	// "Returns true if all instances of valueToCompare are equal to the
	// valueToCompareTo value."
	for _, v := range vals[1:] {
		eq, err := equal(vals[0], v)
		if err != nil || !eq {
			return Boolean(false), err
		}
	}
	return Boolean(true), nil
}

func fnToString(o *overload, a []Value) (Value, error) {
	if IsNotSet(a[0]) {
		// "Returns a NOT_SET String."
		return NotSet{}, nil
	}
	last := o.params[len(o.params)-1]
	if o.params[0].typ == "cur" {
		return nil, notImplemented("ToString", o)
	}
	places := -1
	if last.name == "decimalPlaces" {
		n, err := count(a, len(a)-1)
		if err != nil {
			return nil, err
		}
		places = min(n, 100)
	}
	text := func(v Value) string {
		if d, ok := v.(Decimal); ok && places >= 0 {
			// "Values will be rounded to the number of decimal places
			// specified."
			return strconv.FormatFloat(float64(d), 'f', places, 64)
		}
		return Display(v)
	}
	c, ok := a[0].(Collection)
	if !ok {
		s := text(a[0])
		return String(s), checkLen(len(s))
	}
	// "Collection items are delimited with a newline"; "If the delimiter is
	// a NOT_SET string, a newline will be used".
	sep := "\n"
	if len(o.params) > 1 && o.params[1].name == "delimiter" {
		if s, ok := a[1].(String); ok {
			sep = string(s)
		}
	}
	var b strings.Builder
	for i, item := range c {
		if i > 0 {
			b.WriteString(sep)
		}
		// inferred: NOT_SET items contribute "".
		b.WriteString(text(item))
		if err := checkLen(b.Len()); err != nil {
			return nil, err
		}
	}
	return String(b.String()), nil
}

func fnToInt(o *overload, a []Value) (Value, error) {
	switch v := a[0].(type) {
	case NotSet:
		return NotSet{}, nil // "a NOT_SET Integer is returned"
	case Integer:
		return v, nil
	case Boolean:
		if v {
			return Integer(1), nil // "True returns 1. False returns 0."
		}
		return Integer(0), nil
	case Decimal:
		// "Returns the integer part of the Decimal".
		t := math.Trunc(float64(v))
		if math.IsNaN(t) || t < -(1<<63) || t >= 1<<63 {
			return nil, argFail(0, "%s is out of Integer range", strconv.FormatFloat(float64(v), 'g', -1, 64))
		}
		return Integer(int64(t)), nil
	case String:
		// inferred: surrounding white space is ignored; anything else that
		// is not an integer (including "1.5") is an error.
		n, err := strconv.ParseInt(strings.Trim(string(v), architectSpace), 10, 64)
		if err != nil {
			return nil, argFail(0, "cannot convert %s to Integer", Quote(string(v)))
		}
		return Integer(n), nil
	}
	return nil, notImplemented("ToInt", o)
}

func fnToDecimal(o *overload, a []Value) (Value, error) {
	switch v := a[0].(type) {
	case NotSet:
		return NotSet{}, nil
	case Decimal:
		return v, nil
	case Integer:
		return Decimal(v), nil
	case Boolean:
		if v {
			return Decimal(1), nil // "Returns 1.0 for the Boolean value true and 0.0 for ... False."
		}
		return Decimal(0), nil
	case String:
		t := strings.Trim(string(v), architectSpace)
		f, err := strconv.ParseFloat(t, 64)
		// ParseFloat also accepts "NaN", "Inf" and hex floats; Architect
		// decimals are plain digits (inferred).
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || strings.ContainsAny(t, "xXnN_") {
			return nil, argFail(0, "cannot convert %s to Decimal", Quote(string(v)))
		}
		return Decimal(f), nil
	}
	return nil, notImplemented("ToDecimal", o)
}

func fnToBool(_ *overload, a []Value) (Value, error) {
	switch v := a[0].(type) {
	case Boolean:
		return v, nil
	case Integer:
		return Boolean(v != 0), nil // "true if ... not equal to 0"
	case Decimal:
		return Boolean(v != 0), nil // "true if ... not equal to 0.0"
	case String:
		// "true if the value ... is a case insensitive match to "True", "1"
		// or "T" ... false ... "False", "0" or "F". If the value ... doesn't
		// match the true or false valid values, a NOT_SET Boolean is
		// returned."
		switch strings.ToLower(string(v)) {
		case "true", "1", "t":
			return Boolean(true), nil
		case "false", "0", "f":
			return Boolean(false), nil
		}
	}
	return NotSet{}, nil
}

func fnToPhoneNumber(_ *overload, a []Value) (Value, error) {
	switch v := a[0].(type) {
	case PhoneNumber:
		return v, nil
	case String:
		return NewPhoneNumber(string(v)), nil
	}
	return NotSet{}, nil // "Returns a NOT_SET PhoneNumber."
}

// NewPhoneNumber builds a PhoneNumber from text such as "+1 (317) 555-0100"
// or "tel:+13175550100". E164 keeps a '+' that precedes the first digit and
// all digits; there is no country or validity logic (inferred: Architect's
// parsing rules are not published).
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

func fnSum(o *overload, a []Value) (Value, error) {
	items := a
	if o.params[0].coll {
		items = a[0].(Collection)
	}
	switch o.ret {
	case "int":
		var s Value = Integer(0)
		for _, v := range items {
			if IsNotSet(v) {
				continue // "If the Integer value is NOT_SET, it will be treated as 0."
			}
			var err error
			if s, err = intArith(OpAdd, int64(s.(Integer)), int64(v.(Integer))); err != nil {
				return nil, err
			}
		}
		return s, nil
	case "dec":
		s := 0.0
		for _, v := range items {
			if d, ok := v.(Decimal); ok { // "A NOT_SET decimal is treated as 0.0."
				s += float64(d)
			}
		}
		if math.IsInf(s, 0) {
			return nil, fail("decimal overflow")
		}
		return Decimal(s), nil
	}
	return nil, notImplemented("Sum", o)
}

// roundFn implements Floor and Ceiling: "When an Integer is supplied ..., the
// supplied Integer is returned."
func roundFn(f func(float64) float64) func(*overload, []Value) (Value, error) {
	return func(o *overload, a []Value) (Value, error) {
		switch v := a[0].(type) {
		case Integer:
			return v, nil
		case Decimal:
			return Decimal(f(float64(v))), nil
		}
		return nil, notImplemented("Floor/Ceiling", o)
	}
}

func fnMakeCommunication(_ *overload, a []Value) (Value, error) {
	var b strings.Builder
	for _, v := range a {
		switch v := v.(type) {
		case String:
			b.WriteString(string(v))
		case Communication:
			b.WriteString(string(v))
		}
		if err := checkLen(b.Len()); err != nil {
			return nil, err
		}
	}
	// Parts are concatenated without separators: the published flows write
	// their own spaces ("Confirming your booking on ", ToCommunication(...)).
	return Communication(b.String()), nil
}

func fnToCommunication(_ *overload, a []Value) (Value, error) {
	if IsNotSet(a[0]) {
		return NotSet{}, nil
	}
	// The optional format (Format.Date.shortYear, Format.String.playChars)
	// only affects speech rendering, so it is evaluated but ignored.
	s := Display(a[0])
	return Communication(s), checkLen(len(s))
}

func fnJsonParse(_ *overload, a []Value) (Value, error) {
	s, ok := a[0].(String)
	if !ok {
		return NotSet{}, nil
	}
	dec := json.NewDecoder(strings.NewReader(string(s)))
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

func fnGetJsonObjectProperty(_ *overload, a []Value) (Value, error) {
	m, ok := a[0].(JSON).V.(map[string]any)
	if !ok {
		return nil, argFail(0, "argument 1 is a JSON value that is not an object")
	}
	return jsonValue(m[string(a[1].(String))]), nil
}
