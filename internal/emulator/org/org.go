package org

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"sync"
	"time"
)

// DefaultMergeSetLimit is the documented default size limit of a merge set
// ("Merge operation may fail if the resulting mergeset exceeds our default
// limit of 52").
const DefaultMergeSetLimit = 52

// DefaultTimeoutCap bounds how long a Timeout fault holds a request when the
// client never gives up, so a misconfigured test cannot hang forever.
const DefaultTimeoutCap = 30 * time.Second

// homeDivision is the single division of the emulated org. Every contact is
// created in it; the emulator does not model division permissions.
var homeDivision = Ref{
	ID:      "d7f32dad-a9c2-4032-976b-705ee4f5ba22",
	Name:    "Home",
	SelfURI: "/api/v2/authorization/divisions/d7f32dad-a9c2-4032-976b-705ee4f5ba22",
}

// HomeDivision returns the org's single division ("Home").
func HomeDivision() Ref { return homeDivision }

// Option configures an Org.
type Option func(*Org)

// WithClock replaces time.Now, e.g. to make token expiry or createDate
// deterministic in tests.
func WithClock(now func() time.Time) Option { return func(o *Org) { o.clock = now } }

// WithDefaultRegion sets the region used to parse phone numbers that carry no
// country code (the platform's default is US).
func WithDefaultRegion(region string) Option { return func(o *Org) { o.region = region } }

// WithMergeSetLimit overrides the merge-set size limit (default 52). A value
// <= 0 disables the limit.
func WithMergeSetLimit(n int) Option { return func(o *Org) { o.mergeSetLimit = n } }

// WithTimeoutCap overrides DefaultTimeoutCap for Timeout faults that set no
// cap of their own.
func WithTimeoutCap(d time.Duration) Option { return func(o *Org) { o.timeoutCap = d } }

// WithCallLogLimit bounds the call log (default 100000 entries); the oldest
// entries are dropped first so long benchmarks do not grow memory unbounded.
func WithCallLogLimit(n int) Option { return func(o *Org) { o.callLimit, o.callLimitSet = n, true } }

// Org is an emulated Genesys Cloud organisation. The zero value is not usable;
// call New.
type Org struct {
	clock         func() time.Time
	region        string
	mergeSetLimit int
	timeoutCap    time.Duration
	callLimit     int
	callLimitSet  bool
	convLimit     int // settled conversations kept; <= 0: all (retention.go)

	// mu guards all org state below: contacts, the identifier index, merge
	// sets, external sources, conversations and integrations. One lock keeps
	// merges atomic with respect to lookups and identity resolution.
	mu           sync.RWMutex
	contacts     map[string]*contactRec
	index        map[string][]string // identifier key -> owner ids, most recent last
	sets         map[string][]string // head id -> member ids (head included)
	sources      map[string]*ExternalSource
	sourceOrder  []string
	convs        map[string]*convRec
	convOrder    []string
	integrations map[string]*OpenIntegration
	openActive   map[string]string // integration id + from.id -> active conversation id
	settled      []string          // settled conversation ids, oldest first (with convLimit)
	convGone     int               // evicted ids still in convOrder
	convRefs     map[string]int    // contact id -> retained conversations referring to it
	seq          uint64            // modification order of contacts
	createSeq    uint64            // creation order of contacts

	// objects are the deployed objects (flows, integrations, data actions,
	// queues, deployments, ...; see objects.go), also guarded by mu.
	objects objectStore

	auth   authState
	faults faultState
	calls  callLog
	events eventBus
	exec   actionExec // data-action runtimes (loopback.go)
	guests guestHub   // Web Messaging guest sessions (webmessaging.go)
	prov   provState  // the provider surface's extra state (provider.go)

	handlerOnce sync.Once
	handler     http.Handler
}

// New returns an empty org.
func New(opts ...Option) *Org {
	o := &Org{
		clock:         time.Now,
		region:        "US",
		mergeSetLimit: DefaultMergeSetLimit,
		timeoutCap:    DefaultTimeoutCap,
		callLimit:     100000,
		contacts:      map[string]*contactRec{},
		index:         map[string][]string{},
		sets:          map[string][]string{},
		sources:       map[string]*ExternalSource{},
		convs:         map[string]*convRec{},
		integrations:  map[string]*OpenIntegration{},
		openActive:    map[string]string{},
		convRefs:      map[string]int{},
	}
	o.auth.init()
	o.objects.init()
	for _, opt := range opts {
		opt(o)
	}
	if o.convLimit > 0 && !o.callLimitSet {
		o.callLimit = o.convLimit * CallsPerConversation
	}
	return o
}

// now returns the org clock truncated to milliseconds, the precision the API
// serialises, so values read back compare equal to values stored.
func (o *Org) now() time.Time { return o.clock().UTC().Truncate(time.Millisecond) }

// newUUID returns a random (version 4) UUID string.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var s [36]byte
	hex.Encode(s[0:8], b[0:4])
	s[8] = '-'
	hex.Encode(s[9:13], b[4:6])
	s[13] = '-'
	hex.Encode(s[14:18], b[6:8])
	s[18] = '-'
	hex.Encode(s[19:23], b[8:10])
	s[23] = '-'
	hex.Encode(s[24:], b[10:])
	return string(s[:])
}

// newToken returns an opaque bearer token.
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}
