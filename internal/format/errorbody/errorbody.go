// Package errorbody is the Platform API's standard error body (api.md §0;
// SDK errorbody.go, detail.go), the one Go type the emulated org encodes, the
// data-action runtime relays (api.md §5.4, newer format) and the API client
// decodes.
package errorbody

// Body is the wire shape of a Platform API error response, and of the error
// inside a data action's /execute and /test results.
//
// The emulated org always fills message, code, status, contextId, details
// and errors (api.md §0); the data-action runtime also always writes
// messageParams, so MessageParams is omitted only when nil (omitzero), and
// contextId only when empty (the nested errors[] entries of a data-action
// failure carry none).
type Body struct {
	Message           string            `json:"message"`
	Code              string            `json:"code"`
	Status            int               `json:"status"`
	MessageWithParams string            `json:"messageWithParams,omitempty"`
	MessageParams     map[string]string `json:"messageParams,omitzero"`
	EntityID          string            `json:"entityId,omitempty"`
	EntityName        string            `json:"entityName,omitempty"`
	ContextID         string            `json:"contextId,omitempty"`
	Details           []Detail          `json:"details"`
	Errors            []Body            `json:"errors"`
	Limit             *Limit            `json:"limit,omitempty"`
}

// Detail is one entry of Body.Details.
type Detail struct {
	ErrorCode  string `json:"errorCode,omitempty"`
	FieldName  string `json:"fieldName,omitempty"`
	EntityID   string `json:"entityId,omitempty"`
	EntityName string `json:"entityName,omitempty"`
}

// Limit is Body.Limit, present only on limit errors.
type Limit struct {
	Key       string `json:"key,omitempty"`
	Namespace string `json:"namespace,omitempty"`
	Value     int    `json:"value,omitempty"`
}

// Category returns details[0].errorCode: for a data action's failure, its
// category (ACTION.REMOTE_ENDPOINT, ACTION.AUTHENTICATION, ACTION.PROCESSING).
func (e *Body) Category() string {
	if e == nil || len(e.Details) == 0 {
		return ""
	}
	return e.Details[0].ErrorCode
}
