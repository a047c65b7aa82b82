package org

import (
	"slices"
	"strings"
	"testing"
	"time"
)

const (
	legacyMergePath = "/api/v2/externalcontacts/merge/contacts"
	mergePath       = "/api/v2/externalcontacts/contacts/merge"
	lookupPath      = "/api/v2/externalcontacts/identifierlookup/contacts"
)

func TestLegacyMergeTypeRules(t *testing.T) {
	e := newEnv(t)
	mk := func(typ string) string { return mustContact(t, e.org, Contact{Type: typ}).ID }
	tests := []struct {
		name      string
		src, tgt  string
		status    int
		errSubstr string
	}{
		{"ephemeral into curated", TypeEphemeral, TypeCurated, 200, ""},
		{"identified into curated", TypeIdentified, TypeCurated, 200, ""},
		{"curated into curated", TypeCurated, TypeCurated, 400, "source"},
		{"ephemeral into ephemeral", TypeEphemeral, TypeEphemeral, 400, "target"},
		{"ephemeral into identified", TypeEphemeral, TypeIdentified, 400, "target"},
		{"curated into ephemeral", TypeCurated, TypeEphemeral, 400, "source"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src, tgt := mk(tc.src), mk(tc.tgt)
			r := e.call("POST", legacyMergePath, MergeRequest{SourceContactID: src, TargetContactID: tgt})
			if tc.status != 200 {
				b := checkError(t, r, tc.status, "bad.request")
				if !strings.Contains(b.Message, tc.errSubstr) {
					t.Fatalf("message %q", b.Message)
				}
				if c, _ := e.org.RawContact(src); c.MergedTo != nil {
					t.Fatal("failed merge changed the source")
				}
				return
			}
			res := r.must(t, 200).contact(t)
			if res.ID == src || res.ID == tgt || res.Type != TypeCurated {
				t.Fatalf("result %s type %s", res.ID, res.Type)
			}
			if got := refIDs(res.MergedFrom); !slices.Equal(got, []string{src, tgt}) {
				t.Fatalf("mergedFrom %v", got)
			}
		})
	}
	c := mk(TypeCurated)
	for _, body := range []any{
		MergeRequest{TargetContactID: c},
		MergeRequest{SourceContactID: c},
		`{"sourceContactId": 1}`,
	} {
		checkError(t, e.call("POST", legacyMergePath, body), 400, "bad.request")
	}
	b := checkError(t, e.call("POST", legacyMergePath, MergeRequest{SourceContactID: "ghost", TargetContactID: c}), 404, "not.found")
	if b.EntityID != "ghost" {
		t.Fatalf("entityId %q", b.EntityID)
	}
}

func TestMergeCountRules(t *testing.T) {
	e := newEnv(t)
	ids := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = mustContact(t, e.org, Contact{Type: TypeEphemeral}).ID
		}
		return out
	}
	for _, n := range []int{0, 1, 26} {
		b := checkError(t, e.call("POST", mergePath, MergeContactsRequest{ContactIDs: ids(n)}), 400, "bad.request")
		if !strings.Contains(b.Message, "between 2 and 25") {
			t.Fatalf("message %q", b.Message)
		}
	}
	for _, n := range []int{2, 25} {
		in := ids(n)
		res := e.call("POST", mergePath, MergeContactsRequest{ContactIDs: in}).must(t, 200).contact(t)
		if len(res.MergeSet) != n+1 || res.Type != TypeEphemeral {
			t.Fatalf("n=%d: mergeSet %d type %s", n, len(res.MergeSet), res.Type)
		}
	}
	checkError(t, e.call("POST", mergePath, MergeContactsRequest{ContactIDs: []string{ids(1)[0], "ghost"}}), 404, "not.found")
	checkError(t, e.call("POST", mergePath, "{"), 400, "bad.request")
}

