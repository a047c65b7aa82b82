// Package flows builds the three Architect flows of the bundle from the model:
// the bot flow that asks for identifiers, the ResolveContact common module that
// looks an identifier up and links the conversation, and the inbound message
// flow that ties them together and always ends in the queue.
package flows

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/contract"
	. "github.com/bpgen/bpgen/internal/render/archy"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/model"
)

// Keys of the flows, also used as Terraform resource names.
const (
	BotKey     = contract.FlowBot
	ModuleKey  = contract.FlowModule
	InboundKey = contract.FlowInbound
)

// Flow is one rendered flow.
type Flow struct {
	Key     string // bot, resolve_contact, inbound
	Root    string // Archy root key: botFlow, commonModule, inboundShortMessage
	APIType string // the flow type the API reports
	Name    string
	File    string // bundle-relative path
	Doc     *yaml.Node
	// Subs are the `{{key}}` placeholders and what feeds each one, in first-use order.
	Subs []Sub
	// Uses lists the objects the flow references by name, for update_trigger_hash.
	Uses []Ref
}

// Ref names an attribute of an object in the deployment.
type Ref = contract.Ref

// Sub is one substitution.
type Sub struct {
	Key string
	Ref Ref
}

// Build returns the flows the model needs: the bot flow only when something is asked.
func Build(m *model.Model) ([]*Flow, error) {
	var out []*Flow
	if m.HasBot() {
		out = append(out, botFlow(m))
	}
	out = append(out, commonModule(m), inboundFlow(m))
	for _, f := range out {
		if err := f.resolveSubs(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Placeholder keys and what feeds them.
var subRefs = map[string]Ref{
	"division":                 contract.RefDivisionName,
	"queue_name":               {Kind: contract.KindQueue, Attr: contract.AttrName},
	"bot_flow_name":            {Kind: contract.KindFlow, Key: BotKey, Attr: contract.AttrName},
	"common_module_name":       {Kind: contract.KindFlow, Key: ModuleKey, Attr: contract.AttrName},
	"data_action_category":     {Kind: contract.KindDataAction, Key: contract.ActionLookup, Attr: contract.AttrCategory},
	"lookup_action_name":       {Kind: contract.KindDataAction, Key: contract.ActionLookup, Attr: contract.AttrName},
	"conversation_action_name": {Kind: contract.KindDataAction, Key: contract.ActionConversation, Attr: contract.AttrName},
	"contact_action_name":      {Kind: contract.KindDataAction, Key: contract.ActionContact, Attr: contract.AttrName},
	"merge_action_name":        {Kind: contract.KindDataAction, Key: contract.ActionMerge, Attr: contract.AttrName},
	"associate_action_name":    {Kind: contract.KindDataAction, Key: contract.ActionAssociate, Attr: contract.AttrName},
	"claim_action_name":        {Kind: contract.KindDataAction, Key: contract.ActionClaim, Attr: contract.AttrName},
	"external_source_id":       contract.RefExternalSourceID,
}

func (f *Flow) resolveSubs() error {
	for _, k := range Placeholders(f.Doc) {
		ref, ok := subRefs[k]
		if !ok {
			return fmt.Errorf("flow %s: placeholder %q has no source", f.Key, k)
		}
		f.Subs = append(f.Subs, Sub{Key: k, Ref: ref})
	}
	return nil
}

// Encode renders the flow's YAML text.
func (f *Flow) Encode() ([]byte, error) { return Encode(f.Doc) }

// ---------------------------------------------------------------- bot flow

// AskForVariable is the bot's input naming the slot to ask for: one bot flow
// serves every question, and the inbound flow asks only what it still needs.
const AskForVariable = "Flow.AskFor"

// flowDoc is a flow document under its root key: the header the bot flow and
// the inbound message flow share (name, description, division, start-up
// reference under root, the language, the variables), then settings, the
// flow type's own key-value pairs in order.
func flowDoc(m *model.Model, root, name, desc, startUp string, vars []*yaml.Node, settings ...any) *yaml.Node {
	return M(root, M(append([]any{
		"name", name,
		"description", desc,
		"division", Placeholder("division"),
		"startUpRef", "/" + root + "/" + startUp,
		"defaultLanguage", m.Language,
		"supportedLanguages", M(m.Language, M("defaultLanguageSkill", NoValue())),
		"variables", Seq(vars),
	}, settings...)...))
}

func botFlow(m *model.Model) *Flow {
	b := m.Bot
	const refID = "Identify Customer_10"
	vars := []*yaml.Node{stringVar(AskForVariable, "The slot to ask for.", true, false)}
	var cases []*yaml.Node
	var entities, types []*yaml.Node
	for _, a := range m.Slots() {
		vars = append(vars, stringVar("Slot."+a.Slot, "", true, true))
		cases = append(cases, M("case", M(
			"value", Exp(AskForVariable+" == "+Quote(a.Slot)),
			"actions", S(Action("askForSlot", M(
				"name", "Ask for "+a.Slot,
				"slot", M("name", a.Slot),
				"question", Communication(a.Question),
				"customValidation", NoValue(),
				"confirmationMode", Lit("never"),
				"noInput", Communication(a.NoInput),
				"noMatch", Communication(a.NoMatch),
				"voiceEndOfInputTimeout", NoValue(),
				// Disabled: after the retries the bot's recognition-failure handling
				// exits, and the caller carries on to the queue with the slot unset.
				"outputs", M("maxNoInputs", M("enabled", false), "maxNoMatches", M("enabled", false)),
			))),
		)))
		entities = append(entities, M("name", a.Slot, "type", a.Slot+"Type"))
		types = append(types, M(
			"name", a.Slot+"Type",
			"description", "Values accepted for "+a.Slot+".",
			"mechanism", M("type", "Regex", "restricted", true, "items", S(M("value", a.Pattern, "synonyms", S()))),
		))
	}
	seconds := (b.NoInputTimeoutMs + 999) / 1000
	doc := flowDoc(m, "botFlow", m.Names.BotFlow, "Asks the customer for an identifier (rendered by bpgen).", "bots/bot["+refID+"]", vars,
		// Agent escalation stays disabled (the caller hands over to the queue), so
		// the escalation wording and handling are left out: every published bot
		// flow that sets agentEscalationConfirmation/Handover/Handling enables
		// escalation (the blueprint's MergeExternalContactBot.yaml, archy.md §1.3),
		// and Architect rejects properties not assignable in the current mode.
		"settingsErrorHandling", M(
			"errorHandling", M("exit", None()),
			"enableAgentEscalation", Lit(false),
			"errorEventHandover", Communication(b.ErrorMessage),
			"recognitionFailureEventHandover", Communication(b.HandoverMessage),
			"recognitionFailureEventHandling", M("exit", None()),
		),
		"settingsBotFlow", None(),
		"settingsUserInput", M(
			"enableAutomaticQuickReplies", Lit(false),
			"noMatchesMax", Lit(b.Retries),
			"noInputsMax", Lit(b.Retries),
			"noInputsTimeout", Lit(M("seconds", seconds)),
			"confirmationRejectionsMax", Lit(b.Retries),
			"noMatchApology", Communication(b.NoMatchApology),
			"noInputApology", Communication(b.NoInputApology),
			"noToConfirmationApology", Communication("My mistake."),
			"confirmationNoMatchApology", Communication("Sorry, please say yes or no."),
			"confirmationNoInputApology", Communication("Sorry, please say yes or no."),
		),
		"settingsKnowledge", None(),
		"bots", S(M("bot", M(
			"name", "Identify Customer",
			"refId", refID,
			"actions", S(
				Action("switch", M(
					"name", "Which question?",
					"evaluate", M("firstTrue", M("cases", Seq(cases))),
				)),
				Action("exitBotFlow", M("name", "Exit Bot Flow")),
			),
		))),
		"settingsNaturalLanguageUnderstanding", M(
			"nluDomainVersion", M(
				"intents", S(),
				"entities", Seq(entities),
				"entityTypes", Seq(types),
				"language", m.Language,
				"languageVersions", M(),
			),
			"mutedUtterances", S(),
		),
	)
	return &Flow{Key: BotKey, Root: "botFlow", APIType: "bot", Name: m.Names.BotFlow, File: contract.BotFlowFile, Doc: doc,
		Uses: []Ref{{Kind: contract.KindDivision, Attr: contract.AttrID}}}
}

func stringVar(name, desc string, in, out bool) *yaml.Node {
	return variable("stringVariable", name, desc, NoValue(), in, out)
}

func variable(kind, name, desc string, initial *yaml.Node, in, out bool) *yaml.Node {
	body := M("name", name)
	if desc != "" {
		body = M("name", name, "description", desc)
	}
	body.Content = append(body.Content, M("initialValue", initial, "isInput", in, "isOutput", out).Content...)
	return M(kind, body)
}

// ---------------------------------------------------------------- common module

// Module interface: inputs and outputs of ResolveContact.
const (
	InConversationID  = "Common.conversationId"
	InIdentifierType  = "Common.identifierType"
	InIdentifierValue = "Common.identifierValue"
	InSecondFactor    = "Common.secondFactor"
	// The conversation's contact, its communication and its head's type:
	// inputs when the inbound flow checks before asking, else the module's own.
	InConversationContact     = "Common.conversationContactId"
	InCommunicationID         = "Common.communicationId"
	InConversationContactType = "Common.conversationContactType"
	OutLinked                 = "Common.linked"
	OutContactID              = "Common.contactId"
	OutOutcome                = "Common.outcome"
)

// Outcomes the module reports, so flows and traces can tell why a conversation was not linked.
const (
	OutcomeAlreadyLinked = "alreadyLinked"
	OutcomeMerged        = "merged"
	OutcomeAssociated    = "associated"
	OutcomeNotFound      = "notFound"
	OutcomeMismatch      = "secondFactorMismatch"
	OutcomeNoValue       = "noValue"
	// OutcomeConflict: the conversation is already linked to another known
	// (curated) contact; two customers' contacts are never merged.
	OutcomeConflict = "conflict"
	OutcomeError    = "error"
)

func failureOutputs() *yaml.Node {
	return failureOutputsInto("Common.errorStatus", "Common.errorMessage")
}

// failureOutputsInto binds status and userMessage to the given variables
// ("" for none) and every other failure output to noValue.
func failureOutputsInto(status, message string) *yaml.Node {
	n := M()
	for _, k := range contract.FailureOutputs {
		v := NoValue()
		switch {
		case k == "status" && status != "":
			v = Var(status)
		case k == "userMessage" && message != "":
			v = Var(message)
		}
		n.Content = append(n.Content, Node(k), v)
	}
	return n
}

func setVars(name string, stmts ...*yaml.Node) *yaml.Node {
	return Action("updateData", M("name", name, "statements", Seq(stmts)))
}

func setString(v string, val *yaml.Node) *yaml.Node {
	return M("string", M("variable", v, "value", val))
}

func setBool(v string, val bool) *yaml.Node {
	return M("boolean", M("variable", v, "value", Lit(val)))
}

func outcome(o string) *yaml.Node { return setString(OutOutcome, Lit(o)) }

// callData builds a data-action call with all three outputs.
func callData(name, actionKey string, inputs, success *yaml.Node, onSuccess, onFailure, onTimeout []*yaml.Node, timeoutSeconds int) *yaml.Node {
	return Action("callData", callDataBody(name, actionKey, inputs, success, failureOutputs(), onSuccess, onFailure, onTimeout, timeoutSeconds))
}

func callDataBody(name, actionKey string, inputs, success, failures *yaml.Node, onSuccess, onFailure, onTimeout []*yaml.Node, timeoutSeconds int) *yaml.Node {
	return M(
		"name", name,
		"processingPrompt", NoValue(),
		"timeout", Lit(M("seconds", timeoutSeconds+5)),
		"category", M(Placeholder("data_action_category"), M(
			"dataAction", M(Placeholder(actionKey+"_action_name"), M(
				"inputs", inputs,
				"successOutputs", success,
				"failureOutputs", failures,
			)),
		)),
		"outputs", outputPaths("success", onSuccess, "failure", onFailure, "timeout", onTimeout),
	)
}

// outputPaths lists the output paths that have actions: an omitted path
// continues after the action ("outputs may list only success", the
// blueprint's ResolveContact.yaml; archy.md 3.1).
func outputPaths(kv ...any) *yaml.Node {
	n := M()
	for i := 0; i < len(kv); i += 2 {
		if acts := kv[i+1].([]*yaml.Node); len(acts) > 0 {
			n.Content = append(n.Content, Node(kv[i].(string)), M("actions", Seq(acts)))
		}
	}
	return n
}

// callDataInFlow is callData for a message flow (published inbound message
// flows call data actions directly: webmsg-lambda's
// DudeWheresMyStuffMessage.yaml, archy.md 3.1 and 3.2): processingPrompt
// appears only in common-module exports, so it is left out.
func callDataInFlow(name, actionKey string, inputs, success *yaml.Node, onSuccess []*yaml.Node, timeoutSeconds int) *yaml.Node {
	// The failure path continues after the action, so nothing of the error is kept.
	body := callDataBody(name, actionKey, inputs, success, failureOutputsInto("", ""), onSuccess, nil, nil, timeoutSeconds)
	body.Content = slices.Delete(body.Content, 2, 4) // processingPrompt, second in callDataBody
	return Action("callData", body)
}

func decision(name, cond string, yes, no []*yaml.Node) *yaml.Node {
	outs := M()
	if len(yes) > 0 {
		outs.Content = append(outs.Content, Node("yes"), M("actions", Seq(yes)))
	}
	if len(no) > 0 {
		outs.Content = append(outs.Content, Node("no"), M("actions", Seq(no)))
	}
	return Action("decision", M("name", name, "condition", Exp(cond), "outputs", outs))
}

// NormalizeExpr returns the expressions that clean v for lookup: every one but
// the last is assigned to DigitsVariable in order, the last is the value.
// Exported for the tests, which evaluate it with the emulator's evaluator
// against real numbers.
func NormalizeExpr(n model.Normalization, v string) []string {
	switch n.Kind {
	case "email":
		return []string{"Lower(Trim(" + v + "))"}
	case "phone":
		return phoneSteps(n, v)
	}
	return []string{"Trim(" + v + ")"}
}

func commonModule(m *model.Model) *Flow {
	sf := m.SecondFactor
	vars := []*yaml.Node{
		stringVar(InConversationID, "The conversation to link.", true, false),
		stringVar(InIdentifierType, "Identifier type as the API spells it: "+strings.Join(m.IdentifierTypes(), ", ")+".", true, false),
		stringVar(InIdentifierValue, "Identifier value as the customer gave it; the module normalises it.", true, false),
	}
	if sf != nil {
		vars = append(vars, stringVar(InSecondFactor, "The customer's "+sf.Field+", compared case-insensitively with the contact's.", true, false))
	}
	// With the check before asking, the inbound flow may already have read the
	// conversation's contact: it passes what it read, and the module reads only
	// what is still NOT_SET.
	pre := m.CheckBeforeAsking
	vars = append(vars,
		variable("booleanVariable", OutLinked, "True when the conversation is linked to the known contact.", Lit(false), false, true),
		stringVar(OutContactID, "The contact the conversation is linked to.", false, true),
		variable("stringVariable", OutOutcome, "Why: alreadyLinked, merged, associated, notFound, secondFactorMismatch, conflict, noValue or error.", Lit(OutcomeError), false, true),
		stringVar("Common.value", "", false, false),
		stringVar("Common.foundContactId", "", false, false),
		stringVar("Common.foundMergeSet", "", false, false),
		stringVar(InConversationContact, pick(pre, "The conversation's contact, when the caller has read it.", ""), pre, false),
		stringVar(InCommunicationID, pick(pre, "The customer's message communication, when the caller has read it.", ""), pre, false),
		stringVar("Common.errorMessage", "", false, false),
		variable("integerVariable", "Common.errorStatus", "", NoValue(), false, false),
	)
	hasPhone := false
	for _, id := range m.Identifiers {
		hasPhone = hasPhone || id.Normalize.Kind == "phone"
	}
	if hasPhone {
		vars = append(vars, stringVar(DigitsVariable, "", false, false),
			variable("stringVariable", CallingCodesVariable, "Every country calling code (libphonenumber), to tell international numbers typed without +.", Lit(CallingCodes()), false, false))
	}
	if sf != nil {
		vars = append(vars, stringVar("Common.foundSecondFactor", "", false, false))
	}
	if m.NeedsContactType() || pre {
		vars = append(vars, stringVar(InConversationContactType, pick(pre, "The type of the conversation contact's canonical head, when the caller has read it.", ""), pre, false))
	}
	if m.HasExternalID() {
		vars = append(vars, variable("stringVariable", "Common.externalSourceId", "External source of ExternalId identifiers.", Lit(Placeholder("external_source_id")), false, false))
	}

	// Normalisation: one If chain over the configured types.
	var norm []*yaml.Node
	valueExpr := "Trim(" + InIdentifierValue + ")"
	for i := len(m.Identifiers) - 1; i >= 0; i-- {
		id := m.Identifiers[i]
		steps := NormalizeExpr(id.Normalize, InIdentifierValue)
		// Intermediate steps are statements of their own (Architect has no let-binding).
		var pre []*yaml.Node
		for _, st := range steps[:len(steps)-1] {
			pre = append(pre, setString(DigitsVariable, Exp("If("+InIdentifierType+" == "+Quote(id.Type)+", "+st+", "+DigitsVariable+")")))
		}
		norm = append(pre, norm...)
		valueExpr = "If(" + InIdentifierType + " == " + Quote(id.Type) + ", " + steps[len(steps)-1] + ", " + valueExpr + ")"
	}
	t := m.TimeoutSeconds
	errorOut := []*yaml.Node{setVars("Resolution failed", outcome(OutcomeError))}

	// Linking, once the known contact is established.
	link := linkActions(m, t, errorOut)
	// Already linked: the conversation's contact is the found one or one of its
	// merge set (which the lookup returned). Ids are quoted in the merge set's
	// JSON text, so Contains(String, String) (catalogue; NOT_SET not allowed,
	// hence the guards) on the quoted id, built with + (archy.md 4.2), matches
	// whole ids only.
	known := []*yaml.Node{decision("Already linked?",
		"If(IsNotSetOrEmpty(Common.foundContactId) or IsNotSetOrEmpty("+InConversationContact+"), false, "+
			"Common.foundContactId == "+InConversationContact+" or If(IsNotSetOrEmpty(Common.foundMergeSet), false, "+
			"Contains(Common.foundMergeSet, "+Quote(`"`)+" + "+InConversationContact+" + "+Quote(`"`)+")))",
		[]*yaml.Node{setVars("Already linked", setBool(OutLinked, true), setString(OutContactID, Exp("Common.foundContactId")), outcome(OutcomeAlreadyLinked))},
		link)}
	conv := callData("Get conversation contact", contract.ActionConversation,
		M("conversationId", Exp(InConversationID)),
		M("customerContactId", Var(InConversationContact), "communicationId", Var(InCommunicationID)),
		known, errorOut, errorOut, t)
	afterLookup := []*yaml.Node{conv}
	if pre {
		afterLookup = []*yaml.Node{decision("Conversation contact read?", "!IsNotSetOrEmpty("+InConversationContact+")", known, []*yaml.Node{conv})}
	}
	if sf != nil {
		afterLookup = []*yaml.Node{decision("Second factor agrees?", secondFactorAgrees(InSecondFactor, "Common.foundSecondFactor"),
			afterLookup,
			[]*yaml.Node{setVars("Second factor mismatch", outcome(OutcomeMismatch))})}
	}
	lookupInputs := M("type", Exp(InIdentifierType), "value", Exp("Common.value"))
	if m.HasExternalID() {
		lookupInputs = M("type", Exp(InIdentifierType), "value", Exp("Common.value"),
			"externalSourceId", Exp("If("+InIdentifierType+" == \"ExternalId\", Common.externalSourceId, \"\")"))
	}
	successOut := M("id", Var("Common.foundContactId"), "firstName", NoValue(), "lastName", NoValue(), model.LookupMergeSet, Var("Common.foundMergeSet"))
	if sf != nil {
		successOut = M("id", Var("Common.foundContactId"),
			"firstName", pick(sf.Field == "firstName", Var("Common.foundSecondFactor"), NoValue()),
			"lastName", pick(sf.Field == "lastName", Var("Common.foundSecondFactor"), NoValue()),
			model.LookupMergeSet, Var("Common.foundMergeSet"))
	}
	lookup := callData("Look up identifier", contract.ActionLookup, lookupInputs, successOut,
		afterLookup,
		[]*yaml.Node{setVars("Lookup failed", setString(OutOutcome, Exp("If(If(IsSet(Common.errorStatus), Common.errorStatus == 404, false), "+Quote(OutcomeNotFound)+", "+Quote(OutcomeError)+")")))},
		errorOut, t)

	norm = append(norm, setString("Common.value", Exp(valueExpr)))
	noValue := []*yaml.Node{setVars("No identifier", outcome(OutcomeNoValue))}
	// The raw value is checked before normalising: Trim, Replace, Lower and
	// the other string functions do not allow NOT_SET (catalogue allowNotSet).
	actions := []*yaml.Node{
		decision("Identifier missing?", "IsNotSetOrEmpty("+InIdentifierValue+")", noValue, []*yaml.Node{
			setVars("Normalise identifier", norm...),
			decision("Nothing left after normalising?", "IsNotSetOrEmpty(Common.value)", noValue, []*yaml.Node{lookup}),
		}),
		Action("endTask", M("name", "Exit Common Module")),
	}
	doc := M("commonModule", M(
		"name", m.Names.CommonModule,
		"description", "Looks an identifier up and links the conversation to its contact (rendered by bpgen).",
		"division", Placeholder("division"),
		"supportedLanguages", M(m.Language, None()),
		"variables", Seq(vars),
		"settingsCommonModule", M("compatibleFlowTypes", S(
			M("flowType", "inboundshortmessage"), M("flowType", "inboundcall"), M("flowType", "inboundemail"), M("flowType", "workflow"))),
		"settingsActionDefaults", M(
			"callData", M("processingPrompt", NoValue()),
			"callDataSecure", M("processingPrompt", NoValue()),
		),
		"startUpTaskActions", Seq(actions),
	))
	uses := []Ref{{Kind: contract.KindDivision, Attr: contract.AttrID}}
	for _, a := range m.Actions {
		uses = append(uses, Ref{Kind: contract.KindDataAction, Key: a.Key, Attr: contract.AttrID})
	}
	if m.HasExternalID() {
		uses = append(uses, contract.RefExternalSourceID)
	}
	return &Flow{Key: ModuleKey, Root: "commonModule", APIType: "commonmodule", Name: m.Names.CommonModule, File: contract.ModuleFlowFile, Doc: doc, Uses: uses}
}

// bothSetAndEqual compares two values that may be NOT_SET (an output the data
// action did not return): NOT_SET never counts as equal, even to NOT_SET.
func bothSetAndEqual(a, b string) string {
	return "If(IsSet(" + a + ") and IsSet(" + b + "), " + a + " == " + b + ", false)"
}

func pick[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}

func linkActions(m *model.Model, t int, errorOut []*yaml.Node) []*yaml.Node {
	// The conversation action's outputs may come back NOT_SET; a data action
	// is never called with a NOT_SET id (the platform would reject the
	// request), the module reports an error instead.
	if m.Strategy == "associate" {
		return []*yaml.Node{decision("Communication missing?", "IsNotSetOrEmpty("+InCommunicationID+")", errorOut, []*yaml.Node{callData("Associate conversation", contract.ActionAssociate,
			M("conversationId", Exp(InConversationID), "communicationId", Exp(InCommunicationID), "externalContactId", Exp("Common.foundContactId")),
			M("associated", NoValue()),
			[]*yaml.Node{setVars("Associated", setBool(OutLinked, true), setString(OutContactID, Exp("Common.foundContactId")), outcome(OutcomeAssociated))},
			errorOut, errorOut, t)})}
	}
	merge := callData("Merge contacts", contract.ActionMerge,
		M("sourceContactId", Exp(InConversationContact), "targetContactId", Exp("Common.foundContactId")),
		M("id", Var(OutContactID)),
		[]*yaml.Node{setVars("Merged", setBool(OutLinked, true), outcome(OutcomeMerged))},
		errorOut, errorOut, t)
	conflict := []*yaml.Node{setVars("Linked to another customer", outcome(OutcomeConflict))}
	byType := []*yaml.Node{decision("Anonymous contact?", "If(IsSet("+InConversationContactType+"), "+InConversationContactType+" == \"Ephemeral\" or "+InConversationContactType+" == \"Identified\", false)",
		[]*yaml.Node{merge}, conflict)}
	typeKnown := "!IsNotSetOrEmpty(" + InConversationContactType + ")"
	var body []*yaml.Node
	switch {
	case m.MergeDeprecated && m.CheckBeforeAsking:
		// A type the caller read is checked for free; otherwise the deprecated
		// endpoint's own type rule stands guard.
		body = []*yaml.Node{decision("Contact type known?", typeKnown, byType, []*yaml.Node{merge})}
	case m.MergeDeprecated:
		body = []*yaml.Node{merge}
	default:
		read := callData("Get conversation contact type", contract.ActionContact,
			M("contactId", Exp(InConversationContact)),
			M("id", NoValue(), "type", Var(InConversationContactType), "firstName", NoValue(), "lastName", NoValue(), model.ContactExternalID, NoValue()),
			byType, errorOut, errorOut, t)
		body = []*yaml.Node{read}
		if m.CheckBeforeAsking {
			body = []*yaml.Node{decision("Contact type known?", typeKnown, byType, []*yaml.Node{read})}
		}
	}
	return []*yaml.Node{decision("Conversation contact missing?", "IsNotSetOrEmpty("+InConversationContact+")", errorOut, body)}
}

// ---------------------------------------------------------------- inbound message flow

func inboundFlow(m *model.Model) *Flow {
	const refID = "Identify Customer_10"
	vars := []*yaml.Node{}
	var attrs []*yaml.Node
	for _, id := range m.Identifiers {
		vars = append(vars, stringVar(id.Variable, "", false, false))
		if id.ParticipantData != "" {
			attrs = append(attrs, M("attribute", M("name", Lit(id.ParticipantData), "variable", id.Variable)))
		}
	}
	sf := m.SecondFactor
	if sf != nil {
		vars = append(vars, stringVar(sf.Variable, "", false, false))
		if sf.ParticipantData != "" {
			attrs = append(attrs, M("attribute", M("name", Lit(sf.ParticipantData), "variable", sf.Variable)))
		}
	}
	vars = append(vars,
		variable("booleanVariable", "Flow.Linked", "", Lit(false), false, false),
		variable("booleanVariable", StopAsking, "", Lit(false), false, false),
		stringVar("Flow.ContactId", "", false, false),
		stringVar(contract.VarFlowOutcome, "", false, false),
	)
	var actions []*yaml.Node
	if len(attrs) > 0 {
		actions = append(actions, Action("getParticipantData", M("name", "Get Participant Data", "attributes", Seq(attrs))))
		var checks []*yaml.Node
		scratch := false
		for _, id := range m.Identifiers {
			if id.ParticipantData != "" {
				st, uses := participantDataChecks(id.Variable, id.Normalize.Kind)
				checks, scratch = append(checks, st...), scratch || uses
			}
		}
		if sf != nil && sf.ParticipantData != "" {
			st, _ := participantDataChecks(sf.Variable, "")
			checks = append(checks, st...)
		}
		if scratch {
			vars = append(vars, stringVar(CheckVariable, "", false, false))
		}
		actions = append(actions, setVars("Discard unusable participant data", checks...))
	}
	if m.CheckBeforeAsking {
		pre, preVars := checkBeforeAsking(m)
		vars = append(vars, preVars...)
		var none []string
		for _, id := range m.Identifiers {
			none = append(none, "IsNotSetOrEmpty("+id.Variable+")")
		}
		actions = append(actions, decision("Nothing given yet?", strings.Join(none, " and "), pre, nil))
	}
	slots := m.Slots()
	for i, id := range m.Identifiers {
		var try []*yaml.Node
		if id.Ask != nil {
			try = append(try, ask(slots, id.Ask.Slot, id.Variable))
		}
		var lookup []*yaml.Node
		if sf != nil && sf.Ask != nil {
			lookup = append(lookup, ask(slots, sf.Ask.Slot, sf.Variable))
		}
		if m.AgentData != nil {
			lookup = append([]*yaml.Node{noteIdentifier(m, id)}, lookup...)
		}
		lookup = append(lookup, callModule(m, id, sf))
		if m.AgentData != nil && sf != nil {
			lookup = append(lookup, noteSecondFactor())
		}
		if m.Stitch && id.Type != contract.IdentifierExternalID {
			lookup = append(lookup, stitch(m))
		}
		try = append(try, decision(id.Type+" given?", "!IsNotSetOrEmpty("+id.Variable+")", lookup, nil))
		if i == 0 && !m.CheckBeforeAsking {
			actions = append(actions, try...)
		} else {
			actions = append(actions, decision("Try "+id.Type+"?", "!Flow.Linked", try, nil))
		}
	}
	if m.AgentData != nil {
		vars = append(vars, agentVars(m)...)
		actions = append(actions, tellTheAgent(m)...)
	}
	if m.Bot.StatusEnabled {
		actions = append(actions, decision("Linked?", "Flow.Linked",
			[]*yaml.Node{Action("sendResponse", M("name", "Tell the customer", "messageBody", Lit(m.Bot.StatusLinked)))},
			[]*yaml.Node{Action("sendResponse", M("name", "Tell the customer", "messageBody", Lit(m.Bot.StatusNotLinked)))}))
	}
	actions = append(actions, transfer())
	doc := flowDoc(m, "inboundShortMessage", m.Names.InboundFlow,
		"Identifies the customer, links the conversation to their contact, then transfers to the queue (rendered by bpgen).", "states/state["+refID+"]", vars,
		// A failure anywhere still reaches the queue: resolution must never strand a conversation.
		"settingsErrorHandling", M("errorHandling", M("queue", M("targetQueue", Lit(M("name", Placeholder("queue_name")))))),
		"states", S(M("state", M(
			"name", "Identify Customer",
			"refId", refID,
			"actions", Seq(actions),
		))),
	)
	uses := []Ref{{Kind: contract.KindDivision, Attr: contract.AttrID}, {Kind: contract.KindFlow, Key: ModuleKey, Attr: contract.AttrID}, {Kind: contract.KindQueue, Attr: contract.AttrID}}
	if m.CheckBeforeAsking {
		uses = append(uses, Ref{Kind: contract.KindDataAction, Key: contract.ActionConversation, Attr: contract.AttrID}, Ref{Kind: contract.KindDataAction, Key: contract.ActionContact, Attr: contract.AttrID})
	}
	if m.Stitch {
		uses = append(uses, Ref{Kind: contract.KindDataAction, Key: contract.ActionClaim, Attr: contract.AttrID}, Ref{Kind: contract.KindExternalSource, Attr: contract.AttrID})
	}
	if m.HasBot() {
		uses = append(uses, Ref{Kind: contract.KindFlow, Key: BotKey, Attr: contract.AttrID})
	}
	return &Flow{Key: InboundKey, Root: "inboundShortMessage", APIType: "inboundshortmessage", Name: m.Names.InboundFlow, File: contract.InboundFlowFile, Doc: doc, Uses: uses}
}

// StopAsking is set once the bot has given up on a question: it has then told
// the customer it is handing over, so no further question may follow.
const StopAsking = "Flow.StopAsking"

// ask calls the bot for a slot when the value is still missing, and stops all
// further questions when the customer could not answer. It notes the slot
// asked, so the agent's data can tell a bot answer from participant data.
func ask(slots []*model.Ask, slot, into string) *yaml.Node {
	return decision(slot+" missing and still asking?", "IsNotSetOrEmpty("+into+") and !"+StopAsking, []*yaml.Node{
		setVars("Asking for "+slot, setString(AskedForVar, Lit(slot))),
		callBot(slots, slot, into),
		decision(slot+" still missing?", "IsNotSetOrEmpty("+into+")",
			[]*yaml.Node{setVars("Stop asking", M("boolean", M("variable", StopAsking, "value", Lit(true))))}, nil),
	}, nil)
}

func transfer() *yaml.Node {
	return Action("transferToAcd", M(
		"name", "Transfer to ACD",
		"targetQueue", Lit(M("name", Placeholder("queue_name"))),
		"priority", Lit(0),
		"preferredAgents", NoValue(),
		"languageSkill", NoValue(),
		"directAgent", NoValue(),
	))
}

func callBot(slots []*model.Ask, slot, into string) *yaml.Node {
	ins := M(AskForVariable, Lit(slot))
	outs := M()
	for _, a := range slots {
		ins.Content = append(ins.Content, Node("Slot."+a.Slot), NoValue())
		out := NoValue()
		if a.Slot == slot {
			out = Var(into)
		}
		outs.Content = append(outs.Content, Node("Slot."+a.Slot), out)
	}
	// The customer's first message is the bot's initial utterance, as the
	// blueprint passes it (MergeExternalContactMessageFlow.yaml): "Bot Input
	// Text supplies an initial utterance that the bot processes with the first
	// Ask action in the bot flow" (help.mypurecloud.com/articles/call-bot-flow-action/).
	// Only for slots whose values a greeting cannot be taken for (an email, a
	// phone number); a name or a free-form id would be filled from "Hello".
	input := NoValue()
	for _, a := range slots {
		if a.Slot == slot && a.FromFirstMessage {
			input = Exp(FirstMessage)
		}
	}
	return Action("callBotFlow", M(
		"name", "Ask for "+slot,
		"inputText", input,
		"exitReason", NoValue(),
		"intent", NoValue(),
		"botFlow", M(Placeholder("bot_flow_name"), M("ver_latestPublished", M("inputs", ins, "outputs", outs))),
	))
}

// FirstMessage is the text of the message that started the inbound message flow.
const FirstMessage = "Message.Message.body"

// Variables of the check before asking.
const (
	ConversationContactVar = "Flow.ConversationContactId"
	CommunicationVar       = "Flow.CommunicationId"
	ContactTypeVar         = "Flow.ConversationContactType"
	KnownContactVar        = "Flow.KnownContactId"
	KnownSecondFactorVar   = "Flow.KnownSecondFactor"
	SenderIDVar            = "Flow.SenderId"
)

// stitch claims the open-messaging sender's id on the contact the
// conversation was just associated with, so the platform's identity
// resolution links the sender's next conversation itself (the sender's id is
// the ExternalId it keys on, api.md 3.4). Only an id read from a contact the
// platform observed (Ephemeral or Identified), never a curated contact's, and
// only after an association: a claim the org refuses (another contact's
// identifier) takes the failure path, which continues to the queue.
func stitch(m *model.Model) *yaml.Node {
	cond := "If(IsSet(Flow.Outcome) and IsSet(" + ContactTypeVar + "), Flow.Outcome == " + Quote(OutcomeAssociated) +
		" and (" + ContactTypeVar + " == \"Ephemeral\" or " + ContactTypeVar + " == \"Identified\"), false) and !IsNotSetOrEmpty(" + SenderIDVar + ")"
	return decision("Claim the sender's id?", cond, []*yaml.Node{callDataInFlow("Claim the sender's id", contract.ActionClaim,
		M("contactId", Exp("Flow.ContactId"), "value", Exp(SenderIDVar), "externalSourceId", Lit(Placeholder("external_source_id"))),
		M("type", NoValue(), "value", NoValue()), nil, m.TimeoutSeconds)}, nil)
}

// checkBeforeAsking reads the conversation's contact before any question:
// when its canonical head is Curated (a known contact, or a contact in a known
// contact's merge set) the conversation is confirmed as linked and nothing is
// asked, except a configured second factor, which must agree with the
// contact's name (a platform link on a shared phone is the family-phone
// case). A failed read asks as before; what was read is passed to
// ResolveContact so it is not read twice.
func checkBeforeAsking(m *model.Model) ([]*yaml.Node, []*yaml.Node) {
	sf := m.SecondFactor
	t := m.TimeoutSeconds
	vars := []*yaml.Node{
		stringVar(ConversationContactVar, "", false, false),
		stringVar(CommunicationVar, "", false, false),
		stringVar(ContactTypeVar, "", false, false),
		stringVar(KnownContactVar, "", false, false),
	}
	stmts := []*yaml.Node{setBool("Flow.Linked", true), setString("Flow.ContactId", Exp(KnownContactVar)), setString(contract.VarFlowOutcome, Lit(OutcomeAlreadyLinked))}
	if m.AgentData != nil {
		stmts = append(stmts, setString(IdentifierSourceVar, Lit(SourcePlatformLink)))
		if sf != nil {
			stmts = append(stmts, setString(SecondFactorVar, Lit(SecondFactorAgreed)))
		}
	}
	confirm := []*yaml.Node{setVars("Known contact", stmts...)}
	sender := NoValue()
	if m.Stitch {
		vars = append(vars, stringVar(SenderIDVar, "", false, false))
		sender = Var(SenderIDVar)
	}
	names := M("id", Var(KnownContactVar), "type", Var(ContactTypeVar), "firstName", NoValue(), "lastName", NoValue(), model.ContactExternalID, sender)
	if sf != nil {
		vars = append(vars, stringVar(KnownSecondFactorVar, "", false, false))
		names = M("id", Var(KnownContactVar), "type", Var(ContactTypeVar),
			"firstName", pick(sf.Field == "firstName", Var(KnownSecondFactorVar), NoValue()),
			"lastName", pick(sf.Field == "lastName", Var(KnownSecondFactorVar), NoValue()),
			model.ContactExternalID, sender)
		mismatch := []*yaml.Node{setString(contract.VarFlowOutcome, Lit(OutcomeMismatch))}
		if m.AgentData != nil {
			mismatch = append(mismatch, setString(SecondFactorVar, Lit(SecondFactorDisagree)))
		}
		var steps []*yaml.Node
		if sf.Ask != nil {
			steps = append(steps, ask(m.Slots(), sf.Ask.Slot, sf.Variable))
		}
		confirm = append(steps, decision("Second factor agrees?", secondFactorAgrees(sf.Variable, KnownSecondFactorVar), confirm,
			[]*yaml.Node{setVars("Second factor mismatch", mismatch...)}))
	}
	readType := callDataInFlow("Get conversation contact type", contract.ActionContact, M("contactId", Exp(ConversationContactVar)), names,
		[]*yaml.Node{decision("Known contact?", "If(IsSet("+ContactTypeVar+"), "+ContactTypeVar+" == \"Curated\", false)", confirm, nil)}, t)
	read := callDataInFlow("Get conversation contact", contract.ActionConversation, M("conversationId", Exp("Message.ConversationId")),
		M("customerContactId", Var(ConversationContactVar), "communicationId", Var(CommunicationVar)),
		[]*yaml.Node{decision("Conversation has a contact?", "!IsNotSetOrEmpty("+ConversationContactVar+")", []*yaml.Node{readType}, nil)}, t)
	return []*yaml.Node{read}, vars
}

// secondFactorAgrees compares the customer's second factor with the
// contact's. Both sides are checked first: a contact without the field cannot
// agree, and Trim/Lower do not allow NOT_SET (catalogue), so the comparison
// sits in the branch If evaluates only when both are set.
func secondFactorAgrees(given, found string) string {
	return "If(IsNotSetOrEmpty(" + given + ") or IsNotSetOrEmpty(" + found + "), false, Lower(Trim(" + found + ")) == Lower(Trim(" + given + ")))"
}

func callModule(m *model.Model, id model.Identifier, sf *model.SecondFactor) *yaml.Node {
	ins := M(
		InConversationID, Exp("Message.ConversationId"),
		InIdentifierType, Lit(id.Type),
		InIdentifierValue, Exp(id.Variable),
	)
	if sf != nil {
		ins.Content = append(ins.Content, Node(InSecondFactor), Exp(sf.Variable))
	}
	if m.CheckBeforeAsking {
		ins.Content = append(ins.Content, Node(InConversationContact), Exp(ConversationContactVar),
			Node(InCommunicationID), Exp(CommunicationVar), Node(InConversationContactType), Exp(ContactTypeVar))
	}
	return Action("callCommonModule", M(
		"name", "Resolve "+id.Type,
		"commonModule", M(Placeholder("common_module_name"), M("ver_latestPublished", M(
			"inputs", ins,
			"outputs", M(OutLinked, Var("Flow.Linked"), OutContactID, Var("Flow.ContactId"), OutOutcome, Var(contract.VarFlowOutcome)),
		))),
	))
}

// ---------------------------------------------------------------- what the agent sees

// Variables and values of the agent's participant data.
const (
	AskedForVar          = "Flow.AskedFor"
	IdentifierTypeVar    = "Flow.IdentifierType"
	IdentifierSourceVar  = "Flow.IdentifierSource"
	IdentifierValueVar   = "Flow.IdentifierValue"
	SecondFactorVar      = "Flow.SecondFactorResult"
	ClaimedVar           = "Flow.Claimed"
	SourcePlatformLink   = "platformLink"
	SourceParticipant    = "participantData"
	SourceFirstMessage   = "firstMessage"
	SourceBotAnswer      = "botAnswer"
	SecondFactorNone     = "notConfigured"
	SecondFactorAgreed   = "agreed"
	SecondFactorDisagree = "disagreed"
	SecondFactorNotDone  = "notChecked"
	// NoneValue stands for "nothing" in an attribute: participant data are strings.
	NoneValue = "none"
)

func agentVars(m *model.Model) []*yaml.Node {
	vars := []*yaml.Node{
		// "" rather than NOT_SET: the source expressions compare it with a slot name.
		variable("stringVariable", AskedForVar, "", Lit(""), false, false),
		stringVar(IdentifierTypeVar, "", false, false),
		stringVar(IdentifierSourceVar, "", false, false),
		variable("stringVariable", SecondFactorVar, "", Lit(pick(m.SecondFactor == nil, SecondFactorNone, SecondFactorNotDone)), false, false),
		stringVar(ClaimedVar, "", false, false),
	}
	if m.AgentData.IncludeValue {
		vars = append(vars, stringVar(IdentifierValueVar, "", false, false))
	}
	return vars
}

// noteIdentifier records which identifier is about to be resolved and where
// its value came from. A value the bot returned is the first message's when
// that message contains it (inferred: Architect fills the slot from the
// initial utterance only with text the utterance holds, help article
// call-bot-flow-action), else the customer's answer to the question.
func noteIdentifier(m *model.Model, id model.Identifier) *yaml.Node {
	src := Lit(SourceParticipant)
	if a := id.Ask; a != nil {
		asked := Quote(SourceBotAnswer)
		if a.FromFirstMessage {
			asked = "If(IsNotSetOrEmpty(" + FirstMessage + "), " + Quote(SourceBotAnswer) + ", If(Contains(" + FirstMessage + ", " + id.Variable + "), " +
				Quote(SourceFirstMessage) + ", " + Quote(SourceBotAnswer) + "))"
		}
		src = Exp(asked)
		if id.ParticipantData != "" {
			src = Exp("If(" + AskedForVar + " == " + Quote(a.Slot) + ", " + asked + ", " + Quote(SourceParticipant) + ")")
		}
	}
	stmts := []*yaml.Node{setString(IdentifierTypeVar, Lit(id.Type)), setString(IdentifierSourceVar, src)}
	if m.AgentData.IncludeValue {
		stmts = append(stmts, setString(IdentifierValueVar, Exp(id.Variable)))
	}
	return setVars("Note the "+id.Type, stmts...)
}

// noteSecondFactor keeps the latest comparison of the second factor: the
// module compares it once a lookup found a contact, then either reports a
// mismatch or goes on to link (or finds a conflict or an error after agreeing).
func noteSecondFactor() *yaml.Node {
	var agreed []string
	for _, o := range []string{OutcomeAlreadyLinked, OutcomeMerged, OutcomeAssociated, OutcomeConflict} {
		agreed = append(agreed, "Flow.Outcome == "+Quote(o))
	}
	return setVars("Note the second factor", setString(SecondFactorVar, Exp("If(IsNotSetOrEmpty(Flow.Outcome), "+SecondFactorVar+
		", If(Flow.Outcome == "+Quote(OutcomeMismatch)+", "+Quote(SecondFactorDisagree)+
		", If("+strings.Join(agreed, " or ")+", "+Quote(SecondFactorAgreed)+", "+SecondFactorVar+")))")))
}

// tellTheAgent writes the outcome of resolution to the customer's
// participant data (Set Participant Data, archy.md 3.1; keys and values are
// strings, help.mypurecloud.com/?p=20576), under the configured prefix.
// "claimed": linked on a value only the customer's own words gave (the first
// message or a bot answer) with no second factor agreeing.
func tellTheAgent(m *model.Model) []*yaml.Node {
	claimed := "If(Flow.Linked and !IsNotSetOrEmpty(" + IdentifierSourceVar + "), If((" + IdentifierSourceVar + " == " + Quote(SourceFirstMessage) + " or " +
		IdentifierSourceVar + " == " + Quote(SourceBotAnswer) + ") and " + SecondFactorVar + " != " + Quote(SecondFactorAgreed) + ", \"true\", \"false\"), \"false\")"
	orNone := func(v, none string) *yaml.Node {
		return Exp("If(IsNotSetOrEmpty(" + v + "), " + Quote(none) + ", " + v + ")")
	}
	p := m.AgentData.Prefix
	attr := func(k string, v *yaml.Node) *yaml.Node {
		return M("attribute", M("name", Lit(p+k), "value", v))
	}
	attrs := []*yaml.Node{
		attr(config.AgentOutcome, orNone(contract.VarFlowOutcome, OutcomeNoValue)),
		attr(config.AgentIdentifierType, orNone(IdentifierTypeVar, NoneValue)),
		attr(config.AgentSource, orNone(IdentifierSourceVar, NoneValue)),
		attr(config.AgentSecondFactor, Exp(SecondFactorVar)),
		attr(config.AgentClaimed, Exp(ClaimedVar)),
	}
	if m.AgentData.IncludeValue {
		attrs = append(attrs, attr(config.AgentIdentifierValue, orNone(IdentifierValueVar, "")))
	}
	return []*yaml.Node{
		setVars("Summarise for the agent", setString(ClaimedVar, Exp(claimed))),
		Action("setParticipantData", M("name", "Tell the agent", "attributes", Seq(attrs))),
	}
}
