package target

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/passfort-conformance/harness/internal/finding"
)

func TestInProcess(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		switch {
		case err != nil:
			http.Error(w, err.Error(), 500)
			return
		case r.RequestURI != "/4.0/profiles/p1/applications?x=1%202":
			http.Error(w, "request uri "+r.RequestURI, 400)
			return
		case r.URL.Path != "/4.0/profiles/p1/applications":
			http.Error(w, "path "+r.URL.Path, 400)
			return
		case string(body) != `{"product":{"alias":"forexo_basic"}}`:
			http.Error(w, "body "+string(body), 400)
			return
		case r.Header.Get("apikey") != testKey || r.Header.Get("Content-Type") != "application/json":
			http.Error(w, "headers", 401)
			return
		case r.Host != "mock" || r.RemoteAddr == "":
			http.Error(w, "host "+r.Host+" remote "+r.RemoteAddr, 400)
			return
		}
		if _, ok := r.Context().Deadline(); !ok {
			http.Error(w, "no deadline: the client timeout must reach the handler", 500)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(201)
		fmt.Fprintf(w, `{"id":"a1","method":%q}`, r.Method)
	})
	c, err := New(Config{BaseURL: "http://mock/4.0", APIKey: testKey, Transport: InProcess(h)})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.Do(context.Background(), Request{Method: "POST", Path: "/profiles/p1/applications?x=1%202",
		Body: []byte(`{"product":{"alias":"forexo_basic"}}`)})
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if ex.Status != 201 || string(ex.ResponseBody) != `{"id":"a1","method":"POST"}` {
		t.Errorf("exchange %d %s; want 201 and the handler's body", ex.Status, ex.ResponseBody)
	}
}

func TestInProcessCancelled(t *testing.T) {
	called := false
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true })
	c, err := New(Config{BaseURL: "http://mock/4.0", Transport: InProcess(h)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Do(ctx, Request{Path: "/whoami"})
	if kindOf(t, err) != finding.Timeout || called {
		t.Errorf("Do with a cancelled context = %v, handler called %v; want a timeout and no call", err, called)
	}
}

func TestInProcessGetHasNoBody(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body == nil {
			http.Error(w, "nil body", 500)
			return
		}
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%d", len(b))
	})
	c, err := New(Config{BaseURL: "http://mock/4.0", Transport: InProcess(h), Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ex, err := c.Do(context.Background(), Request{Path: "/whoami"})
	if err != nil || ex.Status != 200 || string(ex.ResponseBody) != "0" {
		t.Errorf("Do = %v, %d %q; want 200 and an empty body seen", err, ex.Status, ex.ResponseBody)
	}
}
