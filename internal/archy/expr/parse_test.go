package expr

import (
	"errors"
	"strings"
	"testing"
)

// Expressions copied from the reference blueprint (shared/reference/blueprint),
// as the Architect text after YAML decoding.
var blueprintExprs = []string{
	"MakeCommunication(\n  \"Sorry, an error occurred. One moment, please, while I put you through to someone who can help.\")",
	"MakeCommunication(\n  \"You want to speak to an advisor. Is that correct?\")",
	"MakeCommunication(\n  \"Sorry, I didn't hear you.  Please say yes or no.\")",
	"MakeCommunication(\n  \"The one you sent is either invalid or incorrect.\", \n  \"Please enter your email to start.\")",
	"Message.Message.body",
	"Trim(Append(\n    \"Hello \", \n    \" \", \n    ToDisplayString(State.CustomerEmail), \n    If(IsNotSetOrEmpty(ToDisplayString(State.CustomerEmail)), \"\", \" \"), \n    \"! Please wait as we route you to an agent shortly.\"))",
	"Message.ConversationId",
	"State.CustomerEmail",
	"Trim(Append(\n    \"Common Module Status: \", \n    \" \", \n    ToDisplayString(If(State.ModuleSuccess, \"Success. \", \"Failed. \")), \n    If(IsNotSetOrEmpty(ToDisplayString(If(State.ModuleSuccess, \"Success. \", \"Failed. \"))), \"\", \" \"), \n    \"Customer ID: \", \n    \" \", \n    ToDisplayString(If(State.ModuleSuccess, State.CustomerId, \"Module Failed.\"))))",
	"Common.identifierType",
	"Common.identifierValue",
	"Common.conversationId",
	"Common.identifiedContactId == Common.externalId OR Common.identifiedContactId == Common.customerId",
	"If(IsSet(Common.externalId), Common.externalId, Common.customerId)",
	"Common.identifiedContactId",
}

// Expressions quoted in the reference (archy.md section 4) from other
// published flows.
var referenceExprs = []string{
	`State.TheIntent=="Cancel my order"`,
	`(Count(Flow.time) != 0)`,
	`State.SentimentScore < 1`,
	`Task.NumIdle > 0`,
	`DateTimeDiff(GetCurrentDateTimeUtc(), ToDateTime(Task.CacheUpdated)) >= Task.CacheDuration`,
	`IsSet(Flow.transcriptRequested) AND lower(Flow.transcriptRequested) == "true"`,
	`!IsNotSetOrEmpty(Flow.contact.personalEmail) OR IsSet(Flow.x)`,
	`"\"INTERACTION ALERT!!! Conversation ID :\" + Flow.conversationId + \" needs to be reviewed...\""`,
	`AddHours(GetCurrentDateTimeUtc(), -3)`,
	`ToString(Flow.messageTextArray, "</p>")`,
	`contains(Lower(Flow.ani),"anonymous")`,
	`Replace(ToString(ToPhoneNumber(Flow.ani).e164), "+","")`,
	`Left(ToString(State.SentimentScore), 4)`,
	`right(Flow.ani,12)`,
	`ToPhoneNumber(ToString(GetJsonObjectProperty(Flow.jsonData, "ani"))).e164`,
	`GetJsonObjectProperty(Flow.og_attributesJson, "targetQueueId")`,
	`FindFirst(Flow.time_complete, ToString(Slot.AppointmentTime))`,
	`GetAt(Flow.start_time, Flow.slot_index)`,
	`ToCommunication(ResolveSlot(Slot.AppointmentDate), Format.Date.shortYear)`,
	`State.messages[State.transcriptIndex]`,
	`Chat.Guest.customFields[Task.chatGuestCustomFieldsIndex].key`,
	`Workitem.Workitem.status.name`,
	`Task.LookupResult == "insert" or Task.LookupResult == "update"`,
	`MakeListAgentScorePair(MakeList(FindUserById(Flow.preferredAgentId)), MakeList(100))`,
	`ToScheduleGroup(NOT_SET)`,
	`FindQueueById(Flow.targetQueueId)`,
	`isNotSetOrEmpty(Flow.x)`,
	// Read in the published flows themselves (sources cited in extras.tsv).
	`AudioPlaybackOptions(Append(ToAudioBlank(500), ToAudioTTS("To speak with a Team Z member, press 1.  To to leave, press 2")), true)`,
	`AddItem(Flow.messageTextArray, Append(State.pElement, State.messageText))`,
	`FindEmergencyGroup("My Organization Evacuation Emergency Group")`,
	"MakeCommunication(\n  \"Your preferred time for your appointment is available. Confirming your booking on \", \n  ToCommunication(ResolveSlot(Slot.AppointmentDate), Format.Date.shortYear), \n  \". \", \n  ToCommunication(ResolveSlot(Slot.AppointmentTime)), \n  \". Do you want to book this appointment?\")",
	`(Count(Flow.time) != 0) and (FindFirst(Flow.time_complete, ToString(Slot.AppointmentTime)) != -1)`,
	"If(\tIsNotSetOrEmpty(Flow.contact.personalEmail),\n\tIf(\tIsNotSetOrEmpty(Flow.contact.workEmail),\n\t\tFlow.contact.otherEmail,\n\t\tFlow.contact.workEmail),\t\t\n\tFlow.contact.personalEmail)",
	`Append(Flow.initialPrompt, "One moment while we connect you with the best agent to assist you.")`,
	`JsonParse(Flow.og_attributes)`,
}

