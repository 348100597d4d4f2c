#!/usr/bin/env bash
# bench/run.sh — the README's speed figures (section "Speed"), side by side,
# in one run on one machine: our mock (cmd/passfort-mock) against a bare
# net/http server returning the same bytes (bench/bare, the yardstick) and
# against Prism's mock of our spec, under wrk; start-up to the first 200 and
# idle RSS (bench/probe); memory holding 100,000 profiles (bench/memory); and
# `specmatic test` against our own suite's time to verdict (hyperfine). Writes
# bench/results/results.md.
#
# Usage: bench/run.sh [all|quick]      quick: our mock and the bare server only
# Environment: DURATION (wrk, default 10s), THREADS (2), CONNECTIONS (50),
#              STARTS (start-up samples, 5), RUNS (hyperfine runs, 3),
#              PORT_BASE (8180), SPINS (CPU the bare server burns per create
#              in the latency-floor rows, "10us 20us 30us").
# Everything listens on 127.0.0.1 only; every load is bounded in time.
set -euo pipefail

MODE=${1:-all}
case "$MODE" in all|quick) ;; *) echo "usage: bench/run.sh [all|quick]" >&2; exit 2 ;; esac
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
OUT=bench/results
BIN=$OUT/bin
NPM=bench/.npm
DURATION=${DURATION:-10s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-50}
STARTS=${STARTS:-5}
RUNS=${RUNS:-3}
PORT_BASE=${PORT_BASE:-8180}
SPINS=${SPINS:-10us 20us 30us}
KEY=local-mock-key
HOST=127.0.0.1
mkdir -p "$OUT" "$BIN"
TSV=$OUT/raw.tsv
: > "$TSV"
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

log() { printf '== %s\n' "$*" >&2; }

