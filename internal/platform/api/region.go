package api

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// regionDomains is the region → domain table from api.md §6 (Go SDK region constants).
var regionDomains = map[string]string{
	"us-east-1":      "mypurecloud.com",
	"us-east-2":      "use2.us-gov-pure.cloud",
	"us-west-2":      "usw2.pure.cloud",
	"ca-central-1":   "cac1.pure.cloud",
	"sa-east-1":      "sae1.pure.cloud",
	"mx-central-1":   "mxc1.pure.cloud",
	"eu-west-1":      "mypurecloud.ie",
	"eu-west-2":      "euw2.pure.cloud",
	"eu-central-1":   "mypurecloud.de",
	"eu-central-2":   "euc2.pure.cloud",
	"me-central-1":   "mec1.pure.cloud",
	"ap-south-1":     "aps1.pure.cloud",
	"ap-southeast-1": "apse1.pure.cloud",
	"ap-southeast-2": "mypurecloud.com.au",
	"ap-northeast-1": "mypurecloud.jp",
	"ap-northeast-2": "apne2.pure.cloud",
	"ap-northeast-3": "apne3.pure.cloud",
}

// hostPrefixes are the per-service host labels in front of a region domain.
// They are stripped from raw domains so "api.mypurecloud.ie" is not turned
// into "api.api.mypurecloud.ie".
var hostPrefixes = []string{"api.", "login.", "webmessaging.", "api-cdn.", "apps."}

// Regions returns the known region names, sorted.
func Regions() []string {
	names := make([]string, 0, len(regionDomains))
	for n := range regionDomains {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Domain resolves a region name ("eu-west-1", also "EU_WEST_1") or a raw
// domain ("mypurecloud.ie", "usw2.pure.cloud", "api.mypurecloud.ie") to the
// bare domain that the api., login., webmessaging. and api-cdn. hosts share.
func Domain(region string) (string, error) {
	s := strings.ToLower(strings.TrimSpace(region))
	if s == "" {
		return "", fmt.Errorf("api: empty region")
	}
	if d, ok := regionDomains[strings.ReplaceAll(s, "_", "-")]; ok {
		return d, nil
	}
	if strings.Contains(s, "://") || strings.ContainsAny(s, "/?#@: ") || !strings.Contains(s, ".") {
		return "", fmt.Errorf("api: %q is neither a known region (%s) nor a domain", region, strings.Join(Regions(), ", "))
	}
	for _, p := range hostPrefixes {
		if rest, ok := strings.CutPrefix(s, p); ok && strings.Contains(rest, ".") {
			s = rest
			break
		}
	}
	return strings.TrimSuffix(s, "."), nil
}

// Endpoints are the base URLs (scheme://host[:port], no trailing slash) of
// the services a harness talks to.
type Endpoints struct {
	API          string // Platform API: API + "/api/v2/..."
	Login        string // OAuth: Login + "/oauth/token"
	WebMessaging string // guest WebSocket: WebMessaging + "/v1?deploymentId=..."
	APICDN       string // public deployment config: APICDN + "/webdeployments/v1/deployments/{id}/config.json"
}

// RegionEndpoints returns the https/wss endpoints of a real region, given a
// region name or a domain (see Domain).
func RegionEndpoints(region string) (Endpoints, error) {
	d, err := Domain(region)
	if err != nil {
		return Endpoints{}, err
	}
	return Endpoints{
		API:          "https://api." + d,
		Login:        "https://login." + d,
		WebMessaging: "wss://webmessaging." + d,
		APICDN:       "https://api-cdn." + d,
	}, nil
}

// LocalEndpoints points every service at one base URL, e.g. the emulated
// org's "http://127.0.0.1:8080": /oauth/token, /api/v2/... and the
// /webdeployments/... config all live there, and the WebSocket endpoint is
// the same host with the ws/wss scheme.
func LocalEndpoints(baseURL string) (Endpoints, error) {
	u, err := url.Parse(strings.TrimSpace(baseURL))
	if err != nil {
		return Endpoints{}, fmt.Errorf("api: base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Endpoints{}, fmt.Errorf("api: base URL %q: want http(s)://host[:port]", baseURL)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return Endpoints{}, fmt.Errorf("api: base URL %q: must not carry credentials, query or fragment", u.Redacted())
	}
	// Credentials go over TLS, except to this machine (an emulated org
	// served by `bpgen org serve` on loopback).
	if u.Scheme == "http" && !IsLoopbackHost(u.Hostname()) {
		return Endpoints{}, fmt.Errorf("api: base URL %s: plain http only to loopback (127.0.0.1, ::1, localhost); use https for %s", u.Redacted(), u.Hostname())
	}
	base := u.Scheme + "://" + u.Host + strings.TrimSuffix(u.EscapedPath(), "/")
	ws := "ws" + strings.TrimPrefix(base, "http") // http→ws, https→wss
	return Endpoints{API: base, Login: base, WebMessaging: ws, APICDN: base}, nil
}

// IsLoopbackHost reports whether host (no port) names this machine's
// loopback interface: localhost or a loopback IP literal.
func IsLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
