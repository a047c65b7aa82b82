package org

import (
	"net/http"
	"slices"
	"strings"
)

// Users as the provider's data.genesyscloud_user (user/data_source_genesyscloud_user.go
// at v1.82.0) finds them: it hydrates a cache with GET /api/v2/users
// (reading each user's name and email), then, for a key not in it, asks
// POST /api/v2/users/search with one EXACT criterion on email or name.
// Queue members (routing_queue/resource_genesyscloud_routing_queue_members.go):
// POST …/queues/{id}/members adds or (delete=true) removes users, GET lists
// them by memberBy, PATCH …/members/{memberId} sets the ring number. The
// emulated org has users only as this directory: they never route.

var fieldsUserSearch = []string{"sortOrder", "sortBy", "pageSize", "pageNumber", "sort", "expand", "query", "integrationPresenceSource", "enforcePermissions"}

type apiUser struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Division *Ref   `json:"division"`
	State    string `json:"state"`
	Username string `json:"username"`
	Version  int    `json:"version"`
	SelfURI  string `json:"selfUri"`
}

func (o *Org) renderUser(u User) apiUser {
	return apiUser{ID: u.ID, Name: u.Name, Email: u.Email, Division: o.divisionRefLocked(""), State: "active", Username: u.Email,
		Version: 1, SelfURI: "/api/v2/users/" + u.ID}
}

// Users lists every user by name, then id.
func (o *Org) Users() []User {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var out []User
	for _, u := range o.objects.users {
		v := *u
		v.Roles = slices.Clone(u.Roles)
		out = append(out, v)
	}
	return sortedByName(out, func(u User) string { return u.Name }, func(u User) string { return u.ID })
}

func (o *Org) userRoutes(mux *http.ServeMux) {
	o.handle(mux, "GET /api/v2/users", o.httpListUsers)
	o.handle(mux, "POST /api/v2/users/search", o.httpSearchUsers)
	o.handle(mux, "POST /api/v2/routing/queues/{queueId}/members", o.httpQueueMembersChange)
	o.handle(mux, "PATCH /api/v2/routing/queues/{queueId}/members/{memberId}", o.httpPatchQueueMember)
	// An administrator adds people in the Admin UI; the emulator's admin
	// path stands in for it, so a bundle's queue_member_emails resolve.
	o.handle(mux, "POST "+AdminPrefix+"users", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Name  string `json:"name"`
			Email string `json:"email"`
		}
		if err := decodeBody(w, r, &in); err != nil {
			writeErr(w, err)
			return
		}
		if !strings.Contains(in.Email, "@") {
			writeErr(w, badRequest("email is required."))
			return
		}
		u, err := o.CreateUser(User{Name: in.Name, Email: strings.TrimSpace(in.Email)})
		if err != nil {
			writeErr(w, err)
			return
		}
		o.mu.RLock()
		out := o.renderUser(u)
		o.mu.RUnlock()
		writeJSON(w, http.StatusCreated, out)
	})
}

// httpListUsers is GET /api/v2/users (UsersApi.GetUsers: pageSize,
// pageNumber, id, sortOrder, state; jabberId, expand,
// integrationPresenceSource and userCustomAttributeSchemaIds cannot be
// applied and are refused).
func (o *Org) httpListUsers(w http.ResponseWriter, r *http.Request) {
	if err := listQuery(r, []string{"id", "sortOrder", "state"}, []string{"jabberId", "expand", "integrationPresenceSource", "userCustomAttributeSchemaIds"}); err != nil {
		writeErr(w, err)
		return
	}
	q := r.URL.Query()
	if s := q.Get("state"); s != "" && s != "active" && s != "any" {
		writeErr(w, oneOf("state", s, "active", "any"))
		return
	}
	ids := values(r, "id")
	var out []apiUser
	o.mu.RLock()
	for _, u := range o.usersLocked() {
		if len(ids) == 0 || slices.Contains(ids, u.ID) {
			out = append(out, o.renderUser(u))
		}
	}
	o.mu.RUnlock()
	if strings.EqualFold(q.Get("sortOrder"), "desc") {
		slices.Reverse(out)
	}
	writeList(w, r, out, 500, "/api/v2/users")
}

func (o *Org) usersLocked() []User {
	var out []User
	for _, u := range o.objects.users {
		out = append(out, *u)
	}
	return sortedByName(out, func(u User) string { return u.Name }, func(u User) string { return u.ID })
}

