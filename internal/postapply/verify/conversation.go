package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
	"github.com/bpgen/bpgen/internal/platform/guest"
)

// ConversationOptions tune Conversation. The zero value suits a real org.
type ConversationOptions struct {
	// RunID identifies the run (default NewRunID()): it makes the seeded
	// contact's values unique and travels as the RunAttribute custom attribute.
	RunID string
	// WebMessagingURL is the guest WebSocket base URL (default the client's
	// Endpoints().WebMessaging).
	WebMessagingURL string
	// Origin is sent with the WebSocket handshake. Default: a host under the
	// deployment's first allowed domain when it does not allow all domains
	// (inferred: the platform then checks the Origin, as browsers send it).
	Origin string
	// FirstMessage is what the customer says first (default "Hello").
	FirstMessage string
	// Timeout bounds the whole conversation, cleanup excepted (default 5 min).
	Timeout time.Duration
	// ReplyTimeout bounds the wait for each bot message (default 60 s).
	ReplyTimeout time.Duration
	// PollInterval spaces the analytics and contact polls (default 2 s).
	PollInterval time.Duration
	// Settle, when set, waits until the conversation's flow has finished.
	// The emulated org sets it to its runtime's Wait, which makes the
	// transcript complete and the run deterministic; against a real org
	// nothing says the flow is done, so the run polls for the link and then
	// waits Linger for the bot's last messages.
	Settle func(ctx context.Context, conversationID string) error
	// Linger is that wait (default 3 s; used only without Settle).
	Linger time.Duration
	// Progress receives one line per check as it completes.
	Progress io.Writer
}

// ConversationResult is what Conversation found.
type ConversationResult struct {
	Report
	// Skipped says why no conversation ran; "" when one did.
	Skipped string `json:"skipped,omitempty"`
	RunID   string `json:"runId"`
	// ConversationID is the conversation found by its run id.
	ConversationID string `json:"conversationId,omitempty"`
	// Transcript is every bot message the customer saw, in order.
	Transcript []string `json:"transcript,omitempty"`
	// SeededContactID is the curated contact the customer identified as;
	// ContactID the conversation's customer contact and CanonicalContactID
	// what it resolves to.
	SeededContactID    string `json:"seededContactId,omitempty"`
	ContactID          string `json:"contactId,omitempty"`
	CanonicalContactID string `json:"canonicalContactId,omitempty"`
}

// conversationObject is the Object of every conversation check.
const conversationObject = "conversation"

// SkipNoWebMessaging is why a bundle without web messaging is not driven:
// open messaging sends the bot's replies to the partner's webhook, which a
// run does not have.
const SkipNoWebMessaging = "the bundle has no web-messaging channel; open messaging delivers the bot's replies to a partner webhook, so no conversation is driven"

// Conversation drives one real conversation through the bundle's Messenger
// deployment as a customer would and checks what identity resolution made
// of it (api.md §4.4):
//
//  1. seed a curated contact with values unique to the run (SeedContact);
//  2. open a guest session on the messenger_deployment_id output and send a
//     first message carrying the run id in
//     message.channel.metadata.customAttributes;
//  3. answer each question the bot asks (recognised by its text, read from
//     the deployed bot flow) with the seeded contact's value, waiting for the
//     next bot message after each answer; a re-prompt fails the run;
//  4. find the conversation by its run id (analytics, then the conversation);
//  5. check that the conversation's contact resolves to the seeded contact's
//     canonical contact, and under merge that the merge set holds it;
//  6. check that no internal id reached the customer;
//  7. delete every contact the run created or merged.
//
// Bundles without web messaging are skipped (Skipped says why).
func Conversation(ctx context.Context, c *api.Client, b *Bundle, outputs map[string]string, o ConversationOptions) *ConversationResult {
	res := &ConversationResult{RunID: o.RunID}
	if res.RunID == "" {
		res.RunID = NewRunID()
	}
	if b.Manifest.Channels.WebMessaging == nil {
		res.Skipped = SkipNoWebMessaging
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "skip %-40s %s\n", conversationObject, res.Skipped)
		}
		return res
	}
	cv := &conversation{run: run{c: c, b: b, out: outputs, o: Options{Progress: o.Progress}}, opts: o, res: res}
	cv.defaults()
	cv.drive(ctx)
	res.Report = cv.rep
	return res
}

type conversation struct {
	run
	opts ConversationOptions
	res  *ConversationResult
	// created are the contacts to delete at the end.
	created []string
}

