// Package exchange holds the record of one HTTP request and its response, as
// the target client sent and received it. It is the unit that checks read and
// reports print. Records are redacted before anyone else sees them: the API
// key never reaches a check, a report or a recording.
package exchange

import (
	"net/http"
	"time"
)

// Exchange is one request and its response (or the transport error instead).
type Exchange struct {
	// Method is the HTTP method, e.g. "POST".
	Method string `json:"method"`
	// Path is the request path below the base URL, with its query,
	// e.g. "/profiles/1b2c.../applications" (the base URL's "/4.0" is not part of it).
	Path string `json:"path"`
	// URL is the full, redacted URL that was requested.
	URL string `json:"url"`
	// RequestHeader is redacted: secret headers read "[REDACTED]".
	RequestHeader http.Header `json:"request_header,omitempty"`
	// RequestBody is the raw request body (secrets redacted).
	RequestBody []byte `json:"request_body,omitempty"`

	// Status is the HTTP status; 0 when no response was received.
	Status int `json:"status"`
	// ResponseHeader is redacted like RequestHeader.
	ResponseHeader http.Header `json:"response_header,omitempty"`
	// ResponseBody is the raw response body (secrets redacted).
	ResponseBody []byte `json:"response_body,omitempty"`

	// Started is when the first attempt was sent.
	Started time.Time `json:"started"`
	// Duration is the time from the first attempt to the last byte of the response.
	Duration time.Duration `json:"duration_ns"`
	// Attempts counts the requests sent (1 without retries).
	Attempts int `json:"attempts"`
	// Waited is the time spent in back-off and rate limiting.
	Waited time.Duration `json:"waited_ns,omitempty"`
	// Throttled is the part of Waited the client's own rate limiter held
	// the request (pacing to the account's limit): the harness's doing, not
	// the target's.
	Throttled time.Duration `json:"throttled_ns,omitempty"`
	// Err is the transport error that ended the exchange, "" if a response was received.
	Err string `json:"error,omitempty"`
}

// ContentType returns the response's media type without parameters.
func (e *Exchange) ContentType() string {
	ct := e.ResponseHeader.Get("Content-Type")
	for i := 0; i < len(ct); i++ {
		if ct[i] == ';' {
			ct = ct[:i]
			break
		}
	}
	return ct
}
