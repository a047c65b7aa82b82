package scenario

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/emulator/architect"
	"github.com/bpgen/bpgen/internal/emulator/deploy"
	"github.com/bpgen/bpgen/internal/emulator/org"
	"github.com/bpgen/bpgen/internal/format/manifest"
)

// Options tune a run.
type Options struct {
	// BundleName names the bundle in the report (e.g. its directory).
	BundleName string
}

// Run runs the scenario against the bundle in a fresh emulated org, the
// bundle applied to it as Terraform would (internal/emulator/deploy) and wired. It
// returns an error only when the run could not happen (the scenario does
// not fit the bundle's data, the org rejected a seed); failed expectations
// are in the report. A scenario that does not apply to the bundle returns a
// report with Skipped set.
func Run(ctx context.Context, s *Scenario, b *architect.Bundle, opts Options) (*Report, error) {
	rep := &Report{Scenario: s.Name, File: s.file, Bundle: opts.BundleName, KnownDefect: strings.TrimSpace(s.KnownDefect)}
	if ok, why := s.Applies(b); !ok {
		rep.Skipped = why
		rep.Passed = true
		return rep, nil
	}
	start := time.Now()
	timeout := time.Duration(s.Timeout)
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	var orgOpts []org.Option
	if s.MergeSetLimit != 0 {
		orgOpts = append(orgOpts, org.WithMergeSetLimit(s.MergeSetLimit))
	}
	scale := s.TimeScale
	if scale <= 0 {
		scale = 1
	}
	o := org.New(orgOpts...)
	d := &driver{org: o, customers: map[string]*customer{}, ready: map[string]chan struct{}{}}
	// The bundle is applied as Terraform applies it (internal/emulator/deploy, once
	// per scenario: each scenario has an org of its own), wired as `bpgen
	// wire` wires it, and the runtime runs the flows the apply published.
	if b.FS() == nil {
		return nil, errors.New("scenario: the bundle has no files to deploy (load it with architect.Load or LoadFS)")
	}
	dep, err := deploy.ApplyFS(o, b.FS(), nil)
	if err != nil {
		return nil, err
	}
	if err := wire(o, dep); err != nil {
		return nil, err
	}
	rt, err := dep.StartRuntime(architect.Options{TimeScale: scale, OnAwaitInput: d.await})
	if err != nil {
		return nil, err
	}
	defer rt.Close()
	x := &runner{s: s, b: rt.Bundle(), o: o, rt: rt, d: d, scale: scale, rep: rep, aliases: map[string]string{},
		openMessaging: dep.Outputs[contract.OutputOpenMessaging]}
	if err := x.seed(); err != nil {
		return nil, err
	}
	if err := x.faults(); err != nil {
		return nil, err
	}
	for i := range s.Conversations {
		if err := x.conversation(ctx, i); err != nil {
			return nil, err
		}
	}
	x.check()
	rep.Duration = time.Since(start)
	rep.Passed = len(rep.Failures) == 0
	rep.ids = x.names()
	return rep, nil
}

type runner struct {
	s       *Scenario
	b       *architect.Bundle
	o       *org.Org
	rt      *architect.Runtime
	d       *driver
	scale   float64
	rep     *Report
	aliases map[string]string // alias → contact id as created
	// openMessaging is the deployed open-messaging integration's id; "" when none.
	openMessaging string
}

// wire makes the settings Terraform cannot and `bpgen wire` does (wire.Plan):
// the open-messaging recipient routed to the inbound message flow and, when
// channels.openMessaging.resolveIdentities is on, identity resolution with the
// bundle's external source.
func wire(o *org.Org, d *deploy.Deployment) error {
	om := d.Manifest.Channels.OpenMessaging
	id := d.Outputs[contract.OutputOpenMessaging]
	if om == nil || id == "" {
		return nil
	}
	inbound, ok := d.Object(contract.ObjectID(contract.KindFlow, contract.FlowInbound))
	if !ok {
		return errors.New("scenario: the deployment has no inbound message flow")
	}
	if _, err := o.SetRecipientFlow(id, inbound.OrgID); err != nil {
		return fmt.Errorf("scenario: wiring the open-messaging recipient: %w", err)
	}
	if om.ResolveIdentities {
		if _, err := o.SetOpenIdentityResolution(id, org.IdentityResolution{ResolveIdentities: true, ExternalSourceID: d.Outputs[contract.OutputSource]}); err != nil {
			return fmt.Errorf("scenario: wiring identity resolution: %w", err)
		}
	}
	return nil
}

func (x *runner) scaled(d Duration) time.Duration {
	return time.Duration(float64(d) * x.scale)
}

