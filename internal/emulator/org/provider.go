package org

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/bpgen/bpgen/internal/emulator/jsonvalue"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// The surface the real Terraform provider (mypurecloud/genesyscloud v1.82.0)
// and the official SDKs call, so that `bpgen org serve --empty` is an org
// they can populate: the creates, updates and list reads of every resource a
// bundle renders. Shapes follow the SDK models of
// MyPureCloud/platform-client-sdk-go 188.0.0 (platformclientv2/<model>.go),
// the SDK major the provider pins; the call sequences follow the provider's
// genesyscloud/<resource>/*.go at v1.82.0. Every create goes through the same
// Go API (CreateQueue, PublishFlow, ...) as internal/emulator/deploy, so flows find
// what Terraform made by name as they find what deploy made.

// OrgID is the emulated organisation's id (Organization.id, and the
// OAuthClient.organization.id of tokens/me: not "purecloud-builtin", so the
// provider treats its caller as a client-credentials grant).
const OrgID = "6e1b1f24-2b7a-4c1e-9d35-0b6c0e2f6a11"

// OrgName is the emulated organisation's name.
const OrgName = "bpgen emulated org"

// provState is what the provider surface keeps beyond the Go models: the
// fields a client sent that the emulator does not interpret, echoed back so
// a second read shows no drift; Architect jobs; Messenger drafts.
type provState struct {
	mu   sync.Mutex
	docs map[string]map[string]any // object id -> stored request fields
	jobs map[string]*flowJob

	publisher FlowPublisher
	faults    []adminFault   // faults added over the admin path, for listing
	rings     map[string]int // queue id + "/" + member id -> ring number (default 1)
}

func (p *provState) doc(id string) map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := p.docs[id]
	if d == nil {
		return map[string]any{}
	}
	return jsonvalue.Copy(d).(map[string]any)
}

func (p *provState) setDoc(id string, d map[string]any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.docs == nil {
		p.docs = map[string]map[string]any{}
	}
	p.docs[id] = jsonvalue.Copy(d).(map[string]any)
}

// decodeModel reads a JSON object body and rejects any top-level field the
// SDK model does not define (fields lists the model's JSON names), naming
// it: the platform's deserialiser fails on unknown properties. inferred: the
// exact wording is not documented; the field name is what a user needs.
func decodeModel(w http.ResponseWriter, r *http.Request, model string, fields []string) (map[string]any, error) {
	var m map[string]any
	if err := decodeBody(w, r, &m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, badRequest("The request body must be a JSON object (%s).", model)
	}
	keys := slices.Sorted(maps.Keys(m))
	for _, k := range keys {
		if !slices.Contains(fields, k) {
			e := badRequest("Unrecognized field %s: %s has no such property.", quote(k), model)
			e.Details = []ErrorDetail{{ErrorCode: "unrecognized.field", FieldName: k}}
			return nil, e
		}
	}
	return m, nil
}

// into converts a decoded body into a typed view; a type error names the field.
func into(m map[string]any, v any) error {
	b, _ := json.Marshal(m)
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		e := badRequest("A field has the wrong type: %s.", jsonField(err))
		e.Details = []ErrorDetail{{ErrorCode: "invalid.value", FieldName: jsonField(err)}}
		return e
	}
	return nil
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

func refID(m map[string]any, k string) string {
	if r, ok := m[k].(map[string]any); ok {
		return str(r, "id")
	}
	return ""
}

// oneOf is the 400 for an enum field with a value outside the model's enum.
func oneOf(field, v string, allowed ...string) error {
	if slices.Contains(allowed, v) {
		return nil
	}
	e := badRequest("%s %s is not one of %s.", field, quote(v), strings.Join(allowed, ", "))
	e.Details = []ErrorDetail{{ErrorCode: "invalid.value", FieldName: field}}
	return e
}

