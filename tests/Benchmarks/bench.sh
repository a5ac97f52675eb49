#!/usr/bin/env bash
# Added-latency and throughput benchmark: direct upstream vs Manifold (pass-through and converting) vs Portkey.
#
#   tests/Benchmarks/bench.sh                          # all four paths, 15 s per run
#   BENCH_ONLY=direct,manifold,converted tests/Benchmarks/bench.sh
#   BENCH_DURATION=5s BENCH_WARMUP=2s tests/Benchmarks/bench.sh
#   BENCH_STREAM=1 tests/Benchmarks/bench.sh            # the same with "stream": true
#
# Paths (every one is sent the same OpenAI Chat Completions request, tests/Benchmarks/request.json):
#   direct           the fake upstream's /v1/chat/completions, no gateway (the baseline)
#   manifold         Manifold's /bench/v1/chat/completions: the openai platform, passed through
#   converted        Manifold's /bench-claude/v1/chat/completions: the claude platform; Manifold converts the
#                    request to Anthropic Messages, calls the fake upstream's /v1/messages, converts the answer back
#   portkey          Portkey with the fake upstream as a custom OpenAI host
#   direct-messages  (not in the default set) the fake upstream's /v1/messages with the Anthropic twin of the
#                    request, tests/Benchmarks/request-messages.json: shows the fake answers both protocols alike
# The report checks issue 3's bar: conversion adds at most 25 % to the pass-through cost, i.e.
#   (converted p50 - manifold p50) / (manifold p50 - direct p50) <= 25 %, sequential run, same run.
#
# Everything runs on 127.0.0.1 and every load run is bounded in time. See docs/benchmarks.md.
#
# Environment knobs (all optional):
#   BENCH_ONLY              comma list of paths to measure: direct,manifold,converted,portkey,direct-messages
#                           (default: direct,manifold,converted,portkey; without portkey when BENCH_STREAM=1)
#   BENCH_STREAM=1          send "stream": true (SSE answers; wrk times each whole stream)
#   BENCH_UPSTREAM_DELAY_MS milliseconds the fake upstream holds every answer back (default 0), the same for all paths
#   BENCH_CONVERSION_BAR    the bar for the conversion ratio, in percent (default 25)
#   BENCH_ENFORCE_BAR=1     exit with status 3 when the conversion ratio misses the bar (default: report only)
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
#   BENCH_LICENCE_POLICY    a licence policy (JSON: quota, limits) given to Manifold's bench licence through the admin
#                           API before the runs, so the runs pay for checking them (e.g. docs/benchmarks.md's
#                           "metering and limits on"); its limits must be high enough never to refuse a request
set -euo pipefail
export LC_ALL=C

BENCH_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd -- "$BENCH_DIR/../.." && pwd)

STREAM=${BENCH_STREAM:-0}
[[ $STREAM == 0 || $STREAM == 1 ]] || { echo "[bench] ERROR: BENCH_STREAM must be 0 or 1" >&2; exit 1; }
if [[ $STREAM == 1 ]]; then
  # Portkey 1.15.2 fails streamed requests with the @hono/node-server npm resolves (see docs/benchmarks.md).
  ONLY=${BENCH_ONLY:-direct,manifold,converted}
else
  ONLY=${BENCH_ONLY:-direct,manifold,converted,portkey}
