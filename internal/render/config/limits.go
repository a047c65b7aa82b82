package config

import (
	"github.com/bpgen/bpgen/internal/render/diag"
	"github.com/bpgen/bpgen/internal/render/limits"
)

// limits checks every value the pinned provider bounds, composed as the
// model composes it, against the one table in internal/render/limits. A composed
// name is reported at the field the user wrote: the name itself, else the
// prefix or suffix that made it too long.
func (v *validator) limits(c *Config) {
	n, dn := c.Names, DefaultNames
	origin := func(ptr string) string {
		switch {
		case v.src.Has(ptr):
			return ptr
		case n.Prefix != "" && (len(n.Prefix) >= len(n.Suffix)):
			return "/names/prefix"
		case n.Suffix != "":
			return "/names/suffix"
		}
		return ptr
	}
	name := func(key, ptr, val, def string) {
		full := n.Compose(val, def)
		if msg := limits.Get(key).CheckString(full); msg != "" {
			v.add(diag.Error, diag.ProviderLimit, origin(ptr), "composed name %q (prefix + name + suffix) %s", full, msg)
		}
	}
	a := n.Actions
	actions := []struct{ ptr, val, def string }{
		{"/names/actions/lookup", a.Lookup, dn.Actions.Lookup},
		{"/names/actions/conversation", a.Conversation, dn.Actions.Conversation},
	}
	if c.Link.Strategy == "associate" {
		actions = append(actions, struct{ ptr, val, def string }{"/names/actions/associate", a.Associate, dn.Actions.Associate},
			struct{ ptr, val, def string }{"/names/actions/contact", a.Contact, dn.Actions.Contact},
			struct{ ptr, val, def string }{"/names/actions/claim", a.Claim, dn.Actions.Claim})
	} else {
		actions = append(actions,
			struct{ ptr, val, def string }{"/names/actions/contact", a.Contact, dn.Actions.Contact},
			struct{ ptr, val, def string }{"/names/actions/merge", a.Merge, dn.Actions.Merge})
	}
	for _, x := range actions {
		name(limits.ActionName, x.ptr, x.val, x.def)
	}
	// The category is the integration's name unless an existing integration's category is given.
	if c.DataActions.Credentials == "existingIntegration" && c.DataActions.Category != "" {
		name(limits.ActionCategory, "/dataActions/category", c.DataActions.Category, "")
	} else {
		name(limits.ActionCategory, "/names/integration", n.Integration, dn.Integration)
	}
	if c.WebMessagingEnabled() {
		name(limits.MessengerConfigName, "/names/messenger", n.Messenger, dn.Messenger)
	}
	if c.DataActions.TimeoutSeconds != 0 {
		if msg := limits.Get(limits.ActionTimeout).CheckInt(c.DataActions.TimeoutSeconds); msg != "" {
			v.add(diag.Error, diag.ProviderLimit, "/dataActions/timeoutSeconds", "%s", msg)
		}
	}
	if c.Language != "" {
		if msg := limits.Get(limits.FlowLanguage).CheckString(c.Language); msg != "" {
			v.add(diag.Error, diag.ProviderLimit, "/language", "%s", msg)
		}
	}
}
