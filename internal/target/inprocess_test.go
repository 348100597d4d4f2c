package target

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
	require.NoError(t, err)
	ex, err := c.Do(context.Background(), Request{Method: "POST", Path: "/profiles/p1/applications?x=1%202",
		Body: []byte(`{"product":{"alias":"forexo_basic"}}`)})
	require.NoError(t, err, "Do")
	assert.EqualValues(t, 201, ex.Status)
	assert.Equal(t, `{"id":"a1","method":"POST"}`, string(ex.ResponseBody))
}

func TestInProcessCancelled(t *testing.T) {
	called := false
	h := http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called = true })
	c, err := New(Config{BaseURL: "http://mock/4.0", Transport: InProcess(h)})
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Do(ctx, Request{Path: "/whoami"})
	assert.Equal(t, finding.Timeout, kindOf(t, err))
	assert.False(t, called)
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
	require.NoError(t, err)
	ex, err := c.Do(context.Background(), Request{Path: "/whoami"})
	assert.NoError(t, err)
	assert.EqualValues(t, 200, ex.Status)
	assert.Equal(t, "0", string(ex.ResponseBody))
}
