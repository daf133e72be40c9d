#!/usr/bin/env bash
# make loadtest: a deadline rush with publishing going on, against the production stack on
# loopback, bounded in time. Starts its own stack (scripts/prod-up.sh, demo data + 50 load-test
# officials + 3 secretariat staff) on its own database, Redis databases, port and folder, so it
# touches no other stack on the machine: lertrat_load, Redis db 10 (cache) and 11 (broker),
# 127.0.0.1:8110, var/load/ (override with PROD_DB, PROD_REDIS_URL, PROD_BROKER_URL, PROD_PORT,
# PROD_DIR). Then runs locust headless for LOADTEST_TIME (180s):
# - LOADTEST_OFFICIALS (50) officials arrive as people do at a deadline, over minutes: their
#   sign-ins are spread at random over the first LOADTEST_SIGN_IN_WINDOW seconds (120; a Poisson
#   process given its count, seeded), each then writing, attaching and submitting entries,
#   LOADTEST_OFFICIAL_THINK seconds (2,8) on each form before saving it;
# - LOADTEST_VISITORS (200) visitors arrive steadily over the first LOADTEST_VISITOR_WINDOW
#   seconds (30) and browse and search, 5-15 s between clicks;
# - LOADTEST_STAFF (3) secretariat staff sign in with a password and an authenticator code and,
#   every 3-8 s, publish a case study, edit a published one's title and summary, or unpublish /
#   republish one, through the Django admin's forms (so the signals and the worker's indexing run).
# Then checks the database and the search index against what the officials and staff were told
# (no lost or duplicated entries; every confirmed publish and edit saved and indexed), prints
# count, failures, median, p95 and max per request kind beside the budgets (p95 <= 1 s; sign-in
# <= 5 s) and the previous run's p95, the load average before and after, and stops the stack.
# Fails on any request error or database/index disagreement; a p95 over budget is marked OVER.
# The search and sign-up rate limits and the anonymous API throttle are raised for the run
# (only here: production keeps its defaults): every simulated visitor comes from 127.0.0.1, so
# the per-address limits meant for one person would count 200 visitors as one and answer 429.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export PROD_DB="${PROD_DB:-lertrat_load}" PROD_PORT="${PROD_PORT:-8110}"
export PROD_REDIS_URL="${PROD_REDIS_URL:-redis://127.0.0.1:6379/10}"
export PROD_BROKER_URL="${PROD_BROKER_URL:-redis://127.0.0.1:6379/11}"
export PROD_DIR="${PROD_DIR:-$ROOT/var/load}"
export LOADTEST_OFFICIALS="${LOADTEST_OFFICIALS:-50}" LOADTEST_VISITORS="${LOADTEST_VISITORS:-200}"
export LOADTEST_STAFF="${LOADTEST_STAFF:-3}"
RUN_TIME="${LOADTEST_TIME:-180s}"
export RATELIMIT_SEARCH="1000000/m" RATELIMIT_SIGN_UP="1000000/m"
export API_ANON_THROTTLE_RATE="1000000/minute"
OUT="$PROD_DIR/loadtest"
mkdir -p "$OUT"
export LOADTEST_LEDGER="$OUT/ledger.json"
# The load-test stack's access log ends each line with the server's time for the request
# (ms): beside locust's figures it tells time spent in the portal from time spent queueing.
export GUNICORN_CMD_ARGS="--access-logformat '%(h)s %(t)s \"%(r)s\" %(s)s %(b)s %(M)sms'"
[ -s "$OUT/stats_stats.csv" ] && mv "$OUT/stats_stats.csv" "$OUT/previous_stats.csv"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

bash scripts/prod-down.sh >/dev/null 2>&1 || true
SEED=1 bash scripts/prod-up.sh
trap 'bash scripts/prod-down.sh >/dev/null' EXIT
source scripts/prod-env.sh
.venv/bin/python scripts/loadtest/dbcheck.py setup >"$OUT/baseline.json"

# CPU seconds so far of the stack's web and worker processes, each with its children (the
# database's share is not told apart: PostgreSQL is the machine's, shared).
stack_cpu() {
  local name pid
  for name in gunicorn worker; do
    pid="$(cat "$PROD_DIR/$name.pid")"
    ps -o cputimes= --pid "$pid" --ppid "$pid" | awk '{s += $1} END {printf "%d ", s}'
  done
  echo
}

users=$((LOADTEST_OFFICIALS + LOADTEST_VISITORS + LOADTEST_STAFF))
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r web_cpu worker_cpu < <(stack_cpu)
set +e
# Every user is started within seconds; each waits for its own arrival time (locustfile.py).
TIMEFORMAT='%U %S'
{ time .venv/bin/locust -f scripts/loadtest/locustfile.py --headless --host "$SITE_URL" \
  --users "$users" --spawn-rate 50 --run-time "$RUN_TIME" --stop-timeout 30 \
  --csv "$OUT/stats" --only-summary --loglevel WARNING >"$OUT/locust.log" 2>&1; } 2>"$OUT/locust.cpu"
locust_rc=$?
set -e
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r web_end worker_end < <(stack_cpu)

.venv/bin/python scripts/loadtest/report.py "$OUT/stats_stats.csv" "$OUT/previous_stats.csv"
echo "load average (1, 5, 15 min): before the stack $load_before; at the start $load_start;" \
  "at the end $load_end ($(nproc) cores)"
echo "CPU seconds during the run: web $((web_end - web_cpu)), worker $((worker_end - worker_cpu))," \
  "locust $(awk '{printf "%.0f", $1 + $2}' "$OUT/locust.cpu") (PostgreSQL not counted)"
db_ok=0
.venv/bin/python scripts/loadtest/dbcheck.py verify "$LOADTEST_LEDGER" "$OUT/baseline.json" || db_ok=1
failures=$(awk -F, 'NR>1 && $2=="Aggregated" {print $4}' "$OUT/stats_stats.csv")
echo "loadtest: $users users for $RUN_TIME — request failures: ${failures:-?}; locust exit $locust_rc; database check $([ $db_ok = 0 ] && echo OK || echo FAILED)"
[ -s "$OUT/stats_failures.csv" ] && [ "$(wc -l <"$OUT/stats_failures.csv")" -gt 1 ] && head -20 "$OUT/stats_failures.csv"
[ "$locust_rc" = 0 ] && [ "$db_ok" = 0 ] && [ "${failures:-1}" = 0 ]
