package expr

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// Value is a runtime value. Type returns the Architect type name used in
// error messages ("String", "Integer", ...). String returns a debugging form
// that is, where possible, an expression evaluating to the value
// (e.g. `MakeList("a", 1)`); use [Display] for the user-visible text.
type Value interface {
	Type() string
	String() string
}

// NotSet is Architect's NOT_SET: the absence of a value. A nil Value is
// treated as NOT_SET everywhere in this package.
type NotSet struct{}

// String is an Architect String.
type String string

// Integer is an Architect Integer.
type Integer int64

// Decimal is an Architect Decimal. float64 is precise enough for flow logic;
// Architect's own decimal precision is not modelled.
type Decimal float64

// Boolean is an Architect Boolean.
type Boolean bool

// Collection is an Architect collection (StringCollection, ...). Element types
// are not tracked beyond the values themselves.
type Collection []Value

// JSON is an Architect JSON value holding a decoded Go value as produced by
// encoding/json (map[string]any, []any, string, json.Number or float64,
// bool). A JSON null is represented as NOT_SET, not as JSON{nil}.
type JSON struct{ V any }

// Communication is the value built by MakeCommunication/ToCommunication. The
// emulator only needs its plain text.
type Communication string

// PhoneNumber is the value of ToPhoneNumber. Properties: e164, raw.
type PhoneNumber struct {
	Raw  string // the input text
	E164 string // a leading '+' (if any) and the digits
}

// Object is a structured value with named properties, e.g. an external
// contact or a ShortMessage. The environment builds these; expressions read
// them with '.'.
type Object struct {
	TypeName string // e.g. "ExternalContact"; "Object" if empty
	Fields   map[string]Value
}

func (NotSet) Type() string        { return "NOT_SET" }
func (String) Type() string        { return "String" }
func (Integer) Type() string       { return "Integer" }
func (Decimal) Type() string       { return "Decimal" }
func (Boolean) Type() string       { return "Boolean" }
func (Collection) Type() string    { return "Collection" }
func (JSON) Type() string          { return "JSON" }
func (Communication) Type() string { return "Communication" }
func (PhoneNumber) Type() string   { return "PhoneNumber" }
func (o Object) Type() string {
	if o.TypeName == "" {
		return "Object"
	}
	return o.TypeName
}

func (NotSet) String() string    { return "NOT_SET" }
func (s String) String() string  { return Quote(string(s)) }
func (i Integer) String() string { return strconv.FormatInt(int64(i), 10) }

// String always contains a '.', so that a Decimal literal re-parses as a
// Decimal rather than an Integer.
func (d Decimal) String() string {
	s := strconv.FormatFloat(float64(d), 'f', -1, 64)
	if !strings.ContainsAny(s, ".NI") { // NaN and Inf never come from the parser
		s += ".0"
	}
	return s
}

func (b Boolean) String() string { return strconv.FormatBool(bool(b)) }

func (c Collection) String() string {
	if len(c) == 0 {
		// MakeList needs at least one item; MakeEmptyList takes the item
		// whose type the empty collection has.
		return "MakeEmptyList(NOT_SET)"
	}
	parts := make([]string, len(c))
	for i, v := range c {
		parts[i] = valueString(v)
	}
	return "MakeList(" + strings.Join(parts, ", ") + ")"
}

func (j JSON) String() string          { return "JsonParse(" + Quote(jsonText(j.V)) + ")" }
func (c Communication) String() string { return "MakeCommunication(" + Quote(string(c)) + ")" }
func (p PhoneNumber) String() string   { return "ToPhoneNumber(" + Quote(p.Raw) + ")" }

func (o Object) String() string {
	keys := make([]string, 0, len(o.Fields))
	for k := range o.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(o.Type())
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(k)
		b.WriteString(": ")
		b.WriteString(valueString(o.Fields[k]))
	}
	b.WriteByte('}')
	return b.String()
}

func valueString(v Value) string {
	if v == nil {
		return "NOT_SET"
	}
	return v.String()
}

// IsNotSet reports whether v is NOT_SET (or nil).
func IsNotSet(v Value) bool {
	if v == nil {
		return true
	}
	_, ok := v.(NotSet)
	return ok
}

// norm maps nil to NotSet so the evaluator never sees a nil Value.
func norm(v Value) Value {
	if v == nil {
		return NotSet{}
	}
	return v
}

// typeName is v.Type() with nil handled.
func typeName(v Value) string { return norm(v).Type() }

// Display returns the text Architect's ToDisplayString would produce: "" for
// NOT_SET, the text of strings and communications, decimal notation for
// numbers, "true"/"false" for booleans.
func Display(v Value) string {
	switch v := norm(v).(type) {
	case NotSet:
		return ""
	case String:
		return string(v)
	case Integer:
		return strconv.FormatInt(int64(v), 10)
	case Decimal:
		// inferred: shortest decimal form without exponent, so 2.0 shows as "2".
		return strconv.FormatFloat(float64(v), 'f', -1, 64)
	case Boolean:
		// inferred: lower case, matching the literals.
		return strconv.FormatBool(bool(v))
	case Communication:
		return string(v)
	case PhoneNumber:
		// inferred: the number as entered.
		return v.Raw
	case JSON:
		// A JSON string displays as its content, not as a quoted JSON text:
		// published flows use ToString(Flow.json.conversationId) as an id.
		if s, ok := v.V.(string); ok {
			return s
		}
		return jsonText(v.V)
	case Collection:
		// inferred: items' display text joined by ", ".
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = Display(x)
		}
		return strings.Join(parts, ", ")
	case Object:
		return v.String()
	}
	return v.String()
}

// jsonText renders a decoded JSON value compactly with sorted keys.
func jsonText(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "null"
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// jsonValue wraps a decoded JSON value, mapping null to NOT_SET.
func jsonValue(v any) Value {
	if v == nil {
		return NotSet{}
	}
	return JSON{V: v}
}
