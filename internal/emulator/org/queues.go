package org

import (
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
	return createObject(o, in.Name, func(name string) (Queue, error) {
		d, err := o.divisionLocked("division.id", in.DivisionID)
		if err != nil {
			return Queue{}, err
		}
		if q := findLocked(o.objects.queues, func(q *Queue) bool { return strings.EqualFold(q.Name, name) }); q != nil {
			return Queue{}, conflict("Queue", q.ID, "A queue named %s already exists.", quote(name))
		}
		q := in.clone()
		now := o.stamp()
		q.ID, q.Name, q.DivisionID, q.DateCreated, q.DateModified, q.seq = newUUID(), name, d.ID, now, now, o.objects.next()
		o.objects.queues[q.ID] = &q
		return q.clone(), nil
	})
}

// Queue returns one queue.
func (o *Org) Queue(id string) (Queue, error) {
	return readObject(o, o.objects.queues, "Queue", id, (*Queue).clone)
}

// QueueByName finds a queue by exact name (case-insensitive), as
// Terraform's genesyscloud_routing_queue data source does; also how a flow's
// Transfer to ACD names its queue.
func (o *Org) QueueByName(name string) (Queue, error) {
	want := strings.TrimSpace(name)
	return findObject(o, o.objects.queues, "Queue", "No queue named "+quote(name)+".",
		func(q *Queue) bool { return strings.EqualFold(q.Name, want) }, (*Queue).clone)
}

// DeleteQueue removes a queue.
func (o *Org) DeleteQueue(id string) error {
	return deleteObject(o, o.objects.queues, "Queue", id, nil)
}