// listQuery checks a list request's query parameters: every parameter must
// be one the endpoint documents (allowed), and the ones the emulator cannot
// apply (unsupported) are refused, never ignored: a 200 with a filter
// silently dropped answers a different question than the one asked.
func listQuery(r *http.Request, allowed, unsupported []string) error {
	q := r.URL.Query()
	for _, k := range slices.Sorted(maps.Keys(q)) {
		switch {
		case slices.Contains(unsupported, k) && neutral(q[k]):
			// asks for nothing: accepted
		case slices.Contains(unsupported, k):
			e := badRequest("Query parameter %s is not supported by the emulated org.", quote(k))
			e.Details = []ErrorDetail{{ErrorCode: "unsupported.parameter", FieldName: k}}
			return e
		case !slices.Contains(allowed, k) && k != "pageSize" && k != "pageNumber":
			e := badRequest("Unknown query parameter %s.", quote(k))
			e.Details = []ErrorDetail{{ErrorCode: "unknown.parameter", FieldName: k}}
			return e
		}
	}
	return nil
}

// neutral reports whether a parameter's values ask for nothing: the Go SDK
// sends every bool and int parameter, false and 0 included
// (APIClient.CallAPI drops only empty strings), so "false" must not count as
// a filter.
func neutral(vs []string) bool {
	for _, v := range vs {
		if v != "" && v != "false" {
			return false
		}
	}
	return true
}

// page cuts items into the requested page: pageSize defaults to 25 and may
// be at most max (the documented bound of the endpoint), pageNumber starts
// at 1.
func page[T any](r *http.Request, items []T, maxSize int, self string) (apimodel.EntityListing[T], error) {
	size, num, err := paging(r)
	if err != nil {
		return apimodel.EntityListing[T]{}, err
	}
	if size == 0 {
		size = 25
	}
	if size < 1 || size > maxSize {
		return apimodel.EntityListing[T]{}, badRequest("pageSize must be between 1 and %d.", maxSize)
	}
	if num == 0 {
		num = 1
	}
	if num < 1 {
		return apimodel.EntityListing[T]{}, badRequest("pageNumber must be at least 1.")
	}
	start := min((num-1)*size, len(items))
	end := min(start+size, len(items))
	return listing(items[start:end], size, num, len(items), self), nil
}

