package verify

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bpgen/bpgen/internal/contract"
	"github.com/bpgen/bpgen/internal/format/manifest"
	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// RunAttribute is the Messenger custom attribute that carries a run's id. It
// becomes participant data on the conversation's customer participant,
// which is how a run finds its own conversation among everyone else's.
const RunAttribute = "bpgenRunId"

// Seed names of the curated contacts a run creates: recognisable in the org's
// contact list, and free of digits so they pass any second-factor pattern
// (kitchen-sink asks for a first name matching [^0-9]+).
const (
	SeedFirstName = "Bpgen"
	SeedLastName  = "Verify"
)

// NewRunID returns a run id that is unique per run and safe in an email
// address, a custom attribute and a resource name: lower-case, no spaces.
func NewRunID() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return "bpgen-" + time.Now().UTC().Format("20060102t150405") + "-" + hex.EncodeToString(b)
}

// SeededContact is a curated contact created for one run, owning values no
// other contact has.
type SeededContact struct {
	ID        string
	FirstName string
	LastName  string
	// Values are what a customer would type or send for each identifier type
	// the contact owns ("Email" → "bpgen-…@example.com", "Phone" → an E.164
	// number, …), and for the second factor under its field name
	// ("lastName", "firstName").
	Values map[string]string
}

// Seed returns the data-action test seed for one identifier type, or nil
// when the contact has no value of that type.
func (s *SeededContact) Seed(typ string) *Seed {
	v, ok := s.Values[typ]
	if !ok {
		return nil
	}
	return &Seed{ContactID: s.ID, IdentifierType: typ, IdentifierValue: v}
}

// Delete deletes the contact; one already gone is not an error.
func (s *SeededContact) Delete(ctx context.Context, c *api.Client) error {
	if err := c.DeleteExternalContact(ctx, s.ID); err != nil && !api.IsNotFound(err) {
		return err
	}
	return nil
}

// SeedContact creates a curated contact for a run. It owns unique values,
// derived from unique (a run id), for the bundle's first identifier (what
// the lookup action's /test looks up) and its first asked identifier (what
// the customer answers the bot with); its names answer a second factor.
// Each identifier type is written where the API indexes it (api.md §1.3):
// Email as workEmail, Phone as cellPhone, SocialWhatsapp as whatsAppId,
// ExternalId in the bundle's external source (the external_source_id
// output); the other types are claimed as identifiers.
func SeedContact(ctx context.Context, c *api.Client, b *Bundle, outputs map[string]string, unique string) (*SeededContact, error) {
	s := &SeededContact{FirstName: SeedFirstName, LastName: SeedLastName, Values: map[string]string{}}
	in := apimodel.ExternalContact{FirstName: s.FirstName, LastName: s.LastName}
	var claims []apimodel.ContactIdentifier
	for _, id := range seedTypes(b.Manifest) {
		switch id.Type {
		case contract.IdentifierEmail:
			v := unique + "@example.com"
			in.WorkEmail, s.Values[id.Type] = v, v
		case contract.IdentifierPhone:
			e164 := testPhone(unique)
			in.CellPhone, s.Values[id.Type] = &apimodel.PhoneNumber{Display: e164}, e164
		case contract.IdentifierSocialWhatsapp:
			// WhatsApp numbers are written as E.164 without the plus (api.md §1.1).
			e164 := testPhone(unique + "/whatsapp")
			in.WhatsAppID, s.Values[id.Type] = &apimodel.WhatsAppID{PhoneNumber: &apimodel.PhoneNumber{Display: strings.TrimPrefix(e164, "+")}}, e164
		case contract.IdentifierExternalID:
			src := outputs[contract.OutputSource]
			if src == "" {
				return nil, fmt.Errorf("seeding an ExternalId: output %q is missing", contract.OutputSource)
			}
			in.ExternalIDs, s.Values[id.Type] = []apimodel.ExternalID{{ExternalSource: &apimodel.ExternalSource{ID: src}, Value: unique}}, unique
		default:
			claims = append(claims, apimodel.ContactIdentifier{Type: id.Type, Value: unique})
			s.Values[id.Type] = unique
		}
	}
	if sf := b.Manifest.SecondFactor; sf != nil {
		v := s.LastName
		if sf.Field == "firstName" {
			v = s.FirstName
		}
		s.Values[sf.Field] = v
	}
	created, err := c.CreateExternalContact(ctx, in)
	if err != nil {
		return nil, fmt.Errorf("creating the seeded contact: %w", err)
	}
	s.ID = created.ID
	for _, id := range claims {
		body := map[string]any{"operation": "Claim", "identifier": id}
		if err := c.Do(ctx, http.MethodPatch, "/api/v2/externalcontacts/contacts/"+s.ID+"/identifiers", body, nil); err != nil {
			_ = s.Delete(ctx, c)
			return nil, fmt.Errorf("claiming %s for the seeded contact: %w", id.Type, err)
		}
	}
	return s, nil
}

// seedTypes are the identifiers a seeded contact needs: the first, and the
// first the bot asks for (the same one in most bundles).
func seedTypes(m *manifest.Manifest) []manifest.Identifier {
	var out []manifest.Identifier
	if len(m.Identifiers) > 0 {
		out = append(out, m.Identifiers[0])
	}
	if a := firstAsked(m); a != nil && a.Type != m.Identifiers[0].Type {
		out = append(out, *a)
	}
	return out
}

// firstAsked is the first identifier the bot asks for, or nil.
func firstAsked(m *manifest.Manifest) *manifest.Identifier {
	for i := range m.Identifiers {
		if m.Identifiers[i].Slot != "" {
			return &m.Identifiers[i]
		}
	}
	return nil
}

// areaCodes are US area codes; with the fictional 555-01XX exchange they
// give 1,600 numbers that belong to no real subscriber.
var areaCodes = []string{"201", "212", "213", "305", "312", "317", "404", "415", "503", "512", "602", "617", "702", "713", "804", "919"}

// testPhone derives a fictional US number, +1 NPA 555 01XX, from s: unique
// enough that two runs' contacts do not collide, and never a real person's.
func testPhone(s string) string {
	h := sha256.Sum256([]byte(s))
	n := binary.BigEndian.Uint32(h[:4])
	return fmt.Sprintf("+1%s55501%02d", areaCodes[n%uint32(len(areaCodes))], (n/uint32(len(areaCodes)))%100)
}
