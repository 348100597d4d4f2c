package steps

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/exchange"
)

// The scenario's application is whatever it saved as {{application_id}},
// acted on under the profile an answer showed it in, else {{profile_id}}.
func TestAdoptedApplication(t *testing.T) {
	t.Parallel()
	ex := func(method, path, body string) *exchange.Exchange {
		return &exchange.Exchange{Method: method, Path: path, Status: 200, ResponseBody: []byte(body)}
	}
	tests := map[string]struct {
		seen     []*exchange.Exchange
		vars     map[string]string
		wantPath string
		wantProf string
		wantErr  string
	}{
		"a raw profile with several products": {
			seen:     []*exchange.Exchange{ex("POST", "/profiles", `{"id":"p2","applications":[{"id":"a1"},{"id":"a2"}]}`)},
			vars:     map[string]string{"application_id": "a2"},
			wantPath: "/profiles/p2/applications/a2", wantProf: "p2",
		},
		"an application of another profile than {{profile_id}}": {
			seen:     []*exchange.Exchange{ex("POST", "/profiles", `{"id":"p2","applications":[{"id":"a2"}]}`)},
			vars:     map[string]string{"profile_id": "p1", "application_id": "a2"},
			wantPath: "/profiles/p2/applications/a2", wantProf: "p1",
		},
		"a raw add": {
			seen:     []*exchange.Exchange{ex("POST", "/profiles/p1/applications", `{"id":"a3"}`)},
			vars:     map[string]string{"application_id": "a3"},
			wantPath: "/profiles/p1/applications/a3", wantProf: "p1",
		},
		"a listed application": {
			seen:     []*exchange.Exchange{ex("GET", "/profiles/p4/applications?x=1", `[{"id":"a4"}]`)},
			vars:     map[string]string{"application_id": "a4"},
			wantPath: "/profiles/p4/applications/a4", wantProf: "p4",
		},
		"a fetched profile": {
			seen:     []*exchange.Exchange{ex("GET", "/profiles/p5", `{"id":"p5","applications":[{"id":"a5"}]}`)},
			vars:     map[string]string{"application_id": "a5"},
			wantPath: "/profiles/p5/applications/a5", wantProf: "p5",
		},
		"a revert that answers a new application": {
			seen:     []*exchange.Exchange{ex("POST", "/profiles/p6/applications/a6/revert_decision", `{"id":"a7"}`)},
			vars:     map[string]string{"application_id": "a7"},
			wantPath: "/profiles/p6/applications/a7", wantProf: "p6",
		},
		"an unseen application under {{profile_id}}": {
			vars:     map[string]string{"profile_id": "p1", "application_id": "a9"},
			wantPath: "/profiles/p1/applications/a9", wantProf: "p1",
		},
		"an unseen application and no profile": {
			vars:    map[string]string{"application_id": "a9"},
			wantErr: "application a9: no profile known for it",
		},
		"nothing saved": {
			wantErr: "no application yet",
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			w := NewWorld(&Env{})
			for _, e := range tc.seen {
				w.Observe(e)
			}
			for k, v := range tc.vars {
				w.setVar(k, v)
			}
			path, err := w.applicationPath()
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.wantPath, path)
			prof, err := w.profile()
			require.NoError(t, err)
			assert.Equal(t, tc.wantProf, prof)
		})
	}
}
