package steps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"
	"github.com/tidwall/gjson"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/oneline"
	"github.com/passfort-conformance/harness/internal/target"
)

// send expands variables in the path and body, sends the request and
// returns the exchange. A transport failure is recorded as an infrastructure
// finding and returned as the step's error.
func (w *World) send(ctx context.Context, r target.Request) (*exchange.Exchange, error) {
	return w.sendExpecting(ctx, r, false)
}

// sendExpecting is send; with mayFail a transport failure is recorded as an
// expected finding and not returned, for scenarios that inject faults.
func (w *World) sendExpecting(ctx context.Context, r target.Request, mayFail bool) (*exchange.Exchange, error) {
	if r.Body != nil {
		expand := w.expandJSON
		if ct := r.Header.Get("Content-Type"); ct != "" && !strings.Contains(ct, "json") {
			expand = w.expand
		}
		s, err := expand(string(r.Body))
		if err != nil {
			return nil, err
		}
		r.Body = []byte(s)
	}
	return w.sendBody(ctx, r, mayFail)
}

// sendBody is sendExpecting for a body sent as it is: one a step built
// from values it has expanded already (World.post), which a second
// expansion would change where a value holds "{{", and break where the
// value it substitutes holds a quote.
func (w *World) sendBody(ctx context.Context, r target.Request, mayFail bool) (*exchange.Exchange, error) {
	var err error
	if r.Path, err = w.expand(r.Path); err != nil {
		return nil, err
	}
	ex, err := w.client.Do(ctx, r)
	var terr *target.Error
	if errors.As(err, &terr) && terr.Kind == finding.Guarded {
		// The guard refused a write of a scenario not tagged @mutating:
		// the feature's mistake, not the target's (decision D76).
		return ex, fmt.Errorf("%w: %s; tag the scenario @mutating to send it", ErrUsage, terr.Err)
	}
	if errors.As(err, &terr) {
		f := terr.Finding(w.operation(r.Method, ex.Path))
		f.Expected = mayFail
		w.addFindings([]finding.Finding{f})
		if mayFail {
			return ex, nil
		}
		return ex, errors.New(f.String())
	}
	return ex, err
}

// sendStep sends r for a step that asserts nothing itself; with mayFail a
// transport failure is an expected finding instead of the step's error.
func sendStep(ctx context.Context, r target.Request, mayFail bool) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	_, err = w.sendExpecting(ctx, r, mayFail)
	return err
}

// withLast runs check on the scenario's last exchange.
func withLast(ctx context.Context, check func(w *World, ex *exchange.Exchange) error) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	ex, err := w.lastExchange()
	if err != nil {
		return err
	}
	return check(w, ex)
}

func sendMayFail(ctx context.Context, method, path string) error {
	return sendStep(ctx, target.Request{Method: method, Path: path}, true)
}

// requestFailedAs checks that the last request ended with an
// infrastructure failure of this kind, within a bound.
func requestFailedAs(ctx context.Context, kind string, seconds int) error {
	return withLast(ctx, func(w *World, ex *exchange.Exchange) error {
		return failedAs(w, ex, kind, seconds)
	})
}

func failedAs(w *World, ex *exchange.Exchange, kind string, seconds int) error {
	if ex.Err == "" {
		return fmt.Errorf("last request: got %d, want an infrastructure failure %q", ex.Status, kind)
	}
	var got string
	for _, f := range w.Findings() {
		if f.Class == finding.Infrastructure {
			got = f.Kind
		}
	}
	if got != kind {
		return fmt.Errorf("infrastructure failure: got %q (%s), want %q", got, ex.Err, kind)
	}
	// The time the harness's own rate limiter held the request is not the
	// target's: the limit is on how long the target took to fail.
	if took, limit := ex.Duration-ex.Throttled, time.Duration(seconds)*time.Second; took > limit {
		return fmt.Errorf("failure took %s, want at most %s", took.Round(time.Millisecond), limit)
	}
	return nil
}

// last returns the scenario's last exchange or an error saying no request was sent.
func (w *World) lastExchange() (*exchange.Exchange, error) {
	ex := w.Last()
	if ex == nil {
		return nil, errors.New("no request sent yet in this scenario")
	}
	return ex, nil
}

func (w *World) lastJSON() (*exchange.Exchange, error) {
	ex, err := w.lastExchange()
	if err != nil {
		return nil, err
	}
	if !json.Valid(ex.ResponseBody) {
		return nil, fmt.Errorf("response body: got %s, want JSON", snippet(ex.ResponseBody))
	}
	return ex, nil
}

