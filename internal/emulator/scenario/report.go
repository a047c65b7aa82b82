package scenario

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/emulator/architect"
)

// Report is the outcome of one scenario on one bundle.
type Report struct {
	Scenario string `json:"scenario"`
	File     string `json:"file"`
	Bundle   string `json:"bundle"`
	// Skipped says why the scenario does not apply to the bundle; the
	// report then has no conversations and passes.
	Skipped string `json:"skipped,omitempty"`
	// KnownDefect is the scenario's knownDefect note.
	KnownDefect   string                `json:"knownDefect,omitempty"`
	Passed        bool                  `json:"passed"`
	Duration      time.Duration         `json:"durationNs"`
	Conversations []*ConversationReport `json:"conversations,omitempty"`
	// Failures are the expectations that did not hold, in scenario order.
	Failures []Failure `json:"failures,omitempty"`

	ids map[string]string // ids shown by name in the text report
}

// ConversationReport is one run of a conversation.
type ConversationReport struct {
	Name     string `json:"name"`
	Instance int    `json:"instance,omitempty"` // 1..repeat; 0 when not repeated
	ID       string `json:"conversationId"`
	Channel  string `json:"channel"`
	// StartContact is the contact the platform linked when the conversation
	// started (a new Ephemeral one on web messaging).
	StartContact string `json:"startContactId"`
	// Contact is the head of the merge tree the conversation's contact is in
	// at the end; LinkedTo names it by seeded alias, or "none".
	Contact      string            `json:"contactId"`
	LinkedTo     string            `json:"linkedTo"`
	MergeSetSize int               `json:"mergeSetSize"`
	Transcript   []Message         `json:"transcript"`
	Result       *architect.Result `json:"result"`

	spec  *Conversation
	index int
	abort string
}

// Message is one transcript line.
type Message struct {
	From string `json:"from"` // customer or bot
	Text string `json:"text"`
}

// Label names the run: the conversation's name, with #n when repeated.
func (c *ConversationReport) Label() string {
	if c.Instance > 0 {
		return fmt.Sprintf("%s#%d", c.Name, c.Instance)
	}
	return c.Name
}

// Failure is an expectation that did not hold.
type Failure struct {
	Line         int    `json:"line"`                   // of the expectation in the scenario file
	Conversation string `json:"conversation,omitempty"` // "" for scenario-wide expectations
	Expectation  string `json:"expectation"`
	Want         string `json:"want"`
	Got          string `json:"got"`
}

// ---------------------------------------------------------------- checking

func (x *runner) fail(cr *ConversationReport, key, want, got string) {
	f := Failure{Expectation: key, Want: want, Got: got}
	if cr != nil {
		f.Conversation = cr.Label()
		f.Line = x.s.at(append([]any{"conversations", cr.index, "expect"}, strings.Split(key, ".")[0])...)
	} else {
		f.Line = x.s.at("expect", strings.Split(key, ".")[0])
	}
	x.rep.Failures = append(x.rep.Failures, f)
}

// aliasOf names a canonical contact id by the seeded contact whose merge
// tree it heads.
func (x *runner) aliasOf(canonical string) string {
	for _, alias := range sortedKeys(x.aliases) {
		if c, err := x.o.CanonicalID(x.aliases[alias]); err == nil && c == canonical {
			return alias
		}
	}
	return "none"
}

