// Package dataaction executes Genesys Cloud data actions of the "Genesys
// Cloud Data Actions" integration (purecloud-data-actions) the way the
// platform does (api.md section 5), against an org reachable over HTTP — the
// emulated org in tests, or a real one.
//
// One execution:
//
//  1. un-flattens Architect's dotted inputs, drops unset ones and validates
//     the input object against contract.input.inputSchema (draft-04);
//  2. renders requestUrlTemplate, headers and requestTemplate with Velocity
//     (package velocity); GET sends no body;
//  3. calls base URL + rendered path with a bearer token from a TokenSource,
//     within the action's timeout (default DefaultTimeout, capped at 60 s) and
//     the caller's context deadline;
//  4. on 2xx evaluates the translationMap JSONPaths (Jayway semantics),
//     applies translationMapDefaults to paths that resolve nothing, renders
//     the successTemplate, and validates the JSON against
//     contract.output.successSchema;
//  5. returns a Result whose Outcome is Success, Failure or Timeout — the
//     three outputs of Architect's Call Data Action — with the flattened
//     success outputs or the fixed failure outputs, the /execute and /test
//     bodies, and a Trace for the emulator's log.
//
// A Runtime is safe for concurrent use. Each distinct action is compiled
// (templates parsed, JSONPaths and schemas compiled) once and cached by
// content.
package dataaction

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/bpgen/bpgen/internal/emulator/dataaction/velocity"
	"github.com/bpgen/bpgen/internal/emulator/jsonvalue"
	fmtda "github.com/bpgen/bpgen/internal/format/dataaction"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Options tune a Runtime. The zero value is usable.
type Options struct {
	// HTTPClient calls the org. nil: a client with no overall timeout (the
	// action timeout governs). Redirects are never followed: the platform
	// treats a 3xx like any other non-2xx, and following one would resend
	// the bearer token.
	HTTPClient *http.Client
	// DefaultTimeout applies to actions without timeoutSeconds; 0 means
	// DefaultTimeout. It is capped at MaxTimeout like timeoutSeconds.
	DefaultTimeout time.Duration
	// MaxResponseBytes bounds the upstream body read; 0 means 16 MiB. This
	// protects the emulator, it is not a documented platform limit.
	MaxResponseBytes int64
	// NewCorrelationID returns the id of one execution (contextId of errors,
	// inin-correlation-id header upstream). nil: a random UUID.
	NewCorrelationID func() string
}

// Runtime executes data actions against one org.
type Runtime struct {
	base           string // no trailing slash
	tokens         TokenSource
	client         *http.Client
	defaultTimeout time.Duration
	maxBody        int64
	newID          func() string
	cache          sync.Map // [32]byte content hash → *cacheEntry
}

// maxJSONDepth is the platform's limit on JSON nesting (api.md 5.2).
const maxJSONDepth = 50

