package org

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Queue is a routing queue. The emulator has no users, so members are only
// counted, never routed to.
type Queue struct {
	ID           string
	Name         string
	Description  string
	DivisionID   string // "" = the home division
	MemberIDs    []string
	DateCreated  time.Time
	DateModified time.Time
	seq          uint64
}

func (q Queue) clone() Queue {
	q.MemberIDs = slices.Clone(q.MemberIDs)
	return q
}

// CreateQueue adds a queue. Validation: a name, unique case-insensitively
// (409; the platform rejects duplicate queue names); an existing division
// (400).
func (o *Org) CreateQueue(in Queue) (Queue, error) {
	name, err := requireName("name", in.Name)
	if err != nil {
		return Queue{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	d, err := o.divisionLocked("division.id", in.DivisionID)
	if err != nil {
		return Queue{}, err
	}
	for _, q := range o.objects.queues {
		if strings.EqualFold(q.Name, name) {
			return Queue{}, conflict("Queue", q.ID, "A queue named %s already exists.", quote(name))
		}
	}
	q := in.clone()
	now := o.stamp()
	q.ID, q.Name, q.DivisionID, q.DateCreated, q.DateModified, q.seq = newUUID(), name, d.ID, now, now, o.objects.next()
	o.objects.queues[q.ID] = &q
	return q.clone(), nil
}

// Queue returns one queue.
func (o *Org) Queue(id string) (Queue, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	q, ok := o.objects.queues[id]
	if !ok {
		return Queue{}, notFound("Queue", id)
	}
	return q.clone(), nil
}

// QueueByName finds a queue by exact name (case-insensitive), as
// Terraform's genesyscloud_routing_queue data source does; also how a flow's
// Transfer to ACD names its queue.
func (o *Org) QueueByName(name string) (Queue, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	for _, q := range o.objects.queues {
		if strings.EqualFold(q.Name, strings.TrimSpace(name)) {
			return q.clone(), nil
		}
	}
	e := newError(http.StatusNotFound, "No queue named "+quote(name)+".")
	e.EntityName = "Queue"
	return Queue{}, e
}

// DeleteQueue removes a queue.
func (o *Org) DeleteQueue(id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if _, ok := o.objects.queues[id]; !ok {
		return notFound("Queue", id)
	}
	delete(o.objects.queues, id)
	return nil
}
