package org

import (
	"cmp"
	"encoding/json"
	"math"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bpgen/bpgen/internal/emulator/jsonvalue"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// contactRec is the stored form of a contact. c holds the raw writable and
// system fields; merge fields are derived from head/mergedTo/mergedFrom and
// o.sets at render time so a merge rewrites one field per member, not copies.
type contactRec struct {
	c          Contact
	claims     []identEntry          // identifiers claimed with PATCH .../identifiers
	held       map[string]identEntry // index keys this record currently owns
	head       string                // canonical head; "" when never merged
	mergedTo   string
	mergedFrom []string
	seq        uint64 // modification order: "most recently modified" wins merges
	created    uint64 // creation order: default search sort
	// byResolution: identity resolution created it for a conversation, so
	// conversation retention may remove it (retention.go).
	byResolution bool
}

func (r *contactRec) headID() string {
	if r.head != "" {
		return r.head
	}
	return r.c.ID
}

const (
	maxNameLen  = 1000
	maxEmailLen = 256
	maxIDs      = 10
)

var screenNameRE = regexp.MustCompile(`^@?[A-Za-z0-9_]+$`)

// rawLocked returns the record for id without resolving merges.
func (o *Org) rawLocked(id string) (*contactRec, error) {
	rec, ok := o.contacts[id]
	if !ok {
		return nil, notFound("ExternalContact", id)
	}
	return rec, nil
}

// resolvedLocked returns the canonical head record for id.
// inferred: a merged-away id resolves to the head of its merge tree (the
// /unresolved endpoint exists precisely because the plain GET resolves).
func (o *Org) resolvedLocked(id string) (*contactRec, error) {
	rec, err := o.rawLocked(id)
	if err != nil {
		return nil, err
	}
	return o.contacts[rec.headID()], nil
}

// readContact renders id's record under the read lock; resolve follows a
// merged-away id to its head, as GET /contacts/{id} does (see
// resolvedLocked), where /unresolved and the merge-tree reads do not.
func readContact[V any](o *Org, id string, resolve bool, render func(*contactRec) V) (V, error) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	lookup := o.rawLocked
	if resolve {
		lookup = o.resolvedLocked
	}
	rec, err := lookup(id)
	if err != nil {
		var zero V
		return zero, err
	}
	return render(rec), nil
}

// changeContact runs change on the head of id's merge tree under the write
// lock: every write addressed to a contact id lands on the head, like GET
// (inferred, see resolvedLocked).
func (o *Org) changeContact(id string, change func(*contactRec) (Contact, error)) (Contact, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	rec, err := o.resolvedLocked(id)
	if err != nil {
		return Contact{}, err
	}
	return change(rec)
}

// renderLocked builds the API view of a record.
func (o *Org) renderLocked(rec *contactRec, withIdentifiers bool) Contact {
	c := cloneContact(rec.c)
	c.SelfURI = contactURI(c.ID)
	if rec.head != "" {
		r := contactRef(rec.head)
		c.CanonicalContact = &r
		members := o.sets[rec.head]
		c.MergeSet = make([]Ref, len(members))
		for i, m := range members {
			c.MergeSet[i] = contactRef(m)
		}
	}
	if rec.mergedTo != "" {
		r := contactRef(rec.mergedTo)
		c.MergedTo = &r
	}
	if len(rec.mergedFrom) > 0 {
		c.MergedFrom = make([]Ref, len(rec.mergedFrom))
		for i, m := range rec.mergedFrom {
			c.MergedFrom[i] = contactRef(m)
		}
	}
	for i, e := range c.ExternalIDs {
		if e.ExternalSource != nil {
			c.ExternalIDs[i].ExternalSource = o.sourceRefLocked(e.ExternalSource.ID)
		}
	}
	if withIdentifiers {
		c.Identifiers = o.identifiersLocked(rec, rec.head != "" && rec.head == rec.c.ID)
	}
	return c
}

func validateName(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if len(v) > maxNameLen {
		return "", badRequest("%s must be at most %d characters.", field, maxNameLen)
	}
	return v, nil
}

