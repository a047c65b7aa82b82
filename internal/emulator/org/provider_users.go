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
	return o.usersLocked()
}

// httpAdminCreateUser stands in for an administrator adding people in the
// Admin UI, so a bundle's queue_member_emails resolve.
func (o *Org) httpAdminCreateUser(w http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	}](w, r)
	if err != nil {
		return nil, err
	}
	if !strings.Contains(in.Email, "@") {
		return nil, badRequest("email is required.")
	}
	u, err := o.CreateUser(User{Name: in.Name, Email: strings.TrimSpace(in.Email)})
	if err != nil {
		return nil, err
	}
	o.mu.RLock()
	defer o.mu.RUnlock()
	return created(o.renderUser(u)), nil
}

// httpListUsers is GET /api/v2/users (UsersApi.GetUsers: pageSize,
// pageNumber, id, sortOrder, state; jabberId, expand,
// integrationPresenceSource and userCustomAttributeSchemaIds cannot be
// applied and are refused).
func (o *Org) httpListUsers(_ http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"id", "sortOrder", "state"}, []string{"jabberId", "expand", "integrationPresenceSource", "userCustomAttributeSchemaIds"}); err != nil {
		return nil, err
	}
	q := r.URL.Query()
	if err := optionalOneOf(r, "state", "active", "any"); err != nil {
		return nil, err
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
	return page(r, out, 500, "/api/v2/users")
}

// usersLocked copies every user, by name, then id; call with Org.mu held.
func (o *Org) usersLocked() []User {
	var out []User
	for _, u := range o.objects.users {
		out = append(out, u.clone())
	}
	return sortedByName(out, func(u User) string { return u.Name }, func(u User) string { return u.ID })
}

// httpSearchUsers is POST /api/v2/users/search (UserSearchRequest →
// UsersSearchResponse). The emulator evaluates EXACT criteria on email and
// name (case-insensitively; inferred) and refuses every other criterion.
func (o *Org) httpSearchUsers(w http.ResponseWriter, r *http.Request) (any, error) {
	in, _, err := modelBody[struct {
		PageSize   int `json:"pageSize"`
		PageNumber int `json:"pageNumber"`
		Query      []struct {
			Type   string   `json:"type"`
			Fields []string `json:"fields"`
			Value  string   `json:"value"`
		} `json:"query"`
	}](w, r, "UserSearchRequest", fieldsUserSearch)
	if err != nil {
		return nil, err
	}
	if len(in.Query) == 0 {
		return nil, badRequest("query is required.")
	}
	for i, c := range in.Query {
		if c.Type != "EXACT" || len(c.Fields) == 0 {
			return nil, badRequest("query[%d]: the emulated org evaluates EXACT criteria on email or name only.", i)
		}
		for _, f := range c.Fields {
			if f != "email" && f != "name" {
				return nil, badRequest("query[%d]: field %s is not searchable in the emulated org; use email or name.", i, quote(f))
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
	return map[string]any{"total": len(match), "pageCount": (len(match) + size - 1) / size, "pageSize": size,
		"pageNumber": num, "types": []string{"users"}, "results": page}, nil
}

// httpQueueMembersChange is POST …/queues/{id}/members[?delete=true] with
// up to 100 {id} (RoutingApi.PostRoutingQueueMembers). Each must be a user.
func (o *Org) httpQueueMembersChange(w http.ResponseWriter, r *http.Request) (any, error) {
	if err := listQuery(r, []string{"delete"}, nil); err != nil {
		return nil, err
	}
	members, err := body[[]Ref](w, r)
	if err != nil {
		return nil, err
	}
	if len(members) > 100 {
		return nil, badRequest("At most 100 members may be added or deleted at once.")
	}
	del := r.URL.Query().Get("delete") == "true"
	_, err = updateObject(o, o.objects.queues, "Queue", r.PathValue("queueId"), func(q *Queue) error {
		for _, m := range members {
			if _, known := o.objects.users[m.ID]; !known {
				return badReference("id", "User", m.ID)
			}
		}
		for _, m := range members {
			has := slices.Contains(q.MemberIDs, m.ID)
			switch {
			case del && has:
				q.MemberIDs = slices.DeleteFunc(q.MemberIDs, func(x string) bool { return x == m.ID })
			case !del && !has:
				q.MemberIDs = append(q.MemberIDs, m.ID)
			}
		}
		return nil
	}, (*Queue).clone)
	return noContent, err
}

// httpPatchQueueMember sets a member's ring number, 1..6 (the provider's
// ring_num schema: "Ring number between 1 and 6").
func (o *Org) httpPatchQueueMember(w http.ResponseWriter, r *http.Request) (any, error) {
	in, err := body[struct {
		RingNumber *int `json:"ringNumber"`
	}](w, r)
	if err != nil {
		return nil, err
	}
	if in.RingNumber == nil || *in.RingNumber < 1 || *in.RingNumber > 6 {
		return nil, badRequest("ringNumber must be between 1 and 6.")
	}
	id, member := r.PathValue("queueId"), r.PathValue("memberId")
	q, err := o.Queue(id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(q.MemberIDs, member) {
		return nil, notFound("QueueMember", member)
	}
	o.prov.setRing(id, member, *in.RingNumber)
	return accepted, nil
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
