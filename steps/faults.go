package steps

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/cucumber/godog"

	"github.com/passfort-conformance/harness/internal/exchange"
	"github.com/passfort-conformance/harness/internal/finding"
	"github.com/passfort-conformance/harness/internal/mockadmin"
	"github.com/passfort-conformance/harness/internal/target"
)

// Fault steps switch a mock's faults on through its admin endpoint (the
// client is internal/mockadmin), which the embedded mock and
// cmd/passfort-mock both serve: latency, PassFort's rate limit, error
// statuses, dropped connections, slow or cut-short bodies (internal/faults). Routes are written as the
// mock's -fault flag takes them: "GET /profiles/{profile_id}", where a
// segment "{name}" or "*" matches any one segment. Each step adds its fault
// to those in force; scenarios using them are @mock-only.

// route is a quoted "METHOD /path" of a fault step.
const route = `"((?:[A-Z]+ )?/[^"]*)"`

// faultDefinitions are the steps that switch a mock's faults on (latency,
// rate limits, 5xx, dropped connections, slow or truncated bodies) and
// the requests that expect what they provoke.
func faultDefinitions() []Def {
	const faults = "Faults (mock only)"
	return []Def{
		{faults, `^the mock answers (\d+) to ` + route + `$`, "The mock answers every request to the route with this status (400-599) and the error envelope, instead of serving it.", `Given the mock answers 500 to "GET /profiles/{profile_id}"`, mockAnswers},
		{faults, `^the mock answers (\d+) to ` + route + ` with a retry after (\d+(?:\.\d+)?) seconds?$`, "As above, with Retry-After and X-RateLimit-Retry-Secs: a client may retry.", `Given the mock answers 503 to "GET /profiles/{profile_id}" with a retry after 0.1 seconds`, mockAnswersRetry},
		{faults, `^the mock answers (\d+) to ` + route + ` (\d+) times? with a retry after (\d+(?:\.\d+)?) seconds?$`, "As above, for the first N requests only; then the route is served again.", `Given the mock answers 503 to "GET /profiles/{profile_id}" 2 times with a retry after 0.1 seconds`, mockAnswersTimes},
		{faults, `^the mock delays ` + route + ` by (\d+(?:\.\d+)?) seconds?$`, "The mock waits this long before answering the route.", `Given the mock delays "GET /profiles/{profile_id}" by 2 seconds`, mockDelays},
		{faults, `^the mock drops the connection on ` + route + `$`, "The mock closes the connection without answering the route.", `Given the mock drops the connection on "GET /profiles/{profile_id}"`, mockDrops},
		{faults, `^the mock truncates the body of ` + route + `$`, "The mock announces the whole body's length, sends half of it and closes the connection.", `Given the mock truncates the body of "GET /profiles/{profile_id}"`, mockTruncates},
		{faults, `^the mock sends the body of ` + route + ` in chunks of (\d+) bytes, (\d+) milliseconds apart$`, "The mock sends the route's body slowly.", `Given the mock sends the body of "GET /profiles/{profile_id}" in chunks of 100 bytes, 20 milliseconds apart`, mockSlowBody},
		{faults, `^the mock enforces a rate limit of (\d+) profiles? an hour with (no burst|a burst of \d+)$`, "The mock limits POST /profiles as PassFort does (GCRA), at this rate: requests over it get 429 with the X-RateLimit-* headers.", `Given the mock enforces a rate limit of 2 profiles an hour with no burst`, mockRateLimit},
		{faults, `^the mock injects the faults:$`, "Adds faults in the mock's -fault syntax, one a line: [METHOD] PATH: KEY=VALUE ...", "Given the mock injects the faults:\n  \"\"\"\n  GET /profiles/*: status=503 every=2\n  *: latency=50ms\n  \"\"\"", mockInjects},
		{faults, `^the mock has no faults$`, "Removes every fault of the mock.", `Given the mock has no faults`, mockClears},
		{faults, `^I send a ` + method + ` request to ` + quoted + ` that may fail, waiting at most (\d+) seconds?$`, "Sends a request whose transport failure is expected, with its own timeout.", `When I send a GET request to "/profiles/{{profile_id}}" that may fail, waiting at most 1 second`, sendMayFailWithin},
		{faults, `^I send a ` + method + ` request to ` + quoted + ` that may fail, with body:$`, "Sends a request with a JSON body whose transport failure is expected.", "When I send a POST request to \"/profiles\" that may fail, with body:\n  \"\"\"\n  {\"role\": \"INDIVIDUAL_CUSTOMER\", \"collected_data\": {\"entity_type\": \"INDIVIDUAL\"}}\n  \"\"\"", sendMayFailWithBody},
		{faults, `^I send a ` + method + ` request to ` + quoted + ` expecting contract findings$`, "Sends a request whose answer is expected to break the contract (an injected fault): its contract findings are recorded as expected, not failing; the step fails if there are none.", `When I send a GET request to "/profiles/{{profile_id}}" expecting contract findings`, sendExpectingFindings},
		{faults, `^the request took at least (\d+(?:\.\d+)?) seconds?$`, "The last request took at least this long, retries and waits included.", `Then the request took at least 2 seconds`, requestTookAtLeast},
		{faults, `^the request was tried (\d+) times?$`, "The client sent the last request this many times (retries included).", `Then the request was tried 4 times`, requestTried},
	}
}

