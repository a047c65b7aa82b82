package config

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/render/diag"
	"github.com/bpgen/bpgen/internal/render/phonemeta"
)

// Validate checks what the schema cannot express: regexes, duplicates, names
// that would break Archy substitution, and options that contradict each other.
func Validate(c *Config, src *Source) diag.List {
	v := validator{src: src}
	v.names(c)
	v.messages(c)
	v.identifiers(c)
	v.options(c)
	v.limits(c)
	return v.out
}

type validator struct {
	src *Source
	out diag.List
}

func (v *validator) add(sev diag.Severity, rule diag.Rule, ptr, format string, args ...any) {
	v.out = append(v.out, diag.Diagnostic{Pos: v.src.Pos(ptr), Severity: sev, Rule: rule, Field: Field(ptr), Message: fmt.Sprintf(format, args...)})
}

func (v *validator) names(c *Config) {
	check := func(ptr, name string) {
		if name == "" {
			return
		}
		switch {
		case strings.Contains(name, "{{") || strings.Contains(name, "}}"):
			// Archy's pre-processor treats {{...}} as a substitution key and fails the publish.
			v.add(diag.Error, diag.UnsafeName, ptr, "%s contains {{ or }}, which Archy treats as a substitution placeholder", shown(name))
		case strings.IndexFunc(name, unicode.IsControl) >= 0:
			v.add(diag.Error, diag.UnsafeName, ptr, "%s contains a control character", shown(name))
		case strings.Contains(name, sentinelMarker):
			v.add(diag.Error, diag.UnsafeName, ptr, "%s contains %q, which bpgen reserves for its own placeholders", shown(name), sentinelMarker)
		}
	}
	n := c.Names
	full := func(s string) string { return n.Prefix + s + n.Suffix }
	fields := []struct{ ptr, val string }{
		{"/names/prefix", n.Prefix}, {"/names/suffix", n.Suffix},
		{"/names/botFlow", n.BotFlow}, {"/names/commonModule", n.CommonModule}, {"/names/inboundFlow", n.InboundFlow},
		{"/names/integration", n.Integration}, {"/names/oauthClient", n.OAuthClient}, {"/names/role", n.Role},
		{"/names/queue", n.Queue}, {"/names/messenger", n.Messenger}, {"/names/openMessaging", n.OpenMessaging},
		{"/names/actions/lookup", n.Actions.Lookup}, {"/names/actions/conversation", n.Actions.Conversation},
		{"/names/actions/contact", n.Actions.Contact}, {"/names/actions/merge", n.Actions.Merge}, {"/names/actions/associate", n.Actions.Associate},
		{"/names/actions/claim", n.Actions.Claim},
		{"/dataActions/category", c.DataActions.Category}, {"/division", c.Division},
	}
	for _, f := range fields {
		check(f.ptr, f.val)
		if f.val != "" && strings.TrimSpace(f.val) != f.val && f.ptr != "/names/prefix" && f.ptr != "/names/suffix" {
			v.add(diag.Error, diag.UnsafeName, f.ptr, "%s has leading or trailing spaces; Genesys Cloud trims names, so references by name would not match", shown(f.val))
		}
	}
	for i, id := range c.Identifiers {
		if id.ExternalSource != nil {
			check(fmt.Sprintf("/identifiers/%d/externalSource/name", i), id.ExternalSource.Name)
		}
	}
	// Names that Architect resolves in one namespace must differ once prefixed.
	dup := func(group string, items []struct{ ptr, val string }) {
		seen := map[string]string{}
		for _, it := range items {
			if it.val == "" {
				continue
			}
			key := strings.ToLower(full(it.val))
			if first, ok := seen[key]; ok {
				v.add(diag.Error, diag.DuplicateName, it.ptr, "%s name %s is already used by %s", group, shown(full(it.val)), Field(first))
				continue
			}
			seen[key] = it.ptr
		}
	}
	dup("flow", []struct{ ptr, val string }{{"/names/botFlow", n.BotFlow}, {"/names/commonModule", n.CommonModule}, {"/names/inboundFlow", n.InboundFlow}})
	dup("data action", []struct{ ptr, val string }{{"/names/actions/lookup", n.Actions.Lookup}, {"/names/actions/conversation", n.Actions.Conversation}, {"/names/actions/contact", n.Actions.Contact}, {"/names/actions/merge", n.Actions.Merge}, {"/names/actions/associate", n.Actions.Associate}, {"/names/actions/claim", n.Actions.Claim}})
}

