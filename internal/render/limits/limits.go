// Package limits is the one table of the bounds the pinned Terraform provider
// (mypurecloud/genesyscloud, config.ProviderVersion) and the platform put on the
// values bpgen renders: name lengths, integer ranges and enums such as Architect
// language tags. Every entry cites the provider source it comes from, so
// `bpgen validate` refuses a config the provider's `terraform validate` would.
package limits

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
)

// ProviderCommit is the commit of the provider tag v1.82.0 the sources below refer to.
const ProviderCommit = "c3a5ecf814defe94c211170fdcdf5b2396ac1dad"

// Limit bounds one attribute of one resource.
type Limit struct {
	Resource  string // e.g. genesyscloud_integration_action
	Attribute string // e.g. name
	// MinLen/MaxLen bound a string's length in UTF-8 bytes, as the provider measures it (0 MaxLen: none).
	MinLen, MaxLen int
	// Min/Max bound an integer (both 0: none).
	Min, Max int
	// Enum is the closed set of accepted values (nil: any).
	Enum []string
	// Source is where the bound is stated.
	Source string
}

// Keys of the table, so callers name a limit by symbol, not by literal.
const (
	ActionName               = "genesyscloud_integration_action.name"
	ActionCategory           = "genesyscloud_integration_action.category"
	ActionTimeout            = "genesyscloud_integration_action.config_timeout_seconds"
	MessengerConfigName      = "genesyscloud_webdeployments_configuration.name"
	OAuthTokenValidity       = "genesyscloud_oauth_client.access_token_validity_seconds"
	FlowLanguage             = "genesyscloud_flow.defaultLanguage"
	MessengerDefaultLanguage = "genesyscloud_webdeployments_configuration.default_language"
)

const src = "terraform-provider-genesyscloud v1.82.0 "

//go:embed architect_languages.txt
var architectLanguagesTxt string

// ArchitectLanguages are the language tags the provider's Architect resources accept.
var ArchitectLanguages = parseList(architectLanguagesTxt)

func parseList(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out
}

// Table is every bound bpgen checks, keyed by resource.attribute.
var Table = map[string]Limit{
	ActionName: {Resource: "genesyscloud_integration_action", Attribute: "name", MinLen: 1, MaxLen: 256,
		Source: src + "genesyscloud/integration_action/resource_genesyscloud_integration_action_schema.go: validation.StringLenBetween(1, 256)"},
	ActionCategory: {Resource: "genesyscloud_integration_action", Attribute: "category", MinLen: 1, MaxLen: 256,
		Source: src + "genesyscloud/integration_action/resource_genesyscloud_integration_action_schema.go: validation.StringLenBetween(1, 256)"},
	ActionTimeout: {Resource: "genesyscloud_integration_action", Attribute: "config_timeout_seconds", Min: 1, Max: 60,
		Source: src + "genesyscloud/integration_action/resource_genesyscloud_integration_action_schema.go: validation.IntBetween(1, 60)"},
	MessengerConfigName: {Resource: "genesyscloud_webdeployments_configuration", Attribute: "name", MinLen: 1, MaxLen: 100,
		Source: src + "genesyscloud/webdeployments_configuration/resource_genesyscloud_webdeployments_configuration_schema.go: validation.StringLenBetween(1, 100)"},
	OAuthTokenValidity: {Resource: "genesyscloud_oauth_client", Attribute: "access_token_validity_seconds", Min: 300, Max: 38880000,
		Source: src + "genesyscloud/oauth_client/resource_genesyscloud_oauth_client_schema.go: validation.IntBetween(300, 38880000)"},
	// The flow's language is not a Terraform attribute (it is inside the Archy
	// YAML); the provider's own Architect resources (architect_user_prompt,
	// architect_grammar_language) validate languages against this list.
	FlowLanguage: {Resource: "genesyscloud_flow", Attribute: "defaultLanguage", Enum: ArchitectLanguages,
		Source: src + "genesyscloud/util/architectlanguages/languages.go (validation.StringInSlice(architectlanguages.Languages, false))"},
	// inferred: the provider leaves default_language unvalidated; the value is
	// the flows' language, so it takes the Architect list (the strict reading).
	MessengerDefaultLanguage: {Resource: "genesyscloud_webdeployments_configuration", Attribute: "default_language", Enum: ArchitectLanguages,
		Source: src + "genesyscloud/util/architectlanguages/languages.go"},
}

// Get returns a limit by key; it panics on an unknown key (a programming error).
func Get(key string) Limit {
	l, ok := Table[key]
	if !ok {
		panic("limits: no entry " + key)
	}
	return l
}

// CheckString returns a message when s breaks the limit, or "".
func (l Limit) CheckString(s string) string {
	// The SDK's validation.StringLenBetween compares len(v): UTF-8 bytes, not characters.
	n := len(s)
	switch {
	case l.MaxLen > 0 && (n < l.MinLen || n > l.MaxLen):
		return fmt.Sprintf("is %d bytes (UTF-8); %s.%s must be %d to %d (%s)", n, l.Resource, l.Attribute, l.MinLen, l.MaxLen, l.Source)
	case l.Enum != nil && !slices.Contains(l.Enum, s):
		msg := fmt.Sprintf("%q is not a language tag %s.%s accepts", s, l.Resource, l.Attribute)
		if sug := Suggest(s, l.Enum); sug != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", sug)
		}
		return msg + " (" + l.Source + ")"
	}
	return ""
}

// CheckInt returns a message when v breaks the limit, or "".
func (l Limit) CheckInt(v int) string {
	if (l.Min != 0 || l.Max != 0) && (v < l.Min || v > l.Max) {
		return fmt.Sprintf("%d is outside %s.%s's range %d to %d (%s)", v, l.Resource, l.Attribute, l.Min, l.Max, l.Source)
	}
	return ""
}

// Suggest returns the closest entry of known when it is close enough to be a
// typo: same language subtag preferred (en-uk → en-gb is not a spelling
// distance, so a tag with the same language and a region is offered).
func Suggest(got string, known []string) string {
	got = strings.ToLower(got)
	best, bestD := "", 1<<30
	for _, k := range known {
		if d := levenshtein.Distance(got, k, nil); d < bestD {
			best, bestD = k, d
		}
	}
	if bestD <= max(2, len(got)/3) {
		// Prefer a well-known regional tag of the same language when the region is wrong.
		if lang, region, ok := strings.Cut(got, "-"); ok {
			if alt, ok := commonRegion[lang+"-"+region]; ok && slices.Contains(known, alt) {
				return alt
			}
		}
		return best
	}
	return ""
}

// commonRegion maps region codes people write that ISO 3166 does not have
// (UK is Great Britain's domain name, not its ISO code GB).
var commonRegion = map[string]string{"en-uk": "en-gb"}