func validateEmail(field, v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return "", nil
	}
	if len(v) > maxEmailLen {
		return "", badRequest("%s must be at most %d characters.", field, maxEmailLen)
	}
	a, err := mail.ParseAddress(v)
	if err != nil || a.Name != "" || a.Address != v {
		return "", badRequest("%s %q is not a valid email address.", field, v)
	}
	return v, nil
}

// keepPhone preserves a stored phone when a client writes back what it read
// (GET-modify-PUT), so userInput is not replaced by the formatted display.
func (o *Org) keepPhone(in, prev *PhoneNumber, assumePlus bool) *PhoneNumber {
	if in != nil && prev != nil && strings.TrimSpace(in.Display) == prev.Display &&
		(in.E164 == "" || in.E164 == prev.E164) {
		p := clonePhone(prev)
		p.Extension = clonePtr(in.Extension)
		p.AcceptsSMS = in.AcceptsSMS
		return p
	}
	return o.normalizePhone(in, assumePlus)
}

func singleID(field string, n int) error {
	if n > 1 {
		return badRequest("%s.ids may hold at most 1 id.", field)
	}
	return nil
}

// sanitizeLocked validates and normalises the writable fields of in. prev is
// the stored contact on update (nil on create). System fields are not copied.
func (o *Org) sanitizeLocked(in Contact, prev *Contact) (Contact, error) {
	var c Contact
	var err error
	for _, f := range []struct {
		name     string
		src      string
		dst      *string
		validate func(field, v string) (string, error)
	}{
		{"firstName", in.FirstName, &c.FirstName, validateName},
		{"middleName", in.MiddleName, &c.MiddleName, validateName},
		{"lastName", in.LastName, &c.LastName, validateName},
		{"salutation", in.Salutation, &c.Salutation, validateName},
		{"title", in.Title, &c.Title, validateName},
		{"workEmail", in.WorkEmail, &c.WorkEmail, validateEmail},
		{"personalEmail", in.PersonalEmail, &c.PersonalEmail, validateEmail},
		{"otherEmail", in.OtherEmail, &c.OtherEmail, validateEmail},
	} {
		if *f.dst, err = f.validate(f.name, f.src); err != nil {
			return c, err
		}
	}
	var p Contact
	if prev != nil {
		p = *prev
	}
	c.WorkPhone = o.keepPhone(in.WorkPhone, p.WorkPhone, false)
	c.CellPhone = o.keepPhone(in.CellPhone, p.CellPhone, false)
	c.HomePhone = o.keepPhone(in.HomePhone, p.HomePhone, false)
	c.OtherPhone = o.keepPhone(in.OtherPhone, p.OtherPhone, false)
	c.Address = clonePtr(in.Address)
	if t := in.TwitterID; t != nil {
		tw := *t
		tw.Verified = clonePtr(t.Verified)
		tw.ID = strings.TrimSpace(tw.ID)
		tw.ScreenName = strings.TrimSpace(tw.ScreenName)
		if tw.ScreenName != "" && !screenNameRE.MatchString(tw.ScreenName) {
			return c, badRequest("twitterId.screenName %q must match ^@?[A-Za-z0-9_]+$.", tw.ScreenName)
		}
		c.TwitterID = &tw
	}
	if l := in.LineID; l != nil {
		if err := singleID("lineId", len(l.IDs)); err != nil {
			return c, err
		}
		ln := apimodel.LineID{DisplayName: l.DisplayName}
		for _, id := range l.IDs {
			if v := strings.TrimSpace(id.UserID); v != "" {
				ln.IDs = append(ln.IDs, apimodel.LineUserID{UserID: v})
			}
		}
		c.LineID = &ln
	}
	scoped := func(ids []apimodel.ScopedID) []apimodel.ScopedID {
		var out []apimodel.ScopedID
		for _, id := range ids {
			if v := strings.TrimSpace(id.ScopedID); v != "" {
				out = append(out, apimodel.ScopedID{ScopedID: v})
			}
		}
		return out
	}
	if f := in.FacebookID; f != nil {
		if err := singleID("facebookId", len(f.IDs)); err != nil {
			return c, err
		}
		c.FacebookID = &apimodel.FacebookID{IDs: scoped(f.IDs), DisplayName: f.DisplayName}
	}
	if i := in.InstagramID; i != nil {
		if err := singleID("instagramId", len(i.IDs)); err != nil {
			return c, err
		}
		c.InstagramID = &apimodel.InstagramID{IDs: scoped(i.IDs), DisplayName: i.DisplayName, Handle: i.Handle}
	}
	if w := in.WhatsAppID; w != nil {
		var prevWA *PhoneNumber
		if p.WhatsAppID != nil {
			prevWA = p.WhatsAppID.PhoneNumber
		}
		wa := WhatsAppID{PhoneNumber: o.keepPhone(w.PhoneNumber, prevWA, true), DisplayName: w.DisplayName}
		if wa.PhoneNumber != nil || wa.DisplayName != "" {
			c.WhatsAppID = &wa
		}
	}
	if len(in.AppleOpaqueIDs) > maxIDs {
		return c, badRequest("appleOpaqueIds may hold at most %d values.", maxIDs)
	}
	for _, a := range in.AppleOpaqueIDs {
		if v := strings.TrimSpace(a.Value); v != "" {
			c.AppleOpaqueIDs = append(c.AppleOpaqueIDs, apimodel.AppleOpaqueID{Value: v})
		}
	}
	if len(in.ExternalIDs) > maxIDs {
		return c, badRequest("externalIds may hold at most %d values.", maxIDs)
	}
	for i, e := range in.ExternalIDs {
		if e.ExternalSource == nil || strings.TrimSpace(e.ExternalSource.ID) == "" {
			return c, badRequest("externalIds[%d].externalSource.id is required.", i)
		}
		sid := strings.TrimSpace(e.ExternalSource.ID)
		// inferred: an ExternalId must reference an existing external source.
		if _, ok := o.sources[sid]; !ok {
			return c, badRequest("externalIds[%d].externalSource.id %q does not reference an existing external source.", i, sid)
		}
		v := strings.TrimSpace(e.Value)
		if v == "" || len(v) > 255 {
			return c, badRequest("externalIds[%d].value must be 1..255 characters.", i)
		}
		c.ExternalIDs = append(c.ExternalIDs, ExternalID{ExternalSource: &ExternalSource{ID: sid}, Value: v})
	}
	c.SurveyOptOut = clonePtr(in.SurveyOptOut)
	if u := strings.TrimSpace(in.ExternalSystemURL); u != "" {
		pu, err := url.Parse(u)
		if err != nil || !pu.IsAbs() || len(u) > maxNameLen {
			return c, badRequest("externalSystemUrl %q must be an absolute URL of at most %d characters.", u, maxNameLen)
		}
		c.ExternalSystemURL = u
	}
	if in.CustomFields != nil {
		c.CustomFields = jsonvalue.Copy(in.CustomFields).(map[string]any)
	}
	return c, nil
}

