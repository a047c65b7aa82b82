package expr

import (
	"sort"
	"strings"
)

// Vars returns every variable path the expression references, as dotted text
// exactly as written (including any trailing property segments, since the
// parser cannot tell variable from property), deduplicated and sorted.
// Properties reached through calls or indexing are not included: for
// Chat.Guest.customFields[i].key the path is Chat.Guest.customFields.
func (e *Expr) Vars() []string {
	set := map[string]bool{}
	Walk(e.root, func(n Node) bool {
		if v, ok := n.(*Var); ok {
			set[strings.Join(v.Path, ".")] = true
		}
		return true
	})
	return sortedKeys(set)
}

// Funcs returns the functions the expression calls, deduplicated and sorted.
// Known functions are reported in their canonical spelling (contains ->
// Contains); unknown ones as written.
func (e *Expr) Funcs() []string {
	set := map[string]bool{}
	Walk(e.root, func(n Node) bool {
		if c, ok := n.(*Call); ok {
			if f := lookupFunc(c.Name); f != nil {
				set[f.name] = true
			} else {
				set[c.Name] = true
			}
		}
		return true
	})
	return sortedKeys(set)
}

func sortedKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Check parses src and reports, without evaluating, calls to unknown
// functions and calls with the wrong number of arguments. A syntax error is
// returned as the only element. The result is nil when nothing is wrong.
func Check(src string) []error {
	e, err := Parse(src)
	if err != nil {
		return []error{err}
	}
	return e.Check()
}

// Check reports calls to unknown functions and calls with the wrong number
// of arguments, in source order, as *Error with Kind CheckError.
func (e *Expr) Check() []error {
	var errs []error
	Walk(e.root, func(n Node) bool {
		c, ok := n.(*Call)
		if !ok {
			return true
		}
		f := lookupFunc(c.Name)
		if f == nil {
			errs = append(errs, newError(CheckError, e.src, c.At, nil, "unknown function %s", c.Name))
		} else if msg := f.arityError(len(c.Args)); msg != "" {
			errs = append(errs, newError(CheckError, e.src, c.At, nil, "%s", msg))
		}
		return true
	})
	return errs
}