// seed creates the contacts in alias order, claims their identifiers and
// makes the requested merges.
func (x *runner) seed() error {
	for _, alias := range sortedKeys(x.s.Contacts) {
		c := x.s.Contacts[alias]
		in := org.Contact{Type: c.Type, FirstName: c.FirstName, LastName: c.LastName,
			WorkEmail: c.WorkEmail, PersonalEmail: c.PersonalEmail, OtherEmail: c.OtherEmail}
		phone := func(s string) *org.PhoneNumber {
			if s == "" {
				return nil
			}
			return &org.PhoneNumber{Display: s}
		}
		in.CellPhone, in.HomePhone, in.WorkPhone, in.OtherPhone = phone(c.CellPhone), phone(c.HomePhone), phone(c.WorkPhone), phone(c.OtherPhone)
		if c.WhatsApp != "" {
			in.WhatsAppID = &org.WhatsAppID{PhoneNumber: phone(c.WhatsApp)}
		}
		if len(c.ExternalIDs) > 0 {
			if x.b.ExternalSourceID == "" {
				return &InputError{File: x.s.file, Line: x.s.at("contacts", alias, "externalIds"), Msg: "the bundle has no external source for externalIds"}
			}
			for _, v := range c.ExternalIDs {
				in.ExternalIDs = append(in.ExternalIDs, org.ExternalID{ExternalSource: &org.ExternalSource{ID: x.b.ExternalSourceID}, Value: v})
			}
		}
		created, err := x.o.CreateContact(in)
		if err != nil {
			return &InputError{File: x.s.file, Line: x.s.at("contacts", alias), Msg: "the org rejected contact " + alias + ": " + err.Error()}
		}
		x.aliases[alias] = created.ID
		for i, id := range c.Identifiers {
			if _, err := x.o.ClaimIdentifier(created.ID, org.IdentifierClaim{Operation: "Claim", Identifier: org.ContactIdentifier{Type: id.Type, Value: id.Value}}); err != nil {
				return &InputError{File: x.s.file, Line: x.s.at("contacts", alias, "identifiers", i), Msg: "the org rejected the identifier: " + err.Error()}
			}
		}
	}
	for _, alias := range sortedKeys(x.s.Contacts) {
		c := x.s.Contacts[alias]
		if len(c.MergedWith) == 0 {
			continue
		}
		ids := []string{x.aliases[alias]}
		for _, m := range c.MergedWith {
			ids = append(ids, x.aliases[m])
		}
		if _, err := x.o.MergeContacts(ids, nil); err != nil {
			return &InputError{File: x.s.file, Line: x.s.at("contacts", alias, "mergedWith"), Msg: "the org rejected the merge: " + err.Error()}
		}
	}
	return nil
}

func (x *runner) faults() error {
	for i, f := range x.s.Faults {
		endpoint := f.Endpoint
		if f.Action != "" {
			method, p, _ := x.b.Endpoint(f.Action)
			endpoint = method + " " + p
		}
		_, err := x.o.AddFault(org.Fault{Endpoint: endpoint, Status: f.Status, Message: f.Message,
			RetryAfter: time.Duration(f.RetryAfter), Latency: x.scaled(f.Latency), Timeout: f.Timeout, Times: f.Times})
		if err != nil {
			return &InputError{File: x.s.file, Line: x.s.at("faults", i), Msg: err.Error()}
		}
	}
	return nil
}

// conversation runs one conversation entry, all its repetitions.
func (x *runner) conversation(ctx context.Context, i int) error {
	spec := x.s.Conversations[i]
	n := max(spec.Repeat, 1)
	reports := make([]*ConversationReport, n)
	runOne := func(k int) error {
		cr, err := x.start(ctx, i, k)
		if err != nil {
			return err
		}
		reports[k] = cr
		if cr.ID == "" {
			return nil
		}
		res, err := x.rt.Wait(ctx, cr.ID)
		if err != nil {
			cr.Result = &architect.Result{ConversationID: cr.ID, Ended: "aborted"}
			cr.abort = fmt.Sprintf("the flow did not finish: %v", err)
			return nil
		}
		cr.Result = res
		// The agent ends the conversation; an open-messaging customer's next
		// message then starts a new one, as on the platform.
		_ = x.o.DisconnectConversation(cr.ID)
		return nil
	}
	if spec.Concurrent {
		var wg sync.WaitGroup
		errs := make([]error, n)
		gate := make(chan struct{})
		for k := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-gate // start together: the point is the overlap
				errs[k] = runOne(k)
			}()
		}
		close(gate)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			return err
		}
	} else {
		for k := range n {
			if err := runOne(k); err != nil {
				return err
			}
		}
	}
	x.rep.Conversations = append(x.rep.Conversations, reports...)
	return nil
}

