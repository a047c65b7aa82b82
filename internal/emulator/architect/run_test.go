package architect

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/bpgen/bpgen/internal/emulator/org"
)

const (
	question = "Hello! So that we can find your details, please type your email address."
	noMatch  = "Sorry. That doesn't look like a valid email address. Please type your email address."
	noInput  = "Sorry, I didn't get a reply. Please type your email address to continue."
	handover = "Sorry, I'm having trouble understanding. One moment while I connect you with someone who can help."
)

func TestKnownContactIsMergedAndQueued(t *testing.T) {
	e := start(t, load(t, "../../.."), Options{}, "  Jane.Doe@Example.com ")
	jane := e.contact(org.Contact{FirstName: "Jane", LastName: "Doe", WorkEmail: "jane.doe@example.com"})
	res, conv := e.converse(org.StartConversationOptions{})

	if got := botLines(conv); !slices.Equal(got, []string{question}) {
		t.Errorf("the customer saw %q", got)
	}
	if conv.CanonicalContactID != e.canonical(jane.ID) {
		t.Errorf("conversation ends in %s, want Jane's tree %s", conv.CanonicalContactID, e.canonical(jane.ID))
	}
	if set, _ := e.org.MergeSet(jane.ID); len(set) != 3 {
		t.Errorf("merge set %v, want Jane, the ephemeral contact and the result", set)
	}
	if res.Queue != "Identity Resolution" || res.Ended != "transferred" || res.Error != "" {
		t.Errorf("ended %s in %q (error %q)", res.Ended, res.Queue, res.Error)
	}
	if res.Variables["Flow.Outcome"] != "merged" || res.Variables["Flow.Linked"] != "true" {
		t.Errorf("variables %v", res.Variables)
	}
	var calls []string
	for _, s := range res.Trace {
		if s.Kind == StepCall {
			calls = append(calls, s.Call.Method+" "+s.Call.Path[:min(len(s.Call.Path), 40)])
			if s.Call.Status != 200 || s.Call.Outcome != "success" || s.Call.Latency <= 0 {
				t.Errorf("call %+v", s.Call)
			}
		}
	}
	// lookup, conversation, the conversation contact (its type), merge.
	if len(calls) != 4 || res.DataActionCalls != 4 {
		t.Errorf("calls %v", calls)
	}
	// The lookup got the normalised email.
	if !strings.Contains(res.Trace.String(), `Common.value = "jane.doe@example.com"`) {
		t.Errorf("trace:\n%s", res.Trace)
	}
}

func TestBotRepromptsThenHandsOver(t *testing.T) {
	e := start(t, load(t, "../../.."), Options{}, "no", "jane.doe@", "still no")
	e.contact(org.Contact{WorkEmail: "jane.doe@example.com"})
	res, conv := e.converse(org.StartConversationOptions{})

	want := []string{question, noMatch, noMatch, handover}
	if got := botLines(conv); !slices.Equal(got, want) {
		t.Errorf("the customer saw\n%q\nwant\n%q", got, want)
	}
	if res.Queue == "" || res.Variables["Flow.Email"] != "" || res.DataActionCalls != 0 {
		t.Errorf("queue %q, email %q, %d calls", res.Queue, res.Variables["Flow.Email"], res.DataActionCalls)
	}
	if conv.CanonicalContactID != conv.Resolution.ContactID {
		t.Error("the conversation was linked")
	}
}

func TestNoMatchThenValidAnswer(t *testing.T) {
	e := start(t, load(t, "../../.."), Options{}, "my email is jane.doe at example", "it's jane.doe@example.com, thanks")
	jane := e.contact(org.Contact{WorkEmail: "jane.doe@example.com"})
	res, conv := e.converse(org.StartConversationOptions{})
	if got := botLines(conv); !slices.Equal(got, []string{question, noMatch}) {
		t.Errorf("the customer saw %q", got)
	}
	// The entity's first match is the slot value, not the whole reply.
	if res.Variables["Flow.Email"] != "jane.doe@example.com" || conv.CanonicalContactID != e.canonical(jane.ID) {
		t.Errorf("email %q, linked to %s", res.Variables["Flow.Email"], conv.CanonicalContactID)
	}
}

