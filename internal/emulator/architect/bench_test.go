package architect

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/testutil"
)

// emailAttr carries the customer's email in participant data that the
// flows do not read, so the scripted customer knows what to answer without
// any bookkeeping keyed by conversation id.
const emailAttr = "test.email"

// answerFromAttributes is an OnAwaitInput that answers with the email in
// the conversation's participant data.
func answerFromAttributes(o *org.Org) func(AwaitInput) bool {
	return func(in AwaitInput) bool {
		c, err := o.Conversation(in.ConversationID)
		if err != nil {
			return false
		}
		_, err = o.SendCustomerMessage(in.ConversationID, c.Customer.Attributes[emailAttr])
		return err == nil
	}
}

// benchPath is one resolution path: the bundle, what the customer brings,
// and the outcome the path ends in.
type benchPath struct {
	name, dir string
	// start seeds what the path needs for customer n and starts its conversation.
	start   func(b *testing.B, o *org.Org, d standIn, n int64) (org.Conversation, error)
	outcome string
	// fault, when set, fails every call to this endpoint.
	fault string
}

// webCustomer starts a web-messaging conversation of customer n; known seeds
// their contact first, so the answer the bot gets finds it.
func webCustomer(known bool) func(*testing.B, *org.Org, standIn, int64) (org.Conversation, error) {
	return func(b *testing.B, o *org.Org, _ standIn, n int64) (org.Conversation, error) {
		email := fmt.Sprintf("customer%d@example.com", n)
		if known {
			if _, err := o.CreateContact(org.Contact{WorkEmail: email}); err != nil {
				return org.Conversation{}, err
			}
		}
		return o.StartConversation(org.StartConversationOptions{Text: "Hi", CustomAttributes: map[string]string{emailAttr: email}})
	}
}

// openCustomer starts an open-messaging conversation from a sender whose
// customer number a curated contact holds, so the platform links it;
// withNumber also sends the number as participant data.
func openCustomer(withNumber bool) func(*testing.B, *org.Org, standIn, int64) (org.Conversation, error) {
	return func(b *testing.B, o *org.Org, d standIn, n int64) (org.Conversation, error) {
		number := fmt.Sprintf("CUST-%d", n)
		src := &org.ExternalSource{ID: d.externalSourceID}
		if _, err := o.CreateContact(org.Contact{FirstName: "Customer", ExternalIDs: []org.ExternalID{{ExternalSource: src, Value: number}}}); err != nil {
			return org.Conversation{}, err
		}
		var attrs map[string]string
		if withNumber {
			attrs = map[string]string{"customerNumber": number}
		}
		res, err := o.ReceiveOpenMessage(d.openMessagingID, org.OpenInboundMessage{
			From: org.OpenFrom{ID: number, IDType: "Opaque"}, Text: "Hi", CustomAttributes: attrs, Time: time.Now()})
		return res.Conversation, err
	}
}

// BenchmarkSimulateConversation measures the full stack per resolution path:
// a conversation through a committed bundle's flows, the bot's question and
// the customer's answer where the path asks, and the path's data actions
// over loopback HTTP into the emulated org. "merge" is the root bundle's
// known customer (lookup, conversation, contact type, merge).
func BenchmarkSimulateConversation(b *testing.B) {
	for _, p := range []benchPath{
		{name: "merge", dir: "../../..", start: webCustomer(true), outcome: "merged"},
		{name: "associate", dir: "../../../examples/associate-existing-client", start: webCustomer(true), outcome: "associated"},
		{name: "already-linked", dir: "../../../examples/open-messaging-external-id", start: openCustomer(true), outcome: "alreadyLinked"},
		{name: "platform-identified", dir: "../../../examples/open-messaging-external-id", start: openCustomer(false), outcome: "alreadyLinked"},
		{name: "unknown", dir: "../../..", start: webCustomer(false), outcome: "notFound"},
		{name: "failure", dir: "../../..", start: webCustomer(true), outcome: "error", fault: "POST /api/v2/externalcontacts/identifierlookup/contacts"},
	} {
		b.Run(p.name, func(b *testing.B) { benchmarkPath(b, p) })
	}
}

func benchmarkPath(b *testing.B, p benchPath) {
	bundle := load(b, p.dir)
	o := org.New()
	rt, dep, err := startIn(o, bundle, Options{OnAwaitInput: answerFromAttributes(o)})
	if err != nil {
		b.Fatal(err)
	}
	defer rt.Close()
	if p.fault != "" {
		if _, err := o.AddFault(org.Fault{Endpoint: p.fault, Status: 500}); err != nil {
			b.Fatal(err)
		}
	}
	var n, calls atomic.Int64
	b.SetParallelism(32) // conversations mostly wait on loopback I/O: keep the cores busy
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		for pb.Next() {
			c, err := p.start(b, o, dep, n.Add(1))
			if err != nil {
				b.Error(err)
				return
			}
			res, err := rt.Wait(ctx, c.ID)
			if err != nil {
				b.Error(err)
				return
			}
			if res.Variables["Flow.Outcome"] != p.outcome {
				b.Errorf("outcome %q, want %q:\n%s", res.Variables["Flow.Outcome"], p.outcome, res.Trace)
				return
			}
			calls.Add(int64(res.DataActionCalls))
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "conversations/s")
	b.ReportMetric(float64(calls.Load())/float64(b.N), "calls/conversation")
}

