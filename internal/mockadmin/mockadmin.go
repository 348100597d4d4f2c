// Package mockadmin is the client of the mock's admin endpoints (/__mock/*,
// served by internal/faults, internal/webhooks and internal/sdkgate through
// internal/mockstack): the one place on the client side that spells their
// paths and bodies. It sends its requests through a Doer (a target.Client),
// so they are recorded and checked like every other exchange.
package mockadmin

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/target"
)

// The admin endpoints, outside the API's /4.0.
const (
	// Prefix starts every admin path.
	Prefix = "/__mock/"
	// FaultsPath reads, replaces and clears the faults in force.
	FaultsPath = Prefix + "faults"
	// WebhooksPath reads, sets and clears where webhooks go.
	WebhooksPath = Prefix + "webhooks"
)

// Doer sends a request: a *target.Client, or a function that wraps one.
type Doer interface {
	Do(ctx context.Context, r target.Request) (*exchange.Exchange, error)
}

// DoerFunc adapts a function to Doer.
type DoerFunc func(ctx context.Context, r target.Request) (*exchange.Exchange, error)

// Do calls f.
func (f DoerFunc) Do(ctx context.Context, r target.Request) (*exchange.Exchange, error) {
	return f(ctx, r)
}

// Client speaks the admin protocol through a Doer. The faults and webhooks
// it sets are in the scope of the Doer's X-Mock-Scope header, when it sends
// one (a standalone mock shared by scenarios).
type Client struct {
	// Doer sends the requests.
	Doer Doer
	// Describe renders the body of an answer other than 200 that carries no
	// error message, for the error; its first 200 bytes if nil.
	Describe func(body []byte) string
}

// do sends one admin request: outside /4.0, never retried. An answer other
// than 200 is an error with the mock's message.
func (c Client) do(ctx context.Context, method, path string, body []byte) (*exchange.Exchange, error) {
	ex, err := c.Doer.Do(ctx, target.Request{Method: method, Path: path, Body: body, Root: true, NoRetry: true})
	if err != nil {
		return ex, fmt.Errorf("mock admin %s %s: %w", method, path, err)
	}
	if ex.Status != 200 {
		msg := gjson.GetBytes(ex.ResponseBody, "errors.0.message").String()
		if msg == "" && c.Describe != nil {
			msg = c.Describe(ex.ResponseBody)
		} else if msg == "" {
			msg = oneline.Clip(oneline.Fold(string(ex.ResponseBody)), 200)
		}
		return ex, fmt.Errorf("mock admin %s %s: got %d (%s), want 200: does the target serve the mock's admin endpoints?", method, path, ex.Status, msg)
	}
	return ex, nil
}

// AddFaults adds faults, in the mock's -fault syntax ("GET /profiles/*:
// status=503"), to those in force.
func (c Client) AddFaults(ctx context.Context, specs ...string) error {
	ex, err := c.do(ctx, "GET", FaultsPath, nil)
	if err != nil {
		return err
	}
	var current struct {
		Faults []json.RawMessage `json:"faults"`
	}
	if err := json.Unmarshal(ex.ResponseBody, &current); err != nil {
		return fmt.Errorf("mock admin GET %s: %w", FaultsPath, err)
	}
	for _, s := range specs {
		b, err := json.Marshal(s)
		if err != nil {
			return err
		}
		current.Faults = append(current.Faults, b)
	}
	body, err := json.Marshal(current.Faults)
	if err != nil {
		return err
	}
	_, err = c.do(ctx, "POST", FaultsPath, body)
	return err
}

// ClearFaults removes every fault in force.
func (c Client) ClearFaults(ctx context.Context) error {
	_, err := c.do(ctx, "DELETE", FaultsPath, nil)
	return err
}

// Webhook is where the mock sends its webhooks.
type Webhook struct {
	// URL receives the webhooks.
	URL string `json:"url"`
	// Secret is sent in every webhook's "secret".
	Secret string `json:"secret"`
}

// SetWebhook points the mock's webhooks at w.
func (c Client) SetWebhook(ctx context.Context, w Webhook) error {
	// A map, as the harness has always sent it: recordings keep their bytes.
	body, err := json.Marshal(map[string]string{"url": w.URL, "secret": w.Secret})
	if err != nil {
		return err
	}
	_, err = c.do(ctx, "POST", WebhooksPath, body)
	return err
}

// ClearWebhook has the mock send no webhook.
func (c Client) ClearWebhook(ctx context.Context) error {
	_, err := c.do(ctx, "DELETE", WebhooksPath, nil)
	return err
}

// Probe reports whether the target serves the mock's admin endpoints, the
// way cmd/passfort-mock does: GET /__mock/faults answers 200 with a list.
func Probe(ctx context.Context, d Doer) bool {
	ex, err := d.Do(ctx, target.Request{Method: "GET", Path: FaultsPath, Root: true, NoRetry: true})
	return err == nil && ex.Status == 200 && gjson.GetBytes(ex.ResponseBody, "faults").IsArray()
}

// IsAdmin reports whether an operation name ("GET /__mock/faults") is one
// of the admin endpoints': findings on it concern the instrument, not the
// target under test.
func IsAdmin(operation string) bool { return strings.Contains(operation, " "+Prefix) }
