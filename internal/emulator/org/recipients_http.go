package org

import "net/http"

// Routes of open-messaging integrations as objects (the inbound message
// route is in openmessaging_http.go) and of their message recipients.
func (o *Org) openIntegrationRoutes(mux *http.ServeMux) {
	const open = "/api/v2/conversations/messaging/integrations/open/{integrationId}"
	o.handle(mux, "GET "+open, getHandler("integrationId", o.OpenIntegration, func(in OpenIntegration) any { return renderOpenIntegration(in) }))
	o.handle(mux, "DELETE "+open, deleteHandler("integrationId", o.DeleteOpenIntegration))
	const ir = "/api/v2/conversations/messaging/identityresolution/integrations/open/{integrationId}"
	o.handle(mux, "GET "+ir, o.httpGetResolution(o.OpenIdentityResolution, openResolutionURI))
	o.handle(mux, "PUT "+ir, o.httpPutResolution(o.SetOpenIdentityResolution, openResolutionURI))
	o.handle(mux, "GET /api/v2/routing/message/recipients/{recipientId}", getHandler("recipientId", o.Recipient, func(r Recipient) any { return o.renderRecipient(r) }))
	o.handle(mux, "PUT /api/v2/routing/message/recipients/{recipientId}", o.httpPutRecipient)
}

func openResolutionURI(id string) string {
	return "/api/v2/conversations/messaging/identityresolution/integrations/open/" + id
}

func recipientURI(id string) string { return "/api/v2/routing/message/recipients/" + id }

type apiOpenIntegration struct {
	ID                             string            `json:"id"`
	Name                           string            `json:"name"`
	Status                         string            `json:"status"`
	CreateStatus                   string            `json:"createStatus"`
	Recipient                      *Ref              `json:"recipient"`
	OutboundNotificationWebhookURL string            `json:"outboundNotificationWebhookUrl,omitempty"`
	WebhookHeaders                 map[string]string `json:"webhookHeaders"`
	DateCreated                    Time              `json:"dateCreated,omitzero"`
	DateModified                   Time              `json:"dateModified,omitzero"`
	SelfURI                        string            `json:"selfUri"`
}

// renderOpenIntegration is the OpenIntegration wire shape. Creation is
// complete at once (inferred; the platform creates asynchronously, which is
// why createStatus exists). The webhook secret is never rendered.
func renderOpenIntegration(in OpenIntegration) apiOpenIntegration {
	return apiOpenIntegration{
		ID: in.ID, Name: in.Name, Status: StatusActive, CreateStatus: "Completed",
		Recipient:                      &Ref{ID: in.ID, Name: in.Name, SelfURI: recipientURI(in.ID)},
		OutboundNotificationWebhookURL: in.WebhookURL, WebhookHeaders: map[string]string{},
		DateCreated: Time{in.DateCreated}, DateModified: Time{in.DateModified},
		SelfURI: "/api/v2/conversations/messaging/integrations/open/" + in.ID,
	}
}

type apiRecipient struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	Flow          *Ref   `json:"flow,omitempty"`
	MessengerType string `json:"messengerType"`
	DateCreated   Time   `json:"dateCreated,omitzero"`
	DateModified  Time   `json:"dateModified,omitzero"`
	SelfURI       string `json:"selfUri"`
}

func (o *Org) renderRecipient(r Recipient) apiRecipient {
	out := apiRecipient{
		ID: r.ID, Name: r.Name, MessengerType: r.MessengerType,
		DateCreated: Time{r.DateCreated}, DateModified: Time{r.DateModified}, SelfURI: recipientURI(r.ID),
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
func (o *Org) httpPutRecipient(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Flow *Ref `json:"flow"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		writeErr(w, err)
		return
	}
	flowID := ""
	if body.Flow != nil {
		if body.Flow.ID == "" {
			writeErr(w, badRequest("flow.id is required."))
			return
		}
		flowID = body.Flow.ID
	}
	rec, err := o.SetRecipientFlow(r.PathValue("recipientId"), flowID)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, o.renderRecipient(rec))
}