func validType(t string) bool {
	return t == TypeEphemeral || t == TypeIdentified || t == TypeCurated
}

// insertLocked stores a new, already sanitised contact and indexes it.
func (o *Org) insertLocked(c Contact, typ string) *contactRec {
	now := o.now()
	c.ID = newUUID()
	c.Type = typ
	d := homeDivision
	c.Division = &d
	c.CreateDate = tm(now)
	c.ModifyDate = tm(now)
	o.seq++
	o.createSeq++
	rec := &contactRec{c: c, seq: o.seq, created: o.createSeq}
	o.contacts[c.ID] = rec
	o.reindexLocked(rec)
	return rec
}

// CreateContact creates a contact. Type defaults to Curated, which is what
// POST /externalcontacts/contacts produces (inferred); Go callers may pass
// Ephemeral or Identified to set up fixtures. Phones are normalised and every
// identifier-bearing field is indexed.
func (o *Org) CreateContact(in Contact) (Contact, error) {
	typ := in.Type
	if typ == "" {
		typ = TypeCurated
	}
	if !validType(typ) {
		return Contact{}, badRequest("type %q must be one of Ephemeral, Identified, Curated.", typ)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	c, err := o.sanitizeLocked(in, nil)
	if err != nil {
		return Contact{}, err
	}
	return o.renderLocked(o.insertLocked(c, typ), false), nil
}

// Contact returns the contact for id resolved to the canonical head of its
// merge tree (GET /contacts/{id}).
func (o *Org) Contact(id string) (Contact, error) { return o.getContact(id, true, false) }

// RawContact returns the stored record for id without merge resolution
// (GET /contacts/{id}/unresolved).
func (o *Org) RawContact(id string) (Contact, error) { return o.getContact(id, false, false) }

func (o *Org) getContact(id string, resolve, withIdentifiers bool) (Contact, error) {
	return readContact(o, id, resolve, func(rec *contactRec) Contact { return o.renderLocked(rec, withIdentifiers) })
}

// Contacts returns every stored contact (raw, merged-away ones included) in
// creation order.
func (o *Org) Contacts() []Contact {
	o.mu.RLock()
	defer o.mu.RUnlock()
	recs := make([]*contactRec, 0, len(o.contacts))
	for _, r := range o.contacts {
		recs = append(recs, r)
	}
	slices.SortFunc(recs, func(a, b *contactRec) int { return cmp.Compare(a.created, b.created) })
	out := make([]Contact, len(recs))
	for i, r := range recs {
		out[i] = o.renderLocked(r, false)
	}
	return out
}

// UpdateContact replaces the writable fields of the contact (PUT). The id
// resolves to its canonical head like GET does (inferred), so a client that
// updates what it looked up updates the head. Type, division and createDate
// are kept.
func (o *Org) UpdateContact(id string, in Contact) (Contact, error) {
	return o.changeContact(id, func(rec *contactRec) (Contact, error) { return o.replaceLocked(rec, in) })
}

func (o *Org) replaceLocked(rec *contactRec, in Contact) (Contact, error) {
	c, err := o.sanitizeLocked(in, &rec.c)
	if err != nil {
		return Contact{}, err
	}
	c.ID, c.Type, c.Division, c.CreateDate = rec.c.ID, rec.c.Type, rec.c.Division, rec.c.CreateDate
	c.ModifyDate = tm(o.now())
	o.seq++
	rec.seq = o.seq
	rec.c = c
	o.reindexLocked(rec)
	return o.renderLocked(rec, false), nil
}

// ContactChange is one entry of the PATCH body {"changes":[...]}.
type ContactChange struct {
	Field  string `json:"field"`  // JSONPath to the field, e.g. "$.firstName" or "$.cellPhone.display"
	Value  any    `json:"value"`  // new value (ignored for Remove)
	Action string `json:"action"` // Update (also Add/Set/Replace) or Remove (also Delete)
}

// readOnlyFields cannot be changed by PATCH.
var readOnlyFields = map[string]bool{
	"id": true, "type": true, "createDate": true, "modifyDate": true, "division": true,
	"canonicalContact": true, "mergeSet": true, "mergedFrom": true, "mergedTo": true,
	"selfUri": true, "identifiers": true, "mergeOperation": true,
}

// PatchContact applies field changes (PATCH). Minimal: dotted JSONPath into
// the contact's JSON form, actions Update/Add/Set/Replace and Remove/Delete.
// inferred: the action names beyond "Update" are not documented.
func (o *Org) PatchContact(id string, changes []ContactChange) (Contact, error) {
	if len(changes) == 0 {
		return Contact{}, badRequest("changes must contain at least one change.")
	}
	return o.changeContact(id, func(rec *contactRec) (Contact, error) {
		in, err := patched(rec.c, changes)
		if err != nil {
			return Contact{}, err
		}
		return o.replaceLocked(rec, in)
	})
}

// patched applies changes to the JSON form of c and decodes the result.
func patched(c Contact, changes []ContactChange) (Contact, error) {
	raw, _ := json.Marshal(c)
	var doc map[string]any
	_ = json.Unmarshal(raw, &doc)
	for i, ch := range changes {
		path := strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(ch.Field), "$"), ".")
		if path == "" {
			return Contact{}, badRequest("changes[%d].field is required.", i)
		}
		parts := strings.Split(path, ".")
		if readOnlyFields[parts[0]] {
			return Contact{}, badRequest("changes[%d].field %q is read-only.", i, ch.Field)
		}
		m := doc
		for _, p := range parts[:len(parts)-1] {
			next, ok := m[p].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[p] = next
			}
			m = next
		}
		last := parts[len(parts)-1]
		switch strings.ToLower(ch.Action) {
		case "update", "add", "set", "replace", "":
			m[last] = ch.Value
		case "remove", "delete":
			delete(m, last)
		default:
			return Contact{}, badRequest("changes[%d].action %q must be Update or Remove.", i, ch.Action)
		}
	}
	raw, _ = json.Marshal(doc)
	var in Contact
	if err := json.Unmarshal(raw, &in); err != nil {
		return Contact{}, badRequest("changes produce an invalid contact: %v", err)
	}
	return in, nil
}

