package org

import "net/http"

// POST /api/v2/conversations/messaging/integrations/open, as
// genesyscloud_conversations_messaging_integrations_open (v1.82.0) creates
// the examples' open-messaging integration (OpenIntegrationRequest,
// platformclientv2/openintegrationrequest.go). supportedContent and
// messagingSetting are accepted by reference only: the emulator models
// neither (inferred: Genesys applies its defaults when they are absent).

var fieldsOpenIntegration = []string{"id", "name", "supportedContent", "messagingSetting", "outboundNotificationWebhookUrl",
	"outboundNotificationWebhookSignatureSecretToken", "webhookHeaders", "selfUri"}

func (o *Org) httpCreateOpenIntegration(w http.ResponseWriter, r *http.Request) (any, error) {
	in, _, err := modelBody[struct {
		Name       string `json:"name"`
		WebhookURL string `json:"outboundNotificationWebhookUrl"`
		WebhookTok string `json:"outboundNotificationWebhookSignatureSecretToken"`
	}](w, r, "OpenIntegrationRequest", fieldsOpenIntegration)
	if err != nil {
		return nil, err
	}
	name, err := requireName("name", in.Name)
	switch {
	case err != nil:
		return nil, err
	// inferred: the API reference marks both webhook fields required.
	case in.WebhookURL == "":
		return nil, badRequest("outboundNotificationWebhookUrl is required.")
	case in.WebhookTok == "":
		return nil, badRequest("outboundNotificationWebhookSignatureSecretToken is required.")
	}
	// inferred: a new integration does not resolve identities until
	// configured (`bpgen wire` does it); the same reading internal/emulator/deploy
	// applies with, so an apply over this API and one through it agree.
	off := false
	got, err := o.AddOpenIntegration(OpenIntegration{Name: name, WebhookURL: in.WebhookURL, WebhookSecret: in.WebhookTok, ResolveIdentities: &off})
	if err != nil {
		return nil, err
	}
	return renderOpenIntegration(got), nil
}
