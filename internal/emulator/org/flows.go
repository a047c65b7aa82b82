package org

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Flow types as the API spells them in Flow.type (queries accept any case).
const (
	FlowTypeInboundShortMessage = "INBOUNDSHORTMESSAGE"
	FlowTypeBot                 = "BOT"
	FlowTypeDigitalBot          = "DIGITALBOT"
	FlowTypeCommonModule        = "COMMONMODULE"
)

var flowTypeRE = regexp.MustCompile(`^[A-Z][A-Z0-9]*$`)

// Flow is a published Architect flow. Definition keeps the Archy YAML as it
// was published (substitutions applied), which is what a flow runtime
// executes; the REST view does not expose it.
type Flow struct {
	ID            string
	Name          string
	Description   string
	Type          string // upper case, e.g. FlowTypeInboundShortMessage
	DivisionID    string // "" = the home division
	Definition    []byte
	Version       int // published version, from 1
	DateCreated   time.Time
	DatePublished time.Time
	stored
}

func (f Flow) clone() Flow {
	f.Definition = slices.Clone(f.Definition)
	return f
}

// PublishFlow creates and publishes a flow, or publishes a new version of
// the flow with the same name and type (flow identity in Architect is name
// plus type, compared case-insensitively), as `archy publish` and the
// provider's genesyscloud_flow do. Validation (400): a name, a type, an
// existing division.
func (o *Org) PublishFlow(in Flow) (Flow, error) {
	return createObject(o, in.Name, func(name string) (Flow, error) {
		typ := strings.ToUpper(strings.TrimSpace(in.Type))
		if !flowTypeRE.MatchString(typ) {
			return Flow{}, badRequest("type %q is not a flow type.", in.Type)
		}
		d, err := o.divisionLocked("division.id", in.DivisionID)
		if err != nil {
			return Flow{}, err
		}
		now := o.stamp()
		if f := o.flowByNameLocked(name, typ); f != nil {
			f.Name, f.Description, f.DivisionID = name, in.Description, d.ID
			f.Definition = slices.Clone(in.Definition)
			f.Version++
			f.DatePublished = now
			return f.clone(), nil
		}
		f := in
		f.ID, f.Name, f.Type, f.DivisionID = newUUID(), name, typ, d.ID
		f.Version, f.DateCreated, f.DatePublished = 1, now, now
		return insertLocked(o, o.objects.flows, f.ID, f, Flow.clone), nil
	})
}

func (o *Org) flowByNameLocked(name, typ string) *Flow {
	return findLocked(o.objects.flows, func(f *Flow) bool { return strings.EqualFold(f.Name, name) && strings.EqualFold(f.Type, typ) })
}

// Flow returns one flow.
func (o *Org) Flow(id string) (Flow, error) {
	return readObject(o, o.objects.flows, "Flow", id, (*Flow).clone)
}

// FindFlow returns the flow with that name and type (both
// case-insensitive), the way a flow calls another by name.
func (o *Org) FindFlow(name, flowType string) (Flow, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	if f := o.flowByNameLocked(strings.TrimSpace(name), flowType); f != nil {
		return f.clone(), nil
	}
	return Flow{}, notFoundMatching("Flow", "No "+strings.ToUpper(flowType)+" flow named "+quote(name)+".")
}

// Flows lists every flow, by name then id.
func (o *Org) Flows() []Flow {
	o.mu.RLock()
	defer o.mu.RUnlock()
	out := make([]Flow, 0, len(o.objects.flows))
	for _, f := range o.objects.flows {
		out = append(out, f.clone())
	}
	slices.SortFunc(out, func(a, b Flow) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// DeleteFlow removes a flow. A flow a Messenger deployment starts or a
// message recipient routes to cannot be deleted (409; inferred from
// Architect's "flow is in use" dependency check).
func (o *Org) DeleteFlow(id string) error {
	return deleteObject(o, o.objects.flows, "Flow", id, func(*Flow) error {
		if d := findLocked(o.objects.webDeps, func(d *WebDeployment) bool { return d.FlowID == id }); d != nil {
			return conflict("Flow", id, "Flow %s is in use by web deployment %s.", id, d.ID)
		}
		if in := findLocked(o.integrations, func(in *OpenIntegration) bool { return in.FlowID == id }); in != nil {
			return conflict("Flow", id, "Flow %s is in use by message recipient %s.", id, in.ID)
		}
		return nil
	})
}