func TestMergeResultAndResolution(t *testing.T) {
	e := newEnv(t)
	src := mustSource(t, e.org, "CRM")
	cur := mustContact(t, e.org, Contact{FirstName: "Jane", LastName: "Doe", WorkEmail: "jane@example.com",
		ExternalIDs: []ExternalID{{ExternalSource: &ExternalSource{ID: src.ID}, Value: "CUST-1"}}})
	time.Sleep(2 * time.Millisecond)
	eph := mustContact(t, e.org, Contact{Type: TypeEphemeral, FirstName: "Guest", WorkEmail: "guest@example.com",
		CellPhone: &PhoneNumber{Display: "+13175550123"}})

	res := e.call("POST", legacyMergePath, MergeRequest{SourceContactID: eph.ID, TargetContactID: cur.ID}).must(t, 200).contact(t)
	if res.ID == cur.ID || res.ID == eph.ID {
		t.Fatal("merge must create a new contact")
	}
	// Fields: newest non-empty per field; the displaced email moves to a free slot.
	if res.FirstName != "Guest" || res.LastName != "Doe" || res.WorkEmail != "guest@example.com" || res.PersonalEmail != "jane@example.com" ||
		res.CellPhone == nil || res.CellPhone.E164 != "+13175550123" || len(res.ExternalIDs) != 1 {
		t.Fatalf("merged fields %+v", res)
	}
	if res.CanonicalContact == nil || res.CanonicalContact.ID != res.ID || res.MergedTo != nil {
		t.Fatalf("head merge fields %+v %+v", res.CanonicalContact, res.MergedTo)
	}
	if got := refIDs(res.MergeSet); !slices.Equal(got, []string{eph.ID, cur.ID, res.ID}) {
		t.Fatalf("mergeSet %v", got)
	}

	// GET of a merged-away id resolves to the head; /unresolved is raw.
	for _, id := range []string{eph.ID, cur.ID, res.ID} {
		got := e.call("GET", contactsPath+"/"+id, nil).must(t, 200).contact(t)
		if got.ID != res.ID {
			t.Fatalf("GET %s resolved to %s", id, got.ID)
		}
	}
	raw := e.call("GET", contactsPath+"/"+eph.ID+"/unresolved", nil).must(t, 200).contact(t)
	if raw.ID != eph.ID || raw.Type != TypeEphemeral || raw.MergedTo == nil || raw.MergedTo.ID != res.ID ||
		raw.CanonicalContact.ID != res.ID || len(raw.MergeSet) != 3 || raw.FirstName != "Guest" {
		t.Fatalf("unresolved %+v", raw)
	}
	checkError(t, e.call("GET", contactsPath+"/ghost/unresolved", nil), 404, "not.found")

	// Identifiers of every member resolve to the head.
	for _, ci := range []ContactIdentifier{
		{Type: "Email", Value: "jane@example.com"},
		{Type: "Email", Value: "guest@example.com"},
		{Type: "Phone", Value: "+13175550123"},
		{Type: "ExternalId", Value: "CUST-1", ExternalSource: &ExternalSource{ID: src.ID}},
	} {
		for _, p := range []string{lookupPath, "/api/v2/externalcontacts/identifierlookup"} {
			if got := e.call("POST", p, ci).must(t, 200).contact(t); got.ID != res.ID {
				t.Fatalf("lookup %v -> %s, want head %s", ci, got.ID, res.ID)
			}
		}
	}
	var list struct{ Entities []ContactIdentifier }
	e.call("GET", contactsPath+"/"+eph.ID+"/identifiers", nil).must(t, 200).decode(t, &list)
	if len(list.Entities) != 4 {
		t.Fatalf("head identifiers %+v", list.Entities)
	}

	// Merging again within the same set is a no-op returning the head.
	again := e.call("POST", legacyMergePath, MergeRequest{SourceContactID: eph.ID, TargetContactID: res.ID}).must(t, 200).contact(t)
	if again.ID != res.ID || len(e.org.Contacts()) != 3 {
		t.Fatalf("same-set merge made %s, %d contacts", again.ID, len(e.org.Contacts()))
	}
	again = e.call("POST", mergePath, MergeContactsRequest{ContactIDs: []string{cur.ID, eph.ID, res.ID}}).must(t, 200).contact(t)
	if again.ID != res.ID || len(e.org.Contacts()) != 3 {
		t.Fatal("same-set N-way merge was not a no-op")
	}

	// Merging a second customer in: the tree grows, the head moves, and the
	// old head gets mergedTo.
	eph2 := mustContact(t, e.org, Contact{Type: TypeEphemeral})
	res2 := e.call("POST", mergePath, MergeContactsRequest{ContactIDs: []string{eph2.ID, cur.ID},
		ValueOverride: &Contact{FirstName: "Janet", OtherEmail: "override@example.com"}}).must(t, 200).contact(t)
	if res2.FirstName != "Janet" || res2.OtherEmail != "override@example.com" || res2.LastName != "Doe" || res2.Type != TypeCurated {
		t.Fatalf("override %+v", res2)
	}
	if got := refIDs(res2.MergedFrom); !slices.Equal(got, []string{eph2.ID, res.ID}) {
		t.Fatalf("mergedFrom should be the heads: %v", got)
	}
	if len(res2.MergeSet) != 5 {
		t.Fatalf("mergeSet %v", refIDs(res2.MergeSet))
	}
	for _, id := range []string{eph.ID, cur.ID, res.ID, eph2.ID} {
		if h, _ := e.org.CanonicalID(id); h != res2.ID {
			t.Fatalf("%s canonical %s", id, h)
		}
		c, _ := e.org.RawContact(id)
		if len(c.MergeSet) != 5 || c.CanonicalContact.ID != res2.ID {
			t.Fatalf("member %s not updated: %+v", id, c.CanonicalContact)
		}
	}
	if old, _ := e.org.RawContact(res.ID); old.MergedTo == nil || old.MergedTo.ID != res2.ID {
		t.Fatal("old head lacks mergedTo")
	}
	if got, _ := e.org.LookupIdentifier(ContactIdentifier{Type: "Email", Value: "guest@example.com"}); got.ID != res2.ID {
		t.Fatal("lookup after second merge does not resolve to the new head")
	}
	checkError(t, e.call("POST", mergePath, map[string]any{"contactIds": []string{eph.ID, mustContact(t, e.org, Contact{}).ID}, "valueOverride": map[string]any{"workEmail": "bad"}}), 400, "bad.request")

	// Search lists heads only; delete takes the whole set.
	var l ContactListing
	e.call("GET", contactsPath+"?q=doe", nil).must(t, 200).decode(t, &l)
	if l.Total != 1 || l.Entities[0].ID != res2.ID {
		t.Fatalf("search %+v", l)
	}
	e.call("DELETE", contactsPath+"/"+eph.ID, nil).must(t, 200)
	for _, id := range []string{eph.ID, cur.ID, res.ID, eph2.ID, res2.ID} {
		checkError(t, e.call("GET", contactsPath+"/"+id, nil), 404, "not.found")
	}
	checkError(t, e.call("POST", lookupPath, ContactIdentifier{Type: "Email", Value: "jane@example.com"}), 404, "not.found")
}