// TestLoad runs 1,000 concurrent conversations of 1,000 different known
// customers, all started at once: every one reaches the queue, and every
// link is made exactly once to the right contact. Skipped with -short.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("1,000 concurrent conversations; skipped with -short")
	}
	for _, c := range []struct{ name, dir string }{
		{"merge", "../../.."},
		{"associate", "../../../examples/associate-existing-client"},
	} {
		t.Run(c.name, func(t *testing.T) { loadTest(t, c.dir, 1000) })
	}
}

func loadTest(t *testing.T, dir string, n int) {
	b := load(t, dir)
	o := org.New(org.WithCallLogLimit(10 * n))
	rt, _, err := startIn(o, b, Options{OnAwaitInput: answerFromAttributes(o)})
	if err != nil {
		t.Fatal(err)
	}
	defer rt.Close()
	contacts := make([]string, n)
	for i := range n {
		c, err := o.CreateContact(org.Contact{FirstName: fmt.Sprint("Customer ", i), WorkEmail: fmt.Sprintf("c%d@example.com", i)})
		if err != nil {
			t.Fatal(err)
		}
		contacts[i] = c.ID
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	convs := make([]string, n)
	results := make([]*Result, n)
	errs := make([]error, n)
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-gate
			c, err := o.StartConversation(org.StartConversationOptions{Text: "Hi",
				CustomAttributes: map[string]string{emailAttr: fmt.Sprintf("c%d@example.com", i)}})
			if err != nil {
				errs[i] = err
				return
			}
			convs[i] = c.ID
			results[i], errs[i] = rt.Wait(ctx, c.ID)
		}()
	}
	begin := time.Now()
	close(gate)
	wg.Wait()
	took := time.Since(begin)
	t.Logf("%d concurrent conversations in %s (%.0f/s)", n, took.Round(time.Millisecond), float64(n)/took.Seconds())

	strategy := b.Manifest.Strategy
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("conversation %d: %v", i, errs[i])
		}
		res := results[i]
		want := map[string]string{"merge": "merged", "associate": "associated"}[strategy]
		if res.Queue == "" || res.Variables["Flow.Outcome"] != want {
			t.Fatalf("conversation %d: queue %q, outcome %q, error %q", i, res.Queue, res.Variables["Flow.Outcome"], res.Error)
		}
		conv, _ := o.Conversation(convs[i])
		head, _ := o.CanonicalID(contacts[i])
		if conv.CanonicalContactID != head {
			t.Fatalf("conversation %d ends linked to %s, want customer %d's contact %s", i, conv.CanonicalContactID, i, head)
		}
		set, _ := o.MergeSet(contacts[i])
		switch strategy {
		case "merge":
			// Exactly the customer, this conversation's ephemeral contact
			// and the merge result: nothing lost, nothing merged twice.
			if len(set) != 3 || !contains(set, conv.Resolution.ContactID) {
				t.Fatalf("customer %d's merge set %v (conversation contact %s)", i, set, conv.Resolution.ContactID)
			}
		case "associate":
			if len(set) != 1 || conv.Customer.ExternalContactID != contacts[i] {
				t.Fatalf("customer %d: merge set %v, conversation linked to %s", i, set, conv.Customer.ExternalContactID)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// BenchmarkServeRetention is org serve's memory per conversation with its
// defaults (the org keeps 1,000 settled conversations, the runtime 200
// traces) against keeping everything: retained-B/conv is the live heap
// the run left behind divided by the conversations run, so with the
// limits it falls as b.N grows past the limit, and without them it stays
// at the full cost of a conversation (record, messages, contact, trace).
func BenchmarkServeRetention(b *testing.B) {
	for _, bc := range []struct {
		name               string
		keepConvs, keepTrc int
	}{{"Defaults", 1000, 200}, {"KeepAll", 0, 0}} {
		b.Run(bc.name, func(b *testing.B) {
			o := org.New(org.WithConversationLimit(bc.keepConvs))
			// A customer who answers every question and keeps no record.
			answer := func(in AwaitInput) bool {
				_, err := o.SendCustomerMessage(in.ConversationID, "nobody@example.com")
				return err == nil
			}
			rt, _, err := startIn(o, load(b, "../../.."), Options{OnAwaitInput: answer, KeepTraces: bc.keepTrc})
			if err != nil {
				b.Fatal(err)
			}
			defer rt.Close()
			b.ReportAllocs()
			before := testutil.LiveHeap()
			for b.Loop() {
				conv, err := o.StartConversation(org.StartConversationOptions{Text: "Hi"})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := rt.Wait(context.Background(), conv.ID); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(max(testutil.LiveHeap()-before, 0))/float64(b.N), "retained-B/conv")
			b.ReportMetric(float64(o.RetainedConversations()), "retained-convs")
		})
	}
}