// start begins one run of a conversation and registers its customer.
func (x *runner) start(ctx context.Context, i, k int) (*ConversationReport, error) {
	spec := x.s.Conversations[i]
	m := x.b.Manifest
	cr := &ConversationReport{Name: spec.Name, Instance: k + 1, spec: &x.s.Conversations[i], index: i}
	if max(spec.Repeat, 1) == 1 {
		cr.Instance = 0
	}
	attrs := map[string]string{}
	for key, v := range spec.CustomAttributes {
		attrs[key] = v
	}
	for key, v := range spec.ParticipantData {
		name := ""
		if key == "secondFactor" {
			if m.SecondFactor != nil {
				name = m.SecondFactor.ParticipantData
			}
		} else {
			for _, id := range m.Identifiers {
				if id.Type == key {
					name = id.ParticipantData
				}
			}
		}
		if name != "" { // the bundle does not read this one: leave it out
			attrs[name] = v
		}
	}
	text := spec.Text
	if text == "" {
		text = "Hello"
	}
	cust := newCustomer(spec, m)
	var conv org.Conversation
	var err error
	if spec.Channel == "openMessaging" {
		cr.Channel = "openMessaging"
		f := spec.From
		res, rerr := x.o.ReceiveOpenMessage(x.openMessaging, org.OpenInboundMessage{
			From: org.OpenFrom{ID: f.ID, IDType: f.IDType, FirstName: f.FirstName, LastName: f.LastName, Email: f.Email},
			Text: text, CustomAttributes: attrs, Time: time.Now()})
		conv, err = res.Conversation, rerr
		if err == nil && !res.Started {
			err = fmt.Errorf("the sender %q already has a connected conversation (%s): open-messaging conversations of one sender cannot overlap", f.ID, res.ConversationID)
		}
	} else {
		cr.Channel = "webMessaging"
		conv, err = x.o.StartConversation(org.StartConversationOptions{Channel: org.ChannelWebMessaging, CustomAttributes: attrs,
			Text: text, FlowName: x.b.InboundFlowName()})
	}
	if err != nil {
		return nil, &InputError{File: x.s.file, Line: x.s.at("conversations", i), Msg: "the org could not start the conversation: " + err.Error()}
	}
	cr.ID = conv.ID
	cr.StartContact = conv.Customer.ExternalContactID
	x.d.register(conv.ID, cust)
	return cr, nil
}

// ---------------------------------------------------------------- the customer

// driver answers the bot for every conversation of a run.
type driver struct {
	org       *org.Org
	mu        sync.Mutex
	customers map[string]*customer
	ready     map[string]chan struct{}
}

// register attaches a customer to a conversation. The bot may ask before
// the runner learns the conversation id, so await waits for this.
func (d *driver) register(convID string, c *customer) {
	d.mu.Lock()
	d.customers[convID] = c
	ch, ok := d.ready[convID]
	if !ok {
		ch = make(chan struct{})
		d.ready[convID] = ch
	}
	d.mu.Unlock()
	close(ch)
}

func (d *driver) customer(convID string) *customer {
	d.mu.Lock()
	ch, ok := d.ready[convID]
	if !ok {
		ch = make(chan struct{})
		d.ready[convID] = ch
	}
	d.mu.Unlock()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.customers[convID]
}

// await is the runtime's OnAwaitInput: it sends the customer's next reply
// for the slot, or reports silence.
func (d *driver) await(in architect.AwaitInput) bool {
	c := d.customer(in.ConversationID)
	if c == nil {
		return false
	}
	text, ok := c.next(in.Slot)
	if !ok {
		return false
	}
	_, err := d.org.SendCustomerMessage(in.ConversationID, text)
	return err == nil
}

// customer is one scripted customer: answers by slot, then replies in order.
type customer struct {
	mu      sync.Mutex
	answers map[string]Replies // by slot name
	replies Replies
}

func newCustomer(spec Conversation, m *manifest.Manifest) *customer {
	c := &customer{answers: map[string]Replies{}, replies: slices.Clone(spec.Replies)}
	for _, key := range sortedKeys(spec.Answers) {
		slot := key
		if key == "secondFactor" {
			if m.SecondFactor != nil && m.SecondFactor.Slot != "" {
				slot = m.SecondFactor.Slot
			}
		} else {
			for _, id := range m.Identifiers {
				if id.Type == key && id.Slot != "" {
					slot = id.Slot
				}
			}
		}
		c.answers[slot] = append(c.answers[slot], spec.Answers[key]...)
	}
	return c
}

// next returns the reply to the bot's question for slot; ok is false when
// the customer stays silent.
func (c *customer) next(slot string) (text string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	take := func(rs *Replies) (string, bool) {
		r := (*rs)[0]
		*rs = (*rs)[1:]
		return r.Text, !r.Silent
	}
	if rs := c.answers[slot]; len(rs) > 0 {
		text, ok = take(&rs)
		c.answers[slot] = rs
		return text, ok
	}
	if len(c.replies) > 0 {
		return take(&c.replies)
	}
	return "", false
}
