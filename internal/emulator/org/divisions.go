package org

import (
	"net/http"
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
	seq          uint64
}

func divisionURI(id string) string { return "/api/v2/authorization/divisions/" + id }

func (d Division) render() Division {
	d.SelfURI = divisionURI(d.ID)
	return d
}

// CreateDivision adds a division. Names are unique, case-insensitively
// (inferred: as in the Admin UI); a clash is 409.
func (o *Org) CreateDivision(in Division) (Division, error) {
	name, err := requireName("name", in.Name)
	if err != nil {
		return Division{}, err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, d := range o.objects.divisions {
		if strings.EqualFold(d.Name, name) {
			return Division{}, conflict("Division", d.ID, "A division named %s already exists.", quote(name))
		}
	}
	d := &Division{ID: newUUID(), Name: name, Description: in.Description, seq: o.objects.next()}
	o.objects.divisions[d.ID] = d
	return d.render(), nil
}

// Division returns one division.
func (o *Org) Division(id string) (Division, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	d, ok := o.objects.divisions[id]
	if !ok {
		return Division{}, notFound("Division", id)
	}
	return d.render(), nil
}

// DivisionByName returns the division with that name (case-insensitive), as
// Terraform's genesyscloud_auth_division data source finds it.
func (o *Org) DivisionByName(name string) (Division, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	for _, d := range o.objects.divisions {
		if strings.EqualFold(d.Name, strings.TrimSpace(name)) {
			return d.render(), nil
		}
	}
	e := newError(http.StatusNotFound, "No division named "+quote(name)+".")
	e.EntityName = "Division"
	return Division{}, e
}

// Divisions lists the divisions, home first, then in creation order.
func (o *Org) Divisions() []Division {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var out []Division
	for _, d := range sortedBySeq(o.objects.divisions, func(d *Division) uint64 { return d.seq }) {
		out = append(out, d.render())
	}
	return out
}

// DeleteDivision removes a division. The home division cannot be deleted,
// nor a division that still holds a queue or a flow (409; inferred from the
// Admin UI, which requires a division to be empty).
func (o *Org) DeleteDivision(id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	d, ok := o.objects.divisions[id]
	if !ok {
		return notFound("Division", id)
	}
	if d.HomeDivision {
		return badRequest("The home division cannot be deleted.")
	}
	for _, q := range o.objects.queues {
		if q.DivisionID == id {
			return conflict("Division", id, "Division %s still holds queue %s.", id, q.ID)
		}
	}
	for _, f := range o.objects.flows {
		if f.DivisionID == id {
			return conflict("Division", id, "Division %s still holds flow %s.", id, f.ID)
		}
	}
	delete(o.objects.divisions, id)
	return nil
}
