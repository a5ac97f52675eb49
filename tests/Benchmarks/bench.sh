#!/usr/bin/env bash
# Added-latency and throughput benchmark: direct upstream vs Manifold vs Portkey.
#
#   tests/Benchmarks/bench.sh                          # all three paths, 15 s per run
#   BENCH_ONLY=direct,portkey tests/Benchmarks/bench.sh
#   BENCH_DURATION=5s BENCH_WARMUP=2s tests/Benchmarks/bench.sh
#
# Everything runs on 127.0.0.1 and every load run is bounded in time. See docs/benchmarks.md.
#
# Environment knobs (all optional):
#   BENCH_ONLY              comma list of paths to measure: direct,manifold,portkey (default: all three)
#   BENCH_DURATION          length of each measured wrk run, e.g. 15s, 15 or 1m (default 15s)
#   BENCH_WARMUP            length of the warm-up run before each path (default 5s)
#   BENCH_CONNECTIONS       connections of the parallel run (default 16)
#   BENCH_THREADS           wrk threads of the parallel run (default 2)
#   BENCH_RESULTS_FILE      where the markdown report goes (default tests/Benchmarks/results/latest.md)
#   BENCH_MANIFOLD_DB       Manifold's SQLite file, deleted before the run (default /tmp/manifold-bench.db)
#   BENCH_STARTUP_TIMEOUT   seconds each server gets to answer (default 60)
#   BENCH_SKIP_BUILD=1      use the existing Release builds as they are
#   BENCH_WAIT_QUIET        seconds to wait, before the load runs, for other processes to leave the CPUs
#                           under 10 % busy (default 0: measure and warn only)
set -euo pipefail
export LC_ALL=C

BENCH_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$BENCH_DIR/../.." && pwd)

ONLY=${BENCH_ONLY:-direct,manifold,portkey}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
RESULTS_FILE=${BENCH_RESULTS_FILE:-$BENCH_DIR/results/latest.md}
MANIFOLD_DB=${BENCH_MANIFOLD_DB:-/tmp/manifold-bench.db}
STARTUP_TIMEOUT=${BENCH_STARTUP_TIMEOUT:-60}
SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
WAIT_QUIET=${BENCH_WAIT_QUIET:-0}
BODY_FILE=$BENCH_DIR/request.json
LUA=$BENCH_DIR/chat.lua
PORTKEY_DIR=$BENCH_DIR/portkey
FAKE_DLL=$BENCH_DIR/FakeUpstream/bin/Release/net10.0/FakeUpstream.dll
MANIFOLD_DLL=$ROOT/runtime/Manifold.Host/bin/Release/net10.0/Manifold.Host.dll
MANIFOLD_KEY=mf-bench-key
UPSTREAM_KEY=sk-bench

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# "15s", "15" or "2m" -> whole seconds.
to_seconds() {
  local v=$1
  case $v in
    *m) v=${v%m}; [[ $v =~ ^[0-9]+$ ]] || die "bad duration '$1'"; v=$((v * 60)) ;;
    *s) v=${v%s} ;;
  esac
  [[ $v =~ ^[0-9]+$ && $v -gt 0 ]] || die "bad duration '$1' (use e.g. 15s, 15 or 1m)"
  echo "$v"
}
DURATION_S=$(to_seconds "${BENCH_DURATION:-15s}")
WARMUP_S=$(to_seconds "${BENCH_WARMUP:-5s}")
[[ $WAIT_QUIET =~ ^[0-9]+$ ]] || die "BENCH_WAIT_QUIET must be whole seconds"
[[ $CONNECTIONS =~ ^[0-9]+$ && $THREADS =~ ^[0-9]+$ && $CONNECTIONS -ge $THREADS && $THREADS -ge 1 ]] ||
  die "BENCH_CONNECTIONS ($CONNECTIONS) must be >= BENCH_THREADS ($THREADS) >= 1"

