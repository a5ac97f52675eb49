#!/usr/bin/env bash
# Licensed traffic against a flood of wrong keys from another address (issue 10, "a cheap public surface").
#
#   tests/Benchmarks/failed-lookups.sh
#   FLOOD_DURATION=10s FLOOD_MODES=on tests/Benchmarks/failed-lookups.sh
#
# One fake upstream (tests/Benchmarks/FakeUpstream) and Manifold in front of it, as bench.sh runs them. For each mode
# (the limit on, Manifold__Auth__FailedLookupsPerMinute=60; and off, 0), a fresh Manifold and:
#   alone   wrk (bench.sh's load generator and chat.lua) with the licensed key from 127.0.0.1, 16 connections
#   flood   the same wrk run while wrong-key-flood.mjs sends the same request with a new random key each time from
#           127.0.0.2, 16 keep-alive loops (Linux routes all of 127/8 to loopback; the gateway sees two clients)
#   after   wrk alone again: on a busy machine the spread between the two alone runs is the noise to read the rest by
# and reports licensed req/s and p50/p99 both ways, and what the flood got (401s, 429s). Everything on 127.0.0.1/2,
# every run bounded in time. Results go to FLOOD_RESULTS_FILE; the figures are in docs/reliability.md.
#
# Knobs: FLOOD_DURATION (15s), FLOOD_WARMUP (10s), FLOOD_CONNECTIONS (16), FLOOD_LOOPS (16), FLOOD_MODES (on,off),
# FLOOD_SKIP_BUILD=1, FLOOD_RESULTS_FILE (tests/Benchmarks/results/failed-lookups.md).
set -euo pipefail
export LC_ALL=C

BENCH_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$BENCH_DIR/../.." && pwd)
seconds() { local v=${1%s}; [[ $v =~ ^[0-9]+$ && $v -gt 0 ]] || { echo "bad duration '$1'" >&2; exit 1; }; echo "$v"; }
DURATION_S=$(seconds "${FLOOD_DURATION:-15s}")
WARMUP_S=$(seconds "${FLOOD_WARMUP:-10s}")
CONNECTIONS=${FLOOD_CONNECTIONS:-16}
LOOPS=${FLOOD_LOOPS:-16}
MODES=${FLOOD_MODES:-on,off}
RESULTS_FILE=${FLOOD_RESULTS_FILE:-$BENCH_DIR/results/failed-lookups.md}
FAKE_DLL=$BENCH_DIR/FakeUpstream/bin/Release/net10.0/FakeUpstream.dll
MANIFOLD_DLL=$ROOT/runtime/Manifold.Host/bin/Release/net10.0/Manifold.Host.dll
KEY=mf-bench-key
BODY=$BENCH_DIR/request.json

log() { printf '[flood %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[flood] ERROR: %s\n' "$*" >&2; exit 1; }
for tool in wrk curl jq node dotnet; do command -v "$tool" >/dev/null || die "needs $tool (bench.sh installs wrk, curl and jq)"; done

WORK=$(mktemp -d /tmp/manifold-flood.XXXXXX)
PIDS=()
cleanup() {
  local rc=$? pid
  for pid in "${PIDS[@]-}"; do [[ -n $pid ]] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]-}"; do [[ -n $pid ]] && wait "$pid" 2>/dev/null || true; done
  if ((rc == 0)); then rm -rf "$WORK"; else printf '[flood] logs kept in %s\n' "$WORK" >&2; fi
}
trap cleanup EXIT

free_port() { local p; for _ in $(seq 1 200); do p=$((20000 + RANDOM % 40000)); (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }; done; die "no free port"; }
wait_ready() { # pid url
  for _ in $(seq 1 600); do
    kill -0 "$1" 2>/dev/null || die "a server exited during start-up (logs in $WORK)"
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$2" || true) =~ ^[1-5] ]] && return 0
    sleep 0.2
  done
  die "$2 did not answer"
}

if [[ ${FLOOD_SKIP_BUILD:-0} != 1 ]]; then
  log "dotnet build -c Release (fake upstream, Manifold)"
  dotnet build "$BENCH_DIR/FakeUpstream/FakeUpstream.csproj" -c Release --nologo -v quiet --disable-build-servers >"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; die "build failed"; }
  dotnet build "$ROOT/runtime/Manifold.Host/Manifold.Host.csproj" -c Release --nologo -v quiet --disable-build-servers >>"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; die "build failed"; }
fi

UPSTREAM_PORT=$(free_port)
dotnet "$FAKE_DLL" --urls "http://127.0.0.1:$UPSTREAM_PORT" >"$WORK/upstream.log" 2>&1 &
PIDS+=("$!")
wait_ready "$!" "http://127.0.0.1:$UPSTREAM_PORT/v1/models"

