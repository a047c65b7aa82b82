// Package diag holds bpgen's diagnostics: a problem found in a config or a
// rendered artifact, with a stable rule id and a file:line:col position, plus
// the text, JSON and GitHub Actions renderings the CLI prints.
package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Severity says whether a diagnostic blocks rendering.
type Severity string

const (
	Error   Severity = "error"
	Warning Severity = "warning"
)

// Rule is a stable identifier users can grep for and CI can key on.
type Rule struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// The rules. Ids never change meaning; retired ids are not reused.
var (
	YAMLSyntax = Rule{"BPG001", "yaml-syntax"}
	// Unreadable: the file is missing or cannot be read, so nothing in it
	// was checked (an input error, not a finding).
	Unreadable         = Rule{"BPG003", "file-unreadable"}
	Schema             = Rule{"BPG002", "config-schema"}
	InvalidRegex       = Rule{"BPG010", "invalid-regex"}
	DuplicateName      = Rule{"BPG011", "duplicate-name"}
	UnsafeName         = Rule{"BPG012", "unsafe-name"}
	DuplicateIdent     = Rule{"BPG013", "duplicate-identifier"}
	IdentifierSource   = Rule{"BPG014", "identifier-source"}
	InvalidCountry     = Rule{"BPG015", "invalid-country"}
	NoChannel          = Rule{"BPG016", "no-channel"}
	OptionConflict     = Rule{"BPG017", "option-conflict"}
	ProviderVersion    = Rule{"BPG018", "provider-version"}
	ProviderLimit      = Rule{"BPG019", "provider-limit"}
	DataActionMissing  = Rule{"BPG101", "data-action-missing"}
	DataActionInput    = Rule{"BPG102", "data-action-input"}
	DataActionOutput   = Rule{"BPG103", "data-action-output"}
	ModuleIO           = Rule{"BPG104", "common-module-io"}
	BotIO              = Rule{"BPG105", "bot-flow-io"}
	UnresolvedRef      = Rule{"BPG106", "unresolved-reference"}
	UndeclaredVariable = Rule{"BPG107", "undeclared-variable"}
	Substitution       = Rule{"BPG108", "substitution-mismatch"}
	ExportMismatch     = Rule{"BPG109", "export-mismatch"}
	SlotEntity         = Rule{"BPG110", "slot-entity"}
	FlowStructure      = Rule{"BPG111", "flow-structure"}
	UnknownResource    = Rule{"BPG201", "provider-unknown-type"}
	UnknownAttribute   = Rule{"BPG202", "provider-unknown-attribute"}
	MissingRequired    = Rule{"BPG203", "provider-missing-required"}
	ComputedOnly       = Rule{"BPG204", "provider-computed-only"}
	BlockCount         = Rule{"BPG205", "provider-block-count"}
	SecretInFile       = Rule{"BPG301", "secret-in-file"}
)

// Pos is a 1-based position in a file; Line 0 means "the whole file".
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"column,omitempty"`
}

func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one finding.
type Diagnostic struct {
	Pos      Pos      `json:"pos"`
	Severity Severity `json:"severity"`
	Rule     Rule     `json:"rule"`
	// Field is the config path or artifact path the finding is about, e.g. identifiers[1].ask.pattern.
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func (d Diagnostic) String() string {
	var b strings.Builder
	b.WriteString(d.Pos.String())
	b.WriteString(": ")
	if d.Severity == Warning {
		b.WriteString("warning: ")
	}
	if d.Field != "" {
		b.WriteString(d.Field)
		b.WriteString(": ")
	}
	b.WriteString(d.Message)
	fmt.Fprintf(&b, " [%s %s]", d.Rule.ID, d.Rule.Name)
	return b.String()
}

// List is a set of diagnostics; it implements error so loaders can return it.
type List []Diagnostic

func (l List) Error() string {
	lines := make([]string, len(l))
	for i, d := range l {
		lines[i] = d.String()
	}
	return strings.Join(lines, "\n")
}

// HasErrors reports whether any diagnostic is an error.
func (l List) HasErrors() bool {
	for _, d := range l {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Sort orders by file, line, column, then rule, so output is stable.
func (l List) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.Pos.File != b.Pos.File {
			return a.Pos.File < b.Pos.File
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line < b.Pos.Line
		}
		if a.Pos.Col != b.Pos.Col {
			return a.Pos.Col < b.Pos.Col
		}
		return a.Rule.ID < b.Rule.ID
	})
}

// Formats accepted by Write.
const (
	FormatText          = "text"
	FormatJSON          = "json"
	FormatGitHubActions = "github-actions"
)

// Formats lists the accepted output formats, for flag help and validation.
var Formats = []string{FormatText, FormatJSON, FormatGitHubActions}

// Write renders the list in the given format.
func Write(w io.Writer, format string, l List) error {
	switch format {
	case FormatText, "":
		for _, d := range l {
			if _, err := fmt.Fprintln(w, d.String()); err != nil {
				return err
			}
		}
		return nil
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		out := l
		if out == nil {
			out = List{}
		}
		return enc.Encode(struct {
			Diagnostics List `json:"diagnostics"`
		}{out})
	case FormatGitHubActions:
		for _, d := range l {
			level := "error"
			if d.Severity == Warning {
				level = "warning"
			}
			props := []string{"file=" + ghEscapeProp(d.Pos.File)}
			if d.Pos.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", d.Pos.Line))
			}
			if d.Pos.Col > 0 {
				props = append(props, fmt.Sprintf("col=%d", d.Pos.Col))
			}
			props = append(props, "title="+ghEscapeProp(d.Rule.ID+" "+d.Rule.Name))
			msg := d.Message
			if d.Field != "" {
				msg = d.Field + ": " + msg
			}
			if _, err := fmt.Fprintf(w, "::%s %s::%s\n", level, strings.Join(props, ","), ghEscapeData(msg)); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
}

// GitHub workflow-command escaping, per the runner's documented rules.
var (
	ghData = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghProp = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func ghEscapeData(s string) string { return ghData.Replace(s) }

func ghEscapeProp(s string) string { return ghProp.Replace(s) }