# --- tools -------------------------------------------------------------------
need_apt() {
	local missing=()
	for t in "$@"; do command -v "$t" >/dev/null || missing+=("$t"); done
	if ((${#missing[@]})); then
		log "installing ${missing[*]} (apt)"
		apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
	fi
}
need_apt wrk curl
if [[ $MODE == all ]]; then
	need_apt hyperfine
	command -v java >/dev/null || { echo "bench: specmatic needs java on the PATH" >&2; exit 1; }
	if [[ ! -x $NPM/node_modules/.bin/prism || ! -x $NPM/node_modules/.bin/specmatic ]]; then
		log "installing @stoplight/prism-cli and specmatic (npm, into $NPM)"
		npm view @stoplight/prism-cli version >/dev/null && npm view specmatic version >/dev/null
		npm install --prefix "$NPM" --no-audit --no-fund @stoplight/prism-cli specmatic >/dev/null
	fi
fi

log "building"
go build -o "$BIN/passfort-mock" ./cmd/passfort-mock
go build -o "$BIN/bare" ./bench/bare
go build -o "$BIN/probe" ./bench/probe
go build -o "$BIN/memory" ./bench/memory

# --- helpers -----------------------------------------------------------------
# start NAME URL CMD...: run CMD in the background, wait for a 200 from URL.
start() {
	local name=$1 url=$2
	shift 2
	"$@" >"$OUT/$name.log" 2>&1 &
	PIDS+=($!)
	LAST_PID=$!
	for _ in $(seq 1 600); do
		if [[ $(curl -s -o /dev/null -w '%{http_code}' -H "apikey: $KEY" "$url") == 200 ]]; then return 0; fi
		sleep 0.05
	done
	echo "bench: $name did not answer 200 at $url within 30 s (log: $OUT/$name.log)" >&2
	exit 1
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

rss_kb() { "$BIN/probe" rss "$1" | sed 's/rss_kb=//'; }

# load NAME KIND URL SCRIPT ARGS...: one wrk run; records rate, p99 (ms), non-2xx.
load() {
	local name=$1 kind=$2 url=$3 script=$4
	shift 4
	local out="$OUT/wrk-$name-$kind.txt"
	wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$script" "$url" -- "$@" >"$out" 2>&1
	local rate p99 bad
	rate=$(awk '/^Requests\/sec:/ {print $2}' "$out")
	p99=$(awk '$1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; print v}' "$out")
	bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
	printf '%s\t%s\trate\t%s\n%s\t%s\tp99_ms\t%s\n%s\t%s\tnon2xx\t%s\n' \
		"$name" "$kind" "${rate:-0}" "$name" "$kind" "${p99:-0}" "$name" "$kind" "${bad:-0}" >>"$TSV"
	log "$name $kind: ${rate:-?} req/s, p99 ${p99:-?} ms, non-2xx ${bad:-0}"
}

record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$TSV"; }

# startup NAME URL CMD...: STARTS fresh starts; median start-up and idle RSS.
startup() {
	local name=$1 url=$2
	shift 2
	local ms=() kb=()
	for _ in $(seq 1 "$STARTS"); do
		local line
		line=$("$BIN/probe" start -url "$url" -header "apikey: $KEY" -idle 1s -timeout 60s -- "$@")
		ms+=("$(sed -E 's/.*startup_ms=([0-9.]+).*/\1/' <<<"$line")")
		kb+=("$(sed -E 's/.*rss_kb=([0-9]+).*/\1/' <<<"$line")")
	done
	record "$name" start startup_ms "$(printf '%s\n' "${ms[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
	record "$name" start idle_rss_kb "$(printf '%s\n' "${kb[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
}

CREATE_BODY='{"role":"INDIVIDUAL_CUSTOMER","collected_data":{"entity_type":"INDIVIDUAL","personal_details":{"name":{"given_names":["Ada"],"family_name":"Lovelace"},"dob":"1990-12-10","nationality":"GBR"}},"applications":[{"product":{"alias":"forexo_basic"}}]}'

# create_app BASE: creates a profile with one application; prints "PROFILE APP"
# and leaves the created profile's body in $OUT/post.json.
create_app() {
	curl -s -H "apikey: $KEY" -H 'Content-Type: application/json' -d "$CREATE_BODY" "$1/profiles" >"$OUT/post.json"
	sed -E 's/^\{"id":"([^"]+)".*"applications":\[\{"id":"([^"]+)".*/\1 \2/' "$OUT/post.json"
}

# --- our mock ------------------------------------------------------------------
P=$PORT_BASE
MOCK_URL=http://$HOST:$P
log "our mock (cmd/passfort-mock -quiet: validation and lifecycle on, request logging off)"
start ours "$MOCK_URL/4.0/whoami" "$BIN/passfort-mock" -quiet -max-profiles 0 -max-stored-bytes 0 -addr "$HOST:$P"
read -r PROFILE APP < <(create_app "$MOCK_URL/4.0")
sleep 0.2 # past the 50 ms automation delay: the application is settled
APP_PATH=/4.0/profiles/$PROFILE/applications/$APP
curl -s -H "apikey: $KEY" "$MOCK_URL$APP_PATH" >"$OUT/get.json"
grep -q '"flag"' "$OUT/get.json" || { echo "bench: GET application failed: $(cat "$OUT/get.json")" >&2; exit 1; }
record ours info get_bytes "$(wc -c <"$OUT/get.json")"
record ours info post_bytes "$(wc -c <"$OUT/post.json")"
load ours get "$MOCK_URL" bench/wrk/get.lua "$APP_PATH" "$KEY"
load ours create "$MOCK_URL" bench/wrk/create.lua "$KEY" /4.0
record ours load loaded_rss_kb "$(rss_kb "$LAST_PID")"
stop "$LAST_PID"

# --- bare net/http ---------------------------------------------------------------
P=$((PORT_BASE + 1))
BARE_URL=http://$HOST:$P
log "bare net/http (same bytes)"
start bare "$BARE_URL/" "$BIN/bare" -addr "$HOST:$P" -get "$OUT/get.json" -post "$OUT/post.json"
load bare get "$BARE_URL" bench/wrk/get.lua "$APP_PATH" "$KEY"
load bare create "$BARE_URL" bench/wrk/create.lua "$KEY" /4.0
record bare load loaded_rss_kb "$(rss_kb "$LAST_PID")"
stop "$LAST_PID"

# --- the machine's latency at a given rate ------------------------------------------
# The bare server burning SPINS of CPU per create, and nothing else (no
# allocation, lock or GC): the p99 this machine gives wrk at that rate,
# whatever the server does. Read ours against the row of the same rate.
for spin in $SPINS; do
	start "spin-$spin" "$BARE_URL/" "$BIN/bare" -addr "$HOST:$P" -post "$OUT/post.json" -spin "$spin"
	load "spin-$spin" create "$BARE_URL" bench/wrk/create.lua "$KEY" /4.0
	stop "$LAST_PID"
done

log "start-up and idle RSS ($STARTS starts each)"
P=$((PORT_BASE + 2))
startup ours "http://$HOST:$P/4.0/whoami" "$BIN/passfort-mock" -quiet -addr "$HOST:$P"
startup bare "http://$HOST:$P/" "$BIN/bare" -addr "$HOST:$P"

log "memory: 100,000 profiles"
MEM=$("$BIN/memory" -n 100000)
for kv in $MEM; do record ours memory "${kv%%=*}" "${kv#*=}"; done

if [[ $MODE == all ]]; then
	# --- Prism ---------------------------------------------------------------------
	P=$((PORT_BASE + 3))
	PRISM_URL=http://$HOST:$P
	PRISM=(node "$NPM/node_modules/@stoplight/prism-cli/dist/index.js" mock -h "$HOST" -p "$P" --errors=false -v silent spec/passfort-4.0.yaml)
	[[ -f ${PRISM[1]} ]] || PRISM=("$NPM/node_modules/.bin/prism" "${PRISM[@]:2}")
	log "Prism's mock of our spec (logging off)"
	start prism "$PRISM_URL/whoami" "${PRISM[@]}"
	load prism get "$PRISM_URL" bench/wrk/get.lua "${APP_PATH#/4.0}" "$KEY"
	load prism create "$PRISM_URL" bench/wrk/create.lua "$KEY" ""
	record prism load loaded_rss_kb "$(rss_kb "$LAST_PID")"
	stop "$LAST_PID"
	startup prism "$PRISM_URL/whoami" "${PRISM[@]}"

	# --- time to verdict: specmatic test vs our suite ---------------------------------
	log "time to verdict: specmatic test and our suite against cmd/passfort-mock ($RUNS runs each)"
	go test -c -o "$BIN/harness.test" .
	P=$((PORT_BASE + 4))
	start verdict-mock "http://$HOST:$P/4.0/whoami" "$BIN/passfort-mock" -quiet -addr "$HOST:$P"
	VERDICT_PID=$LAST_PID
	SPECMATIC_DIR=$(mktemp -d)
	# Specmatic reads the API key from an environment variable named after the
	# spec's security scheme (apikey).
	hyperfine --runs "$RUNS" --ignore-failure --export-json "$OUT/verdict.json" \
		-n specmatic "cd $SPECMATIC_DIR && apikey=$KEY $ROOT/$NPM/node_modules/.bin/specmatic test $ROOT/spec/passfort-4.0.yaml --lenient --testBaseURL=http://$HOST:$P/4.0 >$ROOT/$OUT/specmatic.log 2>&1" \
		-n suite-mock "PASSFORT_BASE_URL=http://$HOST:$P/4.0 PASSFORT_API_KEY=$KEY PASSFORT_REPORTS=$SPECMATIC_DIR/reports $ROOT/$BIN/harness.test -test.count=1 >$ROOT/$OUT/suite-mock.log 2>&1" \
		-n suite-embedded "PASSFORT_REPORTS=$SPECMATIC_DIR/reports $ROOT/$BIN/harness.test -test.count=1 >$ROOT/$OUT/suite-embedded.log 2>&1" \
		>"$OUT/hyperfine.txt" 2>&1
	stop "$VERDICT_PID"
	rm -rf "$SPECMATIC_DIR"
	for n in specmatic suite-mock suite-embedded; do
		record "$n" verdict median_s "$(python3 -c "import json,sys; r=[x for x in json.load(open('$OUT/verdict.json'))['results'] if x['command']=='$n'][0]; print('%.2f' % r['median'])")"
	done
	record specmatic verdict tests "$(grep -o 'Tests run: [0-9]*, Successes: [0-9]*, Failures: [0-9]*' "$OUT/specmatic.log" | tail -1 | tr -d ',' | awk '{print $3"/"$5"/"$7}')"
	record suite-mock verdict scenarios "$(grep -Eo '[0-9]+ scenarios \([^)]*\)' "$OUT/suite-mock.log" | tail -1)"
	record suite-embedded verdict scenarios "$(grep -Eo '[0-9]+ scenarios \([^)]*\)' "$OUT/suite-embedded.log" | tail -1)"
fi

# --- the table ------------------------------------------------------------------------
MACHINE="load average $(cut -d" " -f1-3 /proc/loadavg) at the end; $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(awk '/^MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(go version | awk '{print $3}'), $(uname -sr)"
python3 - "$TSV" "$MACHINE" "$DURATION" "$THREADS" "$CONNECTIONS" >"$OUT/results.md" <<'PY'
import sys
tsv, machine, dur, threads, conns = sys.argv[1:]
v = {}
for line in open(tsv):
    name, kind, key, val = line.rstrip("\n").split("\t")
    v[(name, kind, key)] = val
def f(name, kind, key):
    try: return float(v[(name, kind, key)])
    except (KeyError, ValueError): return None
def fmt(x, d=0):
    return "—" if x is None else f"{x:,.{d}f}"
def ratio(a, b):
    return "—" if a is None or b in (None, 0) else f"{a / b:.2f}×"
print(f"Machine: {machine}. wrk -t{threads} -c{conns} -d{dur}, one run, all servers on 127.0.0.1.\n")
print("| measure | ours | bare net/http | ours ÷ bare | Prism (logging off) | ours ÷ Prism |")
print("|---|---:|---:|---:|---:|---:|")
for kind, label in (("get", "GET application, req/s"), ("create", "POST /profiles (one application), req/s")):
    o, b, p = f("ours", kind, "rate"), f("bare", kind, "rate"), f("prism", kind, "rate")
    print(f"| {label} | {fmt(o)} | {fmt(b)} | {ratio(o, b)} | {fmt(p)} | {ratio(o, p)} |")
    o, b, p = f("ours", kind, "p99_ms"), f("bare", kind, "p99_ms"), f("prism", kind, "p99_ms")
    print(f"| {kind} p99 latency, ms | {fmt(o, 2)} | {fmt(b, 2)} | | {fmt(p, 2)} | |")
    o, p = f("ours", kind, "non2xx"), f("prism", kind, "non2xx")
    print(f"| {kind} non-2xx answers | {fmt(o)} | {fmt(f('bare', kind, 'non2xx'))} | | {fmt(p)} | |")
o, b, p = f("ours", "start", "startup_ms"), f("bare", "start", "startup_ms"), f("prism", "start", "startup_ms")
print(f"| start-up to first 200, ms (median) | {fmt(o, 1)} | {fmt(b, 1)} | | {fmt(p, 1)} | {ratio(p, o).replace('×', '× faster') if o and p else '—'} |")
o, b, p = f("ours", "start", "idle_rss_kb"), f("bare", "start", "idle_rss_kb"), f("prism", "start", "idle_rss_kb")
print(f"| idle RSS, MB | {fmt(o and o/1024, 1)} | {fmt(b and b/1024, 1)} | | {fmt(p and p/1024, 1)} | {ratio(o, p)} |")
o, b, p = f("ours", "load", "loaded_rss_kb"), f("bare", "load", "loaded_rss_kb"), f("prism", "load", "loaded_rss_kb")
print(f"| RSS after the load runs, MB | {fmt(o and o/1024, 1)} | {fmt(b and b/1024, 1)} | | {fmt(p and p/1024, 1)} | {ratio(o, p)} |")
spins = sorted({n[len("spin-"):] for (n, _, _) in v if n.startswith("spin-")}, key=lambda s: float(s.rstrip("usm")))
if spins:
    print()
    print("The machine's latency at a given rate: the bare server burning CPU per create and doing nothing else.\n")
    print("| server | creates, req/s | p99, ms |")
    print("|---|---:|---:|")
    print(f"| ours | {fmt(f('ours', 'create', 'rate'))} | {fmt(f('ours', 'create', 'p99_ms'), 2)} |")
    for s in spins:
        print(f"| bare, {s} of CPU per create | {fmt(f('spin-' + s, 'create', 'rate'))} | {fmt(f('spin-' + s, 'create', 'p99_ms'), 2)} |")
print()
m = lambda k: f("ours", "memory", k)
print(f"Memory holding {fmt(m('profiles'))} profiles of one application each (bench/memory): live heap {fmt(m('heap_after_mb'), 1)} MB "
      f"({fmt(m('bytes_per_profile'))} bytes per profile), RSS {fmt(m('rss_after_mb'), 1)} MB.")
print(f"Response sizes: GET application {v.get(('ours','info','get_bytes'),'?')} bytes, created profile {v.get(('ours','info','post_bytes'),'?')} bytes.")
if ("specmatic", "verdict", "median_s") in v:
    print()
    print("| time to verdict (hyperfine, median) | seconds | what ran |")
    print("|---|---:|---|")
    t = v.get(("specmatic", "verdict", "tests"), "?/?/?").split("/")
    sm = f("specmatic", "verdict", "median_s")
    print(f"| `specmatic test` on our spec against cmd/passfort-mock | {fmt(sm, 2)} | {t[0]} tests, {t[1] if len(t) > 1 else '?'} passed |")
    for n, what in (("suite-mock", "our suite against cmd/passfort-mock"), ("suite-embedded", "our suite against the embedded mock")):
        s = f(n, "verdict", "median_s")
        print(f"| {what} (compiled test binary) | {fmt(s, 2)} | {v.get((n, 'verdict', 'scenarios'), '?')}; specmatic ÷ ours {ratio(sm, s)} |")
PY
cat "$OUT/results.md"
