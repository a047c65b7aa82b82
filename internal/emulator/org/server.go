package org

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// CorrelationHeader is set on every response and copied into error contextId.
const CorrelationHeader = "inin-correlation-id"

const maxBody = 1 << 20

// Handler returns the HTTP face of the org: POST /oauth/token and the
// /api/v2/... routes on one handler, so the SDK's api. and login. hosts can
// both point at it. Every response carries inin-correlation-id; every
// request is logged (see Calls) and may be shaped by faults (see AddFault);
// /api/v2/... requires a bearer token.
func (o *Org) Handler() http.Handler {
	o.handlerOnce.Do(func() {
		mux := http.NewServeMux()
		o.routes(mux)
		o.handler = &server{o: o, mux: mux}
	})
	return o.handler
}

type server struct {
	o   *Org
	mux *http.ServeMux
}

// statusRecorder remembers the status for the call log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ci := &callInfo{correlationID: newUUID()}
	w.Header().Set(CorrelationHeader, ci.correlationID)
	rec := &statusRecorder{ResponseWriter: w}
	r = r.WithContext(withCallInfo(r.Context(), ci))
	s.serve(rec, r, ci)
	status := rec.status
	if status == 0 && !ci.canceled {
		status = http.StatusOK // net/http answers 200 for a handler that wrote nothing
	}
	s.o.logCall(Call{
		Time:           start,
		Method:         r.Method,
		Path:           r.URL.Path,
		Query:          r.URL.RawQuery,
		Route:          ci.route,
		Status:         status,
		Latency:        time.Since(start),
		ConversationID: ci.conversationID,
		ClientID:       ci.clientID,
		CorrelationID:  ci.correlationID,
		FaultID:        ci.faultID,
		Canceled:       ci.canceled,
	})
}

// serve runs faults before authentication: a fault models the network or
// gateway, which fails whether or not the token is good.
func (s *server) serve(w http.ResponseWriter, r *http.Request, ci *callInfo) {
	if strings.HasPrefix(r.URL.Path, "/api/") {
		setRateLimitHeaders(w)
	}
	if strings.HasPrefix(r.URL.Path, AdminPrefix) && !strings.HasPrefix(r.URL.Path, UploadPath) {
		s.mux.ServeHTTP(w, r)
		return
	}
	if id, f, ok := s.o.takeFault(r.Method, r.URL.Path); ok {
		ci.faultID = id
		if !s.o.applyFault(w, r, f, ci) {
			return
		}
	}
	if strings.HasPrefix(r.URL.Path, "/api/") {
		client, ok := s.o.authenticate(r)
		if !ok {
			writeErr(w, newError(http.StatusUnauthorized, "Invalid login credentials."))
			return
		}
		ci.clientID = client
	}
	s.mux.ServeHTTP(w, r)
}

// handle registers a route and records its pattern and conversation id for
// the call log.
func (o *Org) handle(mux *http.ServeMux, pattern string, h http.HandlerFunc) {
	mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		if ci := callInfoFrom(r); ci != nil {
			ci.route = pattern
			if id := r.PathValue("conversationId"); id != "" {
				ci.conversationID = id
			}
		}
		h(w, r)
	})
}

func (o *Org) routes(mux *http.ServeMux) {
	mux.HandleFunc("/oauth/token", o.handleToken)
	o.handleRoutes(mux, o.platformRoutes())
	o.guestRoutes(mux)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeErr(w, newError(http.StatusNotFound, "No resource matches "+r.Method+" "+r.URL.Path+"."))
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeErr renders err as the standard ErrorBody with contextId equal to
// the response's correlation id.
func writeErr(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = newError(http.StatusInternalServerError, "")
	}
	writeJSON(w, e.Status, e.Body(w.Header().Get(CorrelationHeader)))
}

// decodeBody reads a JSON body into v; a missing or malformed body is 400.
func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return badRequest("A request body is required.")
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return newError(http.StatusRequestEntityTooLarge, "The request body is too large.")
		}
		e := newError(http.StatusBadRequest, "")
		e.Details = []ErrorDetail{{ErrorCode: "invalid.json", FieldName: jsonField(err)}}
		return e
	}
	return nil
}

// jsonField names the offending field of a type error, for details.
func jsonField(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}

func expands(r *http.Request, what string) bool {
	for _, v := range r.URL.Query()["expand"] {
		for _, e := range strings.Split(v, ",") {
			if strings.TrimSpace(e) == what {
				return true
			}
		}
	}
	return false
}
