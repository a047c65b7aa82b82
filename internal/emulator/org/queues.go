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
	stored
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
		now := o.stamp()
		in.ID, in.Name, in.DivisionID, in.DateCreated, in.DateModified = newUUID(), name, d.ID, now, now
		return insertLocked(o, o.objects.queues, in.ID, in, Queue.clone), nil
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
	return findByName(o, o.objects.queues, "Queue", "queue", name, func(q *Queue) string { return q.Name }, (*Queue).clone)
}

// DeleteQueue removes a queue.
func (o *Org) DeleteQueue(id string) error {
	return deleteObject(o, o.objects.queues, "Queue", id, nil)
}
