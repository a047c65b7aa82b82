package expr

import (
	"strings"
)

// catalogueEntry is one function as written in catalogue.tsv and extras.tsv: its
// overloads in the compact text form described on [catalogueTSV].
type catalogueEntry struct {
	name, category string
	overloads      [][]string
}

// param is one parameter of an overload.
type param struct {
	name    string
	typ     string // catalogue type code: "str", "int", "any", "nts", ...
	coll    bool   // a collection of typ
	notSet  bool   // NOT_SET is allowed
	repeat  bool   // may be given any number of times (at least once)
	meaning string // what the catalogue says a NOT_SET argument means, if anything
}

// overload is one signature of a function.
type overload struct {
	ret     string
	retColl bool
	params  []param
}

// typeNames spells the catalogue's type codes the way Architect names the
// types in its UI and messages. The first eight come from the catalogue's own
// "types" table; the rest from the signatures' long forms (Queue_ONE, ...),
// and the bot-flow types from the published flows that use them (extras).
var typeNames = map[string]string{
	"str": "String", "bln": "Boolean", "int": "Integer", "dec": "Decimal", "any": "any type",
	"dtm": "DateTime", "dur": "Duration", "cur": "Currency",
	"phn": "PhoneNumber", "usr": "User", "que": "Queue", "skl": "Skill", "grp": "Group",
	"lac": "LanguageSkill", "wrc": "WrapupCode", "pmt": "Prompt", "aud": "Audio",
	"apa": "Audio or Prompt", "nts": "NOT_SET", "cpx_email_address": "EmailAddress",
	"com": "Communication", "txt": "String or Communication", "json": "JSON",
	"sgp": "ScheduleGroup", "emg": "EmergencyGroup", "asp": "AgentScorePair",
	"mixed": "mixed-type",
}

func typeText(typ string, coll bool) string {
	s := typeNames[typ]
	if s == "" {
		s = typ
	}
	if coll {
		s += " collection"
	}
	return s
}

// parseOverload reads the compact form ["ret", "[?]type[[]] name[...][ | meaning]", ...].
func parseOverload(fields []string) overload {
	o := overload{}
	o.ret, o.retColl = strings.CutSuffix(fields[0], "[]")
	for _, f := range fields[1:] {
		var p param
		f, p.meaning, _ = strings.Cut(f, " | ")
		typ, name, _ := strings.Cut(f, " ")
		typ, p.notSet = strings.CutPrefix(typ, "?")
		p.typ, p.coll = strings.CutSuffix(typ, "[]")
		p.name, p.repeat = strings.CutSuffix(name, "...")
		o.params = append(o.params, p)
	}
	return o
}

// arity returns the fewest arguments the overload takes and the most (-1: no
// limit). A repeatable parameter is given at least once.
func (o *overload) arity() (lo, hi int) {
	lo = len(o.params)
	hi = lo
	for _, p := range o.params {
		if p.repeat {
			hi = variadic
		}
	}
	return lo, hi
}

func (o *overload) fits(n int) bool {
	lo, hi := o.arity()
	return n >= lo && (hi < 0 || n <= hi)
}

// paramFor returns the parameter that argument i binds to (a repeatable
// parameter absorbs the surplus).
func (o *overload) paramFor(i int) *param {
	if i < len(o.params) {
		return &o.params[i]
	}
	for j := len(o.params) - 1; j >= 0; j-- {
		if o.params[j].repeat {
			return &o.params[j]
		}
	}
	return &o.params[len(o.params)-1]
}

// signature renders the overload for messages: Lower(String) -> String.
func (o *overload) signature(name string) string {
	var b strings.Builder
	b.WriteString(name)
	b.WriteByte('(')
	for i, p := range o.params {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(typeText(p.typ, p.coll))
		if p.repeat {
			b.WriteString("...")
		}
	}
	b.WriteString(") -> ")
	b.WriteString(typeText(o.ret, o.retColl))
	return b.String()
}

// staticType is what is known about an argument's type before evaluation:
// typ "" means unknown (a variable, say); "nts" is the NOT_SET literal.
type staticType struct {
	typ  string
	coll bool
}

var unknownType = staticType{}

// codeOf maps a runtime type name (Value.Type()) back to its type code.
var codeOf = func() map[string]string {
	m := make(map[string]string, len(typeNames))
	for code, name := range typeNames {
		m[name] = code
	}
	return m
}()

