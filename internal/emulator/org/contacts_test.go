package org

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

const contactsPath = "/api/v2/externalcontacts/contacts"

func TestCreateContact(t *testing.T) {
	e := newEnv(t)
	r := e.call("POST", contactsPath, map[string]any{
		"firstName": "  Jane ", "lastName": "Doe", "type": "Ephemeral",
		"workEmail":  "jane.doe@example.com",
		"cellPhone":  map[string]any{"display": "+13175550123"},
		"homePhone":  map[string]any{"display": "(317) 555-0199"},
		"workPhone":  map[string]any{"display": "not a number"},
		"whatsAppId": map[string]any{"phoneNumber": map[string]any{"display": "13175550123"}, "displayName": "Jane"},
	}).must(t, 200)
	c := r.contact(t)
	if c.ID == "" || c.Type != TypeCurated || c.FirstName != "Jane" {
		t.Fatalf("contact %+v", c)
	}
	if c.CreateDate.IsZero() || !c.CreateDate.Equal(c.ModifyDate.Time) {
		t.Fatalf("dates %v %v", c.CreateDate, c.ModifyDate)
	}
	if !regexp.MustCompile(`"createDate":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"`).Match(r.body) {
		t.Fatalf("createDate not ISO with millis: %s", r.body)
	}
	if c.SelfURI != contactsPath+"/"+c.ID || c.Division == nil || c.Division.Name != "Home" {
		t.Fatalf("selfUri/division %q %+v", c.SelfURI, c.Division)
	}
	want := PhoneNumber{Display: "+1 317-555-0123", UserInput: "+13175550123", E164: "+13175550123", CountryCode: "US"}
	if *c.CellPhone != want {
		t.Fatalf("cellPhone %+v", *c.CellPhone)
	}
	if c.HomePhone.E164 != "+13175550199" || c.HomePhone.UserInput != "(317) 555-0199" {
		t.Fatalf("homePhone %+v", *c.HomePhone)
	}
	if c.WorkPhone.E164 != "" || c.WorkPhone.Display != "not a number" || c.WorkPhone.CountryCode != "" {
		t.Fatalf("unparseable workPhone %+v", *c.WorkPhone)
	}
	if c.WhatsAppID.PhoneNumber.E164 != "+13175550123" {
		t.Fatalf("whatsapp %+v", *c.WhatsAppID.PhoneNumber)
	}
	if c.MergeSet != nil || c.CanonicalContact != nil {
		t.Fatalf("fresh contact has merge fields: %s", r.body)
	}
}

func TestCreateContactValidation(t *testing.T) {
	e := newEnv(t)
	src := mustSource(t, e.org, "CRM")
	tests := []struct {
		name string
		body any
	}{
		{"bad email", map[string]any{"workEmail": "not-an-email"}},
		{"email with name", map[string]any{"personalEmail": "Jane <jane@example.com>"}},
		{"long email", map[string]any{"otherEmail": strings.Repeat("a", 250) + "@example.com"}},
		{"long name", map[string]any{"firstName": strings.Repeat("x", 1001)}},
		{"screen name", map[string]any{"twitterId": map[string]any{"id": "1", "screenName": "bad name"}}},
		{"two line ids", map[string]any{"lineId": map[string]any{"ids": []any{map[string]any{"userId": "a"}, map[string]any{"userId": "b"}}}}},
		{"two facebook ids", map[string]any{"facebookId": map[string]any{"ids": []any{map[string]any{"scopedId": "a"}, map[string]any{"scopedId": "b"}}}}},
		{"external id no source", map[string]any{"externalIds": []any{map[string]any{"value": "x"}}}},
		{"external id unknown source", map[string]any{"externalIds": []any{map[string]any{"value": "x", "externalSource": map[string]any{"id": "nope"}}}}},
		{"external id empty value", map[string]any{"externalIds": []any{map[string]any{"value": "", "externalSource": map[string]any{"id": src.ID}}}}},
		{"relative url", map[string]any{"externalSystemUrl": "crm/42"}},
		{"malformed json", `{"firstName":`},
		{"wrong type", `{"firstName": 42}`},
		{"empty body", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			checkError(t, e.call("POST", contactsPath, tc.body), 400, "bad.request")
		})
	}
	if n := len(e.org.Contacts()); n != 0 {
		t.Fatalf("%d contacts created by invalid requests", n)
	}
}

