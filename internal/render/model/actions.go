package model

import (
	"bytes"
	"encoding/json"
	"strings"

	"github.com/bpgen/bpgen/internal/contract"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/permissions"
)

// Action is one data action: its export definition (the single source of the
// names and Velocity templates that both Terraform and exports/ carry), its
// contracts as ordered schemas, and the permissions its API call needs.
type Action struct {
	Key         string // lookup, conversation, merge or associate
	Name        string
	Description string
	Def         *fmtda.Action
	Input       *Schema
	Output      *Schema
	Permissions []Permission
}

// Permission is one grant for the data actions' OAuth client role.
type Permission struct {
	Domain, Entity, Action string
}

func parsePermission(s string) Permission {
	d, rest, _ := strings.Cut(s, ":")
	e, act, _ := strings.Cut(rest, ":")
	return Permission{d, e, act}
}

// String is the domain:entity:action form the Genesys docs use.
func (p Permission) String() string { return p.Domain + ":" + p.Entity + ":" + p.Action }

// Schema is a JSON Schema (draft-04 subset) with ordered properties, so the
// exported JSON reads like the Architect UI's own exports.
type Schema struct {
	Type                 string
	Description          string
	Enum                 []string
	Required             []string
	Properties           []Property
	AdditionalProperties *bool
}

// Property is a named property schema.
type Property struct {
	Name   string
	Schema *Schema
}

// MarshalJSON writes keys in a fixed, readable order.
func (s *Schema) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	err := s.appendJSON(&b)
	return b.Bytes(), err
}

// appendJSON is MarshalJSON into b. Nested schemas are appended in place:
// marshalling each with json.Marshal had encoding/json compact (re-read)
// every schema's text once per schema around it.
func (s *Schema) appendJSON(b *bytes.Buffer) error {
	if s == nil {
		b.WriteString("null")
		return nil
	}
	b.WriteByte('{')
	first := true
	key := func(k string) {
		if !first {
			b.WriteByte(',')
		}
		first = false
		kb, _ := json.Marshal(k)
		b.Write(kb)
		b.WriteByte(':')
	}
	field := func(k string, v any) error {
		key(k)
		vb, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(vb)
		return nil
	}
	steps := []struct {
		k    string
		v    any
		skip bool
	}{
		{"type", s.Type, s.Type == ""},
		{"description", s.Description, s.Description == ""},
		{"enum", s.Enum, len(s.Enum) == 0},
		{"required", s.Required, len(s.Required) == 0},
	}
	for _, st := range steps {
		if st.skip {
			continue
		}
		if err := field(st.k, st.v); err != nil {
			return err
		}
	}
	if s.Properties != nil {
		key("properties")
		if err := orderedProps(s.Properties).appendJSON(b); err != nil {
			return err
		}
	}
	if s.AdditionalProperties != nil {
		if err := field("additionalProperties", s.AdditionalProperties); err != nil {
			return err
		}
	}
	b.WriteByte('}')
	return nil
}

type orderedProps []Property

func (p orderedProps) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	err := p.appendJSON(&b)
	return b.Bytes(), err
}

func (p orderedProps) appendJSON(b *bytes.Buffer) error {
	b.WriteByte('{')
	for i, prop := range p {
		if i > 0 {
			b.WriteByte(',')
		}
		kb, _ := json.Marshal(prop.Name)
		b.Write(kb)
		b.WriteByte(':')
		if err := prop.Schema.appendJSON(b); err != nil {
			return err
		}
	}
	b.WriteByte('}')
	return nil
}

// PropertyNames lists the top-level property names.
func (s *Schema) PropertyNames() []string {
	out := make([]string, len(s.Properties))
	for i, p := range s.Properties {
		out[i] = p.Name
	}
	return out
}

var yes = true

func object(required []string, props ...Property) *Schema {
	return &Schema{Type: "object", Required: required, Properties: props, AdditionalProperties: &yes}
}

func str(desc string) *Schema { return &Schema{Type: "string", Description: desc} }

func prop(name string, s *Schema) Property { return Property{Name: name, Schema: s} }

func mustJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// Velocity snippets shared by the request templates.
const (
	rawRequest = "${input.rawRequest}"
	rawResult  = "${rawResult}"
)

// ContactExternalID is the contact action's output with the contact's first external id.
const ContactExternalID = "externalId"

// LookupMergeSet is the lookup action's output with the found contact's merge set.
const LookupMergeSet = "mergeSetIds"

func jsonString(input string) string { return "$esc.jsonString(${input." + input + "})" }

// request is an action's HTTP call: every action bpgen renders sends no
// headers of its own.
func request(method, url, body string) fmtda.Request {
	return fmtda.Request{RequestURLTemplate: url, RequestType: method, Headers: map[string]string{}, RequestTemplate: body}
}

// constant is a response that translates nothing: the success template alone
// makes the output.
func constant(success string) fmtda.Response {
	return fmtda.Response{TranslationMap: map[string]string{}, TranslationMapDefaults: map[string]string{}, SuccessTemplate: success}
}

