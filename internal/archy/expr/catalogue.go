package expr

import (
	_ "embed"
	"fmt"
	"strings"
)

// catalogueTSV is Architect's expression-function catalogue (npm
// purecloud-flow-scripting-api-sdk-javascript@0.0.18, scripting.bundle.js, as
// extracted into ../shared/reference/architect-functions.json), transcribed
// one overload per line; TestCatalogueMatchesReference keeps it identical to
// that file. An overload is its return type followed by its parameters, each
// written "[?]type[[]] name[...][ | NOT_SET meaning]": "?" means NOT_SET is
// allowed, "[]" a collection, "..." repeatable, and the text after "|" is
// what the catalogue says a NOT_SET argument means. It is data, read on first
// use: a process that never checks an expression does not parse it.
//
//go:embed catalogue.tsv
var catalogueTSV string

// extrasTSV holds the functions published Genesys flows call that the
// catalogue (an old build) lacks, each with the published flow it is taken
// from (TestExtrasCited). Their signatures are inferred from those uses (no
// catalogue entry exists), so the parameter types are the loosest the uses
// need.
//
//go:embed extras.tsv
var extrasTSV string

// tableEntry is one function of a table file, its overloads in file order.
type tableEntry struct {
	catalogueEntry
	source string // "" for the catalogue; else the published flow of an extra
}

// readTable parses a table file: one overload per tab-separated line,
// name and category first, then (withSource) the source, then the overload;
// lines of one function are consecutive. '#' starts a comment line.
func readTable(text string, withSource bool) []tableEntry {
	var out []tableEntry
	head := 2
	if withSource {
		head = 3
	}
	for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < head+1 {
			panic(fmt.Sprintf("expr: function table line %d: %d fields", i+1, len(f)))
		}
		if n := len(out); n == 0 || out[n-1].name != f[0] {
			e := tableEntry{catalogueEntry: catalogueEntry{name: f[0], category: f[1]}}
			if withSource {
				e.source = f[2]
			}
			out = append(out, e)
		}
		last := &out[len(out)-1]
		last.overloads = append(last.overloads, f[head:])
	}
	return out
}
