package flows_test

import (
	"regexp"
	"testing"

	"github.com/bpgen/bpgen/internal/archy/flowyaml"
	"github.com/bpgen/bpgen/internal/render/archy"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/flows"
	"github.com/bpgen/bpgen/internal/render/model"
	"github.com/bpgen/bpgen/internal/testutil"
)

// committed builds the flows of every committed config.
func committed(t *testing.T) map[string][]*flows.Flow {
	t.Helper()
	out := map[string][]*flows.Flow{}
	for _, p := range testutil.CommittedConfigs(t, "../../..") {
		cfg, _, ds := config.Load(p)
		if cfg == nil {
			t.Fatalf("%s: %v", p, ds)
		}
		fs, err := flows.Build(model.Build(cfg))
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		out[p] = fs
	}
	return out
}

func get(n *archy.Node, key string) *archy.Node {
	if n == nil || n.Kind != flowyaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// walk calls fn for every mapping node's key/value pair.
func walk(n *archy.Node, fn func(key string, v *archy.Node)) {
	if n == nil {
		return
	}
	if n.Kind == flowyaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			fn(n.Content[i].Value, n.Content[i+1])
		}
	}
	for _, c := range n.Content {
		walk(c, fn)
	}
}

// TestDecisionsNamedForTheirYesBranch: traces print "decision NAME: yes", so
// a decision's name must be a question its condition answers with true.
// Every decision must match one rule; a new decision needs a rule here.
func TestDecisionsNamedForTheirYesBranch(t *testing.T) {
	rules := []struct{ name, cond *regexp.Regexp }{
		{regexp.MustCompile(`^Identifier missing\?$`), regexp.MustCompile(`^IsNotSetOrEmpty\(Common\.identifierValue\)$`)},
		{regexp.MustCompile(`^Nothing left after normalising\?$`), regexp.MustCompile(`^IsNotSetOrEmpty\(Common\.value\)$`)},
		{regexp.MustCompile(`^(\w+) missing and still asking\?$`), regexp.MustCompile(`^IsNotSetOrEmpty\(Flow\.\w+\) and !Flow\.StopAsking$`)},
		{regexp.MustCompile(`^(\w+) still missing\?$`), regexp.MustCompile(`^IsNotSetOrEmpty\(Flow\.\w+\)$`)},
		{regexp.MustCompile(`^\w+ given\?$`), regexp.MustCompile(`^!IsNotSetOrEmpty\(Flow\.\w+\)$`)},
		{regexp.MustCompile(`^Try \w+\?$`), regexp.MustCompile(`^!Flow\.Linked$`)},
		{regexp.MustCompile(`^Linked\?$`), regexp.MustCompile(`^Flow\.Linked$`)},
		{regexp.MustCompile(`^Already linked\?$`), regexp.MustCompile(`^If\(IsNotSetOrEmpty\(Common\.foundContactId\) or IsNotSetOrEmpty\(Common\.conversationContactId\), false, Common\.foundContactId == Common\.conversationContactId or If\(IsNotSetOrEmpty\(Common\.foundMergeSet\), false, Contains\(Common\.foundMergeSet, .*Common\.conversationContactId.*\)\)\)$`)},
		{regexp.MustCompile(`^Conversation contact read\?$`), regexp.MustCompile(`^!IsNotSetOrEmpty\(Common\.conversationContactId\)$`)},
		{regexp.MustCompile(`^Contact type known\?$`), regexp.MustCompile(`^!IsNotSetOrEmpty\(Common\.conversationContactType\)$`)},
		{regexp.MustCompile(`^Nothing given yet\?$`), regexp.MustCompile(`^IsNotSetOrEmpty\(Flow\.\w+\)( and IsNotSetOrEmpty\(Flow\.\w+\))*$`)},
		{regexp.MustCompile(`^Claim the sender's id\?$`), regexp.MustCompile(`Flow\.Outcome == "associated" and .*!IsNotSetOrEmpty\(Flow\.SenderId\)$`)},
		{regexp.MustCompile(`^Conversation has a contact\?$`), regexp.MustCompile(`^!IsNotSetOrEmpty\(Flow\.ConversationContactId\)$`)},
		{regexp.MustCompile(`^Known contact\?$`), regexp.MustCompile(`^If\(IsSet\(Flow\.ConversationContactType\), Flow\.ConversationContactType == "Curated", false\)$`)},
		{regexp.MustCompile(`^Anonymous contact\?$`), regexp.MustCompile(`== "Ephemeral" or .* == "Identified", false\)$`)},
		{regexp.MustCompile(`^Second factor agrees\?$`), regexp.MustCompile(`, false, Lower\(Trim\((Common\.foundSecondFactor|Flow\.KnownSecondFactor)\)\) == Lower\(Trim\((Common\.secondFactor|Flow\.\w+)\)\)\)$`)},
		{regexp.MustCompile(`^Conversation contact missing\?$`), regexp.MustCompile(`^IsNotSetOrEmpty\(Common\.conversationContactId\)$`)},
		{regexp.MustCompile(`^Communication missing\?$`), regexp.MustCompile(`^IsNotSetOrEmpty\(Common\.communicationId\)$`)},
	}
	n := 0
	for cfg, fs := range committed(t) {
		for _, f := range fs {
			walk(f.Doc, func(key string, v *archy.Node) {
				if key != "decision" {
					return
				}
				n++
				name := get(v, "name").Value
				cond := get(get(v, "condition"), "exp").Value
				for _, r := range rules {
					if r.name.MatchString(name) {
						if !r.cond.MatchString(cond) {
							t.Errorf("%s %s: decision %q tests %q, which does not answer its name", cfg, f.File, name, cond)
						}
						return
					}
				}
				t.Errorf("%s %s: decision %q (%s) has no naming rule", cfg, f.File, name, cond)
			})
		}
	}
	if n == 0 {
		t.Fatal("no decisions found")
	}
}

