package deploy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/bpgen/bpgen/internal/emulator/org"
)

// providerAPI makes the requests mypurecloud/genesyscloud v1.82.0 makes, with
// the bodies its source builds and the fields it reads, to the org's own HTTP
// handler in process: the handlers a real `terraform apply` against
// `bpgen org serve --empty` reaches, without a socket. (The request bodies are
// those internal/emulator/stack's provider-call replay test checks against the
// provider's source.)
type providerAPI struct {
	h     http.Handler
	token string
}

// base is the host the in-process requests name; the org answers upload URLs
// under it and the transport sends everything to the handler whatever the host.
const base = "http://bpgen-deploy.invalid"

// newProviderAPI returns a client calling o's handler with a token of
// clientID (a registered OAuth client: the identity Terraform runs as).
func newProviderAPI(o *org.Org, clientID string) (*providerAPI, error) {
	tok, _, err := o.IssueToken(clientID)
	if err != nil {
		return nil, err
	}
	return &providerAPI{h: o.Handler(), token: tok}, nil
}

// do sends one request; auth adds the bearer token. It returns the status and
// the body.
func (p *providerAPI) do(method, u string, body []byte, headers map[string]string, auth bool) (int, []byte) {
	if !strings.HasPrefix(u, "http") {
		u = base + u
	}
	req := httptest.NewRequest(method, u, bytes.NewReader(body))
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	if auth {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, req)
	res := rec.Result()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw
}

// call sends a JSON request and decodes the JSON answer into out (when not
// nil); a status other than want is an error carrying the Platform's message.
func (p *providerAPI) call(method, path string, in, out any, want int) error {
	var body []byte
	headers := map[string]string{}
	if in != nil {
		var err error
		if body, err = json.Marshal(in); err != nil {
			return err
		}
		headers["Content-Type"] = "application/json"
	}
	status, raw := p.do(method, path, body, headers, true)
	if status != want {
		e := &apiError{Method: method, Path: path, Status: status}
		var eb struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(raw, &eb) == nil && eb.Message != "" {
			e.Message = eb.Message
		} else {
			e.Message = string(bytes.TrimSpace(raw))
		}
		return e
	}
	if out != nil && len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return nil
}

// apiError is an answer other than the one the provider treats as success.
type apiError struct {
	Method, Path string
	Status       int
	Message      string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%s %s: %d: %s", e.Method, e.Path, e.Status, e.Message)
}

// statusOf is the HTTP status of an apiError; 0 for any other error.
func statusOf(err error) int {
	if e, ok := errors.AsType[*apiError](err); ok {
		return e.Status
	}
	return 0
}

// publishFlow is genesyscloud_flow's create (architect_flow/resource_genesyscloud_flow.go
// at v1.82.0, createFlow → updateFlow): POST /api/v2/flows/jobs, a PUT of
// the substituted YAML to the presigned URL with the given headers and no
// token (util/files S3Uploader), then GET /api/v2/flows/jobs/{id}?expand=messages
// until Success (reading flow.id) or Failure (reading messages[].text). The
// emulated org publishes during the upload, so one poll answers.
func (p *providerAPI) publishFlow(definition []byte) (string, error) {
	var job struct {
		ID           string            `json:"id"`
		PresignedURL string            `json:"presignedUrl"`
		Headers      map[string]string `json:"headers"`
	}
	if err := p.call(http.MethodPost, "/api/v2/flows/jobs", nil, &job, http.StatusOK); err != nil {
		return "", err
	}
	if status, raw := p.do(http.MethodPut, job.PresignedURL, definition, job.Headers, false); status != http.StatusOK {
		return "", fmt.Errorf("uploading the flow: %d: %s", status, bytes.TrimSpace(raw))
	}
	var st struct {
		Status string `json:"status"`
		Flow   struct {
			ID string `json:"id"`
		} `json:"flow"`
		Messages []struct {
			Text string `json:"text"`
		} `json:"messages"`
	}
	if err := p.call(http.MethodGet, "/api/v2/flows/jobs/"+job.ID+"?expand=messages", nil, &st, http.StatusOK); err != nil {
		return "", err
	}
	switch st.Status {
	case org.JobSuccess:
		return st.Flow.ID, nil
	case org.JobFailure:
		var msgs []string
		for _, m := range st.Messages {
			msgs = append(msgs, m.Text)
		}
		return "", fmt.Errorf("the Architect job failed: %s", strings.Join(msgs, "\n"))
	}
	return "", fmt.Errorf("the Architect job is %s after the upload", st.Status)
}
