package org

import (
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// regionFor maps normalizationCountryCode ("US", "+1", "1") to a region code.
func (o *Org) regionFor(code string) string {
	code = strings.TrimSpace(code)
	if code == "" {
		return o.region
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(code, "+")); err == nil {
		if r := phonenumbers.GetRegionCodeForCountryCode(n); r != "" && r != "ZZ" {
			return r
		}
		return o.region
	}
	return strings.ToUpper(code)
}

// parsePhone returns the parsed number when it is at least a possible number.
// IsPossibleNumber rather than IsValidNumber: fictional test numbers such as
// +1 555-555-5555 must still normalise, and the platform's own check is not
// documented. inferred: possible-number check.
func parsePhone(input, region string) (*phonenumbers.PhoneNumber, bool) {
	n, err := phonenumbers.Parse(input, region)
	if err != nil || !phonenumbers.IsPossibleNumber(n) {
		return nil, false
	}
	return n, true
}

func phoneRegion(n *phonenumbers.PhoneNumber) string {
	if r := phonenumbers.GetRegionCodeForNumber(n); r != "" && r != "ZZ" {
		return r
	}
	if r := phonenumbers.GetRegionCodeForCountryCode(int(n.GetCountryCode())); r != "ZZ" {
		return r
	}
	return ""
}

// normalizePhone applies the write-side phone rules: the written display is
// kept in userInput; when it parses, display becomes the international format
// and e164/countryCode are set; otherwise display is kept as written. WhatsApp
// numbers are written as E.164 without the plus, so assumePlus re-adds it.
// A phone with nothing written is dropped (nil).
func (o *Org) normalizePhone(p *PhoneNumber, assumePlus bool) *PhoneNumber {
	if p == nil {
		return nil
	}
	input := strings.TrimSpace(p.Display)
	if input == "" {
		input = strings.TrimSpace(p.E164)
	}
	if input == "" {
		input = strings.TrimSpace(p.UserInput)
	}
	if input == "" {
		return nil
	}
	out := &PhoneNumber{
		Display:                  input,
		Extension:                clonePtr(p.Extension),
		AcceptsSMS:               p.AcceptsSMS,
		NormalizationCountryCode: p.NormalizationCountryCode,
		UserInput:                input,
	}
	parseInput := input
	if assumePlus && !strings.HasPrefix(parseInput, "+") {
		parseInput = "+" + parseInput
	}
	if n, ok := parsePhone(parseInput, o.regionFor(p.NormalizationCountryCode)); ok {
		out.E164 = phonenumbers.Format(n, phonenumbers.E164)
		out.Display = phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
		out.CountryCode = phoneRegion(n)
	}
	return out
}

// e164Lookup normalises a Phone identifier value for lookup or claim. The
// documentation requires "the country code and a leading '+' symbol"; the
// emulator enforces that with a 400 rather than silently guessing a region,
// so a flow that forgets to normalise fails loudly. Decision: 400, not a miss.
func (o *Org) e164Lookup(value string, requirePlus bool) (string, *Error) {
	v := strings.TrimSpace(value)
	if requirePlus && !strings.HasPrefix(v, "+") {
		return "", badRequest("Phone identifier value %q must be in E.164 format with the country code and a leading '+', e.g. \"+1 704 298 4733\".", value)
	}
	if !strings.HasPrefix(v, "+") {
		v = "+" + v
	}
	n, ok := parsePhone(v, o.region)
	if !ok {
		return "", badRequest("Identifier value %q is not a valid phone number.", value)
	}
	return phonenumbers.Format(n, phonenumbers.E164), nil
}