func TestParseTree(t *testing.T) {
	tests := []struct{ src, want string }{
		// Precedence, highest first: [] . | unary | ^ | * / % | + - | < <= > >= | == != | & | | | and | or
		{`1 + 2 * 3`, `(1 + (2 * 3))`},
		{`(1 + 2) * 3`, `((1 + 2) * 3)`},
		{`1 - 2 - 3`, `((1 - 2) - 3)`},
		{`8 / 4 / 2`, `((8 / 4) / 2)`},
		{`1 + 2 % 3 * 4`, `(1 + ((2 % 3) * 4))`},
		{`a == b or c == d and e`, `((a == b) or ((c == d) and e))`},
		{`a or b or c`, `((a or b) or c)`},
		{`a and b or c and d`, `((a and b) or (c and d))`},
		{`a < b == c > d`, `((a < b) == (c > d))`},
		{`1 + 2 < 3 * 4`, `((1 + 2) < (3 * 4))`},
		{`a == b & c == d`, `((a == b) & (c == d))`},
		{`a & b | c & d`, `((a & b) | (c & d))`},
		{`a | b and c | d`, `((a | b) and (c | d))`},
		{`2 * 3 ^ 2`, `(2 * (3 ^ 2))`},
		{`2 ^ 3 ^ 2`, `((2 ^ 3) ^ 2)`},
		{`-2 ^ 2`, `((-2) ^ 2)`},
		{`-a.b`, `(-a.b)`},
		{`!a and b`, `((!a) and b)`},
		{`!!a`, `(!(!a))`},
		{`- -1`, `(-(-1))`},
		{`~a`, `(~a)`},
		{`NOT a or b`, `((!a) or b)`},
		{`not(a)`, `(!a)`},
		{`1 <= 2 != 3 >= 4`, `((1 <= 2) != (3 >= 4))`},
		// Keywords are case-insensitive.
		{`a AND b Or c`, `((a and b) or c)`},
		{`TRUE and False`, `(true and false)`},
		{`not_set == NOT_SET`, `(NOT_SET == NOT_SET)`},
		// Literals.
		{`42`, `42`},
		{`3.25`, `3.25`},
		{`1.0`, `1.0`},
		{`"a\"b\\c\nd\te\rf"`, `"a\"b\\c\nd\te\rf"`},
		{`""`, `""`},
		{"\"raw\nnewline\"", `"raw\nnewline"`},
		// Variables, properties, indexing, calls.
		{`Message.Message.body`, `Message.Message.body`},
		{`Flow.and.or`, `Flow.and.or`},
		{`ToPhoneNumber(x).e164`, `ToPhoneNumber(x).e164`},
		{`a[0]`, `a[0]`},
		{`a.b[i + 1].c.d`, `a.b[(i + 1)].c.d`},
		{`a[0][1]`, `a[0][1]`},
		{`(a.b).c`, `(a.b).c`},
		{`f()`, `f()`},
		{`contains(Lower(Flow.ani),"anonymous")`, `contains(Lower(Flow.ani), "anonymous")`},
		{`"abc".x`, `"abc".x`},
		{`1 .x`, `1.x`},
		{"  \n\tIf ( a ,\n b , c )  ", `If(a, b, c)`},
		{`AddHours(GetCurrentDateTimeUtc(), -3)`, `AddHours(GetCurrentDateTimeUtc(), (-3))`},
		{`State.x_1 + _y`, `(State.x_1 + _y)`},
		{`Flow.größe`, `Flow.größe`},
		// More segments and arguments than the parser gathers on its stack.
		{`a . b . c . d . e . f . g . h . i . j`, `a.b.c.d.e.f.g.h.i.j`},
		{`f(1, 2, 3, 4, 5, 6, 7, 8, 9, a . b)`, `f(1, 2, 3, 4, 5, 6, 7, 8, 9, a.b)`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.src, got, tt.want)
		}
		if e.Source() != tt.src {
			t.Errorf("Source() = %q, want %q", e.Source(), tt.src)
		}
	}
}