// messages checks customer-facing text for what Archy's pre-processor would
// take as a substitution placeholder.
func (v *validator) messages(c *Config) {
	check := func(ptr, text string) {
		if strings.Contains(text, "{{") || strings.Contains(text, "}}") {
			v.add(diag.Error, diag.UnsafeName, ptr, "the text contains {{ or }}, which Archy treats as a substitution placeholder")
		}
	}
	ask := func(ptr string, a *Ask) {
		if a != nil {
			check(ptr+"/question", a.Question)
			check(ptr+"/noMatch", a.NoMatch)
			check(ptr+"/noInput", a.NoInput)
			check(ptr+"/pattern", a.Pattern)
		}
	}
	for i, id := range c.Identifiers {
		ask("/identifiers/"+strconv.Itoa(i)+"/ask", id.Ask)
	}
	if c.Matching.SecondFactor != nil {
		ask("/matching/secondFactor/ask", c.Matching.SecondFactor.Ask)
	}
	b := c.Bot
	for ptr, text := range map[string]string{
		"/bot/errorMessage": b.ErrorMessage, "/bot/handoverMessage": b.HandoverMessage,
		"/bot/noMatchApology": b.NoMatchApology, "/bot/noInputApology": b.NoInputApology,
		"/bot/statusMessages/linked": b.StatusMessages.Linked, "/bot/statusMessages/notLinked": b.StatusMessages.NotLinked,
	} {
		check(ptr, text)
	}
}

// sentinelMarker is the prefix of the placeholders bpgen writes into flow YAML.
const sentinelMarker = contract.PlaceholderMarker

// SentinelMarker exposes the reserved placeholder prefix to the flow writer.
func SentinelMarker() string { return sentinelMarker }

func (v *validator) identifiers(c *Config) {
	seenType := map[string]int{}
	slots := map[string]string{}
	slot := func(ptr, name string) {
		key := strings.ToLower(name)
		if first, ok := slots[key]; ok {
			v.add(diag.Error, diag.DuplicateName, ptr, "bot slot %s is already used by %s", shown(name), Field(first))
			return
		}
		slots[key] = ptr
	}
	for i, id := range c.Identifiers {
		base := "/identifiers/" + strconv.Itoa(i)
		info, ok := Info(id.Type)
		if !ok {
			continue // the schema reported it
		}
		if first, dup := seenType[id.Type]; dup {
			v.add(diag.Error, diag.DuplicateIdent, base+"/type", "identifier type %s is already listed at identifiers[%d]", id.Type, first)
		} else {
			seenType[id.Type] = i
		}
		if id.ParticipantData == "" && id.Ask == nil {
			v.add(diag.Error, diag.IdentifierSource, base, "%s has no source: set participantData, ask, or both", id.Type)
		}
		if id.Ask != nil {
			if !info.Askable {
				v.add(diag.Error, diag.OptionConflict, base+"/ask", "a customer cannot type their %s; take it from participantData instead", id.Type)
			}
			name := id.Ask.Slot
			if name == "" {
				name = info.Slot
			}
			slot(base+"/ask", name)
			v.regex(base+"/ask/pattern", id.Ask.Pattern)
		}
		if id.DefaultCountry != "" {
			if !info.IsPhone {
				v.add(diag.Error, diag.OptionConflict, base+"/defaultCountry", "defaultCountry applies to %s only, not %s", strings.Join(contract.PhoneTypes(), " and "), id.Type)
			} else if _, ok := phonemeta.Lookup(id.DefaultCountry); !ok {
				v.add(diag.Error, diag.InvalidCountry, base+"/defaultCountry", "%s is not a region with a phone numbering plan", shown(id.DefaultCountry))
			}
		}
		switch {
		case info.External && id.ExternalSource == nil:
			v.add(diag.Error, diag.OptionConflict, base, "ExternalId needs externalSource.name: external ids are scoped by their source")
		case !info.External && id.ExternalSource != nil:
			v.add(diag.Error, diag.OptionConflict, base+"/externalSource", "externalSource applies to ExternalId only, not %s", id.Type)
		}
	}
	if sf := c.Matching.SecondFactor; sf != nil {
		if sf.ParticipantData == "" && sf.Ask == nil {
			v.add(diag.Error, diag.IdentifierSource, "/matching/secondFactor", "the second factor has no source: set participantData, ask, or both")
		}
		if sf.Ask != nil {
			name := sf.Ask.Slot
			if name == "" {
				name = SecondFactorSlot(sf.Field)
			}
			slot("/matching/secondFactor/ask", name)
			v.regex("/matching/secondFactor/ask/pattern", sf.Ask.Pattern)
		}
	}
}