// values splits a repeatable, comma-separable query parameter.
func values(r *http.Request, k string) []string {
	var out []string
	for _, v := range r.URL.Query()[k] {
		for _, s := range strings.Split(v, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// organization and products ----------------------------------------------

// httpOrganizationMe is Organization (platformclientv2/organization.go); the
// provider's getOrganizationMe (genesyscloud/provider/provider.go at v1.82.0)
// reads defaultCountryCode.
func (o *Org) httpOrganizationMe(http.ResponseWriter, *http.Request) (any, error) {
	return map[string]any{
		"id": OrgID, "name": OrgName, "defaultLanguage": "en-us", "defaultCountryCode": o.region,
		"domain": "bpgen-emulated", "features": map[string]bool{}, "version": 1, "state": "active",
		"voicemailEnabled": false, "productPlatform": "PureCloud", "selfUri": "/api/v2/organizations/" + OrgID,
	}, nil
}

// httpAuthorizationProducts is Organizationproductentitylisting; the
// provider's getAuthorizationProducts reads entities and total. inferred:
// the emulated org has no licensed products to list, so none is a complete
// answer.
func (o *Org) httpAuthorizationProducts(http.ResponseWriter, *http.Request) (any, error) {
	return map[string]any{"entities": []any{}, "pageSize": 0, "pageNumber": 1, "total": 0, "pageCount": 0}, nil
}

// httpTokensMe is TokenInfo (platformclientv2/tokeninfo.go): the provider's
// updateTerraformUserWithRole reads OAuthClient.organization.id.
func (o *Org) httpTokensMe(_ http.ResponseWriter, r *http.Request) (any, error) {
	ci := callInfoFrom(r)
	c, err := o.OAuthClient(ci.clientID)
	if err != nil {
		return nil, err
	}
	rc := renderOAuthClient(c)
	orgRef := map[string]any{"id": OrgID, "name": OrgName, "selfUri": "/api/v2/organizations/" + OrgID}
	return map[string]any{
		"organization": orgRef, "homeOrganization": orgRef, "authorizedScope": []string{},
		"OAuthClient": map[string]any{
			"id": rc.ID, "name": rc.Name, "dateCreated": rc.DateCreated, "authorizedGrantType": rc.AuthorizedGrantType,
			"scope": rc.Scope, "roleDivisions": rc.RoleDivisions, "state": rc.State, "organization": orgRef,
		},
	}, nil
}

// permissionCatalogue maps domain -> entity -> actions: the permissions the
// emulated org knows. inferred: a real org knows hundreds; the emulator
// knows those bpgen's permission table (internal/render/permissions) cites, and
// a role naming any other is refused as the platform refuses an unknown
// permission.
var permissionCatalogue = func() map[string]map[string][]string {
	out := map[string]map[string][]string{}
	for _, p := range knownPermissions() {
		parts := strings.Split(p, ":")
		if len(parts) != 3 {
			continue
		}
		if out[parts[0]] == nil {
			out[parts[0]] = map[string][]string{}
		}
		if !slices.Contains(out[parts[0]][parts[1]], parts[2]) {
			out[parts[0]][parts[1]] = append(out[parts[0]][parts[1]], parts[2])
		}
	}
	return out
}()

// httpPermissions is GET /api/v2/authorization/permissions
// (Permissioncollectionentitylisting of DomainPermissionCollection). The
// provider's getAllowedPermissions asks queryType=domain&query=<domain> and
// reads permissionMap. queryType=domain matches the domain exactly
// (inferred); other query types are refused, not ignored.
func (o *Org) httpPermissions(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"queryType", "query"}, nil); err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if qt := q.Get("queryType"); qt != "" && qt != "domain" {
		return nil, badRequest("queryType %s is not supported by the emulated org; use domain.", quote(qt))
	}
	type perm struct {
		Domain           string `json:"domain"`
		EntityType       string `json:"entityType"`
		Action           string `json:"action"`
		Label            string `json:"label"`
		AllowsConditions bool   `json:"allowsConditions"`
		DivisionAware    bool   `json:"divisionAware"`
	}
	type coll struct {
		ID            string            `json:"id"`
		Name          string            `json:"name"`
		Domain        string            `json:"domain"`
		PermissionMap map[string][]perm `json:"permissionMap"`
		SelfURI       string            `json:"selfUri"`
	}
	var out []coll
	for _, d := range slices.Sorted(maps.Keys(permissionCatalogue)) {
		if want := q.Get("query"); want != "" && !strings.EqualFold(want, d) {
			continue
		}
		c := coll{ID: d, Name: d, Domain: d, PermissionMap: map[string][]perm{}, SelfURI: "/api/v2/authorization/permissions/" + d}
		for ent, acts := range permissionCatalogue[d] {
			for _, a := range slices.Sorted(slices.Values(acts)) {
				c.PermissionMap[ent] = append(c.PermissionMap[ent], perm{Domain: d, EntityType: ent, Action: a, Label: a})
			}
		}
		out = append(out, c)
	}
	return page(r, out, 500, "/api/v2/authorization/permissions")
}

// checkPolicy validates a permission policy against the catalogue, as the
// provider's validatePermissionPolicy does client-side (and the platform
// server-side): the domain, the entity (or "*") and every action (or "*").
func checkPolicy(i int, p PermissionPolicy) error {
	ents, ok := permissionCatalogue[p.Domain]
	if !ok {
		return badRequest("permissionPolicies[%d]: domain %s not found.", i, quote(p.Domain))
	}
	if p.EntityName == "*" {
		return nil
	}
	acts, ok := ents[p.EntityName]
	if !ok {
		return badRequest("permissionPolicies[%d]: entity_name %s not found for domain %s.", i, quote(p.EntityName), quote(p.Domain))
	}
	for _, a := range p.ActionSet {
		if a != "*" && !slices.Contains(acts, a) {
			return badRequest("permissionPolicies[%d]: action %s not found for domain %s, entity name %s.", i, quote(a), quote(p.Domain), quote(p.EntityName))
		}
	}
	return nil
}

// sortedByName orders names case-insensitively, then by id, the listing
// order of the list endpoints below. inferred: most list endpoints
// document sortBy=name as their default.
func sortedByName[T any](items []T, name func(T) string, id func(T) string) []T {
	sort.SliceStable(items, func(i, j int) bool {
		a, b := strings.ToLower(name(items[i])), strings.ToLower(name(items[j]))
		if a != b {
			return a < b
		}
		return id(items[i]) < id(items[j])
	})
	return items
}

// readAllLimited reads a raw (non-JSON) body up to maxBody.
func readAllLimited(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	b, err := io.ReadAll(r.Body)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, newError(http.StatusRequestEntityTooLarge, "The request body is too large.")
	}
	return b, err
}

func itoa(n int) string { return strconv.Itoa(n) }