func TestParseRealExpressions(t *testing.T) {
	for _, src := range append(append([]string{}, blueprintExprs...), referenceExprs...) {
		e, err := Parse(src)
		if err != nil {
			t.Errorf("Parse(%q): %v", src, err)
			continue
		}
		if errs := e.Check(); errs != nil {
			t.Errorf("Check(%q) = %v", src, errs)
		}
		// The canonical form parses back to itself.
		again, err := Parse(e.String())
		if err != nil {
			t.Errorf("re-Parse(%q): %v", e.String(), err)
		} else if again.String() != e.String() {
			t.Errorf("round trip changed %q into %q", e.String(), again.String())
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		src  string
		want string // full Error() text
	}{
		{`If(IsSet(x), 1`, `expr: 1:15: expected ')' after arguments of If, found end of expression in "If(IsSet(x), 1"`},
		{`If(IsSet(x) 1)`, `expr: 1:13: expected ',' or ')' after argument 1 of If, found number 1 in "If(IsSet(x) 1)"`},
		{`f(a,)`, `expr: 1:5: expected expression, found ')' in "f(a,)"`},
		{``, `expr: 1:1: expected expression, found end of expression in ""`},
		{`   `, `expr: 1:4: expected expression, found end of expression in "   "`},
		{`1 +`, `expr: 1:4: expected expression, found end of expression in "1 +"`},
		{`(1 + 2`, `expr: 1:7: expected ')' to close '(' at 1:1, found end of expression in "(1 + 2"`},
		{`1 + 2)`, `expr: 1:6: unexpected ')' without matching '(' in "1 + 2)"`},
		{`a b`, `expr: 1:3: expected operator or end of expression, found identifier "b" in "a b"`},
		{`a = b`, `expr: 1:3: unexpected '='; use '==' to compare in "a = b"`},
		{`a && b`, `expr: 1:3: '&&' is not an Architect operator; use 'and' in "a && b"`},
		{`a || b`, `expr: 1:3: '||' is not an Architect operator; use 'or' in "a || b"`},
		{`'x'`, `expr: 1:1: unexpected "'"; string literals use double quotes in "'x'"`},
		{`"abc`, `expr: 1:1: unterminated string literal in "\"abc"`},
		{`"abc\`, `expr: 1:1: unterminated string literal in "\"abc\\"`},
		{`"a\qb"`, `expr: 1:3: unknown escape sequence \q in string literal (valid: \" \\ \n \t \r) in "\"a\\qb\""`},
		{`a.`, `expr: 1:3: expected property name after '.', found end of expression in "a."`},
		{`f(x).1`, `expr: 1:6: expected property name after '.', found number 1 in "f(x).1"`},
		{`a[1`, `expr: 1:4: expected ']' after index, found end of expression in "a[1"`},
		{`and`, `expr: 1:1: expected expression, found keyword "and" in "and"`},
		{`a or or b`, `expr: 1:6: expected expression, found keyword "or" in "a or or b"`},
		{`99999999999999999999`, `expr: 1:1: integer literal 99999999999999999999 out of range in "99999999999999999999"`},
		{`a # b`, `expr: 1:3: unexpected character '#' in "a # b"`},
		{`true(1)`, `expr: 1:5: expected operator or end of expression, found '(' in "true(1)"`},
		{"\xff", `expr: 1:1: invalid UTF-8 byte 0xff in "\xff"`},
		// A lexical error anywhere wins over a syntax error before it (the
		// lexer runs as the parser asks for tokens, but reports as if it
		// had read the whole input first).
		{`a b "c`, `expr: 1:5: unterminated string literal in "a b \"c"`},
		{`f(1 2, 'x')`, `expr: 1:8: unexpected "'"; string literals use double quotes in "f(1 2, 'x')"`},
		{`((1 # 2`, `expr: 1:5: unexpected character '#' in "((1 # 2"`},
		{`a.b.c.d.e.f.g.h.i.j = 1`, `expr: 1:21: unexpected '='; use '==' to compare in "a.b.c.d.e.f.g.h.i.j = 1"`},
		// Line and column count characters on the offending line.
		{"If(\n  IsSet(x),\n  \"é\" 2)", `expr: 3:7: expected ',' or ')' after argument 2 of If, found number 2 in "If(\n  IsSet(x),\n  \"é\" 2)"`},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		if err == nil {
			t.Errorf("Parse(%q) succeeded, want error", tt.src)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("Parse(%q) error\n got: %s\nwant: %s", tt.src, err, tt.want)
		}
		var pe *Error
		if !errors.As(err, &pe) || pe.Kind != SyntaxError || pe.Expr != tt.src {
			t.Errorf("Parse(%q) error %#v is not a SyntaxError *Error naming the expression", tt.src, err)
		}
	}
}

func TestParseErrorPosition(t *testing.T) {
	src := "Append(\"a\",\n\t\"b\"\n  x)"
	_, err := Parse(src)
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("got %v, want *Error", err)
	}
	if pe.Offset != 19 || pe.Line != 3 || pe.Col != 3 || src[pe.Offset] != 'x' {
		t.Errorf("position = offset %d, %d:%d; want offset 19 at 3:3", pe.Offset, pe.Line, pe.Col)
	}
}

func TestParseDepthLimit(t *testing.T) {
	// The parser's own recursion is bounded (a million '(' must not exhaust
	// the stack)...
	deep := strings.Repeat("(", maxRecursion+10) + "1"
	if _, err := Parse(deep); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
		t.Errorf("deep parentheses: got %v", err)
	}
	// ... and so is the tree, however flat the text.
	for name, src := range map[string]string{
		"unary":  strings.Repeat("-", maxDepth) + "1",
		"chain":  "1" + strings.Repeat(" + 1", maxDepth),
		"props":  "f()" + strings.Repeat(".x", maxDepth),
		"index":  "l" + strings.Repeat("[0]", maxDepth),
		"calls":  strings.Repeat("f(", maxDepth) + "x" + strings.Repeat(")", maxDepth),
		"parens": strings.Repeat("-(", maxDepth) + "1" + strings.Repeat(")", maxDepth),
	} {
		if _, err := Parse(src); err == nil || !strings.Contains(err.Error(), "nested too deeply") {
			t.Errorf("%s: depth %d accepted: %v", name, maxDepth+1, err)
		}
	}
	ok := ""
	for range 100 {
		ok = "f(" + ok + ")"
	}
	if _, err := Parse(ok); err != nil {
		t.Errorf("100 nested calls: %v", err)
	}
}

// TestCanonicalWithinLimits is issue 8's class: whatever the parser accepts,
// its canonical form (fully parenthesised, so nested deeper in the text)
// parses again to the same tree; before, 500 nested unary operators parsed but
// their canonical form exceeded the nesting limit and MustParse panicked.
func TestCanonicalWithinLimits(t *testing.T) {
	at := maxDepth - 1 // the deepest tree accepted, with a leaf below it
	for name, src := range map[string]string{
		"500 unary":  strings.Repeat("-", 500) + "x",
		"unary":      strings.Repeat("-", at) + "x",
		"not":        strings.Repeat("!", at) + "x",
		"mixed":      strings.Repeat("-!~", at/3) + "x",
		"chain":      "x" + strings.Repeat(" + x", at),
		"right":      strings.Repeat("x + (", at) + "x" + strings.Repeat(")", at),
		"and/or":     "x" + strings.Repeat(" and x or x", at/2),
		"calls":      strings.Repeat("f(", at) + "x" + strings.Repeat(")", at),
		"index":      "x" + strings.Repeat("[-x]", at/2),
		"props":      "f()" + strings.Repeat(".p", at),
		"var props":  strings.Repeat("(", at) + "a.b" + strings.Repeat(").c", at),
		"unary call": strings.Repeat("-f(", at/2) + "x" + strings.Repeat(")", at/2),
	} {
		e, err := Parse(src)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		canon := e.String()
		again, err := Parse(canon)
		if err != nil {
			t.Errorf("%s: canonical form does not parse: %v", name, err)
			continue
		}
		if again.String() != canon {
			t.Errorf("%s: canonical form not stable", name)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: MustParse(canonical) panicked: %v", name, r)
				}
			}()
			MustParse(canon)
		}()
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParse did not panic on bad input")
		}
	}()
	MustParse("(")
}

