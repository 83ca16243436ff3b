#!/usr/bin/env bash
# Runs the benchmarks (tests/Benchmarks) in Release and writes their figures into docs/benchmarks.md, with the machine,
# the command and the date. Brings up the private PostgreSQL server (scripts/postgres.sh) when PDS_TEST_POSTGRES is not
# set, so the figures cover SQLite and PostgreSQL. Works on a clean clone (needs root for the PostgreSQL install).
#   bash scripts/bench.sh                 # all: calendar, expressions, engine, history (0 and 100,000 finished tasks),
#                                         #   inbox (100,000 tasks), replay, memory (100,000 waiting)
#   bash scripts/bench.sh --million       # the history and the inbox also with 1,000,000 tasks (adds half an hour or more)
#   bash scripts/bench.sh engine inbox    # only these; the page then holds only their figures
# Scale: PDS_BENCH_INSTANCES (engine, 300), PDS_BENCH_SUSPENDED (memory, 100000), PDS_BENCH_HISTORY (history, "0,100000"),
# PDS_BENCH_ROUNDS and PDS_BENCH_WINDOW_MS (history: 7 rounds of 1,000 ms windows).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${PDS_TEST_POSTGRES:-}" ]; then
  PDS_TEST_POSTGRES=$(bash scripts/postgres.sh)
  export PDS_TEST_POSTGRES
fi

verbs=()
flags=()
for arg in "$@"; do
  case "$arg" in --*) flags+=("$arg") ;; *) verbs+=("$arg") ;; esac
done
[ ${#verbs[@]} -eq 0 ] && verbs=(all)

dotnet build tests/Benchmarks -c Release -nologo -v quiet
figures=$(mktemp)
started=$(date -u +"%Y-%m-%d %H:%M UTC")
dotnet tests/Benchmarks/bin/Release/net10.0/PdsWorkflow.Benchmarks.dll "${verbs[@]}" "${flags[@]}" --markdown "$figures"

page=docs/benchmarks.md
# The hand-written reading of the figures, from the marker line to the end of the page, is kept.
notes=$(sed -n '/^<!-- notes/,$p' "$page" 2>/dev/null || true)
{
  echo "# Benchmarks"
  echo
  echo "Figures, not tests. Written by \`bash scripts/bench.sh ${*:-}\` on $started (\`tests/Benchmarks\`, Release;"
  echo "PostgreSQL is the private server of scripts/postgres.sh, which runs with fsync and synchronous commit off)."
  echo "Compare the ratios within one run rather than absolute figures across runs: the machine is shared."
  echo
  cat "$figures"
  if [ -n "$notes" ]; then echo; echo "$notes"; fi
} > "$page"
rm -f "$figures"
echo "bench.sh: figures written to $page"
