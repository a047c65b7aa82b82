// Package phonemeta holds the phone-numbering facts bpgen renders into flows
// (country calling code, trunk prefix, international prefixes, national
// number lengths per region, and every calling code), as a committed data
// file (table.tsv, read on first use) generated from libphonenumber's metadata (PhoneNumberMetadata.xml, through
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

import (
	_ "embed"
	"sort"
	"strconv"
	"strings"
	"sync"
)

//go:embed table.tsv
var tableTSV string

// callingCodesKey starts the table's last line, the list of calling codes.
const callingCodesKey = "callingCodes"

var (
	loadOnce     sync.Once
	regions      []Region
	callingCodes []string
)

// load reads table.tsv once; the table is generated and tested, so a line
// that does not parse is a build defect and panics.
func load() {
	loadOnce.Do(func() {
		for _, line := range strings.Split(strings.TrimSuffix(tableTSV, "\n"), "\n") {
			if strings.HasPrefix(line, "#") {
				continue
			}
			f := strings.Split(line, "\t")
			if f[0] == callingCodesKey && len(f) == 2 {
				callingCodes = strings.Split(f[1], ",")
				continue
			}
			cc, err := strconv.Atoi(f[1])
			if len(f) != 5 || err != nil {
				panic("phonemeta: bad table line " + strconv.Quote(line))
			}
			r := Region{ID: f[0], CountryCode: cc, NationalPrefix: f[2], IntlPrefixes: strings.Split(f[3], ",")}
			for _, n := range strings.Split(f[4], ",") {
				l, err := strconv.Atoi(n)
				if err != nil {
					panic("phonemeta: bad table line " + strconv.Quote(line))
				}
				r.NationalLengths = append(r.NationalLengths, l)
			}
			regions = append(regions, r)
		}
	})
}

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
	load()
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
func CallingCodes() []string {
	load()
	return append([]string(nil), callingCodes...)
}
