package mock

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/passfort-conformance/harness/internal/mocktest"
)

// TestConcurrentClients runs many clients at once, each creating profiles,
// applying, reading and completing tasks, while others list and read the
// same profiles. Run with -race; every answer is also held against the
// contract and the lifecycle model when the test ends.
func TestConcurrentClients(t *testing.T) {
	e := newEnv(t, Options{AutomationDelay: -1})
	e.Unordered = true
	const clients, rounds = 16, 10
	var wg sync.WaitGroup
	errs := make(chan error, clients*rounds)
	ids := make(chan string, clients*rounds)
	for c := range clients {
		wg.Go(func() {
			for i := range rounds {
				r := e.requestNoFail(http.MethodPost, "/profiles", mocktest.WithApps(mocktest.Individual("Client", fmt.Sprintf("N%d-%d", c, i), "dob", "1990", "nationality", "GBR"), "forexo_basic", "forexo_instant"))
				if r.Status != 200 {
					errs <- fmt.Errorf("create: %d %s", r.Status, r.Body)
					continue
				}
				pid := r.Str("id")
				ids <- pid
				for _, tid := range r.Get("tasks.#.id").Array() {
					if r := e.requestNoFail(http.MethodPost, "/profiles/"+pid+"/tasks/"+tid.String(), `{"state":"COMPLETED_PASS"}`); r.Status != 200 {
						errs <- fmt.Errorf("task: %d %s", r.Status, r.Body)
					}
				}
				apps := e.requestNoFail(http.MethodGet, "/profiles/"+pid+"/applications", nil)
				if apps.Status != 200 || apps.Str("1.status") != "APPROVED" {
					errs <- fmt.Errorf("applications: %d %s; want forexo_instant APPROVED", apps.Status, apps.Body)
				}
				if r := e.requestNoFail(http.MethodPost, "/profiles/"+pid+"/applications/"+apps.Str("0.id"), `{"status":"APPROVED"}`); r.Status != 200 {
					errs <- fmt.Errorf("approve: %d %s", r.Status, r.Body)
				}
			}
		})
	}
	// Readers and a lister race the writers on the same profiles.
	done := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case pid := <-ids:
					if r := e.requestNoFail(http.MethodGet, "/profiles/"+pid, nil); r.Status != 200 {
						errs <- fmt.Errorf("read: %d %s", r.Status, r.Body)
					}
				case <-done:
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			if r := e.requestNoFail(http.MethodGet, "/profiles?q=client&limit=5", nil); r.Status != 200 {
				errs <- fmt.Errorf("list: %d %s", r.Status, r.Body)
			}
			time.Sleep(time.Millisecond)
		}
	})
	time.Sleep(50 * time.Millisecond)
	close(done)
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	r := e.Get("/profiles?limit=1").Want(200)
	assert.False(t, r.Get("count").Int() != clients*rounds, "count = %d; want %d", r.Get("count").Int(), clients*rounds)
}

// requestNoFail is request for goroutines other than the test's: it never
// calls t.Fatal.
func (e *env) requestNoFail(method, path string, body any) mocktest.Resp {
	return e.Request(method, path, body)
}

// TestDeterministic: two mocks with the same seed and clock answer the same
// requests with the same bytes; another seed gives other ids.
func TestDeterministic(t *testing.T) {
	script := func(seed int64) []string {
		e := newEnv(t, Options{Seed: seed})
		var out []string
		p := e.Post("/profiles", mocktest.WithApps(mocktest.Individual("Ada", "Lovelace"), "forexo_plus"))
		out = append(out, string(p.Body))
		pid := p.Str("id")
		e.Settled()
		out = append(out, string(e.Post("/profiles/"+pid+"/events", `{"data":{"event_type":"PEP_FLAG"}}`).Body))
		out = append(out, string(e.Get("/profiles/"+pid).Body))
		out = append(out, string(e.Get("/whoami").Body))
		return out
	}
	a, b, c := script(7), script(7), script(8)
	for i := range a {
		assert.False(t, a[i] != b[i], "answer %d differs between two mocks with seed 7:\n%s\n%s", i, a[i], b[i])
	}
	assert.False(t, a[0] == c[0], "seeds 7 and 8 gave the same ids")
}

func TestIDs(t *testing.T) {
	g := newIDGen(42)
	seen := map[id]bool{}
	for range 10000 {
		x := g.next()
		require.False(t, seen[x], "id %s repeated", x)
		seen[x] = true
		s := x.String()
		back, ok := parseID(s)
		require.False(t, !ok || back != x, "parseID(%q) = %v, %v; want the id back", s, back, ok)
	}
	for in, ok := range map[string]bool{
		"a2c4393a-e219-67a4-5ab4-2186952e9038": true,
		"A2C4393A-E219-67A4-5AB4-2186952E9038": true,
		"a2c4393a-e219-67a4-5ab4-2186952e903":  false,
		"a2c4393ae219-67a4-5ab4-2186952e90388": false,
		"g2c4393a-e219-67a4-5ab4-2186952e9038": false,
		"":                                     false,
	} {
		_, got := parseID(in)
		assert.False(t, got != ok, "parseID(%q) ok = %t; want %t", in, got, ok)
	}
	got := dateTime(time.Date(2024, 5, 14, 9, 3, 2, 999, time.UTC).UnixNano())
	assert.Equal(t, "2024-05-14 09:03:02", got, "dateTime = %q; want 2024-05-14 09:03:02", got)
}