func (cv *conversation) defaults() {
	o := &cv.opts
	if o.FirstMessage == "" {
		o.FirstMessage = "Hello"
	}
	if o.Timeout <= 0 {
		o.Timeout = 5 * time.Minute
	}
	if o.ReplyTimeout <= 0 {
		o.ReplyTimeout = 60 * time.Second
	}
	if o.PollInterval <= 0 {
		o.PollInterval = 2 * time.Second
	}
	if o.Linger <= 0 {
		o.Linger = 3 * time.Second
	}
	if o.WebMessagingURL == "" {
		o.WebMessagingURL = cv.c.Endpoints().WebMessaging
	}
}

func (cv *conversation) fail(what string, err error) { cv.add(conversationObject, what, err, "") }
func (cv *conversation) pass(what, detail string)    { cv.add(conversationObject, what, nil, detail) }

func (cv *conversation) drive(parent context.Context) {
	ctx, cancel := context.WithTimeout(parent, cv.opts.Timeout)
	defer cancel()
	// Contacts are deleted whatever happened, with a context of their own:
	// the conversation's may have run out, and leftovers pile up in the org.
	defer cv.cleanup(context.WithoutCancel(parent))

	depID := cv.out[contract.OutputMessengerDepl]
	if depID == "" {
		cv.fail("has a Messenger deployment to talk to", fmt.Errorf("output %q is missing or empty", contract.OutputMessengerDepl))
		return
	}
	prompts, err := BotPrompts(cv.b)
	if err != nil {
		cv.fail("reads the bot's questions from the bot flow", err)
		return
	}
	seed, err := SeedContact(ctx, cv.c, cv.b, cv.out, cv.res.RunID)
	if err != nil {
		cv.fail("seeds a curated contact", err)
		return
	}
	cv.remember(seed.ID)
	cv.res.SeededContactID = seed.ID
	p := planFor(cv.b.Manifest, seed, cv.res.RunID)
	cv.pass("seeds a curated contact", p.describe(seed))

	origin := cv.opts.Origin
	if origin == "" {
		origin = originFor(ctx, cv.c, depID)
	}
	dctx, dcancel := context.WithTimeout(ctx, 30*time.Second)
	sess, err := guest.Dial(dctx, guest.Options{URL: cv.opts.WebMessagingURL, DeploymentID: depID, Origin: origin})
	dcancel()
	if err != nil {
		cv.fail("opens a guest session on the Messenger deployment", err)
		return
	}
	defer func() {
		cctx, ccancel := context.WithTimeout(context.WithoutCancel(parent), 10*time.Second)
		defer ccancel()
		_ = sess.Close(cctx)
	}()
	cv.pass("opens a guest session on the Messenger deployment", "")

	started := time.Now()
	if err := sess.Send(ctx, cv.opts.FirstMessage, p.attrs); err != nil {
		cv.fail("sends a first message carrying "+RunAttribute, err)
		return
	}
	cv.pass("sends a first message carrying "+RunAttribute, cv.res.RunID)

	if !cv.answer(ctx, sess, prompts, p) {
		cv.res.Transcript = sess.Transcript()
		return
	}

	conv, err := FindConversation(ctx, cv.c, FindOptions{RunID: cv.res.RunID, Since: started, Timeout: time.Until(deadline(ctx)), PollInterval: cv.opts.PollInterval})
	if !cv.add(conversationObject, "finds the conversation by its run id (analytics)", err, "") {
		cv.res.Transcript = sess.Transcript()
		return
	}
	cv.res.ConversationID = conv.ID
	cv.rep.Checks[len(cv.rep.Checks)-1].Detail = conv.ID

	// After Settle the flow is over, however it ended: one look at the
	// link is the answer.
	settled := cv.opts.Settle != nil
	if settled {
		cv.add(conversationObject, "the flow runs to its end", cv.opts.Settle(ctx, conv.ID), "")
	}
	linked := cv.linked(ctx, conv.ID, seed, settled)
	if linked && cv.opts.Settle == nil {
		// Nothing tells a guest the flow is done; give the bot's last
		// messages (a status line) time to arrive before judging them.
		select {
		case <-ctx.Done():
		case <-time.After(cv.opts.Linger):
		}
	}
	cv.res.Transcript = sess.Transcript()
	cv.noInternalIDs(depID)
}

