package architect

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/archy/expr"
	"github.com/bpgen/bpgen/internal/archy/flowyaml"
)

// varKind is the type of a flow variable.
type varKind int

const (
	kUnknown varKind = iota
	kString
	kBoolean
	kInteger
	kDecimal
)

func (k varKind) String() string {
	switch k {
	case kString:
		return "String"
	case kBoolean:
		return "Boolean"
	case kInteger:
		return "Integer"
	case kDecimal:
		return "Decimal"
	}
	return "value"
}

// variableKinds maps Archy's `<kind>Variable` keys and updateData statement
// keys to types. Other kinds (json, dateTime, collections, queues, ...) are
// unsupported: bpgen does not emit them.
var variableKinds = map[string]varKind{"string": kString, "boolean": kBoolean, "integer": kInteger, "decimal": kDecimal}

type varDecl struct {
	name          string
	kind          varKind
	init          expr.Value
	input, output bool
	line          int
}

// flowDef is one compiled flow.
type flowDef struct {
	file, name, typ string // typ is the API flow type: inboundshortmessage, bot, commonmodule
	line            int    // the root key's line
	vars            []varDecl
	kinds           map[string]varKind // every declared variable, block-scoped ones included

	// inboundshortmessage
	states     map[string]*block
	startState *block
	tasks      map[string]*block
	onError    errorHandling

	// bot
	bots     map[string]*block
	startBot *block
	bot      *botSettings

	// commonmodule
	startUp    []action
	compatible []string
}

func (f *flowDef) decl(name string) *varDecl {
	for i := range f.vars {
		if f.vars[i].name == name {
			return &f.vars[i]
		}
	}
	return nil
}

// block is a state, task or bot: a named list of actions with its own
// variables.
type block struct {
	kind, name, refID string
	line              int
	vars              []varDecl
	actions           []action
}

// errorHandling is a flow's settingsErrorHandling.errorHandling.
type errorHandling struct {
	kind  string // queue | disconnect | exit
	queue string
	line  int
}

// botSettings are what a bot flow's settings mean at run time.
type botSettings struct {
	noMatchesMax, noInputsMax int
	noInputTimeout            time.Duration
	noMatchApology            value
	noInputApology            value
	errorHandover             value
	recognitionHandover       value
	entities                  map[string]*entity // by slot name
}

// entity is a slot's entity: a regex slot type.
type entity struct {
	slot, typeName string
	patterns       []*regexp.Regexp
	line           int
}

// match returns the earliest match of any of the entity's patterns in text
// (the first pattern wins a tie), or "" and false.
func (e *entity) match(text string) (string, bool) {
	best, at := "", -1
	for _, re := range e.patterns {
		loc := re.FindStringIndex(text)
		if loc == nil || loc[1] == loc[0] {
			continue
		}
		if at < 0 || loc[0] < at {
			best, at = text[loc[0]:loc[1]], loc[0]
		}
	}
	return best, at >= 0
}

// compiler compiles one flow file.
type compiler struct {
	b        *Bundle
	file     string
	rootLine int
	flow     *flowDef
	declared map[string]varKind
	// links resolve references to other flows once every flow is compiled.
	links []func() error
}

var flowRoots = map[string]string{
	"inboundShortMessage": "inboundshortmessage",
	"botFlow":             "bot",
	"commonModule":        "commonmodule",
}

