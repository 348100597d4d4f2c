# Sourced by the Makefile's standalone, leak-canary and screenshots recipes (and by
# startmock_test.go), not run: start_mock must set its EXIT trap and, on
# failure, exit in the recipe's own shell so that the recipe stops there.

# listening ADDR succeeds when something accepts TCP connections on ADDR
# (host:port), using bash's /dev/tcp so that no other tool is needed.
listening() {
  (echo >"/dev/tcp/${1%:*}/${1##*:}") 2>/dev/null
}

# start_mock ADDR [FLAG...] builds cmd/passfort-mock into bin/, starts it on
# ADDR with -quiet and FLAGs, and returns once it accepts connections. The
# mock is killed when the calling shell exits. It exits the calling shell
# with status 1 and one line on stderr when ADDR is already taken, when the
# mock exits before listening, or when it is not listening after 5 s: a
# suite run against whatever else holds the port would prove nothing.
start_mock() {
  local addr=$1
  shift
  "${GO:-go}" build -o bin/passfort-mock ./cmd/passfort-mock || exit 1
  if listening "$addr"; then
    echo "start_mock: $addr is already in use; stop what listens there or choose another address" >&2
    exit 1
  fi
  bin/passfort-mock -addr "$addr" -quiet "$@" &
  mock_pid=$!
  trap 'kill "$mock_pid" 2>/dev/null' EXIT
  local i
  for i in $(seq 100); do
    listening "$addr" && return 0
    if ! kill -0 "$mock_pid" 2>/dev/null; then
      echo "start_mock: passfort-mock exited before listening on $addr" >&2
      exit 1
    fi
    sleep 0.05
  done
  echo "start_mock: passfort-mock not listening on $addr after 5 s" >&2
  exit 1
}
