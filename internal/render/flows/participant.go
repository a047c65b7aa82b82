package flows

import (
	"strings"

	. "github.com/bpgen/bpgen/internal/render/archy"
)

// CheckVariable is the inbound flow's scratch variable for checking a phone
// number read from participant data.
const CheckVariable = "Flow.Checked"

// participantDataChecks returns the statements that blank a value read from
// participant data when it is present but unusable: an unsubstituted
// template ("{{customer.email}}"), "undefined" or "null" as a website's
// script writes them, blank after trimming, or not shaped like the
// identifier (Architect has no regex, so the bot's pattern is approximated
// with catalogue functions: one "@" with text either side and a dot in the
// domain for an email; 7 to 15 digits, an optional leading "+" and the
// separators the bot accepts for a phone; no white space otherwise). A blank
// value is asked for, or the next identifier is tried, exactly as a missing
// one. The second result reports whether CheckVariable is used.
func (fb *build) participantDataChecks(v, kind string) ([]*Node, bool) {
	// Trim does not allow NOT_SET (catalogue): only the set branch trims.
	st := []*Node{fb.setString(v, fb.Exp("If(IsNotSetOrEmpty("+v+"), \"\", Trim("+v+"))"))}
	bad := []string{
		v + " == \"\"",
		"Lower(" + v + ") == \"undefined\"",
		"Lower(" + v + ") == \"null\"",
		// Built with Append: Archy reads a literal double brace in a flow file as
		// its own substitution placeholder.
		"Contains(" + v + ", Append(\"{\", \"{\"))",
		"Contains(" + v + ", Append(\"}\", \"}\"))",
	}
	uses := false
	switch kind {
	case "email":
		// GetAt(Split(..)) is only evaluated once exactly one "@" is known to be there.
		bad = append(bad, "If(Length(Replace("+v+", \"@\", \"\")) == Length("+v+") - 1, "+
			"If(Left("+v+", 1) == \"@\" or Right("+v+", 1) == \"@\" or Right("+v+", 1) == \".\" or Contains("+v+", \" \"), true, "+
			"!Contains(GetAt(Split("+v+", \"@\"), 1), \".\")), true)")
	case "phone":
		uses = true
		strip := removeAll(v, separators...)
		st = append(st, fb.setString(CheckVariable, fb.Exp("If(Left("+strip+", 1) == \"+\", Right("+strip+", Length("+strip+") - 1), "+strip+")")))
		digits := removeAll(CheckVariable, "0", "1", "2", "3", "4", "5", "6", "7", "8", "9")
		bad = append(bad, "Length("+CheckVariable+") < 7", "Length("+CheckVariable+") > 15", digits+" != \"\"")
	case "":
	default:
		bad = append(bad, "Contains("+v+", \" \")")
	}
	return append(st, fb.setString(v, fb.Exp("If("+strings.Join(bad, " or ")+", \"\", "+v+")"))), uses
}