func TestGetUpdateDeleteContact(t *testing.T) {
	e := newEnv(t)
	c := mustContact(t, e.org, Contact{FirstName: "Jane", WorkEmail: "jane@example.com", CellPhone: &PhoneNumber{Display: "+13175550123"}})
	path := contactsPath + "/" + c.ID

	got := e.call("GET", path, nil).must(t, 200).contact(t)
	if got.ID != c.ID || got.WorkEmail != "jane@example.com" {
		t.Fatalf("get %+v", got)
	}
	b := checkError(t, e.call("GET", contactsPath+"/missing", nil), 404, "not.found")
	if b.EntityID != "missing" {
		t.Fatalf("entityId %q", b.EntityID)
	}

	// PUT replaces writable fields, keeps type/createDate, re-indexes.
	got.FirstName = "Janet"
	got.WorkEmail = "janet@example.com"
	got.Type = TypeEphemeral
	up := e.call("PUT", path, got).must(t, 200).contact(t)
	if up.FirstName != "Janet" || up.Type != TypeCurated || !up.CreateDate.Equal(c.CreateDate.Time) {
		t.Fatalf("put %+v", up)
	}
	if up.CellPhone.UserInput != "+13175550123" {
		t.Fatalf("round-tripped phone lost its userInput: %+v", up.CellPhone)
	}
	checkError(t, e.call("POST", "/api/v2/externalcontacts/identifierlookup/contacts", ContactIdentifier{Type: "Email", Value: "jane@example.com"}), 404, "not.found")
	e.call("POST", "/api/v2/externalcontacts/identifierlookup/contacts", ContactIdentifier{Type: "Email", Value: "JANET@example.com"}).must(t, 200)
	checkError(t, e.call("PUT", path, map[string]any{"workEmail": "bad"}), 400, "bad.request")
	checkError(t, e.call("PUT", contactsPath+"/missing", map[string]any{}), 404, "not.found")

	// PATCH.
	p := e.call("PATCH", path, map[string]any{"changes": []any{
		map[string]any{"field": "$.lastName", "value": "Doe", "action": "Update"},
		map[string]any{"field": "$.cellPhone.display", "value": "+13175550100", "action": "Update"},
		map[string]any{"field": "$.firstName", "action": "Remove"},
	}}).must(t, 200).contact(t)
	if p.LastName != "Doe" || p.FirstName != "" || p.CellPhone.E164 != "+13175550100" {
		t.Fatalf("patch %+v %+v", p, p.CellPhone)
	}
	for _, body := range []any{
		map[string]any{"changes": []any{}},
		map[string]any{"changes": []any{map[string]any{"field": "$.type", "value": "Ephemeral", "action": "Update"}}},
		map[string]any{"changes": []any{map[string]any{"field": "$.firstName", "value": "x", "action": "Explode"}}},
		map[string]any{"changes": []any{map[string]any{"field": "$.workEmail", "value": "bad", "action": "Update"}}},
	} {
		checkError(t, e.call("PATCH", path, body), 400, "bad.request")
	}

	// DELETE answers an empty object, then 404.
	r := e.call("DELETE", path, nil).must(t, 200)
	if strings.TrimSpace(string(r.body)) != "{}" {
		t.Fatalf("delete body %s", r.body)
	}
	checkError(t, e.call("GET", path, nil), 404, "not.found")
	checkError(t, e.call("DELETE", path, nil), 404, "not.found")
	checkError(t, e.call("POST", "/api/v2/externalcontacts/identifierlookup/contacts", ContactIdentifier{Type: "Email", Value: "janet@example.com"}), 404, "not.found")
}