// admin returns the client of the mock's admin API. Its requests go outside
// /4.0, are never retried, and are invisible to the checks and to the
// response steps: the admin API is the harness's instrument, not the target
// under test, so its exchange and its findings (an operation the contract
// does not know) are taken out of the scenario's record, and the last
// exchange stays the API's.
func (w *World) admin() mockadmin.Client {
	return mockadmin.Client{Doer: mockadmin.DoerFunc(w.adminDo), Describe: snippet}
}

// adminDo sends one admin request and takes it out of the record.
func (w *World) adminDo(ctx context.Context, r target.Request) (*exchange.Exchange, error) {
	w.mu.Lock()
	nf, last := len(w.findings), w.last
	nsf, nse := -1, -1
	if w.step != nil {
		nsf, nse = len(w.step.Findings), len(w.step.Exchanges)
	}
	w.mu.Unlock()
	ex, err := w.client.Do(ctx, r)
	w.mu.Lock()
	w.findings = withoutAdmin(w.findings, nf)
	if w.step != nil && nsf >= 0 {
		w.step.Findings = withoutAdmin(w.step.Findings, nsf)
		w.step.Exchanges = append(w.step.Exchanges[:nse], w.step.Exchanges[min(nse+1, len(w.step.Exchanges)):]...)
	}
	w.last = last
	w.mu.Unlock()
	return ex, err
}

// withoutAdmin drops the findings from index from on that concern the
// admin API.
func withoutAdmin(fs []finding.Finding, from int) []finding.Finding {
	if from > len(fs) {
		return fs
	}
	kept := fs[:from]
	for _, f := range fs[from:] {
		if !mockadmin.IsAdmin(f.Operation) {
			kept = append(kept, f)
		}
	}
	return kept
}

// addFaults adds faults, in the mock's -fault syntax, to those in force on
// the scenario's mock.
func (w *World) addFaults(ctx context.Context, specs ...string) error {
	if err := w.admin().AddFaults(ctx, specs...); err != nil {
		return err
	}
	w.mu.Lock()
	w.faulted = true
	w.mu.Unlock()
	return nil
}

// ClearFaults removes the faults the scenario set on its mock, if it set
// any: on a standalone mock, the faults of the scenario's scope. The suite
// calls it when the scenario ends.
func (w *World) ClearFaults(ctx context.Context) error {
	return w.clearIfSet(ctx, &w.faulted, w.admin().ClearFaults)
}

// clearIfSet calls clear if *set (a field of w), and resets it.
func (w *World) clearIfSet(ctx context.Context, set *bool, clear func(context.Context) error) error {
	w.mu.Lock()
	was := *set
	*set = false
	w.mu.Unlock()
	if !was {
		return nil
	}
	return clear(ctx)
}

func addFaults(ctx context.Context, specs ...string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	return w.addFaults(ctx, specs...)
}

func mockAnswers(ctx context.Context, status int, route string) error {
	return addFaults(ctx, fmt.Sprintf("%s: status=%d", route, status))
}

func mockAnswersRetry(ctx context.Context, status int, route, secs string) error {
	return addFaults(ctx, fmt.Sprintf("%s: status=%d retry-after=%s", route, status, secs))
}

func mockAnswersTimes(ctx context.Context, status int, route string, times int, secs string) error {
	return addFaults(ctx, fmt.Sprintf("%s: status=%d times=%d retry-after=%s", route, status, times, secs))
}

