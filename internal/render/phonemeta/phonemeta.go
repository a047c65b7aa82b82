// Package phonemeta holds the phone-numbering facts bpgen renders into flows
// (country calling code, trunk prefix, international prefixes, national
// number lengths per region, and every calling code), as a committed table
// generated from libphonenumber's metadata (PhoneNumberMetadata.xml, through
// its Go port github.com/nyaruka/phonenumbers) by `go test
// ./internal/render/phonemeta -update`; the test fails when the table and the
// library disagree.
//
// Why a table: the port decodes its whole metadata in its package init
// (about 5 to 11 ms), which a render would otherwise pay even though it
// needs a few numbers for one region; and a render stays byte-for-byte the
// same when the library is upgraded until the table is regenerated on
// purpose.
package phonemeta

import "sort"

// Region is what a flow needs to normalise a number of one region to E.164.
type Region struct {
	ID string // ISO 3166 region code (libphonenumber's region id)
	// CountryCode is the country calling code (1 for US, 44 for GB).
	CountryCode int
	// NationalPrefix is the trunk prefix dialled before national numbers
	// ("0" in GB, "1" in US), non-digits removed; "" when the region has none.
	NationalPrefix string
	// IntlPrefixes are the region's international (IDD) prefixes, longest
	// first: the metadata's pattern enumerated when it is finite (at most
	// 64 strings), else its preferred prefix alone.
	IntlPrefixes []string
	// NationalLengths are the possible lengths of a national significant
	// number (fixed-line and mobile; the general ones when neither lists
	// any), ascending.
	NationalLengths []int
}

// Lookup returns the facts of an ISO region ("GB"), and false for a region
// without a numbering plan in libphonenumber.
func Lookup(id string) (Region, bool) {
	i := sort.Search(len(regions), func(i int) bool { return regions[i].ID >= id })
	if i < len(regions) && regions[i].ID == id {
		return regions[i], true
	}
	return Region{}, false
}

// CallingCodes lists every country calling code libphonenumber knows
// (geographic and non-geographic), ascending as numbers. E.164 codes are
// prefix-free, so at most one of a number's first one, two or three digits
// is in the list.
func CallingCodes() []string { return append([]string(nil), callingCodes...) }