func TestPromotion(t *testing.T) {
	e := newEnv(t)
	c := mustContact(t, e.org, Contact{Type: TypeEphemeral})
	got := e.call("POST", contactsPath+"/"+c.ID+"/promotion", nil).must(t, 200).contact(t)
	if got.Type != TypeCurated {
		t.Fatalf("type %s", got.Type)
	}
	checkError(t, e.call("POST", contactsPath+"/nope/promotion", nil), 404, "not.found")
}

func TestSearchContacts(t *testing.T) {
	e := newEnv(t)
	for i := range 25 {
		mustContact(t, e.org, Contact{FirstName: fmt.Sprintf("Alice%02d", i), LastName: "Smith", WorkEmail: fmt.Sprintf("alice%02d@Example.com", i)})
	}
	mustContact(t, e.org, Contact{FirstName: "Bob", LastName: "Jones", CellPhone: &PhoneNumber{Display: "+13175550123"}})

	var l ContactListing
	e.call("GET", contactsPath+"?q=SMITH", nil).must(t, 200).decode(t, &l)
	if l.Total != 25 || len(l.Entities) != 20 || l.PageSize != 20 || l.PageNumber != 1 || l.PageCount != 2 || l.NextURI == "" || l.PreviousURI != "" {
		t.Fatalf("page 1: total %d len %d %+v", l.Total, len(l.Entities), l)
	}
	l = ContactListing{}
	e.call("GET", contactsPath+"?q=smith&pageNumber=2&sortOrder=firstName:desc", nil).must(t, 200).decode(t, &l)
	if len(l.Entities) != 5 || l.NextURI != "" || l.PreviousURI == "" || l.Entities[0].FirstName != "Alice04" {
		t.Fatalf("page 2: %d entities, first %q", len(l.Entities), l.Entities[0].FirstName)
	}
	for q, want := range map[string]int{"alice07@example": 1, "bob jones": 1, "555-0123": 1, "+1317555": 1, "": 26, "zzz": 0} {
		l = ContactListing{}
		e.call("GET", contactsPath+"?q="+url.QueryEscape(q)+"&pageSize=100", nil).must(t, 200).decode(t, &l)
		if l.Total != want {
			t.Errorf("q=%q total %d, want %d", q, l.Total, want)
		}
	}
	for _, qs := range []string{"pageSize=0", "pageSize=x", "pageSize=500&pageNumber=3", "sortOrder=email:asc", "sortOrder=firstName:up"} {
		checkError(t, e.call("GET", contactsPath+"?"+qs, nil), 400, "bad.request")
	}
}

func TestExternalSources(t *testing.T) {
	e := newEnv(t)
	s := e.call("POST", "/api/v2/externalcontacts/externalsources", map[string]any{"name": "CRM", "id": "ignored"}).must(t, 200)
	var src ExternalSource
	s.decode(t, &src)
	if src.ID == "" || src.ID == "ignored" || src.Name != "CRM" || src.Active == nil || !*src.Active || src.SelfURI == "" {
		t.Fatalf("source %+v", src)
	}
	var got ExternalSource
	e.call("GET", "/api/v2/externalcontacts/externalsources/"+src.ID, nil).must(t, 200).decode(t, &got)
	if got.ID != src.ID {
		t.Fatalf("get %+v", got)
	}
	var list struct{ Entities []ExternalSource }
	e.call("GET", "/api/v2/externalcontacts/externalsources", nil).must(t, 200).decode(t, &list)
	if len(list.Entities) != 1 {
		t.Fatalf("list %+v", list)
	}
	checkError(t, e.call("POST", "/api/v2/externalcontacts/externalsources", map[string]any{"name": " "}), 400, "bad.request")
	checkError(t, e.call("GET", "/api/v2/externalcontacts/externalsources/nope", nil), 404, "not.found")
	if _, err := e.org.CreateExternalSource(ExternalSource{ID: src.ID, Name: "dup"}); StatusOf(err) != 409 {
		t.Fatalf("duplicate id: %v", err)
	}
}

