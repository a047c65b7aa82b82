package org

import "sync"

// EventType names what happened to a conversation.
type EventType string

// Event types delivered to subscribers.
const (
	EventConversationStarted EventType = "conversation.started"
	EventCustomerMessage     EventType = "message.inbound"
	EventOutboundMessage     EventType = "message.outbound"
	EventConversationEnded   EventType = "conversation.ended"
	// EventConversationEvicted: the org forgot the conversation
	// (WithConversationLimit); Conversation is empty. Subscribers drop
	// what they keep for it.
	EventConversationEvicted EventType = "conversation.evicted"
)

// Event is delivered to subscribers after the change it describes is
// committed. Conversation is a snapshot taken at that moment.
type Event struct {
	Type           EventType
	ConversationID string
	Channel        Channel
	IntegrationID  string
	Message        *Message // for message events
	Conversation   Conversation
}

// eventBus delivers events one at a time in commit order. Whoever commits
// an event drains the queue unless a delivery is already running; then the
// running drain picks it up. That keeps order without holding any lock while
// a subscriber runs, so subscribers may call back into the Org.
type eventBus struct {
	mu          sync.Mutex
	subs        map[int]func(Event)
	order       []int
	next        int
	pending     []Event
	dispatching bool
}

// Subscribe registers fn for every conversation event and returns a cancel
// function. Delivery is synchronous and serialised in commit order: a slow
// subscriber delays the caller that committed the event (e.g. the HTTP
// request that delivered the customer message) and every later event, so a
// runtime that does real work should hand off to its own goroutine.
func (o *Org) Subscribe(fn func(Event)) (cancel func()) {
	b := &o.events
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.subs == nil {
		b.subs = map[int]func(Event){}
	}
	id := b.next
	b.next++
	b.subs[id] = fn
	b.order = append(b.order, id)
	return func() {
		b.mu.Lock()
		defer b.mu.Unlock()
		delete(b.subs, id)
		for i, x := range b.order {
			if x == id {
				b.order = append(b.order[:i:i], b.order[i+1:]...)
				break
			}
		}
	}
}

// queueLocked records an event; call with o.mu held so queue order is commit
// order, then call flush after releasing o.mu.
func (o *Org) queueLocked(ev Event) {
	o.events.mu.Lock()
	o.events.pending = append(o.events.pending, ev)
	o.events.mu.Unlock()
}

func (o *Org) flushEvents() {
	b := &o.events
	b.mu.Lock()
	if b.dispatching {
		b.mu.Unlock()
		return
	}
	b.dispatching = true
	for len(b.pending) > 0 {
		evs := b.pending
		b.pending = nil
		fns := make([]func(Event), 0, len(b.order))
		for _, id := range b.order {
			fns = append(fns, b.subs[id])
		}
		b.mu.Unlock()
		for _, ev := range evs {
			for _, fn := range fns {
				fn(ev)
			}
		}
		b.mu.Lock()
	}
	b.dispatching = false
	b.mu.Unlock()
}