// DeleteContact deletes the contact. inferred: the id resolves like GET and
// the whole merge set goes with it, because merged-away members have no
// independent life once merged and leaving them would leave the index
// pointing at a deleted head.
func (o *Org) DeleteContact(id string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	rec, err := o.rawLocked(id)
	if err != nil {
		return err
	}
	head := rec.headID()
	members := o.sets[head]
	if members == nil {
		members = []string{head}
	}
	for _, m := range members {
		if r, ok := o.contacts[m]; ok {
			o.unindexLocked(r)
			delete(o.contacts, m)
		}
	}
	delete(o.sets, head)
	return nil
}

// PromoteContact makes the (resolved) contact Curated
// (POST /contacts/{id}/promotion).
func (o *Org) PromoteContact(id string) (Contact, error) {
	return o.changeContact(id, func(rec *contactRec) (Contact, error) {
		if rec.c.Type != TypeCurated {
			rec.c.Type = TypeCurated
			rec.c.ModifyDate = tm(o.now())
			o.seq++
			rec.seq = o.seq
		}
		return o.renderLocked(rec, false), nil
	})
}

// SearchQuery is GET /contacts?q=&pageSize=&pageNumber=&sortOrder=.
type SearchQuery struct {
	Q          string
	PageSize   int    // default 20
	PageNumber int    // default 1
	SortOrder  string // firstName|lastName|middleName|title + :asc|:desc; default creation order
	Expand     []string
}