TARGETS=()
IFS=',' read -r -a _only <<<"$ONLY"
for t in "${_only[@]}"; do
  t=${t// /}
  case $t in
    direct | manifold | portkey) [[ " ${TARGETS[*]-} " == *" $t "* ]] || TARGETS+=("$t") ;;
    '') ;;
    *) die "unknown path '$t' in BENCH_ONLY (valid: direct,manifold,portkey)" ;;
  esac
done
((${#TARGETS[@]})) || die "BENCH_ONLY selects nothing"
wants() { [[ " ${TARGETS[*]} " == *" $1 "* ]]; }

WORK=$(mktemp -d /tmp/manifold-bench.XXXXXX)
PIDS=()
cleanup() {
  local rc=$?
  local pid
  for pid in "${PIDS[@]-}"; do
    [[ -n $pid ]] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]-}"; do
    [[ -n $pid ]] || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -f "$MANIFOLD_DB" "$MANIFOLD_DB-shm" "$MANIFOLD_DB-wal"
  if ((rc == 0)); then
    rm -rf "$WORK"
  else
    printf '[bench] logs kept in %s\n' "$WORK" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- tools

ensure_apt_packages() {
  local missing=() pair
  for pair in wrk:wrk curl:curl; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair##*:}")
  done
  ((${#missing[@]})) || return 0
  local sudo=()
  if (($(id -u) != 0)); then
    command -v sudo >/dev/null 2>&1 || die "need ${missing[*]}; install them (apt-get install ${missing[*]}) or run as root"
    sudo=(sudo)
  fi
  log "installing ${missing[*]} with apt-get"
  # Refresh the package lists only when apt does not know the packages yet, or the install fails.
  if ! apt-cache show "${missing[@]}" >/dev/null 2>&1; then
    "${sudo[@]}" apt-get update >"$WORK/apt.log" 2>&1 || { cat "$WORK/apt.log" >&2; die "apt-get update failed"; }
  fi
  if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$WORK/apt.log" 2>&1; then
    "${sudo[@]}" apt-get update >>"$WORK/apt.log" 2>&1 &&
      "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >>"$WORK/apt.log" 2>&1 ||
      { tail -n 30 "$WORK/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
  fi
}

ensure_portkey() {
  command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
    die "Portkey needs node and npm (apt-get install nodejs npm), or run with BENCH_ONLY=direct,manifold"
  # npm writes node_modules/.package-lock.json; a newer committed lock means the install is stale.
  if [[ ! -f $PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js ||
    $PORTKEY_DIR/package-lock.json -nt $PORTKEY_DIR/node_modules/.package-lock.json ]]; then
    log "npm ci (Portkey, from the committed package-lock.json)"
    # --ignore-scripts: the package's only script is a patch-package postinstall with no patches shipped.
    (cd "$PORTKEY_DIR" && npm ci --ignore-scripts --no-audit --no-fund) >"$WORK/npm.log" 2>&1 ||
      { tail -n 30 "$WORK/npm.log" >&2; die "npm ci failed in $PORTKEY_DIR"; }
  fi
}

# --disable-build-servers: no MSBuild/compiler server left running in the background during the runs.
build_dotnet() { # name csproj
  local name=$1 proj=$2
  log "dotnet build -c Release ($name)"
  if ! dotnet build "$proj" -c Release --nologo -v quiet --disable-build-servers >"$WORK/build-$name.log" 2>&1; then
    grep -E 'error|Error' "$WORK/build-$name.log" | tail -n 40 >&2 || tail -n 40 "$WORK/build-$name.log" >&2
    return 1
  fi
}

# ---------------------------------------------------------------- servers

USED_PORTS=" "
free_port() { # VAR: a loopback TCP port nobody listens on (and not handed out before)
  local p
  for _ in $(seq 1 500); do
    p=$((20000 + RANDOM % 40000))
    [[ $USED_PORTS == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      USED_PORTS+="$p "
      printf -v "$1" '%s' "$p"
      return 0
    fi
  done
  die "found no free loopback port"
}

declare -A PID_OF LOG_OF
start_server() { # name logfile command...
  local name=$1 logf=$2
  shift 2
  "$@" >"$logf" 2>&1 &
  PIDS+=("$!")
  PID_OF[$name]=$!
  LOG_OF[$name]=$logf
}

show_log() { # name
  printf -- '----- %s log (%s) -----\n' "$1" "${LOG_OF[$1]}" >&2
  tail -n 80 "${LOG_OF[$1]}" >&2 || true
  printf -- '----- end of %s log -----\n' "$1" >&2
}

server_failed() { # name message
  show_log "$1"
  if [[ $1 == manifold ]]; then
    die "Manifold: $2. Fix Manifold, or measure the other paths alone with BENCH_ONLY=direct,portkey."
  fi
  die "$1: $2"
}

wait_ready() { # name url: until the server answers HTTP at all
  local name=$1 url=$2 deadline=$((SECONDS + STARTUP_TIMEOUT)) code
  while :; do
    kill -0 "${PID_OF[$name]}" 2>/dev/null || server_failed "$name" "the process exited during start-up"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)
    [[ $code != 000 && -n $code ]] && return 0
    ((SECONDS < deadline)) || server_failed "$name" "did not answer $url within ${STARTUP_TIMEOUT}s"
    sleep 0.2
  done
}

upstream_count() {
  curl -s --max-time 5 "http://127.0.0.1:$UPSTREAM_PORT/_fake/stats" | grep -o '"chat_completions":[0-9]*' | cut -d: -f2
}

# Header sets, "Name: value" pairs separated by "|" (the format chat.lua reads).
declare -A URL_OF HEADERS_OF
header_args() { # headers-string -> curl -H arguments in CURL_HEADERS
  CURL_HEADERS=(-H 'Content-Type: application/json')
  local h
  IFS='|' read -r -a _hs <<<"$1"
  for h in "${_hs[@]}"; do [[ -n $h ]] && CURL_HEADERS+=(-H "$h"); done
}

verify_path() { # name: one real request must come back 200 with the fake upstream's completion, and reach it
  local name=$1 before after code
  header_args "${HEADERS_OF[$name]}"
  before=$(upstream_count)
  code=$(curl -sS --max-time 10 -o "$WORK/verify-$name.json" -w '%{http_code}' -X POST "${URL_OF[$name]}" \
    "${CURL_HEADERS[@]}" --data-binary "@$BODY_FILE" 2>"$WORK/verify-$name.err" || true)
  after=$(upstream_count)
  if [[ $code != 200 ]] || ! grep -q '"object":"chat.completion"' "$WORK/verify-$name.json" ||
    ! grep -q '"id":"chatcmpl-fake' "$WORK/verify-$name.json" || ((after <= before)); then
    {
      echo "verification request: POST ${URL_OF[$name]} -> HTTP ${code:-none} (upstream calls $before -> $after)"
      head -c 2000 "$WORK/verify-$name.json" 2>/dev/null || true
      echo
      cat "$WORK/verify-$name.err" 2>/dev/null || true
    } >&2
    [[ $name == direct ]] && die "the fake upstream does not answer correctly"
    server_failed "$name" "a chat completion through it did not return the fake upstream's response"
  fi
  log "$name: verified (HTTP 200, reached the fake upstream)"
}

# ---------------------------------------------------------------- load runs

declare -A R # R[target.phase.key] from chat.lua's BENCH_RESULT line
RAW="$WORK/raw.txt"
: >"$RAW"

run_wrk() { # target phase threads connections seconds
  local target=$1 phase=$2 t=$3 c=$4 secs=$5 out="$WORK/wrk-$1-$2.txt" line kv
  local cmd=(wrk "-t$t" "-c$c" "-d${secs}s" --timeout 10s --latency -s "$LUA" "${URL_OF[$target]}")
  log "$target/$phase: ${cmd[*]}"
  if ! BENCH_BODY_FILE=$BODY_FILE BENCH_HEADERS=${HEADERS_OF[$target]} \
    timeout --kill-after=5 $((secs + 30)) "${cmd[@]}" >"$out" 2>&1; then
    cat "$out" >&2
    die "wrk failed or overran its time bound ($target/$phase)"
  fi
  kill -0 "${PID_OF[direct]}" 2>/dev/null || server_failed direct "the fake upstream died during the $target/$phase run"
  kill -0 "${PID_OF[$target]}" 2>/dev/null || server_failed "$target" "the process died during the $phase run"
  [[ $phase == warmup ]] && return 0
  { printf '### %s, %s\n\n```\n$ %s\n' "$target" "$phase" "${cmd[*]}"; cat "$out"; printf '```\n\n'; } >>"$RAW"
  line=$(grep '^BENCH_RESULT' "$out" || true)
  [[ -n $line ]] || { cat "$out" >&2; die "no BENCH_RESULT line from wrk ($target/$phase)"; }
  for kv in ${line#BENCH_RESULT }; do
    R[$target.$phase.${kv%%=*}]=${kv#*=}
  done
}

# ---------------------------------------------------------------- main

ensure_apt_packages
wants portkey && ensure_portkey
if [[ $SKIP_BUILD != 1 ]]; then
  build_dotnet fake-upstream "$BENCH_DIR/FakeUpstream/FakeUpstream.csproj" || die "FakeUpstream build failed"
  if wants manifold; then
    build_dotnet manifold "$ROOT/runtime/Manifold.Host/Manifold.Host.csproj" ||
      die "Manifold build failed (log above). Measure the other paths alone with BENCH_ONLY=direct,portkey."
  fi
fi
[[ -f $FAKE_DLL ]] || die "missing $FAKE_DLL"
wants manifold && { [[ -f $MANIFOLD_DLL ]] || die "missing $MANIFOLD_DLL (build Manifold, or BENCH_ONLY=direct,portkey)"; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1


free_port UPSTREAM_PORT
log "fake upstream on 127.0.0.1:$UPSTREAM_PORT"
start_server direct "$WORK/fake-upstream.log" dotnet "$FAKE_DLL" --urls "http://127.0.0.1:$UPSTREAM_PORT"
wait_ready direct "http://127.0.0.1:$UPSTREAM_PORT/v1/models"
URL_OF[direct]="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
HEADERS_OF[direct]="Authorization: Bearer $UPSTREAM_KEY"
verify_path direct

if wants manifold; then
  free_port MANIFOLD_PORT
  log "Manifold on 127.0.0.1:$MANIFOLD_PORT"
  rm -f "$MANIFOLD_DB" "$MANIFOLD_DB-shm" "$MANIFOLD_DB-wal"
  start_server manifold "$WORK/manifold.log" env \
    Manifold__Platforms__bench__Plugin=openai \
    Manifold__Platforms__bench__BaseUrl="http://127.0.0.1:$UPSTREAM_PORT/v1" \
    Manifold__Platforms__bench__Accounts__0__Key="$UPSTREAM_KEY" \
    Manifold__BootstrapKey="$MANIFOLD_KEY" \
    Manifold__Storage__ConnectionString="Data Source=$MANIFOLD_DB" \
    Logging__LogLevel__Default=Warning \
    bash -c 'cd "$1" && exec dotnet "$2" --urls "$3"' manifold "$ROOT" "$MANIFOLD_DLL" "http://127.0.0.1:$MANIFOLD_PORT"
  wait_ready manifold "http://127.0.0.1:$MANIFOLD_PORT/"
  URL_OF[manifold]="http://127.0.0.1:$MANIFOLD_PORT/bench/v1/chat/completions"
  HEADERS_OF[manifold]="Authorization: Bearer $MANIFOLD_KEY"
  verify_path manifold
fi

if wants portkey; then
  free_port PORTKEY_PORT
  log "Portkey on 127.0.0.1:$PORTKEY_PORT"
  start_server portkey "$WORK/portkey.log" node -r "$PORTKEY_DIR/loopback.cjs" \
    "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$PORTKEY_PORT" --headless
  wait_ready portkey "http://127.0.0.1:$PORTKEY_PORT/"
  URL_OF[portkey]="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
  HEADERS_OF[portkey]="Authorization: Bearer $UPSTREAM_KEY|x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$UPSTREAM_PORT/v1"
  verify_path portkey
fi

# Other work on the machine skews every number here; measure how busy it is (our servers are idle now).
cpu_busy_percent() { # over one second, all cores
  local a b
  a=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  sleep 1
  b=$(awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $5 + $6 }' /proc/stat)
  awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); busy = y[1] - x[1]; idle = y[2] - x[2];
    printf "%.0f", ((busy + idle) > 0 ? 100 * busy / (busy + idle) : 0) }'
}
BUSY_BEFORE=$(cpu_busy_percent 2>/dev/null || echo '?')
if ((WAIT_QUIET > 0)) && [[ $BUSY_BEFORE =~ ^[0-9]+$ ]] && ((BUSY_BEFORE > 10)); then
  log "CPUs ${BUSY_BEFORE}% busy; waiting up to ${WAIT_QUIET}s for them to go quiet (BENCH_WAIT_QUIET)"
  quiet_deadline=$((SECONDS + WAIT_QUIET))
  while ((BUSY_BEFORE > 10 && SECONDS < quiet_deadline)); do
    BUSY_BEFORE=$(cpu_busy_percent 2>/dev/null || echo 0)
  done
fi
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
if [[ $BUSY_BEFORE =~ ^[0-9]+$ ]] && ((BUSY_BEFORE > 10)); then
  log "warning: the CPUs are ${BUSY_BEFORE}% busy before any load (load average $LOAD_BEFORE); other processes will skew the numbers"
fi

for target in "${TARGETS[@]}"; do
  run_wrk "$target" warmup "$THREADS" "$CONNECTIONS" "$WARMUP_S"
  sleep 1
  run_wrk "$target" sequential 1 1 "$DURATION_S"
  sleep 1
  run_wrk "$target" parallel "$THREADS" "$CONNECTIONS" "$DURATION_S"
  sleep 1
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# ---------------------------------------------------------------- report

ms() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000 }'; }
delta_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f", (a - b) / 1000 }'; }
label() {
  case $1 in
    direct) echo "direct (fake upstream, no gateway)" ;;
    manifold) echo "Manifold" ;;
    portkey) echo "Portkey $PORTKEY_VERSION" ;;
  esac
}
errors_of() { # target phase
  local p="$1.$2" s
  s=$((${R[$p.err_connect]} + ${R[$p.err_read]} + ${R[$p.err_write]} + ${R[$p.err_timeout]}))
  if ((${R[$p.err_status]} == 0 && s == 0)); then echo 0; else echo "non-2xx ${R[$p.err_status]}, socket $s"; fi
}

PORTKEY_VERSION=n/a
HONO_NODE_VERSION=n/a
if wants portkey; then
  PORTKEY_VERSION=$(node -p "require('$PORTKEY_DIR/node_modules/@portkey-ai/gateway/package.json').version" 2>/dev/null || echo '?')
  HONO_NODE_VERSION=$(node -p "require('$PORTKEY_DIR/node_modules/@hono/node-server/package.json').version" 2>/dev/null || echo '?')
fi
CPU_MODEL=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
[[ -n $CPU_MODEL ]] || CPU_MODEL=$(lscpu 2>/dev/null | grep -m1 'Model name' | cut -d: -f2- | sed 's/^ *//' || echo unknown)
MEM=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || echo unknown)
OS=$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME" || uname -s)
WRK_VERSION=$(wrk -v 2>&1 | head -n1 | sed 's/ Copyright.*//' || true)
NODE_VERSION=$(node --version 2>/dev/null || echo 'not installed')
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo 'no commit')
BAD=0

REPORT="$WORK/report.md"
{
  echo "# Gateway benchmark: POST /v1/chat/completions (non-streaming)"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M:%S UTC') by \`tests/Benchmarks/bench.sh\` (repo commit $COMMIT). Paths: ${TARGETS[*]}."
  echo "Each path: ${WARMUP_S} s warm-up at $CONNECTIONS connections, then the runs below, ${DURATION_S} s each, on 127.0.0.1 against the zero-delay fake upstream."
  echo "Request body: \`tests/Benchmarks/request.json\` ($(wc -c <"$BODY_FILE" | tr -d ' ') bytes). Latencies in milliseconds."
  echo
  echo "## Sequential: 1 connection, 1 thread (\`wrk -t1 -c1 -d${DURATION_S}s\`)"
  echo
  echo "| Path | p50 | p99 | added p50 | added p99 | req/s | errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
  for t in "${TARGETS[@]}"; do
    p="$t.sequential"
    if [[ $t == direct ]]; then
      add50="—" add99="—"
    elif wants direct; then
      add50=$(delta_ms "${R[$p.p50_us]}" "${R[direct.sequential.p50_us]}")
      add99=$(delta_ms "${R[$p.p99_us]}" "${R[direct.sequential.p99_us]}")
    else
      add50="n/a (direct not run)" add99="n/a"
    fi
    err=$(errors_of "$t" sequential)
    [[ $err == 0 ]] || BAD=1
    printf '| %s | %s | %s | %s | %s | %.0f | %s |\n' "$(label "$t")" "$(ms "${R[$p.p50_us]}")" "$(ms "${R[$p.p99_us]}")" \
      "$add50" "$add99" "${R[$p.rps]}" "$err"
  done
  echo
  echo "## Parallel: $CONNECTIONS connections, $THREADS threads (\`wrk -t$THREADS -c$CONNECTIONS -d${DURATION_S}s\`)"
  echo
  echo "| Path | req/s | vs direct | p50 | p99 | errors |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
  for t in "${TARGETS[@]}"; do
    p="$t.parallel"
    if wants direct; then
      rel=$(awk -v a="${R[$p.rps]}" -v b="${R[direct.parallel.rps]}" 'BEGIN { printf "%.1f %%", 100 * a / b }')
    else
      rel="n/a"
    fi
    err=$(errors_of "$t" parallel)
    [[ $err == 0 ]] || BAD=1
    printf '| %s | %.0f | %s | %s | %s | %s |\n' "$(label "$t")" "${R[$p.rps]}" "$rel" \
      "$(ms "${R[$p.p50_us]}")" "$(ms "${R[$p.p99_us]}")" "$err"
  done
  echo
  echo "Added latency = gateway minus direct, same percentile. The client (wrk), the gateway and the fake upstream share the same $(nproc) cores, so the parallel numbers are a relative comparison, not a capacity figure."
  echo
  echo "## Machine"
  echo
  echo "| | |"
  echo "| --- | --- |"
  echo "| CPU | $CPU_MODEL |"
  echo "| nproc | $(nproc) |"
  echo "| memory | $MEM |"
  echo "| OS / kernel | $OS / $(uname -r) |"
  echo "| dotnet | $(dotnet --version 2>/dev/null || echo '?') |"
  echo "| node | $NODE_VERSION |"
  echo "| wrk | $WRK_VERSION |"
  echo "| Portkey | @portkey-ai/gateway $PORTKEY_VERSION (@hono/node-server $HONO_NODE_VERSION) |"
  echo "| CPU busy just before the runs (other processes) | ${BUSY_BEFORE} % (load average $LOAD_BEFORE) |"
  echo "| load average right after the runs | $LOAD_AFTER (the runs themselves keep about 2-3 busy; much more means other work ran alongside) |"
  echo "| date | $(date -u '+%Y-%m-%dT%H:%M:%SZ') |"
} >"$REPORT"

cat "$REPORT"
mkdir -p "$(dirname "$RESULTS_FILE")"
{
  cat "$REPORT"
  echo
  echo "<details><summary>Raw wrk output</summary>"
  echo
  cat "$RAW"
  echo "</details>"
} >"$RESULTS_FILE"
log "report written to $RESULTS_FILE"

if ((BAD)); then
  die "some runs had errors (see the errors columns); these numbers do not measure successful requests"
fi
