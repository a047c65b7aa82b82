package model

import (
	"regexp/syntax"
	"sort"
	"strconv"

	"github.com/nyaruka/phonenumbers"
)

// Phone-number facts of a region, read from libphonenumber's metadata (the
// nyaruka/phonenumbers port) at generate time: Architect has no regex, so the
// flows get these as literals.

// regionMetadata returns the libphonenumber metadata of an ISO region, or nil.
func regionMetadata(region string) *phonenumbers.PhoneMetadata {
	coll, err := phonenumbers.MetadataCollection()
	if err != nil {
		return nil
	}
	for _, md := range coll.GetMetadata() {
		if md.GetId() == region {
			return md
		}
	}
	return nil
}

// intlPrefixes lists the region's international (IDD) prefixes, longest first.
// The metadata gives a pattern (AU: "001[14-689]|14(?:...)0011"); a finite one
// is enumerated, otherwise the preferred prefix alone is used.
func intlPrefixes(md *phonenumbers.PhoneMetadata) []string {
	var out []string
	if p := md.GetInternationalPrefix(); p != "" {
		out = enumerate(p, 64)
	}
	if pref := md.GetPreferredInternationalPrefix(); len(out) == 0 && pref != "" {
		out = []string{pref}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i]) != len(out[j]) {
			return len(out[i]) > len(out[j])
		}
		return out[i] < out[j]
	})
	return out
}

// nationalLengths is the union of the fixed-line and mobile possible lengths
// of national significant numbers: what a customer types as a national number.
func nationalLengths(md *phonenumbers.PhoneMetadata) []int {
	seen := map[int]bool{}
	for _, d := range []*phonenumbers.PhoneNumberDesc{md.GetFixedLine(), md.GetMobile()} {
		for _, l := range d.GetPossibleLength() {
			if l > 0 {
				seen[int(l)] = true
			}
		}
	}
	if len(seen) == 0 {
		for _, l := range md.GetGeneralDesc().GetPossibleLength() {
			seen[int(l)] = true
		}
	}
	out := make([]int, 0, len(seen))
	for l := range seen {
		out = append(out, l)
	}
	sort.Ints(out)
	return out
}

// CallingCodes lists every country calling code libphonenumber knows, as
// strings in ascending order. E.164 codes are prefix-free, so at most one of
// a number's first one, two or three digits is in the list.
func CallingCodes() []string {
	var codes []int
	for c := range phonenumbers.GetSupportedCallingCodes() {
		codes = append(codes, c)
	}
	sort.Ints(codes)
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = strconv.Itoa(c)
	}
	return out
}

// enumerate returns every string a finite regular expression matches, or nil
// when it is not finite or would give more than limit strings.
func enumerate(pattern string, limit int) []string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil
	}
	out, ok := expand(re.Simplify(), limit)
	if !ok {
		return nil
	}
	return out
}

func expand(re *syntax.Regexp, limit int) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}, true
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpCharClass:
		var out []string
		for i := 0; i+1 < len(re.Rune); i += 2 {
			for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
				out = append(out, string(r))
				if len(out) > limit {
					return nil, false
				}
			}
		}
		return out, true
	case syntax.OpCapture:
		return expand(re.Sub[0], limit)
	case syntax.OpQuest:
		sub, ok := expand(re.Sub[0], limit)
		return append([]string{""}, sub...), ok && len(sub) < limit
	case syntax.OpConcat:
		out := []string{""}
		for _, s := range re.Sub {
			part, ok := expand(s, limit)
			if !ok || len(out)*len(part) > limit {
				return nil, false
			}
			var next []string
			for _, a := range out {
				for _, b := range part {
					next = append(next, a+b)
				}
			}
			out = next
		}
		return out, true
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			part, ok := expand(s, limit)
			if !ok || len(out)+len(part) > limit {
				return nil, false
			}
			out = append(out, part...)
		}
		return out, true
	}
	return nil, false
}
