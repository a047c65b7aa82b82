package org

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultTokenLifetime is the platform's default client-credentials token
// lifetime (expires_in 86399).
const DefaultTokenLifetime = 86399 * time.Second

// OAuthClient is a client-credentials OAuth client. ID, Secret and
// TokenLifetime are what the token endpoint needs; the other fields are the
// admin view (GET /api/v2/oauth/clients/{id}) and are optional for clients
// registered with RegisterClient.
type OAuthClient struct {
	ID            string
	Secret        string
	TokenLifetime time.Duration // 0 = DefaultTokenLifetime

	Name                string
	Description         string
	AuthorizedGrantType string // "" = GrantClientCredentials
	State               string // "" = Active
	RoleDivisions       []RoleDivision
	DateCreated         time.Time
}

type tokenRec struct {
	clientID string
	expires  time.Time
}

type authState struct {
	mu      sync.RWMutex
	clients map[string]OAuthClient
	tokens  map[string]tokenRec
	// sweepAt is the token count at which expired tokens are next dropped:
	// twice what a sweep left, so sweeping costs O(1) per token issued and a
	// long-running org serve keeps only tokens that still work.
	sweepAt int
}

// minSweep is the token count below which no sweep runs.
const minSweep = 256

// sweepExpired drops tokens past their expiry (they can never authenticate
// again: authenticate refuses them). Callers hold a.mu.
func (a *authState) sweepExpired(now time.Time) {
	if len(a.tokens) < max(a.sweepAt, minSweep) {
		return
	}
	for t, rec := range a.tokens {
		if !now.Before(rec.expires) {
			delete(a.tokens, t)
		}
	}
	a.sweepAt = 2 * len(a.tokens)
}

func (a *authState) init() {
	a.clients = map[string]OAuthClient{}
	a.tokens = map[string]tokenRec{}
}

// RegisterClient adds or replaces an OAuth client.
func (o *Org) RegisterClient(c OAuthClient) error {
	if c.ID == "" || c.Secret == "" {
		return errors.New("org: OAuth client needs an id and a secret")
	}
	if c.TokenLifetime <= 0 {
		c.TokenLifetime = DefaultTokenLifetime
	}
	c.RoleDivisions = slices.Clone(c.RoleDivisions)
	o.auth.mu.Lock()
	defer o.auth.mu.Unlock()
	o.auth.clients[c.ID] = c
	return nil
}

// IssueToken mints a bearer token for a registered client without the HTTP
// round trip (for tests and in-process callers). It returns the token and its
// lifetime.
func (o *Org) IssueToken(clientID string) (string, time.Duration, error) {
	o.auth.mu.Lock()
	defer o.auth.mu.Unlock()
	c, ok := o.auth.clients[clientID]
	if !ok {
		return "", 0, newError(http.StatusUnauthorized, "Unknown OAuth client "+quote(clientID)+".")
	}
	now := o.clock()
	o.auth.sweepExpired(now)
	t := newToken()
	o.auth.tokens[t] = tokenRec{clientID: clientID, expires: now.Add(c.TokenLifetime)}
	return t, c.TokenLifetime, nil
}

// RevokeToken invalidates a token.
func (o *Org) RevokeToken(token string) {
	o.auth.mu.Lock()
	defer o.auth.mu.Unlock()
	delete(o.auth.tokens, token)
}

// authenticate checks "Authorization: Bearer <token>" and returns the client id.
func (o *Org) authenticate(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	o.auth.mu.RLock()
	t, ok := o.auth.tokens[strings.TrimSpace(token)]
	o.auth.mu.RUnlock()
	if !ok || !o.clock().Before(t.expires) {
		return "", false
	}
	return t.clientID, true
}

type oauthError struct {
	Error            string `json:"error"`
	Description      string `json:"description"`
	ErrorDescription string `json:"error_description"`
}

func writeOAuthError(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(oauthError{Error: code, Description: desc, ErrorDescription: desc})
}

// handleToken is POST /oauth/token with grant_type=client_credentials and
// the client authenticated by HTTP Basic or by form client_id/client_secret.
// A bad client is 401 invalid_client (inferred: RFC 6749 5.2 status).
func (o *Org) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeOAuthError(w, http.StatusMethodNotAllowed, "invalid_request", "The token endpoint only accepts POST.")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		writeOAuthError(w, http.StatusBadRequest, "invalid_request", "The request body could not be parsed as a form.")
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		writeOAuthError(w, http.StatusBadRequest, "unsupported_grant_type", "grant_type must be client_credentials.")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	o.auth.mu.RLock()
	c, known := o.auth.clients[id]
	o.auth.mu.RUnlock()
	if id == "" || !known || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "client authentication failed")
		return
	}
	if c.State == OAuthStateInactive || c.State == OAuthStateDisabled {
		// "Access tokens cannot be created with inactive clients" (the
		// provider's oauth_client schema, v1.82.0). inferred: the OAuth
		// error is the one for a client that cannot authenticate.
		writeOAuthError(w, http.StatusUnauthorized, "invalid_client", "the client is "+c.State)
		return
	}
	if ci := callInfoFrom(r); ci != nil {
		ci.clientID = id
	}
	tok, life, _ := o.IssueToken(id)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": tok,
		"token_type":   "bearer",
		"expires_in":   int(life / time.Second),
	})
}
