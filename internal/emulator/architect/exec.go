package architect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/archy/expr"
	"github.com/bpgen/bpgen/internal/emulator/dataaction"
	"github.com/bpgen/bpgen/internal/emulator/org"
)

// frame holds the variables of one running flow: the inbound flow, one bot
// call or one module call each get their own, as in Architect.
type frame struct {
	flow     *flowDef
	vars     map[string]*variable
	builtins map[string]expr.Value
}

type variable struct {
	kind varKind
	val  expr.Value
}

func newFrame(f *flowDef, builtins map[string]expr.Value) *frame {
	fr := &frame{flow: f, vars: make(map[string]*variable, len(f.vars)+4), builtins: builtins}
	fr.declare(f.vars)
	return fr
}

func (fr *frame) declare(ds []varDecl) {
	for _, d := range ds {
		fr.vars[d.name] = &variable{kind: d.kind, val: d.init}
	}
}

// Lookup implements expr.Env: the longest declared prefix of the path is the
// variable, the rest are property accesses.
func (fr *frame) Lookup(path []string) (expr.Value, int, bool) {
	for n := len(path); n >= 1; n-- {
		name := path[0]
		if n > 1 {
			name = strings.Join(path[:n], ".")
		}
		if v, ok := fr.vars[name]; ok {
			return v.val, n, true
		}
		if v, ok := fr.builtins[name]; ok {
			return v, n, true
		}
	}
	return nil, 0, false
}

// signal is how an action ends the actions around it.
type signal int

const (
	sigNone        signal = iota
	sigEnd                // the interaction left the flow (transfer, disconnect)
	sigExitBot            // leave the bot flow
	sigEndTask            // leave the task or common module
	sigChangeState        // continue in another state
)

type ctl struct {
	sig    signal
	target *block // sigChangeState
	reason string // sigExitBot: why
}

// run executes one conversation.
type run struct {
	rt    *Runtime
	s     *session
	ctx   context.Context
	conv  org.Conversation
	depth int
	trace Trace
	calls int
	ended string
	queue string
	err   string
	// utterance is a callBotFlow inputText not yet offered to a slot.
	utterance string
}

func (x *run) add(s Step) {
	s.Depth = x.depth
	x.trace = append(x.trace, s)
}

func (x *run) step(a action, detail string) {
	b := a.head()
	x.add(Step{Kind: StepAction, File: b.file, Line: b.line, Action: b.typ, Name: b.name, Detail: detail})
}

