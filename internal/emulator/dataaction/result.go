package dataaction

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/errorbody"
)

// Outcome is the Architect output path a data-action call takes.
type Outcome int

// The three outputs of Architect's Call Data Action.
const (
	Success Outcome = iota + 1
	Failure
	Timeout
)

func (o Outcome) String() string {
	switch o {
	case Success:
		return "success"
	case Failure:
		return "failure"
	case Timeout:
		return "timeout"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// Error categories, reported in details[0].errorCode of the platform error.
const (
	// CategoryRemoteEndpoint: the org answered non-2xx or non-JSON, the
	// connection failed, or the call timed out.
	CategoryRemoteEndpoint = "ACTION.REMOTE_ENDPOINT"
	// CategoryAuthentication: the integration's credentials were refused.
	CategoryAuthentication = "ACTION.AUTHENTICATION"
	// CategoryProcessing: input, template, JSONPath or schema problems.
	CategoryProcessing = "ACTION.PROCESSING"
)

// FailureOutputKeys are the Architect failure outputs of every data action,
// in the order Architect lists them: the list the flows write
// (internal/contract).
var FailureOutputKeys = contract.FailureOutputs

// Result is the outcome of one execution.
type Result struct {
	Outcome Outcome

	// Outputs are the values Architect binds.
	//   - Success: the success-schema properties present in the result,
	//     flattened (see OutputKeys); numbers are json.Number.
	//   - Failure: exactly FailureOutputKeys; a nil value is NOT_SET;
	//     status is an int.
	//   - Timeout: nil (Architect's timeout path has no outputs).
	Outputs map[string]any

	// Body is the decoded success JSON (Success only), what /execute returns.
	Body any

	// Error is the platform error body (Failure and Timeout), what /execute
	// returns with HTTP status Error.Status.
	Error *ErrorBody

	// Trace records the call for the emulator's log. It never holds the
	// OAuth token or client secret.
	Trace Trace

	// Operations are the steps /test reports, in order.
	Operations []Operation
}

// Trace is what happened during one execution.
type Trace struct {
	Action      string
	Method      string
	Path        string // rendered request path and query, relative to the org
	RequestBody string // empty for GET
	Status      int    // last upstream HTTP status; 0 when none was received
	Attempts    int    // upstream requests sent (2 after a 401 retry)
	// Latency is the time spent in upstream requests, body reads included.
	Latency time.Duration
	// Elapsed is the whole execution, templates and validation included.
	Elapsed       time.Duration
	SuccessJSON   string // the rendered success JSON, compacted
	FailureReason string // why the action failed or timed out
}

const redacted = "[redacted: secure action]"

// redact hides the data of a secure action (callDataSecure), whose inputs and
// outputs the platform keeps out of logs.
// inferred: the platform's exact logging rules for secure actions are not in
// the sources; the trace keeps method, path, status and timing only.
func (t *Trace) redact() {
	if t.RequestBody != "" {
		t.RequestBody = redacted
	}
	if t.SuccessJSON != "" {
		t.SuccessJSON = redacted
	}
	if t.FailureReason != "" {
		t.FailureReason = redacted
	}
}

func (t Trace) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "data action %q: %s %s", t.Action, t.Method, t.Path)
	if t.RequestBody != "" {
		fmt.Fprintf(&b, " body=%s", t.RequestBody)
	}
	if t.Status != 0 {
		fmt.Fprintf(&b, " -> %d", t.Status)
	}
	fmt.Fprintf(&b, " in %s", t.Latency.Round(time.Microsecond))
	if t.Attempts > 1 {
		fmt.Fprintf(&b, " (%d attempts)", t.Attempts)
	}
	if t.FailureReason != "" {
		fmt.Fprintf(&b, "; failed: %s", t.FailureReason)
	} else if t.SuccessJSON != "" {
		fmt.Fprintf(&b, "; result %s", t.SuccessJSON)
	}
	return b.String()
}

// ErrorBody is the platform error body of a failed /execute, in the newer
// (ErrorBody field names) format of api.md 5.4: the Platform API's error
// body, shared with the emulated org and the API client.
type ErrorBody = errorbody.Body

// ErrorDetail is one entry of ErrorBody.Details.
type ErrorDetail = errorbody.Detail

