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
	return ErrorBody{
		Message:    e.Message,
		Code:       e.Code,
		Status:     e.Status,
		EntityID:   e.EntityID,
		EntityName: e.EntityName,
		ContextID:  contextID,
		Details:    orEmpty(e.Details),
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

// statusCodes are the code strings the platform uses per status. Codes
// beyond 400/401/404/429/500 are inferred: they follow the same dotted style.
var statusCodes = map[int]string{
	400: "bad.request",
	401: "bad.credentials",
	403: "missing.any.permissions", // inferred
	404: "not.found",
	405: "method.not.allowed",       // inferred
	409: "conflict",                 // inferred
	413: "request.entity.too.large", // inferred
	429: "too.many.requests",
	500: "internal.server.error",
	502: "bad.gateway",         // inferred
	503: "service.unavailable", // inferred
	504: "gateway.timeout",     // inferred
}

// codeForStatus gives the code string the platform uses for a status; a
// status without its own code is internal.server.error from 500 on and
// bad.request below.
func codeForStatus(status int) string {
	if c, ok := statusCodes[status]; ok {
		return c
	}
	if status >= 500 {
		return "internal.server.error"
	}
	return "bad.request"
}

// defaultMessages are the messages of errors raised without one.
var defaultMessages = map[int]string{
	400: "The request could not be understood by the server due to malformed syntax.",
	401: "Invalid login credentials.",
	429: "Rate limit exceeded the maximum. Retry the request later.",
	504: "The request timed out.",
}

func defaultMessage(status int) string {
	if m, ok := defaultMessages[status]; ok {
		return m
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
