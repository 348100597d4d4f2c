// Command bare is the yardstick of the README's speed comparison (section
// "Speed", our mock against a bare net/http server): a net/http server that
// answers every GET and every POST with fixed bytes, doing no work beyond
// reading the request. bench/run.sh starts it with the bytes the
// mock answered (a settled application for GET, a created profile for POST),
// so both servers put the same bytes on the wire.
//
// With -spin it also burns that much CPU per request before answering: a
// server whose only cost is CPU, with no allocation, lock or GC. bench/run.sh
// uses it to show the latency this machine gives at a given request rate,
// whatever the server does.
//
// Usage:
//
//	bare [-addr 127.0.0.1:8090] [-get FILE] [-post FILE] [-spin DURATION]
//
// It prints its base URL on start and stops on SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("bare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8090", "address to listen on")
	getFile := fs.String("get", "", "file whose bytes answer every GET (default: a small JSON object)")
	postFile := fs.String("post", "", "file whose bytes answer every POST (default: the GET bytes)")
	spin := fs.Duration("spin", 0, "burn this much CPU per request before answering")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	getBody := []byte(`{"status":"APPLIED"}` + "\n")
	if *getFile != "" {
		b, err := os.ReadFile(*getFile)
		if err != nil {
			fmt.Fprintf(stderr, "bare: -get: %v\n", err)
			return 2
		}
		getBody = b
	}
	postBody := getBody
	if *postFile != "" {
		b, err := os.ReadFile(*postFile)
		if err != nil {
			fmt.Fprintf(stderr, "bare: -post: %v\n", err)
			return 2
		}
		postBody = b
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(stderr, "bare: -addr: %v\n", err)
		return 2
	}
	if *spin < 0 {
		fmt.Fprintf(stderr, "bare: -spin: got %v, want 0 or more\n", *spin)
		return 2
	}
	hs := &http.Server{Handler: handler(getBody, postBody, *spin), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "bare listening on http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		fmt.Fprintf(stderr, "bare: %v\n", err)
		return 1
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		fmt.Fprintf(stderr, "bare: shutdown: %v\n", err)
		return 1
	}
	return 0
}

// handler answers GET with getBody and POST (after reading the request body)
// with postBody, after spinning for spin; other methods get 405.
func handler(getBody, postBody []byte, spin time.Duration) http.Handler {
	getLen, postLen := strconv.Itoa(len(getBody)), strconv.Itoa(len(postBody))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if spin > 0 {
			for start := time.Now(); time.Since(start) < spin; {
			}
		}
		body, n := getBody, getLen
		switch r.Method {
		case http.MethodGet:
		case http.MethodPost:
			if _, err := io.Copy(io.Discard, r.Body); err != nil {
				http.Error(w, "cannot read the body", http.StatusBadRequest)
				return
			}
			body, n = postBody, postLen
		default:
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Content-Length", n)
		_, _ = w.Write(body)
	})
}
