package org

import (
	"fmt"
	"slices"
	"sync"
	"testing"
)

// mergeStorm merges n ephemerals (one per web-messaging conversation) into
// one customer concurrently over HTTP, always naming the customer's original
// curated id as the target (it resolves to the current head), while readers
// look the customer up and read conversations. It returns the ephemeral ids
// whose merge succeeded and the statuses seen.
func mergeStorm(t *testing.T, e *env, customerID string, n int, nway bool) (merged []string, statuses map[int]int) {
	t.Helper()
	convs := make([]Conversation, n)
	for i := range convs {
		c, err := e.org.StartConversation(StartConversationOptions{})
		if err != nil {
			t.Fatal(err)
		}
		convs[i] = c
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses = map[int]int{}
	stop := make(chan struct{})
	var readers sync.WaitGroup
	for range 4 {
		readers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := e.org.LookupIdentifier(ContactIdentifier{Type: "Email", Value: "jane@example.com"}); err != nil {
					t.Error(err)
					return
				}
				_ = e.call("GET", "/api/v2/conversations/"+convs[0].ID, nil)
				_, _ = e.org.MergeSet(customerID)
			}
		})
	}
	for _, c := range convs {
		wg.Go(func() {
			eph := c.Customer.ExternalContactID
			var r resp
			if nway {
				r = e.call("POST", mergePath, MergeContactsRequest{ContactIDs: []string{eph, customerID}})
			} else {
				r = e.call("POST", legacyMergePath, MergeRequest{SourceContactID: eph, TargetContactID: customerID})
			}
			mu.Lock()
			defer mu.Unlock()
			statuses[r.status]++
			if r.status == 200 {
				merged = append(merged, eph)
			}
		})
	}
	wg.Wait()
	close(stop)
	readers.Wait()
	return merged, statuses
}

// checkOneHead asserts the whole org is one merge tree with a single head
// that every member (and every merged ephemeral) resolves to.
func checkOneHead(t *testing.T, o *Org, customerID string, merged []string, wantSize int) {
	t.Helper()
	head, err := o.CanonicalID(customerID)
	if err != nil {
		t.Fatal(err)
	}
	set, _ := o.MergeSet(customerID)
	if len(set) != wantSize {
		t.Fatalf("merge set %d, want %d", len(set), wantSize)
	}
	if len(slices.Compact(slices.Sorted(slices.Values(set)))) != len(set) {
		t.Fatal("duplicate members")
	}
	var heads []string
	for _, id := range set {
		c, err := o.RawContact(id)
		if err != nil {
			t.Fatal(err)
		}
		if c.MergedTo == nil {
			heads = append(heads, id)
		}
		if c.CanonicalContact == nil || c.CanonicalContact.ID != head || len(c.MergeSet) != wantSize {
			t.Fatalf("member %s: canonical %+v, set %d", id, c.CanonicalContact, len(c.MergeSet))
		}
	}
	if len(heads) != 1 || heads[0] != head {
		t.Fatalf("heads %v, want [%s]", heads, head)
	}
	for _, eph := range merged {
		if !slices.Contains(set, eph) {
			t.Fatalf("merged ephemeral %s lost", eph)
		}
	}
	got, err := o.LookupIdentifier(ContactIdentifier{Type: "Email", Value: "jane@example.com"})
	if err != nil || got.ID != head {
		t.Fatalf("lookup -> %s %v, want head %s", got.ID, err, head)
	}
}

func TestConcurrentMergesNoLimit(t *testing.T) {
	for _, nway := range []bool{false, true} {
		t.Run(fmt.Sprintf("nway=%v", nway), func(t *testing.T) {
			e := newEnv(t, WithMergeSetLimit(0))
			customer := mustContact(t, e.org, Contact{WorkEmail: "jane@example.com"})
			merged, statuses := mergeStorm(t, e, customer.ID, 100, nway)
			if statuses[200] != 100 {
				t.Fatalf("statuses %v", statuses)
			}
			checkOneHead(t, e.org, customer.ID, merged, 1+2*100)
			// Every contact in the org is in that one tree.
			if n := len(e.org.Contacts()); n != 201 {
				t.Fatalf("%d contacts", n)
			}
		})
	}
}

func TestConcurrentMergesHitLimit(t *testing.T) {
	e := newEnv(t)
	customer := mustContact(t, e.org, Contact{WorkEmail: "jane@example.com"})
	merged, statuses := mergeStorm(t, e, customer.ID, 100, false)
	if statuses[200] != 25 || statuses[400] != 75 {
		t.Fatalf("statuses %v", statuses)
	}
	checkOneHead(t, e.org, customer.ID, merged, 51)
	set, _ := e.org.MergeSet(customer.ID)
	for _, c := range e.org.Contacts() {
		if !slices.Contains(set, c.ID) && (c.CanonicalContact != nil || c.Type != TypeEphemeral) {
			t.Fatalf("contact outside the set was touched: %+v", c)
		}
	}
}

func TestConcurrentOpenInboundSameSender(t *testing.T) {
	e := newEnv(t)
	src := mustSource(t, e.org, "OM")
	in, _ := e.org.AddOpenIntegration(OpenIntegration{Name: "IR", ExternalSourceID: src.ID})
	path := "/api/v2/conversations/messages/" + in.ID + "/inbound/open/message?prefetchConversationId=true"
	var wg sync.WaitGroup
	var mu sync.Mutex
	ids := map[string]int{}
	for i := range 30 {
		wg.Go(func() {
			var out map[string]any
			e.call("POST", path, inboundBody("same-sender", "Opaque", fmt.Sprint("m", i), nil)).must(t, 200).decode(t, &out)
			mu.Lock()
			ids[out["conversationId"].(string)]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if len(ids) != 1 {
		t.Fatalf("conversations %v", ids)
	}
	for id := range ids {
		c, _ := e.org.Conversation(id)
		if len(c.Messages) != 30 {
			t.Fatalf("messages %d", len(c.Messages))
		}
	}
	if n := len(e.org.Contacts()); n != 1 {
		t.Fatalf("%d contacts; one sender must get one ephemeral", n)
	}
}
