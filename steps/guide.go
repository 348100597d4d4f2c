package steps

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/target"
)

// The steps a QA engineer writing features from the guide asked for
// (decision D79, docs/decisions.md): negative and containment JSON
// expectations, a decision with a comment, waiting for the application to
// settle, and requests with a body but a missing or wrong key.

// unsettledFlags are the flags of an application whose automation or checks
// are still running.
var unsettledFlags = map[string]bool{"AUTOMATING": true, "WAITING_ON_CHECKS": true}

// decideWithComment sends a manual decision with a comment, which the
// application's new history entry carries.
func decideWithComment(ctx context.Context, verb, comment string) error {
	w, path, err := worldAnd(ctx, (*World).applicationPath)
	if err != nil {
		return err
	}
	comment, err = w.expand(comment)
	if err != nil {
		return err
	}
	_, err = w.post(ctx, path, map[string]string{"status": decisions[verb], "comment": comment})
	return err
}

// applicationSettles polls the application until its flag is neither
// AUTOMATING nor WAITING_ON_CHECKS, and saves the flag it settled on as
// {{flag}}.
func applicationSettles(ctx context.Context, seconds int) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	b := w.within(seconds)
	got, seen, done, err := w.waitForApplicationField(ctx, b, "flag", func(flag string) bool { return flag != "" && !unsettledFlags[flag] })
	if err != nil {
		return err
	}
	if !done {
		return fmt.Errorf("application flag: got %s after %s, want a flag other than AUTOMATING and WAITING_ON_CHECKS (seen: %s)", got, b, strings.Join(seen, " → "))
	}
	w.setVar("flag", got)
	return nil
}

func sendRequestWithoutKeyWithBody(ctx context.Context, method, path string, body *godog.DocString) error {
	return sendStep(ctx, target.Request{Method: method, Path: path, Body: []byte(body.Content), OmitKey: true, NoRetry: true}, false)
}

func sendRequestWithKeyAndBody(ctx context.Context, method, path, key string, body *godog.DocString) error {
	return sendStep(ctx, target.Request{Method: method, Path: path, Body: []byte(body.Content), Key: key, NoRetry: true}, false)
}

// expectedJSON expands and parses a step's JSON literal.
func (w *World) expectedJSON(literal string) (any, string, error) {
	literal, err := w.expandJSON(strings.TrimSpace(literal))
	if err != nil {
		return nil, "", err
	}
	var v any
	if err := json.Unmarshal([]byte(literal), &v); err != nil {
		return nil, "", fmt.Errorf("expected value %s: not JSON (strings need quotes: \"APPLIED\"): %w", literal, err)
	}
	return v, literal, nil
}

func jsonNotEquals(ctx context.Context, path, literal string) error {
	return withJSON(ctx, path, func(w *World, got gjson.Result, _ *exchange.Exchange) error {
		want, lit, err := w.expectedJSON(literal)
		if err != nil {
			return err
		}
		if !got.Exists() {
			return fmt.Errorf("JSON at %q: got nothing, want a value other than %s", path, lit)
		}
		eq, err := rawEqual(got.Raw, want)
		if err != nil {
			return fmt.Errorf("JSON at %q: %w", path, err)
		}
		if eq {
			return fmt.Errorf("JSON at %q: got %s, want anything else", path, compact(got.Raw))
		}
		return nil
	})
}

// contains reports whether got (a string or an array) contains want: a
// string holds want's text, an array has an element equal to want.
func contains(got gjson.Result, want any) (bool, error) {
	switch {
	case got.IsArray():
		for _, e := range got.Array() {
			if eq, err := rawEqual(e.Raw, want); err == nil && eq {
				return true, nil
			}
		}
		return false, nil
	case got.Type == gjson.String:
		s, ok := want.(string)
		if !ok {
			return false, fmt.Errorf("got a string, want an array to look for a non-string value in")
		}
		return strings.Contains(got.String(), s), nil
	}
	return false, fmt.Errorf("got %s, want a string or an array", compact(got.Raw))
}

func jsonContains(ctx context.Context, path, literal string) error {
	return jsonContainment(ctx, path, literal, true)
}

func jsonDoesNotContain(ctx context.Context, path, literal string) error {
	return jsonContainment(ctx, path, literal, false)
}

func jsonContainment(ctx context.Context, path, literal string, want bool) error {
	return withJSON(ctx, path, func(w *World, got gjson.Result, _ *exchange.Exchange) error {
		v, lit, err := w.expectedJSON(literal)
		if err != nil {
			return err
		}
		if !got.Exists() {
			return fmt.Errorf("JSON at %q: got nothing, want a string or an array", path)
		}
		has, err := contains(got, v)
		if err != nil {
			return fmt.Errorf("JSON at %q: %w", path, err)
		}
		switch {
		case want && !has:
			return fmt.Errorf("JSON at %q: got %s, want it to contain %s", path, compact(got.Raw), lit)
		case !want && has:
			return fmt.Errorf("JSON at %q: got %s, want it not to contain %s", path, compact(got.Raw), lit)
		}
		return nil
	})
}