func (x *runner) check() {
	linked := map[string]int{}
	reached := 0
	var traces strings.Builder
	for _, cr := range x.rep.Conversations {
		conv, err := x.o.Conversation(cr.ID)
		if err == nil {
			for _, m := range conv.Messages {
				from := "customer"
				if m.Direction == "outbound" {
					from = "bot"
				}
				cr.Transcript = append(cr.Transcript, Message{From: from, Text: m.Text})
			}
			cr.Contact = conv.CanonicalContactID
			if set, err := x.o.MergeSet(cr.Contact); err == nil {
				cr.MergeSetSize = len(set)
			}
		}
		cr.LinkedTo = x.aliasOf(cr.Contact)
		linked[cr.LinkedTo]++
		if cr.Result != nil && cr.Result.Queue != "" {
			reached++
		}
		if cr.Result != nil {
			traces.WriteString(cr.Result.Trace.String())
		}
		x.checkConversation(cr)
	}
	t := x.s.Expect
	for _, alias := range sortedKeys(t.MergeSetSize) {
		got := 0
		if set, err := x.o.MergeSet(x.aliases[alias]); err == nil {
			got = len(set)
		}
		if got != t.MergeSetSize[alias] {
			x.fail(nil, "mergeSetSize."+alias, strconv.Itoa(t.MergeSetSize[alias]), strconv.Itoa(got))
		}
	}
	for _, alias := range sortedKeys(t.Linked) {
		if linked[alias] != t.Linked[alias] {
			x.fail(nil, "linked."+alias, strconv.Itoa(t.Linked[alias])+" conversations", strconv.Itoa(linked[alias]))
		}
	}
	if t.ReachedQueue != nil && reached != *t.ReachedQueue {
		x.fail(nil, "reachedQueue", strconv.Itoa(*t.ReachedQueue)+" conversations", strconv.Itoa(reached))
	}
	all := traces.String()
	for _, want := range t.TraceContains {
		if !strings.Contains(all, want) {
			x.fail(nil, "traceContains", strconv.Quote(want), "not in any trace")
		}
	}
}

func (x *runner) checkConversation(cr *ConversationReport) {
	e := cr.spec.Expect
	res := cr.Result
	if cr.abort != "" {
		x.fail(cr, "finished", "the flow finishes", cr.abort)
		return
	}
	var seen []string
	for _, m := range cr.Transcript {
		if m.From == "bot" {
			seen = append(seen, m.Text)
		}
	}
	shown := func() string {
		if len(seen) == 0 {
			return "no messages"
		}
		return strconv.Quote(strings.Join(seen, " | "))
	}
	for _, want := range e.Sees {
		if !slices.ContainsFunc(seen, func(s string) bool { return strings.Contains(s, want) }) {
			x.fail(cr, "sees", strconv.Quote(want), shown())
		}
	}
	for _, not := range e.NotSees {
		if slices.ContainsFunc(seen, func(s string) bool { return strings.Contains(s, not) }) {
			x.fail(cr, "notSees", "no message containing "+strconv.Quote(not), shown())
		}
	}
	if e.LinkedTo != "" && cr.LinkedTo != e.LinkedTo {
		x.fail(cr, "linkedTo", e.LinkedTo, cr.LinkedTo+" (contact "+cr.Contact+")")
	}
	if e.MergeSetSize != nil && cr.MergeSetSize != *e.MergeSetSize {
		x.fail(cr, "mergeSetSize", strconv.Itoa(*e.MergeSetSize), strconv.Itoa(cr.MergeSetSize))
	}
	if q := e.Queue; q != nil {
		got := "no queue"
		if res.Queue != "" {
			got = strconv.Quote(res.Queue)
		}
		if q.Any && res.Queue == "" || q.None && res.Queue != "" || q.Name != "" && res.Queue != q.Name {
			x.fail(cr, "queue", q.String(), got)
		}
	}
	if len(e.Outcome) > 0 {
		got := res.Variables[contract.VarFlowOutcome]
		if !slices.Contains(e.Outcome, got) {
			x.fail(cr, "outcome", strings.Join(e.Outcome, " or "), strconv.Quote(got))
		}
	}
	if e.Ended != "" && res.Ended != e.Ended {
		x.fail(cr, "ended", e.Ended, res.Ended)
	}
	calls := map[string]int{}
	var execs []*architect.Call
	prompts := map[string]int{}
	for _, st := range res.Trace {
		switch st.Kind {
		case architect.StepCall:
			calls[st.Call.Key]++
			execs = append(execs, st.Call)
		case architect.StepSay:
			prompts[st.Prompt]++
		}
	}
	if e.MaxDataActionCalls != nil && res.DataActionCalls > *e.MaxDataActionCalls {
		x.fail(cr, "maxDataActionCalls", "at most "+strconv.Itoa(*e.MaxDataActionCalls), fmt.Sprintf("%d (%s)", res.DataActionCalls, countList(calls)))
	}
	for _, key := range sortedKeys(e.Calls) {
		if calls[key] != e.Calls[key] {
			x.fail(cr, "calls."+key, strconv.Itoa(e.Calls[key]), strconv.Itoa(calls[key]))
		}
	}
	for _, kind := range sortedKeys(e.Prompts) {
		if prompts[kind] != e.Prompts[kind] {
			x.fail(cr, "prompts."+kind, strconv.Itoa(e.Prompts[kind]), strconv.Itoa(prompts[kind]))
		}
	}
	for _, kind := range sortedKeys(e.PromptsAtLeast) {
		if prompts[kind] < e.PromptsAtLeast[kind] {
			x.fail(cr, "promptsAtLeast."+kind, "at least "+strconv.Itoa(e.PromptsAtLeast[kind]), strconv.Itoa(prompts[kind]))
		}
	}
	for _, in := range e.Inputs {
		found := false
		var got []string
		for _, c := range execs {
			if c.Key != in.Action {
				continue
			}
			ok := true
			for k, v := range in.With {
				ok = ok && fmt.Sprint(c.Inputs[k]) == v
			}
			found = found || ok
			got = append(got, inputList(c.Inputs))
		}
		if !found {
			g := "no " + in.Action + " call"
			if len(got) > 0 {
				g = strings.Join(got, "; ")
			}
			x.fail(cr, "inputs", in.Action+" with "+inputList(toAny(in.With)), g)
		}
	}
	if len(e.AgentData) > 0 || len(e.NotInParticipantData) > 0 {
		x.checkParticipantData(cr, &e)
	}
	for _, name := range sortedKeys(e.Variables) {
		got, ok := res.Variables[name]
		if !ok {
			got = "(no such variable)"
		}
		if got != e.Variables[name] {
			x.fail(cr, "variables."+name, strconv.Quote(e.Variables[name]), strconv.Quote(got))
		}
	}
	if e.Error != nil && (res.Error != "") != *e.Error {
		want, got := "no runtime error", res.Error
		if *e.Error {
			want, got = "a runtime error handled by the flow", "none"
		}
		x.fail(cr, "error", want, got)
	}
}

