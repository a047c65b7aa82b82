// Package flows builds the three Architect flows of the bundle from the model:
// the bot flow that asks for identifiers, the ResolveContact common module that
// looks an identifier up and links the conversation, and the inbound message
// flow that ties them together and always ends in the queue.
package flows

import (
	"fmt"
	"slices"
	"strings"

	"github.com/bpgen/bpgen/internal/contract"
	. "github.com/bpgen/bpgen/internal/render/archy"
	"github.com/bpgen/bpgen/internal/render/config"
	"github.com/bpgen/bpgen/internal/render/model"
	"github.com/bpgen/bpgen/internal/render/parallel"
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
	Doc     *Node
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
	// One Builder for this call's documents, dropped with them.
	return buildAll(m, new(Builder))
}

// buildAll builds the documents one after another with b (nil makes every
// node on its own). Building them concurrently, each with a Builder of its
// own, measured no faster in a process and slower warm: less is shared, and
// each goroutine grows its stack again.
func buildAll(m *model.Model, b *Builder) ([]*Flow, error) {
	fb := &build{b}
	var out []*Flow
	for _, mk := range flowMakers(m) {
		f, err := made(mk(fb, m))
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// BuildEncode is Build, with the flows encoded concurrently: it returns once
// every flow is built, and encoded waits for the bytes (in the flows'
// order), so what needs the flows but not their bytes (the Terraform files)
// is made meanwhile. encoded must be called: it also hands on a panic of an
// encoding goroutine.
func BuildEncode(m *model.Model) (fl []*Flow, encoded func() ([][]byte, error), err error) {
	if fl, err = Build(m); err != nil {
		return nil, nil, err
	}
	data := make([][]byte, len(fl))
	errs := make([]error, len(fl))
	var g parallel.Group
	for i, f := range fl {
		g.Go(func() { data[i], errs[i] = f.Encode() })
	}
	return fl, func() ([][]byte, error) {
		g.Wait()
		for i, err := range errs {
			if err != nil {
				return nil, fmt.Errorf("%s: %w", fl[i].File, err)
			}
		}
		return data, nil
	}, nil
}

func flowMakers(m *model.Model) []func(*build, *model.Model) *Flow {
	makers := []func(*build, *model.Model) *Flow{(*build).commonModule, (*build).inboundFlow}
	if m.HasBot() {
		makers = append([]func(*build, *model.Model) *Flow{(*build).botFlow}, makers...)
	}
	return makers
}

func made(f *Flow) (*Flow, error) { return f, f.resolveSubs() }

// build makes the flows' nodes with its Builder; every function below that
// makes nodes is a method of it. A nil Builder makes every node on its own.
type build struct{ *Builder }

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
func (fb *build) flowDoc(m *model.Model, root, name, desc, startUp string, vars []*Node, settings ...any) *Node {
	return fb.M(root, fb.M(append([]any{
		"name", name,
		"description", desc,
		"division", Placeholder("division"),
		"startUpRef", "/" + root + "/" + startUp,
		"defaultLanguage", m.Language,
		"supportedLanguages", fb.M(m.Language, fb.M("defaultLanguageSkill", fb.NoValue())),
		"variables", fb.Seq(vars),
	}, settings...)...))
}

func (fb *build) botFlow(m *model.Model) *Flow {
	b := m.Bot
	const refID = "Identify Customer_10"
	vars := []*Node{fb.stringVar(AskForVariable, "The slot to ask for.", true, false)}
	var cases []*Node
	var entities, types []*Node
	for _, a := range m.Slots() {
		vars = append(vars, fb.stringVar("Slot."+a.Slot, "", true, true))
		cases = append(cases, fb.M("case", fb.M(
			"value", fb.Exp(AskForVariable+" == "+Quote(a.Slot)),
			"actions", fb.S(fb.Action("askForSlot", fb.M(
				"name", "Ask for "+a.Slot,
				"slot", fb.M("name", a.Slot),
				"question", fb.Communication(a.Question),
				"customValidation", fb.NoValue(),
				"confirmationMode", fb.Lit("never"),
				"noInput", fb.Communication(a.NoInput),
				"noMatch", fb.Communication(a.NoMatch),
				"voiceEndOfInputTimeout", fb.NoValue(),
				// Disabled: after the retries the bot's recognition-failure handling
				// exits, and the caller carries on to the queue with the slot unset.
				"outputs", fb.M("maxNoInputs", fb.M("enabled", false), "maxNoMatches", fb.M("enabled", false)),
			))),
		)))
		entities = append(entities, fb.M("name", a.Slot, "type", a.Slot+"Type"))
		types = append(types, fb.M(
			"name", a.Slot+"Type",
			"description", "Values accepted for "+a.Slot+".",
			"mechanism", fb.M("type", "Regex", "restricted", true, "items", fb.S(fb.M("value", a.Pattern, "synonyms", fb.S()))),
		))
	}
	seconds := (b.NoInputTimeoutMs + 999) / 1000
	doc := fb.flowDoc(m, "botFlow", m.Names.BotFlow, "Asks the customer for an identifier (rendered by bpgen).", "bots/bot["+refID+"]", vars,
		// Agent escalation stays disabled (the caller hands over to the queue), so
		// the escalation wording and handling are left out: every published bot
		// flow that sets agentEscalationConfirmation/Handover/Handling enables
		// escalation (the blueprint's MergeExternalContactBot.yaml, archy.md §1.3),
		// and Architect rejects properties not assignable in the current mode.
		"settingsErrorHandling", fb.M(
			"errorHandling", fb.M("exit", fb.None()),
			"enableAgentEscalation", fb.Lit(false),
			"errorEventHandover", fb.Communication(b.ErrorMessage),
			"recognitionFailureEventHandover", fb.Communication(b.HandoverMessage),
			"recognitionFailureEventHandling", fb.M("exit", fb.None()),
		),
		"settingsBotFlow", fb.None(),
		"settingsUserInput", fb.M(
			"enableAutomaticQuickReplies", fb.Lit(false),
			"noMatchesMax", fb.Lit(b.Retries),
			"noInputsMax", fb.Lit(b.Retries),
			"noInputsTimeout", fb.Lit(fb.M("seconds", seconds)),
			"confirmationRejectionsMax", fb.Lit(b.Retries),
			"noMatchApology", fb.Communication(b.NoMatchApology),
			"noInputApology", fb.Communication(b.NoInputApology),
			"noToConfirmationApology", fb.Communication("My mistake."),
			"confirmationNoMatchApology", fb.Communication("Sorry, please say yes or no."),
			"confirmationNoInputApology", fb.Communication("Sorry, please say yes or no."),
		),
		"settingsKnowledge", fb.None(),
		"bots", fb.S(fb.M("bot", fb.M(
			"name", "Identify Customer",
			"refId", refID,
			"actions", fb.S(
				fb.Action("switch", fb.M(
					"name", "Which question?",
					"evaluate", fb.M("firstTrue", fb.M("cases", fb.Seq(cases))),
				)),
				fb.Action("exitBotFlow", fb.M("name", "Exit Bot Flow")),
			),
		))),
		"settingsNaturalLanguageUnderstanding", fb.M(
			"nluDomainVersion", fb.M(
				"intents", fb.S(),
				"entities", fb.Seq(entities),
				"entityTypes", fb.Seq(types),
				"language", m.Language,
				"languageVersions", fb.M(),
			),
			"mutedUtterances", fb.S(),
		),
	)
	return &Flow{Key: BotKey, Root: "botFlow", APIType: "bot", Name: m.Names.BotFlow, File: contract.BotFlowFile, Doc: doc,
		Uses: []Ref{{Kind: contract.KindDivision, Attr: contract.AttrID}}}
}

func (fb *build) stringVar(name, desc string, in, out bool) *Node {
	return fb.variable("stringVariable", name, desc, fb.NoValue(), in, out)
}

func (fb *build) variable(kind, name, desc string, initial *Node, in, out bool) *Node {
	// Text the flows compute goes in as nodes (fb.Str): a string would be
	// boxed into M's []any on the heap. A nil node drops the description.
	var d *Node
	if desc != "" {
		d = fb.Str(desc)
	}
	return fb.M(kind, fb.M("name", fb.Str(name), "description", d, "initialValue", initial, "isInput", in, "isOutput", out))
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

func (fb *build) failureOutputs() *Node {
	return fb.failureOutputsInto("Common.errorStatus", "Common.errorMessage")
}

// failureOutputsInto binds status and userMessage to the given variables
// ("" for none) and every other failure output to noValue.
func (fb *build) failureOutputsInto(status, message string) *Node {
	n := fb.MapOf(len(contract.FailureOutputs))
	for _, k := range contract.FailureOutputs {
		v := fb.NoValue()
		switch {
		case k == "status" && status != "":
			v = fb.Var(status)
		case k == "userMessage" && message != "":
			v = fb.Var(message)
		}
		n.Content = append(n.Content, fb.Str(k), v)
	}
	return n
}

func (fb *build) setVars(name string, stmts ...*Node) *Node {
	return fb.Action("updateData", fb.M("name", fb.Str(name), "statements", fb.Seq(stmts)))
}

func (fb *build) setString(v string, val *Node) *Node {
	return fb.M("string", fb.M("variable", fb.Str(v), "value", val))
}

func (fb *build) setBool(v string, val bool) *Node {
	return fb.M("boolean", fb.M("variable", fb.Str(v), "value", fb.Lit(val)))
}

func (fb *build) outcome(o string) *Node { return fb.setString(OutOutcome, fb.Lit(o)) }

// callData builds a data-action call with all three outputs.
func (fb *build) callData(name, actionKey string, inputs, success *Node, onSuccess, onFailure, onTimeout []*Node, timeoutSeconds int) *Node {
	return fb.Action("callData", fb.callDataBody(name, actionKey, inputs, success, fb.failureOutputs(), onSuccess, onFailure, onTimeout, timeoutSeconds))
}

func (fb *build) callDataBody(name, actionKey string, inputs, success, failures *Node, onSuccess, onFailure, onTimeout []*Node, timeoutSeconds int) *Node {
	return fb.M(
		"name", name,
		"processingPrompt", fb.NoValue(),
		"timeout", fb.Lit(fb.M("seconds", timeoutSeconds+5)),
		"category", fb.M(Placeholder("data_action_category"), fb.M(
			"dataAction", fb.M(Placeholder(actionKey+"_action_name"), fb.M(
				"inputs", inputs,
				"successOutputs", success,
				"failureOutputs", failures,
			)),
		)),
		"outputs", fb.outputPaths(onSuccess, onFailure, onTimeout),
	)
}

// outputPaths lists the output paths that have actions: an omitted path
// continues after the action ("outputs may list only success", the
// blueprint's ResolveContact.yaml; archy.md 3.1).
func (fb *build) outputPaths(success, failure, timeout []*Node) *Node {
	return fb.M("success", fb.actions(success), "failure", fb.actions(failure), "timeout", fb.actions(timeout))
}

// actions is an output path's {actions: [...]}, or nil (no path) for none.
func (fb *build) actions(acts []*Node) *Node {
	if len(acts) == 0 {
		return nil
	}
	return fb.M("actions", fb.Seq(acts))
}

// callDataInFlow is callData for a message flow (published inbound message
// flows call data actions directly: webmsg-lambda's
// DudeWheresMyStuffMessage.yaml, archy.md 3.1 and 3.2): processingPrompt
// appears only in common-module exports, so it is left out.
func (fb *build) callDataInFlow(name, actionKey string, inputs, success *Node, onSuccess []*Node, timeoutSeconds int) *Node {
	// The failure path continues after the action, so nothing of the error is kept.
	body := fb.callDataBody(name, actionKey, inputs, success, fb.failureOutputsInto("", ""), onSuccess, nil, nil, timeoutSeconds)
	body.Content = slices.Delete(body.Content, 2, 4) // processingPrompt, second in callDataBody
	return fb.Action("callData", body)
}

func (fb *build) decision(name, cond string, yes, no []*Node) *Node {
	outs := fb.M("yes", fb.actions(yes), "no", fb.actions(no))
	return fb.Action("decision", fb.M("name", fb.Str(name), "condition", fb.Exp(cond), "outputs", outs))
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

func (fb *build) commonModule(m *model.Model) *Flow {
	sf := m.SecondFactor
	vars := []*Node{
		fb.stringVar(InConversationID, "The conversation to link.", true, false),
		fb.stringVar(InIdentifierType, "Identifier type as the API spells it: "+strings.Join(m.IdentifierTypes(), ", ")+".", true, false),
		fb.stringVar(InIdentifierValue, "Identifier value as the customer gave it; the module normalises it.", true, false),
	}
	if sf != nil {
		vars = append(vars, fb.stringVar(InSecondFactor, "The customer's "+sf.Field+", compared case-insensitively with the contact's.", true, false))
	}
	// With the check before asking, the inbound flow may already have read the
	// conversation's contact: it passes what it read, and the module reads only
	// what is still NOT_SET.
	pre := m.CheckBeforeAsking
	vars = append(vars,
		fb.variable("booleanVariable", OutLinked, "True when the conversation is linked to the known contact.", fb.Lit(false), false, true),
		fb.stringVar(OutContactID, "The contact the conversation is linked to.", false, true),
		fb.variable("stringVariable", OutOutcome, "Why: alreadyLinked, merged, associated, notFound, secondFactorMismatch, conflict, noValue or error.", fb.Lit(OutcomeError), false, true),
		fb.stringVar("Common.value", "", false, false),
		fb.stringVar("Common.foundContactId", "", false, false),
		fb.stringVar("Common.foundMergeSet", "", false, false),
		fb.stringVar(InConversationContact, pick(pre, "The conversation's contact, when the caller has read it.", ""), pre, false),
		fb.stringVar(InCommunicationID, pick(pre, "The customer's message communication, when the caller has read it.", ""), pre, false),
		fb.stringVar("Common.errorMessage", "", false, false),
		fb.variable("integerVariable", "Common.errorStatus", "", fb.NoValue(), false, false),
	)
	hasPhone := false
	for _, id := range m.Identifiers {
		hasPhone = hasPhone || id.Normalize.Kind == "phone"
	}
	if hasPhone {
		vars = append(vars, fb.stringVar(DigitsVariable, "", false, false),
			fb.variable("stringVariable", CallingCodesVariable, "Every country calling code (libphonenumber), to tell international numbers typed without +.", fb.Lit(CallingCodes()), false, false))
	}
	if sf != nil {
		vars = append(vars, fb.stringVar("Common.foundSecondFactor", "", false, false))
	}
	if m.NeedsContactType() || pre {
		vars = append(vars, fb.stringVar(InConversationContactType, pick(pre, "The type of the conversation contact's canonical head, when the caller has read it.", ""), pre, false))
	}
	if m.HasExternalID() {
		vars = append(vars, fb.variable("stringVariable", "Common.externalSourceId", "External source of ExternalId identifiers.", fb.Lit(Placeholder("external_source_id")), false, false))
	}

	// Normalisation: one If chain over the configured types.
	var norm []*Node
	valueExpr := "Trim(" + InIdentifierValue + ")"
	for i := len(m.Identifiers) - 1; i >= 0; i-- {
		id := m.Identifiers[i]
		steps := NormalizeExpr(id.Normalize, InIdentifierValue)
		// Intermediate steps are statements of their own (Architect has no let-binding).
		var pre []*Node
		for _, st := range steps[:len(steps)-1] {
			pre = append(pre, fb.setString(DigitsVariable, fb.Exp("If("+InIdentifierType+" == "+Quote(id.Type)+", "+st+", "+DigitsVariable+")")))
		}
		norm = append(pre, norm...)
		valueExpr = "If(" + InIdentifierType + " == " + Quote(id.Type) + ", " + steps[len(steps)-1] + ", " + valueExpr + ")"
	}
	t := m.TimeoutSeconds
	errorOut := []*Node{fb.setVars("Resolution failed", fb.outcome(OutcomeError))}

	// Linking, once the known contact is established.
	link := fb.linkActions(m, t, errorOut)
	// Already linked: the conversation's contact is the found one or one of its
	// merge set (which the lookup returned). Ids are quoted in the merge set's
	// JSON text, so Contains(String, String) (catalogue; NOT_SET not allowed,
	// hence the guards) on the quoted id, built with + (archy.md 4.2), matches
	// whole ids only.
	known := []*Node{fb.decision("Already linked?",
		"If(IsNotSetOrEmpty(Common.foundContactId) or IsNotSetOrEmpty("+InConversationContact+"), false, "+
			"Common.foundContactId == "+InConversationContact+" or If(IsNotSetOrEmpty(Common.foundMergeSet), false, "+
			"Contains(Common.foundMergeSet, "+Quote(`"`)+" + "+InConversationContact+" + "+Quote(`"`)+")))",
		[]*Node{fb.setVars("Already linked", fb.setBool(OutLinked, true), fb.setString(OutContactID, fb.Exp("Common.foundContactId")), fb.outcome(OutcomeAlreadyLinked))},
		link)}
	conv := fb.callData("Get conversation contact", contract.ActionConversation,
		fb.M("conversationId", fb.Exp(InConversationID)),
		fb.M("customerContactId", fb.Var(InConversationContact), "communicationId", fb.Var(InCommunicationID)),
		known, errorOut, errorOut, t)
	afterLookup := []*Node{conv}
	if pre {
		afterLookup = []*Node{fb.decision("Conversation contact read?", "!IsNotSetOrEmpty("+InConversationContact+")", known, []*Node{conv})}
	}
	if sf != nil {
		afterLookup = []*Node{fb.decision("Second factor agrees?", secondFactorAgrees(InSecondFactor, "Common.foundSecondFactor"),
			afterLookup,
			[]*Node{fb.setVars("Second factor mismatch", fb.outcome(OutcomeMismatch))})}
	}
	lookupInputs := fb.M("type", fb.Exp(InIdentifierType), "value", fb.Exp("Common.value"))
	if m.HasExternalID() {
		lookupInputs = fb.M("type", fb.Exp(InIdentifierType), "value", fb.Exp("Common.value"),
			"externalSourceId", fb.Exp("If("+InIdentifierType+" == \"ExternalId\", Common.externalSourceId, \"\")"))
	}
	successOut := fb.M("id", fb.Var("Common.foundContactId"), "firstName", fb.NoValue(), "lastName", fb.NoValue(), model.LookupMergeSet, fb.Var("Common.foundMergeSet"))
	if sf != nil {
		successOut = fb.M("id", fb.Var("Common.foundContactId"),
			"firstName", pick(sf.Field == "firstName", fb.Var("Common.foundSecondFactor"), fb.NoValue()),
			"lastName", pick(sf.Field == "lastName", fb.Var("Common.foundSecondFactor"), fb.NoValue()),
			model.LookupMergeSet, fb.Var("Common.foundMergeSet"))
	}
	lookup := fb.callData("Look up identifier", contract.ActionLookup, lookupInputs, successOut,
		afterLookup,
		[]*Node{fb.setVars("Lookup failed", fb.setString(OutOutcome, fb.Exp("If(If(IsSet(Common.errorStatus), Common.errorStatus == 404, false), "+Quote(OutcomeNotFound)+", "+Quote(OutcomeError)+")")))},
		errorOut, t)

	norm = append(norm, fb.setString("Common.value", fb.Exp(valueExpr)))
	noValue := []*Node{fb.setVars("No identifier", fb.outcome(OutcomeNoValue))}
	// The raw value is checked before normalising: Trim, Replace, Lower and
	// the other string functions do not allow NOT_SET (catalogue allowNotSet).
	actions := []*Node{
		fb.decision("Identifier missing?", "IsNotSetOrEmpty("+InIdentifierValue+")", noValue, []*Node{
			fb.setVars("Normalise identifier", norm...),
			fb.decision("Nothing left after normalising?", "IsNotSetOrEmpty(Common.value)", noValue, []*Node{lookup}),
		}),
		fb.Action("endTask", fb.M("name", "Exit Common Module")),
	}
	doc := fb.M("commonModule", fb.M(
		"name", m.Names.CommonModule,
		"description", "Looks an identifier up and links the conversation to its contact (rendered by bpgen).",
		"division", Placeholder("division"),
		"supportedLanguages", fb.M(m.Language, fb.None()),
		"variables", fb.Seq(vars),
		"settingsCommonModule", fb.M("compatibleFlowTypes", fb.S(
			fb.M("flowType", "inboundshortmessage"), fb.M("flowType", "inboundcall"), fb.M("flowType", "inboundemail"), fb.M("flowType", "workflow"))),
		"settingsActionDefaults", fb.M(
			"callData", fb.M("processingPrompt", fb.NoValue()),
			"callDataSecure", fb.M("processingPrompt", fb.NoValue()),
		),
		"startUpTaskActions", fb.Seq(actions),
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

func pick[T any](c bool, a, b T) T {
	if c {
		return a
	}
	return b
}

func (fb *build) linkActions(m *model.Model, t int, errorOut []*Node) []*Node {
	// The conversation action's outputs may come back NOT_SET; a data action
	// is never called with a NOT_SET id (the platform would reject the
	// request), the module reports an error instead.
	if m.Strategy == "associate" {
		return []*Node{fb.decision("Communication missing?", "IsNotSetOrEmpty("+InCommunicationID+")", errorOut, []*Node{fb.callData("Associate conversation", contract.ActionAssociate,
			fb.M("conversationId", fb.Exp(InConversationID), "communicationId", fb.Exp(InCommunicationID), "externalContactId", fb.Exp("Common.foundContactId")),
			fb.M("associated", fb.NoValue()),
			[]*Node{fb.setVars("Associated", fb.setBool(OutLinked, true), fb.setString(OutContactID, fb.Exp("Common.foundContactId")), fb.outcome(OutcomeAssociated))},
			errorOut, errorOut, t)})}
	}
	merge := fb.callData("Merge contacts", contract.ActionMerge,
		fb.M("sourceContactId", fb.Exp(InConversationContact), "targetContactId", fb.Exp("Common.foundContactId")),
		fb.M("id", fb.Var(OutContactID)),
		[]*Node{fb.setVars("Merged", fb.setBool(OutLinked, true), fb.outcome(OutcomeMerged))},
		errorOut, errorOut, t)
	conflict := []*Node{fb.setVars("Linked to another customer", fb.outcome(OutcomeConflict))}
	byType := []*Node{fb.decision("Anonymous contact?", "If(IsSet("+InConversationContactType+"), "+InConversationContactType+" == \"Ephemeral\" or "+InConversationContactType+" == \"Identified\", false)",
		[]*Node{merge}, conflict)}
	typeKnown := "!IsNotSetOrEmpty(" + InConversationContactType + ")"
	var body []*Node
	switch {
	case m.MergeDeprecated && m.CheckBeforeAsking:
		// A type the caller read is checked for free; otherwise the deprecated
		// endpoint's own type rule stands guard.
		body = []*Node{fb.decision("Contact type known?", typeKnown, byType, []*Node{merge})}
	case m.MergeDeprecated:
		body = []*Node{merge}
	default:
		read := fb.callData("Get conversation contact type", contract.ActionContact,
			fb.M("contactId", fb.Exp(InConversationContact)),
			fb.M("id", fb.NoValue(), "type", fb.Var(InConversationContactType), "firstName", fb.NoValue(), "lastName", fb.NoValue(), model.ContactExternalID, fb.NoValue()),
			byType, errorOut, errorOut, t)
		body = []*Node{read}
		if m.CheckBeforeAsking {
			body = []*Node{fb.decision("Contact type known?", typeKnown, byType, []*Node{read})}
		}
	}
	return []*Node{fb.decision("Conversation contact missing?", "IsNotSetOrEmpty("+InConversationContact+")", errorOut, body)}
}

// ---------------------------------------------------------------- inbound message flow

func (fb *build) inboundFlow(m *model.Model) *Flow {
	const refID = "Identify Customer_10"
	vars := []*Node{}
	var attrs []*Node
	for _, id := range m.Identifiers {
		vars = append(vars, fb.stringVar(id.Variable, "", false, false))
		if id.ParticipantData != "" {
			attrs = append(attrs, fb.M("attribute", fb.M("name", fb.Lit(id.ParticipantData), "variable", id.Variable)))
		}
	}
	sf := m.SecondFactor
	if sf != nil {
		vars = append(vars, fb.stringVar(sf.Variable, "", false, false))
		if sf.ParticipantData != "" {
			attrs = append(attrs, fb.M("attribute", fb.M("name", fb.Lit(sf.ParticipantData), "variable", sf.Variable)))
		}
	}
	vars = append(vars,
		fb.variable("booleanVariable", "Flow.Linked", "", fb.Lit(false), false, false),
		fb.variable("booleanVariable", StopAsking, "", fb.Lit(false), false, false),
		fb.stringVar("Flow.ContactId", "", false, false),
		fb.stringVar(contract.VarFlowOutcome, "", false, false),
	)
	var actions []*Node
	if len(attrs) > 0 {
		actions = append(actions, fb.Action("getParticipantData", fb.M("name", "Get Participant Data", "attributes", fb.Seq(attrs))))
		var checks []*Node
		scratch := false
		for _, id := range m.Identifiers {
			if id.ParticipantData != "" {
				st, uses := fb.participantDataChecks(id.Variable, id.Normalize.Kind)
				checks, scratch = append(checks, st...), scratch || uses
			}
		}
		if sf != nil && sf.ParticipantData != "" {
			st, _ := fb.participantDataChecks(sf.Variable, "")
			checks = append(checks, st...)
		}
		if scratch {
			vars = append(vars, fb.stringVar(CheckVariable, "", false, false))
		}
		actions = append(actions, fb.setVars("Discard unusable participant data", checks...))
	}
	if m.CheckBeforeAsking {
		pre, preVars := fb.checkBeforeAsking(m)
		vars = append(vars, preVars...)
		var none []string
		for _, id := range m.Identifiers {
			none = append(none, "IsNotSetOrEmpty("+id.Variable+")")
		}
		actions = append(actions, fb.decision("Nothing given yet?", strings.Join(none, " and "), pre, nil))
	}
	slots := m.Slots()
	for i, id := range m.Identifiers {
		var try []*Node
		if id.Ask != nil {
			try = append(try, fb.ask(slots, id.Ask.Slot, id.Variable))
		}
		var lookup []*Node
		if sf != nil && sf.Ask != nil {
			lookup = append(lookup, fb.ask(slots, sf.Ask.Slot, sf.Variable))
		}
		if m.AgentData != nil {
			lookup = append([]*Node{fb.noteIdentifier(m, id)}, lookup...)
		}
		lookup = append(lookup, fb.callModule(m, id, sf))
		if m.AgentData != nil && sf != nil {
			lookup = append(lookup, fb.noteSecondFactor())
		}
		if m.Stitch && id.Type != contract.IdentifierExternalID {
			lookup = append(lookup, fb.stitch(m))
		}
		try = append(try, fb.decision(id.Type+" given?", "!IsNotSetOrEmpty("+id.Variable+")", lookup, nil))
		if i == 0 && !m.CheckBeforeAsking {
			actions = append(actions, try...)
		} else {
			actions = append(actions, fb.decision("Try "+id.Type+"?", "!Flow.Linked", try, nil))
		}
	}
	if m.AgentData != nil {
		vars = append(vars, fb.agentVars(m)...)
		actions = append(actions, fb.tellTheAgent(m)...)
	}
	if m.Bot.StatusEnabled {
		actions = append(actions, fb.decision("Linked?", "Flow.Linked",
			[]*Node{fb.Action("sendResponse", fb.M("name", "Tell the customer", "messageBody", fb.Lit(m.Bot.StatusLinked)))},
			[]*Node{fb.Action("sendResponse", fb.M("name", "Tell the customer", "messageBody", fb.Lit(m.Bot.StatusNotLinked)))}))
	}
	actions = append(actions, fb.transfer())
	doc := fb.flowDoc(m, "inboundShortMessage", m.Names.InboundFlow,
		"Identifies the customer, links the conversation to their contact, then transfers to the queue (rendered by bpgen).", "states/state["+refID+"]", vars,
		// A failure anywhere still reaches the queue: resolution must never strand a conversation.
		"settingsErrorHandling", fb.M("errorHandling", fb.M("queue", fb.M("targetQueue", fb.Lit(fb.M("name", Placeholder("queue_name")))))),
		"states", fb.S(fb.M("state", fb.M(
			"name", "Identify Customer",
			"refId", refID,
			"actions", fb.Seq(actions),
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
func (fb *build) ask(slots []*model.Ask, slot, into string) *Node {
	return fb.decision(slot+" missing and still asking?", "IsNotSetOrEmpty("+into+") and !"+StopAsking, []*Node{
		fb.setVars("Asking for "+slot, fb.setString(AskedForVar, fb.Lit(slot))),
		fb.callBot(slots, slot, into),
		fb.decision(slot+" still missing?", "IsNotSetOrEmpty("+into+")",
			[]*Node{fb.setVars("Stop asking", fb.M("boolean", fb.M("variable", StopAsking, "value", fb.Lit(true))))}, nil),
	}, nil)
}

func (fb *build) transfer() *Node {
	return fb.Action("transferToAcd", fb.M(
		"name", "Transfer to ACD",
		"targetQueue", fb.Lit(fb.M("name", Placeholder("queue_name"))),
		"priority", fb.Lit(0),
		"preferredAgents", fb.NoValue(),
		"languageSkill", fb.NoValue(),
		"directAgent", fb.NoValue(),
	))
}

func (fb *build) callBot(slots []*model.Ask, slot, into string) *Node {
	ins := fb.MapOf(1 + len(slots))
	ins.Content = append(ins.Content, fb.Str(AskForVariable), fb.Lit(slot))
	outs := fb.MapOf(len(slots))
	for _, a := range slots {
		key := fb.Str("Slot." + a.Slot)
		ins.Content = append(ins.Content, key, fb.NoValue())
		out := fb.NoValue()
		if a.Slot == slot {
			out = fb.Var(into)
		}
		outs.Content = append(outs.Content, key, out)
	}
	// The customer's first message is the bot's initial utterance, as the
	// blueprint passes it (MergeExternalContactMessageFlow.yaml): "Bot Input
	// Text supplies an initial utterance that the bot processes with the first
	// Ask action in the bot flow" (help.mypurecloud.com/articles/call-bot-flow-action/).
	// Only for slots whose values a greeting cannot be taken for (an email, a
	// phone number); a name or a free-form id would be filled from "Hello".
	input := fb.NoValue()
	for _, a := range slots {
		if a.Slot == slot && a.FromFirstMessage {
			input = fb.Exp(FirstMessage)
		}
	}
	return fb.Action("callBotFlow", fb.M(
		"name", "Ask for "+slot,
		"inputText", input,
		"exitReason", fb.NoValue(),
		"intent", fb.NoValue(),
		"botFlow", fb.M(Placeholder("bot_flow_name"), fb.M("ver_latestPublished", fb.M("inputs", ins, "outputs", outs))),
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
func (fb *build) stitch(m *model.Model) *Node {
	cond := "If(IsSet(Flow.Outcome) and IsSet(" + ContactTypeVar + "), Flow.Outcome == " + Quote(OutcomeAssociated) +
		" and (" + ContactTypeVar + " == \"Ephemeral\" or " + ContactTypeVar + " == \"Identified\"), false) and !IsNotSetOrEmpty(" + SenderIDVar + ")"
	return fb.decision("Claim the sender's id?", cond, []*Node{fb.callDataInFlow("Claim the sender's id", contract.ActionClaim,
		fb.M("contactId", fb.Exp("Flow.ContactId"), "value", fb.Exp(SenderIDVar), "externalSourceId", fb.Lit(Placeholder("external_source_id"))),
		fb.M("type", fb.NoValue(), "value", fb.NoValue()), nil, m.TimeoutSeconds)}, nil)
}

// checkBeforeAsking reads the conversation's contact before any question:
// when its canonical head is Curated (a known contact, or a contact in a known
// contact's merge set) the conversation is confirmed as linked and nothing is
// asked, except a configured second factor, which must agree with the
// contact's name (a platform link on a shared phone is the family-phone
// case). A failed read asks as before; what was read is passed to
// ResolveContact so it is not read twice.
func (fb *build) checkBeforeAsking(m *model.Model) ([]*Node, []*Node) {
	sf := m.SecondFactor
	t := m.TimeoutSeconds
	vars := []*Node{
		fb.stringVar(ConversationContactVar, "", false, false),
		fb.stringVar(CommunicationVar, "", false, false),
		fb.stringVar(ContactTypeVar, "", false, false),
		fb.stringVar(KnownContactVar, "", false, false),
	}
	stmts := []*Node{fb.setBool("Flow.Linked", true), fb.setString("Flow.ContactId", fb.Exp(KnownContactVar)), fb.setString(contract.VarFlowOutcome, fb.Lit(OutcomeAlreadyLinked))}
	if m.AgentData != nil {
		stmts = append(stmts, fb.setString(IdentifierSourceVar, fb.Lit(SourcePlatformLink)))
		if sf != nil {
			stmts = append(stmts, fb.setString(SecondFactorVar, fb.Lit(SecondFactorAgreed)))
		}
	}
	confirm := []*Node{fb.setVars("Known contact", stmts...)}
	sender := fb.NoValue()
	if m.Stitch {
		vars = append(vars, fb.stringVar(SenderIDVar, "", false, false))
		sender = fb.Var(SenderIDVar)
	}
	names := fb.M("id", fb.Var(KnownContactVar), "type", fb.Var(ContactTypeVar), "firstName", fb.NoValue(), "lastName", fb.NoValue(), model.ContactExternalID, sender)
	if sf != nil {
		vars = append(vars, fb.stringVar(KnownSecondFactorVar, "", false, false))
		names = fb.M("id", fb.Var(KnownContactVar), "type", fb.Var(ContactTypeVar),
			"firstName", pick(sf.Field == "firstName", fb.Var(KnownSecondFactorVar), fb.NoValue()),
			"lastName", pick(sf.Field == "lastName", fb.Var(KnownSecondFactorVar), fb.NoValue()),
			model.ContactExternalID, sender)
		mismatch := []*Node{fb.setString(contract.VarFlowOutcome, fb.Lit(OutcomeMismatch))}
		if m.AgentData != nil {
			mismatch = append(mismatch, fb.setString(SecondFactorVar, fb.Lit(SecondFactorDisagree)))
		}
		var steps []*Node
		if sf.Ask != nil {
			steps = append(steps, fb.ask(m.Slots(), sf.Ask.Slot, sf.Variable))
		}
		confirm = append(steps, fb.decision("Second factor agrees?", secondFactorAgrees(sf.Variable, KnownSecondFactorVar), confirm,
			[]*Node{fb.setVars("Second factor mismatch", mismatch...)}))
	}
	readType := fb.callDataInFlow("Get conversation contact type", contract.ActionContact, fb.M("contactId", fb.Exp(ConversationContactVar)), names,
		[]*Node{fb.decision("Known contact?", "If(IsSet("+ContactTypeVar+"), "+ContactTypeVar+" == \"Curated\", false)", confirm, nil)}, t)
	read := fb.callDataInFlow("Get conversation contact", contract.ActionConversation, fb.M("conversationId", fb.Exp("Message.ConversationId")),
		fb.M("customerContactId", fb.Var(ConversationContactVar), "communicationId", fb.Var(CommunicationVar)),
		[]*Node{fb.decision("Conversation has a contact?", "!IsNotSetOrEmpty("+ConversationContactVar+")", []*Node{readType}, nil)}, t)
	return []*Node{read}, vars
}

// secondFactorAgrees compares the customer's second factor with the
// contact's. Both sides are checked first: a contact without the field cannot
// agree, and Trim/Lower do not allow NOT_SET (catalogue), so the comparison
// sits in the branch If evaluates only when both are set.
func secondFactorAgrees(given, found string) string {
	return "If(IsNotSetOrEmpty(" + given + ") or IsNotSetOrEmpty(" + found + "), false, Lower(Trim(" + found + ")) == Lower(Trim(" + given + ")))"
}

func (fb *build) callModule(m *model.Model, id model.Identifier, sf *model.SecondFactor) *Node {
	// A nil value leaves the input out.
	var second, contact, communication, contactType *Node
	if sf != nil {
		second = fb.Exp(sf.Variable)
	}
	if m.CheckBeforeAsking {
		contact, communication, contactType = fb.Exp(ConversationContactVar), fb.Exp(CommunicationVar), fb.Exp(ContactTypeVar)
	}
	ins := fb.M(
		InConversationID, fb.Exp("Message.ConversationId"),
		InIdentifierType, fb.Lit(id.Type),
		InIdentifierValue, fb.Exp(id.Variable),
		InSecondFactor, second,
		InConversationContact, contact,
		InCommunicationID, communication,
		InConversationContactType, contactType,
	)
	return fb.Action("callCommonModule", fb.M(
		"name", "Resolve "+id.Type,
		"commonModule", fb.M(Placeholder("common_module_name"), fb.M("ver_latestPublished", fb.M(
			"inputs", ins,
			"outputs", fb.M(OutLinked, fb.Var("Flow.Linked"), OutContactID, fb.Var("Flow.ContactId"), OutOutcome, fb.Var(contract.VarFlowOutcome)),
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

func (fb *build) agentVars(m *model.Model) []*Node {
	vars := []*Node{
		// "" rather than NOT_SET: the source expressions compare it with a slot name.
		fb.variable("stringVariable", AskedForVar, "", fb.Lit(""), false, false),
		fb.stringVar(IdentifierTypeVar, "", false, false),
		fb.stringVar(IdentifierSourceVar, "", false, false),
		fb.variable("stringVariable", SecondFactorVar, "", fb.Lit(pick(m.SecondFactor == nil, SecondFactorNone, SecondFactorNotDone)), false, false),
		fb.stringVar(ClaimedVar, "", false, false),
	}
	if m.AgentData.IncludeValue {
		vars = append(vars, fb.stringVar(IdentifierValueVar, "", false, false))
	}
	return vars
}

// noteIdentifier records which identifier is about to be resolved and where
// its value came from. A value the bot returned is the first message's when
// that message contains it (inferred: Architect fills the slot from the
// initial utterance only with text the utterance holds, help article
// call-bot-flow-action), else the customer's answer to the question.
func (fb *build) noteIdentifier(m *model.Model, id model.Identifier) *Node {
	src := fb.Lit(SourceParticipant)
	if a := id.Ask; a != nil {
		asked := Quote(SourceBotAnswer)
		if a.FromFirstMessage {
			asked = "If(IsNotSetOrEmpty(" + FirstMessage + "), " + Quote(SourceBotAnswer) + ", If(Contains(" + FirstMessage + ", " + id.Variable + "), " +
				Quote(SourceFirstMessage) + ", " + Quote(SourceBotAnswer) + "))"
		}
		src = fb.Exp(asked)
		if id.ParticipantData != "" {
			src = fb.Exp("If(" + AskedForVar + " == " + Quote(a.Slot) + ", " + asked + ", " + Quote(SourceParticipant) + ")")
		}
	}
	stmts := []*Node{fb.setString(IdentifierTypeVar, fb.Lit(id.Type)), fb.setString(IdentifierSourceVar, src)}
	if m.AgentData.IncludeValue {
		stmts = append(stmts, fb.setString(IdentifierValueVar, fb.Exp(id.Variable)))
	}
	return fb.setVars("Note the "+id.Type, stmts...)
}

// noteSecondFactor keeps the latest comparison of the second factor: the
// module compares it once a lookup found a contact, then either reports a
// mismatch or goes on to link (or finds a conflict or an error after agreeing).
func (fb *build) noteSecondFactor() *Node {
	var agreed []string
	for _, o := range []string{OutcomeAlreadyLinked, OutcomeMerged, OutcomeAssociated, OutcomeConflict} {
		agreed = append(agreed, "Flow.Outcome == "+Quote(o))
	}
	return fb.setVars("Note the second factor", fb.setString(SecondFactorVar, fb.Exp("If(IsNotSetOrEmpty(Flow.Outcome), "+SecondFactorVar+
		", If(Flow.Outcome == "+Quote(OutcomeMismatch)+", "+Quote(SecondFactorDisagree)+
		", If("+strings.Join(agreed, " or ")+", "+Quote(SecondFactorAgreed)+", "+SecondFactorVar+")))")))
}

// tellTheAgent writes the outcome of resolution to the customer's
// participant data (Set Participant Data, archy.md 3.1; keys and values are
// strings, help.mypurecloud.com/?p=20576), under the configured prefix.
// "claimed": linked on a value only the customer's own words gave (the first
// message or a bot answer) with no second factor agreeing.
func (fb *build) tellTheAgent(m *model.Model) []*Node {
	claimed := "If(Flow.Linked and !IsNotSetOrEmpty(" + IdentifierSourceVar + "), If((" + IdentifierSourceVar + " == " + Quote(SourceFirstMessage) + " or " +
		IdentifierSourceVar + " == " + Quote(SourceBotAnswer) + ") and " + SecondFactorVar + " != " + Quote(SecondFactorAgreed) + ", \"true\", \"false\"), \"false\")"
	orNone := func(v, none string) *Node {
		return fb.Exp("If(IsNotSetOrEmpty(" + v + "), " + Quote(none) + ", " + v + ")")
	}
	p := m.AgentData.Prefix
	attr := func(k string, v *Node) *Node {
		return fb.M("attribute", fb.M("name", fb.Lit(p+k), "value", v))
	}
	attrs := []*Node{
		attr(config.AgentOutcome, orNone(contract.VarFlowOutcome, OutcomeNoValue)),
		attr(config.AgentIdentifierType, orNone(IdentifierTypeVar, NoneValue)),
		attr(config.AgentSource, orNone(IdentifierSourceVar, NoneValue)),
		attr(config.AgentSecondFactor, fb.Exp(SecondFactorVar)),
		attr(config.AgentClaimed, fb.Exp(ClaimedVar)),
	}
	if m.AgentData.IncludeValue {
		attrs = append(attrs, attr(config.AgentIdentifierValue, orNone(IdentifierValueVar, "")))
	}
	return []*Node{
		fb.setVars("Summarise for the agent", fb.setString(ClaimedVar, fb.Exp(claimed))),
		fb.Action("setParticipantData", fb.M("name", "Tell the agent", "attributes", fb.Seq(attrs))),
	}
}
