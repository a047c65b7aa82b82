package architect

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/bpgen/bpgen/internal/emulator/dataaction"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
)

// action is one compiled Archy action.
type action interface {
	head() *base
}

// base is what every action has: where it is and what it is called.
type base struct {
	file, typ, name string
	line            int
}

func (b *base) head() *base { return b }

type actDecision struct {
	base
	cond    value
	yes, no []action
}

type switchCase struct {
	value   value
	actions []action
	line    int
}

type actSwitch struct {
	base
	firstMatch bool  // firstMatch on a string value; otherwise firstTrue
	subject    value // firstMatch only
	cases      []switchCase
	def        []action
}

type statement struct {
	kind     varKind
	variable string
	value    value
	line     int
}

type actUpdateData struct {
	base
	statements []statement
}

// binding is one input of a call: a target name and the value to pass.
type binding struct {
	name  string
	value value
}

// outBinding copies a callee's output (name) into a caller variable (target,
// "" when the output is discarded with noValue).
type outBinding struct {
	name, target string
}

type actCallData struct {
	base
	key       string // manifest key of the data action (lookup, merge, ...)
	def       *fmtda.Action
	inputs    []binding
	inputKind map[string]varKind // from the input contract, to convert literals
	success   []outBinding
	failure   []outBinding
	timeout   time.Duration // the action's own timeout setting; 0 = unset
	onSuccess []action
	onFailure []action
	onTimeout []action
}

type actCallCommonModule struct {
	base
	module  *flowDef
	inputs  []binding
	outputs []outBinding
}

type actCallBotFlow struct {
	base
	bot       *flowDef
	inputText value
	inputs    []binding
	outputs   []outBinding
}

type actAskForSlot struct {
	base
	slot                    string
	entity                  *entity
	question                value
	noInput, noMatch        value
	onMaxNoInputs           []action // nil with maxNoInputs disabled
	onMaxNoMatches          []action
	maxNoInputs, maxNoMatch bool // the outputs are enabled
}

type actExitBotFlow struct{ base }

type attribute struct {
	name     value
	variable string // getParticipantData
	value    value  // setParticipantData
}

type actGetParticipantData struct {
	base
	attrs []attribute
}

type actSetParticipantData struct {
	base
	attrs []attribute
}

// actRespond sends the customer a message: sendResponse's messageBody in a
// message flow, communicate's communication in a bot flow.
type actRespond struct {
	base
	message value
}

type actTransferToAcd struct {
	base
	queue    string
	priority value
}

type actDisconnect struct{ base }

type actEndTask struct {
	base
	outputPath string
}

type actChangeState struct {
	base
	target *block
}

type actCallTask struct {
	base
	target *block
}

