// Command stepdoc writes the step vocabulary into README.md (make docs), so
// the documented steps are always the defined ones.
//
// Usage: stepdoc [-check] README.md
//
// With -check it changes nothing and exits 1 when the README is stale.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/passfort-conformance/harness/steps"
)

func main() {
	check := flag.Bool("check", false, "exit 1 if the README's vocabulary is stale instead of writing it")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: stepdoc [-check] README.md")
		os.Exit(2)
	}
	path := flag.Arg(0)
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "stepdoc:", err)
		os.Exit(2)
	}
	out, err := steps.SpliceVocabulary(string(data))
	if err != nil {
		fmt.Fprintln(os.Stderr, "stepdoc:", err)
		os.Exit(2)
	}
	if *check {
		if out != string(data) {
			fmt.Fprintf(os.Stderr, "stepdoc: %s: the step vocabulary is stale; run make docs\n", path)
			os.Exit(1)
		}
		return
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "stepdoc:", err)
		os.Exit(2)
	}
}