// fullContact carries one identifier of every field-derived type.
func fullContact(src string) Contact {
	return Contact{
		FirstName:      "Jane",
		WorkEmail:      "Jane.Doe@Example.com",
		PersonalEmail:  "jd@home.example",
		CellPhone:      &PhoneNumber{Display: "+13175550123"},
		WhatsAppID:     &WhatsAppID{PhoneNumber: &PhoneNumber{Display: "13175550999"}},
		TwitterID:      &apimodel.TwitterID{ID: "tw-1", ScreenName: "@jane_doe"},
		FacebookID:     &apimodel.FacebookID{IDs: []apimodel.ScopedID{{ScopedID: "fb-1"}}},
		LineID:         &apimodel.LineID{IDs: []apimodel.LineUserID{{UserID: "line-1"}}},
		InstagramID:    &apimodel.InstagramID{IDs: []apimodel.ScopedID{{ScopedID: "ig-1"}}},
		AppleOpaqueIDs: []apimodel.AppleOpaqueID{{Value: "apple-1"}},
		ExternalIDs:    []ExternalID{{ExternalSource: &ExternalSource{ID: src}, Value: "CUST-42"}},
	}
}

func TestIdentifierLookup(t *testing.T) {
	e := newEnv(t)
	src := mustSource(t, e.org, "CRM")
	other := mustSource(t, e.org, "Other")
	c := mustContact(t, e.org, fullContact(src.ID))
	if _, err := e.org.ClaimIdentifier(c.ID, IdentifierClaim{Operation: "Claim", Identifier: ContactIdentifier{Type: "Cookie", Value: "cookie-1"}}); err != nil {
		t.Fatal(err)
	}
	ext := func(id string) *ExternalSource { return &ExternalSource{ID: id} }
	tests := []struct {
		name   string
		in     ContactIdentifier
		status int
		code   string
	}{
		{"work email", ContactIdentifier{Type: "Email", Value: "jane.doe@example.com"}, 200, ""},
		{"email case and spaces", ContactIdentifier{Type: "Email", Value: " JANE.DOE@EXAMPLE.COM "}, 200, ""},
		{"personal email", ContactIdentifier{Type: "Email", Value: "jd@home.example"}, 200, ""},
		{"phone e164", ContactIdentifier{Type: "Phone", Value: "+13175550123"}, 200, ""},
		{"phone formatted", ContactIdentifier{Type: "Phone", Value: "+1 317 555 0123"}, 200, ""},
		{"phone without plus", ContactIdentifier{Type: "Phone", Value: "13175550123"}, 400, "bad.request"},
		{"phone garbage", ContactIdentifier{Type: "Phone", Value: "+abc"}, 400, "bad.request"},
		{"phone miss", ContactIdentifier{Type: "Phone", Value: "+13175550000"}, 404, "not.found"},
		{"whatsapp no plus", ContactIdentifier{Type: "SocialWhatsapp", Value: "13175550999"}, 200, ""},
		{"whatsapp plus", ContactIdentifier{Type: "SocialWhatsapp", Value: "+13175550999"}, 200, ""},
		{"twitter", ContactIdentifier{Type: "SocialTwitter", Value: "tw-1"}, 200, ""},
		{"facebook", ContactIdentifier{Type: "SocialFacebook", Value: "fb-1"}, 200, ""},
		{"line", ContactIdentifier{Type: "SocialLine", Value: "line-1"}, 200, ""},
		{"instagram", ContactIdentifier{Type: "SocialInstagram", Value: "ig-1"}, 200, ""},
		{"apple", ContactIdentifier{Type: "AppleOpaqueId", Value: "apple-1"}, 200, ""},
		{"cookie claim", ContactIdentifier{Type: "Cookie", Value: "cookie-1"}, 200, ""},
		{"external id", ContactIdentifier{Type: "ExternalId", Value: "CUST-42", ExternalSource: ext(src.ID)}, 200, ""},
		{"external id other source", ContactIdentifier{Type: "ExternalId", Value: "CUST-42", ExternalSource: ext(other.ID)}, 404, "not.found"},
		{"external id no source", ContactIdentifier{Type: "ExternalId", Value: "CUST-42"}, 400, "bad.request"},
		{"types are case-sensitive", ContactIdentifier{Type: "email", Value: "jane.doe@example.com"}, 400, "bad.request"},
		{"blueprint spelling", ContactIdentifier{Type: "Social_twitter", Value: "tw-1"}, 400, "bad.request"},
		{"no type", ContactIdentifier{Value: "x"}, 400, "bad.request"},
		{"no value", ContactIdentifier{Type: "Email"}, 400, "bad.request"},
		{"email miss", ContactIdentifier{Type: "Email", Value: "nobody@example.com"}, 404, "not.found"},
		{"twitter screen name is not the id", ContactIdentifier{Type: "SocialTwitter", Value: "@jane_doe"}, 404, "not.found"},
	}
	for _, path := range []string{"/api/v2/externalcontacts/identifierlookup", "/api/v2/externalcontacts/identifierlookup/contacts"} {
		for _, tc := range tests {
			t.Run(path+"/"+tc.name, func(t *testing.T) {
				r := e.call("POST", path, tc.in)
				if tc.status != 200 {
					checkError(t, r, tc.status, tc.code)
					return
				}
				if got := r.must(t, 200).contact(t); got.ID != c.ID {
					t.Fatalf("found %s, want %s", got.ID, c.ID)
				}
			})
		}
	}
	// expand=identifiers fills identifiers.
	got := e.call("POST", "/api/v2/externalcontacts/identifierlookup/contacts?expand=identifiers", ContactIdentifier{Type: "Email", Value: "jd@home.example"}).must(t, 200).contact(t)
	if len(got.Identifiers) != 11 {
		t.Fatalf("identifiers %+v", got.Identifiers)
	}
}

