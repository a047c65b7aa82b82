package verify

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/bpgen/bpgen/internal/platform/api"
	"github.com/bpgen/bpgen/internal/platform/apimodel"
)

// FindOptions say which conversation FindConversation looks for.
type FindOptions struct {
	// RunID is the value of the run's custom attribute on the customer participant.
	RunID string
	// Attribute is the participant-data key carrying RunID (default RunAttribute).
	Attribute string
	// Since is about when the conversation started; the search covers five
	// minutes either side, for clock skew between this machine and the org.
	Since time.Time
	// MessageType is the analytics messageType (default "webmessaging").
	MessageType string
	// Timeout bounds the polling (default 2 minutes); PollInterval spaces
	// the queries (default 2 s).
	Timeout      time.Duration
	PollInterval time.Duration
}

// analyticsPageSize is how many of the newest message conversations one
// query reads; a busy org may start more than this while a run waits, so
// ids already examined are remembered across polls.
const analyticsPageSize = 50

// FindConversation finds the conversation whose customer participant
// carries the run's id: it queries analytics for recent message
// conversations, newest first, and reads each new one with
// GET /api/v2/conversations/{id} until one has the attribute (api.md §2.4).
// Analytics is eventually consistent, so it polls until Timeout.
func FindConversation(ctx context.Context, c *api.Client, o FindOptions) (*apimodel.Conversation, error) {
	if o.RunID == "" {
		return nil, fmt.Errorf("find conversation: no run id")
	}
	attr := o.Attribute
	if attr == "" {
		attr = RunAttribute
	}
	msgType := o.MessageType
	if msgType == "" {
		msgType = "webmessaging"
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = 2 * time.Minute
	}
	every := o.PollInterval
	if every <= 0 {
		every = 2 * time.Second
	}
	since := o.Since
	if since.IsZero() {
		since = time.Now()
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	seen := map[string]bool{}
	var lastErr error
	for {
		q := apimodel.AnalyticsQuery{
			Interval: since.Add(-5*time.Minute).UTC().Format(time.RFC3339) + "/" + time.Now().Add(5*time.Minute).UTC().Format(time.RFC3339),
			Order:    "desc",
			OrderBy:  "conversationStart",
			Paging:   &apimodel.AnalyticsPaging{PageSize: analyticsPageSize, PageNumber: 1},
			SegmentFilters: []apimodel.AnalyticsFilter{{Type: "and", Predicates: []apimodel.AnalyticsPredicate{
				{Type: "dimension", Dimension: "mediaType", Value: "message"},
				{Type: "dimension", Dimension: "messageType", Value: msgType},
			}}},
		}
		var res apimodel.AnalyticsResult
		lastErr = c.Do(ctx, http.MethodPost, "/api/v2/analytics/conversations/details/query", q, &res)
		if lastErr == nil {
			for _, hit := range res.Conversations {
				if seen[hit.ConversationID] {
					continue
				}
				conv, err := c.GetConversation(ctx, hit.ConversationID)
				if err != nil {
					// Not yet readable, or gone: look again next time.
					lastErr = err
					continue
				}
				seen[hit.ConversationID] = true
				if cust := conv.Customer(); cust != nil && cust.Attributes[attr] == o.RunID {
					return conv, nil
				}
			}
		}
		select {
		case <-ctx.Done():
			why := fmt.Sprintf("no %s conversation with participant data %s=%s among the %d examined in %s", msgType, attr, o.RunID, len(seen), timeout)
			if lastErr != nil && !errors.Is(lastErr, context.DeadlineExceeded) && !errors.Is(lastErr, context.Canceled) {
				why += " (last error: " + lastErr.Error() + ")"
			}
			return nil, errors.New(why)
		case <-time.After(every):
		}
	}
}