func TestWalkOrder(t *testing.T) {
	e := MustParse(`f(a, b[c]) + -d.e`)
	var got []string
	Walk(e.Root(), func(n Node) bool {
		got = append(got, n.String())
		return true
	})
	want := []string{"(f(a, b[c]) + (-d.e))", "f(a, b[c])", "a", "b[c]", "b", "c", "(-d.e)", "d.e"}
	if len(got) != len(want) {
		t.Fatalf("Walk visited %q, want %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Walk[%d] = %q, want %q", i, got[i], want[i])
		}
	}
}

// keyword matches a keyword exactly when strings.ToLower of the identifier
// is that keyword, as the parser's switch on ToLower did: case-insensitively
// for ASCII, and not for look-alikes that fold to ASCII letters (ſ, the
// Kelvin sign) but do not lower-case to them.
func TestKeywordIsToLower(t *testing.T) {
	keywords := map[string]bool{"true": true, "false": true, "not_set": true, "and": true, "or": true}
	for _, id := range []string{"true", "TRUE", "tRuE", "False", "NOT_SET", "Not_Set", "AND", "Or", "falſe", "Falſe", "truE\u212a", "x", "Flow",
		"notset", "not_se", "not_sets", "İ", "or_", "an", "and2", "trues"} {
		lower := strings.ToLower(id)
		want := ""
		if keywords[lower] {
			want = lower
		}
		if got := keyword(id); got != want && !(want == "" && !keywords[got]) {
			t.Errorf("keyword(%q) = %q, want %q", id, got, want)
		}
	}
}