// TestBotSetsNoEscalationWording: escalation is disabled, so the settings
// only valid with escalation enabled are absent.
func TestBotSetsNoEscalationWording(t *testing.T) {
	for cfg, fs := range committed(t) {
		for _, f := range fs {
			if f.Key != flows.BotKey {
				continue
			}
			eh := get(get(f.Doc, "botFlow"), "settingsErrorHandling")
			if v := get(get(eh, "enableAgentEscalation"), "lit"); v == nil || v.Value != "false" {
				t.Fatalf("%s: enableAgentEscalation is not false", cfg)
			}
			for _, k := range []string{"agentEscalationConfirmation", "agentEscalationHandover", "agentEscalationHandling"} {
				if get(eh, k) != nil {
					t.Errorf("%s: %s is set while escalation is disabled", cfg, k)
				}
			}
		}
	}
}

// TestFirstMessageGoesToTheBot: identifier questions get the first message as
// the bot's input text; the second factor (a name, which a greeting could
// pass for) does not.
func TestFirstMessageGoesToTheBot(t *testing.T) {
	seen := 0
	for cfg, fs := range committed(t) {
		for _, f := range fs {
			walk(f.Doc, func(key string, v *archy.Node) {
				if key != "callBotFlow" {
					return
				}
				seen++
				name := get(v, "name").Value
				exp := get(get(v, "inputText"), "exp")
				second := regexp.MustCompile(`^Ask for (LastName|FirstName)$`).MatchString(name)
				switch {
				case second && exp != nil:
					t.Errorf("%s: %q passes %s to a name question", cfg, name, exp.Value)
				case !second && (exp == nil || exp.Value != flows.FirstMessage):
					t.Errorf("%s: %q does not pass the first message", cfg, name)
				}
			})
		}
	}
	if seen == 0 {
		t.Fatal("no callBotFlow found")
	}
}
