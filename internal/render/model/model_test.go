package model_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/model"
)

func build(t *testing.T, yaml string) *model.Model {
	t.Helper()
	cfg, _, ds := config.Parse("bpgen.yaml", []byte(yaml))
	if ds.HasErrors() {
		t.Fatalf("config: %v", ds)
	}
	return model.Build(cfg)
}

func keys(m *model.Model) []string {
	var out []string
	for _, a := range m.Actions {
		out = append(out, a.Key)
	}
	return out
}

// What a user leaves out is filled in: merge, Terraform-created credentials,
// the default names with prefix and suffix, and the merge path's actions.
func TestDefaults(t *testing.T) {
	m := build(t, "version: 1\nnames: {prefix: \"Acme \", suffix: \" (dev)\"}\nidentifiers:\n  - type: Email\n    ask: {}\n")
	if m.Strategy != contract.StrategyMerge || m.Credentials != "create" || m.Language != config.DefaultLanguage || m.ProviderVersion != config.ProviderVersion {
		t.Errorf("defaults: strategy %q, credentials %q, language %q, provider %q", m.Strategy, m.Credentials, m.Language, m.ProviderVersion)
	}
	if want := "Acme " + config.DefaultNames.BotFlow + " (dev)"; m.Names.BotFlow != want {
		t.Errorf("bot flow name %q, want %q", m.Names.BotFlow, want)
	}
	if m.Category != m.Names.Integration {
		t.Errorf("category %q, want the integration's name %q", m.Category, m.Names.Integration)
	}
	want := []string{contract.ActionLookup, contract.ActionConversation, contract.ActionContact, contract.ActionMerge}
	if got := keys(m); !slices.Equal(got, want) {
		t.Errorf("actions %v, want %v", got, want)
	}
	if !m.HasBot() || len(m.Slots()) != 1 || m.Slots()[0].Slot != "Email" {
		t.Errorf("one asked email: HasBot %v, slots %v", m.HasBot(), m.Slots())
	}
	seen := map[model.Permission]bool{}
	for _, p := range m.Permissions() {
		if seen[p] {
			t.Errorf("permission %s listed twice", p)
		}
		seen[p] = true
	}
	if !seen[model.Permission{Domain: "externalContacts", Entity: "identity", Action: "merge"}] {
		t.Errorf("merge path without the merge permission: %v", m.Permissions())
	}
}

// Associate links without merging: no contact-type read, no merge call.
func TestAssociateActions(t *testing.T) {
	m := build(t, "version: 1\nlink: {strategy: associate}\nidentifiers:\n  - type: Email\n    participantData: email\n")
	want := []string{contract.ActionLookup, contract.ActionConversation, contract.ActionAssociate}
	if got := keys(m); !slices.Equal(got, want) {
		t.Errorf("actions %v, want %v", got, want)
	}
	if m.Action(contract.ActionMerge) != nil || m.HasBot() {
		t.Errorf("associate model has a merge action (%v) or a bot (%v)", m.Action(contract.ActionMerge) != nil, m.HasBot())
	}
}

// Objects bpgen only looks up keep the names the user wrote; objects it
// creates get the prefix and suffix.
func TestLookedUpObjectsKeepTheirNames(t *testing.T) {
	m := build(t, "version: 1\nnames: {prefix: \"P-\", queue: Support}\nqueue: {existing: true}\n"+
		"identifiers:\n  - type: ExternalId\n    participantData: customerNumber\n    externalSource: {name: CRM}\n")
	if m.Names.Queue != "Support" {
		t.Errorf("existing queue named %q, want Support", m.Names.Queue)
	}
	if m.ExternalSource == nil || m.ExternalSource.Name != "CRM" || m.ExternalSource.Create {
		t.Errorf("existing source: %+v", m.ExternalSource)
	}
	m = build(t, "version: 1\nnames: {prefix: \"P-\"}\nidentifiers:\n  - type: ExternalId\n    participantData: customerNumber\n    externalSource: {name: CRM, create: true}\n")
	if m.ExternalSource.Name != "P-CRM" || !m.ExternalSource.Create || m.Names.Queue != "P-"+config.DefaultNames.Queue {
		t.Errorf("created source %+v, queue %q", m.ExternalSource, m.Names.Queue)
	}
}

// Phones normalise with the region's calling code and trunk prefix (US by
// default); only the first question greets.
func TestIdentifierNormalisationAndQuestions(t *testing.T) {
	m := build(t, "version: 1\nidentifiers:\n  - type: Phone\n    ask: {}\n  - type: SocialWhatsapp\n    defaultCountry: GB\n    ask: {}\n  - type: Cookie\n    participantData: cookie\n")
	if got := m.IdentifierTypes(); !slices.Equal(got, []string{contract.IdentifierPhone, contract.IdentifierSocialWhatsapp, contract.IdentifierCookie}) {
		t.Fatalf("types %v", got)
	}
	us, gb, cookie := m.Identifiers[0].Normalize, m.Identifiers[1].Normalize, m.Identifiers[2].Normalize
	if us.Kind != "phone" || us.Region != "US" || us.CountryCode != "1" {
		t.Errorf("US phone: %+v", us)
	}
	if gb.Region != "GB" || gb.CountryCode != "44" || gb.NationalPrefix != "0" || len(gb.NationalLengths) == 0 {
		t.Errorf("GB WhatsApp: %+v", gb)
	}
	if cookie.Kind != "trim" || m.Identifiers[2].Ask != nil {
		t.Errorf("cookie: %+v", m.Identifiers[2])
	}
	q1, q2 := m.Identifiers[0].Ask.Question, m.Identifiers[1].Ask.Question
	if !strings.HasPrefix(q1, "Hello!") || strings.HasPrefix(q2, "Hello!") {
		t.Errorf("questions %q, %q: only the first greets", q1, q2)
	}
	if !m.Identifiers[0].Ask.FromFirstMessage {
		t.Error("a phone slot is not offered the first message")
	}
}