func sendRequest(ctx context.Context, method, path string) error {
	return sendStep(ctx, target.Request{Method: method, Path: path}, false)
}

func sendRequestWithBody(ctx context.Context, method, path string, body *godog.DocString) error {
	return sendStep(ctx, target.Request{Method: method, Path: path, Body: []byte(body.Content)}, false)
}

func sendRequestWithContentType(ctx context.Context, method, path, contentType string, body *godog.DocString) error {
	h := http.Header{"Content-Type": {contentType}}
	return sendStep(ctx, target.Request{Method: method, Path: path, Body: []byte(body.Content), Header: h, NoRetry: true}, false)
}

func sendRequestWithoutKey(ctx context.Context, method, path string) error {
	return sendStep(ctx, target.Request{Method: method, Path: path, OmitKey: true, NoRetry: true}, false)
}

func sendRequestWithKey(ctx context.Context, method, path, key string) error {
	return sendStep(ctx, target.Request{Method: method, Path: path, Key: key, NoRetry: true}, false)
}

func statusIs(ctx context.Context, want int) error {
	return withLast(ctx, func(_ *World, ex *exchange.Exchange) error {
		if ex.Status != want {
			return fmt.Errorf("status: got %d, want %d; %s %s answered %s", ex.Status, want, ex.Method, ex.Path, snippet(ex.ResponseBody))
		}
		return nil
	})
}

// jsonAt returns the value at a gjson path of the last response.
func (w *World) jsonAt(path string) (gjson.Result, *exchange.Exchange, error) {
	ex, err := w.lastJSON()
	if err != nil {
		return gjson.Result{}, nil, err
	}
	path, err = w.expand(strings.ReplaceAll(path, `\"`, `"`))
	if err != nil {
		return gjson.Result{}, nil, err
	}
	return gjson.GetBytes(ex.ResponseBody, path), ex, nil
}

func jsonEquals(ctx context.Context, path, wantJSON string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	return w.jsonEquals(path, wantJSON)
}

func (w *World) jsonEquals(path, wantJSON string) error {
	got, _, err := w.jsonAt(path)
	if err != nil {
		return err
	}
	want, wantJSON, err := w.expectedJSON(wantJSON)
	if err != nil {
		return err
	}
	if !got.Exists() {
		return fmt.Errorf("JSON at %q: got nothing, want %s", path, wantJSON)
	}
	eq, err := rawEqual(got.Raw, want)
	if err != nil {
		return fmt.Errorf("JSON at %q: %w", path, err)
	}
	if !eq {
		return fmt.Errorf("JSON at %q: got %s, want %s", path, compact(got.Raw), wantJSON)
	}
	return nil
}

// rawEqual reports whether the JSON text raw holds the value want.
func rawEqual(raw string, want any) (bool, error) {
	var have any
	if err := json.Unmarshal([]byte(raw), &have); err != nil {
		return false, err
	}
	// Marshalled again, both sort their keys and spell numbers alike.
	hb, _ := json.Marshal(have)
	wb, _ := json.Marshal(want)
	return bytes.Equal(hb, wb), nil
}

// withJSON runs check on the value at path in the last JSON response.
func withJSON(ctx context.Context, path string, check func(w *World, got gjson.Result, ex *exchange.Exchange) error) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	got, ex, err := w.jsonAt(path)
	if err != nil {
		return err
	}
	return check(w, got, ex)
}

func jsonExists(ctx context.Context, path string) error {
	return withJSON(ctx, path, func(_ *World, got gjson.Result, ex *exchange.Exchange) error {
		if !got.Exists() {
			return fmt.Errorf("JSON at %q: got nothing, want a value; body: %s", path, snippet(ex.ResponseBody))
		}
		return nil
	})
}

func jsonAbsent(ctx context.Context, path string) error {
	return withJSON(ctx, path, func(_ *World, got gjson.Result, _ *exchange.Exchange) error {
		if got.Exists() {
			return fmt.Errorf("JSON at %q: got %s, want nothing", path, compact(got.Raw))
		}
		return nil
	})
}