// ContactListing is the search response.
type ContactListing struct {
	Entities    []Contact `json:"entities"`
	PageSize    int       `json:"pageSize"`
	PageNumber  int       `json:"pageNumber"`
	Total       int       `json:"total"`
	PageCount   int       `json:"pageCount"`
	FirstURI    string    `json:"firstUri,omitempty"`
	PreviousURI string    `json:"previousUri,omitempty"`
	NextURI     string    `json:"nextUri,omitempty"`
	LastURI     string    `json:"lastUri,omitempty"`
	SelfURI     string    `json:"selfUri,omitempty"`
}

// searchText is what q matches. inferred: q semantics are undocumented; the
// emulator does a case-insensitive substring match over names, emails and
// phone forms.
func searchText(c *Contact) string {
	var b strings.Builder
	add := func(s string) {
		if s != "" {
			b.WriteString(strings.ToLower(s))
			b.WriteByte('\n')
		}
	}
	add(c.FirstName)
	add(c.MiddleName)
	add(c.LastName)
	add(strings.TrimSpace(c.FirstName + " " + c.LastName))
	add(c.WorkEmail)
	add(c.PersonalEmail)
	add(c.OtherEmail)
	for _, p := range []*PhoneNumber{c.WorkPhone, c.CellPhone, c.HomePhone, c.OtherPhone} {
		if p != nil {
			add(p.E164)
			add(p.Display)
			add(p.UserInput)
		}
	}
	return b.String()
}

