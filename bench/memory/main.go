// Command memory measures what the mock holds per profile: it fills one
// mock (internal/mock, request validation and the lifecycle on, as in
// cmd/passfort-mock) with N profiles of one product application each,
// through its HTTP handler, and prints the live heap and the process's
// resident memory before and after, and the bytes per profile.
//
// Usage:
//
//	memory [-n 100000]
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/passfort-conformance/harness/internal/mock"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("memory", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 100000, "profiles to create")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *n <= 0 {
		fmt.Fprintf(stderr, "memory: -n: got %d, want 1 or more\n", *n)
		return 2
	}
	// The store's limits are off (decision D82): the figure is what N
	// profiles cost, whatever a shared mock's defaults allow.
	srv, err := mock.New(mock.Options{MaxProfiles: -1, MaxStoredBytes: -1})
	if err != nil {
		fmt.Fprintf(stderr, "memory: %v\n", err)
		return 1
	}
	heap0, rss0 := measure()
	w := &sink{h: http.Header{}}
	for i := 0; i < *n; i++ {
		body := fmt.Sprintf(`{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL","customer_ref":"mem-%d",`+
			`"personal_details":{"name":{"given_names":["Ada"],"family_name":"Lovelace%d"},"dob":"1990-12-10","nationality":"GBR"}},`+
			`"applications":[{"product":{"alias":"forexo_basic"}}]}`, i, i)
		req := httptest.NewRequest(http.MethodPost, "/4.0/profiles", strings.NewReader(body))
		req.Header.Set("apikey", mock.DefaultAPIKey)
		req.Header.Set("Content-Type", "application/json")
		w.status = 0
		srv.ServeHTTP(w, req)
		if w.status != http.StatusOK {
			fmt.Fprintf(stderr, "memory: profile %d: got status %d, want 200\n", i, w.status)
			return 1
		}
	}
	heap1, rss1 := measure()
	runtime.KeepAlive(srv)
	per := float64(heap1-heap0) / float64(*n)
	fmt.Fprintf(stdout, "profiles=%d heap_before_mb=%.1f heap_after_mb=%.1f rss_before_mb=%.1f rss_after_mb=%.1f bytes_per_profile=%.0f\n",
		*n, mb(heap0), mb(heap1), mb(rss0), mb(rss1), per)
	return 0
}

// measure collects garbage and returns the live heap and VmRSS, in bytes.
func measure() (heap, rss uint64) {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc, vmRSS()
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

// vmRSS reads the process's resident memory from /proc/self/status (0 if unknown).
func vmRSS() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			if fields := strings.Fields(rest); len(fields) > 0 {
				kb, err := strconv.ParseUint(fields[0], 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	return 0
}

// sink is a ResponseWriter that keeps only the status.
type sink struct {
	h      http.Header
	status int
}

func (s *sink) Header() http.Header { return s.h }
func (s *sink) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return len(b), nil
}
func (s *sink) WriteHeader(status int) { s.status = status }