func TestMergeTypeOfResult(t *testing.T) {
	o := New()
	for _, tc := range []struct {
		types []string
		want  string
	}{
		{[]string{TypeEphemeral, TypeEphemeral}, TypeEphemeral},
		{[]string{TypeEphemeral, TypeIdentified}, TypeIdentified},
		{[]string{TypeIdentified, TypeCurated}, TypeCurated},
		{[]string{TypeCurated, TypeCurated, TypeEphemeral}, TypeCurated},
	} {
		var ids []string
		for _, typ := range tc.types {
			ids = append(ids, mustContact(t, o, Contact{Type: typ}).ID)
		}
		res, err := o.MergeContacts(ids, nil)
		if err != nil || res.Type != tc.want {
			t.Fatalf("%v -> %s %v, want %s", tc.types, res.Type, err, tc.want)
		}
	}
}

// TestMergeSetLimit reaches the 52 limit the way the blueprint would: one
// customer, a new ephemeral merged in per conversation. Each merge adds the
// ephemeral and a new result, so after 25 merges the set holds 51 and the
// 26th (53) fails.
func TestMergeSetLimit(t *testing.T) {
	e := newEnv(t)
	customer := mustContact(t, e.org, Contact{WorkEmail: "jane@example.com"})
	for i := range 26 {
		eph := mustContact(t, e.org, Contact{Type: TypeEphemeral})
		head, _ := e.org.LookupIdentifier(ContactIdentifier{Type: "Email", Value: "jane@example.com"})
		r := e.call("POST", legacyMergePath, MergeRequest{SourceContactID: eph.ID, TargetContactID: head.ID})
		if i < 25 {
			if got := r.must(t, 200).contact(t); len(got.MergeSet) != 2*(i+1)+1 {
				t.Fatalf("merge %d: set %d", i+1, len(got.MergeSet))
			}
			continue
		}
		b := checkError(t, r, 400, "bad.request")
		if b.Limit == nil || b.Limit.Value != 52 || !strings.Contains(b.Message, "53") || !strings.Contains(b.Message, "52") {
			t.Fatalf("limit error %+v", b)
		}
		if c, _ := e.org.RawContact(eph.ID); c.CanonicalContact != nil {
			t.Fatal("failed merge touched the ephemeral")
		}
	}
	set, _ := e.org.MergeSet(customer.ID)
	if len(set) != 51 {
		t.Fatalf("final set %d", len(set))
	}
	// The N-way endpoint counts the same way.
	head, _ := e.org.CanonicalID(customer.ID)
	fresh := mustContact(t, e.org, Contact{Type: TypeEphemeral})
	checkError(t, e.call("POST", mergePath, MergeContactsRequest{ContactIDs: []string{head, fresh.ID}}), 400, "bad.request")

	// The limit is configurable (and can be disabled).
	o := New(WithMergeSetLimit(3))
	a, b := mustContact(t, o, Contact{}), mustContact(t, o, Contact{Type: TypeEphemeral})
	if _, err := o.MergeContacts([]string{a.ID, b.ID}, nil); err != nil {
		t.Fatal(err)
	}
	c := mustContact(t, o, Contact{Type: TypeEphemeral})
	if _, err := o.MergeContacts([]string{a.ID, c.ID}, nil); StatusOf(err) != 400 {
		t.Fatalf("limit 3: %v", err)
	}
}