// New returns a Runtime calling the org API at baseURL (scheme and host, e.g.
// "http://127.0.0.1:8080" or "https://api.mypurecloud.com", optionally with a
// path prefix) with tokens from tokens.
func New(baseURL string, tokens TokenSource, opts *Options) (*Runtime, error) {
	u, err := url.Parse(baseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("dataaction: base URL %q must be an absolute http(s) URL", baseURL)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("dataaction: base URL %q must not have a query or fragment", baseURL)
	}
	if tokens == nil {
		return nil, errors.New("dataaction: nil TokenSource")
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	client := &http.Client{}
	if o.HTTPClient != nil {
		c := *o.HTTPClient
		client = &c
	}
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	r := &Runtime{
		base:           strings.TrimRight(baseURL, "/"),
		tokens:         tokens,
		client:         client,
		defaultTimeout: o.DefaultTimeout,
		maxBody:        o.MaxResponseBytes,
		newID:          o.NewCorrelationID,
	}
	if r.defaultTimeout <= 0 {
		r.defaultTimeout = DefaultTimeout
	}
	r.defaultTimeout = min(r.defaultTimeout, MaxTimeout)
	if r.maxBody <= 0 {
		r.maxBody = 16 << 20
	}
	if r.newID == nil {
		r.newID = newUUID
	}
	return r, nil
}

// Step names reported by /test.
const (
	stepLoad      = "Load action definition"
	stepInput     = "Validate input against the input schema"
	stepRequest   = "Resolve request templates"
	stepExecute   = "Execute HTTP request"
	stepTranslate = "Resolve translation map"
	stepSuccess   = "Resolve success template"
	stepOutput    = "Validate result against the success schema"
)

type execution struct {
	r    *Runtime
	c    *compiled
	corr string
	res  Result
}

// Execute runs action with Architect's (flattened) inputs. It never returns
// an error: every problem is a Failure or Timeout Result, as on the platform.
func (r *Runtime) Execute(ctx context.Context, action *fmtda.Action, input map[string]any) Result {
	start := time.Now()
	x := &execution{r: r, corr: r.newID()}
	if action == nil {
		x.processing(http.StatusInternalServerError, stepLoad, "no action definition")
	} else {
		x.res.Trace.Action = action.Name
		x.run(ctx, action, input)
		if action.Secure {
			x.res.Trace.redact()
		}
	}
	x.res.Trace.Elapsed = time.Since(start)
	return x.res
}

func (x *execution) op(name string, result any) {
	x.res.Operations = append(x.res.Operations, Operation{Step: len(x.res.Operations) + 1, Name: name, Success: true, Result: result})
}

func (x *execution) fail(step string, e *ErrorBody, reason string) {
	x.res.Outcome = Failure
	x.res.Error = e
	x.res.Outputs = FailureOutputs(e)
	x.res.Trace.FailureReason = reason
	x.res.Operations = append(x.res.Operations, Operation{Step: len(x.res.Operations) + 1, Name: step, Error: e})
}

func (x *execution) newError(status int, code, category, message string) *ErrorBody {
	if code == "" {
		code = codeForStatus(status)
	}
	return &ErrorBody{
		Message: message, Code: code, Status: status, MessageParams: map[string]string{},
		ContextID: x.corr, Details: []ErrorDetail{{ErrorCode: category}}, Errors: []ErrorBody{},
	}
}

// processing fails the action for an input, template, JSONPath or schema
// problem (ACTION.PROCESSING).
// inferred: status 400 for input problems and 500 for the rest; the
// platform's exact statuses are not documented.
func (x *execution) processing(status int, step, reason string) {
	x.fail(step, x.newError(status, "", CategoryProcessing, reason), reason)
}

// remote fails the action for a transport problem or unusable response
// (ACTION.REMOTE_ENDPOINT) with no upstream error body to relay.
// inferred: status 500, as for other processing-side failures (api.md 5.4).
func (x *execution) remote(step, reason string) {
	msg := "Request to backend service failed. " + reason
	e := x.newError(http.StatusInternalServerError, "", CategoryRemoteEndpoint, msg)
	e.Errors = []ErrorBody{x.nested(e)}
	x.fail(step, e, reason)
}

// nested is the errors[0] entry the platform adds to REST-call failures.
func (x *execution) nested(e *ErrorBody) ErrorBody {
	return ErrorBody{
		Message: "REST call for action execute failed. Message: " + e.Message + " [" + x.corr + "]",
		Code:    upperCode(e.Code), Status: e.Status, MessageParams: map[string]string{},
		Details: []ErrorDetail{}, Errors: []ErrorBody{},
	}
}

// upstream fails the action with the org's own error response relayed
// (api.md 5.4): its status and code, its body in the message, its entity
// and first detail.
// inferred: the message wording follows the documented
// "Request to backend service failed. Response from web service: …".
func (x *execution) upstream(category string, status int, body []byte) {
	var ub ErrorBody
	_ = json.Unmarshal(body, &ub) // best effort: not every error body is an ErrorBody
	text := strings.TrimSpace(string(body))
	if len(text) > 4096 {
		text = text[:4096] + "…"
	}
	msg := "Request to backend service failed. Response from web service: " + text
	e := x.newError(status, ub.Code, category, msg)
	e.EntityID, e.EntityName = ub.EntityID, ub.EntityName
	if len(ub.Details) > 0 {
		d := ub.Details[0]
		e.Details[0].FieldName, e.Details[0].EntityID, e.Details[0].EntityName = d.FieldName, d.EntityID, d.EntityName
	}
	e.Errors = []ErrorBody{x.nested(e)}
	x.fail(stepExecute, e, fmt.Sprintf("upstream answered HTTP %d: %.200s", status, text))
}

// timedOut ends the execution on Architect's timeout path.
// inferred: the platform documents no status or code for a timeout; 504
// gateway.timeout with ACTION.REMOTE_ENDPOINT follows api.md 5.4.
func (x *execution) timedOut(reason string) {
	msg := "Request to backend service failed. " + reason
	e := x.newError(http.StatusGatewayTimeout, "", CategoryRemoteEndpoint, msg)
	e.Errors = []ErrorBody{x.nested(e)}
	x.res.Outcome = Timeout
	x.res.Error = e
	x.res.Outputs = nil
	x.res.Trace.FailureReason = reason
	x.res.Operations = append(x.res.Operations, Operation{Step: len(x.res.Operations) + 1, Name: stepExecute, Error: e})
}

func (x *execution) run(ctx context.Context, a *fmtda.Action, flatInput map[string]any) {
	c := x.r.compiledFor(a)
	x.c = c
	x.res.Trace.Method = c.method
	if c.err != nil {
		x.processing(http.StatusInternalServerError, stepLoad, "action definition is invalid: "+c.err.Error())
		return
	}

	// Input.
	nested, err := unflattenInput(flatInput, c.dottedInputs)
	if err != nil {
		x.processing(http.StatusBadRequest, stepInput, err.Error())
		return
	}
	norm, rawRequest, err := normalizeJSON(nested)
	if err != nil {
		x.processing(http.StatusBadRequest, stepInput, "input is not JSON-encodable: "+err.Error())
		return
	}
	if reason := shapeProblem(norm, "input", c.inputSchema, "input"); reason != "" {
		x.processing(http.StatusBadRequest, stepInput, reason)
		return
	}
	x.op(stepInput, norm)
	inObj, _ := norm.(map[string]any)
	inputCtx := make(map[string]any, len(inObj)+1)
	for k, v := range inObj {
		inputCtx[k] = v
	}
	// rawRequest is reserved: an input property of that name is shadowed.
	inputCtx["rawRequest"] = rawRequest
	reqCtx := map[string]any{"input": inputCtx, "esc": velocity.Esc}

	// Request.
	path, err := c.url.Render(reqCtx)
	if err != nil {
		x.processing(http.StatusInternalServerError, stepRequest, err.Error())
		return
	}
	path = strings.TrimSpace(path)
	x.res.Trace.Path = path
	// The integration calls the org it belongs to; an absolute URL would
	// send the org's bearer token elsewhere.
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		x.processing(http.StatusInternalServerError, stepRequest,
			fmt.Sprintf("requestUrlTemplate rendered %q, which is not a path relative to the org API", path))
		return
	}
	target := x.r.base + path
	if _, err := url.Parse(target); err != nil || strings.ContainsAny(path, " \t\r\n") {
		x.processing(http.StatusInternalServerError, stepRequest,
			fmt.Sprintf("requestUrlTemplate rendered an invalid URL path %q (escape inputs with $esc.uriEncode or $esc.url)", path))
		return
	}
	hdrs := http.Header{}
	shown := map[string]string{}
	for _, h := range c.headers {
		v, err := h.tmpl.Render(reqCtx)
		if err != nil {
			x.processing(http.StatusInternalServerError, stepRequest, err.Error())
			return
		}
		if strings.ContainsAny(v, "\r\n") || strings.ContainsAny(h.name, "\r\n: ") {
			x.processing(http.StatusInternalServerError, stepRequest, fmt.Sprintf("header %q is not a valid HTTP header", h.name))
			return
		}
		hdrs.Set(h.name, v)
		shown[h.name] = v
	}
	if hdrs.Get("Content-Type") == "" {
		hdrs.Set("Content-Type", "application/json")
	}
	// inferred: the platform propagates the execution's correlation id to
	// the calls it makes, so the org's logs and the error's contextId match.
	hdrs.Set("inin-correlation-id", x.corr)
	var body string
	if c.body != nil {
		if body, err = c.body.Render(reqCtx); err != nil {
			x.processing(http.StatusInternalServerError, stepRequest, err.Error())
			return
		}
	}
	x.res.Trace.RequestBody = body
	x.op(stepRequest, map[string]any{"requestType": c.method, "requestUrl": path, "headers": shown, "requestBody": body})

	// Call.
	timeout := c.timeout
	if timeout == 0 {
		timeout = x.r.defaultTimeout
	}
	tctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	status, respBody, err := x.call(tctx, target, hdrs, body)
	if err != nil {
		switch {
		case errors.Is(tctx.Err(), context.DeadlineExceeded):
			reason := fmt.Sprintf("Request timed out after %s.", timeout)
			if dl, ok := ctx.Deadline(); ok && errors.Is(ctx.Err(), context.DeadlineExceeded) {
				reason = fmt.Sprintf("The caller's deadline %s passed.", dl.Format(time.RFC3339Nano))
			}
			x.timedOut(reason)
		case errors.Is(tctx.Err(), context.Canceled):
			x.remote(stepExecute, "The execution was canceled.")
		case errors.As(err, new(*tokenError)):
			// inferred: status 401 with ACTION.AUTHENTICATION; the platform's
			// response to broken integration credentials is not documented.
			msg := "The integration could not obtain an access token: " + err.Error()
			x.fail(stepExecute, x.newError(http.StatusUnauthorized, "", CategoryAuthentication, msg), msg)
		default:
			x.remote(stepExecute, err.Error())
		}
		return
	}
	switch {
	case status == http.StatusUnauthorized:
		x.upstream(CategoryAuthentication, status, respBody)
		return
	case status < 200 || status > 299:
		x.upstream(CategoryRemoteEndpoint, status, respBody)
		return
	}
	rawResult := string(respBody)
	var data any
	if len(bytes.TrimSpace(respBody)) == 0 {
		// inferred: a 2xx without a body (204) is the empty object, so a
		// constant success template still works and ${rawResult} is "{}".
		rawResult, data = "{}", map[string]any{}
	} else if data, err = decodeJSON(rawResult); err != nil {
		x.remote(stepExecute, fmt.Sprintf("Response from web service is not valid JSON (HTTP %d): %v", status, err))
		return
	}
	x.op(stepExecute, map[string]any{"status": status, "rawResult": data})

	// Translation map.
	vars, reason := x.translate(data)
	if reason != "" {
		x.processing(http.StatusInternalServerError, stepTranslate, reason)
		return
	}
	shownVars := make(map[string]any, len(vars))
	for k, v := range vars {
		shownVars[k] = v
	}
	x.op(stepTranslate, shownVars)

	// Success template.
	sctx := make(map[string]any, len(vars)+4)
	for k, v := range vars {
		sctx[k] = v
	}
	// The built-in names win over translation-map variables of the same name.
	sctx["rawResult"] = rawResult
	sctx["input"] = inputCtx
	sctx["esc"] = velocity.Esc
	sctx["successTemplateUtils"] = velocity.SuccessTemplateUtils
	text, err := c.success.Render(sctx)
	if err != nil {
		x.processing(http.StatusInternalServerError, stepSuccess, err.Error())
		return
	}
	result, err := decodeJSON(text)
	if err != nil {
		x.processing(http.StatusInternalServerError, stepSuccess,
			fmt.Sprintf("successTemplate did not render valid JSON (%v): %.300s", err, text))
		return
	}
	x.op(stepSuccess, result)
	if reason := shapeProblem(result, "result", c.successSchema, "success"); reason != "" {
		x.processing(http.StatusInternalServerError, stepOutput, reason)
		return
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(text)); err == nil {
		x.res.Trace.SuccessJSON = compact.String()
	}
	x.op(stepOutput, result)
	x.res.Outcome = Success
	x.res.Body = result
	x.res.Outputs = declaredOutputs(c.outputs, result)
}

