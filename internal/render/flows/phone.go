package flows

import (
	"strconv"
	"strings"

	. "github.com/bpgen/bpgen/internal/render/archy"
	"github.com/bpgen/bpgen/internal/render/model"
)

// DigitsVariable holds the phone number between the normalisation steps
// (Architect has no let-binding, so each step is its own statement).
const DigitsVariable = "Common.digits"

// CallingCodesVariable holds CallingCodes, so the list is written once per flow.
const CallingCodesVariable = "Common.callingCodes"

// CallingCodes is every country calling code, comma-separated and framed by
// commas (",1,7,20,...,"), for Contains(list, Append(",", code, ",")).
func CallingCodes() string { return "," + strings.Join(model.CallingCodes(), ",") + "," }

// separators are what people type between a phone number's digits (the
// bot's pattern accepts them).
var separators = []string{" ", "-", "(", ")", ".", "/"}

// removeAll is the expression deleting each of subs from x in turn,
// Replace(…Replace(x, subs[0], "")…, subs[n-1], ""), written in one buffer
// rather than copying the growing text once per Replace.
func removeAll(x string, subs ...string) string {
	const open, close = "Replace(", `, "")`
	n := len(x)
	for _, s := range subs {
		n += len(open) + len(", ") + len(s) + 2 + len(close)
	}
	var b strings.Builder
	b.Grow(n)
	for range subs {
		b.WriteString(open)
	}
	b.WriteString(x)
	for _, s := range subs {
		b.WriteString(", ")
		b.WriteString(Quote(s))
		b.WriteString(close)
	}
	return b.String()
}

// phoneSteps returns the expressions that turn a typed phone number into
// E.164, using only functions of Architect's catalogue
// (architect-functions.json: Trim, Replace, Left, Right, Length, Append,
// Contains, If). Every step but the last is assigned to DigitsVariable in
// order; the last is the E.164 value. They read CallingCodesVariable. The decisions follow libphonenumber's
// parsing (nyaruka/phonenumbers Parse), with the region's facts read from its
// metadata at generate time:
//   - "(0)" after a country code is trunk notation and dropped, then the
//     separators people type are stripped;
//   - a region's international prefix (GB/DE/IN/FR "00", US "011", AU "0011"…)
//     becomes "+";
//   - "+" numbers are kept, except that the default region's trunk prefix
//     right after its own country code is dropped when the length says so
//     ("+44 020 7946 0958");
//   - a national number with the trunk prefix gets the country code instead;
//   - digits only: a national length gets the country code; one that starts
//     with the region's own code and is national-length after it is already
//     international (as libphonenumber decides); longer than any national
//     number and starting with a calling code is international too (WhatsApp
//     ids such as 919876543210: libphonenumber alone would prefix the default
//     code, the brief of issue 8 asks for this reading where the length makes
//     it unambiguous).
func phoneSteps(n model.Normalization, v string) []string {
	const d = DigitsVariable
	strip := removeAll(removeAll("Trim("+v+")", "(0)"), separators...)
	// Right(d, Length(d) - k) is only evaluated where Left(d, k) matched, so
	// its length is never negative (If evaluates only the branch it takes).
	drop := func(k int) string { return "Right(" + d + ", Length(" + d + ") - " + strconv.Itoa(k) + ")" }
	idd := d
	for i := len(n.IntlPrefixes) - 1; i >= 0; i-- {
		p := n.IntlPrefixes[i]
		idd = "If(Left(" + d + ", " + strconv.Itoa(len(p)) + ") == " + Quote(p) + ", Append(\"+\", " + drop(len(p)) + "), " + idd + ")"
	}
	cc := n.CountryCode
	plusCC := Quote("+" + cc)
	inLengths := func(x string) string {
		if len(n.NationalLengths) == 0 {
			return "false"
		}
		var parts []string
		for _, l := range n.NationalLengths {
			parts = append(parts, x+" == "+strconv.Itoa(l))
		}
		return "(" + strings.Join(parts, " or ") + ")"
	}
	length := "Length(" + d + ")"
	minus := func(k int) string { return length + " - " + strconv.Itoa(k) }

	plus := d
	if p := n.NationalPrefix; p != "" {
		k := 1 + len(cc)
		plus = "If(Left(" + d + ", " + strconv.Itoa(k+len(p)) + ") == " + Quote("+"+cc+p) +
			" and !" + inLengths(minus(k)) + " and " + inLengths(minus(k+len(p))) +
			", Append(" + plusCC + ", " + drop(k+len(p)) + "), " + d + ")"
	}
	maxLen := 0
	for _, l := range n.NationalLengths {
		maxLen = max(maxLen, l)
	}
	codes := CallingCodesVariable
	startsWithCode := "(Contains(" + codes + ", Append(\",\", Left(" + d + ", 1), \",\")) or Contains(" + codes +
		", Append(\",\", Left(" + d + ", 2), \",\")) or Contains(" + codes + ", Append(\",\", Left(" + d + ", 3), \",\")))"
	national := "Append(" + plusCC + ", " + d + ")"
	digitsOnly := "If(" + inLengths(length) + ", " + national +
		", If(Left(" + d + ", " + strconv.Itoa(len(cc)) + ") == " + Quote(cc) + " and " + inLengths(minus(len(cc))) + ", Append(\"+\", " + d + ")" +
		", If(" + length + " > " + strconv.Itoa(maxLen) + " and " + length + " <= 15 and " + startsWithCode + ", Append(\"+\", " + d + "), " + national + ")))"
	rest := digitsOnly
	if p := n.NationalPrefix; p != "" {
		rest = "If(Left(" + d + ", " + strconv.Itoa(len(p)) + ") == " + Quote(p) + ", Append(" + plusCC + ", " + drop(len(p)) + "), " + digitsOnly + ")"
	}
	e164 := "If(" + d + " == \"\", \"\", If(Left(" + d + ", 1) == \"+\", " + plus + ", " + rest + "))"
	steps := []string{strip}
	if len(n.IntlPrefixes) > 0 {
		steps = append(steps, idd)
	}
	return append(steps, e164)
}