// answer answers the bot's questions until every planned slot is answered.
func (cv *conversation) answer(ctx context.Context, sess *guest.Session, prompts []Prompt, p plan) bool {
	answered := map[string]bool{}
	for _, slot := range p.slots {
		if answered[slot] {
			continue
		}
		for !answered[slot] {
			wctx, cancel := context.WithTimeout(ctx, cv.opts.ReplyTimeout)
			f, err := sess.WaitFor(wctx, func(f *guest.Frame) bool { return f.IsOutbound() && strings.TrimSpace(f.Message.Text) != "" })
			cancel()
			if err != nil {
				cv.fail("the bot asks for "+slot, fmt.Errorf("no bot message: %w (the customer saw %q)", err, sess.Transcript()))
				return false
			}
			text := f.Message.Text
			asked, ok := Recognise(prompts, text)
			switch {
			case !ok:
				// Not a question (a greeting or a status line): the question
				// may still follow.
				continue
			case asked.Kind != "question":
				cv.fail("the bot accepts the answer for "+asked.Slot, fmt.Errorf("after %q it said %q (%s)", p.answers[asked.Slot], text, asked.Kind))
				return false
			case answered[asked.Slot]:
				cv.fail("the bot accepts the answer for "+asked.Slot, fmt.Errorf("it asked again: %q", text))
				return false
			}
			value, ok := p.answers[asked.Slot]
			if !ok {
				cv.fail("the bot asks for "+slot, fmt.Errorf("it asked for %s instead (%q): the seeded contact was not found by %s", asked.Slot, text, slot))
				return false
			}
			cv.pass("the bot asks for "+asked.Slot, fmt.Sprintf("%q", text))
			answered[asked.Slot] = true
			if err := sess.Send(ctx, value, nil); err != nil {
				cv.fail("answers "+asked.Slot, err)
				return false
			}
		}
	}
	return true
}

// linked polls until the conversation's customer contact resolves to the
// seeded contact's canonical contact. Once the flow is known to have
// finished (settled), one look is the answer.
//
// inferred: GET on a merged-away id resolves to the head of its merge tree
// (api.md §1.3, open question §8). Should the platform return the raw
// record instead, its canonicalContact still names the head, so both
// readings compare heads.
func (cv *conversation) linked(ctx context.Context, convID string, seed *SeededContact, settled bool) bool {
	const what = "the conversation's contact resolves to the seeded contact"
	var why error
	for {
		customer, seeded, err := cv.resolve(ctx, convID, seed)
		switch {
		case err != nil:
			why = err
		case head(customer) == head(seeded):
			cv.pass(what, head(seeded))
			cv.mergeSet(seeded)
			return true
		default:
			why = fmt.Errorf("it resolves to %s (%s), the seeded contact to %s", head(customer), customer.Type, head(seeded))
		}
		if settled {
			cv.fail(what, why)
			return false
		}
		select {
		case <-ctx.Done():
			cv.fail(what, why)
			return false
		case <-time.After(cv.opts.PollInterval):
		}
	}
}

func (cv *conversation) resolve(ctx context.Context, convID string, seed *SeededContact) (customer, seeded *apimodel.ExternalContact, err error) {
	conv, err := cv.c.GetConversation(ctx, convID)
	if err != nil {
		return nil, nil, err
	}
	cust := conv.Customer()
	if cust == nil || cust.ExternalContactID == "" {
		return nil, nil, errors.New("the customer participant has no external contact")
	}
	cv.res.ContactID = cust.ExternalContactID
	cv.remember(cust.ExternalContactID)
	if customer, err = cv.c.GetExternalContact(ctx, cust.ExternalContactID); err != nil {
		return nil, nil, err
	}
	if seeded, err = cv.c.GetExternalContact(ctx, seed.ID); err != nil {
		return nil, nil, err
	}
	cv.res.CanonicalContactID = head(customer)
	cv.remember(head(customer)) // a merge result may be a contact of its own
	return customer, seeded, nil
}

// head is the head of a contact's merge tree: itself when never merged.
func head(c *apimodel.ExternalContact) string {
	if c.CanonicalContact != nil && c.CanonicalContact.ID != "" {
		return c.CanonicalContact.ID
	}
	return c.ID
}

// mergeSet checks, under merge, that the seeded contact's tree holds the
// conversation's own contact: the merge happened, rather than a lookup
// linking the conversation some other way.
func (cv *conversation) mergeSet(seeded *apimodel.ExternalContact) {
	if cv.b.Manifest.Strategy != contract.StrategyMerge || cv.res.ContactID == head(seeded) {
		return
	}
	cv.add(conversationObject, "the seeded contact's merge set holds the conversation's contact",
		want(seeded.InMergeSet(cv.res.ContactID), "merge set %v lacks %s", refIDs(seeded.MergeSet), cv.res.ContactID), "")
}

