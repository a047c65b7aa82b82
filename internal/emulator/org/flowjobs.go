package org

import (
	"net/http"
	"strings"
	"sync"
)

// Architect jobs: how genesyscloud_flow (architect_flow/resource_genesyscloud_flow.go
// at v1.82.0) publishes a flow. POST /api/v2/flows/jobs registers a job and
// answers a presigned upload URL with headers
// (Registerarchitectjobresponse); the provider PUTs the flow YAML there
// (util/files S3Uploader: the raw file with its substitutions applied, the
// given headers, no bearer token, 200 expected), then polls GET
// /api/v2/flows/jobs/{jobId}?expand=messages (Architectjobstateresponse)
// every 15 s until status is Success (reading flow.id) or Failure (reading
// messages[].text). The emulator publishes during the upload, so the first
// poll already answers.

// Architect job statuses the provider tests for; "Started" is the state
// before the upload. inferred: the SDK model documents no enum.
const (
	JobStarted = "Started"
	JobSuccess = "Success"
	JobFailure = "Failure"
)

// UploadPath is where the presigned URL of an Architect job points: outside
// /api/ because the uploader sends no token, as to S3.
const UploadPath = "/emulator/uploads/flows/"

// FlowPublisher checks an uploaded flow definition the way Architect does and
// publishes it (PublishFlow); an error's message lines become the job's
// messages. internal/emulator/architect provides the one that compiles the YAML with
// the runtime that will run it.
type FlowPublisher func(definition []byte) (Flow, error)

// SetFlowPublisher attaches the publisher Architect jobs use. Without one a
// job fails: the org alone cannot tell a valid flow from an invalid one.
func (o *Org) SetFlowPublisher(p FlowPublisher) {
	o.prov.mu.Lock()
	defer o.prov.mu.Unlock()
	o.prov.publisher = p
}

// HasFlowPublisher reports whether a publisher is attached, so an in-process
// apply (internal/emulator/deploy) attaches one only where no runtime did.
func (o *Org) HasFlowPublisher() bool {
	o.prov.mu.Lock()
	defer o.prov.mu.Unlock()
	return o.prov.publisher != nil
}

type flowJob struct {
	id       string
	status   string
	flowID   string
	messages []string
	mu       sync.Mutex
}

func (o *Org) httpCreateFlowJob(_ http.ResponseWriter, r *http.Request) (any, error) {
	j := &flowJob{id: newUUID(), status: JobStarted}
	o.prov.mu.Lock()
	if o.prov.jobs == nil {
		o.prov.jobs = map[string]*flowJob{}
	}
	o.prov.jobs[j.id] = j
	o.prov.mu.Unlock()
	return map[string]any{
		"id":           j.id,
		"presignedUrl": requestBase(r) + UploadPath + j.id,
		// inferred: S3 presigned uploads name the content type they were
		// signed for; the emulator asks for the one Archy files have.
		"headers": map[string]string{"Content-Type": "application/x-yaml"},
		"selfUri": "/api/v2/flows/jobs/" + j.id,
	}, nil
}

func (o *Org) job(id string) (*flowJob, error) {
	o.prov.mu.Lock()
	defer o.prov.mu.Unlock()
	j, ok := o.prov.jobs[id]
	if !ok {
		return nil, notFound("ArchitectJob", id)
	}
	return j, nil
}

// httpUploadFlow receives the flow YAML and publishes it. A second upload
// to the same job is refused (a presigned URL is for one object; inferred).
func (o *Org) httpUploadFlow(w http.ResponseWriter, r *http.Request) (any, error) {
	j, err := o.job(r.PathValue("jobId"))
	if err != nil {
		return nil, err
	}
	body, err := readAllLimited(w, r)
	if err != nil {
		return nil, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.status != JobStarted {
		return nil, conflict("ArchitectJob", j.id, "Job %s already received its flow.", j.id)
	}
	o.prov.mu.Lock()
	pub := o.prov.publisher
	o.prov.mu.Unlock()
	if pub == nil {
		j.status, j.messages = JobFailure, []string{"No Architect runtime is attached to this emulated org, so it cannot validate or publish flows."}
		return okEmpty, nil
	}
	f, err := pub(body)
	if err != nil {
		j.status = JobFailure
		for _, line := range strings.Split(strings.TrimSpace(err.Error()), "\n") {
			if line = strings.TrimSpace(line); line != "" {
				j.messages = append(j.messages, line)
			}
		}
	} else {
		j.status, j.flowID = JobSuccess, f.ID
	}
	// The upload itself succeeded whatever the flow's fate: S3 stores any
	// object; the job reports the publish.
	return okEmpty, nil
}

// httpGetFlowJob is Architectjobstateresponse; messages only with
// expand=messages, as the SDK's GetFlowsJob(jobId, expand) documents.
func (o *Org) httpGetFlowJob(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"expand"}, nil); err != nil {
		return nil, err
	}
	if err := optionalOneOf(r, "expand", "messages"); err != nil {
		return nil, err
	}
	j, err := o.job(r.PathValue("jobId"))
	if err != nil {
		return nil, err
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	out := map[string]any{"id": j.id, "status": j.status, "command": "publish", "selfUri": "/api/v2/flows/jobs/" + j.id}
	if j.flowID != "" {
		out["flow"] = map[string]any{"id": j.flowID, "selfUri": "/api/v2/flows/" + j.flowID}
	}
	if expands(r, "messages") {
		msgs := []map[string]any{}
		for _, m := range j.messages {
			msgs = append(msgs, map[string]any{"type": "error", "text": m})
		}
		out["messages"] = msgs
	}
	return out, nil
}
