package harness_test

import (
	"context"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/emulator/stack"
	"github.com/bpgen/bpgen/internal/postapply/verify"
	"github.com/bpgen/bpgen/internal/postapply/wire"
	"github.com/bpgen/bpgen/internal/testutil"
	"github.com/bpgen/bpgen/internal/testutil/orgfixture"
)

// committedBundles are the repository root and every example: each is a
// rendered bundle CI keeps current.
func committedBundles(t *testing.T) []string { return testutil.CommittedBundles(t, "../..") }

// progress collects the run's progress lines and logs them at the end of
// the test, where -v or a failure shows them as `bpgen verify` prints them.
func progress(t *testing.T) *strings.Builder {
	var b strings.Builder
	t.Cleanup(func() { t.Log("progress:\n" + b.String()) })
	return &b
}

// offlineConversation makes the conversation fast and exact against the
// emulated org: the runtime says when a flow is done, and polls are cheap.
func offlineConversation(e *stack.Org) verify.ConversationOptions {
	return verify.ConversationOptions{Settle: e.Settle, PollInterval: 10 * time.Millisecond, ReplyTimeout: 15 * time.Second, Timeout: time.Minute}
}

// TestOfflinePath is the acceptance test's path with the emulated org in
// place of a real one, for every committed bundle: apply (as Terraform
// would, same outputs), wire, verify every object with a seeded contact,
// drive a conversation through Messenger as a customer and check it was
// linked to that contact, destroy, and check every object is gone.
func TestOfflinePath(t *testing.T) {
	for _, dir := range committedBundles(t) {
		t.Run(filepath.Base(filepath.Clean(dir)), func(t *testing.T) {
			t.Parallel()
			e, c, b := orgfixture.Start(t, dir, nil)
			ctx := context.Background()

			// What the provider cannot do, as the acceptance test does after apply.
			changes, err := wire.Plan(ctx, c, b.Manifest, e.Outputs)
			if err == nil {
				_, err = wire.Apply(ctx, c, changes)
			}
			if err != nil {
				t.Fatalf("wire: %v", err)
			}

			out := progress(t)
			res := verify.Run(ctx, c, b, e.Outputs, verify.RunOptions{Progress: out, Conversation: offlineConversation(e)})
			for _, f := range res.Failed() {
				t.Errorf("FAIL %s %s: %s", f.Object, f.What, f.Detail)
			}
			conv := res.Conversation
			if b.Manifest.Channels.WebMessaging == nil {
				if conv.Skipped != verify.SkipNoWebMessaging || len(conv.Checks) != 0 {
					t.Errorf("a bundle without web messaging: skipped %q, %d checks", conv.Skipped, len(conv.Checks))
				}
			} else {
				checkConversation(t, e, b, conv)
			}

			if err := e.Destroy(); err != nil {
				t.Fatal(err)
			}
			gone := verify.Destroyed(ctx, c, b, e.Outputs, verify.Options{Progress: out})
			if len(gone.Checks) == 0 {
				t.Error("Destroyed checked nothing")
			}
			for _, f := range gone.Failed() {
				t.Errorf("FAIL %s %s: %s", f.Object, f.What, f.Detail)
			}
		})
	}
}

// checkConversation asserts what a customer and an admin would notice.
func checkConversation(t *testing.T, e *stack.Org, b *verify.Bundle, conv *verify.ConversationResult) {
	t.Helper()
	if conv.Skipped != "" || conv.ConversationID == "" {
		t.Fatalf("no conversation ran: %q", conv.Skipped)
	}
	// The customer was asked, and what they saw is the bot's question.
	prompts, err := verify.BotPrompts(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(conv.Transcript) == 0 || !slices.ContainsFunc(prompts, func(p verify.Prompt) bool { return conv.Transcript[0] == p.Question }) {
		t.Errorf("the customer first saw %q, not one of the bot's questions", conv.Transcript)
	}
	// The run found the conversation it started, and the flow itself says it
	// linked the customer: read from the org and the runtime, not through the
	// API the checks used.
	oc, err := e.Org.Conversation(conv.ConversationID)
	if err != nil {
		t.Fatal(err)
	}
	if oc.Customer.Attributes[verify.RunAttribute] != conv.RunID || oc.Customer.ExternalContactID != conv.ContactID {
		t.Errorf("conversation %s: run id %q and contact %s, the run saw %q and %s",
			oc.ID, oc.Customer.Attributes[verify.RunAttribute], oc.Customer.ExternalContactID, conv.RunID, conv.ContactID)
	}
	if r, ok := e.Runtime.Result(conv.ConversationID); !ok || r.Variables["Flow.Linked"] != "true" || r.Queue == "" {
		t.Errorf("the flow did not link the customer and queue the conversation: %+v", r)
	}
	// Nothing the run created is left: no contact with the seed's names.
	for _, ct := range e.Org.Contacts() {
		if ct.FirstName == verify.SeedFirstName && ct.LastName == verify.SeedLastName {
			t.Errorf("contact %s (%s) survived the run", ct.ID, ct.Type)
		}
	}
}
