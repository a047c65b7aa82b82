package vet

import (
	"regexp"
	"strings"
	"testing"

	"github.com/bpgen/bpgen/internal/archy/flowyaml"
)

// declared walks the path's prefixes by hand; it answers as the regexp and
// Split/Join version it replaced did.
func TestDeclaredMatchesReference(t *testing.T) {
	scoped := regexp.MustCompile(`^(Flow|State|Common|Slot|Task)\.`)
	f := &flowView{vars: map[string]*flowyaml.Node{}}
	for _, v := range []string{"Flow.Contact", "Flow.", "State.a.b", "Common.x", "Slot.Email", "Task.t", "Flow.x..y"} {
		f.vars[v] = &flowyaml.Node{}
	}
	reference := func(path string) bool {
		if !scoped.MatchString(path) {
			return true
		}
		parts := strings.Split(path, ".")
		for i := len(parts); i >= 2; i-- {
			if _, ok := f.vars[strings.Join(parts[:i], ".")]; ok {
				return true
			}
		}
		return false
	}
	for _, p := range []string{"", "Flow", "Flow.", "Flow..", "Flow.Contact", "Flow.Contact.id", "Flow.Contacts", "Flow.Other", "Flow.Other.Contact",
		"State.a", "State.a.b", "State.a.b.c", "State.a.c", "Common.x.y.z", "Slot.Email", "Slot.email", "Task.t.u", "Message.Message.body",
		"Flowx.a", "flow.Contact", ".Flow.Contact", "Flow.x..y", "Flow.x..y.z", "Flow.x.", "Call", "Session.x"} {
		if got, want := f.declared(p), reference(p); got != want {
			t.Errorf("declared(%q) = %v, want %v", p, got, want)
		}
	}
}
