package org

import (
	"strings"
)

// Division is an authorization division. The org always has its home
// division (HomeDivision); bundles that name another division look it up by
// name, so tests create it first (see deploy's fixtures).
type Division struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Description  string `json:"description"` // required in AuthzDivision (SDK model), so always present
	HomeDivision bool   `json:"homeDivision"`
	SelfURI      string `json:"selfUri,omitempty"`
	stored
}

func divisionURI(id string) string { return "/api/v2/authorization/divisions/" + id }

func (d Division) render() Division {
	d.SelfURI = divisionURI(d.ID)
	return d
}

// CreateDivision adds a division. Names are unique, case-insensitively
// (inferred: as in the Admin UI); a clash is 409.
func (o *Org) CreateDivision(in Division) (Division, error) {
	return createObject(o, in.Name, func(name string) (Division, error) {
		if d := findLocked(o.objects.divisions, func(d *Division) bool { return strings.EqualFold(d.Name, name) }); d != nil {
			return Division{}, conflict("Division", d.ID, "A division named %s already exists.", quote(name))
		}
		d := Division{ID: newUUID(), Name: name, Description: in.Description}
		return insertLocked(o, o.objects.divisions, d.ID, d, asIs).render(), nil
	})
}

// Division returns one division.
func (o *Org) Division(id string) (Division, error) {
	return readObject(o, o.objects.divisions, "Division", id, (*Division).render)
}

// DivisionByName returns the division with that name (case-insensitive), as
// Terraform's genesyscloud_auth_division data source finds it.
func (o *Org) DivisionByName(name string) (Division, error) {
	return findByName(o, o.objects.divisions, "Division", "division", name, func(d *Division) string { return d.Name }, (*Division).render)
}

// Divisions lists the divisions, home first, then in creation order.
func (o *Org) Divisions() []Division {
	return listObjects(o, o.objects.divisions, (*Division).render)
}

// DeleteDivision removes a division. The home division cannot be deleted,
// nor a division that still holds a queue or a flow (409; inferred from the
// Admin UI, which requires a division to be empty).
func (o *Org) DeleteDivision(id string) error {
	return deleteObject(o, o.objects.divisions, "Division", id, func(d *Division) error {
		if d.HomeDivision {
			return badRequest("The home division cannot be deleted.")
		}
		if q := findLocked(o.objects.queues, func(q *Queue) bool { return q.DivisionID == id }); q != nil {
			return conflict("Division", id, "Division %s still holds queue %s.", id, q.ID)
		}
		if f := findLocked(o.objects.flows, func(f *Flow) bool { return f.DivisionID == id }); f != nil {
			return conflict("Division", id, "Division %s still holds flow %s.", id, f.ID)
		}
		return nil
	})
}
