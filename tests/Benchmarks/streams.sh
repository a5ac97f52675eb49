#!/usr/bin/env bash
# 1,000 concurrent streams through Manifold, in every conversion direction, and the gateway's memory meanwhile.
#
#   tests/Benchmarks/streams.sh                                   # 12 directions, 1,000 streams each, ~10 minutes
#   STREAMS_DIRECTIONS=chat:openai,messages:gemini tests/Benchmarks/streams.sh
#   STREAMS_COUNT=200 STREAMS_EVENTS=20 tests/Benchmarks/streams.sh   # a quick look
#
# A direction is inbound protocol : upstream platform. Inbound: chat (OpenAI Chat Completions), responses (OpenAI
# Responses), messages (Anthropic Messages), gemini (streamGenerateContent?alt=sse). Upstream platforms: openai (the
# openai plugin: Chat Completions, and Responses passed through to /v1/responses), claude (/v1/messages), gemini
# (:streamGenerateContent). chat:openai, responses:openai, messages:claude and gemini:gemini pass through; the
# other eight convert.
#
# For each direction a fresh Manifold (the Release build, started as operators start it, metering on, the licence
# given BENCH_LICENCE_POLICY-style limits) is started on a fresh database, then STREAMS_COUNT streams are opened
# within STREAMS_RAMP_SECONDS and all held open together while the slow fake upstream (tests/Benchmarks/StreamLoad,
# its own process) drips STREAMS_EVENTS events, one every STREAMS_INTERVAL_MS. The client (its own process) reads
# every byte; a stream completes when it came back 200, rebuilt the whole answer's text and ended with its
# protocol's final event. The gateway's VmRSS and VmHWM (/proc/PID/status) are sampled every 250 ms.
#
# Environment knobs (all optional):
#   STREAMS_DIRECTIONS        comma list of inbound:platform (default: all 12)
#   STREAMS_COUNT             concurrent streams per direction (default 1000)
#   STREAMS_EVENTS            text events per stream (default 60)
#   STREAMS_INTERVAL_MS       milliseconds between the upstream's events (default 400; 60 × 400 ms = 24 s a stream)
#   STREAMS_RAMP_SECONDS      the streams open evenly over this many seconds (default 5)
#   STREAMS_BAR_MB            the bar the report checks peak RSS against (default 200)
#   STREAMS_HOST_ENV          extra environment for Manifold, space-separated NAME=value (e.g. DOTNET_GCgen0size=0x2000000),
#                             to compare runtime settings without a rebuild
#   STREAMS_LICENCE_POLICY    the licence policy (JSON) set through the admin API before the run
#   STREAMS_RESULTS_FILE      the markdown report (default tests/Benchmarks/results/streams-latest.md)
#   STREAMS_SKIP_BUILD=1      use the existing Release builds
#   STREAMS_STARTUP_TIMEOUT   seconds Manifold gets to answer (default 60)
set -euo pipefail
export LC_ALL=C

BENCH_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$BENCH_DIR/../.." && pwd)
ALL_DIRECTIONS=chat:openai,chat:claude,chat:gemini,responses:openai,responses:claude,responses:gemini,messages:openai,messages:claude,messages:gemini,gemini:openai,gemini:claude,gemini:gemini
DIRECTIONS=${STREAMS_DIRECTIONS:-$ALL_DIRECTIONS}
COUNT=${STREAMS_COUNT:-1000}
EVENTS=${STREAMS_EVENTS:-60}
INTERVAL_MS=${STREAMS_INTERVAL_MS:-400}
RAMP=${STREAMS_RAMP_SECONDS:-5}
BAR_MB=${STREAMS_BAR_MB:-200}
HOST_ENV=${STREAMS_HOST_ENV:-}
POLICY=${STREAMS_LICENCE_POLICY:-'{"quota":{"requests":1000000000,"tokens":1000000000000},"limits":{"rpm":10000000,"tpm":100000000000,"concurrency":10000}}'}
RESULTS_FILE=${STREAMS_RESULTS_FILE:-$BENCH_DIR/results/streams-latest.md}
SKIP_BUILD=${STREAMS_SKIP_BUILD:-0}
STARTUP_TIMEOUT=${STREAMS_STARTUP_TIMEOUT:-60}
LOAD_DLL=$BENCH_DIR/StreamLoad/bin/Release/net10.0/StreamLoad.dll
MANIFOLD_DLL=$ROOT/runtime/Manifold.Host/bin/Release/net10.0/Manifold.Host.dll
KEY=mf-streams-key
ADMIN_KEY=mf-streams-admin-key