fi
UPSTREAM_DELAY_MS=${BENCH_UPSTREAM_DELAY_MS:-0}
CONVERSION_BAR=${BENCH_CONVERSION_BAR:-25}
ENFORCE_BAR=${BENCH_ENFORCE_BAR:-0}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
THREADS=${BENCH_THREADS:-2}
RESULTS_FILE=${BENCH_RESULTS_FILE:-$BENCH_DIR/results/latest.md}
MANIFOLD_DB=${BENCH_MANIFOLD_DB:-/tmp/manifold-bench.db}
STARTUP_TIMEOUT=${BENCH_STARTUP_TIMEOUT:-60}
SKIP_BUILD=${BENCH_SKIP_BUILD:-0}
WAIT_QUIET=${BENCH_WAIT_QUIET:-0}
LICENCE_POLICY=${BENCH_LICENCE_POLICY:-}
MANIFOLD_ADMIN_KEY=mf-bench-admin-key
REQUEST_FILE=$BENCH_DIR/request.json
MESSAGES_REQUEST_FILE=$BENCH_DIR/request-messages.json
LUA=$BENCH_DIR/chat.lua
PORTKEY_DIR=$BENCH_DIR/portkey
FAKE_DLL=$BENCH_DIR/FakeUpstream/bin/Release/net10.0/FakeUpstream.dll
MANIFOLD_DLL=$ROOT/runtime/Manifold.Host/bin/Release/net10.0/Manifold.Host.dll
MANIFOLD_KEY=mf-bench-key
UPSTREAM_KEY=sk-bench
# What the fake upstream answers (FakeAnswer.cs); a verification checks a path returns exactly this.
FAKE_CONTENT='Hello! How can I help you today?'
FAKE_COMPLETION_TOKENS=9

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
[[ $UPSTREAM_DELAY_MS =~ ^[0-9]+$ ]] || die "BENCH_UPSTREAM_DELAY_MS must be whole milliseconds"
[[ $CONVERSION_BAR =~ ^[0-9]+([.][0-9]+)?$ ]] || die "BENCH_CONVERSION_BAR must be a percentage, e.g. 25"
[[ $CONNECTIONS =~ ^[0-9]+$ && $THREADS =~ ^[0-9]+$ && $CONNECTIONS -ge $THREADS && $THREADS -ge 1 ]] ||
  die "BENCH_CONNECTIONS ($CONNECTIONS) must be >= BENCH_THREADS ($THREADS) >= 1"

TARGETS=()
IFS=',' read -r -a _only <<<"$ONLY"
for t in "${_only[@]}"; do
  t=${t// /}
  case $t in
    direct | manifold | converted | portkey | direct-messages) [[ " ${TARGETS[*]-} " == *" $t "* ]] || TARGETS+=("$t") ;;
    '') ;;
    *) die "unknown path '$t' in BENCH_ONLY (valid: direct,manifold,converted,portkey,direct-messages)" ;;
  esac
