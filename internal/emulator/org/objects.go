package org

import (
	"cmp"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Deployed objects: what `terraform apply` of a bpgen bundle creates in an
// org (divisions, roles, OAuth clients, integrations and their credentials,
// data actions, queues, flows, Messenger configurations and deployments,
// open-messaging integrations and their recipients). Each resource has a Go
// API in <resource>.go and its Platform API handlers in <resource>_http.go
// (the route table is routes_http.go);
// the handlers only decode, call the Go API and render, as for contacts.
//
// The objects live under Org.mu with the contacts and conversations, so a
// conversation that starts while a deployment is being destroyed sees either
// the flow or a 404, never half of one.

// objectStore holds the deployed objects. Guarded by Org.mu. OAuth clients
// live in authState because the token endpoint reads them on every request.
type objectStore struct {
	divisions   map[string]*Division
	roles       map[string]*Role
	users       map[string]*User
	credentials map[string]*IntegrationCredential
	dataInts    map[string]*Integration // data-action (and other non-messaging) integrations
	actions     map[string]*DataAction
	queues      map[string]*Queue
	flows       map[string]*Flow
	webConfigs  map[string]*MessengerConfiguration
	webDeps     map[string]*WebDeployment
	seq         uint64 // the last creation number given (stored), for stable listings
}

func (s *objectStore) init() {
	s.divisions = map[string]*Division{}
	s.roles = map[string]*Role{}
	s.users = map[string]*User{}
	s.credentials = map[string]*IntegrationCredential{}
	s.dataInts = map[string]*Integration{}
	s.actions = map[string]*DataAction{}
	s.queues = map[string]*Queue{}
	s.flows = map[string]*Flow{}
	s.webConfigs = map[string]*MessengerConfiguration{}
	s.webDeps = map[string]*WebDeployment{}
	home := Division{ID: homeDivision.ID, Name: homeDivision.Name, HomeDivision: true}
	s.divisions[home.ID] = &home
}

// next returns the next creation sequence number; call with Org.mu held.
func (s *objectStore) next() uint64 {
	s.seq++
	return s.seq
}

// sortedBySeq returns the values of m in creation order.
func sortedBySeq[T any, P storable[T]](m map[string]*T) []*T {
	out := make([]*T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	slices.SortFunc(out, func(a, b *T) int { return cmp.Compare(P(a).record().seq, P(b).record().seq) })
	return out
}

// requireName trims and checks an object name: required and at most
// maxNameLen characters (inferred: the platform's per-resource limits vary;
// one generous bound keeps garbage out without rejecting real names).
func requireName(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", badRequest("%s is required.", field)
	}
	if len(v) > maxNameLen {
		return "", badRequest("%s must be at most %d characters.", field, maxNameLen)
	}
	return v, nil
}

// conflict is the 409 for a duplicate name or an object still in use.
// inferred: the platform answers name clashes with 400 or 409 depending on
// the service; 409 says what happened more precisely.
func conflict(entityName, id, format string, args ...any) *Error {
	e := badRequest(format, args...)
	e.Status, e.Code = http.StatusConflict, codeForStatus(http.StatusConflict)
	e.EntityID, e.EntityName = id, entityName
	return e
}

// badReference is the 400 for a body field naming an object that does not
// exist (404 is reserved for the object in the path, as for contacts).
func badReference(field, entityName, id string) *Error {
	e := badRequest("%s %s does not exist.", field, quote(id))
	e.EntityID, e.EntityName = id, entityName
	return e
}

// divisionLocked resolves a division id; "" means the home division.
func (o *Org) divisionLocked(field, id string) (*Division, error) {
	if id == "" {
		id = homeDivision.ID
	}
	return referenceLocked(o.objects.divisions, field, "Division", id)
}

// inboundFlowLocked resolves a body field naming the flow a Messenger
// deployment or a message recipient (user) starts: it must exist and be an
// inbound message flow (400; inferred: the platform routes messaging
// conversations only into inbound message flows).
func (o *Org) inboundFlowLocked(field, id, user string) (*Flow, error) {
	f, err := referenceLocked(o.objects.flows, field, "Flow", id)
	if err != nil {
		return nil, err
	}
	if f.Type != FlowTypeInboundShortMessage {
		return nil, badRequest("flow %s is a %s flow; %s needs an %s flow.", f.ID, f.Type, user, FlowTypeInboundShortMessage)
	}
	return f, nil
}

// divisionRefLocked renders {id, name, selfUri} of a division; an unknown id
// (deleted since) keeps the id alone.
func (o *Org) divisionRefLocked(id string) *Ref {
	if id == "" {
		id = homeDivision.ID
	}
	r := Ref{ID: id, SelfURI: divisionURI(id)}
	if d, ok := o.objects.divisions[id]; ok {
		r.Name = d.Name
	}
	return &r
}

// stamp returns the time to record as both creation and modification time.
func (o *Org) stamp() time.Time { return o.now() }
