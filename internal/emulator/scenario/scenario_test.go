package scenario

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/emulator/architect"
)

func TestParseErrorsHavePositions(t *testing.T) {
	cases := []struct{ name, src, want string }{
		{"unknown key", "name: x\nconversations:\n  - name: a\n    expect:\n      sees: [hi]\n      seez: [ho]\n",
			`s.yaml:6:7: conversations[0].expect.seez: unknown field "seez" in expect`},
		{"unknown top-level key", "name: x\nconversation: []\n", `s.yaml:2:1: conversation: unknown field "conversation" in the scenario`},
		{"wrong type", "name: x\nconversations:\n  - repeat: many\n", `s.yaml:3:13: conversations[0].repeat: wrong type: got the string "many", want an integer`},
		{"bad duration", "name: x\ntimeout: soon\nconversations: [{}]\n", `s.yaml:2:10: timeout: "soon" is not a duration`},
		// Decode errors carry line, column and the field's path, as config
		// errors do; the shared YAML reader's errors keep their column.
		{"wrong type in a flow mapping", "name: x\nconversations:\n  - {name: a, expect: {maxDataActionCalls: lots}}\n",
			`s.yaml:3:44: conversations[0].expect.maxDataActionCalls: wrong type: got the string "lots", want an integer`},
		// The deepest node of the named kind on the reported line, not the
		// collection around it that starts there too.
		{"a list where a string goes", "name: x\ncontacts:\n  jane: {workEmail: [x]}\nconversations: [{}]\n",
			"s.yaml:3:21: contacts.jane.workEmail: wrong type: got a list, want a string"},
		{"a mapping where a list goes", "name: x\nconversations: {a: 1}\n",
			"s.yaml:2:16: conversations: wrong type: got a mapping, want a list"},
		{"duplicate key", "name: x\nconversations:\n  - name: a\n    name: b\n",
			`s.yaml:4:5: conversations[0].name: duplicate key "name" (first at line 3)`},
		{"bad reply", "name: x\nconversations:\n  - name: a\n    replies: [hi, {text: x}]\n",
			"s.yaml:4:19: conversations[0].replies[1]: a reply must be a string or null"},
		{"bad queue expectation", "name: x\nconversations:\n  - expect:\n      queue: [a]\n",
			"s.yaml:4:14: conversations[0].expect.queue: queue must be true, false or a queue name"},
		{"bad latency deep in a list", "name: x\nfaults:\n  - action: lookup\n  - action: merge\n    latency: slow\nconversations: [{}]\n",
			`s.yaml:5:14: faults[1].latency: "slow" is not a duration`},
		{"tab in indentation", "name: x\nconversations:\n\t- name: a\n",
			"s.yaml:3:1: a tab in indentation"},
		{"second document", "name: x\nconversations: [{}]\n---\nname: y\n",
			"s.yaml:3:1: a second YAML document"},
		{"missing name", "conversations: [{}]\n", "s.yaml:1:1: name is required"},
		{"no conversations", "name: x\n", "s.yaml:1:1: at least one conversation is required"},
		{"unknown alias", "name: x\ncontacts:\n  jane: {workEmail: j@x.com}\nconversations:\n  - expect:\n      linkedTo: john\n",
			`s.yaml:6:7: "john" is not a seeded contact`},
		{"fault without effect", "name: x\nfaults:\n  - action: lookup\nconversations: [{}]\n",
			"s.yaml:3:5: a fault needs a status, a latency or timeout: true"},
		{"open messaging without sender", "name: x\nconversations:\n  - channel: openMessaging\n",
			"s.yaml:3:5: an openMessaging conversation needs from.id"},
		{"bad prompt kind", "name: x\nconversations:\n  - expect:\n      prompts: {reprompt: 1}\n",
			`s.yaml:4:17: prompts: "reprompt" must be one of`},
		{"huge repeat", "name: x\nconversations:\n  - name: a\n    repeat: 100000000\n",
			"s.yaml:4:5: repeat must be at most 1000"},
		{"repeats past the total", "name: x\nconversations:\n" + strings.Repeat("  - repeat: 1000\n", 11),
			"s.yaml:13:5: the scenario runs more than 10000 conversations in all"},
		{"misspelt fault action", "name: x\nfaults:\n  - action: lookpu\n    status: 500\nconversations: [{}]\n",
			"s.yaml:3:5: fault action must be one of lookup, conversation, contact, merge, associate, claim"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("s.yaml", []byte(c.src))
			var ie *InputError
			if !errors.As(err, &ie) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
}

func TestRepliesAndAnswers(t *testing.T) {
	s, err := Parse("s.yaml", []byte(`name: x
conversations:
  - replies: [hello, null, "jane@example.com"]
    answers: {Email: only@example.com, Phone: ["1", ~]}
    expect: {queue: "Q", outcome: merged}
`))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Conversations[0]
	if len(c.Replies) != 3 || !c.Replies[1].Silent || c.Replies[2].Text != "jane@example.com" {
		t.Errorf("replies %+v", c.Replies)
	}
	if len(c.Answers["Email"]) != 1 || len(c.Answers["Phone"]) != 2 || !c.Answers["Phone"][1].Silent {
		t.Errorf("answers %+v", c.Answers)
	}
	if c.Expect.Queue.Name != "Q" || len(c.Expect.Outcome) != 1 {
		t.Errorf("expect %+v", c.Expect)
	}
}

func TestApplies(t *testing.T) {
	root, err := architect.Load("../../..")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ requires, why string }{
		{"{asks: [Email], strategy: merge}", ""},
		{"{strategy: associate}", "requires strategy associate, the bundle uses merge"},
		{"{asks: [Phone]}", "requires the bot to ask for Phone"},
		{"{channel: openMessaging}", "requires the openMessaging channel"},
		{"{participantData: [Email]}", "requires Email from participant data"},
		{"{secondFactor: [asked]}", "requires a second factor that is asked; the bundle's is none"},
		{"{minRetries: 5}", "requires a bot with at least 5 retries"},
	}
	for _, c := range cases {
		s, err := Parse("s.yaml", []byte("name: x\nrequires: "+c.requires+"\nconversations: [{}]\n"))
		if err != nil {
			t.Fatal(err)
		}
		ok, why := s.Applies(root)
		if ok != (c.why == "") || why != c.why {
			t.Errorf("%s: got %v %q, want %q", c.requires, ok, why, c.why)
		}
	}
}

const scenarioSrc = `name: two expectations fail
contacts:
  jane: {firstName: Jane, workEmail: jane.doe@example.com}
conversations:
  - name: visit
    answers: {Email: jane.doe@example.com}
    expect:
      linkedTo: jane
      sees: ["Welcome back"]
      calls: {merge: 2}
expect:
  mergeSetSize: {jane: 3}
`

// TestReportShowsWantAndGot runs a real conversation on the root bundle:
// the passing expectations stay quiet, the failing ones say what differed
// and where in the scenario they are.
func TestReportShowsWantAndGot(t *testing.T) {
	b, err := architect.Load("../../..")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("s.yaml", []byte(scenarioSrc))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), s, b, Options{BundleName: "root"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Passed || len(rep.Failures) != 2 {
		t.Fatalf("failures %+v", rep.Failures)
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text, true); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{
		`s.yaml:9: conversation "visit": sees: want "Welcome back", got "Hello! So that we can find your details, please type your email address."`,
		`s.yaml:10: conversation "visit": calls.merge: want 2, got 1`,
		"FAIL \"two expectations fail\" (s.yaml on root): 1 conversations in",
		"POST /api/v2/externalcontacts/contacts/merge -> 200 in ",
		"bot> Hello! So that we can find your details",
		"customer> jane.doe@example.com",
		"=> reached queue \"Identity Resolution\"; linked to jane (merge set of 3); outcome merged; 4 data-action calls",
		"GET /api/v2/conversations/<conversation visit>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	// JSON carries the same, for machines.
	data, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	var back struct {
		Passed        bool
		Failures      []Failure
		Conversations []struct {
			LinkedTo string
			Result   struct{ Trace []architect.Step }
		}
	}
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if back.Passed || len(back.Failures) != 2 || back.Conversations[0].LinkedTo != "jane" || len(back.Conversations[0].Result.Trace) < 10 {
		t.Errorf("JSON report: %s", data)
	}
}

func TestSkippedScenario(t *testing.T) {
	b, err := architect.Load("../../..")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Parse("s.yaml", []byte("name: x\nrequires: {strategy: associate}\nconversations: [{}]\n"))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), s, b, Options{})
	if err != nil || rep.Skipped == "" || !rep.Passed || len(rep.Conversations) != 0 {
		t.Fatalf("report %+v, err %v", rep, err)
	}
}

// TestTraceIsDeterministic: two runs of a scenario with concurrent
// conversations give the same report once ids and latencies, which are
// random by nature, are masked.
func TestTraceIsDeterministic(t *testing.T) {
	b, err := architect.Load("../../../examples/kitchen-sink")
	if err != nil {
		t.Fatal(err)
	}
	s, err := Load("../../../scenarios/concurrent-same-customer.yaml")
	if err != nil {
		t.Fatal(err)
	}
	mask := regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|in [0-9.]+(µs|ms|s)`)
	var texts []string
	for range 2 {
		rep, err := Run(context.Background(), s, b, Options{BundleName: "kitchen-sink"})
		if err != nil {
			t.Fatal(err)
		}
		var sb strings.Builder
		_ = rep.WriteText(&sb, true)
		texts = append(texts, mask.ReplaceAllString(sb.String(), "<x>"))
	}
	if texts[0] != texts[1] {
		t.Errorf("reports differ:\n%s\n---\n%s", texts[0], texts[1])
	}
}