func buildActions(m *Model, c *config.Config) []*Action {
	var out []*Action

	// 1. Identifier lookup. With an ExternalId identifier the body must carry
	// the source as an object, which rawRequest cannot express, so the template is explicit.
	lookupURL := "/api/v2/externalcontacts/identifierlookup/contacts"
	if m.LookupDeprecated {
		lookupURL = "/api/v2/externalcontacts/identifierlookup"
	}
	lookupIn := object([]string{"type", "value"},
		prop("type", &Schema{Type: "string", Description: "Identifier type, as the external-contacts API spells it.", Enum: m.IdentifierTypes()}),
		prop("value", str("Identifier value, already normalised (emails lower-cased, phones in E.164 with the leading +).")),
	)
	lookupBody := rawRequest
	if m.HasExternalID() {
		lookupIn.Properties = append(lookupIn.Properties, prop("externalSourceId", str("External source id; set only for ExternalId identifiers.")))
		lookupBody = `{"type": "` + jsonString("type") + `", "value": "` + jsonString("value") + `"` +
			`#if("$!{input.externalSourceId}" != ""), "externalSource": {"id": "` + jsonString("externalSourceId") + `"}#end}`
	}
	// The found contact's merge set comes back with it (ExternalContact.mergeSet,
	// "The set of all contacts that are a part of the merge tree", SDK
	// externalcontact.go), so the module tells an already-merged conversation
	// contact without reading it. An indefinite JSONPath gives an array (empty
	// when never merged); it is passed on as JSON text because the module
	// compares it with Contains.
	out = append(out, &Action{
		Key:         contract.ActionLookup,
		Description: "Finds the contact that owns an identifier (404 when none does).",
		Input:       lookupIn,
		Output: object(nil,
			prop("id", str("Id of the contact that owns the identifier.")),
			prop("firstName", str("")),
			prop("lastName", str("")),
			prop(LookupMergeSet, str("Ids of every contact in its merge set, as JSON text: [] when it was never merged.")),
		),
		Def: &fmtda.Action{Config: fmtda.Config{
			Request: request("POST", lookupURL, lookupBody),
			Response: fmtda.Response{
				TranslationMap: map[string]string{
					"id": "$.id", "firstName": "$.firstName", "lastName": "$.lastName", LookupMergeSet: "$.mergeSet[*].id",
				},
				TranslationMapDefaults: map[string]string{"firstName": `""`, "lastName": `""`},
				SuccessTemplate:        `{"id": ${id}, "firstName": ${firstName}, "lastName": ${lastName}, "` + LookupMergeSet + `": "$esc.jsonString(${` + LookupMergeSet + `})"}`,
			},
		}},
	})

	// 2. The conversation's own contact. Filters return arrays, so each value
	// is taken with firstFromArray and falls back to "" when absent.
	const customer = `$.participants[?(@.purpose == "customer" || @.purpose == "external")]`
	out = append(out, &Action{
		Key:         contract.ActionConversation,
		Description: "Reads the external contact and message communication of the conversation's customer.",
		Input:       object([]string{"conversationId"}, prop("conversationId", str("Conversation id."))),
		Output: object(nil,
			prop("customerContactId", str("External contact currently linked to the customer; empty when none.")),
			prop("communicationId", str("The customer's message communication id; empty when none.")),
		),
		Def: &fmtda.Action{Config: fmtda.Config{
			Request: request("GET", "/api/v2/conversations/${input.conversationId}", rawRequest),
			Response: fmtda.Response{
				TranslationMap: map[string]string{
					"customerContactIds": customer + ".externalContactId",
					"communicationIds":   customer + ".messages[0].id",
				},
				TranslationMapDefaults: map[string]string{
					"customerContactIds": `[""]`,
					"communicationIds":   `[""]`,
				},
				SuccessTemplate: `{"customerContactId": ${successTemplateUtils.firstFromArray("${customerContactIds}", "$esc.quote$esc.quote")}, ` +
					`"communicationId": ${successTemplateUtils.firstFromArray("${communicationIds}", "$esc.quote$esc.quote")}}`,
			},
		}},
	})

	if m.NeedsContactType() || m.CheckBeforeAsking {
		// A contact's type and canonical id: before a merge, only an anonymous
		// (Ephemeral or Identified) contact may be merged into the known one;
		// before asking, a Curated head means the platform already linked a
		// known contact. GET resolves merged-away ids, so the contact it returns
		// is the canonical head (api.md 1.3).
		out = append(out, &Action{
			Key:         contract.ActionContact,
			Description: "Reads a contact's canonical id, type and name.",
			Input:       object([]string{"contactId"}, prop("contactId", str("External contact id."))),
			Output: object(nil,
				prop("id", str("The canonical contact id (a merged-away id resolves to the head of its merge set).")),
				prop("type", str("Ephemeral, Identified or Curated.")),
				prop("firstName", str("")),
				prop("lastName", str("")),
				prop(ContactExternalID, str("Its first external id's value: for the contact identity resolution made for an open-messaging sender, the sender's id; empty when none.")),
			),
			Def: &fmtda.Action{Config: fmtda.Config{
				Request: request("GET", "/api/v2/externalcontacts/contacts/${input.contactId}", rawRequest),
				// The contact's externalIds (ExternalContact.externalIds, SDK
				// externalcontact.go): the platform gives the contact it makes for an
				// unknown sender one, the sender's id in the configured source (api.md
				// 1.4; inferred: it is the first).
				Response: fmtda.Response{
					TranslationMap:         map[string]string{"id": "$.id", "type": "$.type", "firstName": "$.firstName", "lastName": "$.lastName", "externalIdValues": "$.externalIds[*].value"},
					TranslationMapDefaults: map[string]string{"firstName": `""`, "lastName": `""`},
					SuccessTemplate: `{"id": ${id}, "type": ${type}, "firstName": ${firstName}, "lastName": ${lastName}, "` + ContactExternalID +
						`": ${successTemplateUtils.firstFromArray("${externalIdValues}", "$esc.quote$esc.quote")}}`,
				},
			}},
		})
	}
	if m.Strategy == "merge" {
		url, body := "/api/v2/externalcontacts/contacts/merge",
			`{"contactIds": ["`+jsonString("sourceContactId")+`", "`+jsonString("targetContactId")+`"]}`
		if m.MergeDeprecated {
			url, body = "/api/v2/externalcontacts/merge/contacts", rawRequest
		}
		out = append(out, &Action{
			Key:         contract.ActionMerge,
			Description: "Merges the conversation's contact into the known contact.",
			Input: object([]string{"sourceContactId", "targetContactId"},
				prop("sourceContactId", str("The conversation's contact (ephemeral or identified).")),
				prop("targetContactId", str("The known contact the identifier belongs to.")),
			),
			Output: object(nil, prop("id", str("Id of the merged (canonical) contact."))),
			Def: &fmtda.Action{Config: fmtda.Config{
				Request:  request("POST", url, body),
				Response: constant(rawResult),
			}},
		})
	} else {
		out = append(out, &Action{
			Key:         contract.ActionAssociate,
			Description: "Links the conversation to the known contact without merging.",
			Input: object([]string{"conversationId", "communicationId", "externalContactId"},
				prop("conversationId", str("Conversation id.")),
				prop("communicationId", str("The customer's message communication id.")),
				prop("externalContactId", str("The known contact.")),
			),
			Output: object(nil, prop("associated", &Schema{Type: "boolean", Description: "Always true on success (the API answers with no body)."})),
			Def: &fmtda.Action{Config: fmtda.Config{
				Request: request("PUT", "/api/v2/externalcontacts/conversations/${input.conversationId}",
					`{"externalContactId": "`+jsonString("externalContactId")+`", "conversationId": "`+jsonString("conversationId")+
						`", "communicationId": "`+jsonString("communicationId")+`", "mediaType": "MESSAGE"}`),
				// The API answers 2xx with no body; a constant template keeps the output valid JSON.
				Response: constant(`{"associated": true}`),
			}},
		})
	}
	if m.Stitch {
		// Claim body: IdentifierClaimRequest {operation, identifier: ContactIdentifier}
		// (SDK identifierclaimrequest.go, contactidentifier.go; api.md 1.3).
		out = append(out, &Action{
			Key:         contract.ActionClaim,
			Description: "Claims an external id on a contact, so identity resolution finds that contact by it.",
			Input: object([]string{"contactId", "value", "externalSourceId"},
				prop("contactId", str("The known contact.")),
				prop("value", str("The external id (an open-messaging sender's id).")),
				prop("externalSourceId", str("The external source the id belongs to.")),
			),
			Output: object(nil, prop("type", str("ExternalId.")), prop("value", str("The claimed value."))),
			Def: &fmtda.Action{Config: fmtda.Config{
				Request: request("PATCH", "/api/v2/externalcontacts/contacts/${input.contactId}/identifiers",
					`{"operation": "Claim", "identifier": {"type": "ExternalId", "value": "`+jsonString("value")+`", "externalSource": {"id": "`+jsonString("externalSourceId")+`"}}}`),
				Response: constant(rawResult),
			}},
		})
	}
	for _, a := range out {
		a.Name = c.Names.ActionName(a.Key)
		a.Def.Name = a.Name
		a.Def.IntegrationType = fmtda.IntegrationType
		a.Def.ActionType = "custom"
		a.Def.Config.TimeoutSeconds = m.TimeoutSeconds
		a.Def.Contract = fmtda.Contract{
			Input:  fmtda.ContractInput{InputSchema: mustJSON(a.Input)},
			Output: fmtda.ContractOutput{SuccessSchema: mustJSON(a.Output)},
		}
		// The role grants what the API call needs, from the one permissions table.
		perms, err := permissions.ForDataAction(a.Def.Config.Request.RequestType, a.Def.Config.Request.RequestURLTemplate)
		if err != nil {
			panic(err) // a data action bpgen renders without a table entry is a bpgen bug
		}
		for _, p := range perms {
			a.Permissions = append(a.Permissions, parsePermission(p))
		}
	}
	return out
}

// Permissions is the union of every action's grants, in a stable order.
func (m *Model) Permissions() []Permission {
	var out []Permission
	seen := map[Permission]bool{}
	for _, a := range m.Actions {
		for _, p := range a.Permissions {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}