// SearchContacts searches canonical contacts. inferred: merged-away members
// are not listed (their head is), otherwise a merged customer shows up once
// per member.
func (o *Org) SearchContacts(q SearchQuery) (ContactListing, error) {
	if q.PageSize == 0 {
		q.PageSize = 20
	}
	if q.PageNumber == 0 {
		q.PageNumber = 1
	}
	if q.PageSize < 1 || q.PageNumber < 1 {
		return ContactListing{}, badRequest("pageSize and pageNumber must be positive.")
	}
	if q.PageSize*q.PageNumber > 1000 {
		return ContactListing{}, badRequest("pageSize * pageNumber must not exceed 1000; only the first 1000 records can be retrieved.")
	}
	var sortField string
	desc := false
	if q.SortOrder != "" {
		f, dir, _ := strings.Cut(q.SortOrder, ":")
		switch f {
		case "firstName", "lastName", "middleName", "title":
		default:
			return ContactListing{}, badRequest("sortOrder %q: field must be firstName, lastName, middleName or title.", q.SortOrder)
		}
		switch strings.ToLower(dir) {
		case "", "asc":
		case "desc":
			desc = true
		default:
			return ContactListing{}, badRequest("sortOrder %q: direction must be asc or desc.", q.SortOrder)
		}
		sortField = f
	}
	withIdentifiers := slices.Contains(q.Expand, "identifiers")
	needle := strings.ToLower(strings.TrimSpace(q.Q))

	o.mu.RLock()
	defer o.mu.RUnlock()
	var hits []*contactRec
	for _, r := range o.contacts {
		if r.mergedTo != "" {
			continue
		}
		if needle == "" || strings.Contains(searchText(&r.c), needle) {
			hits = append(hits, r)
		}
	}
	key := func(r *contactRec) string {
		switch sortField {
		case "firstName":
			return strings.ToLower(r.c.FirstName)
		case "lastName":
			return strings.ToLower(r.c.LastName)
		case "middleName":
			return strings.ToLower(r.c.MiddleName)
		case "title":
			return strings.ToLower(r.c.Title)
		}
		return ""
	}
	slices.SortFunc(hits, func(a, b *contactRec) int {
		c := cmp.Compare(key(a), key(b))
		if desc {
			c = -c
		}
		if c == 0 {
			c = cmp.Compare(a.created, b.created)
		}
		return c
	})
	total := len(hits)
	pageCount := int(math.Ceil(float64(total) / float64(q.PageSize)))
	start := min((q.PageNumber-1)*q.PageSize, total)
	end := min(start+q.PageSize, total)
	l := ContactListing{
		Entities:   make([]Contact, 0, end-start),
		PageSize:   q.PageSize,
		PageNumber: q.PageNumber,
		Total:      total,
		PageCount:  pageCount,
	}
	for _, r := range hits[start:end] {
		l.Entities = append(l.Entities, o.renderLocked(r, withIdentifiers))
	}
	uri := func(page int) string {
		v := url.Values{}
		v.Set("pageSize", strconv.Itoa(q.PageSize))
		v.Set("pageNumber", strconv.Itoa(page))
		if q.Q != "" {
			v.Set("q", q.Q)
		}
		if q.SortOrder != "" {
			v.Set("sortOrder", q.SortOrder)
		}
		return "/api/v2/externalcontacts/contacts?" + v.Encode()
	}
	l.SelfURI = uri(q.PageNumber)
	l.FirstURI = uri(1)
	if pageCount > 0 {
		l.LastURI = uri(pageCount)
	}
	if q.PageNumber > 1 {
		l.PreviousURI = uri(q.PageNumber - 1)
	}
	if q.PageNumber < pageCount {
		l.NextURI = uri(q.PageNumber + 1)
	}
	return l, nil
}