func countList(m map[string]int) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func toAny(m map[string]string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func inputList(m map[string]any) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s=%v", k, m[k]))
	}
	return "{" + strings.Join(parts, ", ") + "}"
}

// names maps ids to readable names for the text report: seeded contacts by
// alias, conversations by label.
func (x *runner) names() map[string]string {
	ids := map[string]string{}
	for alias, id := range x.aliases {
		ids[id] = "<" + alias + ">"
	}
	for _, cr := range x.rep.Conversations {
		ids[cr.ID] = "<conversation " + cr.Label() + ">"
	}
	return ids
}

// ---------------------------------------------------------------- rendering

// WriteText writes the report for people: each conversation's trace (with
// traces false, only its summary line), then the verdict and every failed
// expectation with what was wanted and what happened. Seeded contacts and
// conversations are shown by name instead of id.
func (r *Report) WriteText(w io.Writer, traces bool) error {
	var b strings.Builder
	where := r.File
	if r.Bundle != "" {
		where += " on " + r.Bundle
	}
	if r.Skipped != "" {
		fmt.Fprintf(&b, "SKIP %q (%s): %s\n", r.Scenario, where, r.Skipped)
		_, err := io.WriteString(w, b.String())
		return err
	}
	if traces {
		fmt.Fprintf(&b, "=== scenario %q (%s)\n", r.Scenario, where)
	}
	for _, c := range r.Conversations {
		if traces {
			fmt.Fprintf(&b, "--- conversation %q (%s %s)\n", c.Label(), c.Channel, c.ID)
			if c.Result != nil {
				_ = c.Result.Trace.Write(&b, "    ")
			}
			fmt.Fprintf(&b, "    => %s\n", c.summary())
		}
	}
	verdict := "PASS"
	if !r.Passed {
		verdict = "FAIL"
	}
	fmt.Fprintf(&b, "%s %q (%s): %d conversations in %s", verdict, r.Scenario, where, len(r.Conversations), r.Duration.Round(time.Millisecond))
	if len(r.Failures) > 0 {
		fmt.Fprintf(&b, ", %d expectations failed:", len(r.Failures))
	}
	b.WriteByte('\n')
	if r.KnownDefect != "" {
		fmt.Fprintf(&b, "  known defect: %s\n", r.KnownDefect)
	}
	for _, f := range r.Failures {
		who := ""
		if f.Conversation != "" {
			who = fmt.Sprintf("conversation %q: ", f.Conversation)
		}
		fmt.Fprintf(&b, "  %s:%d: %s%s: want %s, got %s\n", r.File, f.Line, who, f.Expectation, f.Want, f.Got)
	}
	text := b.String()
	if len(r.ids) > 0 {
		var pairs []string
		for _, id := range sortedKeys(r.ids) {
			pairs = append(pairs, id, r.ids[id])
		}
		text = strings.NewReplacer(pairs...).Replace(text)
	}
	_, err := io.WriteString(w, text)
	return err
}

