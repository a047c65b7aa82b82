package org

import "net/http"

// The plumbing every Platform API route shares. A route's logic is an
// endpoint: it returns its answer or its error and writes nothing itself;
// ServeHTTP writes either, so the error body, the status of a bodiless
// answer and the JSON encoding are decided in one place.

// endpoint is a route's logic. It returns the value to answer 200 with as
// JSON, a reply for any other answer, or an error, rendered as ErrorBody
// (anything but an *Error is a 500).
type endpoint func(w http.ResponseWriter, r *http.Request) (any, error)

// reply is an answer other than 200 with a JSON body.
type reply struct {
	status      int
	body        any    // JSON body; nil without contentType: the status alone
	contentType string // with raw: a body sent as is
	raw         []byte
}

var (
	noContent = reply{status: http.StatusNoContent}
	accepted  = reply{status: http.StatusAccepted}
	okEmpty   = reply{status: http.StatusOK}
)

func created(v any) reply { return reply{status: http.StatusCreated, body: v} }

func rawReply(status int, contentType string, b []byte) reply {
	return reply{status: status, raw: b, contentType: contentType}
}

func (e endpoint) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v, err := e(w, r)
	rep, isReply := v.(reply)
	switch {
	case err != nil:
		writeErr(w, err)
	case !isReply:
		writeJSON(w, http.StatusOK, v)
	case rep.contentType != "":
		w.Header().Set("Content-Type", rep.contentType)
		w.WriteHeader(rep.status)
		_, _ = w.Write(rep.raw)
	case rep.body != nil:
		writeJSON(w, rep.status, rep.body)
	default:
		w.WriteHeader(rep.status)
	}
}

// route is one row of the route table: a ServeMux pattern and its endpoint.
type route struct {
	pattern string
	serve   endpoint
}

func (o *Org) handleRoutes(mux *http.ServeMux, routes []route) {
	for _, rt := range routes {
		o.handle(mux, rt.pattern, rt.serve.ServeHTTP)
	}
}

// body decodes the request's JSON body as a T (decodeBody: 400 or 413).
func body[T any](w http.ResponseWriter, r *http.Request) (T, error) {
	var v T
	err := decodeBody(w, r, &v)
	return v, err
}

// modelBody decodes a body of an SDK request model (decodeModel: unknown
// fields are refused) and views it as T (into: a type error names the
// field). The map is the body as sent, for the fields T does not keep.
func modelBody[T any](w http.ResponseWriter, r *http.Request, model string, fields []string) (T, map[string]any, error) {
	var v T
	m, err := decodeModel(w, r, model, fields)
	if err == nil {
		err = into(m, &v)
	}
	return v, m, err
}

// getByID serves GET of one object: find the path's id, answer render(v).
func getByID[T, Out any](param string, find func(id string) (T, error), render func(T) Out) endpoint {
	return getByIDAs(param, find, func(_ *http.Request, v T) Out { return render(v) })
}

// getByIDAs is getByID for a rendering that depends on the request (its
// expand parameters, the host it came to).
func getByIDAs[T, Out any](param string, find func(id string) (T, error), render func(*http.Request, T) Out) endpoint {
	return func(_ http.ResponseWriter, r *http.Request) (any, error) {
		v, err := find(r.PathValue(param))
		if err != nil {
			return nil, err
		}
		return render(r, v), nil
	}
}

// deleteByID serves DELETE of one object: 204 with no body (inferred: the
// SDKs model these deletes as void).
func deleteByID(param string, del func(id string) error) endpoint {
	return func(_ http.ResponseWriter, r *http.Request) (any, error) {
		return noContent, del(r.PathValue(param))
	}
}

// createFrom serves a POST that creates one object: decode the body, create
// through the Go API, answer 200 with render(created).
func createFrom[In, T, Out any](decode func(http.ResponseWriter, *http.Request) (In, error), create func(In) (T, error), render func(T) Out) endpoint {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		in, err := decode(w, r)
		if err != nil {
			return nil, err
		}
		v, err := create(in)
		if err != nil {
			return nil, err
		}
		return render(v), nil
	}
}

// asIs renders an object that is its own wire shape.
func asIs[T any](v T) T { return v }

// onlySortByName refuses a sortBy other than name, the one order the
// emulated org's name-sorted listings have.
func onlySortByName(r *http.Request) error {
	if sb := r.URL.Query().Get("sortBy"); sb != "" && sb != "name" {
		return badRequest("sortBy %s is not supported by the emulated org; use name.", quote(sb))
	}
	return nil
}

// docWrite serves a create or a replace of an object whose request fields
// the org keeps and echoes back (provState docs): decode yields the Go
// model and the fields as sent, write applies the model, the fields are
// stored under key(written) and render answers.
func docWrite[In, T, Out any](o *Org, decode func(http.ResponseWriter, *http.Request) (In, map[string]any, error),
	write func(*http.Request, In) (T, error), key func(T) string, render func(T) Out) endpoint {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		in, doc, err := decode(w, r)
		if err != nil {
			return nil, err
		}
		v, err := write(r, in)
		if err != nil {
			return nil, err
		}
		o.prov.setDoc(key(v), doc)
		return render(v), nil
	}
}

// optionalOneOf checks an enum query parameter when it is present (oneOf).
func optionalOneOf(r *http.Request, param string, allowed ...string) error {
	if v := r.URL.Query().Get(param); v != "" {
		return oneOf(param, v, allowed...)
	}
	return nil
}

// orEmpty is s, or an empty slice for nil: the platform sends [] where a
// nil Go slice would encode as null.
func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// orMap is m, or an empty map for nil ({} rather than null).
func orMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return map[K]V{}
	}
	return m
}

// mapSlice renders every item; the result is never nil, so it encodes as [].
func mapSlice[T, Out any](items []T, render func(T) Out) []Out {
	out := make([]Out, 0, len(items))
	for _, v := range items {
		out = append(out, render(v))
	}
	return out
}

// decoded serves a request whose body decode reads (400 or 413 when it
// cannot): decode, then do with the decoded body.
func decoded[In any](decode func(http.ResponseWriter, *http.Request) (In, error), do func(r *http.Request, in In) (any, error)) endpoint {
	return func(w http.ResponseWriter, r *http.Request) (any, error) {
		in, err := decode(w, r)
		if err != nil {
			return nil, err
		}
		return do(r, in)
	}
}

// withBody serves a request with a plain JSON body of type In (body).
func withBody[In any](do func(r *http.Request, in In) (any, error)) endpoint {
	return decoded(body[In], do)
}
