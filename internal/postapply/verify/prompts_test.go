package verify

import (
	"testing"
)

// The bot's questions come from the deployed bot flow, exactly as the
// customer sees them, and a message is recognised even with an apology in
// front of a re-prompt.
func TestBotPromptsAndRecognise(t *testing.T) {
	b, err := LoadBundle("../../../examples/phone-second-factor")
	if err != nil {
		t.Fatal(err)
	}
	prompts, err := BotPrompts(b)
	if err != nil {
		t.Fatal(err)
	}
	// The questions bpgen.yaml sets; Email's is a default.
	want := map[string]string{
		"Phone":    "Hi! What's the phone number on your account?",
		"Email":    "",
		"LastName": "Thanks. And your last name, please?",
	}
	if len(prompts) != len(want) {
		t.Fatalf("prompts %q", prompts)
	}
	for _, p := range prompts {
		w, ok := want[p.Slot]
		if !ok || (w != "" && w != p.Question) || p.Question == "" || p.NoMatch == "" || p.NoInput == "" {
			t.Errorf("prompt %+v", p)
		}
	}
	for text, w := range map[string]Asked{
		"Hi! What's the phone number on your account?":                                       {"Phone", "question"},
		"Sorry. That doesn't look like a valid phone number. Please type your phone number.": {"Phone", "noMatch"},
		"Sorry, I didn't get a reply. Please type your last name to continue.":               {"LastName", "noInput"},
		"Thanks.  And your last name,\nplease?":                                              {"LastName", "question"},
	} {
		if got, ok := Recognise(prompts, text); !ok || got != w {
			t.Errorf("Recognise(%q) = %+v, %v; want %+v", text, got, ok, w)
		}
	}
	if got, ok := Recognise(prompts, "Thank you. An agent will be with you shortly."); ok {
		t.Errorf("a status line was taken for %+v", got)
	}

	// A bundle without a bot has no questions.
	b, err = LoadBundle("../../../examples/open-messaging-external-id")
	if err != nil {
		t.Fatal(err)
	}
	if prompts, err := BotPrompts(b); err != nil || prompts != nil {
		t.Errorf("prompts %q, %v", prompts, err)
	}
}

// Seeded phone numbers are fictional (555-01XX) and differ between runs.
func TestTestPhone(t *testing.T) {
	seen := map[string]bool{}
	for _, run := range []string{"a", "b", "c", "d", "e", "f", "g", "h"} {
		p := testPhone(run)
		if len(p) != 12 || p[:2] != "+1" || p[5:10] != "55501" {
			t.Errorf("testPhone(%q) = %q", run, p)
		}
		seen[p] = true
	}
	if len(seen) < 7 {
		t.Errorf("only %d distinct numbers for 8 runs", len(seen))
	}
}