func (v *validator) regex(ptr, pattern string) {
	if pattern == "" {
		return
	}
	if _, err := regexp.Compile(pattern); err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "error parsing regexp: ")
		v.add(diag.Error, diag.InvalidRegex, ptr, "invalid regular expression: %s", msg)
	}
}

// maxShown is the longest value an error message quotes back.
const maxShown = 40

// shown quotes a rejected value for an error message, unless it is long or
// looks like a credential: a secret pasted into the wrong field must not be
// printed back (into a terminal, a CI log). The field is always named.
func shown(val string) string {
	if len(val) > maxShown || looksSecret(val) {
		return fmt.Sprintf("the value (%d characters, not shown)", len(val))
	}
	return strconv.Quote(val)
}

// looksSecret spots values that are probably credentials: URL userinfo, a
// PEM block, a bearer/basic header, or a long unbroken run of token
// characters.
var secretish = regexp.MustCompile(`(?i)://[^/\s@]+@|-----BEGIN|\b(bearer|basic)\s+\S|[A-Za-z0-9+/_=-]{24,}`)

func looksSecret(val string) bool { return secretish.MatchString(val) }

// secretQueryParam matches query parameter names that carry a credential.
var secretQueryParam = regexp.MustCompile(`(?i)^(token|access_?token|id_?token|refresh_?token|api_?key|apikey|key|secret|client_?secret|sig|signature|password|passwd|pwd|pass|auth|authorization|code|x-amz-signature|x-goog-signature|sas|sv)$|token|secret|passw|api_?key|signature`)