func rtErr(file string, line int, format string, args ...any) error {
	return &RuntimeError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// eval evaluates a value; literals are read as kind k.
func (x *run) eval(fr *frame, v value, k varKind) (expr.Value, error) {
	switch v.kind {
	case vNoValue:
		return expr.NotSet{}, nil
	case vLit:
		out, ok := litValue(v.lit, k)
		if !ok {
			return nil, rtErr(v.file, v.line, "literal %q is not a %s", v.lit.Value, k)
		}
		return out, nil
	case vExp:
		out, err := v.exp.Eval(fr)
		if err != nil {
			return nil, rtErr(v.file, v.line, "%v", err)
		}
		return out, nil
	case vVar:
		val, _, ok := fr.Lookup(strings.Split(v.variable, "."))
		if !ok {
			return nil, rtErr(v.file, v.line, "variable %s does not exist", v.variable)
		}
		return val, nil
	}
	return expr.NotSet{}, nil
}

// coerce converts v for a variable of kind k, as Architect's typed
// assignments do; anything else is a runtime error.
func coerce(k varKind, v expr.Value) (expr.Value, bool) {
	if v == nil || expr.IsNotSet(v) {
		return expr.NotSet{}, true
	}
	switch k {
	case kString:
		switch v := v.(type) {
		case expr.String:
			return v, true
		case expr.Communication:
			return expr.String(v), true
		case expr.JSON:
			if s, ok := v.V.(string); ok {
				return expr.String(s), true
			}
		}
	case kBoolean:
		if b, ok := v.(expr.Boolean); ok {
			return b, true
		}
	case kInteger:
		switch v := v.(type) {
		case expr.Integer:
			return v, true
		case expr.Decimal:
			if float64(v) == float64(int64(v)) {
				return expr.Integer(int64(v)), true
			}
		}
	case kDecimal:
		switch v := v.(type) {
		case expr.Decimal:
			return v, true
		case expr.Integer:
			return expr.Decimal(float64(v)), true
		}
	case kUnknown:
		return v, true
	}
	return nil, false
}

func (x *run) assign(fr *frame, name string, v expr.Value, file string, line int) error {
	slot, ok := fr.vars[name]
	if !ok {
		return rtErr(file, line, "variable %s does not exist in %s", name, fr.flow.file)
	}
	cv, ok := coerce(slot.kind, v)
	if !ok {
		return rtErr(file, line, "cannot assign %s %s to %s variable %s", v.Type(), v.String(), slot.kind, name)
	}
	slot.val = cv
	return nil
}

// show renders a value for traces: strings quoted, NOT_SET spelled out.
func show(v expr.Value) string {
	if v == nil || expr.IsNotSet(v) {
		return "NOT_SET"
	}
	switch v := v.(type) {
	case expr.String:
		return strconv.Quote(string(v))
	case expr.Communication:
		return strconv.Quote(string(v))
	}
	return expr.Display(v)
}

// ---------------------------------------------------------------- the flows

func (x *run) runInbound(trigger org.Message) *Result {
	b := x.rt.Bundle()
	f := b.inbound
	if b.published && x.conv.FlowID != "" {
		// Flows published over the API: the conversation's deployment (or
		// recipient) names its inbound flow, as on the platform.
		if pf, err := x.rt.org.Flow(x.conv.FlowID); err == nil {
			if named := b.flowByName(pf.Name, "inboundshortmessage"); named != nil {
				f = named
			}
		}
	}
	if f == nil {
		// An org populated over the API (org serve --empty) before any
		// inbound message flow was published: nothing answers.
		return &Result{ConversationID: x.conv.ID, Ended: "aborted", Error: "no inbound message flow is published in the org", Variables: map[string]string{}}
	}
	builtins := map[string]expr.Value{
		"Message.ConversationId": expr.String(x.conv.ID),
		"Message.Message":        expr.Object{TypeName: "ShortMessage", Fields: map[string]expr.Value{"body": expr.String(trigger.Text)}},
	}
	fr := newFrame(f, builtins)
	x.add(Step{Kind: StepHear, Text: trigger.Text})
	x.add(Step{Kind: StepFlow, File: f.file, Line: f.line, Name: "inbound message flow " + strconv.Quote(f.name)})
	state := f.startState
	for {
		fr.declare(state.vars)
		x.add(Step{Kind: StepState, File: f.file, Line: state.line, Name: "state " + strconv.Quote(state.name)})
		x.depth++
		c, err := x.exec(fr, state.actions)
		x.depth--
		if err != nil {
			x.handleError(f, err)
			break
		}
		if c.sig == sigChangeState {
			state = c.target
			continue
		}
		if c.sig != sigEnd {
			// inferred: a message flow that runs out of actions ends, and the
			// platform disconnects the interaction.
			x.ended = "flowEnded"
			x.add(Step{Kind: StepEnd, File: f.file, Line: state.line, Detail: "the flow ended without a transfer: the conversation is disconnected"})
			_ = x.rt.org.DisconnectConversation(x.conv.ID)
		}
		break
	}
	res := &Result{ConversationID: x.conv.ID, Ended: x.ended, Queue: x.queue, Error: x.err, Trace: x.trace,
		DataActionCalls: x.calls, Variables: map[string]string{}}
	for name, v := range fr.vars {
		if strings.HasPrefix(name, "Flow.") {
			res.Variables[name] = expr.Display(v.val)
		}
	}
	return res
}

// handleError applies the inbound flow's error handling to a runtime error.
func (x *run) handleError(f *flowDef, err error) {
	var ab errAborted
	if errors.As(err, &ab) {
		x.ended = "aborted"
		x.add(Step{Kind: StepEnd, Detail: "aborted: " + ab.cause.Error()})
		return
	}
	x.err = err.Error()
	st := Step{Kind: StepError, File: f.file, Line: f.onError.line, Detail: err.Error()}
	var re *RuntimeError
	if errors.As(err, &re) {
		st.File, st.Line, st.Detail = re.File, re.Line, re.Msg
	}
	handling := fmt.Sprintf("the flow's error handling (%s:%d) ", f.file, f.onError.line)
	switch f.onError.kind {
	case "queue":
		x.queue, x.ended = f.onError.queue, "transferred"
		st.Detail += "; " + handling + "transfers to queue " + strconv.Quote(f.onError.queue)
		x.add(st)
	default:
		x.ended = "disconnected"
		st.Detail += "; " + handling + "disconnects"
		x.add(st)
		_ = x.rt.org.DisconnectConversation(x.conv.ID)
	}
}

func (x *run) exec(fr *frame, acts []action) (ctl, error) {
	for _, a := range acts {
		if err := x.ctx.Err(); err != nil {
			return ctl{}, errAborted{err}
		}
		c, err := x.do(fr, a)
		if err != nil || c.sig != sigNone {
			return c, err
		}
	}
	return ctl{}, nil
}

// branch runs the actions of an output one level deeper.
func (x *run) branch(fr *frame, acts []action) (ctl, error) {
	x.depth++
	defer func() { x.depth-- }()
	return x.exec(fr, acts)
}

func (x *run) do(fr *frame, a action) (ctl, error) {
	switch a := a.(type) {
	case *actDecision:
		v, err := x.eval(fr, a.cond, kBoolean)
		if err != nil {
			return ctl{}, err
		}
		yes, ok := v.(expr.Boolean)
		if !ok {
			return ctl{}, rtErr(a.file, a.line, "decision condition is %s %s, not a Boolean", v.Type(), v.String())
		}
		if yes {
			x.step(a, "yes")
			return x.branch(fr, a.yes)
		}
		x.step(a, "no")
		return x.branch(fr, a.no)

	case *actSwitch:
		var subject expr.Value
		if a.firstMatch {
			var err error
			if subject, err = x.eval(fr, a.subject, kString); err != nil {
				return ctl{}, err
			}
		}
		caseKind := kBoolean
		if a.firstMatch {
			caseKind = kString
		}
		for i, sc := range a.cases {
			v, err := x.eval(fr, sc.value, caseKind)
			if err != nil {
				return ctl{}, err
			}
			hit := false
			if a.firstMatch {
				hit = !expr.IsNotSet(subject) && expr.Display(v) == expr.Display(subject) && v.Type() == subject.Type()
			} else {
				b, ok := v.(expr.Boolean)
				if !ok {
					return ctl{}, rtErr(a.file, sc.line, "switch case is %s %s, not a Boolean", v.Type(), v.String())
				}
				hit = bool(b)
			}
			if hit {
				x.step(a, fmt.Sprintf("case %d (%s)", i+1, describe(sc.value)))
				return x.branch(fr, sc.actions)
			}
		}
		if a.def != nil {
			x.step(a, "default")
			return x.branch(fr, a.def)
		}
		x.step(a, "no case matched")
		return ctl{}, nil

	case *actUpdateData:
		var sets []string
		for _, st := range a.statements {
			v, err := x.eval(fr, st.value, st.kind)
			if err != nil {
				return ctl{}, err
			}
			if err := x.assign(fr, st.variable, v, a.file, st.line); err != nil {
				return ctl{}, err
			}
			sets = append(sets, st.variable+" = "+show(fr.vars[st.variable].val))
		}
		x.step(a, strings.Join(sets, ", "))
		return ctl{}, nil

	case *actCallData:
		return x.callData(fr, a)

	case *actCallCommonModule:
		return x.callModule(fr, a)

	case *actCallBotFlow:
		return x.callBot(fr, a)

	case *actAskForSlot:
		return x.askForSlot(fr, a)

	case *actExitBotFlow:
		x.step(a, "")
		return ctl{sig: sigExitBot, reason: "exitBotFlow"}, nil

	case *actGetParticipantData:
		conv, err := x.rt.org.Conversation(x.conv.ID)
		if err != nil {
			return ctl{}, rtErr(a.file, a.line, "reading participant data: %v", err)
		}
		var got []string
		for _, at := range a.attrs {
			nv, err := x.eval(fr, at.name, kString)
			if err != nil {
				return ctl{}, err
			}
			name := expr.Display(nv)
			var v expr.Value = expr.NotSet{}
			if s, ok := conv.Customer.Attributes[name]; ok {
				v = expr.String(s)
			}
			// inferred: a missing attribute leaves the variable NOT_SET, so
			// IsNotSetOrEmpty tells the flow to ask instead.
			if err := x.assign(fr, at.variable, v, a.file, a.line); err != nil {
				return ctl{}, err
			}
			got = append(got, fmt.Sprintf("%s = %s (%q)", at.variable, show(v), name))
		}
		x.step(a, strings.Join(got, ", "))
		return ctl{}, nil

	case *actSetParticipantData:
		attrs := map[string]string{}
		var set []string
		for _, at := range a.attrs {
			nv, err := x.eval(fr, at.name, kString)
			if err != nil {
				return ctl{}, err
			}
			vv, err := x.eval(fr, at.value, kString)
			if err != nil {
				return ctl{}, err
			}
			attrs[expr.Display(nv)] = expr.Display(vv)
			set = append(set, fmt.Sprintf("%q = %s", expr.Display(nv), show(vv)))
		}
		if _, err := x.rt.org.SetParticipantAttributes(x.conv.ID, x.conv.Customer.ID, attrs); err != nil {
			return ctl{}, rtErr(a.file, a.line, "setting participant data: %v", err)
		}
		x.step(a, strings.Join(set, ", "))
		return ctl{}, nil

	case *actRespond:
		v, err := x.eval(fr, a.message, kString)
		if err != nil {
			return ctl{}, err
		}
		x.step(a, "")
		return ctl{}, x.say(expr.Display(v), "response", a.file, a.line)

	case *actTransferToAcd:
		x.queue, x.ended = a.queue, "transferred"
		detail := "queue " + strconv.Quote(a.queue)
		if a.priority.set() {
			if p, err := x.eval(fr, a.priority, kInteger); err == nil {
				detail += ", priority " + expr.Display(p)
			}
		}
		x.step(a, detail)
		return ctl{sig: sigEnd}, nil

	case *actDisconnect:
		x.ended = "disconnected"
		x.step(a, "")
		_ = x.rt.org.DisconnectConversation(x.conv.ID)
		return ctl{sig: sigEnd}, nil

	case *actEndTask:
		x.step(a, a.outputPath)
		return ctl{sig: sigEndTask}, nil

	case *actChangeState:
		x.step(a, "to state "+strconv.Quote(a.target.name))
		return ctl{sig: sigChangeState, target: a.target}, nil

	case *actCallTask:
		x.step(a, "task "+strconv.Quote(a.target.name))
		fr.declare(a.target.vars)
		c, err := x.branch(fr, a.target.actions)
		if err != nil || c.sig == sigEnd || c.sig == sigChangeState {
			return c, err
		}
		return ctl{}, nil
	}
	b := a.head()
	return ctl{}, rtErr(b.file, b.line, "action %s cannot run here", b.typ)
}

// say sends a message to the customer; what they see is the org's
// transcript, so it goes through the org like the platform's reply would.
func (x *run) say(text, prompt, file string, line int) error {
	if text == "" {
		return nil
	}
	x.depth++
	x.add(Step{Kind: StepSay, Text: text, Prompt: prompt})
	x.depth--
	if _, err := x.rt.org.SendOutboundMessage(x.conv.ID, text); err != nil {
		if x.s.disconnected() {
			return errAborted{errors.New("the customer left the conversation")}
		}
		return rtErr(file, line, "sending a message: %v", err)
	}
	return nil
}

// ---------------------------------------------------------------- calls

func (x *run) callModule(fr *frame, a *actCallCommonModule) (ctl, error) {
	m := a.module
	var ins []string
	mf, err := x.enter(fr, m, a.inputs, a.file, a.line, func(name string, _, assigned expr.Value) {
		ins = append(ins, name+" = "+show(assigned))
	})
	if err != nil {
		return ctl{}, err
	}
	x.step(a, "common module "+strconv.Quote(m.name)+"("+strings.Join(ins, ", ")+")")
	x.depth++
	x.add(Step{Kind: StepFlow, File: m.file, Line: m.line, Name: "common module " + strconv.Quote(m.name)})
	c, err := x.exec(mf, m.startUp)
	x.depth--
	if err != nil {
		return ctl{}, err // the caller's error handling applies
	}
	switch c.sig {
	case sigEnd:
		return c, nil
	case sigExitBot, sigChangeState:
		return ctl{}, rtErr(a.file, a.line, "common module %q ended with an action that cannot leave a module", m.name)
	}
	return ctl{}, x.bindOutputs(fr, mf, a.outputs, a.file, a.line, "common module "+strconv.Quote(m.name)+" returned")
}

// enter makes the frame of a call to callee: each input evaluated in the
// caller's frame as callee declares it and assigned in the new frame; noted
// is given each input's name and its value as evaluated and as assigned,
// for the trace.
func (x *run) enter(caller *frame, callee *flowDef, ins []binding, file string, line int, noted func(name string, evaluated, assigned expr.Value)) (*frame, error) {
	fr := newFrame(callee, nil)
	for _, in := range ins {
		v, err := x.eval(caller, in.value, callee.decl(in.name).kind)
		if err != nil {
			return nil, err
		}
		if err := x.assign(fr, in.name, v, file, line); err != nil {
			return nil, err
		}
		noted(in.name, v, fr.vars[in.name].val)
	}
	return fr, nil
}

func (x *run) bindOutputs(caller, callee *frame, outs []outBinding, file string, line int, what string) error {
	var got []string
	for _, o := range outs {
		v := callee.vars[o.name].val
		if o.target == "" {
			continue
		}
		if err := x.assign(caller, o.target, v, file, line); err != nil {
			return err
		}
		got = append(got, o.target+" = "+show(v))
	}
	x.depth++
	x.add(Step{Kind: StepReturn, File: file, Line: line, Detail: what + ": " + strings.Join(got, ", ")})
	x.depth--
	return nil
}

func (x *run) callBot(fr *frame, a *actCallBotFlow) (ctl, error) {
	bot := a.bot
	var ins []string
	bf, err := x.enter(fr, bot, a.inputs, a.file, a.line, func(name string, v, _ expr.Value) {
		if !expr.IsNotSet(v) {
			ins = append(ins, name+" = "+show(v))
		}
	})
	if err != nil {
		return ctl{}, err
	}
	x.utterance = ""
	if a.inputText.set() {
		v, err := x.eval(fr, a.inputText, kString)
		if err != nil {
			return ctl{}, err
		}
		x.utterance = expr.Display(v)
	}
	x.step(a, "bot flow "+strconv.Quote(bot.name)+"("+strings.Join(ins, ", ")+")")
	x.depth++
	x.add(Step{Kind: StepFlow, File: bot.file, Line: bot.startBot.line, Name: "bot " + strconv.Quote(bot.startBot.name)})
	bf.declare(bot.startBot.vars)
	x.depth++
	c, err := x.exec(bf, bot.startBot.actions)
	x.depth--
	x.depth--
	reason := "ran out of actions"
	switch {
	case err != nil:
		var ab errAborted
		if errors.As(err, &ab) {
			return ctl{}, err
		}
		// The bot's error handling: say the error handover and exit to the
		// caller, which carries on.
		st := Step{Kind: StepError, File: bot.file, Line: bot.onError.line, Detail: err.Error()}
		var re *RuntimeError
		if errors.As(err, &re) {
			st.File, st.Line, st.Detail = re.File, re.Line, re.Msg
		}
		st.Detail += "; the bot's error handling exits the bot"
		x.depth++
		x.add(st)
		x.depth--
		reason = "error"
		h, herr := x.eval(bf, bot.bot.errorHandover, kString)
		if herr == nil {
			if err := x.say(expr.Display(h), "error", bot.file, bot.onError.line); err != nil {
				return ctl{}, err
			}
		}
	case c.sig == sigEnd:
		return c, nil
	case c.sig == sigExitBot:
		reason = c.reason
	case c.sig != sigNone:
		return ctl{}, rtErr(a.file, a.line, "bot flow %q ended with an action that cannot leave a bot", bot.name)
	}
	x.utterance = ""
	return ctl{}, x.bindOutputs(fr, bf, a.outputs, a.file, a.line, "bot exited ("+reason+")")
}

// askForSlot asks for one slot: the question, then the customer's replies
// until one matches the slot's regex entity or the bot's retries run out.
func (x *run) askForSlot(fr *frame, a *actAskForSlot) (ctl, error) {
	slotVar := "Slot." + a.slot
	bot := fr.flow
	s := bot.bot
	// "Bot Input Text: supplies an initial utterance that the bot processes
	// with the first Ask action in the bot flow" (Call Bot Flow action,
	// help.mypurecloud.com/articles/call-bot-flow-action/): only the first Ask
	// action sees it, whatever it does with it.
	u := x.utterance
	x.utterance = ""
	if cur := fr.vars[slotVar].val; !expr.IsNotSet(cur) && expr.Display(cur) != "" {
		// inferred: a slot that already has a value is not asked again.
		x.step(a, "slot "+a.slot+" already set to "+show(cur))
		return ctl{}, nil
	}
	fill := func(text, how string) {
		m, _ := a.entity.match(text)
		fr.vars[slotVar].val = expr.String(m)
		x.depth++
		x.add(Step{Kind: StepAction, File: a.file, Line: a.line, Detail: fmt.Sprintf("%s = %q (%s)", slotVar, m, how)})
		x.depth--
	}
	if u != "" {
		if _, ok := a.entity.match(u); ok {
			x.step(a, "slot "+a.slot)
			fill(u, "from the bot's input text")
			return ctl{}, nil
		}
		// inferred: an initial utterance without a value for the slot was not
		// an answer to a question (none was asked yet), so it is no no-match:
		// the action asks its question and the retries start from zero.
		x.depth++
		x.add(Step{Kind: StepAction, File: a.file, Line: a.line, Detail: "input text has no value for Slot." + a.slot + "; asking"})
		x.depth--
	}
	x.step(a, "slot "+a.slot)
	text := func(v value) (string, error) {
		out, err := x.eval(fr, v, kString)
		if err != nil {
			return "", err
		}
		return expr.Display(out), nil
	}
	prompt, err := text(a.question)
	if err != nil {
		return ctl{}, err
	}
	if err := x.say(prompt, "question", a.file, a.line); err != nil {
		return ctl{}, err
	}
	noInput := &slotRetry{kind: "noInput", what: "no input", max: s.noInputsMax, apology: s.noInputApology, reprompt: a.noInput,
		enabled: a.maxNoInputs, onMax: a.onMaxNoInputs}
	noMatch := &slotRetry{kind: "noMatch", what: "no match", max: s.noMatchesMax, apology: s.noMatchApology, reprompt: a.noMatch,
		enabled: a.maxNoMatch, onMax: a.onMaxNoMatches}
	attempt := 1
	for {
		reply, err := x.await(a.slot, attempt, prompt, s.noInputTimeout)
		if err != nil {
			return ctl{}, err
		}
		attempt++
		r := noInput
		if reply != nil {
			if _, ok := a.entity.match(*reply); ok {
				fill(*reply, "matched "+a.entity.typeName)
				return ctl{}, nil
			}
			r = noMatch
		}
		r.count++
		if r.count >= r.max {
			return x.recognitionFailure(fr, a, r)
		}
		apologyText, err := text(r.apology)
		if err != nil {
			return ctl{}, err
		}
		if prompt, err = text(r.reprompt); err != nil {
			return ctl{}, err
		}
		if prompt == "" {
			// inferred: without a re-prompt the question is asked again.
			if prompt, err = text(a.question); err != nil {
				return ctl{}, err
			}
		}
		// inferred from the Wait for Input action's documentation: the
		// apology is combined with the re-prompt into one message.
		msg := strings.TrimSpace(strings.TrimSpace(apologyText) + " " + prompt)
		if err := x.say(msg, r.kind, a.file, a.line); err != nil {
			return ctl{}, err
		}
		prompt = msg
	}
}

// slotRetry is how askForSlot answers one kind of failed reply (no input,
// no match): the bot's limit and apology, the action's re-prompt and max
// output, and the replies of that kind so far.
type slotRetry struct {
	kind, what        string // the message's prompt kind; the trace's words
	max               int
	apology, reprompt value
	enabled           bool // the action's max output is enabled
	onMax             []action
	count             int
}

// recognitionFailure ends an askForSlot whose retries of kind r ran out: the
// action's own max output when it is enabled, otherwise the bot's
// recognition-failure handling, which says the handover message and exits
// with the slot unset.
func (x *run) recognitionFailure(fr *frame, a *actAskForSlot, r *slotRetry) (ctl, error) {
	if r.enabled {
		x.depth++
		x.add(Step{Kind: StepAction, File: a.file, Line: a.line, Detail: "max " + r.what + " reached: the action's output runs"})
		x.depth--
		return x.branch(fr, r.onMax)
	}
	bot := fr.flow
	x.depth++
	x.add(Step{Kind: StepAction, File: a.file, Line: a.line, Detail: "max " + r.what + " reached: recognition failure, the bot exits with Slot." + a.slot + " unset"})
	x.depth--
	h, err := x.eval(fr, bot.bot.recognitionHandover, kString)
	if err != nil {
		return ctl{}, err
	}
	if err := x.say(expr.Display(h), "handover", a.file, a.line); err != nil {
		return ctl{}, err
	}
	return ctl{sig: sigExitBot, reason: "recognition failure"}, nil
}

// await waits for the customer's next message. It returns nil when the
// customer does not answer.
func (x *run) await(slot string, attempt int, prompt string, timeout time.Duration) (*string, error) {
	record := func(t string) *string {
		x.depth++
		x.add(Step{Kind: StepHear, Text: t})
		x.depth--
		return &t
	}
	silent := func() (*string, error) {
		x.depth++
		x.add(Step{Kind: StepSilence})
		x.depth--
		return nil, nil
	}
	if m, ok := x.s.pop(); ok {
		return record(m), nil
	}
	wait := x.rt.scaled(timeout)
	if hook := x.rt.opts.OnAwaitInput; hook != nil {
		if !hook(AwaitInput{ConversationID: x.conv.ID, Slot: slot, Attempt: attempt, Prompt: prompt}) {
			if m, ok := x.s.pop(); ok { // the hook replied anyway
				return record(m), nil
			}
			return silent()
		}
		wait = x.rt.opts.ReplyTimeout
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for {
		if m, ok := x.s.pop(); ok {
			return record(m), nil
		}
		if x.s.disconnected() {
			return nil, errAborted{errors.New("the customer left the conversation")}
		}
		select {
		case <-x.s.notify:
		case <-timer.C:
			return silent()
		case <-x.ctx.Done():
			return nil, errAborted{x.ctx.Err()}
		}
	}
}

func (x *run) callData(fr *frame, a *actCallData) (ctl, error) {
	inputs := make(map[string]any, len(a.inputs))
	for _, in := range a.inputs {
		v, err := x.eval(fr, in.value, a.inputKind[in.name])
		if err != nil {
			return ctl{}, err
		}
		inputs[in.name] = toInput(v)
	}
	// The effective limit is the shorter of the action's own timeout and
	// the callData timeout setting, scaled.
	limit := time.Duration(a.def.Config.TimeoutSeconds) * time.Second
	if limit <= 0 {
		limit = dataaction.DefaultTimeout
	}
	limit = min(limit, dataaction.MaxTimeout)
	ctx := x.ctx
	if a.timeout > 0 && a.timeout < limit || x.rt.scale != 1 {
		if a.timeout > 0 {
			limit = min(limit, a.timeout)
		}
		limit = x.rt.scaled(limit)
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, limit)
		defer cancel()
	}
	x.calls++
	res := x.rt.da.Execute(ctx, a.def, inputs)
	if err := x.ctx.Err(); err != nil {
		return ctl{}, errAborted{err}
	}
	call := &Call{Key: a.key, Action: a.def.Name, Method: res.Trace.Method, Path: res.Trace.Path, Status: res.Trace.Status,
		Attempts: res.Trace.Attempts, Latency: res.Trace.Latency, Timeout: limit, Outcome: res.Outcome.String(),
		Inputs: inputs, Failure: res.Trace.FailureReason}
	x.step(a, "data action "+strconv.Quote(a.def.Name)+" => "+res.Outcome.String())
	var outs []outBinding
	var acts []action
	switch res.Outcome {
	case dataaction.Success:
		outs, acts = a.success, a.onSuccess
	case dataaction.Failure:
		outs, acts = a.failure, a.onFailure
	default:
		acts = a.onTimeout
	}
	if len(outs) > 0 {
		call.Outputs = map[string]any{}
	}
	for _, o := range outs {
		raw := res.Outputs[o.name]
		call.Outputs[o.name] = raw
		if o.target == "" {
			continue
		}
		if err := x.assign(fr, o.target, fromJSON(raw), a.file, a.line); err != nil {
			return ctl{}, err
		}
	}
	x.depth++
	x.add(Step{Kind: StepCall, Call: call})
	x.depth--
	return x.branch(fr, acts)
}

// toInput converts an Architect value to the JSON value a data action input
// takes; NOT_SET is nil, which the data-action runtime leaves out.
func toInput(v expr.Value) any {
	switch v := v.(type) {
	case nil, expr.NotSet:
		return nil
	case expr.String:
		return string(v)
	case expr.Integer:
		return int64(v)
	case expr.Decimal:
		return float64(v)
	case expr.Boolean:
		return bool(v)
	}
	return expr.Display(v)
}

// fromJSON converts a flattened data-action output to an Architect value.
func fromJSON(x any) expr.Value {
	switch x := x.(type) {
	case nil:
		return expr.NotSet{}
	case string:
		return expr.String(x)
	case bool:
		return expr.Boolean(x)
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return expr.Integer(i)
		}
		f, _ := x.Float64()
		return expr.Decimal(f)
	case int:
		return expr.Integer(x)
	case int64:
		return expr.Integer(x)
	case float64:
		return expr.Decimal(x)
	case []any:
		out := make(expr.Collection, len(x))
		for i, e := range x {
			out[i] = fromJSON(e)
		}
		return out
	}
	return expr.JSON{V: x}
}
