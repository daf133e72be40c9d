#!/usr/bin/env bash
# make loadtest: a deadline rush against the production stack on loopback, bounded in time.
# Starts its own stack (scripts/prod-up.sh, demo data + 50 load-test officials), runs locust
# headless — LOADTEST_OFFICIALS (50) officials writing, attaching and submitting entries while
# LOADTEST_VISITORS (200) visitors browse and search — for LOADTEST_TIME (90s), then checks
# the database against what the officials were told (no lost or duplicated entries), prints
# p95 latencies per request and stops the stack. Fails on any request error.
# The search and sign-up rate limits and the anonymous API throttle are raised for the run
# (only here: production keeps its defaults): every simulated visitor comes from 127.0.0.1, so
# the per-address limits meant for one person would count 200 visitors as one and answer 429.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
export LOADTEST_OFFICIALS="${LOADTEST_OFFICIALS:-50}" LOADTEST_VISITORS="${LOADTEST_VISITORS:-200}"
RUN_TIME="${LOADTEST_TIME:-90s}"
export RATELIMIT_SEARCH="1000000/m" RATELIMIT_SIGN_UP="1000000/m"
export API_ANON_THROTTLE_RATE="1000000/minute"
OUT="$ROOT/var/prod/loadtest"
mkdir -p "$OUT"
export LOADTEST_LEDGER="$OUT/ledger.json"

bash scripts/prod-down.sh >/dev/null 2>&1 || true
SEED=1 bash scripts/prod-up.sh
trap 'bash scripts/prod-down.sh >/dev/null' EXIT
source scripts/prod-env.sh
.venv/bin/python scripts/loadtest/dbcheck.py setup >"$OUT/baseline.json"

users=$((LOADTEST_OFFICIALS + LOADTEST_VISITORS))
set +e
.venv/bin/locust -f scripts/loadtest/locustfile.py --headless --host "$SITE_URL" \
  --users "$users" --spawn-rate 25 --run-time "$RUN_TIME" --stop-timeout 30 \
  --csv "$OUT/stats" --only-summary --loglevel WARNING >"$OUT/locust.log" 2>&1
locust_rc=$?
set -e

.venv/bin/python - "$OUT/stats_stats.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"{'request':<28}{'count':>8}{'fail':>6}{'median':>8}{'p95 ms':>8}{'max':>8}")
for r in rows:
    print(f"{r['Name'][:27]:<28}{r['Request Count']:>8}{r['Failure Count']:>6}"
          f"{r['50%']:>8}{r['95%']:>8}{float(r['Max Response Time']):>8.0f}")
PY
db_ok=0
.venv/bin/python scripts/loadtest/dbcheck.py verify "$LOADTEST_LEDGER" "$OUT/baseline.json" || db_ok=1
failures=$(awk -F, 'NR>1 && $2=="Aggregated" {print $4}' "$OUT/stats_stats.csv")
echo "loadtest: $users users for $RUN_TIME — request failures: ${failures:-?}; locust exit $locust_rc; database check $([ $db_ok = 0 ] && echo OK || echo FAILED)"
[ -s "$OUT/stats_failures.csv" ] && [ "$(wc -l <"$OUT/stats_failures.csv")" -gt 1 ] && head -20 "$OUT/stats_failures.csv"
[ "$locust_rc" = 0 ] && [ "$db_ok" = 0 ] && [ "${failures:-1}" = 0 ]