func TestIdentifierOwnershipMostRecentWins(t *testing.T) {
	e := newEnv(t)
	a := mustContact(t, e.org, Contact{WorkEmail: "shared@example.com", FirstName: "A"})
	time.Sleep(2 * time.Millisecond)
	b := mustContact(t, e.org, Contact{OtherEmail: "shared@example.com", FirstName: "B"})
	got, err := e.org.LookupIdentifier(ContactIdentifier{Type: "Email", Value: "shared@example.com"})
	if err != nil || got.ID != b.ID {
		t.Fatalf("got %v %v, want B", got.ID, err)
	}
	// Updating A without touching the email does not steal it back...
	if _, err := e.org.UpdateContact(a.ID, Contact{WorkEmail: "shared@example.com", FirstName: "A2"}); err != nil {
		t.Fatal(err)
	}
	got, _ = e.org.LookupIdentifier(ContactIdentifier{Type: "Email", Value: "shared@example.com"})
	if got.ID != b.ID {
		t.Fatalf("unrelated update moved ownership to %s", got.ID)
	}
	// ...but B dropping it hands it back.
	if _, err := e.org.UpdateContact(b.ID, Contact{FirstName: "B"}); err != nil {
		t.Fatal(err)
	}
	got, _ = e.org.LookupIdentifier(ContactIdentifier{Type: "Email", Value: "shared@example.com"})
	if got.ID != a.ID {
		t.Fatalf("got %s, want A", got.ID)
	}
}

