package org

import (
	"net/http"

	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

func openResolutionURI(id string) string {
	return "/api/v2/conversations/messaging/identityresolution/integrations/open/" + id
}

func recipientURI(id string) string { return "/api/v2/routing/message/recipients/" + id }

// renderOpenIntegration is the OpenIntegration wire shape. Creation is
// complete at once (inferred; the platform creates asynchronously, which is
// why createStatus exists). The webhook secret is never rendered.
func renderOpenIntegration(in OpenIntegration) apimodel.OpenIntegration {
	return apimodel.OpenIntegration{
		ID: in.ID, Name: in.Name, Status: StatusActive, CreateStatus: "Completed",
		Recipient:                      &Ref{ID: in.ID, Name: in.Name, SelfURI: recipientURI(in.ID)},
		OutboundNotificationWebhookURL: in.WebhookURL, WebhookHeaders: map[string]string{},
		Stamps: stamps(in.DateCreated, in.DateModified, "/api/v2/conversations/messaging/integrations/open/"+in.ID),
	}
}

func (o *Org) renderRecipient(r Recipient) apimodel.Recipient {
	out := apimodel.Recipient{
		ID: r.ID, Name: r.Name, MessengerType: r.MessengerType,
		Stamps: stamps(r.DateCreated, r.DateModified, recipientURI(r.ID)),
	}
	if r.FlowID != "" {
		out.Flow = &Ref{ID: r.FlowID, SelfURI: "/api/v2/flows/" + r.FlowID}
		if f, err := o.Flow(r.FlowID); err == nil {
			out.Flow.Name = f.Name
		}
	}
	return out
}

// httpPutRecipient is PUT /api/v2/routing/message/recipients/{id}. Only the
// flow is writable here; {"flow": null} or no flow unbinds (inferred: PUT
// replaces the binding).
func (o *Org) httpPutRecipient(r *http.Request, in struct {
	Flow *Ref `json:"flow"`
}) (any, error) {
	flowID := ""
	if in.Flow != nil {
		if in.Flow.ID == "" {
			return nil, badRequest("flow.id is required.")
		}
		flowID = in.Flow.ID
	}
	rec, err := o.SetRecipientFlow(r.PathValue("recipientId"), flowID)
	if err != nil {
		return nil, err
	}
	return o.renderRecipient(rec), nil
}