func (c *ConversationReport) summary() string {
	res := c.Result
	if res == nil {
		return "did not run"
	}
	var parts []string
	switch {
	case res.Queue != "":
		parts = append(parts, "reached queue "+strconv.Quote(res.Queue))
	default:
		parts = append(parts, res.Ended)
	}
	if c.LinkedTo != "none" {
		parts = append(parts, fmt.Sprintf("linked to %s (merge set of %d)", c.LinkedTo, c.MergeSetSize))
	} else {
		parts = append(parts, "not linked to a seeded contact")
	}
	if o := res.Variables[contract.VarFlowOutcome]; o != "" {
		parts = append(parts, "outcome "+o)
	}
	parts = append(parts, fmt.Sprintf("%d data-action calls", res.DataActionCalls))
	if res.Error != "" {
		parts = append(parts, "error: "+res.Error)
	}
	return strings.Join(parts, "; ")
}

// checkParticipantData compares the customer's participant data at the end
// with the agentData and notInParticipantData expectations.
func (x *runner) checkParticipantData(cr *ConversationReport, e *Expect) {
	conv, err := x.o.Conversation(cr.ID)
	if err != nil {
		x.fail(cr, "agentData", "the conversation's participant data", err.Error())
		return
	}
	attrs := conv.Customer.Attributes
	if len(e.AgentData) > 0 {
		ad := x.b.Manifest.AgentData
		if ad == nil {
			x.fail(cr, "agentData", "a bundle that writes agent data", "none is written (agentData.enabled: false)")
			return
		}
		for _, k := range sortedKeys(e.AgentData) {
			got, ok := attrs[ad.Prefix+k]
			switch want := e.AgentData[k]; {
			case want == nil && ok:
				x.fail(cr, "agentData."+k, "absent", strconv.Quote(got))
			case want != nil && !ok:
				x.fail(cr, "agentData."+k, strconv.Quote(*want), "absent")
			case want != nil && got != *want:
				x.fail(cr, "agentData."+k, strconv.Quote(*want), strconv.Quote(got))
			}
		}
	}
	for _, s := range e.NotInParticipantData {
		for _, k := range sortedKeys(attrs) {
			if x.isInput(cr, k) {
				continue
			}
			if strings.Contains(attrs[k], s) {
				x.fail(cr, "notInParticipantData", "no value containing "+strconv.Quote(s), k+" = "+strconv.Quote(attrs[k]))
			}
		}
	}
}

// isInput reports whether a participant-data key came from the customer's
// side (the scenario's own participant data or custom attributes), which the
// flows only read.
func (x *runner) isInput(cr *ConversationReport, key string) bool {
	m := x.b.Manifest
	for _, id := range m.Identifiers {
		if id.ParticipantData == key {
			return true
		}
	}
	if m.SecondFactor != nil && m.SecondFactor.ParticipantData == key {
		return true
	}
	_, ok := cr.spec.CustomAttributes[key]
	return ok
}
