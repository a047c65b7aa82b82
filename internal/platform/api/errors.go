package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bpgen/bpgen/internal/format/errorbody"
)

// ErrNotFound is returned by lookups that search rather than fetch by id
// (e.g. FindFlow) when nothing matches. IsNotFound reports it too.
var ErrNotFound = errors.New("not found")

// ErrorBody is the platform's standard error body (api.md §0), the type the
// emulated org encodes. It also appears inside TestExecutionResult and
// OpenIntegration.CreateError.
type ErrorBody = errorbody.Body

// ErrorDetail is one entry of ErrorBody.Details.
type ErrorDetail = errorbody.Detail

// APIError is a non-2xx response, decoded.
type APIError struct {
	Method string // HTTP method of the failed request
	Path   string // request path and query, e.g. /api/v2/flows/abc
	Status int    // HTTP status code

	Code    string // error code from the body, e.g. "not.found", "invalid_client"
	Message string // human-readable message from the body (or the start of a non-JSON body)

	// ContextID is the body's contextId, or the inin-correlation-id header when the body has none.
	ContextID string
	// CorrelationID is the inin-correlation-id response header.
	CorrelationID string

	Details []ErrorDetail
	Errors  []ErrorBody

	// RetryAfter is the server's Retry-After hint, if any.
	RetryAfter time.Duration
	// Attempts is how many requests were made before giving up.
	Attempts int
}

// Error says what failed, e.g.
// "GET /api/v2/flows/abc: 404 not.found: The requested operation failed with status 404 [correlation d11b…]".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Path, e.Status)
	if e.Code != "" {
		b.WriteString(" " + e.Code)
	} else if t := http.StatusText(e.Status); t != "" {
		b.WriteString(" " + t)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.ContextID != "" {
		b.WriteString(" [correlation " + e.ContextID + "]")
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " (after %d attempts)", e.Attempts)
	}
	return b.String()
}

// IsNotFound reports whether err is a 404 APIError or wraps ErrNotFound.
func IsNotFound(err error) bool {
	return StatusCode(err) == http.StatusNotFound || errors.Is(err, ErrNotFound)
}

// IsUnauthorized reports whether err is a 401 APIError (bad client
// credentials, or a token the API rejected even after a refresh).
func IsUnauthorized(err error) bool { return StatusCode(err) == http.StatusUnauthorized }

// StatusCode returns the HTTP status of the APIError in err's chain, or 0.
func StatusCode(err error) int {
	if e, ok := errors.AsType[*APIError](err); ok {
		return e.Status
	}
	return 0
}

// wireError is every error shape the API is known to return: the platform
// ErrorBody, the older data-action shape (errorCode/userMessage/correlationId,
// api.md §5.4) and the OAuth shape (error/error_description).
type wireError struct {
	ErrorBody
	ErrorCode     string `json:"errorCode"`
	UserMessage   string `json:"userMessage"`
	CorrelationID string `json:"correlationId"`
	OAuthError    string `json:"error"`
	OAuthDesc     string `json:"error_description"`
	Description   string `json:"description"`
}

const maxErrorText = 300

// newAPIError decodes a non-2xx response body. redact scrubs credentials a
// server might echo back, so they cannot reach Error().
func newAPIError(method, path string, resp *http.Response, body []byte, redact func(string) string) *APIError {
	e := &APIError{
		Method:        method,
		Path:          path,
		Status:        resp.StatusCode,
		CorrelationID: resp.Header.Get("inin-correlation-id"),
		RetryAfter:    parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
	var w wireError
	if err := json.Unmarshal(body, &w); err == nil {
		e.Code = firstNonEmpty(w.Code, w.ErrorCode, w.OAuthError)
		e.Message = firstNonEmpty(w.Message, w.UserMessage, w.OAuthDesc, w.Description)
		e.ContextID = firstNonEmpty(w.ContextID, w.CorrelationID)
		e.Details = w.Details
		e.Errors = w.Errors
	} else if text := strings.TrimSpace(string(body)); text != "" {
		// Proxies answer 502/504 with HTML; the start of it still helps.
		e.Message = truncate(strings.Join(strings.Fields(text), " "), maxErrorText)
	}
	if e.ContextID == "" {
		e.ContextID = e.CorrelationID
	}
	e.Code = redact(e.Code)
	e.Message = redact(e.Message)
	for i := range e.Errors {
		e.Errors[i].Message = redact(e.Errors[i].Message)
		e.Errors[i].MessageWithParams = redact(e.Errors[i].MessageWithParams)
	}
	return e
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
