package contract

import (
	"regexp"
	"testing"
)

// Every askable type's default pattern accepts what a customer types for it
// and refuses a greeting, so the bot can take a value from the first message.
func TestIdentifierPatterns(t *testing.T) {
	samples := map[string]string{
		IdentifierEmail: "jane.doe@example.com", IdentifierPhone: "+44 20 7946 0958", IdentifierSocialWhatsapp: "447700900123",
		IdentifierSocialFacebook: "jane.doe.77", IdentifierSocialTwitter: "@jane_doe", IdentifierSocialLine: "jane-line",
		IdentifierSocialInstagram: "jane.doe", IdentifierExternalID: "CUST-0042",
	}
	seen := map[string]bool{}
	for _, it := range Identifiers {
		if seen[it.Type] || seen[it.Slot] {
			t.Errorf("%s: type or slot %q listed twice", it.Type, it.Slot)
		}
		seen[it.Type], seen[it.Slot] = true, true
		if !it.Askable {
			if it.Pattern != "" {
				t.Errorf("%s cannot be asked but has a pattern", it.Type)
			}
			continue
		}
		re := regexp.MustCompile(`^(?:` + it.Pattern + `)$`)
		if s, ok := samples[it.Type]; !ok || !re.MatchString(s) {
			t.Errorf("%s: pattern %s refuses %q", it.Type, it.Pattern, s)
		}
		if it.IsEmail || it.IsPhone {
			if re.MatchString("Hello") {
				t.Errorf("%s: pattern takes a greeting", it.Type)
			}
		}
	}
	if got := PhoneTypes(); len(got) != 2 || got[0] != IdentifierPhone || got[1] != IdentifierSocialWhatsapp {
		t.Errorf("PhoneTypes = %v", got)
	}
	if _, ok := Identifier("Emial"); ok {
		t.Error("an unknown type is known")
	}
}

// Object ids and refs are spelled the way the manifest, the deployer and
// wire's constants expect.
func TestIDsAndRefs(t *testing.T) {
	for got, want := range map[string]string{
		ObjectID(KindFlow, FlowInbound):                          KindFlow + "." + FlowInbound,
		ObjectID(KindDivision, ""):                               "division",
		RefDivisionName.String():                                 "division.name",
		RefExternalSourceID.String():                             "external_source.id",
		Ref{KindDataAction, ActionLookup, AttrCategory}.String(): "data_action.lookup.category",
		FlowOutput(FlowBot):                                      "bot_flow_id",
		ActionOutput(ActionMerge):                                "merge_action_id",
		ExportPath(ActionLookup):                                 "exports/lookup.json",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}
