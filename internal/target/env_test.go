package target

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConfigFromEnv(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		env     map[string]string
		want    Config
		wantErr string
	}{
		"nothing set: embedded mock, defaults": {
			env:  nil,
			want: Config{Timeout: DefaultTimeout, Deadline: now.Add(DefaultRunTimeout)},
		},
		"demo api": {
			env: map[string]string{EnvBaseURL: "https://api.passfort.com/4.0", EnvAPIKey: " key-123456 ", EnvTimeout: "10s", EnvRunTimeout: "5m", EnvMaxRetries: "2"},
			want: Config{BaseURL: "https://api.passfort.com/4.0", APIKey: "key-123456", Timeout: 10 * time.Second,
				Deadline: now.Add(5 * time.Minute), MaxRetries: 2},
		},
		"trailing slash, no deadline, no retries": {
			env:  map[string]string{EnvBaseURL: "http://127.0.0.1:8080/4.0/", EnvRunTimeout: "0", EnvMaxRetries: "0"},
			want: Config{BaseURL: "http://127.0.0.1:8080/4.0/", Timeout: DefaultTimeout, MaxRetries: -1},
		},
		"further secrets": {
			env:  map[string]string{EnvSecrets: " proxy-pass-1 ,, token-abc-2,"},
			want: Config{Timeout: DefaultTimeout, Deadline: now.Add(DefaultRunTimeout), Secrets: []string{"proxy-pass-1", "token-abc-2"}},
		},
		"base without version": {env: map[string]string{EnvBaseURL: "https://api.passfort.com"}, wantErr: `PASSFORT_BASE_URL: got path "", want one ending in /4.0`},
		"relative base":        {env: map[string]string{EnvBaseURL: "api.passfort.com/4.0"}, wantErr: "PASSFORT_BASE_URL: got"},
		"unparsable base":      {env: map[string]string{EnvBaseURL: "http://user:pa ss@x:y/4.0"}, wantErr: "not a URL"},
		"bad timeout":          {env: map[string]string{EnvTimeout: "ten"}, wantErr: `PASSFORT_TIMEOUT: got "ten"`},
		"zero timeout":         {env: map[string]string{EnvTimeout: "0s"}, wantErr: "PASSFORT_TIMEOUT"},
		"negative run timeout": {env: map[string]string{EnvRunTimeout: "-1m"}, wantErr: "PASSFORT_RUN_TIMEOUT"},
		"negative retries":     {env: map[string]string{EnvMaxRetries: "-2"}, wantErr: "PASSFORT_MAX_RETRIES"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := ConfigFromEnv(envLookup(tc.env), now)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				assert.NotContains(t, err.Error(), "pa ss")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want.BaseURL, got.BaseURL)
			assert.Equal(t, tc.want.APIKey, got.APIKey)
			assert.Equal(t, tc.want.Timeout, got.Timeout)
			assert.True(t, got.Deadline.Equal(tc.want.Deadline), "deadline %s, want %s", got.Deadline, tc.want.Deadline)
			assert.Equal(t, tc.want.MaxRetries, got.MaxRetries)
		})
	}
}

// No form of a bad base URL is quoted with its password: url.Parse reads a
// schemeless "user:pw@host" as scheme "user" and an opaque rest, which
// Redacted does not touch.
func TestConfigFromEnvNeverQuotesABadURLsPassword(t *testing.T) {
	t.Parallel()
	for name, base := range map[string]string{
		"schemeless with user and password": "user:secretpw@api.passfort.com/4.0",
		"schemeless, password only":         ":secretpw@api.passfort.com/4.0",
		"opaque after a scheme":             "https:user:secretpw@api.passfort.com/4.0",
		"one slash after the scheme":        "https:/user:secretpw@api.passfort.com/4.0",
		"three slashes after the scheme":    "https:///user:secretpw@api.passfort.com/4.0",
		"password in the path":              "https://api.passfort.com/user:secretpw@x",
		"password as the path":              "https://api.passfort.com/secretpw",
		"password in a query, no scheme":    "api.passfort.com/4.0?password=secretpw",
		"password in a fragment, no scheme": "api.passfort.com/4.0#secretpw",
		"unparsable":                        "http://user:secretpw@x:y/4.0",
		"path without a version":            "https://user:secretpw@api.passfort.com/",
		"port out of range":                 "https://user:secretpw@api.passfort.com:99999/4.0",
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{EnvBaseURL: base, EnvSecrets: "secretpw"}
			_, err := ConfigFromEnv(envLookup(env), time.Now())
			require.Error(t, err)
			assert.Contains(t, err.Error(), EnvBaseURL+": got ")
			assert.NotContains(t, err.Error(), "secretpw")
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

// A port url.Parse takes but no host can listen on is refused where the
// environment is read (exit 2), not at the first request.
func TestConfigFromEnvRefusesAnImpossiblePort(t *testing.T) {
	t.Parallel()
	for base, want := range map[string]string{
		"https://api.passfort.com:99999/4.0": "PASSFORT_BASE_URL: got port 99999, want 1 to 65535",
		"http://127.0.0.1:0/4.0":             "PASSFORT_BASE_URL: got port 0, want 1 to 65535",
	} {
		_, err := ConfigFromEnv(envLookup(map[string]string{EnvBaseURL: base}), time.Now())
		require.Error(t, err, base)
		assert.Equal(t, want, err.Error(), base)
	}
	_, err := ConfigFromEnv(envLookup(map[string]string{EnvBaseURL: "http://127.0.0.1:65535/4.0"}), time.Now())
	assert.NoError(t, err)
}

// A key too short to redact is a bad environment value, refused where the
// environment is read (one line, exit 2), not in every scenario's hook;
// the message gives its length, never the key.
func TestConfigFromEnvRefusesAShortKey(t *testing.T) {
	t.Parallel()
	for name, base := range map[string]string{"embedded mock": "", "account": "https://api.passfort.com/4.0"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			env := map[string]string{EnvBaseURL: base, EnvAPIKey: " xq7 "}
			_, err := ConfigFromEnv(envLookup(env), time.Now())
			require.Error(t, err)
			assert.Contains(t, err.Error(), "PASSFORT_API_KEY: got 3 bytes, want at least 4")
			assert.NotContains(t, err.Error(), "xq7")
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

func TestConfigFromEnvRefusesAShortSecret(t *testing.T) {
	t.Parallel()
	env := map[string]string{EnvSecrets: "longenough, xq7"}
	_, err := ConfigFromEnv(envLookup(env), time.Now())
	require.Error(t, err)
	assert.Equal(t, "PASSFORT_SECRETS: value 2: got 3 bytes, want at least 4 (a value that short cannot be redacted safely)", err.Error())

	cfg, err := ConfigFromEnv(envLookup(map[string]string{EnvSecrets: " longenough , ,other1 "}), time.Now())
	require.NoError(t, err)
	assert.Equal(t, []string{"longenough", "other1"}, cfg.Secrets)
}

// envLookup looks names up in env, as os.LookupEnv does in the process's.
func envLookup(env map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := env[k]; return v, ok }
}
