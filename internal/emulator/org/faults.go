package org

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// FaultID identifies an injected fault rule.
type FaultID int64

// Fault is a fault-injection rule for the HTTP layer.
//
// Endpoint is "[METHOD ]PATH". METHOD is an HTTP method, "*" or omitted
// (any). In PATH, a segment "*" or "{name}" matches exactly one segment,
// other segments may use path.Match globs ("contact*"), and a final "**"
// matches any remainder, including none (a prefix rule). Examples:
//
//	POST /api/v2/externalcontacts/contacts/merge
//	GET /api/v2/externalcontacts/contacts/{contactId}
//	/api/v2/externalcontacts/**
//
// A matching request is, in order: delayed by Latency (and then still
// processed, like a slow server whose client may already have given up);
// held when Timeout is set until the client's context is done or the cap
// passes, then answered with Status or 504 without being processed;
// answered with Status (with Retry-After when set) without being processed
// when Status is set; otherwise passed on. Times > 0 applies the rule that
// many times; 0 applies it always.
type Fault struct {
	Endpoint   string
	Status     int
	Code       string // error code override; default from Status
	Message    string // error message override
	RetryAfter time.Duration
	Latency    time.Duration
	Timeout    bool
	TimeoutCap time.Duration // 0 = the org's cap (DefaultTimeoutCap)
	Times      int
}

type faultRule struct {
	id        FaultID
	f         Fault
	method    string
	segs      []string
	prefix    bool
	remaining int // -1 = always
}

type faultState struct {
	mu    sync.Mutex
	rules []*faultRule
	next  FaultID
}

func parseEndpoint(s string) (method string, segs []string, prefix bool, err error) {
	s = strings.TrimSpace(s)
	p := s
	if m, rest, ok := strings.Cut(s, " "); ok {
		method, p = strings.ToUpper(m), strings.TrimSpace(rest)
	}
	if method == "*" {
		method = ""
	}
	if !strings.HasPrefix(p, "/") {
		return "", nil, false, fmt.Errorf("org: fault endpoint %q: path must start with /", s)
	}
	segs = strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, seg := range segs {
		if seg == "**" {
			if i != len(segs)-1 {
				return "", nil, false, fmt.Errorf("org: fault endpoint %q: ** must be the last segment", s)
			}
			return method, segs[:i], true, nil
		}
		if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
			segs[i] = "*"
		}
		if _, err := path.Match(segs[i], ""); err != nil {
			return "", nil, false, fmt.Errorf("org: fault endpoint %q: bad segment %q", s, seg)
		}
	}
	return method, segs, false, nil
}

func (fr *faultRule) matches(method, p string) bool {
	if fr.method != "" && fr.method != method {
		return false
	}
	got := strings.Split(strings.TrimPrefix(p, "/"), "/")
	if fr.prefix {
		if len(got) < len(fr.segs) {
			return false
		}
		got = got[:len(fr.segs)]
	} else if len(got) != len(fr.segs) {
		return false
	}
	for i, pat := range fr.segs {
		if ok, _ := path.Match(pat, got[i]); !ok {
			return false
		}
	}
	return true
}

// AddFault installs a rule; rules are tried in the order added and the first
// match applies.
func (o *Org) AddFault(f Fault) (FaultID, error) {
	method, segs, prefix, err := parseEndpoint(f.Endpoint)
	if err != nil {
		return 0, err
	}
	if f.Status != 0 && (f.Status < 100 || f.Status > 599) {
		return 0, fmt.Errorf("org: fault status %d out of range", f.Status)
	}
	if f.Status == 0 && f.Latency <= 0 && !f.Timeout {
		return 0, fmt.Errorf("org: fault for %q does nothing: set Status, Latency or Timeout", f.Endpoint)
	}
	if f.Times < 0 {
		return 0, fmt.Errorf("org: fault Times must be >= 0")
	}
	fs := &o.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.next++
	rem := f.Times
	if rem == 0 {
		rem = -1
	}
	fs.rules = append(fs.rules, &faultRule{id: fs.next, f: f, method: method, segs: segs, prefix: prefix, remaining: rem})
	return fs.next, nil
}

// RemoveFault removes a rule.
func (o *Org) RemoveFault(id FaultID) {
	fs := &o.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, r := range fs.rules {
		if r.id == id {
			fs.rules = append(fs.rules[:i:i], fs.rules[i+1:]...)
			return
		}
	}
}

// ClearFaults removes every rule.
func (o *Org) ClearFaults() {
	o.faults.mu.Lock()
	o.faults.rules = nil
	o.faults.mu.Unlock()
}

// takeFault consumes one application of the first matching rule. Counting
// happens under the lock, so N concurrent requests against Times: N see
// exactly N faults.
func (o *Org) takeFault(method, p string) (FaultID, Fault, bool) {
	fs := &o.faults
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for i, r := range fs.rules {
		if !r.matches(method, p) {
			continue
		}
		if r.remaining > 0 {
			r.remaining--
			if r.remaining == 0 {
				fs.rules = append(fs.rules[:i:i], fs.rules[i+1:]...)
			}
		}
		return r.id, r.f, true
	}
	return 0, Fault{}, false
}

func faultError(f Fault, status int) *Error {
	e := newError(status, f.Message)
	if f.Code != "" {
		e.Code = f.Code
	}
	return e
}

// applyFault runs a fault; it reports whether the request should go on to
// normal handling.
func (o *Org) applyFault(w http.ResponseWriter, r *http.Request, f Fault, ci *callInfo) bool {
	if f.Latency > 0 {
		time.Sleep(f.Latency)
	}
	if f.Timeout {
		limit := f.TimeoutCap
		if limit <= 0 {
			limit = o.timeoutCap
		}
		// net/http notices a client hang-up only once the request body has
		// been read, so drain it; the held request is never processed anyway.
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxBody))
		t := time.NewTimer(limit)
		defer t.Stop()
		select {
		case <-r.Context().Done():
			ci.canceled = true
			return false
		case <-t.C:
		}
		status := f.Status
		if status == 0 {
			status = http.StatusGatewayTimeout
		}
		writeErr(w, faultError(f, status))
		return false
	}
	if f.Status == 0 {
		return true
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(f.RetryAfter.Seconds())))))
	}
	writeErr(w, faultError(f, f.Status))
	return false
}