// TestNoInputTimesOut runs the real wait: no scripted customer, the bot's
// 7 s no-input timeout scaled to 7 ms.
func TestNoInputTimesOut(t *testing.T) {
	b := load(t, "../../..")
	o := org.New()
	rt, _, err := startIn(o, b, Options{TimeScale: 0.001})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	e := &env{t: t, org: o, rt: rt}
	res, conv := e.converse(org.StartConversationOptions{})
	want := []string{question, noInput, noInput, handover}
	if got := botLines(conv); !slices.Equal(got, want) {
		t.Errorf("the customer saw\n%q\nwant\n%q", got, want)
	}
	if n := strings.Count(res.Trace.String(), "customer> (no reply)"); n != 3 {
		t.Errorf("%d silences in the trace", n)
	}
}

// TestRepliesThroughTheOrg: without a script, a customer message that
// arrives while the bot waits is its answer, as on the platform.
func TestRepliesThroughTheOrg(t *testing.T) {
	b := load(t, "../../..")
	o := org.New()
	jane, _ := o.CreateContact(org.Contact{WorkEmail: "jane.doe@example.com"})
	rt, _, err := startIn(o, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	cancel := o.Subscribe(func(ev org.Event) {
		if ev.Type == org.EventOutboundMessage && ev.Message.Text == question {
			go func() { _, _ = o.SendCustomerMessage(ev.ConversationID, "jane.doe@example.com") }()
		}
	})
	defer cancel()
	e := &env{t: t, org: o, rt: rt}
	res, conv := e.converse(org.StartConversationOptions{})
	if res.Variables["Flow.Outcome"] != "merged" || conv.CanonicalContactID != e.canonical(jane.ID) {
		t.Errorf("outcome %q\n%s", res.Variables["Flow.Outcome"], res.Trace)
	}
}

func TestDataActionTimeoutTakesTheTimeoutPath(t *testing.T) {
	b := load(t, "../../..")
	e := start(t, b, Options{TimeScale: 0.01}, "jane.doe@example.com")
	e.contact(org.Contact{WorkEmail: "jane.doe@example.com"})
	method, path, _ := b.Endpoint("lookup")
	if _, err := e.org.AddFault(org.Fault{Endpoint: method + " " + path, Timeout: true}); err != nil {
		t.Fatal(err)
	}
	begin := time.Now()
	res, _ := e.converse(org.StartConversationOptions{})
	if took := time.Since(begin); took > 5*time.Second {
		t.Errorf("took %s: the timeout was not scaled", took)
	}
	var call *Call
	for _, s := range res.Trace {
		if s.Kind == StepCall {
			call = s.Call
		}
	}
	if call == nil || call.Outcome != "timeout" || call.Timeout != 100*time.Millisecond {
		t.Fatalf("call %+v", call)
	}
	if res.Variables["Flow.Outcome"] != "error" || res.Queue == "" {
		t.Errorf("outcome %q, queue %q", res.Variables["Flow.Outcome"], res.Queue)
	}
}

func TestFailureOutputsAreBound(t *testing.T) {
	e := start(t, load(t, "../../.."), Options{}, "nobody@example.com")
	res, _ := e.converse(org.StartConversationOptions{})
	// 404 from the lookup → errorStatus 404 → outcome notFound.
	if res.Variables["Flow.Outcome"] != "notFound" {
		t.Errorf("outcome %q\n%s", res.Variables["Flow.Outcome"], res.Trace)
	}
	if !strings.Contains(res.Trace.String(), "Common.outcome = \"notFound\"") {
		t.Errorf("trace:\n%s", res.Trace)
	}
}

// TestRuntimeErrorUsesErrorHandling: an expression that fails sends the
// conversation to the queue of settingsErrorHandling, with the error's
// position in the result.
func TestRuntimeErrorUsesErrorHandling(t *testing.T) {
	fsys := bundleFS(t, "../../..")
	line := edit(t, fsys, "flows/resolve_contact.yaml", "exp: IsNotSetOrEmpty(Common.value)", "exp: IsNotSetOrEmpty(Trim(Common.errorMessage))")
	at := fmt.Sprintf("flows/resolve_contact.yaml:%d", line) // the line of the failing expression
	e := start(t, loadFS(t, fsys), Options{}, "jane.doe@example.com")
	res, _ := e.converse(org.StartConversationOptions{})
	if !strings.HasPrefix(res.Error, at+": ") || res.Queue != "Identity Resolution" || res.Ended != "transferred" {
		t.Errorf("error %q, queue %q, ended %s", res.Error, res.Queue, res.Ended)
	}
	if !strings.Contains(res.Trace.String(), at+" runtime error: ") {
		t.Errorf("trace:\n%s", res.Trace)
	}
}

// A hand-written flow with the constructs bpgen does not emit today.
const handFlow = `inboundShortMessage:
  name: Hand Flow
  division: Home
  startUpRef: /inboundShortMessage/states/state[Start_1]
  defaultLanguage: en-us
  variables:
    - stringVariable:
        name: Flow.Tier
        initialValue:
          noValue: true
    - integerVariable:
        name: Flow.Count
        initialValue:
          lit: 1
  settingsErrorHandling:
    errorHandling:
      disconnect:
        none: true
  states:
    - state:
        name: Start
        refId: Start_1
        actions:
          - getParticipantData:
              name: Tier
              attributes:
                - attribute:
                    name:
                      lit: tier
                    variable: Flow.Tier
          - callTask:
              name: Count
              targetTaskRef: /inboundShortMessage/tasks/task[Count_2]
          - switch:
              name: Which tier?
              evaluate:
                firstMatch:
                  string:
                    value:
                      exp: Flow.Tier
                    cases:
                      - case:
                          value:
                            lit: gold
                          actions:
                            - changeState:
                                name: To gold
                                targetStateRef: /inboundShortMessage/states/state[Gold_3]
                    default:
                      actions:
                        - sendResponse:
                            name: Standard
                            messageBody:
                              lit: Standard service.
          - disconnect:
              name: Bye
    - state:
        name: Gold
        refId: Gold_3
        actions:
          - setParticipantData:
              name: Mark
              attributes:
                - attribute:
                    name:
                      lit: greeted
                    value:
                      exp: Append("yes ", ToString(Flow.Count))
          - sendResponse:
              name: Greet
              messageBody:
                exp: Append("Welcome, ", Message.Message.body, "!")
          - transferToAcd:
              name: Gold queue
              targetQueue:
                lit:
                  name: Gold
  tasks:
    - task:
        name: Count
        refId: Count_2
        actions:
          - updateData:
              name: Increment
              statements:
                - integer:
                    variable: Flow.Count
                    value:
                      exp: Flow.Count + 1
          - endTask:
              name: Done
              outputPath:
                name: default
`

const handManifest = `{"format": "bpgen.manifest/v1", "strategy": "associate", "identifiers": [], "channels": {"webMessaging": {"resolveIdentities": false}},
 "objects": [
  {"id": "queue", "kind": "queue", "name": "Gold", "address": "q", "managed": true},
  {"id": "flow.inbound", "kind": "flow", "key": "inbound", "name": "Hand Flow", "flowType": "inboundshortmessage", "file": "flows/in.yaml", "address": "f", "managed": true}
 ], "files": ["flows/in.yaml"]}`

func TestHandWrittenConstructs(t *testing.T) {
	b := loadFS(t, fstest.MapFS{
		"bpgen.manifest.json": {Data: []byte(handManifest)},
		"flows/in.yaml":       {Data: []byte(handFlow)},
	})
	e := start(t, b, Options{})

	res, conv := e.converse(org.StartConversationOptions{Text: "Ada", CustomAttributes: map[string]string{"tier": "gold"}})
	if got := botLines(conv); !slices.Equal(got, []string{"Welcome, Ada!"}) {
		t.Errorf("gold customer saw %q\n%s", got, res.Trace)
	}
	if conv.Customer.Attributes["greeted"] != "yes 2" || res.Queue != "Gold" || res.Variables["Flow.Count"] != "2" {
		t.Errorf("attributes %v, queue %q, vars %v", conv.Customer.Attributes, res.Queue, res.Variables)
	}

	res, conv = e.converse(org.StartConversationOptions{})
	if got := botLines(conv); !slices.Equal(got, []string{"Standard service."}) || res.Ended != "disconnected" || conv.State != org.StateDisconnected {
		t.Errorf("standard customer saw %q, ended %s, state %s", got, res.Ended, conv.State)
	}
}

// TestCloseAbortsWaitingConversations: a conversation waiting for the
// customer ends as aborted when the runtime closes, instead of hanging.
func TestCloseAbortsWaitingConversations(t *testing.T) {
	b := load(t, "../../..")
	o := org.New()
	rt, _, err := startIn(o, b, Options{}) // real 7 s no-input timeout
	if err != nil {
		t.Fatal(err)
	}
	c, _ := o.StartConversation(org.StartConversationOptions{Text: "Hi"})
	for deadline := time.Now().Add(5 * time.Second); ; {
		if conv, _ := o.Conversation(c.ID); len(botLines(conv)) > 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(time.Millisecond)
	}
	begin := time.Now()
	_ = rt.Close()
	res, ok := rt.Result(c.ID)
	if !ok || res.Ended != "aborted" || time.Since(begin) > 2*time.Second {
		t.Fatalf("result %+v after %s", res, time.Since(begin))
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := rt.Wait(ctx, c.ID); err != nil {
		t.Errorf("Wait after Close: %v", err)
	}
}

// With KeepTraces, only the last N finished conversations keep their trace
// and variables, so a long-running org does not grow with each one; older
// results still say how the conversation ended.
func TestKeepTracesBoundsRetainedResults(t *testing.T) {
	e := start(t, load(t, "../../.."), Options{KeepTraces: 2}, "nobody@example.com")
	var ids []string
	for range 5 {
		res, _ := e.converse(org.StartConversationOptions{})
		if len(res.Trace) == 0 {
			t.Fatal("a finished conversation has no trace")
		}
		ids = append(ids, res.ConversationID)
	}
	for i, id := range ids {
		res, ok := e.rt.Result(id)
		if !ok || res.Ended == "" {
			t.Fatalf("conversation %d: no result", i)
		}
		if kept := len(res.Trace) > 0; kept != (i >= 3) {
			t.Errorf("conversation %d: trace kept %v, want %v", i, kept, i >= 3)
		}
	}
}

// With org.WithConversationLimit the runtime forgets what it kept for a
// conversation when the org evicts it, so neither grows with the number of
// conversations: a conversation the flow handed to a queue is released
// (nothing answers it in an emulated org) and counts as settled.
func TestConversationLimitBoundsRuntimeSessions(t *testing.T) {
	const limit, runs = 20, 2000
	o := org.New(org.WithConversationLimit(limit))
	answer := func(in AwaitInput) bool { // answers every question, keeps no record
		_, err := o.SendCustomerMessage(in.ConversationID, "nobody@example.com")
		return err == nil
	}
	rt, _, err := startIn(o, load(t, "../../.."), Options{OnAwaitInput: answer, KeepTraces: 5})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	var first string
	for i := range runs {
		conv, err := o.StartConversation(org.StartConversationOptions{Text: "Hi"})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		res, err := rt.Wait(ctx, conv.ID)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if res.Ended != "transferred" {
			t.Fatalf("conversation %d ended %q, want transferred", i, res.Ended)
		}
		if i == 0 {
			first = conv.ID
		}
	}
	// Each flow released its conversation before Wait returned.
	if n := o.RetainedConversations(); n != limit {
		t.Errorf("the org retains %d conversations after %d, want %d", n, runs, limit)
	}
	rt.mu.Lock()
	sessions := len(rt.sessions)
	rt.mu.Unlock()
	if sessions > limit {
		t.Errorf("the runtime keeps %d sessions after %d conversations, want at most %d", sessions, runs, limit)
	}
	if _, ok := rt.Result(first); ok {
		t.Error("the first conversation's result is still kept after the org evicted it")
	}
	if c, err := o.Conversation(first); err == nil {
		t.Errorf("the first conversation is still in the org (%s)", c.State)
	}
}
