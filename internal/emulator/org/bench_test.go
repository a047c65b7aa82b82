package org

import (
	"fmt"
	"testing"
)

func seedContacts(b *testing.B, o *Org, n int) {
	b.Helper()
	for i := range n {
		if _, err := o.CreateContact(Contact{
			FirstName: fmt.Sprint("User", i),
			WorkEmail: fmt.Sprintf("user%d@example.com", i),
			CellPhone: &PhoneNumber{Display: fmt.Sprintf("+1317%07d", i)},
		}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLookupIdentifier(b *testing.B) {
	o := New()
	seedContacts(b, o, 10000)
	b.Run("Email", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := o.LookupIdentifier(ContactIdentifier{Type: "Email", Value: fmt.Sprintf("USER%d@example.com", i%10000)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Phone", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			if _, err := o.LookupIdentifier(ContactIdentifier{Type: "Phone", Value: fmt.Sprintf("+1317%07d", i%10000)}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("EmailParallel", func(b *testing.B) {
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				i++
				if _, err := o.LookupIdentifier(ContactIdentifier{Type: "Email", Value: fmt.Sprintf("user%d@example.com", i%10000)}); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("EmailHTTP", func(b *testing.B) {
		e := newEnv(b)
		seedContacts(b, e.org, 1000)
		for i := 0; b.Loop(); i++ {
			e.call("POST", lookupPath, ContactIdentifier{Type: "Email", Value: fmt.Sprintf("user%d@example.com", i%1000)}).must(b, 200)
		}
	})
}

func BenchmarkStartConversation(b *testing.B) {
	b.Run("WebMessaging", func(b *testing.B) {
		o := New()
		for b.Loop() {
			if _, err := o.StartConversation(StartConversationOptions{CustomAttributes: map[string]string{"k": "v"}, Text: "hi"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("OpenResolved", func(b *testing.B) {
		o := New()
		src, _ := o.CreateExternalSource(ExternalSource{Name: "OM"})
		in, _ := o.AddOpenIntegration(OpenIntegration{Name: "IR", ExternalSourceID: src.ID})
		seedContacts(b, o, 1000)
		for i := 0; b.Loop(); i++ {
			// Alternate a known email (linked) and an unknown sender (ephemeral).
			from := OpenFrom{ID: fmt.Sprint("s", i), IDType: "Opaque", Email: fmt.Sprintf("user%d@example.com", i%1000)}
			if i%2 == 1 {
				from.Email = ""
			}
			if _, err := o.StartConversation(StartConversationOptions{Channel: ChannelOpen, IntegrationID: in.ID, From: from, Text: "hi"}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
