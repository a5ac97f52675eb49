#!/usr/bin/env bash
# The heavy reliability run (issue 10): minutes of mixed load on one Manifold with short timeouts, a misbehaving
# upstream and hostile input, then the checks that nothing was lost.
#
#   tests/Benchmarks/reliability.sh                       # 3 minutes of load, ~5 minutes in all
#   RELIABILITY_SECONDS=60 tests/Benchmarks/reliability.sh
#
# Load (tests/Benchmarks/StreamLoad `mixed`, its own process), for RELIABILITY_SECONDS:
#   - RELIABILITY_HELD workers each keep one stream open back to back (every inbound protocol × every platform);
#   - RELIABILITY_WORKERS workers mix: 40 % well-formed requests (JSON or streamed, any protocol and platform),
#     30 % requests to a misbehaving upstream (a model named *-fault-{hang,silent,close,truncate,garbage,error}: no
#     status line, headers then silence, the connection dropped mid-stream, a stream ended without its final event,
#     invalid JSON, a 500 quoting the account's key), 30 % bad input (broken JSON, wrong types, 1e400, a lone
#     surrogate, an empty body, an unknown route, a wrong method, no key, a wrong key);
#   - RELIABILITY_MEDIA workers make sandbox video jobs and poll each to a terminal state.
# Upstream: the slow fake (10 events, one every 200 ms) in its own process. Manifold: the Release build, started as
# operators start it, with Manifold__Gateway__Timeouts__Connect=00:00:02, __FirstByte=00:00:03, __Idle=00:00:03.
#
# Checks, each reported, and the exit status is non-zero if one fails:
#   - every answer well-formed: a 2xx the client could read whole, or an error status with an error body in the
#     protocol's shape, or a stream ending with its protocol's final or error event; none hung past 60 s;
#   - nothing lost: the request ids of every licensed answer (x-request-id / request-id) are exactly the request log's
#     (GET /admin/api/requests), media jobs aside; every media job reached completed or failed;
#   - no answer carried the upstream account's key; the key is not in Manifold's log;
#   - Manifold still runs; its peak RSS is reported.
#
# Environment knobs: RELIABILITY_SECONDS (180), RELIABILITY_WORKERS (32), RELIABILITY_HELD (200), RELIABILITY_MEDIA (2),
# RELIABILITY_RESULTS_FILE (tests/Benchmarks/results/reliability-latest.md), RELIABILITY_SKIP_BUILD=1.
set -euo pipefail
export LC_ALL=C

BENCH_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$BENCH_DIR/../.." && pwd)
SECONDS_OF_LOAD=${RELIABILITY_SECONDS:-180}
WORKERS=${RELIABILITY_WORKERS:-32}
HELD=${RELIABILITY_HELD:-200}
MEDIA=${RELIABILITY_MEDIA:-2}
RESULTS_FILE=${RELIABILITY_RESULTS_FILE:-$BENCH_DIR/results/reliability-latest.md}
SKIP_BUILD=${RELIABILITY_SKIP_BUILD:-0}
LOAD_DLL=$BENCH_DIR/StreamLoad/bin/Release/net10.0/StreamLoad.dll
MANIFOLD_DLL=$ROOT/runtime/Manifold.Host/bin/Release/net10.0/Manifold.Host.dll
KEY=mf-reliability-key
ADMIN_KEY=mf-reliability-admin-key
# The upstream account's key: long and unique, so finding it anywhere is a leak, not a coincidence.
UPSTREAM_KEY=sk-reliability-upstream-7f3c9a1e5b2d4f60
EVENTS=10
INTERVAL_MS=200

log() { printf '[reliability %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[reliability] ERROR: %s\n' "$*" >&2; exit 1; }
for n in SECONDS_OF_LOAD WORKERS HELD MEDIA; do [[ ${!n} =~ ^[0-9]+$ ]] || die "$n must be a whole number"; done
command -v jq >/dev/null && command -v curl >/dev/null || die "needs jq and curl (apt-get install jq curl)"
(($(ulimit -n) > (HELD + WORKERS) * 3 + 500)) || ulimit -n $(((HELD + WORKERS) * 3 + 1000)) 2>/dev/null || true

WORK=$(mktemp -d /tmp/manifold-reliability.XXXXXX)
PIDS=()
stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local rc=$? pid
  for pid in "${PIDS[@]-}"; do [[ -n $pid ]] && stop_pid "$pid"; done
  if ((rc == 0)); then rm -rf "$WORK"; else printf '[reliability] logs kept in %s\n' "$WORK" >&2; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

