#!/usr/bin/env bash
# Stop what scripts/prod-up.sh started — exactly the processes named in var/prod/*.pid, each
# checked to be the program it should be — gracefully (TERM), then KILL after a timeout.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PROD_DIR="${PROD_DIR:-$ROOT/var/prod}"

stop() {  # stop NAME EXPECTED-COMMAND-SUBSTRING
  local pidfile="$PROD_DIR/$1.pid" pid
  [ -s "$pidfile" ] || { echo "prod-down: $1 not running (no pid file)"; return 0; }
  pid="$(cat "$pidfile")"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "prod-down: $1 (pid $pid) already gone"; rm -f "$pidfile"; return 0
  fi
  if ! tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$2"; then
    echo "prod-down: pid $pid is not $1 any more; leaving it alone" >&2; rm -f "$pidfile"; return 0
  fi
  kill -TERM "$pid"
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "prod-down: $1 (pid $pid) did not stop in 30 s; killing it" >&2
    kill -KILL "$pid"
  fi
  rm -f "$pidfile"
  echo "prod-down: stopped $1 (pid $pid)"
}

stop gunicorn gunicorn
stop beat "celery -A portal beat"
stop worker "celery -A portal worker"
