package scenario

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bpgen/bpgen/internal/emulator/architect"
	"github.com/bpgen/bpgen/internal/format/manifest"
)

// Applies reports whether the scenario applies to the bundle, and if not,
// why not (the first unmet requirement).
func (s *Scenario) Applies(b *architect.Bundle) (bool, string) {
	m := b.Manifest
	r := s.Requires
	ident := func(t string) *manifest.Identifier {
		for i := range m.Identifiers {
			if m.Identifiers[i].Type == t {
				return &m.Identifiers[i]
			}
		}
		return nil
	}
	if r.Strategy != "" && m.Strategy != r.Strategy {
		return false, fmt.Sprintf("requires strategy %s, the bundle uses %s", r.Strategy, m.Strategy)
	}
	channels := map[string]bool{"webMessaging": m.Channels.WebMessaging != nil, "openMessaging": m.Channels.OpenMessaging != nil}
	if r.Channel != "" && !channels[r.Channel] {
		return false, "requires the " + r.Channel + " channel"
	}
	if r.ResolvesIdentities != nil && channels[r.Channel] {
		resolves := false
		if r.Channel == "webMessaging" {
			resolves = m.Channels.WebMessaging.ResolveIdentities
		} else {
			resolves = m.Channels.OpenMessaging.ResolveIdentities
		}
		if resolves != *r.ResolvesIdentities {
			return false, fmt.Sprintf("requires identity resolution on %s to be %v", r.Channel, *r.ResolvesIdentities)
		}
	}
	for _, c := range s.Conversations {
		ch := c.Channel
		if ch == "" {
			ch = "webMessaging"
		}
		if !channels[ch] {
			return false, fmt.Sprintf("conversation %q uses %s, which the bundle does not deploy", c.Name, ch)
		}
	}
	for _, t := range r.Identifiers {
		if ident(t) == nil {
			return false, "requires the " + t + " identifier"
		}
	}
	for _, t := range r.Asks {
		if id := ident(t); id == nil || id.Slot == "" {
			return false, "requires the bot to ask for " + t
		}
	}
	for _, t := range r.ParticipantData {
		if id := ident(t); id == nil || id.ParticipantData == "" {
			return false, "requires " + t + " from participant data"
		}
	}
	if r.First != "" && (len(m.Identifiers) == 0 || m.Identifiers[0].Type != r.First) {
		return false, "requires " + r.First + " as the first identifier"
	}
	for _, t := range sortedKeys(r.DefaultCountry) {
		if id := ident(t); id == nil || !strings.EqualFold(id.DefaultCountry, r.DefaultCountry[t]) {
			return false, fmt.Sprintf("requires %s with default country %s", t, r.DefaultCountry[t])
		}
	}
	if len(r.SecondFactor) > 0 {
		var have []string
		if sf := m.SecondFactor; sf == nil {
			have = []string{"none"}
		} else {
			if sf.Slot != "" {
				have = append(have, "asked")
			}
			if sf.ParticipantData != "" {
				have = append(have, "participantData")
			}
		}
		ok := false
		for _, h := range have {
			ok = ok || slices.Contains(r.SecondFactor, h)
		}
		if !ok {
			return false, "requires a second factor that is " + strings.Join(r.SecondFactor, " or ") + "; the bundle's is " + strings.Join(have, " and ")
		}
	}
	if r.AgentData != "" {
		have := "none"
		if ad := m.AgentData; ad != nil {
			have = "written"
			if ad.IdentifierValue {
				have = "withValue"
			}
		}
		if have != r.AgentData {
			return false, "requires agent data " + r.AgentData + "; the bundle's is " + have
		}
	}
	if r.MinRetries > 0 {
		bs, ok := b.BotSettings()
		if !ok || bs.NoMatchesMax < r.MinRetries {
			return false, fmt.Sprintf("requires a bot with at least %d retries", r.MinRetries)
		}
	}
	for _, f := range s.Faults {
		if f.Action != "" {
			if _, _, ok := b.Endpoint(f.Action); !ok {
				return false, "a fault targets the " + f.Action + " data action, which the bundle does not have"
			}
		}
	}
	return true, ""
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