USED_PORTS=" "
# Below the kernel's ephemeral range: the load's thousands of client sockets take ports from that range, and one of
# them could take a port between the check here and the server's bind.
read -r EPHEMERAL_LOW _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || EPHEMERAL_LOW=32768
PORT_LOW=10000 PORT_HIGH=$((EPHEMERAL_LOW > 12000 ? EPHEMERAL_LOW : 30000))
free_port() {
  local p
  for _ in $(seq 1 500); do
    p=$((PORT_LOW + RANDOM % (PORT_HIGH - PORT_LOW)))
    [[ $USED_PORTS == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS+="$p "; printf -v "$1" '%s' "$p"; return 0; fi
  done
  die "found no free loopback port"
}
wait_ready() { # pid url logfile
  local deadline=$((SECONDS + 90)) code
  while :; do
    kill -0 "$1" 2>/dev/null || { tail -n 40 "$3" >&2; die "the process behind $2 exited during start-up"; }
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$2" 2>/dev/null || true)
    [[ $code != 000 && -n $code ]] && return 0
    ((SECONDS < deadline)) || { tail -n 40 "$3" >&2; die "$2 did not answer within 90 s"; }
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

free_port UP_PORT
SLOW_EVENTS=$EVENTS SLOW_INTERVAL_MS=$INTERVAL_MS dotnet "$LOAD_DLL" upstream --urls "http://127.0.0.1:$UP_PORT" >"$WORK/upstream.log" 2>&1 &
UP_PID=$!
PIDS+=("$UP_PID")
wait_ready "$UP_PID" "http://127.0.0.1:$UP_PORT/_stats" "$WORK/upstream.log"

free_port PORT
MF_LOG=$WORK/manifold.log
env Manifold__Platforms__openai__Plugin=openai "Manifold__Platforms__openai__BaseUrl=http://127.0.0.1:$UP_PORT/v1" "Manifold__Platforms__openai__Accounts__0__Key=$UPSTREAM_KEY" \
  Manifold__Platforms__claude__Plugin=claude "Manifold__Platforms__claude__BaseUrl=http://127.0.0.1:$UP_PORT" "Manifold__Platforms__claude__Accounts__0__Key=$UPSTREAM_KEY" \
  Manifold__Platforms__gemini__Plugin=gemini "Manifold__Platforms__gemini__BaseUrl=http://127.0.0.1:$UP_PORT" "Manifold__Platforms__gemini__Accounts__0__Key=$UPSTREAM_KEY" \
  Manifold__Platforms__sandbox__VideoJobSeconds=3 \
  Manifold__Gateway__Timeouts__Connect=00:00:02 Manifold__Gateway__Timeouts__FirstByte=00:00:03 Manifold__Gateway__Timeouts__Idle=00:00:03 \
  "Manifold__BootstrapKey=$KEY" "Manifold__Admin__Key=$ADMIN_KEY" \
  "Manifold__Storage__ConnectionString=Data Source=$WORK/manifold.db" "Manifold__DataPath=$WORK/data" \
  bash -c 'cd "$1" && exec dotnet "$2" --urls "$3"' manifold "$ROOT" "$MANIFOLD_DLL" "http://127.0.0.1:$PORT" >"$MF_LOG" 2>&1 &
MF_PID=$!
PIDS+=("$MF_PID")
wait_ready "$MF_PID" "http://127.0.0.1:$PORT/" "$MF_LOG"
ADMIN=(-sS --max-time 30 -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json')
API="http://127.0.0.1:$PORT/admin/api"
licence=$(curl "${ADMIN[@]}" "$API/licences" | jq -r '.data[] | select(.name == "bootstrap") | .id')
curl "${ADMIN[@]}" -X PATCH --data-binary '{"limits":{"rpm":10000000,"concurrency":100000}}' "$API/licences/$licence" -o /dev/null -w '%{http_code}' | grep -qx 200 ||
  die "could not set the licence's limits"
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)

log "load: ${SECONDS_OF_LOAD}s, $HELD held streams, $WORKERS mixed workers, $MEDIA media workers (Manifold pid $MF_PID, port $PORT)"
OUT=$WORK/client.json
timeout --kill-after=10 $((SECONDS_OF_LOAD + 400)) dotnet "$LOAD_DLL" mixed --gateway "http://127.0.0.1:$PORT" --key "$KEY" \
  --seconds "$SECONDS_OF_LOAD" --workers "$WORKERS" --held "$HELD" --media "$MEDIA" --events "$EVENTS" --pid "$MF_PID" \
  --secret "$UPSTREAM_KEY" --out "$OUT" >"$WORK/driver.out" 2>"$WORK/driver.err" || { cat "$WORK/driver.err" >&2; die "the load driver failed"; }
ALIVE=yes
kill -0 "$MF_PID" 2>/dev/null || ALIVE=no

# The request log is written off the request path, every 500 ms: give it a moment, then read all of it.
sleep 3
: >"$WORK/log.jsonl"
after=
while :; do
  page=$(curl "${ADMIN[@]}" "$API/requests?limit=500${after:+&after=$after}")
  jq -c '.data[]' <<<"$page" >>"$WORK/log.jsonl"
  [[ $(jq -r .has_more <<<"$page") == true ]] || break
  after=$(jq -r .last_id <<<"$page")
done
# Answers to an unknown path or a wrong method need not be in the log (no API operation answered them), but may be:
# Gemini's GET of models/{model}:generateContent is the get-model operation. So the client's ids must all be in the
# log but those, and the log must hold no id the client did not see.
jq -r '.answers[]' "$OUT" >"$WORK/answers.tsv"
awk -F'\t' '$1 != "-" && $2 !~ /bad-(unknown-route|wrong-method)$/ { print $1 }' "$WORK/answers.tsv" | sort >"$WORK/client-ids.txt"
awk -F'\t' '$1 != "-" { print $1 }' "$WORK/answers.tsv" | sort >"$WORK/client-all-ids.txt"
NO_ENDPOINT=$(awk -F'\t' '$2 ~ /bad-(unknown-route|wrong-method)$/' "$WORK/answers.tsv" | wc -l)
NO_ENDPOINT_LOGGED=$(awk -F'\t' '$1 != "-" && $2 ~ /bad-(unknown-route|wrong-method)$/ { print $1 }' "$WORK/answers.tsv" | sort | comm -12 - <(jq -r '.request_id // empty' "$WORK/log.jsonl" | sort) | wc -l)
jq -r 'select(.operation != "videoJob" and .operation != "imageJob") | .request_id // empty' "$WORK/log.jsonl" | sort >"$WORK/server-ids.txt"
CLIENT_IDS=$(wc -l <"$WORK/client-ids.txt")
SERVER_ROWS=$(jq -s 'map(select(.operation != "videoJob" and .operation != "imageJob")) | length' "$WORK/log.jsonl")
SERVER_IDS=$(wc -l <"$WORK/server-ids.txt")
MISSING=$(comm -23 "$WORK/client-ids.txt" "$WORK/server-ids.txt" | wc -l)
EXTRA=$(comm -13 "$WORK/client-all-ids.txt" "$WORK/server-ids.txt" | wc -l)
DUPLICATE_IDS=$(uniq -d "$WORK/server-ids.txt" | wc -l)
# Answers without a request id header can only be matched by number: the client's count against the log's rows without one.
CLIENT_NO_ID=$(awk -F'\t' '$1 == "-" && $2 !~ /bad-(unknown-route|wrong-method)$/' "$WORK/answers.tsv" | wc -l)
CLIENT_NO_ID_ALL=$(awk -F'\t' '$1 == "-"' "$WORK/answers.tsv" | wc -l)
SERVER_NO_ID=$((SERVER_ROWS - SERVER_IDS))
NO_ID_OK=0
((CLIENT_NO_ID <= SERVER_NO_ID && SERVER_NO_ID <= CLIENT_NO_ID_ALL)) && NO_ID_OK=1
JOB_ROWS=$(jq -s 'map(select(.operation == "videoJob")) | length' "$WORK/log.jsonl")
NOT_TERMINAL=$(curl "${ADMIN[@]}" "$API/tasks?status=queued&limit=100" | jq '.data | length')
NOT_TERMINAL=$((NOT_TERMINAL + $(curl "${ADMIN[@]}" "$API/tasks?status=in_progress&limit=100" | jq '.data | length')))
KEY_IN_LOG=$(grep -c -- "$UPSTREAM_KEY" "$MF_LOG" || true)
CRASHES=$(grep -ciE 'unhandled exception|fatal error|stack overflow|out of memory' "$MF_LOG" || true)

ILL=$(jq '[.outcomes | to_entries[] | select(.key | test("ill-formed|hung|connection failed|LEAKED|unexpected|media (create|call) failed|not terminal")) | .value] | add // 0' "$OUT")
UNTRUE=$(jq '[.outcomes | to_entries[] | select(.key | test("relayed as success")) | .value] | add // 0' "$OUT")
BAD_TRIED=$(jq '[.outcomes | to_entries[] | select(.key | startswith("bad-")) | .value] | add // 0' "$OUT")
FAULTS_TRIED=$(jq '[.outcomes | to_entries[] | select(.key | startswith("fault-")) | .value] | add // 0' "$OUT")
FAILED=0
((ILL == 0 && MISSING == 0 && EXTRA == 0 && NO_ID_OK == 1 && NOT_TERMINAL == 0 && KEY_IN_LOG == 0 && CRASHES == 0)) && [[ $ALIVE == yes ]] || FAILED=1

REPORT=$WORK/report.md
{
  echo "# Reliability run"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M:%S UTC') (load from $STARTED) by \`tests/Benchmarks/reliability.sh\` (commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)): $(jq .seconds "$OUT") s of load, $HELD held streams, $WORKERS mixed workers, $MEDIA media workers; timeouts connect 2 s, first byte 3 s, idle 3 s."
  echo
  echo "| figure | value |"
  echo "| --- | ---: |"
  echo "| requests answered | $(jq .requests "$OUT") ($(jq .requests_per_second "$OUT") req/s) |"
  echo "| streams completed whole | $(jq .streams_completed "$OUT") (peak $(jq .peak_open_streams "$OUT") open at once) |"
  echo "| requests to a faulty upstream | $FAULTS_TRIED |"
  echo "| bad inputs tried | $BAD_TRIED |"
  echo "| media jobs | $(jq -c .media_jobs "$OUT") |"
  echo "| status classes | $(jq -c .status_classes "$OUT") |"
  echo "| ill-formed, hung or leaking answers | **$ILL** |"
  echo "| faults answered as success (untruthful) | $UNTRUE |"
  echo "| licensed API answers with a request id (client) | $CLIENT_IDS |"
  echo "| request-log rows (server, jobs aside) | $SERVER_ROWS ($SERVER_IDS with an id; duplicated ids: $DUPLICATE_IDS) |"
  echo "| answers without a request id (Gemini's protocol has none): client, API only–all / log rows without one | **$CLIENT_NO_ID–$CLIENT_NO_ID_ALL / $SERVER_NO_ID** |"
  echo "| client ids missing from the log / log ids the client never saw | **$MISSING / $EXTRA** |"
  echo "| answers to unknown routes and wrong methods (not API requests; of them logged) | $NO_ENDPOINT ($NO_ENDPOINT_LOGGED) |"
  echo "| media-job rows in the log | $JOB_ROWS |"
  echo "| jobs still queued or running at the end | **$NOT_TERMINAL** |"
  echo "| upstream key in Manifold's log | **$KEY_IN_LOG** |"
  echo "| crashes in Manifold's log / still running | $CRASHES / $ALIVE |"
  echo "| Manifold RSS before / peak / last minute's max / after (MB) | $(jq -r '.rss_mb | "\(.before) / \(.peak_hwm) / \(.last_minute_max) / \(.after)"' "$OUT") |"
  echo
  echo "Outcomes by kind (kind: answer):"
  echo
  echo '```'
  jq -r '.outcomes | to_entries[] | "\(.value)\t\(.key)"' "$OUT"
  echo '```'
  if [[ $(jq '.examples | length' "$OUT") -gt 0 ]]; then
    echo
    echo "Examples:"
    echo
    echo '```'
    jq -r '.examples | to_entries[] | "\(.key): \(.value)"' "$OUT"
    echo '```'
  fi
  echo
  echo "Machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores; load average after: $(cut -d' ' -f1-3 /proc/loadavg). Verdict: $( ((FAILED)) && echo '**FAILED**' || echo '**passed**')."
} >"$REPORT"
cat "$REPORT"
mkdir -p "$(dirname "$RESULTS_FILE")"
cp "$REPORT" "$RESULTS_FILE"
log "report written to $RESULTS_FILE"
if ((MISSING > 0 || EXTRA > 0)); then
  { echo "client answers missing from the log, by kind and status:"
    comm -23 "$WORK/client-ids.txt" "$WORK/server-ids.txt" | awk -F'\t' 'NR == FNR { missing[$1] = 1; next } ($1 in missing) { print $2, $3 }' - "$WORK/answers.tsv" | sort | uniq -c
    echo "log ids the client never saw (first 5):"; comm -13 "$WORK/client-all-ids.txt" "$WORK/server-ids.txt" | head -5; } >&2
fi
if (($(jq .licensed_without_request_id "$OUT") > 0)); then
  { echo "licensed answers without a request id header, by kind and status:"; awk -F'\t' '$1 == "-" { print $2, $3 }' "$WORK/answers.tsv" | sort | uniq -c | sort -rn | head -20; } >&2
fi
((FAILED == 0)) || die "some checks failed (see the report)"
