package expr

import (
	"errors"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// funcDef is one Architect function: its signatures (from the catalogue, or
// from published flows for the few the catalogue lacks) and, if the emulator
// runs it, its implementation.
type funcDef struct {
	name      string // canonical spelling
	category  string
	overloads []overload
	source    string                                         // extras only: the published flow that uses it
	call      func(o *overload, args []Value) (Value, error) // eager: arguments evaluated first
	lazy      func(ev *evaluator, c *Call) (Value, error)    // evaluates its own arguments
}

// variadic marks an arity without an upper bound.
const variadic = -1

var (
	funcOnce  sync.Once
	funcTable []*funcDef
	funcIndex map[string]*funcDef
	// funcExact is funcIndex by each function's own spelling, which is how
	// nearly every call is written: no lower-cased copy of the name.
	funcExact map[string]*funcDef
)

// functions builds the table on first use: parsing ~200 signatures is cheap
// but need not happen in every process that links the package.
func functions() map[string]*funcDef {
	funcOnce.Do(func() {
		catalogue, extras := readTable(catalogueTSV, false), readTable(extrasTSV, true)
		funcIndex = make(map[string]*funcDef, len(catalogue)+len(extras))
		add := func(e catalogueEntry, source string) {
			f := &funcDef{name: e.name, category: e.category, source: source}
			for _, o := range e.overloads {
				f.overloads = append(f.overloads, parseOverload(o))
			}
			f.call, f.lazy = implementations[e.name].call, implementations[e.name].lazy
			funcTable = append(funcTable, f)
			funcIndex[strings.ToLower(e.name)] = f
		}
		for _, e := range append(catalogue, extras...) {
			add(e.catalogueEntry, e.source)
		}
		sort.Slice(funcTable, func(i, j int) bool { return funcTable[i].name < funcTable[j].name })
		funcExact = make(map[string]*funcDef, len(funcIndex))
		for _, f := range funcIndex {
			funcExact[f.name] = f
		}
	})
	return funcIndex
}

// lookupFunc finds a function by its case-insensitive name (published flows
// write contains(, lower(, right(, tophonenumber().
func lookupFunc(name string) *funcDef {
	index := functions()
	if f, ok := funcExact[name]; ok {
		return f // funcIndex[strings.ToLower(f.name)] is f
	}
	return index[strings.ToLower(name)]
}

// FuncInfo describes a function of the table, for documentation and linters.
type FuncInfo struct {
	Name             string // canonical spelling
	Category         string // the catalogue's category (text, list, cast, ...)
	MinArgs, MaxArgs int    // over all overloads; MaxArgs < 0: no upper bound
	Signatures       []string
	Source           string // "" for catalogue functions; else the published flow it is taken from
	Emulated         bool   // false: valid in Architect, but Eval reports it not implemented
}

// Functions lists the table sorted by name: Architect's catalogue plus the
// functions published flows use that it lacks.
func Functions() []FuncInfo {
	functions()
	out := make([]FuncInfo, len(funcTable))
	for i, f := range funcTable {
		out[i] = f.info()
	}
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
	lo, hi := f.arityRange()
	sigs := make([]string, len(f.overloads))
	for i := range f.overloads {
		sigs[i] = f.overloads[i].signature(f.name)
	}
	return FuncInfo{Name: f.name, Category: f.category, MinArgs: lo, MaxArgs: hi, Signatures: sigs, Source: f.source,
		Emulated: f.call != nil || f.lazy != nil}
}

// arityError returns a message if no overload of f takes n arguments, else "".
func (f *funcDef) arityError(n int) string {
	if f.fitsArity(n) {
		return ""
	}
	lo, hi := f.arityRange()
	switch {
	case lo == hi:
		return f.name + " takes " + plural(lo, "argument") + ", got " + strconv.Itoa(n)
	case n < lo:
		return f.name + " takes at least " + plural(lo, "argument") + ", got " + strconv.Itoa(n)
	case hi >= 0 && n > hi:
		return f.name + " takes at most " + plural(hi, "argument") + ", got " + strconv.Itoa(n)
	}
	var counts []string
	for i := range f.overloads {
		l, h := f.overloads[i].arity()
		c := strconv.Itoa(l)
		if h < 0 {
			c += " or more"
		}
		counts = append(counts, c)
	}
	return f.name + " takes " + strings.Join(counts, ", ") + " arguments, got " + strconv.Itoa(n)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// pick chooses the overload for arguments of the given types. A NOT_SET
// argument first counts as NOT_SET (so ToString(NOT_SET) takes
// toString(Null_ONE)); if no overload takes it that way, it counts as
// unknown and the overload found is returned with the index of the first
// NOT_SET argument that overload forbids. With no overload at all, o is nil.
func (f *funcDef) pick(types []staticType) (o *overload, badNotSet int) {
	if o := f.resolve(types); o != nil {
		return o, -1
	}
	loose := make([]staticType, len(types))
	for i, t := range types {
		if t.typ != "nts" {
			loose[i] = t
		}
	}
	o = f.resolve(loose)
	if o == nil {
		return nil, -1
	}
	for i, t := range types {
		if p := o.paramFor(i); t.typ == "nts" && !p.notSet && p.typ != "nts" {
			return o, i
		}
	}
	return o, -1
}

func (f *funcDef) notSetMessage(o *overload, i int) string {
	return "argument " + strconv.Itoa(i+1) + " (" + o.paramFor(i).name + ") is NOT_SET, which " + f.name +
		" does not allow (guard it with IsSet or IsNotSetOrEmpty)"
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
		return nil, ev.errf(c, "function %s is not implemented by the emulator", f.name)
	}
	args := make([]Value, len(c.Args))
	types := make([]staticType, len(c.Args))
	for i, a := range c.Args {
		v, err := ev.eval(a)
		if err != nil {
			return nil, err
		}
		args[i] = norm(v)
		types[i] = valueType(args[i])
	}
	o, bad := f.pick(types)
	if o == nil {
		return nil, ev.errf(c, "%s", f.noOverload(types))
	}
	if bad >= 0 {
		return nil, ev.errf(c.Args[bad], "%s: %s", f.name, f.notSetMessage(o, bad))
	}
	v, err := f.call(o, args)
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

// Prepare builds the function table now rather than at the first
// expression checked, for a caller that can do it in the background.
func Prepare() { functions() }
