// Command probe measures a server for bench/run.sh: how long after it is
// started it first answers 200, and its resident memory (VmRSS of the process
// and its descendants, from /proc).
//
// Usage:
//
//	probe start [-url URL] [-header 'name: value'] [-idle 1s] [-timeout 60s] -- command [args...]
//	probe rss PID
//
// start runs the command, polls the URL every millisecond until a 200,
// waits -idle, reads the memory, stops the command (SIGTERM, then SIGKILL
// after 5 s) and prints one line: "startup_ms=12.3 rss_kb=10240". rss prints
// "rss_kb=N" for a running process tree. Linux only (it reads /proc).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: probe start [flags] -- command [args...] | probe rss PID")
		return 2
	}
	switch args[0] {
	case "rss":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "probe rss: want one PID")
			return 2
		}
		pid, err := strconv.Atoi(args[1])
		if err != nil || pid <= 0 {
			fmt.Fprintf(stderr, "probe rss: got %q, want a process id\n", args[1])
			return 2
		}
		kb, err := treeRSS("/proc", pid)
		if err != nil {
			fmt.Fprintf(stderr, "probe rss: %v\n", err)
			return 1
		}
		fmt.Fprintf(stdout, "rss_kb=%d\n", kb)
		return 0
	case "start":
		return start(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "probe: got subcommand %q, want start or rss\n", args[0])
	return 2
}

func start(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("probe start", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", "http://127.0.0.1:8080/4.0/whoami", "URL polled until it answers 200")
	header := fs.String("header", "", "a request header, 'name: value'")
	idle := fs.Duration("idle", time.Second, "how long to wait after the first 200 before reading memory")
	timeout := fs.Duration("timeout", 60*time.Second, "give up if no 200 comes within this time")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "probe start: want a command after --")
		return 2
	}
	req, err := http.NewRequest(http.MethodGet, *url, nil)
	if err != nil {
		fmt.Fprintf(stderr, "probe start: -url: %v\n", err)
		return 2
	}
	if *header != "" {
		k, v, ok := strings.Cut(*header, ":")
		if !ok {
			fmt.Fprintf(stderr, "probe start: -header: got %q, want 'name: value'\n", *header)
			return 2
		}
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	began := time.Now()
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "probe start: %v\n", err)
		return 1
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer stop(cmd, exited)

	client := &http.Client{Timeout: time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	up, err := poll(ctx, client, req, exited)
	if err != nil {
		fmt.Fprintf(stderr, "probe start: %v\n", err)
		return 1
	}
	startup := up.Sub(began)
	time.Sleep(*idle)
	kb, err := treeRSS("/proc", cmd.Process.Pid)
	if err != nil {
		fmt.Fprintf(stderr, "probe start: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "startup_ms=%.1f rss_kb=%d\n", float64(startup.Microseconds())/1000, kb)
	return 0
}

// poll sends req every millisecond until a 200, the command's exit or ctx's end.
func poll(ctx context.Context, client *http.Client, req *http.Request, exited <-chan error) (time.Time, error) {
	for {
		resp, err := client.Do(req.WithContext(ctx))
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Now(), nil
			}
		}
		select {
		case err := <-exited:
			return time.Time{}, fmt.Errorf("the command exited before answering 200: %v", err)
		case <-ctx.Done():
			return time.Time{}, fmt.Errorf("no 200 from %s: %w", req.URL, ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
}

// stop ends the command's process group: SIGTERM, then SIGKILL after 5 s.
func stop(cmd *exec.Cmd, exited <-chan error) {
	pgid := -cmd.Process.Pid
	_ = syscall.Kill(pgid, syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(pgid, syscall.SIGKILL)
		<-exited
	}
}

// treeRSS sums VmRSS (kB) of pid and every descendant found under procDir.
func treeRSS(procDir string, pid int) (int64, error) {
	children := map[int][]int{}
	entries, err := os.ReadDir(procDir)
	if err != nil {
		return 0, fmt.Errorf("rss: %w", err)
	}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if pp, err := parentOf(filepath.Join(procDir, e.Name(), "stat")); err == nil {
			children[pp] = append(children[pp], p)
		}
	}
	var total int64
	seen := 0
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		kb, err := vmRSS(filepath.Join(procDir, strconv.Itoa(p), "status"))
		if err != nil {
			if p == pid {
				return 0, err
			}
			continue // a child that exited meanwhile
		}
		total += kb
		seen++
		queue = append(queue, children[p]...)
	}
	return total, nil
}

// parentOf reads the parent pid from a /proc/PID/stat file; the command name
// in parentheses may hold spaces, so fields are counted after the last ')'.
func parentOf(statFile string) (int, error) {
	b, err := os.ReadFile(statFile)
	if err != nil {
		return 0, err
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("%s: got no ')', want the comm field", statFile)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0, fmt.Errorf("%s: got %d fields after comm, want at least 2", statFile, len(f))
	}
	return strconv.Atoi(f[1])
}

// vmRSS reads the VmRSS line (kB) of a /proc/PID/status file.
func vmRSS(statusFile string) (int64, error) {
	f, err := os.Open(statusFile)
	if err != nil {
		return 0, fmt.Errorf("rss: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			f := strings.Fields(rest)
			if len(f) == 0 {
				break
			}
			return strconv.ParseInt(f[0], 10, 64)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("rss: %s: %w", statusFile, err)
	}
	return 0, errors.New("rss: " + statusFile + ": got no VmRSS line, want one")
}