func mockDelays(ctx context.Context, route, secs string) error {
	d, err := secondsOf(secs)
	if err != nil {
		return err
	}
	return addFaults(ctx, fmt.Sprintf("%s: latency=%s", route, d))
}

func mockDrops(ctx context.Context, route string) error {
	return addFaults(ctx, route+": drop")
}

func mockTruncates(ctx context.Context, route string) error {
	return addFaults(ctx, route+": truncate")
}

func mockSlowBody(ctx context.Context, route string, chunk, ms int) error {
	return addFaults(ctx, fmt.Sprintf("%s: slow-body=%dms chunk=%d", route, ms, chunk))
}

func mockRateLimit(ctx context.Context, perHour int, burst string) error {
	b := 1
	if n, ok := strings.CutPrefix(burst, "a burst of "); ok {
		var err error
		if b, err = strconv.Atoi(n); err != nil || b < 1 {
			return fmt.Errorf("burst: got %q, want a positive number", n)
		}
	}
	return addFaults(ctx, fmt.Sprintf("POST /profiles: rate-limit=%d/h burst=%d", perHour, b))
}

func mockInjects(ctx context.Context, doc *godog.DocString) error {
	var specs []string
	for _, line := range strings.Split(doc.Content, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			specs = append(specs, line)
		}
	}
	if len(specs) == 0 {
		return errors.New("faults: got none, want one a line, e.g. GET /profiles/*: status=503")
	}
	return addFaults(ctx, specs...)
}

func mockClears(ctx context.Context) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	if err = w.admin().ClearFaults(ctx); err != nil {
		return err
	}
	w.mu.Lock()
	w.faulted = false
	w.mu.Unlock()
	return nil
}

func secondsOf(s string) (time.Duration, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 3600 {
		return 0, fmt.Errorf("seconds: got %q, want 0 to 3600", s)
	}
	return time.Duration(f * float64(time.Second)), nil
}

func sendMayFailWithin(ctx context.Context, method, path string, seconds int) error {
	if seconds < 1 {
		return fmt.Errorf("timeout: got %d seconds, want at least 1", seconds)
	}
	return sendStep(ctx, target.Request{Method: method, Path: path, Timeout: time.Duration(seconds) * time.Second}, true)
}

func sendMayFailWithBody(ctx context.Context, method, path string, body *godog.DocString) error {
	return sendStep(ctx, target.Request{Method: method, Path: path, Body: []byte(body.Content)}, true)
}

// sendExpectingFindings sends a request and marks the contract findings of
// its answer as expected: a scenario that injects a contract break proves
// the harness classifies it, without failing on it.
func sendExpectingFindings(ctx context.Context, method, path string) error {
	w, err := world(ctx)
	if err != nil {
		return err
	}
	w.mu.Lock()
	nf, nsf := len(w.findings), -1
	if w.step != nil {
		nsf = len(w.step.Findings)
	}
	w.mu.Unlock()
	if _, err := w.send(ctx, target.Request{Method: method, Path: path, NoRetry: true}); err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	n := markExpected(w.findings, nf)
	if w.step != nil && nsf >= 0 {
		markExpected(w.step.Findings, nsf)
	}
	if n == 0 {
		return fmt.Errorf("%s %s: got no contract finding, want at least one", method, path)
	}
	return nil
}

// markExpected marks the contract findings from index from on as expected
// and returns how many it marked.
func markExpected(fs []finding.Finding, from int) int {
	n := 0
	for i := min(from, len(fs)); i < len(fs); i++ {
		if fs[i].Class == finding.Contract {
			fs[i].Expected = true
			n++
		}
	}
	return n
}

func requestTookAtLeast(ctx context.Context, secs string) error {
	d, err := secondsOf(secs)
	if err != nil {
		return err
	}
	return withLast(ctx, func(_ *World, ex *exchange.Exchange) error {
		if ex.Duration < d {
			return fmt.Errorf("request took %s, want at least %s", ex.Duration.Round(time.Millisecond), d)
		}
		return nil
	})
}

func requestTried(ctx context.Context, n int) error {
	return withLast(ctx, func(_ *World, ex *exchange.Exchange) error {
		if ex.Attempts != n {
			return fmt.Errorf("attempts: got %d, want %d (%s %s ended %d %s)", ex.Attempts, n, ex.Method, ex.Path, ex.Status, ex.Err)
		}
		return nil
	})
}
