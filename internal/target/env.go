package target

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// The environment variables ConfigFromEnv reads.
const (
	// EnvBaseURL is the target's base URL, ending in /4.0; unset means the
	// embedded mock (ConfigFromEnv then leaves BaseURL empty).
	EnvBaseURL = "PASSFORT_BASE_URL"
	// EnvAPIKey is the key sent as the apikey header.
	EnvAPIKey = "PASSFORT_API_KEY"
	// EnvTimeout bounds each attempt, as a Go duration ("30s").
	EnvTimeout = "PASSFORT_TIMEOUT"
	// EnvRunTimeout bounds the whole run, as a Go duration ("20m"); "0"
	// means no run deadline.
	EnvRunTimeout = "PASSFORT_RUN_TIMEOUT"
	// EnvMaxRetries is the retry budget of one exchange; "0" means none.
	EnvMaxRetries = "PASSFORT_MAX_RETRIES"
	// EnvSecrets lists further values never to print, comma-separated
	// (a proxy password, a token in test data): they are redacted like the
	// key from every exchange, step, error, report and recording.
	EnvSecrets = "PASSFORT_SECRETS"
)

// DefaultRunTimeout is the run deadline when EnvRunTimeout is unset: long
// enough for the suite against the demo API, short enough that a hung
// target fails a CI job with a finding instead of the job's own timeout.
const DefaultRunTimeout = 30 * time.Minute

// ConfigFromEnv reads the target settings from the environment through
// lookup (os.LookupEnv in production) and sets the run deadline from now.
// Transport, Limiter, Meter, Allow and Observe are left for the caller.
func ConfigFromEnv(lookup func(string) (string, bool), now time.Time) (Config, error) {
	get := func(k string) string {
		v, _ := lookup(k)
		return strings.TrimSpace(v)
	}
	var cfg Config
	for i, v := range strings.Split(get(EnvSecrets), ",") {
		if v = strings.TrimSpace(v); v != "" {
			// Refused here, before anything runs, as a short key is below.
			if err := checkSecretLen(fmt.Sprintf("%s: value %d", EnvSecrets, i+1), v); err != nil {
				return Config{}, err
			}
			cfg.Secrets = append(cfg.Secrets, v)
		}
	}
	if v := get(EnvBaseURL); v != "" {
		u, err := url.Parse(v)
		if err != nil {
			// The parse error quotes the URL, which may hold a password.
			return Config{}, fmt.Errorf("%s: got a value that is not a URL, want one such as https://api.passfort.com/4.0", EnvBaseURL)
		}
		if u.Scheme == "" || u.Host == "" {
			// Not u.Redacted(): without "//" the user information is read
			// as the scheme and an opaque rest, which it does not redact.
			return Config{}, fmt.Errorf("%s: got %s, want an absolute URL such as https://api.passfort.com/4.0", EnvBaseURL, describeBadURL(u, nil))
		}
		if p := u.Port(); p != "" {
			// url.Parse takes any digits; a port past 65535 would only
			// fail at the first request, as an infrastructure error.
			if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
				return Config{}, fmt.Errorf("%s: got port %s, want 1 to 65535", EnvBaseURL, p)
			}
		}
		if !strings.HasSuffix(strings.TrimRight(u.Path, "/"), "/4.0") {
			return Config{}, fmt.Errorf("%s: got %s, want one ending in /4.0 (e.g. https://api.passfort.com/4.0)", EnvBaseURL, describePath(u.Path, NewRedactor(cfg.Secrets...)))
		}
		cfg.BaseURL = v
	}
	cfg.APIKey = get(EnvAPIKey)
	// Refused here, before anything runs, whatever the target.
	if err := checkSecretLen(EnvAPIKey, cfg.APIKey); err != nil {
		return Config{}, err
	}

	cfg.Timeout = DefaultTimeout
	if v := get(EnvTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return Config{}, fmt.Errorf("%s: got %q, want a positive duration such as 30s", EnvTimeout, v)
		}
		cfg.Timeout = d
	}
	run := DefaultRunTimeout
	if v := get(EnvRunTimeout); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return Config{}, fmt.Errorf("%s: got %q, want a duration such as 20m, or 0 for none", EnvRunTimeout, v)
		}
		run = d
	}
	if run > 0 {
		cfg.Deadline = now.Add(run)
	}
	if v := get(EnvMaxRetries); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return Config{}, fmt.Errorf("%s: got %q, want a whole number, 0 or more", EnvMaxRetries, v)
		}
		cfg.MaxRetries = n
		if n == 0 {
			cfg.MaxRetries = -1 // Config's "none"
		}
	}
	return cfg, nil
}

// describePath describes a base URL's path for an error: quoted with the
// configured secrets redacted, unless it could hold user information (a
// "user:password@" written after a slash).
func describePath(path string, red Redactor) string {
	if strings.ContainsAny(path, "@:") {
		return "a path that holds '@' or ':'"
	}
	return fmt.Sprintf("path %q", red.String(path))
}
