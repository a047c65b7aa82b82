package architect

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestLoadCommittedBundles(t *testing.T) {
	for _, dir := range bundles(t) {
		b, err := Load(dir)
		if err != nil {
			t.Errorf("%s: %v", dir, err)
			continue
		}
		if b.Queue() == "" || b.InboundFlowName() == "" {
			t.Errorf("%s: no queue or inbound flow", dir)
		}
		for _, key := range b.ActionKeys() {
			if _, p, ok := b.Endpoint(key); !ok || !strings.HasPrefix(p, "/api/v2/") {
				t.Errorf("%s: endpoint of %s = %q", dir, key, p)
			}
		}
	}
}

// TestUnsupportedIsAnError: a construct the runtime cannot execute stops the
// load with its file and line, instead of being skipped.
func TestUnsupportedIsAnError(t *testing.T) {
	cases := []struct {
		name, file, old, new, want string
	}{
		{"unknown action", "flows/bot_flow.yaml", "          - exitBotFlow:\n", "          - loop:\n",
			"unsupported: action loop at flows/bot_flow.yaml:{line}"},
		{"unknown property", "flows/inbound_message_flow.yaml", "              priority:\n", "              messageBodyStyle:\n",
			`unsupported: transferToAcd property "messageBodyStyle" at flows/inbound_message_flow.yaml:`},
		{"function not emulated", "flows/resolve_contact.yaml", "exp: IsNotSetOrEmpty(Common.value)", "exp: IsNotSetOrEmpty(ToString(GetCurrentDateTimeUtc()))",
			"unsupported: function GetCurrentDateTimeUtc"},
		{"unknown built-in", "flows/inbound_message_flow.yaml", "exp: Message.ConversationId", "exp: Message.ExternalTag",
			"unsupported: built-in variable Message.ExternalTag at flows/inbound_message_flow.yaml:"},
		{"agent escalation", "flows/bot_flow.yaml", "    enableAgentEscalation:\n      lit: false", "    enableAgentEscalation:\n      lit: true",
			"unsupported: agent escalation (enableAgentEscalation) at flows/bot_flow.yaml:"},
		{"slot confirmation", "flows/bot_flow.yaml", "lit: never", "lit: always",
			"unsupported: askForSlot confirmationMode other than never at flows/bot_flow.yaml:"},
		{"routing refinement", "flows/inbound_message_flow.yaml", "              preferredAgents:\n                noValue: true", "              preferredAgents:\n                exp: Flow.Email",
			"unsupported: transferToAcd preferredAgents"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := bundleFS(t, "../../..")
			line := edit(t, fsys, c.file, c.old, c.new)
			want := strings.ReplaceAll(c.want, "{line}", strconv.Itoa(line))
			_, err := LoadFS(fsys)
			var ue *UnsupportedError
			if !errors.As(err, &ue) || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want an UnsupportedError containing %q", err, want)
			}
		})
	}
}

// TestLoadErrors: references the bundle cannot satisfy are errors with a
// position, found before anything runs.
func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, file, old, new, want string
	}{
		{"undeclared variable", "flows/inbound_message_flow.yaml", "exp: IsNotSetOrEmpty(Flow.Email)", "exp: IsNotSetOrEmpty(Flow.Emial)",
			"flows/inbound_message_flow.yaml:{line}: variable Flow.Emial is not declared"},
		{"syntax", "flows/resolve_contact.yaml", "exp: IsNotSetOrEmpty(Common.value)", "exp: IsNotSetOrEmpty(Common.value",
			"flows/resolve_contact.yaml:{line}: expr: 1:29: expected ')' after arguments"},
		// Architect has Lower, not ToLower: an unknown function stops the load.
		{"unknown function", "flows/resolve_contact.yaml", "Lower(Trim(", "ToLower(Trim(",
			"flows/resolve_contact.yaml:{line}: expr: 1:38: unknown function ToLower"},
		{"wrong argument type", "flows/resolve_contact.yaml", "exp: IsNotSetOrEmpty(Common.value)", "exp: Length(Length(Common.value)) == 0",
			"flows/resolve_contact.yaml:{line}: expr: 1:1: no overload of Length takes (Integer)"},
		{"wrong type of a declared variable", "flows/resolve_contact.yaml", "exp: IsNotSetOrEmpty(Common.value)", "exp: IsNotSetOrEmpty(Lower(Common.linked))",
			"flows/resolve_contact.yaml:{line}: expr: 1:17: no overload of Lower takes (Boolean)"},
		{"NOT_SET where forbidden", "flows/resolve_contact.yaml", "exp: IsNotSetOrEmpty(Common.value)", "exp: Trim(NOT_SET) == \"\"",
			"flows/resolve_contact.yaml:{line}: expr: 1:6: Trim: argument 1 (stringToTrim) is NOT_SET, which Trim does not allow"},
		{"unknown data action", "exports/lookup.json", `"name": "Lookup External Contact by Identifier"`, `"name": "Renamed"`,
			`action name "Renamed" differs from the manifest's`},
		{"queue not in bundle", "bpgen.manifest.json", `"name": "Identity Resolution",
      "address": "genesyscloud_routing_queue.queue"`, `"name": "Other",
      "address": "genesyscloud_routing_queue.queue"`, `queue "Identity Resolution" is not in the bundle`},
		{"module output not declared", "flows/inbound_message_flow.yaml", "Common.outcome:⏎var: Flow.Outcome",
			"Common.value:⏎var: Flow.Outcome", "output Common.value is not an output of commonmodule Resolve Contact"},
		{"wrong statement type", "flows/resolve_contact.yaml", "- boolean:⏎variable: Common.linked",
			"- string:⏎variable: Common.linked", "a string statement cannot set Boolean variable Common.linked"},
		{"escalation wording without escalation", "flows/bot_flow.yaml", "lit: false⏎errorEventHandover:",
			"lit: false⏎agentEscalationHandling:⏎  exit:⏎    none: true⏎errorEventHandover:",
			"agentEscalationHandling is only assignable with agent escalation enabled"},
		{"success output not in contract", "flows/resolve_contact.yaml", "firstName:⏎noValue: true",
			"nickname:⏎noValue: true", `success output "nickname" is not in the output contract`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := bundleFS(t, "../../..")
			line := edit(t, fsys, c.file, c.old, c.new)
			// An error that names a line names the line of the edit.
			want := strings.ReplaceAll(c.want, "{line}", strconv.Itoa(line))
			_, err := LoadFS(fsys)
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Fatalf("got %v, want an error containing %q", err, want)
			}
		})
	}
}

func TestLoadMissingManifest(t *testing.T) {
	_, err := Load(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "bpgen.manifest.json: cannot read the manifest") {
		t.Fatalf("got %v", err)
	}
}

// TestSubstitution: flows run with the values Terraform would substitute,
// including names that need quoting and the org-only ones.
func TestSubstitution(t *testing.T) {
	b := load(t, "../../../examples/kitchen-sink")
	if b.Queue() != "Queue: Ümlaut # 1" {
		t.Errorf("queue %q", b.Queue())
	}
	if b.ExternalSourceID == "" || b.ExternalSourceID != load(t, "../../../examples/kitchen-sink").ExternalSourceID {
		t.Errorf("external source id %q is not stable", b.ExternalSourceID)
	}
	names := map[string]bool{}
	for _, f := range b.Flows() {
		names[f.Name] = true
	}
	if !names[`*Test* Bot "Ask": who? — Café`] {
		t.Errorf("flows %v", names)
	}
}