done
((${#TARGETS[@]})) || die "BENCH_ONLY selects nothing"
wants() { [[ " ${TARGETS[*]} " == *" $1 "* ]]; }
wants_manifold() { wants manifold || wants converted; }
if [[ $STREAM == 1 ]] && wants portkey; then
  die "Portkey 1.15.2 cannot stream with the @hono/node-server its lock resolves (Portkey-AI/gateway#1389); leave portkey out of BENCH_ONLY with BENCH_STREAM=1"
fi

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
  for pair in wrk:wrk curl:curl jq:jq; do
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
  case $1 in
    manifold)
      wants converted && die "Manifold: $2. The converted path adds the bench-claude platform (claude plugin); BENCH_ONLY=direct,manifold,portkey leaves it out, BENCH_ONLY=direct,portkey leaves Manifold out."
      die "Manifold: $2. Fix Manifold, or measure the other paths alone with BENCH_ONLY=direct,portkey." ;;
    converted) die "Manifold (converted path, platform bench-claude): $2. It needs the claude plugin and the Chat <-> Messages conversion; measure without it with BENCH_ONLY=direct,manifold,portkey." ;;
  esac
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

upstream_count() { # counter: chat_completions or messages (GET /_fake/stats)
  curl -s --max-time 5 "http://127.0.0.1:$UPSTREAM_PORT/_fake/stats" | jq -r --arg k "$1" '.[$k] // -1' 2>/dev/null || echo -1
}

# Header sets, "Name: value" pairs separated by "|" (the format chat.lua reads).
header_args() { # headers-string -> curl -H arguments in CURL_HEADERS
  CURL_HEADERS=(-H 'Content-Type: application/json')
  local h
  IFS='|' read -r -a _hs <<<"$1"
  for h in "${_hs[@]}"; do [[ -n $h ]] && CURL_HEADERS+=(-H "$h"); done
}

# shellcheck disable=SC2016 # jq programs: $content and $tokens are jq variables, not shell ones.
# What a path's answer must look like (jq, given $content and $tokens), and which upstream counter it moves.
# Pass-through paths must return the fake upstream's own object (its chatcmpl-fake id); the converted path
# must return a well-formed chat.completion rebuilt from the Anthropic Message: text, finish reason, usage.
CHECK_CHAT='.object == "chat.completion" and (.id | type) == "string" and (.created | type) == "number"
  and (.model | type) == "string" and (.choices | length) == 1 and .choices[0].index == 0
  and .choices[0].message.role == "assistant" and .choices[0].message.content == $content
  and .choices[0].finish_reason == "stop" and .usage.completion_tokens == $tokens and .usage.prompt_tokens > 0
  and .usage.total_tokens == .usage.prompt_tokens + .usage.completion_tokens'
CHECK_PASSTHROUGH="$CHECK_CHAT"' and (.id | startswith("chatcmpl-fake"))'
# shellcheck disable=SC2016
CHECK_MESSAGE='.type == "message" and (.id | startswith("msg_fake")) and .role == "assistant"
  and .content == [{type: "text", text: $content}] and .stop_reason == "end_turn"
  and .usage.output_tokens == $tokens and .usage.input_tokens > 0'
# Streams: every data line but a final [DONE] is a chunk; the deltas add up to the answer, the last choice
# finishes with "stop". Anthropic streams: the documented event order, text deltas adding up to the answer.
# shellcheck disable=SC2016
CHECK_CHAT_STREAM='(.[-1] == "[DONE]") and (.[:-1] | map(fromjson)
  | all(.[]; .object == "chat.completion.chunk" and (.id | type) == "string")
  and ([.[].choices[]?.delta.content // ""] | join("")) == $content
  and ([.[].choices[]? | select(.finish_reason != null) | .finish_reason] == ["stop"])
  and ([.[].choices[]?.delta.role // empty] == ["assistant"]))'
CHECK_CHAT_STREAM_PASSTHROUGH="$CHECK_CHAT_STREAM"' and (.[:-1] | map(fromjson) | all(.[]; .id | startswith("chatcmpl-fake")))'
# shellcheck disable=SC2016
CHECK_MESSAGE_STREAM='map(fromjson) | ([.[].type] | join(" ")) == "message_start content_block_start ping content_block_delta content_block_delta content_block_delta content_block_stop message_delta message_stop"
  and ([.[] | select(.type == "content_block_delta") | .delta.text] | join("")) == $content
  and (.[] | select(.type == "message_delta") | .delta.stop_reason == "end_turn" and .usage.output_tokens == $tokens)'
declare -A URL_OF HEADERS_OF BODY_OF CHECK_OF COUNTER_OF

verify_path() { # name: one real request must come back 200 with the fake upstream's answer, and reach it
  local name=$1 before after code check out="$WORK/verify-$1.out"
  header_args "${HEADERS_OF[$name]}"
  before=$(upstream_count "${COUNTER_OF[$name]}")
  code=$(curl -sS --max-time 10 -o "$out" -w '%{http_code}' -X POST "${URL_OF[$name]}" \
    "${CURL_HEADERS[@]}" --data-binary "@${BODY_OF[$name]}" 2>"$WORK/verify-$name.err" || true)
  after=$(upstream_count "${COUNTER_OF[$name]}")
  if [[ $STREAM == 1 ]]; then
    # The SSE data payloads as one JSON array of strings, in order.
    check=$(sed -n 's/^data: \{0,1\}//p' "$out" | tr -d '\r' | jq -R . | jq -s --arg content "$FAKE_CONTENT" \
      --argjson tokens "$FAKE_COMPLETION_TOKENS" "${CHECK_OF[$name]}" 2>>"$WORK/verify-$name.err" || true)
  else
    check=$(jq --arg content "$FAKE_CONTENT" --argjson tokens "$FAKE_COMPLETION_TOKENS" "${CHECK_OF[$name]}" \
      "$out" 2>>"$WORK/verify-$name.err" || true)
  fi
  if [[ $code != 200 || $check != true ]] || ((after <= before)); then
    {
      echo "verification request: POST ${URL_OF[$name]} -> HTTP ${code:-none}, answer check: ${check:-not JSON} (upstream ${COUNTER_OF[$name]} $before -> $after)"
      head -c 3000 "$out" 2>/dev/null || true
      echo
      cat "$WORK/verify-$name.err" 2>/dev/null || true
    } >&2
    [[ $name == direct* ]] && die "the fake upstream does not answer correctly"
    server_failed "$name" "a chat completion through it did not come back as the fake upstream's answer"
  fi
  log "$name: verified (HTTP 200, the expected answer, reached the fake upstream's ${COUNTER_OF[$name]})"
}

# ---------------------------------------------------------------- load runs

declare -A R # R[target.phase.key] from chat.lua's BENCH_RESULT line
RAW="$WORK/raw.txt"
: >"$RAW"

# CPU time (user + system, in clock ticks) a process has used so far: /proc/PID/stat fields 14 and 15.
cpu_ticks() { # pid
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  # The command name (field 2) may hold spaces: count fields after its closing parenthesis.
  stat=${stat##*) }
  awk '{ print $12 + $13 }' <<<"$stat"
}
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)

run_wrk() { # target phase threads connections seconds
  local target=$1 phase=$2 t=$3 c=$4 secs=$5 out="$WORK/wrk-$1-$2.txt" line kv cpu_before cpu_after
  local cmd=(wrk "-t$t" "-c$c" "-d${secs}s" --timeout 10s --latency -s "$LUA" "${URL_OF[$target]}")
  log "$target/$phase: ${cmd[*]}"
  cpu_before=$(cpu_ticks "${PID_OF[$target]}")
  if ! BENCH_BODY_FILE=${BODY_OF[$target]} BENCH_HEADERS=${HEADERS_OF[$target]} \
    timeout --kill-after=5 $((secs + 30)) "${cmd[@]}" >"$out" 2>&1; then
    cat "$out" >&2
    die "wrk failed or overran its time bound ($target/$phase)"
  fi
  cpu_after=$(cpu_ticks "${PID_OF[$target]}")
  kill -0 "${PID_OF[direct]}" 2>/dev/null || server_failed direct "the fake upstream died during the $target/$phase run"
  kill -0 "${PID_OF[$target]}" 2>/dev/null || server_failed "$target" "the process died during the $phase run"
  [[ $phase == warmup ]] && return 0
  { printf '### %s, %s\n\n```\n$ %s\n' "$target" "$phase" "${cmd[*]}"; cat "$out"; printf '```\n\n'; } >>"$RAW"
  line=$(grep '^BENCH_RESULT' "$out" || true)
  [[ -n $line ]] || { cat "$out" >&2; die "no BENCH_RESULT line from wrk ($target/$phase)"; }
  for kv in ${line#BENCH_RESULT }; do
    R[$target.$phase.${kv%%=*}]=${kv#*=}
  done
  # The server's own CPU per request: what it costs, whatever else the machine is doing (unlike latency and req/s,
  # which other processes' load moves). For a gateway path, the gateway process alone (not the fake behind it).
  R[$target.$phase.cpu_us]=$(awk -v a="$cpu_before" -v b="$cpu_after" -v hz="$CLK_TCK" -v n="${R[$target.$phase.requests]}" \
    'BEGIN { printf "%.1f", (n > 0 ? (b - a) * 1e6 / hz / n : 0) }')
}

# ---------------------------------------------------------------- main

ensure_apt_packages
wants portkey && ensure_portkey
if [[ $SKIP_BUILD != 1 ]]; then
  build_dotnet fake-upstream "$BENCH_DIR/FakeUpstream/FakeUpstream.csproj" || die "FakeUpstream build failed"
  if wants_manifold; then
    build_dotnet manifold "$ROOT/runtime/Manifold.Host/Manifold.Host.csproj" ||
      die "Manifold build failed (log above). Measure the other paths alone with BENCH_ONLY=direct,portkey."
  fi
fi
[[ -f $FAKE_DLL ]] || die "missing $FAKE_DLL"
wants_manifold && { [[ -f $MANIFOLD_DLL ]] || die "missing $MANIFOLD_DLL (build Manifold, or BENCH_ONLY=direct,portkey)"; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# The request bodies: as committed, or with "stream": true added for BENCH_STREAM=1.
body_for() { # committed-file -> the file to send
  if [[ $STREAM == 1 ]]; then
    local out
    out="$WORK/$(basename "$1" .json)-stream.json"
    jq -c '. + {stream: true}' "$1" >"$out" || die "cannot add stream: true to $1"
    echo "$out"
  else
    echo "$1"
  fi
}
CHAT_BODY=$(body_for "$REQUEST_FILE")
MESSAGES_BODY=$(body_for "$MESSAGES_REQUEST_FILE")
if [[ $STREAM == 1 ]]; then
  CHAT_CHECK=$CHECK_CHAT_STREAM CHAT_PASSTHROUGH_CHECK=$CHECK_CHAT_STREAM_PASSTHROUGH MESSAGE_CHECK=$CHECK_MESSAGE_STREAM
else
  CHAT_CHECK=$CHECK_CHAT CHAT_PASSTHROUGH_CHECK=$CHECK_PASSTHROUGH MESSAGE_CHECK=$CHECK_MESSAGE
fi

free_port UPSTREAM_PORT
log "fake upstream on 127.0.0.1:$UPSTREAM_PORT (answers held back ${UPSTREAM_DELAY_MS} ms)"
start_server direct "$WORK/fake-upstream.log" env FAKE_DELAY_MS="$UPSTREAM_DELAY_MS" \
  dotnet "$FAKE_DLL" --urls "http://127.0.0.1:$UPSTREAM_PORT"
wait_ready direct "http://127.0.0.1:$UPSTREAM_PORT/v1/models"
URL_OF[direct]="http://127.0.0.1:$UPSTREAM_PORT/v1/chat/completions"
HEADERS_OF[direct]="Authorization: Bearer $UPSTREAM_KEY"
BODY_OF[direct]=$CHAT_BODY CHECK_OF[direct]=$CHAT_PASSTHROUGH_CHECK COUNTER_OF[direct]=chat_completions
verify_path direct

if wants direct-messages; then
  # The same process as direct; only the protocol differs.
  PID_OF[direct-messages]=${PID_OF[direct]} LOG_OF[direct-messages]=${LOG_OF[direct]}
  URL_OF[direct-messages]="http://127.0.0.1:$UPSTREAM_PORT/v1/messages"
  HEADERS_OF[direct-messages]="x-api-key: $UPSTREAM_KEY|anthropic-version: 2023-06-01"
  BODY_OF[direct-messages]=$MESSAGES_BODY CHECK_OF[direct-messages]=$MESSAGE_CHECK COUNTER_OF[direct-messages]=messages
  verify_path direct-messages
fi

if wants_manifold; then
  free_port MANIFOLD_PORT
  log "Manifold on 127.0.0.1:$MANIFOLD_PORT"
  rm -f "$MANIFOLD_DB" "$MANIFOLD_DB-shm" "$MANIFOLD_DB-wal"
  manifold_env=(
    Manifold__Platforms__bench__Plugin=openai
    Manifold__Platforms__bench__BaseUrl="http://127.0.0.1:$UPSTREAM_PORT/v1"
    Manifold__Platforms__bench__Accounts__0__Key="$UPSTREAM_KEY"
  )
  if wants converted; then
    # One process serves both paths, so pass-through and conversion share the warm runtime, pools and GC.
    # Anthropic's base URL has no version: the claude plugin adds /v1/messages.
    manifold_env+=(
      Manifold__Platforms__bench-claude__Plugin=claude
      Manifold__Platforms__bench-claude__BaseUrl="http://127.0.0.1:$UPSTREAM_PORT"
      Manifold__Platforms__bench-claude__Accounts__0__Key="$UPSTREAM_KEY"
      'Manifold__Platforms__bench-claude__Models__0=claude-*'
    )
  fi
  [[ -z $LICENCE_POLICY ]] || manifold_env+=(Manifold__Admin__Key="$MANIFOLD_ADMIN_KEY")
  start_server manifold "$WORK/manifold.log" env "${manifold_env[@]}" \
    Manifold__BootstrapKey="$MANIFOLD_KEY" \
    Manifold__Storage__ConnectionString="Data Source=$MANIFOLD_DB" \
    Logging__LogLevel__Default=Warning \
    bash -c 'cd "$1" && exec dotnet "$2" --urls "$3"' manifold "$ROOT" "$MANIFOLD_DLL" "http://127.0.0.1:$MANIFOLD_PORT"
  wait_ready manifold "http://127.0.0.1:$MANIFOLD_PORT/"
  if [[ -n $LICENCE_POLICY ]]; then
    # The bench licence is the bootstrap one: found by its name, given the policy, checked on every request from now on.
    admin=(-sS --max-time 10 -H "Authorization: Bearer $MANIFOLD_ADMIN_KEY" -H 'Content-Type: application/json')
    licence_id=$(curl "${admin[@]}" "http://127.0.0.1:$MANIFOLD_PORT/admin/api/licences" | jq -r '.data[] | select(.name == "bootstrap") | .id') ||
      die "could not list Manifold's licences"
    curl "${admin[@]}" -X PATCH --data-binary "$LICENCE_POLICY" "http://127.0.0.1:$MANIFOLD_PORT/admin/api/licences/$licence_id" \
      -o "$WORK/policy.json" -w '%{http_code}' | grep -qx 200 || { cat "$WORK/policy.json" >&2; die "BENCH_LICENCE_POLICY was refused"; }
    log "bench licence $licence_id: $(jq -c '{quota, limits}' "$WORK/policy.json")"
  fi
  if wants manifold; then
    URL_OF[manifold]="http://127.0.0.1:$MANIFOLD_PORT/bench/v1/chat/completions"
    HEADERS_OF[manifold]="Authorization: Bearer $MANIFOLD_KEY"
    BODY_OF[manifold]=$CHAT_BODY CHECK_OF[manifold]=$CHAT_PASSTHROUGH_CHECK COUNTER_OF[manifold]=chat_completions
    verify_path manifold
  fi
  if wants converted; then
    PID_OF[converted]=${PID_OF[manifold]} LOG_OF[converted]=${LOG_OF[manifold]}
    URL_OF[converted]="http://127.0.0.1:$MANIFOLD_PORT/bench-claude/v1/chat/completions"
    HEADERS_OF[converted]="Authorization: Bearer $MANIFOLD_KEY"
    BODY_OF[converted]=$CHAT_BODY CHECK_OF[converted]=$CHAT_CHECK COUNTER_OF[converted]=messages
    verify_path converted
  fi
fi

if wants portkey; then
  free_port PORTKEY_PORT
  log "Portkey on 127.0.0.1:$PORTKEY_PORT"
  start_server portkey "$WORK/portkey.log" node -r "$PORTKEY_DIR/loopback.cjs" \
    "$PORTKEY_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$PORTKEY_PORT" --headless
  wait_ready portkey "http://127.0.0.1:$PORTKEY_PORT/"
  URL_OF[portkey]="http://127.0.0.1:$PORTKEY_PORT/v1/chat/completions"
  HEADERS_OF[portkey]="Authorization: Bearer $UPSTREAM_KEY|x-portkey-provider: openai|x-portkey-custom-host: http://127.0.0.1:$UPSTREAM_PORT/v1"
  BODY_OF[portkey]=$CHAT_BODY CHECK_OF[portkey]=$CHAT_PASSTHROUGH_CHECK COUNTER_OF[portkey]=chat_completions
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

# Phase by phase rather than path by path: the sequential runs, which the conversion bar compares, then
# follow each other within seconds (manifold right before converted), so slow drift on the machine
# moves them together. Warm-up state (JIT tiers, pools) lasts for the whole run.
for target in "${TARGETS[@]}"; do
  run_wrk "$target" warmup "$THREADS" "$CONNECTIONS" "$WARMUP_S"
  sleep 1
done
for phase in sequential parallel; do
  for target in "${TARGETS[@]}"; do
    if [[ $phase == sequential ]]; then
      run_wrk "$target" sequential 1 1 "$DURATION_S"
    else
      run_wrk "$target" parallel "$THREADS" "$CONNECTIONS" "$DURATION_S"
    fi
    sleep 1
  done
done

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')

# ---------------------------------------------------------------- report

ms() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000 }'; }
delta_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.3f", (a - b) / 1000 }'; }
label() {
  case $1 in
    direct) echo "direct (fake upstream, no gateway)" ;;
    manifold) echo "Manifold (pass-through, openai platform)" ;;
    converted) echo "Manifold converting (claude platform: Chat → Messages → Chat)" ;;
    portkey) echo "Portkey $PORTKEY_VERSION" ;;
    direct-messages) echo "direct Anthropic /v1/messages (fake upstream, no gateway)" ;;
  esac
}

# Issue 3's bar: (converted - manifold) / (manifold - direct) at the sequential p50, at most CONVERSION_BAR %.
BAR_VERDICT=
conversion_report() {
  echo "## Conversion cost against the pass-through cost (sequential p50)"
  echo
  if ! wants direct || ! wants manifold || ! wants converted; then
    echo "n/a: needs direct, manifold and converted in the same run."
    return 0
  fi
  local d=${R[direct.sequential.p50_us]} m=${R[manifold.sequential.p50_us]} c=${R[converted.sequential.p50_us]}
  echo "- pass-through added latency = manifold p50 − direct p50 = $(ms "$m") − $(ms "$d") = **$(delta_ms "$m" "$d") ms**"
  echo "- conversion added latency = converted p50 − direct p50 = $(ms "$c") − $(ms "$d") = **$(delta_ms "$c" "$d") ms**"
  if ((m > d)); then
    local ratio
    ratio=$(awk -v c="$c" -v m="$m" -v d="$d" 'BEGIN { printf "%.1f", 100 * (c - m) / (m - d) }')
    BAR_VERDICT=$(awk -v r="$ratio" -v bar="$CONVERSION_BAR" 'BEGIN { print (r <= bar ? "PASS" : "FAIL") }')
    echo "- ratio = (converted − manifold) / (manifold − direct) = $(delta_ms "$c" "$m") / $(delta_ms "$m" "$d") = **$ratio %** → **$BAR_VERDICT** (bar: at most $CONVERSION_BAR %)$( ((c < m)) && echo '; below 0: converting measured faster than passing through, which is noise of this size')"
  else
    BAR_VERDICT=n/a
    echo "- ratio = n/a: the pass-through p50 is not above direct's in this run, so there is no cost to compare with (rerun on a quieter machine)"
  fi
  if wants direct-messages; then
    echo "- the fake upstream itself: /v1/messages p50 − /v1/chat/completions p50 = $(delta_ms "${R[direct-messages.sequential.p50_us]}" "$d") ms (inside the conversion figure; near 0 means the comparison is fair)"
  fi
  # Under load, 1 / (req/s) is the shared CPU time one request takes; its growth over direct is the gateway's share.
  local pd=${R[direct.parallel.rps]} pm=${R[manifold.parallel.rps]} pc=${R[converted.parallel.rps]}
  awk -v d="$pd" -v m="$pm" -v c="$pc" 'BEGIN {
    td = 1e6 / d; tm = 1e6 / m; tc = 1e6 / c
    printf "- for information, under load (%s): time per request 1/(req/s) is %.1f µs direct, %.1f µs pass-through, %.1f µs converting; ", "parallel run", td, tm, tc
    if (tm > td) printf "conversion adds %.1f %% to the pass-through cost\n", 100 * (tc - tm) / (tm - td); else print "n/a"
  }'
  echo
  echo "The ratio is a difference of differences of a fraction of a millisecond: compare it over repeated runs on an idle machine before trusting a few percent."
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
  echo "# Gateway benchmark: POST /v1/chat/completions ($([[ $STREAM == 1 ]] && echo streaming || echo non-streaming))"
  echo
  echo "Run $(date -u '+%Y-%m-%d %H:%M:%S UTC') by \`tests/Benchmarks/bench.sh\` (repo commit $COMMIT). Paths: ${TARGETS[*]}."
  if ((UPSTREAM_DELAY_MS > 0)); then upstream_desc="the fake upstream, which holds every answer back $UPSTREAM_DELAY_MS ms"; else upstream_desc="the zero-delay fake upstream"; fi
  echo "Each path: ${WARMUP_S} s warm-up at $CONNECTIONS connections, then the runs below, ${DURATION_S} s each, on 127.0.0.1 against $upstream_desc."
  echo "Request body: \`tests/Benchmarks/request.json\` ($(wc -c <"$CHAT_BODY" | tr -d ' ') bytes$([[ $STREAM == 1 ]] && echo ', with "stream": true')), the same for every Chat Completions path$(wants direct-messages && echo "; direct-messages sends \`tests/Benchmarks/request-messages.json\` ($(wc -c <"$MESSAGES_BODY" | tr -d ' ') bytes)"). Latencies in milliseconds$([[ $STREAM == 1 ]] && echo ', each to the end of the stream')."
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
  echo "| Path | req/s | vs direct | p50 | p99 | server CPU per request (µs) | errors |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | --- |"
  for t in "${TARGETS[@]}"; do
    p="$t.parallel"
    if wants direct; then
      rel=$(awk -v a="${R[$p.rps]}" -v b="${R[direct.parallel.rps]}" 'BEGIN { printf "%.1f %%", 100 * a / b }')
    else
      rel="n/a"
    fi
    err=$(errors_of "$t" parallel)
    [[ $err == 0 ]] || BAD=1
    printf '| %s | %.0f | %s | %s | %s | %s | %s |\n' "$(label "$t")" "${R[$p.rps]}" "$rel" \
      "$(ms "${R[$p.p50_us]}")" "$(ms "${R[$p.p99_us]}")" "${R[$p.cpu_us]}" "$err"
  done
  echo
  echo "Added latency = gateway minus direct, same percentile. The client (wrk), the gateway and the fake upstream share the same $(nproc) cores, so the parallel numbers are a relative comparison, not a capacity figure. Server CPU per request is the process's user + system time over the run (/proc) divided by the requests it answered: the fake upstream's for direct, Manifold's alone for a gateway path; unlike latency and req/s, other processes' load hardly moves it."
  echo
  conversion_report
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
  echo "| fake upstream delay | ${UPSTREAM_DELAY_MS} ms per answer (BENCH_UPSTREAM_DELAY_MS) |"
  echo "| Manifold's bench licence | ${LICENCE_POLICY:-no quota or limits} (BENCH_LICENCE_POLICY) |"
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
if [[ -n $BAR_VERDICT ]]; then
  log "conversion bar (at most $CONVERSION_BAR % of the pass-through cost): $BAR_VERDICT"
fi
if [[ $ENFORCE_BAR == 1 && $BAR_VERDICT == FAIL ]]; then
  printf '[bench] conversion adds more than %s %% to the pass-through cost (BENCH_ENFORCE_BAR=1)\n' "$CONVERSION_BAR" >&2
  exit 3
fi