func refIDs(rs []apimodel.Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

var uuidRE = regexp.MustCompile(`(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// noInternalIDs checks what the customer saw: no contact, conversation or
// deployment id, nor anything shaped like one (the blueprint printed
// "Customer ID: <id>" to every customer).
func (cv *conversation) noInternalIDs(depID string) {
	ids := []string{cv.res.ConversationID, cv.res.SeededContactID, cv.res.ContactID, cv.res.CanonicalContactID, depID}
	var bad []string
	for _, line := range cv.res.Transcript {
		leak := uuidRE.MatchString(line)
		for _, id := range ids {
			leak = leak || (id != "" && strings.Contains(line, id))
		}
		if leak {
			bad = append(bad, line)
		}
	}
	cv.add(conversationObject, "the customer sees no internal ids", want(len(bad) == 0, "the customer saw %q", bad), fmt.Sprintf("%d bot messages", len(cv.res.Transcript)))
}

// remember adds a contact to delete at the end.
func (cv *conversation) remember(id string) {
	if id != "" && !slices.Contains(cv.created, id) {
		cv.created = append(cv.created, id)
	}
}

// cleanup deletes the contacts the run created or that resulted from its
// merge. Deleting one member may take its merge set with it, so a contact
// already gone is fine.
func (cv *conversation) cleanup(parent context.Context) {
	if len(cv.created) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(parent, time.Minute)
	defer cancel()
	var errs []error
	for _, id := range cv.created {
		if err := cv.c.DeleteExternalContact(ctx, id); err != nil && !api.IsNotFound(err) {
			errs = append(errs, err)
		}
	}
	cv.add(conversationObject, "deletes the run's contacts", errors.Join(errs...), fmt.Sprintf("%d contacts", len(cv.created)))
}

// plan is what the customer will be asked and what they answer.
type plan struct {
	slots   []string          // slots the bot should ask for, in order
	answers map[string]string // by slot
	attrs   map[string]string // custom attributes of the first message
}

// planFor decides how the customer identifies: by answering the first
// identifier the bot asks for (participant data for it is left out, so
// the bot does ask), or, when the bot asks for none, with the first
// identifier as participant data; the second factor likewise.
func planFor(m *manifest.Manifest, seed *SeededContact, runID string) plan {
	p := plan{answers: map[string]string{}, attrs: map[string]string{RunAttribute: runID}}
	if a := firstAsked(m); a != nil {
		p.slots = append(p.slots, a.Slot)
		p.answers[a.Slot] = seed.Values[a.Type]
	} else if len(m.Identifiers) > 0 && m.Identifiers[0].ParticipantData != "" {
		p.attrs[m.Identifiers[0].ParticipantData] = seed.Values[m.Identifiers[0].Type]
	}
	if sf := m.SecondFactor; sf != nil {
		switch {
		case sf.Slot != "":
			p.slots = append(p.slots, sf.Slot)
			p.answers[sf.Slot] = seed.Values[sf.Field]
		case sf.ParticipantData != "":
			p.attrs[sf.ParticipantData] = seed.Values[sf.Field]
		}
	}
	return p
}

func (p plan) describe(seed *SeededContact) string {
	var parts []string
	for _, s := range p.slots {
		parts = append(parts, s+" "+p.answers[s])
	}
	for k, v := range p.attrs {
		if k != RunAttribute {
			parts = append(parts, "participant data "+k+"="+v)
		}
	}
	return seed.ID + ": " + strings.Join(parts, ", ")
}

// originFor picks an Origin the deployment allows: a host under its first
// allowed domain ("*.example.com" → https://www.example.com); "" when it
// allows every domain or cannot be read (verification reports that).
func originFor(ctx context.Context, c *api.Client, depID string) string {
	d, err := c.GetWebDeployment(ctx, depID)
	if err != nil || d.AllowAllDomains || len(d.AllowedDomains) == 0 {
		return ""
	}
	host := strings.TrimSpace(d.AllowedDomains[0])
	if rest, ok := strings.CutPrefix(host, "*."); ok {
		host = "www." + rest
	}
	if strings.Contains(host, "://") {
		return host
	}
	return "https://" + host
}

func deadline(ctx context.Context) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return time.Now().Add(2 * time.Minute)
}