declare -A R
# wrk's BENCH_RESULT line (chat.lua) into R[mode.phase.key]
run_wrk() { # mode phase seconds url
  local out="$WORK/wrk-$1-$2.txt" kv
  BENCH_BODY_FILE=$BODY BENCH_HEADERS="Authorization: Bearer $KEY" \
    timeout --kill-after=5 $(($3 + 30)) wrk -t2 "-c$CONNECTIONS" "-d${3}s" --timeout 10s --latency -s "$BENCH_DIR/chat.lua" "$4" >"$out" 2>&1 ||
    { cat "$out" >&2; die "wrk failed ($1/$2)"; }
  [[ $2 == warmup ]] && return 0
  for kv in $(grep '^BENCH_RESULT' "$out" | cut -d' ' -f2-); do R[$1.$2.${kv%%=*}]=${kv#*=}; done
}

IFS=',' read -r -a modes <<<"$MODES"
for mode in "${modes[@]}"; do
  case $mode in on) per_minute=60 ;; off) per_minute=0 ;; *) die "FLOOD_MODES: on, off" ;; esac
  port=$(free_port)
  db="$WORK/manifold-$mode.db"
  log "Manifold on 127.0.0.1:$port, Manifold__Auth__FailedLookupsPerMinute=$per_minute"
  env Manifold__Platforms__bench__Plugin=openai Manifold__Platforms__bench__BaseUrl="http://127.0.0.1:$UPSTREAM_PORT/v1" \
    Manifold__Platforms__bench__Accounts__0__Key=sk-bench Manifold__BootstrapKey=$KEY \
    Manifold__Storage__ConnectionString="Data Source=$db" Manifold__DataPath="$WORK/data-$mode" \
    Manifold__Auth__FailedLookupsPerMinute=$per_minute Logging__LogLevel__Default=Warning \
    dotnet "$MANIFOLD_DLL" --urls "http://127.0.0.1:$port" >"$WORK/manifold-$mode.log" 2>&1 &
  manifold=$!
  PIDS+=("$manifold")
  wait_ready "$manifold" "http://127.0.0.1:$port/healthz"
  url="http://127.0.0.1:$port/bench/v1/chat/completions"
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' --data-binary "@$BODY" "$url")
  [[ $code == 200 ]] || die "the licensed request answered $code"
  code=$(curl -s -o /dev/null -w '%{http_code}' --interface 127.0.0.2 -H "Authorization: Bearer mf-wrong" -H 'Content-Type: application/json' --data-binary "@$BODY" "$url")
  [[ $code == 401 ]] || die "a wrong key from 127.0.0.2 answered $code"

  run_wrk "$mode" warmup "$WARMUP_S" "$url"
  run_wrk "$mode" alone "$DURATION_S" "$url"
  sleep 1
  # The flood starts a second early and ends a second late, so it covers the whole measured run.
  node "$BENCH_DIR/wrong-key-flood.mjs" "$url" "$BODY" $((DURATION_S + 2)) "$LOOPS" 127.0.0.2 >"$WORK/flood-$mode.txt" 2>&1 &
  flood=$!
  sleep 1
  run_wrk "$mode" flood "$DURATION_S" "$url"
  wait "$flood" || { cat "$WORK/flood-$mode.txt" >&2; die "the flood failed"; }
  for kv in $(grep '^FLOOD_RESULT' "$WORK/flood-$mode.txt" | cut -d' ' -f2-); do R[$mode.wrong.${kv%%=*}]=${kv#*=}; done
  sleep 1
  run_wrk "$mode" after "$DURATION_S" "$url"
  kill "$manifold"; wait "$manifold" 2>/dev/null || true
done

ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }
{
  echo "## Failed licence lookups: licensed traffic against a wrong-key flood ($(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  echo "wrk -t2 -c$CONNECTIONS -d${DURATION_S}s with the licensed key from 127.0.0.1; the flood: $LOOPS keep-alive loops, a new random key each request, from 127.0.0.2. Load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| limit | licensed alone: req/s, p50, p99 | licensed with the flood: req/s, p50, p99 | licensed alone after: req/s, p50, p99 | flood: req/s, 401, 429 |"
  echo "| --- | --- | --- | --- | --- |"
  for mode in "${modes[@]}"; do
    printf '| %s | %.0f, %s ms, %s ms | %.0f, %s ms, %s ms | %.0f, %s ms, %s ms | %s, %s, %s |\n' \
      "$([[ $mode == on ]] && echo '60 a minute' || echo off)" \
      "${R[$mode.alone.rps]}" "$(ms "${R[$mode.alone.p50_us]}")" "$(ms "${R[$mode.alone.p99_us]}")" \
      "${R[$mode.flood.rps]}" "$(ms "${R[$mode.flood.p50_us]}")" "$(ms "${R[$mode.flood.p99_us]}")" \
      "${R[$mode.after.rps]}" "$(ms "${R[$mode.after.p50_us]}")" "$(ms "${R[$mode.after.p99_us]}")" \
      "${R[$mode.wrong.rps]}" "${R[$mode.wrong.status_401]}" "${R[$mode.wrong.status_429]}"
  done
} | tee "$RESULTS_FILE"
