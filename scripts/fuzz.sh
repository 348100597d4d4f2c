# Sourced by the Makefile's fuzz recipe (and by fuzz_test.go), not run.

# fuzz_target PKG NAME FUZZTIME MINIMIZETIME fuzzes NAME in PKG for
# FUZZTIME. It fails when go test fails, with one exception, retried once:
# Go 1.26's fuzzing coordinator can report "context deadline exceeded" as a
# failure when -fuzztime runs out while a starved worker is still busy
# (go.dev/issue/75804, fixed in Go 1.27). That failure names no input and
# writes none, so it is told apart from a finding by both: a run that wrote
# a reproducer, or failed any other way, fails at once; a second bare
# deadline fails too.
fuzz_target() {
  local pkg=$1 name=$2 fuzztime=$3 mintime=$4 attempt out code
  for attempt in 1 2; do
    echo "== $name ($pkg), $fuzztime"
    out=$(mktemp)
    set +e
    "${GO:-go}" test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" -fuzzminimizetime "$mintime" "$pkg" 2>&1 | tee "$out"
    code=${PIPESTATUS[0]}
    set -e
    if [ "$code" -eq 0 ]; then
      rm -f "$out"
      return 0
    fi
    if [ "$attempt" -eq 1 ] && fuzz_deadline_only "$name" "$out"; then
      echo "fuzz: $name: Go's coordinator reported its own -fuzztime deadline with no input (go.dev/issue/75804); running it once more"
      rm -f "$out"
      continue
    fi
    rm -f "$out"
    echo "fuzz: $name failed (go test exit $code)" >&2
    return 1
  done
}

# fuzz_deadline_only NAME OUTFILE succeeds when go test's output in OUTFILE
# fails NAME only with the coordinator's "context deadline exceeded": no
# input written, no other failure line.
fuzz_deadline_only() {
  local name=$1 out=$2
  grep -q "^--- FAIL: $name " "$out" || return 1
  grep -q -i "failing input written" "$out" && return 1
  # The lines between "--- FAIL" and the final FAIL are the failure's
  # message; it must be the deadline and nothing else.
  [ "$(sed -n "/^--- FAIL: $name /,/^FAIL\$/p" "$out" | sed '1d;$d' | grep -v '^exit status' | sed 's/^[[:space:]]*//' | grep -v '^$')" = "context deadline exceeded" ]
}
