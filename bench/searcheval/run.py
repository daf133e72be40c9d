"""`make searcheval`: score the portal's public search on a judged set, beside a plain
substring AND-search over the same texts, in the same run.

    make searcheval                          # bench/searcheval/ on a throwaway SQLite file
    DATABASE_URL=postgres://… make searcheval  # a throwaway PostgreSQL database beside it
    make searcheval SET=path/to/dir          # another judged set (documents/queries.jsonl)
    make searcheval SEARCHEVAL_ARGS=--no-fail  # report only

The database is created here, migrated, filled with the project's own `import_cases` (so the
indexing runs as in production, Celery tasks in-process) and dropped at the end. Every query
goes through GET /api/v1/cases/?q=… (Django's test client); the top 10 are scored. The floor:
every whitespace-separated token of the query a substring of title + summary + body, title
matches first, then by id. Prints metric | portal | floor with the load average, then the
portal's misses; the last line is one JSON object. Exits 1 when the portal is below the floor
on any figure (unless --no-fail)."""

import argparse
import io
import json
import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from bench.searcheval.metrics import (  # noqa: E402
    K,
    average_precision,
    load_set,
    problems,
    score,
    substring_search,
)

LABELS = {
    "mrr": "MRR",
    "map": "MAP@10",
    "recall": "recall@10",
    "hard_mrr": "MRR, hard",
    "hard_map": "MAP@10, hard",
    "hard_recall": "recall@10, hard",
}


def throwaway_database() -> tuple[str, callable]:
    """Point DATABASE_URL at a new empty database; returns (description, drop)."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import dj_database_url
        import psycopg

        base = dj_database_url.parse(url)
        name = f"{base['NAME']}_eval_{os.getpid()}"
        options = {
            "host": base["HOST"] or "127.0.0.1",
            "port": base["PORT"] or 5432,
            "user": base["USER"] or "postgres",
            "password": base["PASSWORD"] or None,
            "dbname": "postgres",
            "autocommit": True,
        }
        with psycopg.connect(**options) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(**options) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return f"PostgreSQL {name} (dropped after)", drop
    folder = tempfile.mkdtemp(prefix="searcheval-")
    path = Path(folder) / "eval.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"

    def drop():
        from django.db import connections

        connections.close_all()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.rmdir(folder)

    return f"SQLite {path} (deleted after)", drop


def portal_run(documents_path: Path, queries: list[dict]) -> tuple[dict, dict]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrated = time.perf_counter()
    out, err = io.StringIO(), io.StringIO()
    call_command("import_cases", str(documents_path), stdout=out, stderr=err)
    imported = time.perf_counter()
    if err.getvalue().strip():
        raise SystemExit(f"import_cases reported errors:\n{err.getvalue()}")
    print(f"import_cases: {out.getvalue().strip().splitlines()[-1]}")

    client = Client()
    run = {}
    for q in queries:
        response = client.get("/api/v1/cases/", {"q": q["query"], "page_size": K})
        if response.status_code != 200:
            raise SystemExit(f"{q['id']} {q['query']!r}: HTTP {response.status_code}")
        run[q["id"]] = [hit["external_id"] for hit in response.json()["results"]][:K]
    timing = {
        "migrate_s": round(migrated - started, 1),
        "import_s": round(imported - migrated, 1),
        "queries_s": round(time.perf_counter() - imported, 1),
    }
    return run, timing


def print_misses(queries: list[dict], run: dict) -> None:
    print("\nportal misses (relevant not in the top 10, or a non-relevant first hit):")
    shown = 0
    for q in queries:
        got = run.get(q["id"], [])
        relevant = set(q["relevant"])
        missing = [d for d in q["relevant"] if d not in got]
        if not missing and got and got[0] in relevant:
            continue
        shown += 1
        marked = " ".join(d + ("*" if d in relevant else "") for d in got) or "—"
        hard = " hard" if q.get("hard") else ""
        print(f"  {q['id']} [{q.get('kind', '')}{hard}] {q['query']}")
        print(f"      missing: {' '.join(missing) or '—'}   got: {marked}")
    if not shown:
        print("  none")


def print_floor_wins(queries: list[dict], run: dict, floor_run: dict) -> None:
    """The queries on which plain substring search ranks better (AP@10) than the portal."""
    print("\nqueries where the substring floor beats the portal (AP@10 portal < floor):")
    shown = 0
    for q in queries:
        portal = average_precision(run.get(q["id"], []), q["relevant"])
        floor = average_precision(floor_run.get(q["id"], []), q["relevant"])
        if portal < floor:
            shown += 1
            hard = " hard" if q.get("hard") else ""
            label = f"{q['id']} [{q.get('kind', '')}{hard}] {q['query']}"
            print(f"  {label}: {portal:.2f} < {floor:.2f}")
    if not shown:
        print("  none")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", default=str(HERE), help="a directory with documents.jsonl "
                        "and queries.jsonl (default: bench/searcheval)")  # fmt: skip
    parser.add_argument("--no-fail", action="store_true", help="report only, exit 0")
    args = parser.parse_args(argv)

    directory = Path(args.set)
    documents, queries = load_set(directory)
    wrong = problems(documents, queries)
    if wrong:
        print("the judged set is not well-formed:\n  " + "\n  ".join(wrong[:20]))
        return 2

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.searcheval.settings")
    # WhiteNoise warns that var/static/ is absent: the API needs no static files.
    warnings.filterwarnings("ignore", message="No directory at")
    # Celery tasks in-process and a local-memory cache: nothing leaves this process.
    for name in ("CELERY_BROKER_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    where, drop = throwaway_database()
    print(f"judged set: {directory} — {len(documents)} documents, {len(queries)} queries "
          f"({sum(1 for q in queries if q.get('hard'))} hard); database: {where}")  # fmt: skip
    try:
        run, timing = portal_run(directory / "documents.jsonl", queries)
    finally:
        drop()
    floor_run = {q["id"]: substring_search(documents, q["query"])[:K] for q in queries}
    portal, floor = score(run, queries), score(floor_run, queries)
    load = [round(x, 2) for x in os.getloadavg()]

    print(f"\nload average (1, 5, 15 min): {load[0]} {load[1]} {load[2]}")
    print(f"{'metric (top 10)':<18} | {'portal':>7} | {'substring floor':>15}")
    print(f"{'-' * 18} | {'-' * 7} | {'-' * 15}")
    below = []
    for key, label in LABELS.items():
        flag = ""
        if portal[key] < floor[key]:
            below.append(key)
            flag = "  < floor"
        print(f"{label:<18} | {portal[key]:>7.3f} | {floor[key]:>15.3f}{flag}")
    print_misses(queries, run)
    print_floor_wins(queries, run, floor_run)
    verdict = "below the floor on: " + ", ".join(below) if below else "at or above the floor"
    print(f"\nportal {verdict}")
    print(json.dumps({
        "set": str(directory), "engine": where.split()[0], "documents": len(documents),
        "queries": len(queries), "hard": portal["hard"], "load_average": load,
        "portal": {k: portal[k] for k in LABELS}, "floor": {k: floor[k] for k in LABELS},
        "below_floor": below, **timing,
    }, ensure_ascii=False))  # fmt: skip
    return 1 if below and not args.no_fail else 0


if __name__ == "__main__":
    sys.exit(main())