// httpSearchUsers is POST /api/v2/users/search (UserSearchRequest →
// UsersSearchResponse). The emulator evaluates EXACT criteria on email and
// name (case-insensitively; inferred) and refuses every other criterion.
func (o *Org) httpSearchUsers(w http.ResponseWriter, r *http.Request) {
	m, err := decodeModel(w, r, "UserSearchRequest", fieldsUserSearch)
	if err != nil {
		writeErr(w, err)
		return
	}
	var in struct {
		PageSize   int `json:"pageSize"`
		PageNumber int `json:"pageNumber"`
		Query      []struct {
			Type   string   `json:"type"`
			Fields []string `json:"fields"`
			Value  string   `json:"value"`
		} `json:"query"`
	}
	if err := into(m, &in); err != nil {
		writeErr(w, err)
		return
	}
	if len(in.Query) == 0 {
		writeErr(w, badRequest("query is required."))
		return
	}
	for i, c := range in.Query {
		if c.Type != "EXACT" || len(c.Fields) == 0 {
			writeErr(w, badRequest("query[%d]: the emulated org evaluates EXACT criteria on email or name only.", i))
			return
		}
		for _, f := range c.Fields {
			if f != "email" && f != "name" {
				writeErr(w, badRequest("query[%d]: field %s is not searchable in the emulated org; use email or name.", i, quote(f)))
				return
			}
		}
	}
	size, num := in.PageSize, in.PageNumber
	if size <= 0 {
		size = 25
	}
	if num <= 0 {
		num = 1
	}
	var match []apiUser
	o.mu.RLock()
	for _, u := range o.usersLocked() {
		ok := true
		for _, c := range in.Query {
			hit := false
			for _, f := range c.Fields {
				v := u.Name
				if f == "email" {
					v = u.Email
				}
				hit = hit || strings.EqualFold(v, c.Value)
			}
			ok = ok && hit
		}
		if ok {
			match = append(match, o.renderUser(u))
		}
	}
	o.mu.RUnlock()
	start := min((num-1)*size, len(match))
	end := min(start+size, len(match))
	page := match[start:end]
	if page == nil {
		page = []apiUser{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"total": len(match), "pageCount": (len(match) + size - 1) / size, "pageSize": size,
		"pageNumber": num, "types": []string{"users"}, "results": page})
}

// httpQueueMembersChange is POST …/queues/{id}/members[?delete=true] with
// up to 100 {id} (RoutingApi.PostRoutingQueueMembers). Each must be a user.
func (o *Org) httpQueueMembersChange(w http.ResponseWriter, r *http.Request) {
	if err := listQuery(r, []string{"delete"}, nil); err != nil {
		writeErr(w, err)
		return
	}
	var body []Ref
	if err := decodeBody(w, r, &body); err != nil {
		writeErr(w, err)
		return
	}
	if len(body) > 100 {
		writeErr(w, badRequest("At most 100 members may be added or deleted at once."))
		return
	}
	del := r.URL.Query().Get("delete") == "true"
	id := r.PathValue("queueId")
	o.mu.Lock()
	q, ok := o.objects.queues[id]
	var err error
	if ok {
		for _, m := range body {
			if _, known := o.objects.users[m.ID]; !known {
				err = badReference("id", "User", m.ID)
				break
			}
		}
		if err == nil {
			for _, m := range body {
				has := slices.Contains(q.MemberIDs, m.ID)
				switch {
				case del && has:
					q.MemberIDs = slices.DeleteFunc(q.MemberIDs, func(x string) bool { return x == m.ID })
				case !del && !has:
					q.MemberIDs = append(q.MemberIDs, m.ID)
				}
			}
		}
	}
	o.mu.Unlock()
	switch {
	case !ok:
		writeErr(w, notFound("Queue", id))
	case err != nil:
		writeErr(w, err)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

// httpPatchQueueMember sets a member's ring number, 1..6 (the provider's
// ring_num schema: "Ring number between 1 and 6").
func (o *Org) httpPatchQueueMember(w http.ResponseWriter, r *http.Request) {
	var body struct {
		RingNumber *int `json:"ringNumber"`
	}
	if err := decodeBody(w, r, &body); err != nil {
		writeErr(w, err)
		return
	}
	if body.RingNumber == nil || *body.RingNumber < 1 || *body.RingNumber > 6 {
		writeErr(w, badRequest("ringNumber must be between 1 and 6."))
		return
	}
	id, member := r.PathValue("queueId"), r.PathValue("memberId")
	q, err := o.Queue(id)
	if err != nil {
		writeErr(w, err)
		return
	}
	if !slices.Contains(q.MemberIDs, member) {
		writeErr(w, notFound("QueueMember", member))
		return
	}
	o.prov.setRing(id, member, *body.RingNumber)
	w.WriteHeader(http.StatusAccepted)
}

func (p *provState) setRing(queue, member string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rings == nil {
		p.rings = map[string]int{}
	}
	p.rings[queue+"/"+member] = n
}

func (p *provState) ring(queue, member string) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n, ok := p.rings[queue+"/"+member]; ok {
		return n
	}
	return 1
}
