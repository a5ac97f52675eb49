#!/usr/bin/env bash
# Runs every test suite and prints one closing line: "tests: N passed, N failed, N skipped".
#   0. npm ci in tests/conformance when its modules are missing or stale (the SDKs, and s3rver, the S3-compatible server
#      the host tests store media in);
#   1. dotnet test over Plugins.sln (generator, plugins, host, the OpenAI .NET SDK), in Release;
#   2. tests/conformance: the official npm SDKs against the Release host built by step 1.
set -uo pipefail
cd "$(dirname "$0")"

log=$(mktemp)
node_log=$(mktemp)
trap 'rm -f "$log" "$node_log"' EXIT

status=0
(
  cd tests/conformance &&
  { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; }
) || status=1

dotnet test Plugins.sln -c Release --nologo 2>&1 | tee "$log" || status=$?

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S, Total: T - Name.dll" line per test project.
# Only the repository's own projects count: a test that runs dotnet test itself (the plugin template's) echoes such lines too.
read -r passed failed skipped < <(awk -F'[:,]' '/^(Passed|Failed)! +- +Failed:.* - Manifold\.[A-Za-z.]+\.dll/ {
    for (i = 1; i <= NF; i++) {
      gsub(/ /, "", $i)
      if ($i == "-Failed" || $i == "Failed!-Failed" || $i == "Passed!-Failed") f += $(i + 1)
      if ($i == "Passed") p += $(i + 1)
      if ($i == "Skipped") s += $(i + 1)
    }
  } END { print p + 0, f + 0, s + 0 }' "$log")

(
  cd tests/conformance &&
  npm test --silent
) 2>&1 | tee "$node_log" || status=1

# node --test closes with "# pass N" / "# fail N" / "# skipped N".
node_pass=$(awk '/^# pass / {print $3}' "$node_log" | tail -n 1)
node_fail=$(awk '/^# fail / {print $3}' "$node_log" | tail -n 1)
node_skip=$(awk '/^# skipped / {print $3}' "$node_log" | tail -n 1)
passed=$((passed + ${node_pass:-0}))
failed=$((failed + ${node_fail:-0}))
skipped=$((skipped + ${node_skip:-0}))
[ -n "$node_pass" ] || status=1

echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