func (c *compiler) compile(text []byte, wantName, wantType string) (*flowDef, error) {
	doc, err := flowyaml.Parse(text)
	if err != nil {
		return nil, &LoadError{File: c.file, Msg: "invalid YAML: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, &LoadError{File: c.file, Msg: "a flow file must hold one YAML document"}
	}
	rootPair, err := c.single(doc.Content[0], "a flow file")
	if err != nil {
		return nil, err
	}
	c.rootLine = rootPair.k.Line
	typ, ok := flowRoots[rootPair.key]
	if !ok {
		return nil, c.unsupported(rootPair.k, "flow type %s", rootPair.key)
	}
	if wantType != "" && typ != wantType {
		return nil, c.errf(rootPair.k, "the manifest says this is a %s flow, the file holds %s", wantType, rootPair.key)
	}
	root := rootPair.v
	f := &flowDef{file: c.file, typ: typ, line: c.rootLine, kinds: map[string]varKind{}}
	c.flow, c.declared = f, f.kinds
	if f.name, err = c.str(get(root, "name"), "name"); err != nil {
		return nil, err
	}
	if wantName != "" && f.name != wantName {
		return nil, c.errf(get(root, "name"), "flow name %q differs from the manifest's %q", f.name, wantName)
	}

	common := []string{"name", "description", "division", "defaultLanguage", "supportedLanguages", "variables", "settingsActionDefaults", "settingsPrompts"}
	switch typ {
	case "inboundshortmessage":
		err = c.checkKeys(root, rootPair.key, append(common, "startUpRef", "settingsErrorHandling", "states", "tasks")...)
	case "bot":
		err = c.checkKeys(root, rootPair.key, append(common, "startUpRef", "settingsErrorHandling", "settingsBotFlow",
			"settingsUserInput", "settingsKnowledge", "settingsNaturalLanguageUnderstanding", "bots")...)
	case "commonmodule":
		err = c.checkKeys(root, rootPair.key, append(common, "settingsCommonModule", "startUpTaskActions")...)
	}
	if err != nil {
		return nil, err
	}

	prefixes := map[string][]string{"inboundshortmessage": {"Flow."}, "bot": {"Flow.", "Slot."}, "commonmodule": {"Common."}}[typ]
	if f.vars, err = c.variables(get(root, "variables"), prefixes); err != nil {
		return nil, err
	}

	switch typ {
	case "inboundshortmessage":
		err = c.inbound(root)
	case "bot":
		err = c.botFlow(root)
	case "commonmodule":
		err = c.commonModule(root)
	}
	if err != nil {
		return nil, err
	}
	return f, nil
}

// variables compiles a `variables:` list. Each name must start with one of
// prefixes (the scope the list declares).
func (c *compiler) variables(n *yaml.Node, prefixes []string) ([]varDecl, error) {
	var out []varDecl
	for p, err := range c.entries(n, "variables", "a variable", "") {
		if err != nil {
			return nil, err
		}
		kindName, ok := strings.CutSuffix(p.key, "Variable")
		k := variableKinds[kindName]
		if !ok || k == kUnknown {
			return nil, c.unsupported(p.k, "variable type %s", p.key)
		}
		if err := c.checkKeys(p.v, p.key, "name", "description", "initialValue", "isInput", "isOutput"); err != nil {
			return nil, err
		}
		d := varDecl{kind: k, line: p.k.Line, init: expr.NotSet{}}
		if d.name, err = c.str(get(p.v, "name"), "variable name"); err != nil {
			return nil, err
		}
		okPrefix := false
		for _, pre := range prefixes {
			okPrefix = okPrefix || strings.HasPrefix(d.name, pre)
		}
		if !okPrefix {
			return nil, c.errf(get(p.v, "name"), "variable %s must start with %s here", d.name, strings.Join(prefixes, " or "))
		}
		if _, dup := c.declared[d.name]; dup {
			return nil, c.errf(get(p.v, "name"), "variable %s is declared twice", d.name)
		}
		iv, err := c.value(get(p.v, "initialValue"), "initialValue", false)
		if err != nil {
			return nil, err
		}
		switch iv.kind {
		case vLit:
			if d.init, err = c.literal(iv.lit, k, "initialValue of "+d.name); err != nil {
				return nil, err
			}
		case vExp:
			return nil, c.unsupported(get(p.v, "initialValue"), "an expression as initial value of %s", d.name)
		}
		if d.input, err = c.boolean(get(p.v, "isInput"), "isInput"); err != nil {
			return nil, err
		}
		if d.output, err = c.boolean(get(p.v, "isOutput"), "isOutput"); err != nil {
			return nil, err
		}
		c.declared[d.name] = k
		out = append(out, d)
	}
	return out, nil
}

var refPattern = regexp.MustCompile(`^/(\w+)/(states|tasks|bots)/(state|task|bot)\[(.+)\]$`)

// ref resolves an absolute reference such as
// /inboundShortMessage/states/state[Identify Customer_10] to a block.
func (c *compiler) ref(n *yaml.Node, what string, blocks map[string]*block, wantList string) (*block, error) {
	s, err := c.str(n, what)
	if err != nil {
		return nil, err
	}
	m := refPattern.FindStringSubmatch(s)
	if m == nil {
		return nil, c.unsupported(n, "%s %q (only absolute /<flow>/<list>/<item>[refId] references)", what, s)
	}
	if m[2] != wantList {
		return nil, c.errf(n, "%s %q must point into %s", what, s, wantList)
	}
	b, ok := blocks[m[4]]
	if !ok {
		return nil, c.errf(n, "%s %q: no %s has refId %q", what, s, m[3], m[4])
	}
	return b, nil
}

// blocks compiles the headers (name, refId, variables) of a states/tasks/bots
// list; actions are compiled afterwards so that any block can reference any
// other.
func (c *compiler) blocks(n *yaml.Node, list, item string) (map[string]*block, []*yaml.Node, error) {
	out := map[string]*block{}
	var bodies []*yaml.Node
	for p, err := range c.entries(n, list, "a "+item, "") {
		if err != nil {
			return nil, nil, err
		}
		if p.key != item {
			return nil, nil, c.errf(p.k, "%s may only hold %s entries, not %s", list, item, p.key)
		}
		allowed := []string{"name", "refId", "variables", "actions"}
		if item == "task" {
			allowed = append(allowed, "outputPaths", "description")
		}
		if err := c.checkKeys(p.v, item, allowed...); err != nil {
			return nil, nil, err
		}
		b := &block{kind: item, line: p.k.Line}
		if b.name, err = c.str(get(p.v, "name"), item+" name"); err != nil {
			return nil, nil, err
		}
		if b.refID, err = c.str(get(p.v, "refId"), item+" refId"); err != nil {
			return nil, nil, err
		}
		if _, dup := out[b.refID]; dup {
			return nil, nil, c.errf(get(p.v, "refId"), "refId %q is used twice", b.refID)
		}
		prefix := map[string]string{"state": "State.", "task": "Task.", "bot": "Flow."}[item]
		if b.vars, err = c.variables(get(p.v, "variables"), []string{prefix}); err != nil {
			return nil, nil, err
		}
		out[b.refID] = b
		bodies = append(bodies, p.v)
	}
	return out, bodies, nil
}

func (c *compiler) blockActions(bs map[string]*block, bodies []*yaml.Node) error {
	for _, body := range bodies {
		ref, _ := c.str(get(body, "refId"), "refId")
		acts, err := c.actions(get(body, "actions"))
		if err != nil {
			return err
		}
		bs[ref].actions = acts
	}
	return nil
}

func (c *compiler) inbound(root *yaml.Node) error {
	f := c.flow
	var stateBodies, taskBodies []*yaml.Node
	var err error
	if f.states, stateBodies, err = c.blocks(get(root, "states"), "states", "state"); err != nil {
		return err
	}
	if f.tasks, taskBodies, err = c.blocks(get(root, "tasks"), "tasks", "task"); err != nil {
		return err
	}
	if len(f.states) == 0 {
		return c.errf(root, "an inbound message flow needs at least one state")
	}
	if f.startState, err = c.ref(get(root, "startUpRef"), "startUpRef", f.states, "states"); err != nil {
		return err
	}
	if f.onError, err = c.errorHandling(get(root, "settingsErrorHandling"), "queue", "disconnect"); err != nil {
		return err
	}
	if err := c.blockActions(f.states, stateBodies); err != nil {
		return err
	}
	return c.blockActions(f.tasks, taskBodies)
}

// errorHandling compiles settingsErrorHandling.errorHandling; kinds are the
// handlings the flow type allows.
func (c *compiler) errorHandling(n *yaml.Node, kinds ...string) (errorHandling, error) {
	var eh errorHandling
	h := get(n, "errorHandling")
	if h == nil {
		// inferred: without settings Architect's default for message flows
		// is to disconnect; bots exit.
		eh.kind = kinds[len(kinds)-1]
		eh.line = c.line(n)
		return eh, nil
	}
	p, err := c.single(h, "errorHandling")
	if err != nil {
		return eh, err
	}
	eh.kind, eh.line = p.key, p.k.Line
	ok := false
	for _, k := range kinds {
		ok = ok || k == p.key
	}
	if !ok {
		return eh, c.unsupported(p.k, "error handling %q", p.key)
	}
	if p.key == "queue" {
		if eh.queue, err = c.queueRef(get(p.v, "targetQueue"), "error handling targetQueue"); err != nil {
			return eh, err
		}
	}
	return eh, nil
}

// queueRef resolves a queue given by name ({lit: {name: Q}}); the queue
// must be one the bundle deploys or references.
func (c *compiler) queueRef(n *yaml.Node, what string) (string, error) {
	v, err := c.value(n, what, false)
	if err != nil {
		return "", err
	}
	if v.kind != vLit {
		return "", c.unsupported(n, "%s that is not a queue literal {lit: {name: ...}}", what)
	}
	name, err := c.str(get(v.lit, "name"), what+" name")
	if err != nil {
		return "", err
	}
	if !c.b.hasQueue(name) {
		return "", c.errf(get(v.lit, "name"), "%s: queue %q is not in the %s", what, name, c.b.where())
	}
	return name, nil
}

func (c *compiler) commonModule(root *yaml.Node) error {
	f := c.flow
	for _, it := range pairs(get(root, "settingsCommonModule")) {
		if it.key != "compatibleFlowTypes" {
			return c.unsupported(it.k, "settingsCommonModule property %q", it.key)
		}
		list, err := c.items(it.v, "compatibleFlowTypes")
		if err != nil {
			return err
		}
		for _, x := range list {
			t, err := c.str(get(x, "flowType"), "flowType")
			if err != nil {
				return err
			}
			f.compatible = append(f.compatible, t)
		}
	}
	acts, err := c.actions(get(root, "startUpTaskActions"))
	if err != nil {
		return err
	}
	f.startUp = acts
	return nil
}

func (c *compiler) botFlow(root *yaml.Node) error {
	f := c.flow
	s := &botSettings{noMatchesMax: 3, noInputsMax: 3, noInputTimeout: 7 * time.Second, entities: map[string]*entity{}}
	f.bot = s
	var err error

	// Error handling and escalation.
	eh := get(root, "settingsErrorHandling")
	if err := c.checkKeys(eh, "settingsErrorHandling", "errorHandling", "enableAgentEscalation", "errorEventHandover",
		"agentEscalationConfirmation", "agentEscalationHandover", "recognitionFailureEventHandover",
		"recognitionFailureEventHandling", "agentEscalationHandling"); err != nil {
		return err
	}
	if f.onError, err = c.errorHandling(eh, "exit"); err != nil {
		return err
	}
	esc, err := c.value(get(eh, "enableAgentEscalation"), "enableAgentEscalation", false)
	if err != nil {
		return err
	}
	if esc.kind == vExp || esc.kind == vLit && esc.lit.Value != "false" {
		// Escalation means recognising "agent" in any reply; bpgen disables it.
		return c.unsupported(get(eh, "enableAgentEscalation"), "agent escalation (enableAgentEscalation)")
	}
	// inferred: with escalation disabled, the escalation wording and handling
	// cannot be assigned (every published bot flow that sets them enables
	// escalation: the blueprint's MergeExternalContactBot.yaml, archy.md §1.3);
	// the strict reading rejects them, as Architect rejects properties not
	// assignable in the current mode.
	for _, k := range []string{"agentEscalationConfirmation", "agentEscalationHandover", "agentEscalationHandling"} {
		if n := get(eh, k); n != nil {
			return c.errf(n, "%s is only assignable with agent escalation enabled (enableAgentEscalation is false)", k)
		}
	}
	if s.errorHandover, err = c.value(get(eh, "errorEventHandover"), "errorEventHandover", false); err != nil {
		return err
	}
	if s.recognitionHandover, err = c.value(get(eh, "recognitionFailureEventHandover"), "recognitionFailureEventHandover", false); err != nil {
		return err
	}
	if rf := get(eh, "recognitionFailureEventHandling"); rf != nil {
		p, err := c.single(rf, "recognitionFailureEventHandling")
		if err != nil {
			return err
		}
		if p.key != "exit" {
			return c.unsupported(p.k, "recognition failure handling %q", p.key)
		}
	}

	// User input.
	ui := get(root, "settingsUserInput")
	for _, p := range pairs(ui) {
		switch p.key {
		case "noMatchesMax", "noInputsMax":
			v, err := c.value(p.v, p.key, false)
			if err != nil {
				return err
			}
			if v.kind != vLit {
				return c.unsupported(p.k, "%s that is not a literal", p.key)
			}
			x, err := c.literal(v.lit, kInteger, p.key)
			if err != nil {
				return err
			}
			n := int(x.(expr.Integer))
			if n < 1 {
				return c.errf(p.v, "%s must be at least 1", p.key)
			}
			if p.key == "noMatchesMax" {
				s.noMatchesMax = n
			} else {
				s.noInputsMax = n
			}
		case "noInputsTimeout":
			if s.noInputTimeout, err = c.duration(p.v, p.key); err != nil {
				return err
			}
		case "noMatchApology":
			if s.noMatchApology, err = c.value(p.v, p.key, false); err != nil {
				return err
			}
		case "noInputApology":
			if s.noInputApology, err = c.value(p.v, p.key, false); err != nil {
				return err
			}
		case "enableAutomaticQuickReplies", "enableBargeIn", "confirmationRejectionsMax", "noToConfirmationApology",
			"confirmationNoMatchApology", "confirmationNoInputApology", "speechToTextSpeechDetectionSensitivity",
			"speechToTextMaxSpeechTimeout", "enableIntentClassificationHinting", "collectionLowConfidenceThreshold",
			"collectionHighConfidenceThreshold", "confirmationLowConfidenceThreshold":
			// Voice, quick-reply and confirmation settings: no effect on a
			// text slot asked with confirmationMode never.
		default:
			return c.unsupported(p.k, "settingsUserInput property %q", p.key)
		}
	}

	for _, key := range []string{"settingsBotFlow", "settingsKnowledge"} {
		n := get(root, key)
		if n == nil {
			continue
		}
		if p, err := c.single(n, key); err != nil || p.key != "none" {
			return c.unsupported(n, "%s other than none", key)
		}
	}

	// Slots and their regex entities.
	nlu := get(get(root, "settingsNaturalLanguageUnderstanding"), "nluDomainVersion")
	types := map[string]*yaml.Node{}
	for t, err := range c.fields(get(nlu, "entityTypes"), "entityTypes", "name", "entity type name") {
		if err != nil {
			return err
		}
		types[t.value] = t.node
	}
	for e, err := range c.fields(get(nlu, "entities"), "entities", "name", "entity name") {
		if err != nil {
			return err
		}
		slot := e.value
		typeName, err := c.str(get(e.node, "type"), "entity type")
		if err != nil {
			return err
		}
		ent := &entity{slot: slot, typeName: typeName, line: e.node.Line}
		t, ok := types[typeName]
		if !ok {
			// builtin:any, builtin:date, ...: the NLU engine's own types.
			ent.patterns = nil
		} else {
			mech := get(t, "mechanism")
			kind, _ := c.str(get(mech, "type"), "mechanism type")
			if kind != "Regex" {
				ent.patterns = nil
				ent.typeName = typeName + " (" + kind + ")"
			} else {
				for it, err := range c.fields(get(mech, "items"), "mechanism items", "value", "regex") {
					if err != nil {
						return err
					}
					re, err := regexp.Compile(it.value)
					if err != nil {
						return c.unsupported(get(it.node, "value"), "regex %q (not valid RE2: %v)", it.value, err)
					}
					ent.patterns = append(ent.patterns, re)
				}
			}
		}
		s.entities[slot] = ent
	}

	var bodies []*yaml.Node
	if f.bots, bodies, err = c.blocks(get(root, "bots"), "bots", "bot"); err != nil {
		return err
	}
	if f.startBot, err = c.ref(get(root, "startUpRef"), "startUpRef", f.bots, "bots"); err != nil {
		return err
	}
	return c.blockActions(f.bots, bodies)
}

// describe names a value for traces: the expression text or the literal.
func describe(v value) string {
	switch v.kind {
	case vExp:
		return v.exp.Source()
	case vLit:
		if v.lit != nil && v.lit.Kind == yaml.ScalarNode {
			return fmt.Sprintf("%q", v.lit.Value)
		}
		return "literal"
	case vVar:
		return v.variable
	}
	return "NOT_SET"
}