// FailureOutputs maps an error body to Architect's failure outputs per
// api.md 5.4: status ← status, errorCode ← code, correlationId ← contextId,
// userMessage ← message, details.* ← details[0].*.
// inferred: userParams.key/value take the first message parameter (by key);
// Architect may expose userParams and details as collections instead.
func FailureOutputs(e *ErrorBody) map[string]any {
	out := make(map[string]any, len(FailureOutputKeys))
	for _, k := range FailureOutputKeys {
		out[k] = nil
	}
	set := func(k, v string) {
		if v != "" {
			out[k] = v
		}
	}
	set("errorCode", e.Code)
	if e.Status != 0 {
		out["status"] = e.Status
	}
	set("correlationId", e.ContextID)
	set("entityId", e.EntityID)
	set("entityName", e.EntityName)
	set("userMessage", e.Message)
	set("userParamsMessage", e.MessageWithParams)
	if len(e.MessageParams) > 0 {
		keys := make([]string, 0, len(e.MessageParams))
		for k := range e.MessageParams {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out["userParams.key"] = keys[0]
		out["userParams.value"] = e.MessageParams[keys[0]]
	}
	if len(e.Details) > 0 {
		d := e.Details[0]
		set("details.errorCode", d.ErrorCode)
		set("details.fieldName", d.FieldName)
		set("details.entityId", d.EntityID)
		set("details.entityName", d.EntityName)
	}
	return out
}

// ExecuteResponse is the HTTP response of POST
// /api/v2/integrations/actions/{id}/execute[?flatten=true]: 200 with the
// success JSON, or the error body with its status (Error.Status: the
// upstream status, 400 for bad input, 401 for credentials, 500 for
// processing, 504 for a timeout).
// inferred: with flatten=true the success JSON is flattened with Flatten.
func (r *Result) ExecuteResponse(flatten bool) (status int, body []byte) {
	if r.Outcome == Success {
		v := r.Body
		if flatten {
			v = Flatten(r.Body)
		}
		b, err := marshal(v)
		if err == nil {
			return http.StatusOK, b
		}
	}
	e := r.Error
	if e == nil {
		e = &ErrorBody{Message: "Internal Server Error", Code: "internal.server.error", Status: 500,
			MessageParams: map[string]string{}, Details: []ErrorDetail{{ErrorCode: CategoryProcessing}}, Errors: []ErrorBody{}}
	}
	b, _ := marshal(e)
	return e.Status, b
}

// Operation is one step of a /test run.
type Operation struct {
	Step    int        `json:"step"`
	Name    string     `json:"name"`
	Success bool       `json:"success"`
	Result  any        `json:"result,omitempty"`
	Error   *ErrorBody `json:"error"`
}

// TestExecutionResult is the body of POST …/actions/{id}/test (always HTTP 200).
type TestExecutionResult struct {
	Operations  []Operation `json:"operations"`
	Error       *ErrorBody  `json:"error"`
	FinalResult any         `json:"finalResult"`
	Success     bool        `json:"success"`
}

// TestResult returns the /test body for this execution.
// inferred: operation names are free text; the real ones are not documented.
func (r *Result) TestResult(flatten bool) TestExecutionResult {
	t := TestExecutionResult{Operations: r.Operations, Error: r.Error, Success: r.Outcome == Success}
	if t.Operations == nil {
		t.Operations = []Operation{}
	}
	if t.Success {
		t.FinalResult = r.Body
		if flatten {
			t.FinalResult = Flatten(r.Body)
		}
	}
	return t
}

func marshal(v any) ([]byte, error) {
	s, err := jsonText(v)
	return []byte(s), err
}

// codeForStatus derives a platform error code from an HTTP status:
// "Not Found" → "not.found".
func codeForStatus(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return "bad.credentials" // api.md 0: the platform's 401 code
	case http.StatusGatewayTimeout:
		return "gateway.timeout"
	}
	text := http.StatusText(status)
	if text == "" {
		return fmt.Sprintf("http.%d", status)
	}
	text = strings.NewReplacer("-", " ", "'", "").Replace(strings.ToLower(text))
	return strings.Join(strings.Fields(text), ".")
}

// upperCode turns "not.found" into "NOT_FOUND", the spelling nested errors use.
func upperCode(code string) string {
	return strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(code))
}