func TestIdentifiersListClaimRelease(t *testing.T) {
	e := newEnv(t)
	src := mustSource(t, e.org, "CRM")
	a := mustContact(t, e.org, Contact{WorkEmail: "a@example.com"})
	b := mustContact(t, e.org, Contact{WorkEmail: "b@example.com"})
	idPath := func(id string) string { return contactsPath + "/" + id + "/identifiers" }

	var list struct{ Entities []ContactIdentifier }
	e.call("GET", idPath(a.ID), nil).must(t, 200).decode(t, &list)
	if len(list.Entities) != 1 || list.Entities[0].Type != "Email" || list.Entities[0].Value != "a@example.com" || list.Entities[0].DateCreated.IsZero() {
		t.Fatalf("identifiers %+v", list)
	}
	checkError(t, e.call("GET", idPath("nope"), nil), 404, "not.found")

	claim := func(id, op string, ci ContactIdentifier) resp {
		return e.call("PATCH", idPath(id), IdentifierClaim{Operation: op, Identifier: ci})
	}
	cookie := ContactIdentifier{Type: "Cookie", Value: "ck-1"}
	var got ContactIdentifier
	claim(a.ID, "Claim", cookie).must(t, 200).decode(t, &got)
	if got.Type != "Cookie" || got.Value != "ck-1" || got.DateCreated.IsZero() {
		t.Fatalf("claim %+v", got)
	}
	claim(a.ID, "Claim", cookie).must(t, 200) // idempotent
	if c, _ := e.org.LookupIdentifier(cookie); c.ID != a.ID {
		t.Fatal("cookie not owned by A")
	}
	// Claiming it for B is refused: a claim never steals an identifier.
	checkError(t, claim(b.ID, "Claim", cookie), 409, "conflict")
	if c, _ := e.org.LookupIdentifier(cookie); c.ID != a.ID {
		t.Fatal("the refused claim moved the cookie")
	}
	// Once A releases it, B may claim it.
	claim(a.ID, "Release", cookie).must(t, 200)
	claim(b.ID, "Claim", cookie).must(t, 200)
	if c, _ := e.org.LookupIdentifier(cookie); c.ID != b.ID {
		t.Fatal("cookie not claimed by B")
	}
	e.call("GET", idPath(a.ID), nil).must(t, 200).decode(t, &list)
	if len(list.Entities) != 1 {
		t.Fatalf("A still lists the released claim: %+v", list)
	}
	claim(b.ID, "Claim", ContactIdentifier{Type: "ExternalId", Value: "X-1", ExternalSource: &ExternalSource{ID: src.ID}}).must(t, 200)
	checkError(t, claim(b.ID, "Claim", ContactIdentifier{Type: "ExternalId", Value: "X-1", ExternalSource: &ExternalSource{ID: "nope"}}), 400, "bad.request")
	checkError(t, claim(b.ID, "Claim", ContactIdentifier{Type: "Phone", Value: "3175550123"}), 400, "bad.request")
	checkError(t, claim(b.ID, "Steal", cookie), 400, "bad.request")
	checkError(t, claim("nope", "Claim", cookie), 404, "not.found")

	// Release.
	claim(b.ID, "Release", cookie).must(t, 200)
	checkError(t, e.call("POST", "/api/v2/externalcontacts/identifierlookup/contacts", cookie), 404, "not.found")
	checkError(t, claim(b.ID, "Release", cookie), 404, "not.found")
	checkError(t, claim(b.ID, "Release", ContactIdentifier{Type: "Email", Value: "b@example.com"}), 400, "bad.request")
}

func TestUnknownRouteAndMethod(t *testing.T) {
	e := newEnv(t)
	checkError(t, e.call("GET", "/api/v2/externalcontacts/nothing", nil), 404, "not.found")
	checkError(t, e.call(http.MethodDelete, "/api/v2/externalcontacts/identifierlookup", nil), 404, "not.found")
	if !slices.Contains(IdentifierTypes, "ExternalId") {
		t.Fatal("identifier types")
	}
}
