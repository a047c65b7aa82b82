package verify_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/emulator/stack"
	"github.com/bpgen/bpgen/internal/postapply/verify"
	"github.com/bpgen/bpgen/internal/testutil/orgfixture"
)

func fast(e *stack.Org) verify.ConversationOptions {
	return verify.ConversationOptions{Settle: e.Settle, PollInterval: 10 * time.Millisecond, ReplyTimeout: 5 * time.Second, Timeout: 2 * time.Second}
}

// failed returns "what: detail" of the failed checks.
func failed(r verify.Report) string {
	var b strings.Builder
	for _, f := range r.Failed() {
		b.WriteString(f.What + ": " + f.Detail + "\n")
	}
	return b.String()
}

// When the flow cannot look the customer up, the conversation says the
// customer was not linked, and still cleans up.
func TestConversationNoticesAnUnlinkedCustomer(t *testing.T) {
	e, c, b := orgfixture.Start(t, "../../..", nil)
	if _, err := e.Org.AddFault(org.Fault{Endpoint: "POST /api/v2/externalcontacts/identifierlookup/contacts", Status: http.StatusInternalServerError}); err != nil {
		t.Fatal(err)
	}
	res := verify.Conversation(context.Background(), c, b, e.Outputs, fast(e))
	got := failed(res.Report)
	if !strings.Contains(got, "the conversation's contact resolves to the seeded contact: it resolves to ") || !strings.Contains(got, "(Ephemeral)") {
		t.Errorf("failures:\n%s", got)
	}
	if strings.Contains(got, "deletes the run's contacts") {
		t.Errorf("cleanup failed:\n%s", got)
	}
	for _, ct := range e.Org.Contacts() {
		if ct.Type == org.TypeCurated {
			t.Errorf("the seeded contact %s survived", ct.ID)
		}
	}
}

// A bot that shows the customer an internal id (the blueprint's
// "Customer ID: <id>") fails the run.
func TestConversationNoticesLeakedIDs(t *testing.T) {
	e, c, b := orgfixture.Start(t, "../../..", nil)
	var once sync.Once
	cancel := e.Org.Subscribe(func(ev org.Event) {
		if ev.Type == org.EventCustomerMessage {
			once.Do(func() {
				_, _ = e.Org.SendOutboundMessage(ev.ConversationID, "Common Module Status:  Success.  Customer ID:  "+ev.Conversation.Customer.ExternalContactID)
			})
		}
	})
	defer cancel()
	res := verify.Conversation(context.Background(), c, b, e.Outputs, fast(e))
	if got := failed(res.Report); !strings.Contains(got, `the customer sees no internal ids: the customer saw ["Common Module Status:  Success.  Customer ID:  `) {
		t.Errorf("failures:\n%s", got)
	}
	// The leak came first; the bot's question after it was still recognised.
	if len(res.Failed()) != 1 {
		t.Errorf("only the leak should fail:\n%s", failed(res.Report))
	}
}

// A deployment that does not exist is reported by the WebSocket's own
// answer, and nothing else runs.
func TestConversationWithoutADeployment(t *testing.T) {
	e, c, b := orgfixture.Start(t, "../../..", nil)
	out := map[string]string{}
	for k, v := range e.Outputs {
		out[k] = v
	}
	out["messenger_deployment_id"] = "00000000-0000-0000-0000-000000000000"
	res := verify.Conversation(context.Background(), c, b, out, fast(e))
	if got := failed(res.Report); !strings.Contains(got, "opens a guest session on the Messenger deployment: ") || !strings.Contains(got, "Deployment not found") {
		t.Errorf("failures:\n%s", got)
	}
	if res.ConversationID != "" || len(e.Org.Conversations()) != 0 {
		t.Error("a conversation started")
	}
}

// FindConversation picks the run's own conversation among others, and says
// what it searched when it is not there.
func TestFindConversation(t *testing.T) {
	e, c, _ := orgfixture.Start(t, "../../..", nil)
	var want org.Conversation
	for _, id := range []string{"other-run", "this-run", "another-run"} {
		conv, err := e.Org.StartConversation(org.StartConversationOptions{DeploymentID: e.Outputs["messenger_deployment_id"], CustomAttributes: map[string]string{verify.RunAttribute: id}})
		if err != nil {
			t.Fatal(err)
		}
		if id == "this-run" {
			want = conv
		}
	}
	ctx := context.Background()
	got, err := verify.FindConversation(ctx, c, verify.FindOptions{RunID: "this-run", PollInterval: time.Millisecond})
	if err != nil || got.ID != want.ID {
		t.Fatalf("found %v, %v; want %s", got, err, want.ID)
	}
	_, err = verify.FindConversation(ctx, c, verify.FindOptions{RunID: "no-such-run", Timeout: 50 * time.Millisecond, PollInterval: time.Millisecond})
	if err == nil || !strings.Contains(err.Error(), "no webmessaging conversation with participant data bpgenRunId=no-such-run among the 3 examined") {
		t.Fatalf("err = %v", err)
	}
}
