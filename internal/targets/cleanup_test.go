package targets

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/target"
)

// deletionAnswer answers every deletion alike: with ex, or with err.
type deletionAnswer struct {
	ex  *exchange.Exchange
	err error
}

func (d deletionAnswer) Do(context.Context, target.Request) (*exchange.Exchange, error) {
	return d.ex, d.err
}

// A profile the scenario deleted itself answers the clean-up's deletion
// with "no such profile": it is gone, not left behind. Anything else that
// is not 200 still leaves it behind.
func TestCleanUpOfAProfileAlreadyGone(t *testing.T) {
	t.Parallel()
	notFound := `{"errors":[{"code":201,"message":"Profile not found: p-1","source":"API"}]}`
	tests := map[string]struct {
		answer deletionAnswer
		left   bool
	}{
		"deleted":                       {deletionAnswer{ex: &exchange.Exchange{Status: 200, ResponseBody: []byte(`{}`)}}, false},
		"404":                           {deletionAnswer{ex: &exchange.Exchange{Status: 404, ResponseBody: []byte(notFound)}}, false},
		"404 without a body":            {deletionAnswer{ex: &exchange.Exchange{Status: 404}}, false},
		"400 no such profile":           {deletionAnswer{ex: &exchange.Exchange{Status: 400, ResponseBody: []byte(notFound)}}, false},
		"400 refused for another cause": {deletionAnswer{ex: &exchange.Exchange{Status: 400, ResponseBody: []byte(`{"errors":[{"code":201,"message":"confirm_id: got x"}]}`)}}, true},
		"401":                           {deletionAnswer{ex: &exchange.Exchange{Status: 401}}, true},
		"500":                           {deletionAnswer{ex: &exchange.Exchange{Status: 500, ResponseBody: []byte(notFound)}}, true},
		"transport error":               {deletionAnswer{err: &target.Error{Kind: "connection", Err: errors.New("connection refused")}}, true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			a := newAccount(Settings{Client: target.Config{BaseURL: "http://127.0.0.1:1/4.0"}}, Shared{RunID: "run-1"})
			a.deleteProfiles(tc.answer, []string{"p-1"})
			if tc.left {
				assert.Equal(t, []string{"p-1"}, a.LeftBehind())
			} else {
				assert.Empty(t, a.LeftBehind())
			}
		})
	}
}