// valueType maps a runtime value onto the catalogue's type codes. NOT_SET
// has no type at run time (the emulator does not track the declared type of
// an unset variable), so it is reported as "nts". An object whose type the
// catalogue does not know (ExternalContact) gets a code no parameter takes.
func valueType(v Value) staticType {
	v = norm(v)
	if c, ok := v.(Collection); ok {
		// The element type is that of the set items; an empty or
		// all-NOT_SET collection fits a collection of any type. Items of
		// different types (a collection an environment built from JSON)
		// fit only "any" parameters.
		var elem *staticType
		for _, x := range c {
			t := valueType(x)
			if t.typ == "nts" {
				continue
			}
			if t.coll || (elem != nil && *elem != t) {
				return staticType{typ: "mixed", coll: true}
			}
			elem = &t
		}
		if elem == nil {
			return staticType{typ: "any", coll: true}
		}
		return staticType{typ: elem.typ, coll: true}
	}
	if code, ok := codeOf[v.Type()]; ok {
		return staticType{typ: code}
	}
	return staticType{typ: "obj:" + v.Type()}
}

// accepts reports whether a parameter takes an argument of type t. inferred:
// there are no implicit conversions (an Integer is not a Decimal, a
// Communication is not a String); "any" takes every single value but not a
// collection, as the catalogue lists separate Any_ONE and Any_COLL overloads.
func (p *param) accepts(t staticType) bool {
	switch {
	case t.typ == "":
		return true
	case t.typ == "nts":
		return p.notSet || p.typ == "nts"
	case p.typ == "nts":
		return false
	case t.coll != p.coll:
		return false
	case p.typ == "any" || t.typ == "any":
		return true
	case t.typ == "mixed":
		return false
	case p.typ == "txt":
		return t.typ == "str" || t.typ == "com"
	case p.typ == "apa":
		// AnyPromptOrAudio_ONE: the published call-park flow passes
		// Append(ToAudioBlank(500), ToAudioTTS(...)).
		return t.typ == "aud" || t.typ == "pmt"
	}
	return p.typ == t.typ
}

// specific counts how many arguments the overload matches by an exact type
// rather than "any" or an unknown; resolution prefers the most specific
// overload, as ToString(NOT_SET) picks toString(Null_ONE) and
// AreEqual(true, "a", "b") the ignoreCase overload.
func (o *overload) specific(args []staticType) int {
	n := 0
	for i, t := range args {
		p := o.paramFor(i)
		if t.typ != "" && p.typ != "any" {
			n++
		}
	}
	return n
}

// resolve picks the overload for arguments of the given types, or returns
// nil when none takes them.
func (f *funcDef) resolve(args []staticType) *overload {
	var best *overload
	bestScore := -1
	for i := range f.overloads {
		o := &f.overloads[i]
		if !o.fits(len(args)) {
			continue
		}
		ok := true
		for j, t := range args {
			if !o.paramFor(j).accepts(t) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if s := o.specific(args); s > bestScore {
			best, bestScore = o, s
		}
	}
	return best
}

// fitsArity reports whether any overload takes n arguments.
func (f *funcDef) fitsArity(n int) bool {
	for i := range f.overloads {
		if f.overloads[i].fits(n) {
			return true
		}
	}
	return false
}

// arityRange is the overall argument count range, for messages and FuncInfo.
func (f *funcDef) arityRange() (lo, hi int) {
	lo = -1
	for i := range f.overloads {
		l, h := f.overloads[i].arity()
		if lo < 0 || l < lo {
			lo = l
		}
		if h < 0 || hi < 0 {
			hi = variadic
		} else if h > hi {
			hi = h
		}
	}
	return lo, hi
}

// noOverload is the message for arguments no overload takes. inferred: the
// wording of Architect's validation message is not published; this one
// names the argument types and the signatures that exist.
func (f *funcDef) noOverload(args []staticType) string {
	var b strings.Builder
	b.WriteString("no overload of ")
	b.WriteString(f.name)
	b.WriteString(" takes (")
	for i, t := range args {
		if i > 0 {
			b.WriteString(", ")
		}
		switch {
		case t.typ == "":
			b.WriteString("?")
		case strings.HasPrefix(t.typ, "obj:"):
			b.WriteString(strings.TrimPrefix(t.typ, "obj:"))
		default:
			b.WriteString(typeText(t.typ, t.coll))
		}
	}
	b.WriteString("); it takes ")
	n := 0
	for i := range f.overloads {
		o := &f.overloads[i]
		if !o.fits(len(args)) {
			continue
		}
		if n > 0 {
			b.WriteString(" or ")
		}
		b.WriteString(o.signature(f.name))
		n++
	}
	return b.String()
}