// noCredentialsInURL refuses a URL that carries a credential: userinfo or a
// token-like query parameter. Such a URL is written into variables.tf and
// dev.auto.tfvars, i.e. into the repository. The message names what is
// wrong, never the value.
func (v *validator) noCredentialsInURL(ptr, raw string) {
	if raw == "" {
		return
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// Not ours to parse further; never echo what may be a secret.
		if strings.Contains(raw, "@") {
			v.add(diag.Error, diag.SecretInFile, ptr, "must not carry credentials (user:password@ before the host); the value is not shown")
		}
		return
	}
	if u.User != nil {
		v.add(diag.Error, diag.SecretInFile, ptr, "must not carry credentials (user:password@ before the host): they would be written into variables.tf and dev.auto.tfvars; the webhook is authenticated with its signature secret (TF_VAR_open_messaging_webhook_secret)")
	}
	var bad []string
	for name := range u.Query() {
		if secretQueryParam.MatchString(name) {
			bad = append(bad, strconv.Quote(name))
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		v.add(diag.Error, diag.SecretInFile, ptr, "must not carry a credential in its query (parameter %s): it would be written into variables.tf and dev.auto.tfvars; the webhook is authenticated with its signature secret (TF_VAR_open_messaging_webhook_secret)", strings.Join(bad, ", "))
	}
}

func (v *validator) options(c *Config) {
	v.agentData(c)
	if p := c.Matching.ConfirmPlatformLink; p != nil && *p && !(c.Channels.OpenMessaging.Enabled && c.Channels.OpenMessaging.ResolveIdentities) {
		v.add(diag.Error, diag.OptionConflict, "/matching/confirmPlatformLink", "the platform links a conversation to a known contact only with channels.openMessaging.resolveIdentities: true")
	}
	if s := c.Link.Stitch; s != nil && *s {
		switch {
		case c.Link.Strategy != "associate":
			v.add(diag.Error, diag.OptionConflict, "/link/stitch", "stitch applies to link.strategy associate: a merge already carries the conversation contact's identifiers into the merge set")
		case !(c.Channels.OpenMessaging.Enabled && c.Channels.OpenMessaging.ResolveIdentities):
			v.add(diag.Error, diag.OptionConflict, "/link/stitch", "stitch claims the open-messaging sender's id, which identity resolution keys on: it needs channels.openMessaging.resolveIdentities: true")
		case c.Matching.ConfirmPlatformLink != nil && !*c.Matching.ConfirmPlatformLink:
			v.add(diag.Error, diag.OptionConflict, "/link/stitch", "stitch reads the sender's id when the flows check the conversation's contact before asking: it needs matching.confirmPlatformLink")
		}
	}
	if !c.WebMessagingEnabled() && !c.Channels.OpenMessaging.Enabled {
		v.add(diag.Error, diag.NoChannel, "/channels", "no channel is enabled: enable webMessaging or openMessaging")
	}
	om := c.Channels.OpenMessaging
	if om.Enabled && om.WebhookURL == "" {
		v.add(diag.Error, diag.OptionConflict, "/channels/openMessaging", "openMessaging needs webhookUrl (the outbound notification webhook)")
	}
	v.noCredentialsInURL("/channels/openMessaging/webhookUrl", om.WebhookURL)
	if om.ResolveIdentities {
		ok := false
		for _, id := range c.Identifiers {
			ok = ok || id.Type == contract.IdentifierExternalID
		}
		if !ok {
			v.add(diag.Error, diag.OptionConflict, "/channels/openMessaging/resolveIdentities", "platform identity resolution for open messaging keys on an external source: add an ExternalId identifier")
		}
		if !om.Enabled {
			v.add(diag.Warning, diag.OptionConflict, "/channels/openMessaging/resolveIdentities", "ignored: openMessaging is not enabled")
		}
	}
	if !c.WebMessagingEnabled() && (len(c.Channels.WebMessaging.AllowedDomains) > 0 || c.Channels.WebMessaging.ResolveIdentities) {
		v.add(diag.Warning, diag.OptionConflict, "/channels/webMessaging", "webMessaging settings are ignored: webMessaging is disabled")
	}
	if c.Queue.Existing && len(c.Queue.Members) > 0 {
		v.add(diag.Error, diag.OptionConflict, "/queue/members", "members cannot be managed on an existing queue; remove members or set existing: false")
	}
	if c.Link.Strategy == "associate" && c.Link.MergeEndpoint != "" {
		v.add(diag.Warning, diag.OptionConflict, "/link/mergeEndpoint", "ignored: strategy is associate, which never merges")
	}
	if c.DataActions.Category != "" && c.DataActions.Credentials != "existingIntegration" {
		v.add(diag.Warning, diag.OptionConflict, "/dataActions/category", "ignored: the category is the integration's name unless credentials is existingIntegration")
	}
	if c.DataActions.AllDivisions && c.DataActions.Credentials != "" && c.DataActions.Credentials != "create" {
		v.add(diag.Warning, diag.OptionConflict, "/dataActions/allDivisions", "ignored: bpgen only grants roles to the OAuth client it creates")
	}
	if c.Provider.Version != "" && c.Provider.Version != ProviderVersion {
		v.add(diag.Warning, diag.ProviderVersion, "/provider/version", "bpgen checks bundles against provider %s; %s is pinned but unchecked", ProviderVersion, c.Provider.Version)
	}
}

// agentData keeps the attributes the flows write apart from the keys they
// read: writing one would overwrite what the website or partner sent.
func (v *validator) agentData(c *Config) {
	a := c.AgentData
	if a.Enabled != nil && !*a.Enabled {
		return
	}
	prefix := a.Prefix
	if prefix == "" {
		prefix = DefaultAgentPrefix
	}
	written := map[string]bool{}
	for _, k := range AgentAttributes {
		written[prefix+k] = true
	}
	check := func(ptr, key string) {
		if written[key] {
			v.add(diag.Error, diag.OptionConflict, ptr, "participant data key %s is one the flows write for the agent (agentData.prefix %s); choose another key or prefix", shown(key), shown(prefix))
		}
	}
	for i, id := range c.Identifiers {
		check(fmt.Sprintf("/identifiers/%d/participantData", i), id.ParticipantData)
	}
	if sf := c.Matching.SecondFactor; sf != nil {
		check("/matching/secondFactor/participantData", sf.ParticipantData)
	}
}