func jsonMatches(ctx context.Context, path, pattern string) error {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return fmt.Errorf("pattern %q: %w", pattern, err)
	}
	return withJSON(ctx, path, func(_ *World, got gjson.Result, _ *exchange.Exchange) error {
		if !got.Exists() {
			return fmt.Errorf("JSON at %q: got nothing, want a value matching %s", path, pattern)
		}
		if !re.MatchString(got.String()) {
			return fmt.Errorf("JSON at %q: got %s, want a match for %s", path, compact(got.Raw), pattern)
		}
		return nil
	})
}

func jsonHasItems(ctx context.Context, path string, n int) error {
	return withJSON(ctx, path, func(_ *World, got gjson.Result, _ *exchange.Exchange) error {
		if !got.IsArray() {
			return fmt.Errorf("JSON at %q: got %s, want an array of %d", path, compact(got.Raw), n)
		}
		if l := len(got.Array()); l != n {
			return fmt.Errorf("JSON at %q: got %d items, want %d", path, l, n)
		}
		return nil
	})
}

func jsonTable(ctx context.Context, table *godog.Table) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	if len(table.Rows) < 2 || len(table.Rows[0].Cells) != 2 {
		return errors.New("table: want a header row | path | value | and one row per check")
	}
	var fails []string
	for _, row := range table.Rows[1:] {
		if err := w.jsonEquals(row.Cells[0].Value, row.Cells[1].Value); err != nil {
			fails = append(fails, err.Error())
		}
	}
	if len(fails) > 0 {
		return fmt.Errorf("%d of %d values differ:\n  %s", len(fails), len(table.Rows)-1, strings.Join(fails, "\n  "))
	}
	return nil
}

func saveJSON(ctx context.Context, path, name string) error {
	return withJSON(ctx, path, func(w *World, got gjson.Result, _ *exchange.Exchange) error {
		if !got.Exists() {
			return fmt.Errorf("JSON at %q: got nothing, want a value to save as %q", path, name)
		}
		w.setVar(name, got.String())
		return nil
	})
}

func errorWithCode(ctx context.Context, code int) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	ex, err := w.lastJSON()
	if err != nil {
		return err
	}
	if ex.Status < 400 {
		return fmt.Errorf("status: got %d, want an error status (4xx)", ex.Status)
	}
	codes := gjson.GetBytes(ex.ResponseBody, "errors.#.code").Array()
	if len(codes) == 0 {
		return fmt.Errorf("error envelope: got %s, want {\"errors\":[{\"code\":%d,...}]}", snippet(ex.ResponseBody), code)
	}
	if got := codes[0].Int(); got != int64(code) || codes[0].Type != gjson.Number {
		return fmt.Errorf("error code: got %s, want %d; message: %s", codes[0].Raw, code, gjson.GetBytes(ex.ResponseBody, "errors.0.message").String())
	}
	if msg := gjson.GetBytes(ex.ResponseBody, "errors.0.message"); msg.Type != gjson.String || msg.String() == "" {
		return fmt.Errorf("error message: got %s, want a non-empty string", msg.Raw)
	}
	return nil
}

func headerEquals(ctx context.Context, name, want string) error {
	return withLast(ctx, func(_ *World, ex *exchange.Exchange) error {
		if got := ex.ResponseHeader.Get(name); got != want {
			return fmt.Errorf("header %s: got %q, want %q", name, got, want)
		}
		return nil
	})
}

func noFindings(ctx context.Context, class string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	var lines []string
	for _, f := range w.Findings() {
		if string(f.Class) == class {
			lines = append(lines, f.String())
		}
	}
	if len(lines) > 0 {
		return fmt.Errorf("%s findings: got %d, want none:\n  %s", class, len(lines), strings.Join(lines, "\n  "))
	}
	return nil
}

func findingSeen(ctx context.Context, class, kind, pointer string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	var seen []string
	for _, f := range w.Findings() {
		if string(f.Class) == class && f.Kind == kind && f.Pointer == pointer {
			return nil
		}
		seen = append(seen, f.String())
	}
	return fmt.Errorf("finding %s %s at %q: not seen; seen: %s", class, kind, pointer, strings.Join(append(seen, "none")[:max(len(seen), 1)], "; "))
}

// snippet shortens a body for an error message.
func snippet(b []byte) string {
	const max = 300
	s := compact(string(b))
	if s == "" {
		return "an empty body"
	}
	if len(s) > max {
		return s[:max] + "…(" + strconv.Itoa(len(b)) + " bytes)"
	}
	return s
}

func compact(s string) string {
	var buf bytes.Buffer
	if json.Compact(&buf, []byte(s)) == nil {
		return buf.String()
	}
	return oneline.Fold(s)
}
