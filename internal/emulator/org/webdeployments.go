package org

import (
	"slices"
	"time"
)

// Deployment and configuration statuses.
const (
	StatusActive   = "Active"
	StatusInactive = "Inactive"
)

// MessengerConfiguration is a Messenger (web deployment) configuration. The
// emulator keeps the fields a deployment and the public config need; the
// Messenger look and feel is not modelled.
type MessengerConfiguration struct {
	ID              string
	Name            string
	Description     string
	Version         string // "1" when created
	Languages       []string
	DefaultLanguage string
	Status          string // Active
	DateCreated     time.Time
	DateModified    time.Time
	stored
}

func (c MessengerConfiguration) clone() MessengerConfiguration {
	c.Languages = slices.Clone(c.Languages)
	return c
}

// WebDeployment is a Messenger deployment: the deploymentId a web page's
// snippet (and the guest WebSocket) uses, the inbound message flow its
// conversations start, and the configuration version it serves.
type WebDeployment struct {
	ID                   string
	Name                 string
	Description          string
	AllowAllDomains      bool
	AllowedDomains       []string
	FlowID               string
	ConfigurationID      string
	ConfigurationVersion string // "" = the configuration's current version
	Status               string // "" = Active
	DateCreated          time.Time
	DateModified         time.Time
	resolution           IdentityResolution
	stored
}

func (d WebDeployment) clone() WebDeployment {
	d.AllowedDomains = slices.Clone(d.AllowedDomains)
	d.resolution.Automerge = clonePtr(d.resolution.Automerge)
	return d
}

// CreateMessengerConfiguration adds a configuration at version "1".
// Languages default to ["en-us"]; the default language must be one of them
// (400).
func (o *Org) CreateMessengerConfiguration(in MessengerConfiguration) (MessengerConfiguration, error) {
	return createObject(o, in.Name, func(name string) (MessengerConfiguration, error) {
		c := in
		if len(c.Languages) == 0 {
			c.Languages = []string{"en-us"}
		}
		if c.DefaultLanguage == "" {
			c.DefaultLanguage = c.Languages[0]
		}
		if !slices.Contains(c.Languages, c.DefaultLanguage) {
			return MessengerConfiguration{}, badRequest("defaultLanguage %s must be one of languages.", c.DefaultLanguage)
		}
		now := o.stamp()
		c.ID, c.Name, c.Version, c.Status = newUUID(), name, "1", StatusActive
		c.DateCreated, c.DateModified = now, now
		return insertLocked(o, o.objects.webConfigs, c.ID, c, MessengerConfiguration.clone), nil
	})
}

// MessengerConfiguration returns one configuration.
func (o *Org) MessengerConfiguration(id string) (MessengerConfiguration, error) {
	return readObject(o, o.objects.webConfigs, "WebDeploymentConfiguration", id, (*MessengerConfiguration).clone)
}

// DeleteMessengerConfiguration removes a configuration that no deployment
// uses (409 otherwise; inferred, as for flows).
func (o *Org) DeleteMessengerConfiguration(id string) error {
	return deleteObject(o, o.objects.webConfigs, "WebDeploymentConfiguration", id, func(*MessengerConfiguration) error {
		if d := findLocked(o.objects.webDeps, func(d *WebDeployment) bool { return d.ConfigurationID == id }); d != nil {
			return conflict("WebDeploymentConfiguration", id, "Configuration %s is in use by web deployment %s.", id, d.ID)
		}
		return nil
	})
}

// CreateWebDeployment adds a deployment. Validation (400): a name; an
// existing inbound message flow (inferred: Messenger only starts inbound
// message flows); an existing configuration, at its current version when a
// version is given; a status of Active or Inactive (default Active).
// inferred: the deployment is Active at once (the platform may report
// Pending briefly).
func (o *Org) CreateWebDeployment(in WebDeployment) (WebDeployment, error) {
	return createObject(o, in.Name, func(name string) (WebDeployment, error) {
		if in.Status == "" {
			in.Status = StatusActive
		}
		if in.Status != StatusActive && in.Status != StatusInactive {
			return WebDeployment{}, badRequest("status must be %s or %s.", StatusActive, StatusInactive)
		}
		if _, err := o.inboundFlowLocked("flow.id", in.FlowID, "a deployment"); err != nil {
			return WebDeployment{}, err
		}
		c, err := referenceLocked(o.objects.webConfigs, "configuration.id", "WebDeploymentConfiguration", in.ConfigurationID)
		if err != nil {
			return WebDeployment{}, err
		}
		if in.ConfigurationVersion == "" {
			in.ConfigurationVersion = c.Version
		}
		if in.ConfigurationVersion != c.Version {
			return WebDeployment{}, badRequest("configuration %s has no version %s.", c.ID, in.ConfigurationVersion)
		}
		now := o.stamp()
		in.ID, in.Name, in.DateCreated, in.DateModified = newUUID(), name, now, now
		in.resolution = IdentityResolution{}
		return insertLocked(o, o.objects.webDeps, in.ID, in, WebDeployment.clone), nil
	})
}

// WebDeployment returns one deployment.
func (o *Org) WebDeployment(id string) (WebDeployment, error) {
	return readObject(o, o.objects.webDeps, "WebDeployment", id, (*WebDeployment).clone)
}

// DeleteWebDeployment removes a deployment and ends the guest sessions
// connected to it (their conversations stay as they are).
func (o *Org) DeleteWebDeployment(id string) error {
	return deleteObjectThen(o, o.objects.webDeps, "WebDeployment", id, o.guests.closeDeployment)
}
