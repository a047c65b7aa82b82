package org

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/bpgen/bpgen/internal/format/errorbody"
)

// Error is the error every Go API method returns for a request the platform
// would reject; the HTTP layer renders it as the standard ErrorBody. Callers
// can inspect it with errors.As.
type Error struct {
	Status     int
	Code       string
	Message    string
	EntityID   string
	EntityName string
	Details    []ErrorDetail
	Limit      *Limit
}

// ErrorBody, ErrorDetail and Limit are the Platform API's error body,
// shared with the API client and the data-action runtime.
type (
	ErrorBody   = errorbody.Body
	ErrorDetail = errorbody.Detail
	Limit       = errorbody.Limit
)

func (e *Error) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

// Body renders the error with the given correlation id as contextId.
func (e *Error) Body(contextID string) ErrorBody {
	details := e.Details
	if details == nil {
		details = []ErrorDetail{}
	}
	return ErrorBody{
		Message:    e.Message,
		Code:       e.Code,
		Status:     e.Status,
		EntityID:   e.EntityID,
		EntityName: e.EntityName,
		ContextID:  contextID,
		Details:    details,
		Errors:     []ErrorBody{},
		Limit:      e.Limit,
	}
}

// StatusOf returns the HTTP status of err if it is an *Error, else 500.
func StatusOf(err error) int {
	var e *Error
	if errors.As(err, &e) {
		return e.Status
	}
	return http.StatusInternalServerError
}

// IsNotFound reports whether err is a 404 not.found *Error.
func IsNotFound(err error) bool { return StatusOf(err) == http.StatusNotFound }

// codeForStatus gives the code string the platform uses for a status. Codes
// beyond 400/401/404/429/500 are inferred: they follow the same dotted style.
func codeForStatus(status int) string {
	switch status {
	case 400:
		return "bad.request"
	case 401:
		return "bad.credentials"
	case 403:
		return "missing.any.permissions" // inferred
	case 404:
		return "not.found"
	case 405:
		return "method.not.allowed" // inferred
	case 409:
		return "conflict" // inferred
	case 413:
		return "request.entity.too.large" // inferred
	case 429:
		return "too.many.requests"
	case 500:
		return "internal.server.error"
	case 502:
		return "bad.gateway" // inferred
	case 503:
		return "service.unavailable" // inferred
	case 504:
		return "gateway.timeout" // inferred
	}
	if status >= 500 {
		return "internal.server.error"
	}
	return "bad.request"
}

func defaultMessage(status int) string {
	switch status {
	case 400:
		return "The request could not be understood by the server due to malformed syntax."
	case 401:
		return "Invalid login credentials."
	case 429:
		return "Rate limit exceeded the maximum. Retry the request later."
	case 504:
		return "The request timed out."
	}
	return fmt.Sprintf("The requested operation failed with status %d", status)
}

func newError(status int, msg string) *Error {
	if msg == "" {
		msg = defaultMessage(status)
	}
	return &Error{Status: status, Code: codeForStatus(status), Message: msg}
}

func badRequest(format string, args ...any) *Error {
	return newError(http.StatusBadRequest, fmt.Sprintf(format, args...))
}

func notFound(entityName, id string) *Error {
	e := newError(http.StatusNotFound, "")
	e.EntityID = id
	e.EntityName = entityName
	return e
}