// actions compiles an `actions:` list.
func (c *compiler) actions(n *yaml.Node) ([]action, error) {
	out := []action{}
	for p, err := range c.entries(n, "actions", "an action", "") {
		if err != nil {
			return nil, err
		}
		a, err := c.action(p)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// outputActions compiles outputs.<name>.actions.
func (c *compiler) outputActions(outputs *yaml.Node, name string) ([]action, error) {
	o := get(outputs, name)
	if o == nil {
		return nil, nil
	}
	if err := c.checkKeys(o, "output "+name, "actions"); err != nil {
		return nil, err
	}
	return c.actions(get(o, "actions"))
}

// actionRules are what every action of a type is checked for before it is
// compiled: the one flow type it may stand in ("" any; only: Architect
// allows it nowhere else, otherwise the emulator supports it nowhere else)
// and the keys it may have. transferToAcd is for message flows only:
// bot-flow transfers have their own outputs and failure paths.
var actionRules = map[string]struct {
	flow string
	only bool
	keys []string
}{
	"decision":           {keys: []string{"name", "condition", "outputs"}},
	"switch":             {keys: []string{"name", "evaluate"}},
	"updateData":         {keys: []string{"name", "statements"}},
	"callData":           {keys: []string{"name", "processingPrompt", "timeout", "category", "outputs"}},
	"callCommonModule":   {keys: []string{"name", "commonModule"}},
	"callBotFlow":        {flow: "inboundshortmessage", keys: []string{"name", "inputText", "exitReason", "intent", "botFlow"}},
	"askForSlot":         {flow: "bot", only: true, keys: []string{"name", "slot", "question", "customValidation", "confirmationMode", "noInput", "noMatch", "voiceEndOfInputTimeout", "outputs"}},
	"exitBotFlow":        {flow: "bot", only: true, keys: []string{"name"}},
	"getParticipantData": {flow: "inboundshortmessage", keys: []string{"name", "attributes"}},
	"setParticipantData": {flow: "inboundshortmessage", keys: []string{"name", "attributes"}},
	"sendResponse":       {flow: "inboundshortmessage", keys: []string{"name", "messageBody"}},
	"communicate":        {flow: "bot", keys: []string{"name", "communication"}},
	"transferToAcd":      {flow: "inboundshortmessage", keys: []string{"name", "targetQueue", "priority", "preferredAgents", "languageSkill", "directAgent", "acdSkills"}},
	"disconnect":         {keys: []string{"name"}},
	"endTask":            {keys: []string{"name", "outputPath"}},
	"changeState":        {flow: "inboundshortmessage", keys: []string{"name", "targetStateRef"}},
	"callTask":           {flow: "inboundshortmessage", keys: []string{"name", "targetTaskRef"}},
}

func (c *compiler) action(p kv) (action, error) {
	b := base{file: c.file, typ: p.key, line: p.k.Line}
	n := p.v
	if nameNode := get(n, "name"); nameNode != nil {
		b.name = nameNode.Value
	}
	if r, ok := actionRules[p.key]; ok {
		if r.flow != "" && c.flow.typ != r.flow {
			if r.only {
				return nil, c.errf(p.k, "%s is only valid in a %s flow", p.key, r.flow)
			}
			return nil, c.unsupported(p.k, "%s in a %s flow", p.key, c.flow.typ)
		}
		if err := c.checkKeys(n, p.key, r.keys...); err != nil {
			return nil, err
		}
	}
	var err error
	switch p.key {
	case "decision":
		if err := c.checkKeys(get(n, "outputs"), "decision outputs", "yes", "no"); err != nil {
			return nil, err
		}
		a := &actDecision{base: b}
		if a.cond, err = c.value(get(n, "condition"), "condition", false); err != nil {
			return nil, err
		}
		if !a.cond.set() {
			return nil, c.errf(n, "decision %q has no condition", b.name)
		}
		if a.yes, err = c.outputActions(get(n, "outputs"), "yes"); err != nil {
			return nil, err
		}
		if a.no, err = c.outputActions(get(n, "outputs"), "no"); err != nil {
			return nil, err
		}
		return a, nil

	case "switch":
		ev, err := c.single(get(n, "evaluate"), "switch evaluate")
		if err != nil {
			return nil, err
		}
		a := &actSwitch{base: b}
		body := ev.v
		switch ev.key {
		case "firstTrue":
		case "firstMatch":
			typed, err := c.single(ev.v, "firstMatch")
			if err != nil {
				return nil, err
			}
			if typed.key != "string" {
				return nil, c.unsupported(typed.k, "switch firstMatch on %s values", typed.key)
			}
			a.firstMatch, body = true, typed.v
			if a.subject, err = c.value(get(body, "value"), "switch value", false); err != nil {
				return nil, err
			}
		default:
			return nil, c.unsupported(ev.k, "switch evaluation %q", ev.key)
		}
		allowed := []string{"cases", "default"}
		if a.firstMatch {
			allowed = append(allowed, "value")
		}
		if err := c.checkKeys(body, "switch "+ev.key, allowed...); err != nil {
			return nil, err
		}
		for cp, err := range c.entries(get(body, "cases"), "cases", "a case", "case") {
			if err != nil {
				return nil, err
			}
			if err := c.checkKeys(cp.v, "case", "value", "actions"); err != nil {
				return nil, err
			}
			sc := switchCase{line: cp.k.Line}
			if sc.value, err = c.value(get(cp.v, "value"), "case value", false); err != nil {
				return nil, err
			}
			if sc.actions, err = c.actions(get(cp.v, "actions")); err != nil {
				return nil, err
			}
			a.cases = append(a.cases, sc)
		}
		if d := get(body, "default"); d != nil {
			if err := c.checkKeys(d, "switch default", "actions"); err != nil {
				return nil, err
			}
			if a.def, err = c.actions(get(d, "actions")); err != nil {
				return nil, err
			}
		}
		return a, nil

	case "updateData":
		a := &actUpdateData{base: b}
		for sp, err := range c.entries(get(n, "statements"), "statements", "a statement", "") {
			if err != nil {
				return nil, err
			}
			k, ok := variableKinds[sp.key]
			if !ok {
				return nil, c.unsupported(sp.k, "updateData statement of type %s", sp.key)
			}
			if err := c.checkKeys(sp.v, sp.key+" statement", "variable", "value"); err != nil {
				return nil, err
			}
			st := statement{kind: k, line: sp.k.Line}
			if st.variable, err = c.str(get(sp.v, "variable"), "statement variable"); err != nil {
				return nil, err
			}
			if err := c.checkDeclared(get(sp.v, "variable"), st.variable); err != nil {
				return nil, err
			}
			if vk := c.declared[st.variable]; vk != k {
				return nil, c.errf(get(sp.v, "variable"), "a %s statement cannot set %s variable %s", sp.key, vk, st.variable)
			}
			if st.value, err = c.value(get(sp.v, "value"), "statement value", false); err != nil {
				return nil, err
			}
			a.statements = append(a.statements, st)
		}
		return a, nil

	case "callData":
		return c.callData(b, n)

	case "callCommonModule":
		return c.callCommonModule(b, n)

	case "callBotFlow":
		return c.callBotFlow(b, n)

	case "askForSlot":
		return c.askForSlot(b, n)

	case "exitBotFlow":
		return &actExitBotFlow{base: b}, nil

	case "getParticipantData", "setParticipantData":
		var attrs []attribute
		for ap, err := range c.entries(get(n, "attributes"), "attributes", "an attribute", "attribute") {
			if err != nil {
				return nil, err
			}
			var at attribute
			if at.name, err = c.value(get(ap.v, "name"), "attribute name", false); err != nil {
				return nil, err
			}
			if !at.name.set() {
				return nil, c.errf(ap.v, "attribute has no name")
			}
			if p.key == "getParticipantData" {
				if err := c.checkKeys(ap.v, "attribute", "name", "variable"); err != nil {
					return nil, err
				}
				if at.variable, err = c.str(get(ap.v, "variable"), "attribute variable"); err != nil {
					return nil, err
				}
				if err := c.checkDeclared(get(ap.v, "variable"), at.variable); err != nil {
					return nil, err
				}
				if k := c.declared[at.variable]; k != kString {
					// Participant data are strings (archy.md 3.1).
					return nil, c.errf(get(ap.v, "variable"), "participant data can only be read into a String variable, %s is %s", at.variable, k)
				}
			} else {
				if err := c.checkKeys(ap.v, "attribute", "name", "value"); err != nil {
					return nil, err
				}
				if at.value, err = c.value(get(ap.v, "value"), "attribute value", false); err != nil {
					return nil, err
				}
			}
			attrs = append(attrs, at)
		}
		if p.key == "getParticipantData" {
			return &actGetParticipantData{base: b, attrs: attrs}, nil
		}
		return &actSetParticipantData{base: b, attrs: attrs}, nil

	case "sendResponse", "communicate":
		key := "messageBody"
		if p.key == "communicate" {
			key = "communication"
		}
		a := &actRespond{base: b}
		if a.message, err = c.value(get(n, key), key, false); err != nil {
			return nil, err
		}
		return a, nil

	case "transferToAcd":
		a := &actTransferToAcd{base: b}
		if a.queue, err = c.queueRef(get(n, "targetQueue"), "targetQueue"); err != nil {
			return nil, err
		}
		if a.priority, err = c.value(get(n, "priority"), "priority", false); err != nil {
			return nil, err
		}
		// Routing refinements the emulator does not model must be unset,
		// so a bundle that relies on them is not reported as working.
		for _, key := range []string{"preferredAgents", "languageSkill", "directAgent"} {
			v, err := c.value(get(n, key), key, false)
			if err != nil {
				return nil, err
			}
			if v.set() {
				return nil, c.unsupported(get(n, key), "transferToAcd %s", key)
			}
		}
		if list, _ := c.items(get(n, "acdSkills"), "acdSkills"); len(list) > 0 {
			return nil, c.unsupported(get(n, "acdSkills"), "transferToAcd acdSkills")
		}
		return a, nil

	case "disconnect":
		return &actDisconnect{base: b}, nil

	case "endTask":
		a := &actEndTask{base: b}
		if op := get(n, "outputPath"); op != nil {
			a.outputPath = get(op, "name").Value
		}
		return a, nil

	case "changeState":
		target, err := c.ref(get(n, "targetStateRef"), "targetStateRef", c.flow.states, "states")
		if err != nil {
			return nil, err
		}
		return &actChangeState{base: b, target: target}, nil

	case "callTask":
		target, err := c.ref(get(n, "targetTaskRef"), "targetTaskRef", c.flow.tasks, "tasks")
		if err != nil {
			return nil, err
		}
		return &actCallTask{base: b, target: target}, nil
	}
	return nil, c.unsupported(p.k, "action %s", p.key)
}

// versioned unwraps `<name>: {ver_latestPublished: {inputs, outputs}}`.
func (c *compiler) versioned(n *yaml.Node, what string) (name string, io *yaml.Node, err error) {
	p, err := c.single(n, what)
	if err != nil {
		return "", nil, err
	}
	v, err := c.single(p.v, what+" version")
	if err != nil {
		return "", nil, err
	}
	if v.key != "ver_latestPublished" {
		return "", nil, c.unsupported(v.k, "%s version %q", what, v.key)
	}
	if get(v.v, "none") != nil {
		return p.key, nil, nil
	}
	if err := c.checkKeys(v.v, what, "inputs", "outputs"); err != nil {
		return "", nil, err
	}
	return p.key, v.v, nil
}

// ioBindings compiles inputs (name → value) and outputs (name → var).
func (c *compiler) ioBindings(io *yaml.Node) ([]binding, []outBinding, error) {
	var ins []binding
	for _, p := range pairs(get(io, "inputs")) {
		v, err := c.value(p.v, "input "+p.key, false)
		if err != nil {
			return nil, nil, err
		}
		ins = append(ins, binding{name: p.key, value: v})
	}
	outs, err := c.outBindings(get(io, "outputs"))
	return ins, outs, err
}

func (c *compiler) outBindings(n *yaml.Node) ([]outBinding, error) {
	var outs []outBinding
	for _, p := range pairs(n) {
		v, err := c.value(p.v, "output "+p.key, true)
		if err != nil {
			return nil, err
		}
		switch v.kind {
		case vVar, vNoValue:
		default:
			return nil, c.errf(p.v, "output %s must be bound with var: or noValue", p.key)
		}
		outs = append(outs, outBinding{name: p.key, target: v.variable})
	}
	return outs, nil
}

// checkInterface verifies that a call's inputs and outputs are the callee's
// isInput and isOutput variables (what Architect checks on publish).
func (c *compiler) checkInterface(b base, callee *flowDef, ins []binding, outs []outBinding, kinds map[string]varKind) error {
	for _, in := range ins {
		d := callee.decl(in.name)
		if d == nil || !d.input {
			return &LoadError{File: b.file, Line: b.line, Msg: "input " + in.name + " is not an input of " + callee.typ + " " + callee.name}
		}
	}
	for _, out := range outs {
		d := callee.decl(out.name)
		if d == nil || !d.output {
			return &LoadError{File: b.file, Line: b.line, Msg: "output " + out.name + " is not an output of " + callee.typ + " " + callee.name}
		}
		if out.target != "" && kinds[out.target] != d.kind {
			return &LoadError{File: b.file, Line: b.line, Msg: "output " + out.name + " is " + d.kind.String() + ", but " + out.target + " is " + kinds[out.target].String()}
		}
	}
	return nil
}

func (c *compiler) callCommonModule(b base, n *yaml.Node) (action, error) {
	a := &actCallCommonModule{base: b}
	callerType := c.flow.typ
	var err error
	a.inputs, a.outputs, err = c.callFlow(b, n, "commonModule", "commonmodule", "common module", func(m *flowDef) error {
		if !slices.Contains(m.compatible, callerType) {
			return &LoadError{File: b.file, Line: b.line, Msg: "common module " + m.name + " does not list " + callerType + " in compatibleFlowTypes"}
		}
		a.module = m
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// callFlow compiles a call's versioned reference under key and its bindings,
// and links the call, once every flow is loaded, to the flow of type typ it
// names (what in messages): found takes the flow (and may refuse it), then
// the bindings are checked against the flow's interface.
func (c *compiler) callFlow(b base, n *yaml.Node, key, typ, what string, found func(*flowDef) error) ([]binding, []outBinding, error) {
	name, io, err := c.versioned(get(n, key), key)
	if err != nil {
		return nil, nil, err
	}
	ins, outs, err := c.ioBindings(io)
	if err != nil {
		return nil, nil, err
	}
	kinds := c.declared
	c.links = append(c.links, func() error {
		f := c.b.flowByName(name, typ)
		if f == nil {
			return &LoadError{File: b.file, Line: b.line, Msg: what + " " + name + " is not in the " + c.b.where()}
		}
		if err := found(f); err != nil {
			return err
		}
		return c.checkInterface(b, f, ins, outs, kinds)
	})
	return ins, outs, nil
}

func (c *compiler) callBotFlow(b base, n *yaml.Node) (action, error) {
	a := &actCallBotFlow{base: b}
	var err error
	if a.inputText, err = c.value(get(n, "inputText"), "inputText", false); err != nil {
		return nil, err
	}
	for _, key := range []string{"exitReason", "intent"} {
		v, err := c.value(get(n, key), key, true)
		if err != nil {
			return nil, err
		}
		if v.set() {
			// The values Architect writes there are not documented.
			return nil, c.unsupported(get(n, key), "callBotFlow %s binding", key)
		}
	}
	if a.inputs, a.outputs, err = c.callFlow(b, n, "botFlow", "bot", "bot flow", func(bot *flowDef) error {
		a.bot = bot
		return nil
	}); err != nil {
		return nil, err
	}
	return a, nil
}

func (c *compiler) askForSlot(b base, n *yaml.Node) (action, error) {
	a := &actAskForSlot{base: b}
	var err error
	if a.slot, err = c.str(get(get(n, "slot"), "name"), "slot name"); err != nil {
		return nil, err
	}
	if _, ok := c.declared["Slot."+a.slot]; !ok {
		return nil, c.errf(get(n, "slot"), "slot %s has no Slot.%s variable", a.slot, a.slot)
	}
	ent, ok := c.flow.bot.entities[a.slot]
	if !ok {
		return nil, c.errf(get(n, "slot"), "slot %s has no entity in settingsNaturalLanguageUnderstanding", a.slot)
	}
	if len(ent.patterns) == 0 {
		return nil, c.unsupported(get(n, "slot"), "slot type %s (only Regex slot types are emulated)", ent.typeName)
	}
	a.entity = ent
	if cv, err := c.value(get(n, "customValidation"), "customValidation", false); err != nil {
		return nil, err
	} else if cv.set() {
		return nil, c.unsupported(get(n, "customValidation"), "askForSlot customValidation")
	}
	if cm, err := c.value(get(n, "confirmationMode"), "confirmationMode", false); err != nil {
		return nil, err
	} else if cm.set() && (cm.kind != vLit || cm.lit.Value != "never") {
		return nil, c.unsupported(get(n, "confirmationMode"), "askForSlot confirmationMode other than never")
	}
	if a.question, err = c.value(get(n, "question"), "question", false); err != nil {
		return nil, err
	}
	if a.noInput, err = c.value(get(n, "noInput"), "noInput", false); err != nil {
		return nil, err
	}
	if a.noMatch, err = c.value(get(n, "noMatch"), "noMatch", false); err != nil {
		return nil, err
	}
	outs := get(n, "outputs")
	if err := c.checkKeys(outs, "askForSlot outputs", "maxNoInputs", "maxNoMatches"); err != nil {
		return nil, err
	}
	for _, key := range []string{"maxNoInputs", "maxNoMatches"} {
		o := get(outs, key)
		if o == nil {
			continue
		}
		if err := c.checkKeys(o, key, "enabled", "actions"); err != nil {
			return nil, err
		}
		enabled := get(o, "enabled") == nil || get(o, "enabled").Value == "true"
		if !enabled {
			continue
		}
		acts, err := c.actions(get(o, "actions"))
		if err != nil {
			return nil, err
		}
		if key == "maxNoInputs" {
			a.maxNoInputs, a.onMaxNoInputs = true, acts
		} else {
			a.maxNoMatch, a.onMaxNoMatches = true, acts
		}
	}
	return a, nil
}

func (c *compiler) callData(b base, n *yaml.Node) (action, error) {
	// processingPrompt is audio played to a caller while the action runs:
	// nothing to emulate on messaging.
	a := &actCallData{base: b}
	var err error
	if a.timeout, err = c.duration(get(n, "timeout"), "timeout"); err != nil {
		return nil, err
	}
	cat, err := c.single(get(n, "category"), "category")
	if err != nil {
		return nil, err
	}
	da, err := c.single(cat.v, "category "+cat.key)
	if err != nil {
		return nil, err
	}
	if da.key != "dataAction" {
		return nil, c.errf(da.k, "category %q must hold dataAction", cat.key)
	}
	act, err := c.single(da.v, "dataAction")
	if err != nil {
		return nil, err
	}
	found := c.b.actionByName(cat.key, act.key)
	if found == nil {
		return nil, c.errf(act.k, "data action %q in category %q is not in the %s", act.key, cat.key, c.b.where())
	}
	a.key, a.def = found.key, found.def
	if err := c.checkKeys(act.v, "data action call", "inputs", "successOutputs", "failureOutputs"); err != nil {
		return nil, err
	}

	inProps := schemaProps(found.def.Contract.Input.InputSchema)
	a.inputKind = map[string]varKind{}
	for _, p := range pairs(get(act.v, "inputs")) {
		kind, ok := inProps[p.key]
		if !ok {
			return nil, c.errf(p.k, "input %q is not in the input contract of %q", p.key, act.key)
		}
		v, err := c.value(p.v, "input "+p.key, false)
		if err != nil {
			return nil, err
		}
		a.inputs = append(a.inputs, binding{name: p.key, value: v})
		a.inputKind[p.key] = kind
	}
	outProps := schemaProps(found.def.Contract.Output.SuccessSchema)
	if a.success, err = c.outBindings(get(act.v, "successOutputs")); err != nil {
		return nil, err
	}
	for _, o := range a.success {
		if _, ok := outProps[o.name]; !ok {
			return nil, c.errf(get(act.v, "successOutputs"), "success output %q is not in the output contract of %q", o.name, act.key)
		}
	}
	if a.failure, err = c.outBindings(get(act.v, "failureOutputs")); err != nil {
		return nil, err
	}
	for _, o := range a.failure {
		if !slices.Contains(dataaction.FailureOutputKeys, o.name) {
			return nil, c.errf(get(act.v, "failureOutputs"), "%q is not a data action failure output", o.name)
		}
	}
	outs := get(n, "outputs")
	if err := c.checkKeys(outs, "callData outputs", "success", "failure", "timeout"); err != nil {
		return nil, err
	}
	if a.onSuccess, err = c.outputActions(outs, "success"); err != nil {
		return nil, err
	}
	if a.onFailure, err = c.outputActions(outs, "failure"); err != nil {
		return nil, err
	}
	if a.onTimeout, err = c.outputActions(outs, "timeout"); err != nil {
		return nil, err
	}
	return a, nil
}

// schemaProps flattens a JSON Schema's object properties to Architect's
// dotted names with their types.
func schemaProps(raw json.RawMessage) map[string]varKind {
	out := map[string]varKind{}
	var s schemaNode
	if json.Unmarshal(raw, &s) != nil {
		return out
	}
	var walk func(prefix string, n schemaNode)
	walk = func(prefix string, n schemaNode) {
		for name, p := range n.Properties {
			key := name
			if prefix != "" {
				key = prefix + "." + name
			}
			if len(p.Properties) > 0 {
				walk(key, p)
				continue
			}
			out[key] = map[string]varKind{"string": kString, "boolean": kBoolean, "integer": kInteger, "number": kDecimal}[strings.TrimSpace(p.typeName())]
		}
	}
	walk("", s)
	return out
}

type schemaNode struct {
	Type       any                   `json:"type"`
	Properties map[string]schemaNode `json:"properties"`
}

func (s schemaNode) typeName() string {
	switch t := s.Type.(type) {
	case string:
		return t
	case []any:
		for _, x := range t {
			if x, ok := x.(string); ok && x != "null" {
				return x
			}
		}
	}
	return ""
}