// translate evaluates the translation map. Each value is JSON text, which is
// what ${var} inserts in the success template.
func (x *execution) translate(data any) (vars map[string]string, reason string) {
	defer func() {
		// The JSONPath library is third-party code run on upstream data; a
		// panic there must fail one action, not the emulator.
		if p := recover(); p != nil {
			vars, reason = nil, fmt.Sprintf("translationMap evaluation failed: %v", p)
		}
	}()
	pathData := jsonPathValue(data)
	vars = make(map[string]string, len(x.c.paths))
	for _, p := range x.c.paths {
		got := p.expr.Get(pathData)
		var v any
		if p.definite {
			if len(got) == 0 {
				def, ok := x.c.defaults[p.name]
				if !ok {
					// inferred: with no default, a path that resolves nothing
					// fails the action, as Jayway's PathNotFoundException would.
					return nil, fmt.Sprintf("translationMap[%s]: JSONPath %s resolved no value and translationMapDefaults has none", p.name, p.path)
				}
				vars[p.name] = def
				continue
			}
			// A null found here is a value: null does not fall back to defaults.
			v = got[0]
		} else {
			// Indefinite paths always give an array; an empty one is a value too.
			if got == nil {
				got = []any{}
			}
			v = got
		}
		t, err := jsonText(v)
		if err != nil {
			return nil, fmt.Sprintf("translationMap[%s]: %v", p.name, err)
		}
		vars[p.name] = t
	}
	return vars, ""
}