log() { printf '[streams %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[streams] ERROR: %s\n' "$*" >&2; exit 1; }
for n in COUNT EVENTS INTERVAL_MS RAMP BAR_MB; do
  [[ ${!n} =~ ^[0-9]+$ && ${!n} -gt 0 ]] || die "STREAMS_$n must be a positive whole number"
done
command -v jq >/dev/null && command -v curl >/dev/null || die "needs jq and curl (apt-get install jq curl)"
# Each stream holds two sockets in the gateway (client and upstream) and one in each load process.
(($(ulimit -n) > COUNT * 2 + 500)) || ulimit -n $((COUNT * 2 + 1000)) 2>/dev/null ||
  die "ulimit -n is $(ulimit -n); $COUNT streams need about $((COUNT * 2 + 500)) descriptors"

WORK=$(mktemp -d /tmp/manifold-streams.XXXXXX)
PIDS=()
stop_pid() { # pid: TERM, then KILL after 5 s
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$? pid
  for pid in "${PIDS[@]-}"; do [[ -n $pid ]] && stop_pid "$pid"; done
  if ((rc == 0)); then rm -rf "$WORK"; else printf '[streams] logs kept in %s\n' "$WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

USED_PORTS=" "
# Below the kernel's ephemeral range: the load's thousands of client sockets take ports from that range, and one of
# them could take a port between the check here and the server's bind.
read -r EPHEMERAL_LOW _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || EPHEMERAL_LOW=32768
PORT_LOW=10000 PORT_HIGH=$((EPHEMERAL_LOW > 12000 ? EPHEMERAL_LOW : 30000))
free_port() { # VAR
  local p
  for _ in $(seq 1 500); do
    p=$((PORT_LOW + RANDOM % (PORT_HIGH - PORT_LOW)))
    [[ $USED_PORTS == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      USED_PORTS+="$p "
      printf -v "$1" '%s' "$p"
      return 0
    fi
  done
  die "found no free loopback port"
}
wait_ready() { # pid url logfile
  local deadline=$((SECONDS + STARTUP_TIMEOUT)) code
  while :; do
    kill -0 "$1" 2>/dev/null || { tail -n 40 "$3" >&2; die "the process behind $2 exited during start-up"; }
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$2" 2>/dev/null || true)
    [[ $code != 000 && -n $code ]] && return 0
    ((SECONDS < deadline)) || { tail -n 40 "$3" >&2; die "$2 did not answer within ${STARTUP_TIMEOUT}s"; }
    sleep 0.2
  done
}

if [[ $SKIP_BUILD != 1 ]]; then
  for proj in "$BENCH_DIR/StreamLoad/StreamLoad.csproj" "$ROOT/runtime/Manifold.Host/Manifold.Host.csproj"; do
    log "dotnet build -c Release $(basename "$proj")"
    dotnet build "$proj" -c Release --nologo -v quiet --disable-build-servers >"$WORK/build.log" 2>&1 ||
      { grep -E 'error' "$WORK/build.log" | tail -n 40 >&2; die "build failed: $proj"; }
  done
fi
[[ -f $LOAD_DLL && -f $MANIFOLD_DLL ]] || die "missing builds ($LOAD_DLL, $MANIFOLD_DLL); run without STREAMS_SKIP_BUILD"

free_port UP_PORT
log "slow fake upstream on 127.0.0.1:$UP_PORT ($EVENTS events, one every $INTERVAL_MS ms)"
SLOW_EVENTS=$EVENTS SLOW_INTERVAL_MS=$INTERVAL_MS dotnet "$LOAD_DLL" upstream --urls "http://127.0.0.1:$UP_PORT" >"$WORK/upstream.log" 2>&1 &
UP_PID=$!
PIDS+=("$UP_PID")
wait_ready "$UP_PID" "http://127.0.0.1:$UP_PORT/_stats" "$WORK/upstream.log"

RESULTS=()
IFS=',' read -r -a DIRS <<<"$DIRECTIONS"
for dir in "${DIRS[@]}"; do
  inbound=${dir%%:*} platform=${dir##*:}
  [[ $inbound =~ ^(chat|responses|messages|gemini)$ && $platform =~ ^(openai|claude|gemini)$ ]] ||
    die "unknown direction '$dir' (inbound chat|responses|messages|gemini : platform openai|claude|gemini)"
  free_port PORT
  db="$WORK/manifold-$inbound-$platform.db"
  # Every platform on the one slow fake: OpenAI's base URL carries /v1, Anthropic's and Gemini's none (their plugins add it).
  env_list=(
    Manifold__Platforms__openai__Plugin=openai "Manifold__Platforms__openai__BaseUrl=http://127.0.0.1:$UP_PORT/v1" Manifold__Platforms__openai__Accounts__0__Key=sk-slow
    Manifold__Platforms__claude__Plugin=claude "Manifold__Platforms__claude__BaseUrl=http://127.0.0.1:$UP_PORT" Manifold__Platforms__claude__Accounts__0__Key=sk-slow
    Manifold__Platforms__gemini__Plugin=gemini "Manifold__Platforms__gemini__BaseUrl=http://127.0.0.1:$UP_PORT" Manifold__Platforms__gemini__Accounts__0__Key=sk-slow
    Manifold__BootstrapKey=$KEY Manifold__Admin__Key=$ADMIN_KEY
    "Manifold__Storage__ConnectionString=Data Source=$db" "Manifold__DataPath=$WORK/data" Logging__LogLevel__Default=Warning
  )
  # shellcheck disable=SC2206 # word splitting is the point: NAME=value pairs
  [[ -z $HOST_ENV ]] || env_list+=($HOST_ENV)
  mf_log="$WORK/manifold-$inbound-$platform.log"
  for attempt in 1 2 3; do
    log "$inbound→$platform: Manifold on 127.0.0.1:$PORT"
    env "${env_list[@]}" bash -c 'cd "$1" && exec dotnet "$2" --urls "$3"' manifold "$ROOT" "$MANIFOLD_DLL" "http://127.0.0.1:$PORT" \
      >"$mf_log" 2>&1 &
    MF_PID=$!
    PIDS+=("$MF_PID")
    # A port taken between free_port and the bind (rare below the ephemeral range) is retried on another one.
    start_deadline=$((SECONDS + STARTUP_TIMEOUT))
    while ((SECONDS < start_deadline)) && kill -0 "$MF_PID" 2>/dev/null && [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$PORT/" 2>/dev/null || true) == 000 ]]; do
      sleep 0.5
    done
    kill -0 "$MF_PID" 2>/dev/null || ! grep -q 'Address already in use' "$mf_log" || ((attempt == 3)) || { free_port PORT; continue; }
    break
  done
  wait_ready "$MF_PID" "http://127.0.0.1:$PORT/" "$mf_log"
  admin=(-sS --max-time 10 -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json')
  licence=$(curl "${admin[@]}" "http://127.0.0.1:$PORT/admin/api/licences" | jq -r '.data[] | select(.name == "bootstrap") | .id')
  curl "${admin[@]}" -X PATCH --data-binary "$POLICY" "http://127.0.0.1:$PORT/admin/api/licences/$licence" -o "$WORK/policy.json" -w '%{http_code}' |
    grep -qx 200 || { cat "$WORK/policy.json" >&2; die "the licence policy was refused"; }
  # One stream first: the direction works at all, and start-up's one-off work (JIT, pools) is not the load's figure.
  dotnet "$LOAD_DLL" streams --gateway "http://127.0.0.1:$PORT" --key "$KEY" --inbound "$inbound" --platform "$platform" \
    --streams 1 --ramp-seconds 0 --events "$EVENTS" >"$WORK/probe-$inbound-$platform.json" 2>"$WORK/probe-$inbound-$platform.err" || true
  [[ $(jq -r .completed "$WORK/probe-$inbound-$platform.json" 2>/dev/null) == 1 ]] || {
    cat "$WORK/probe-$inbound-$platform.json" "$WORK/probe-$inbound-$platform.err" >&2
    tail -n 40 "$WORK/manifold-$inbound-$platform.log" >&2
    die "$inbound→$platform: a single stream did not complete"
  }
  log "$inbound→$platform: $COUNT streams"
  out="$WORK/result-$inbound-$platform.json"
  timeout --kill-after=10 $((RAMP + EVENTS * INTERVAL_MS / 1000 + 300)) \
    dotnet "$LOAD_DLL" streams --gateway "http://127.0.0.1:$PORT" --key "$KEY" --inbound "$inbound" --platform "$platform" \
    --streams "$COUNT" --ramp-seconds "$RAMP" --events "$EVENTS" --pid "$MF_PID" --out "$out" >/dev/null 2>"$WORK/driver-$inbound-$platform.err" ||
    { cat "$WORK/driver-$inbound-$platform.err" >&2; die "$inbound→$platform: the driver failed"; }
  kill -0 "$MF_PID" 2>/dev/null || { tail -n 40 "$WORK/manifold-$inbound-$platform.log" >&2; die "$inbound→$platform: Manifold died under load"; }
  log "$inbound→$platform: $(jq -c '{completed, failed, failures, peak_open, rss_mb}' "$out")"
  RESULTS+=("$out")
  stop_pid "$MF_PID"
done

# ---------------------------------------------------------------- report

CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || echo unknown)
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo unknown)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no commit')
DIRTY=$(git -C "$ROOT" status --porcelain -- runtime plugins 2>/dev/null | head -c1)
OVER=0 FAILED=0
REPORT="$WORK/report.md"
EXTRA_NOTE=
[[ -z $HOST_ENV ]] || EXTRA_NOTE="Extra environment given to Manifold: \`$HOST_ENV\`."
{
  echo "# $COUNT concurrent streams per direction"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M:%S UTC') by \`tests/Benchmarks/streams.sh\` (commit $COMMIT${DIRTY:+ with local changes}). Each stream: $EVENTS text events, one every $INTERVAL_MS ms; $COUNT streams opened over $RAMP s and held together. $EXTRA_NOTE"
  echo
  echo "| direction | completed | failed | peak open | peak RSS (VmHWM) | steady RSS (median, all open) | RSS before | RSS after | first byte p50 / p99 |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for f in "${RESULTS[@]}"; do
    jq -r '"| \(.direction) | \(.completed) | \(.failed)\(if .failed > 0 then " (" + (.failures | to_entries | map("\(.key): \(.value)") | join(", ")) + ")" else "" end) | \(.peak_open) | \(.rss_mb.peak_hwm) MB | \(.rss_mb.steady_median) MB | \(.rss_mb.before) MB | \(.rss_mb.after) MB | \(.first_byte_ms_p50) / \(.first_byte_ms_p99) ms |"' "$f"
    (($(jq -r '.failed' "$f") == 0)) || FAILED=1
    jq -e --argjson bar "$BAR_MB" '.rss_mb.peak_hwm < $bar' "$f" >/dev/null || OVER=1
  done
  echo
  echo "Peak RSS is the kernel's high-water mark of the whole Manifold process (start-up included); steady is the median of the 250 ms samples taken while at least 95 % of the streams were open. Bar: ${BAR_MB} MB → $( ((OVER)) && echo '**over in some direction**' || echo '**every direction under it**')."
  echo
  echo "Machine: $CPU_MODEL, $(nproc) cores, $MEM, dotnet $(dotnet --version 2>/dev/null || echo '?'); load average after: $(cut -d' ' -f1-3 /proc/loadavg)."
} >"$REPORT"
cat "$REPORT"
mkdir -p "$(dirname "$RESULTS_FILE")"
{ cat "$REPORT"; echo; echo '<details><summary>Raw results</summary>'; echo; echo '```json'; cat "${RESULTS[@]}"; echo '```'; echo '</details>'; } >"$RESULTS_FILE"
log "report written to $RESULTS_FILE"
((FAILED == 0)) || die "some streams failed (see the table)"
