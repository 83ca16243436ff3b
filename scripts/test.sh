#!/usr/bin/env bash
# The README's test command: brings up what the tests need on a fresh machine, then runs the whole suite.
#   PostgreSQL: a private server from Debian's packages (scripts/postgres.sh); PDS_TEST_POSTGRES is exported.
#   FTP: a private pure-ftpd with virtual users from Debian's packages (scripts/ftp.sh); PDS_TEST_FTP is exported.
# On CI (CI=true) a server that cannot be had fails the run; locally the tests that need it are then reported as ignored.
#   Chromium: Debian's chromium for the browser tests (scripts/chromium.sh); PDS_TEST_CHROMIUM is exported.
# The SMTP server and the SMS gateway the account tests deliver to are started by the tests themselves, in process.
# The web UI's own unit tests (vitest, src/Host/ClientApp: form validation against tests/vectors, formatting) run after
# the build, which installed the UI's packages; then `dotnet test`, whose browser tests include the axe check.
# Extra arguments go to `dotnet test` (e.g. --filter FullyQualifiedName~Calendar).
set -uo pipefail
cd "$(dirname "$0")/.."

ci=false
[ "${CI:-}" = "true" ] && ci=true

if [ -z "${PDS_TEST_POSTGRES:-}" ]; then
  if connection=$(bash scripts/postgres.sh); then
    export PDS_TEST_POSTGRES="$connection"
  else
    echo "=================================================================="
    echo " PostgreSQL could not be brought up: the PostgreSQL variants of the"
    echo " persistence tests cannot run. See the messages above."
    echo "=================================================================="
    if $ci; then exit 1; fi
  fi
fi

if [ -z "${PDS_TEST_FTP:-}" ]; then
  if settings=$(bash scripts/ftp.sh); then
    export PDS_TEST_FTP="$settings"
  else
    echo "=================================================================="
    echo " The FTP server could not be brought up: the FTP account tests"
    echo " cannot run. See the messages above."
    echo "=================================================================="
    if $ci; then exit 1; fi
  fi
fi

if [ -z "${PDS_TEST_CHROMIUM:-}" ]; then
  if browser=$(bash scripts/chromium.sh); then
    export PDS_TEST_CHROMIUM="$browser"
  else
    echo "=================================================================="
    echo " Chromium could not be had: the browser tests (tests/Browser.Tests)"
    echo " cannot run. See the messages above."
    echo "=================================================================="
    if $ci; then exit 1; fi
  fi
fi

results=artifacts/test-results
rm -rf "$results" artifacts/screenshots
mkdir -p "$results"
dotnet build PdsWorkflow.sln -nologo -v quiet 2>&1 | tail -n 20
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build failed"; exit 1; }

client_status=0
if [ -x src/Host/ClientApp/node_modules/.bin/vitest ]; then
  (cd src/Host/ClientApp && npm test --silent -- --reporter=default --reporter=junit --outputFile.junit=../../../$results/client-junit.xml) 2>&1 \
    | tee "$results/client.log"
  client_status=${PIPESTATUS[0]}
else
  echo "=================================================================="
  echo " Node.js or the web UI's packages are missing (the Host's build"
  echo " installs them with npm ci): the web UI's unit tests cannot run."
  echo "=================================================================="
  if $ci; then exit 1; fi
fi

dotnet test PdsWorkflow.sln --no-build -nologo --results-directory "$results" "$@" 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}
[ "$client_status" -eq 0 ] || status=$client_status

# One closing line for the whole run, summed over the test projects' own summaries.
summary=$(grep -E '^(Passed|Failed)!' "$results/console.log" | awk -F'[:,]' '
  { for (i = 1; i < NF; i++) { gsub(/ /, "", $i); v = $(i+1); gsub(/ /, "", v);
      if ($i ~ /Failed$/) f += v; else if ($i == "Passed") p += v; else if ($i == "Skipped") s += v } }
  END { printf "%d %d %d", p, f, s }')
# vitest closes with "Tests  2 failed | 170 passed | 1 skipped (173)".
client=$(sed 's/\x1b\[[0-9;]*m//g' "$results/client.log" 2>/dev/null | grep -E '^ *Tests ' | tail -n 1 | awk '
  { for (i = 1; i < NF; i++) { if ($(i+1) ~ /^passed/) p += $i; else if ($(i+1) ~ /^failed/) f += $i; else if ($(i+1) ~ /^(skipped|todo)/) s += $i } }
  END { printf "%d %d %d", p, f, s }')
summary=$(echo "${summary:-0 0 0} ${client:-0 0 0}" | awk '{ if ($1 + $2 + $3 + $4 + $5 + $6 > 0) printf "%d passed, %d failed, %d skipped", $1 + $4, $2 + $5, $3 + $6 }')
[ -d artifacts/screenshots ] && echo "Screenshots of the web UI (browser tests): artifacts/screenshots/"
echo "Tests: ${summary:-0 passed, 0 failed}"
if [ "$status" -eq 0 ] && [ -z "$summary" ]; then echo "no test ran"; exit 1; fi
exit "$status"
