"""The load test's figures per request kind beside their budgets (and the previous run's p95 on
this machine, if kept): count, failures, median, p95, max in milliseconds. A p95 over budget is
marked OVER and counted, never an error: the exit status is the load test's, not this.

    python scripts/loadtest/report.py STATS_CSV [PREVIOUS_STATS_CSV]"""

import csv
import sys
from pathlib import Path

BUDGET_MS = 1000  # every request kind's p95 ...
SIGN_IN_BUDGET_MS = 5000  # ... but a sign-in's (a password hash is meant to be slow)


def budget_of(name: str) -> int:
    return SIGN_IN_BUDGET_MS if name.startswith("sign in") else BUDGET_MS


def rows_of(path) -> dict[str, dict]:
    if not path or not Path(path).is_file():
        return {}
    return {row["Name"]: row for row in csv.DictReader(open(path, encoding="utf-8"))}


def main(stats_path, previous_path=None) -> None:
    rows, previous = rows_of(stats_path), rows_of(previous_path)
    print(f"{'request':<30}{'count':>7}{'fail':>6}{'median':>8}{'p95':>8}{'max':>8}"
          f"{'budget':>8}{'prev p95':>10}")  # fmt: skip
    over = []
    for name, row in rows.items():
        aggregated = name == "Aggregated"
        p95, budget = int(float(row["95%"])), budget_of(name)
        mark = "" if aggregated or p95 <= budget else "  OVER"
        if mark:
            over.append(name)
        before = previous.get(name, {}).get("95%", "")
        print(f"{name[:29]:<30}{row['Request Count']:>7}{row['Failure Count']:>6}"
              f"{row['50%']:>8}{p95:>8}{float(row['Max Response Time']):>8.0f}"
              f"{'' if aggregated else budget:>8}{before:>10}{mark}")  # fmt: skip
    print(f"(ms; budget: p95 ≤ {BUDGET_MS} ms, sign-ins ≤ {SIGN_IN_BUDGET_MS} ms; "
          f"prev p95: the previous run kept on this machine)")  # fmt: skip
    kinds = len(rows) - ("Aggregated" in rows)
    print(f"budget: {kinds - len(over)} of {kinds} request kinds within, "
          f"{len(over)} OVER{': ' + ', '.join(over) if over else ''}")  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:3])