// jsonPathValue converts json.Number to int64 or float64 so JSONPath filters
// can compare numbers; integers beyond int64 stay json.Number (exact text).
func jsonPathValue(v any) any { return jsonvalue.Map(v, jsonPathNumber) }

func jsonPathNumber(v any) any {
	x, ok := v.(json.Number)
	if !ok {
		return v
	}
	if i, err := x.Int64(); err == nil {
		return i
	}
	if !strings.ContainsAny(string(x), ".eE") {
		return x
	}
	if f, err := x.Float64(); err == nil {
		return f
	}
	return x
}

// tokenError marks a failure to obtain a token (ACTION.AUTHENTICATION).
type tokenError struct{ err error }

func (e *tokenError) Error() string { return e.err.Error() }
func (e *tokenError) Unwrap() error { return e.err }

// call sends the request, retrying once with a fresh token after a 401 when
// the token source can invalidate. It records status, attempts and latency.
func (x *execution) call(ctx context.Context, target string, hdrs http.Header, body string) (int, []byte, error) {
	for attempt := 1; ; attempt++ {
		tok, err := x.r.tokens.Token(ctx)
		if err != nil {
			return 0, nil, &tokenError{err}
		}
		var rd io.Reader
		if x.c.method != http.MethodGet {
			rd = strings.NewReader(body)
		}
		req, err := http.NewRequestWithContext(ctx, x.c.method, target, rd)
		if err != nil {
			return 0, nil, fmt.Errorf("cannot build the request: %v", err)
		}
		req.Header = hdrs.Clone()
		req.Header.Set("Authorization", "Bearer "+tok)
		x.res.Trace.Attempts = attempt
		t0 := time.Now()
		resp, err := x.r.client.Do(req)
		if err != nil {
			x.res.Trace.Latency += time.Since(t0)
			return 0, nil, withoutURL(err)
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, x.r.maxBody+1))
		resp.Body.Close()
		x.res.Trace.Latency += time.Since(t0)
		x.res.Trace.Status = resp.StatusCode
		if err != nil {
			return 0, nil, fmt.Errorf("reading the response: %v", err)
		}
		if int64(len(b)) > x.r.maxBody {
			return 0, nil, fmt.Errorf("response is larger than %d bytes", x.r.maxBody)
		}
		if resp.StatusCode == http.StatusUnauthorized && attempt == 1 {
			if inv, ok := x.r.tokens.(Invalidator); ok {
				inv.Invalidate(tok)
				continue
			}
		}
		return resp.StatusCode, b, nil
	}
}

// shapeProblem says why v, the action's input or its result (what), cannot
// go on: it nests deeper than maxJSONDepth, or it fails schema (the contract's
// schemaName schema; nil when the contract has none). "" when v is fine.
func shapeProblem(v any, what string, schema *jsonschema.Schema, schemaName string) string {
	if jsonDepth(v) > maxJSONDepth {
		return fmt.Sprintf("%s nests deeper than %d levels", what, maxJSONDepth)
	}
	if schema != nil {
		if err := schema.Validate(v); err != nil {
			return fmt.Sprintf("%s does not match the %s schema: %s", what, schemaName, oneLine(err))
		}
	}
	return ""
}

// withoutURL unwraps the *url.Error an http.Client returns, whose text
// repeats the method and URL (which may carry credentials) around the cause.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// oneLine flattens a multi-line validation error for messages and traces.
func oneLine(err error) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
}

func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
