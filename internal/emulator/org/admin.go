package org

import (
	"net/http"
	"slices"
	"strconv"
	"time"
)

// AdminPrefix starts the emulator's own admin paths. They need no token and
// are never subject to faults (they steer the emulator; faults model the
// platform's network).
const AdminPrefix = "/emulator/"

// Rate-limit headers. Genesys documents inin-ratelimit-allowed,
// inin-ratelimit-count and inin-ratelimit-reset on API responses (Developer
// Center, "Rate limits"). inferred: the emulator does not limit, so it
// reports a generous allowance with nothing used and a reset a minute away.
const (
	HeaderRateLimitAllowed = "inin-ratelimit-allowed"
	HeaderRateLimitCount   = "inin-ratelimit-count"
	HeaderRateLimitReset   = "inin-ratelimit-reset"
	rateLimitAllowed       = 300 // the documented per-client default of 300 requests a minute
)

func setRateLimitHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set(HeaderRateLimitAllowed, strconv.Itoa(rateLimitAllowed))
	h.Set(HeaderRateLimitCount, "0")
	h.Set(HeaderRateLimitReset, "60")
}

// adminFault is the wire form of a Fault on the admin path: durations in
// milliseconds.
type adminFault struct {
	ID           FaultID `json:"id,omitempty"`
	Endpoint     string  `json:"endpoint"`
	Status       int     `json:"status,omitempty"`
	Code         string  `json:"code,omitempty"`
	Message      string  `json:"message,omitempty"`
	RetryAfterMS int     `json:"retryAfterMs,omitempty"`
	LatencyMS    int     `json:"latencyMs,omitempty"`
	Timeout      bool    `json:"timeout,omitempty"`
	TimeoutCapMS int     `json:"timeoutCapMs,omitempty"`
	Times        int     `json:"times,omitempty"`
}

// Faults into a running org (org serve): status, latency, 429 with
// Retry-After, timeout; the same rules as AddFault.

func (o *Org) httpAddFault(r *http.Request, in adminFault) (any, error) {
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	id, err := o.AddFault(Fault{Endpoint: in.Endpoint, Status: in.Status, Code: in.Code, Message: in.Message,
		RetryAfter: ms(in.RetryAfterMS), Latency: ms(in.LatencyMS), Timeout: in.Timeout, TimeoutCap: ms(in.TimeoutCapMS), Times: in.Times})
	if err != nil {
		return nil, badRequest("%s", err.Error())
	}
	in.ID = id
	o.prov.mu.Lock()
	o.prov.faults = append(o.prov.faults, in)
	o.prov.mu.Unlock()
	return created(in), nil
}

func (o *Org) httpListFaults(http.ResponseWriter, *http.Request) (any, error) {
	o.prov.mu.Lock()
	out := slices.Clone(o.prov.faults)
	o.prov.mu.Unlock()
	return map[string]any{"entities": orEmpty(out)}, nil
}

func (o *Org) httpClearFaults(http.ResponseWriter, *http.Request) (any, error) {
	o.ClearFaults()
	o.prov.mu.Lock()
	o.prov.faults = nil
	o.prov.mu.Unlock()
	return noContent, nil
}

func (o *Org) httpRemoveFault(_ http.ResponseWriter, r *http.Request) (any, error) {
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return nil, badRequest("fault id %s is not a number.", quote(r.PathValue("id")))
	}
	o.RemoveFault(FaultID(n))
	o.prov.mu.Lock()
	o.prov.faults = slices.DeleteFunc(o.prov.faults, func(f adminFault) bool { return f.ID == FaultID(n) })
	o.prov.mu.Unlock()
	return noContent, nil
}

// httpGrantClientRoles is the one-time grant of the client-credentials path
// (provider docs/resources/oauth_client.md: the roles "must also already be
// assigned to the OAuth Client used by Terraform"), done as the org's
// administrator would in the Admin UI.
func (o *Org) httpGrantClientRoles(r *http.Request, rds []RoleDivision) (any, error) {
	id := r.PathValue("clientId")
	c, err := o.OAuthClient(id)
	if err != nil {
		return nil, err
	}
	for _, rd := range c.RoleDivisions {
		if !slices.Contains(rds, rd) {
			rds = append(rds, rd)
		}
	}
	var roles []string
	for _, rd := range rds {
		roles = append(roles, rd.RoleID)
	}
	admin, err := o.CreateUser(User{Name: "emulated org administrator", Roles: roles})
	if err != nil {
		return nil, err
	}
	if err := o.SetOAuthClientRoles(Caller{UserID: admin.ID}, id, rds); err != nil {
		return nil, err
	}
	if c, err = o.OAuthClient(id); err != nil {
		return nil, err
	}
	return renderOAuthClient(c), nil
}
