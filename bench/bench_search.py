"""Search budgets (issues 5, 13, 20), on PostgreSQL with 100,000 generated Thai case studies
and 25,000 lessons learned, each figure measured with the page cache off (everything cached new
before every request, names included; the latency budgets hold for this), after a publish (a
case published before every request, bench/cold_cache.py; the requests/second budget holds for
this) and on, the server caching in Redis as production does:

- search API p95 ≤ 100 ms and search/list page p95 ≤ 150 ms over the fixed queries (one word,
  several words, truly rare — in 5 documents each —, very common, mixed Thai/English, no match
  with one and several words, misspelt), every sort order with and without a query, a facet
  chosen with nothing searched, and page 50, on the model projects' and the lessons' lists; the
  number of matches of every query is printed;
- requests/second (wrk) of the search and list pages at least 10 % of a bare Django view's;
- indexing throughput ≥ half of the segmenter's alone on the same text (both reported);
- rebuild_search_index of 100,000 documents in minutes.

Runs in its own database (<DATABASE_URL name>_bench_search, created and migrated here; the
generated corpus is kept between runs, BENCH_FRESH=1 regenerates it). The server is gunicorn
as production runs it (portal/gunicorn_conf.py) with 2 workers, on 127.0.0.1, with
bench/settings_search.py (the portal plus /bench/bare/).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lertrat make bench BENCH=search
"""

import json
import os
import random
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.utils import timezone

ROOT = Path(__file__).resolve().parent.parent
DOCS = int(os.environ.get("BENCH_DOCS", "100000"))
LESSONS = DOCS // 4  # a lessons-learned record for every fourth case study (issue 20: 25,000)
# For the cold path (page cache off): issue 20.
BUDGETS = {"api_p95_ms": 100, "page_p95_ms": 150, "rps_share_of_bare": 0.10}
QUERIES = {
    "common": ["ชุมชน", "ประชาชน", "บริการ", "ระบบ", "พัฒนา", "ข้อมูล", "เจ้าหน้าที่", "ป่า"],
    "one_word": ["โรงพยาบาล", "ออนไลน์", "เกษตรกร", "ผู้สูงอายุ", "งบประมาณ"],
    "multi_word": [
        "ลดขั้นตอนการให้บริการ", "ป่าชุมชนบนพื้นที่สูง", "ผู้สูงอายุในชุมชน",
        "ระบบนัดหมายออนไลน์", "แหล่งน้ำเพื่อการเกษตร", "ถอดบทเรียนและขยายผล",
        "ภาคีเครือข่ายร่วมกัน", "ลดระยะเวลารอคอยของผู้ป่วย",
    ],
    # Truly rare: each in RARE_COPIES documents of the corpus (the generator puts them there;
    # checked on every run: corpus_checks). มือเทียม was one until 2026-12-07: it is
    # two words, มือ and เทียม, both common on their own, so it matched over 1,000 documents.
    "rare": ["ฝายชะลอน้ำ", "หุ่นยนต์", "พร้อมเพย์", "ธนาคารขยะ", "โคกหนองนา"],
    "mixed": ["PMQA 4.0", "OTOP", "3D", "e-Service", "One Plan", "Sandbox", "สวพส.", "Food Bank"],
    # Nothing matches: the path that suggests other words (issue 13: once the slowest of all).
    "no_match": ["ยานอวกาศดาวอังคาร", "qwertyuiop", "ข้าวมันไก่ตอนเที่ยงคืน", "ภูเขาไฟระเบิดกลางเมือง",
                 "ชุมชน ยานอวกาศ", "บริการ ประชาชน ดาวอังคาร", "ระบบ ข้อมูล ภูเขาไฟ เจ้าหน้าที่"],
    "misspelt": ["โรงพญาบาล", "เกษตกร", "ผู้สูงอายูในชุมชน", "อิเล็กทรอนิค", "งบประมาน"],
}  # fmt: skip
RARE_COPIES = 5
RARE_SENTENCES = [
    "ชาวบ้านสร้างฝายชะลอน้ำเพื่อเก็บความชุ่มชื้นให้ป่าต้นน้ำ",
    "โรงพยาบาลใช้หุ่นยนต์ส่งยาและเครื่องพิมพ์ 3D ขึ้นรูปอุปกรณ์ให้ผู้พิการ",
    "คืนเงินภาษีเข้าบัญชีพร้อมเพย์ภายในสามวัน",
    "โรงเรียนตั้งธนาคารขยะให้นักเรียนนำขยะรีไซเคิลมาฝาก",
    "แปลงโคกหนองนาเป็นพื้นที่เรียนรู้ของครัวเรือน",
]
# The sentence pool is cut at spaces, so the demo texts' Thai-English phrases (PMQA 4.0, Food
# Bank) never reached the corpus and those queries matched nothing: they go in here, each
# into MIXED_COPIES documents, as an English phrase sits in real entries.
MIXED_COPIES = 200
MIXED_SENTENCES = [
    "ส่วนราชการทบทวนกระบวนการตามเกณฑ์ PMQA 4.0 ทุกปีงบประมาณ",
    "เทศบาลตั้ง Food Bank รับอาหารส่วนเกินจากร้านค้าไปแจกครัวเรือนเปราะบาง",
]


def log(message):
    print(f"[bench search] {message}", flush=True)


def pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p / 100))], 1)


# --- The corpus ----------------------------------------------------------------------------


def sentence_pool():
    """Sentences of the demo case studies (Thai written for this project) and their titles."""
    data = json.loads((ROOT / "cases" / "demo_data" / "case_studies.json").read_text("utf-8"))
    sentences, titles = [], []
    for row in data:
        titles.append(row["title"])
        for key in ("summary", "problem", "approach", "results"):
            sentences += [s for s in row[key].replace("\n", " ").split(" ") if len(s) > 25]
        for lesson in row.get("lessons", []):
            for value in lesson.values():
                if isinstance(value, str):
                    sentences += [s for s in value.replace("\n", " ").split(" ") if len(s) > 25]
    rare = QUERIES["rare"]
    sentences = [s for s in sentences if not any(word in s for word in rare)]
    titles = [t for t in titles if not any(word in t for word in rare)]
    return sentences, titles


def use_bench_database():
    base = settings.DATABASES["default"]
    if base["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("the search bench needs DATABASE_URL=postgres://…")
    name = f"{base['NAME']}_bench_search"
    import psycopg

    admin = psycopg.connect(
        host=base["HOST"] or "127.0.0.1", port=base["PORT"] or 5432,
        user=base["USER"] or "postgres", password=base["PASSWORD"] or None,
        dbname="postgres", autocommit=True,
    )  # fmt: skip
    exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    if os.environ.get("BENCH_FRESH") and exists:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        exists = None
    if not exists:
        admin.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    connections["default"].close()
    connections["default"].settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)
    user = base["USER"] or "postgres"
    password = f":{base['PASSWORD']}" if base["PASSWORD"] else ""
    host, port = base["HOST"] or "127.0.0.1", base["PORT"] or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


def generate(count):
    from awards.models import Branch
    from cases.models import CaseStudy, SearchDocument
    from portal.accounts.demo import load_agencies
    from portal.agencies.models import Agency, Province

    if CaseStudy.objects.count() >= count:
        log(f"reusing {CaseStudy.objects.count()} case studies")
        return False
    SearchDocument.objects.all().delete()
    CaseStudy.provinces.through.objects.all().delete()
    CaseStudy.objects.all().delete()
    load_agencies()
    for order, (code, name) in enumerate(
        [("service", "สาขาบริการภาครัฐ"), ("pmqa", "สาขาคุณภาพการบริหารจัดการภาครัฐ"),
         ("participation", "สาขาการบริหารราชการแบบมีส่วนร่วม")]
    ):  # fmt: skip
        Branch.objects.get_or_create(code=code, defaults={"name_th": name, "order": order})
    sentences, titles = sentence_pool()
    agencies = list(Agency.objects.all())
    branches = list(Branch.objects.all())
    provinces = list(Province.objects.values_list("pk", flat=True))
    rnd = random.Random(2569)
    levels = ["honour"] + ["outstanding"] * 3 + ["good"] * 6
    now = timezone.now()
    started, batch = time.perf_counter(), []

    # Each rare sentence goes into RARE_COPIES documents, no more (the pool's sentences never
    # contain its rare words: the demo texts are checked when they are read).
    rare_in = {rnd.randrange(count): sentence for sentence in RARE_SENTENCES
               for _ in range(RARE_COPIES)}  # fmt: skip
    mixed_in = {rnd.randrange(count): sentence for sentence in MIXED_SENTENCES
                for _ in range(MIXED_COPIES)}  # fmt: skip

    def para(n):
        return " ".join(rnd.sample(sentences, n))

    for i in range(count):
        title = " ".join(rnd.sample(titles, 1)[0].split(" ")[:2]) + f" {rnd.choice(titles)[:30]}"
        batch.append(
            CaseStudy(
                slug=f"bench-{i}",
                title=title[:300],
                summary=para(2),
                problem=para(6),
                approach=para(8),
                results=para(6),
                body=" ".join(filter(None, [para(4), rare_in.get(i), mixed_in.get(i)])),
                agency=rnd.choice(agencies),
                branch=rnd.choice(branches),
                year_be=rnd.randint(2557, 2569),
                award_level=rnd.choice(levels),
                is_published=True,
                published_at=now,
            )
        )
        if len(batch) == 2000 or i == count - 1:
            created = CaseStudy.objects.bulk_create(batch)
            CaseStudy.provinces.through.objects.bulk_create(
                [CaseStudy.provinces.through(casestudy_id=c.pk, province_id=rnd.choice(provinces))
                 for c in created]
            )  # fmt: skip
            batch = []
    log(f"generated {count} case studies in {time.perf_counter() - started:.0f} s")
    return True


def generate_lessons(count) -> list[int]:
    """Lessons learned for every fourth case study (added to a corpus made before they were in
    the bench); returns the ids of the case studies given one, to be indexed again."""
    from cases.models import CaseStudy, Lesson

    if Lesson.objects.count() >= count:
        log(f"reusing {Lesson.objects.count()} lessons")
        return []
    Lesson.objects.all().delete()
    sentences, titles = sentence_pool()
    rnd = random.Random(2570)
    now = timezone.now()
    case_ids = list(CaseStudy.objects.order_by("pk").values_list("pk", flat=True)[::4][:count])

    def para(n):
        return " ".join(rnd.sample(sentences, n))

    for start in range(0, len(case_ids), 2000):
        Lesson.objects.bulk_create(
            [Lesson(case_study_id=pk, slug=f"bench-lesson-{pk}",
                    title=f"บทเรียนจาก {rnd.choice(titles)[:60]}", background=para(3),
                    key_process=para(5), success_factors=para(3), replication=para(2),
                    is_published=True, published_at=now)
             for pk in case_ids[start : start + 2000]]
        )  # fmt: skip
    log(f"generated {len(case_ids)} lessons")
    return case_ids


# --- Indexing ------------------------------------------------------------------------------


def indexing_throughput(sample=2000):
    from cases import search
    from cases.models import CaseStudy
    from cases.search import indexing
    from portal import thai

    ids = list(CaseStudy.objects.order_by("pk").values_list("pk", flat=True)[:sample])
    cases = list(indexing._cases_qs().filter(pk__in=ids))
    # Exactly what the indexer indexes: the case studies and their published lessons.
    lessons = indexing._lessons_qs().filter(case_study__in=ids, is_published=True)
    texts = [t for case in cases for t in indexing.case_texts(case)]
    texts += [t for lesson in lessons for t in indexing.lesson_texts(lesson)]
    chars = sum(len(t) for t in texts)
    d = search.dictionary(refresh=True)
    started = time.perf_counter()
    for text in texts:
        thai.segment(text, d.words)
    segment_s = time.perf_counter() - started
    started = time.perf_counter()
    # As rebuild_search_index indexes in one process: the next batch's words worked out
    # while the last batch is written.
    for _batch in search.index_cases_in_batches(ids[s : s + 200] for s in range(0, len(ids), 200)):
        pass
    index_s = time.perf_counter() - started
    return {
        "sample_docs": len(ids),
        "sample_lessons": len(lessons),
        "sample_chars": chars,
        "avg_doc_chars": chars // len(ids),
        "segmenter_chars_per_s": round(chars / segment_s),
        "indexing_chars_per_s": round(chars / index_s),
        "indexing_docs_per_s": round(len(ids) / index_s),
        "indexing_vs_segmenter": round(segment_s / index_s, 2),
    }


# --- HTTP ----------------------------------------------------------------------------------


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_redis_url() -> str | None:
    """The cache production uses, Redis, in a database of the bench's own (emptied here), when
    one answers; else each worker's own memory, which the figures then say."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except Exception as error:  # noqa: BLE001 (any failure: no Redis to use)
        log(f"no Redis at {url} ({error}): the server caches in each worker's memory")
        return None
    return url


WORKERS = 2  # one per core


def start_server(database_url, mode: str):
    port = free_port()
    redis_url = bench_redis_url()
    env = {
        **os.environ,
        "BENCH_PAGE_CACHE": mode,
        "REDIS_URL": redis_url or "",
        "CELERY_BROKER_URL": "",  # no worker here: a task runs in the request
        "DJANGO_SETTINGS_MODULE": "bench.settings_search",
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
    }
    # Served as production serves it (portal/gunicorn_conf.py: threads, and each worker's
    # warm-up before its first request — without it, a worker's first search loaded the
    # dictionary inside a timed request: 1.1 s), with 2 workers for the 2 cores.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--config",
         "python:portal.gunicorn_conf", "--workers", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    # Until every worker answers: the first answers while the other still warms up, and a
    # figure measured then is of one worker (the bare view read 394-650 req/s instead of
    # 1,400 in the first seconds after a start, on a machine where warming up takes seconds).
    answered = set()
    for _ in range(600):
        try:
            with urllib.request.urlopen(base + "/bench/worker/", timeout=2) as response:
                answered.add(response.read())
            if len(answered) == WORKERS:
                return server, base, redis_url
        except OSError:
            time.sleep(0.5)
        time.sleep(0.05)
    server.terminate()
    raise RuntimeError(f"gunicorn did not start {WORKERS} workers")


def timed_get(url):
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()
        status = response.status
    return (time.perf_counter() - started) * 1000, status


def requests_by_kind() -> dict[str, list[dict]]:
    """Every kind of request a visitor makes: the fixed queries, each sort order with and
    without a query, and a deep page."""
    kinds = {kind: [{"q": q} for q in words] for kind, words in QUERIES.items()}
    kinds["sorted"] = [{"q": q, "sort": sort} for q in ("ชุมชน", "ลดขั้นตอนการให้บริการ")
                       for sort in ("newest", "oldest", "title")]  # fmt: skip
    kinds["sorted"] += [{"sort": sort} for sort in ("newest", "oldest", "title")]
    kinds["deep_page"] = [{"q": "ชุมชน", "page": 50}, {"q": "บริการ ระบบ", "page": 50},
                          {"page": 50}, {"sort": "title", "page": 50}]  # fmt: skip
    # A facet chosen with nothing searched: what a visitor clicks first on the list.
    kinds["facet_only"] = [{"year": 2566}, {"year": 2566, "branch": "service"},
                           {"province": "TH-50", "page": 5}]  # fmt: skip
    return kinds


def latencies(base, path, kinds, repeat=3):
    """p95 per kind over `repeat` timed requests of each URL, after one untimed request (with
    the page cache on, that one fills it: the figures are then the cached path)."""
    out, per_kind = [], {}
    for kind, requests in kinds.items():
        for params in requests:
            url = f"{base}{path}?{urllib.parse.urlencode(params)}"
            timed_get(url)
            for _ in range(repeat):
                ms, status = timed_get(url)
                assert status == 200, (url, status)
                out.append(ms)
                per_kind.setdefault(kind, []).append(ms)
    return {
        "p50_ms": pct(out, 50),
        "p95_ms": pct(out, 95),
        "max_ms": round(max(out), 1),
        "requests": len(out),
        "p95_ms_by_kind": {k: pct(v, 95) for k, v in per_kind.items()},
    }


def match_counts(base) -> dict:
    """How many documents each query matches (the API's count; "≥" where it is a bound)."""
    counts = {}
    for words in QUERIES.values():
        for q in words:
            url = f"{base}/api/v1/cases/?{urllib.parse.urlencode({'q': q, 'page_size': 1})}"
            with urllib.request.urlopen(url, timeout=60) as response:
                body = json.loads(response.read())
            bound = "≥" if body.get("count_is_lower_bound") else ""
            counts[q] = f"{bound}{body['count']}"
    return counts


def wrk(url, seconds=10, connections_=16):
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections_}", f"-d{seconds}s", "--latency", url],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    rps = next(
        float(line.split()[1]) for line in result.stdout.splitlines()
        if line.startswith("Requests/sec")
    )  # fmt: skip
    p99 = next(
        (line.split()[1] for line in result.stdout.splitlines() if line.strip().startswith("99%")),
        None,
    )
    errors = next(
        (int(line.split()[-1]) for line in result.stdout.splitlines() if "Non-2xx" in line), 0
    )
    # "Socket errors: connect 0, read 0, write 0, timeout 12": a request wrk gave up on (2 s)
    # is one it sent again on a new connection, the first still queued in the server.
    timeouts = next(
        (int(line.split()[-1]) for line in result.stdout.splitlines() if "timeout" in line), 0
    )
    settled(url)
    return {"rps": round(rps, 1), "p99": p99, "non_2xx": errors, "timeouts": timeouts}


def settled(url, fast_ms=20, in_a_row=10, at_most_s=120) -> None:
    """Wait until the server of `url` has worked through what wrk left queued (requests it
    gave up on, each sent again): until it answers the bare view promptly `in_a_row` times.
    Without this, the next figure was measured beside that backlog: the bare view read 36
    req/s two seconds after a search's load, 1,350 ten seconds later."""
    parts = urllib.parse.urlsplit(url)
    bare = f"{parts.scheme}://{parts.netloc}/bench/bare/"
    deadline, prompt = time.monotonic() + at_most_s, 0
    while prompt < in_a_row and time.monotonic() < deadline:
        try:
            prompt = prompt + 1 if timed_get(bare)[0] < fast_ms else 0
        except OSError:  # a connection dropped under the backlog: not yet settled
            prompt = 0
            time.sleep(0.5)


def index_size() -> dict:
    """The index table with its TOAST, and each of its indexes, in MB."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('cases_searchdocument'),"
            " pg_table_size('cases_searchdocument')"
        )
        total, table = cursor.fetchone()
        cursor.execute(
            "SELECT indexrelname, pg_relation_size(indexrelid) FROM pg_stat_user_indexes"
            " WHERE relname = 'cases_searchdocument' ORDER BY 1"
        )
        indexes = {name: round(size / 2**20, 1) for name, size in cursor.fetchall()}
    return {"total_mb": round(total / 2**20, 1), "table_mb": round(table / 2**20, 1), **indexes}


MODES = {"0": "cache off", "publish": "after a publish", "1": "cache on"}


def load_rps(base, case) -> dict:
    return {
        "bare_view": wrk(base + "/bench/bare/"),
        "case_page": wrk(base + urllib.parse.quote(case.get_absolute_url())),
        "list_page": wrk(base + "/cases/"),
        "lesson_list_page": wrk(base + "/lessons/"),
        "search_page_common": wrk(base + "/cases/?q=" + urllib.parse.quote("ชุมชน")),
        "search_api_multi": wrk(
            base + "/api/v1/cases/?q=" + urllib.parse.quote("ลดขั้นตอนการให้บริการ")
        ),
    }


def measure(database_url, case, page_cache: str, latency=True) -> dict:
    """Latencies and requests/second with the page cache in one of MODES (without `latency`,
    requests/second only)."""
    server, base, redis_url = start_server(database_url, page_cache)
    mode = MODES[page_cache]
    try:
        # Every thread of every worker opens its database connection once (gthread: 2 × 4);
        # the figures are of a cold page cache on a running server, not of a first connection.
        wrk(base + "/api/v1/cases/?q=" + urllib.parse.quote("ข้อมูล"), seconds=2)
        figures = {"load_average_before": os.getloadavg(), "cache": "redis" if redis_url else
                   "memory of each worker"}  # fmt: skip
        if not latency:
            figures["load_rps"] = load_rps(base, case)
            log(f"{mode} load (wrk -t2 -c16 -d10s): {figures['load_rps']}")
            figures["load_average_after"] = os.getloadavg()
            return figures
        kinds = requests_by_kind()
        figures["search_api"] = latencies(base, "/api/v1/cases/", kinds)
        log(f"{mode} API: {figures['search_api']} (load average {os.getloadavg()})")
        figures["search_page"] = latencies(base, "/cases/", kinds)
        log(f"{mode} page: {figures['search_page']} (load average {os.getloadavg()})")
        # Lessons learned have no sort order but their list's (newest first).
        lesson_kinds = {kind: [p for p in requests if "sort" not in p]
                        for kind, requests in kinds.items()}  # fmt: skip
        figures["lesson_page"] = latencies(base, "/lessons/", lesson_kinds)
        log(f"{mode} lessons page: {figures['lesson_page']} (load average {os.getloadavg()})")
        figures["load_rps"] = load_rps(base, case)
        log(f"{mode} load (wrk -t2 -c16 -d10s): {figures['load_rps']}")
        if page_cache == "0":
            figures["match_counts"] = match_counts(base)
            log(f"matches per query: {figures['match_counts']}")
        figures["load_average_after"] = os.getloadavg()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures


def corpus_checks(counts: dict) -> list[tuple]:
    """Rows saying the queries are what their kinds claim (issue 20: a rare query's words
    rare, a mixed one found, a no-match one not): judged on the match counts printed above."""

    def matches(q):
        return int(counts[q].lstrip("≥"))

    rare = max(matches(q) for q in QUERIES["rare"])
    mixed = min(matches(q) for q in QUERIES["mixed"])
    no_match = max(matches(q) for q in QUERIES["no_match"])
    handful = 2 * RARE_COPIES  # its own copies, and a few holding its words apart
    return [
        ("most matches of a rare query", rare, "", "", f"≤ {handful}", rare <= handful),
        ("fewest matches of a mixed query", mixed, "", "", "≥ 1", mixed >= 1),
        ("most matches of a no-match query", no_match, "", "", "0", no_match == 0),
    ]


def budget_table(cold: dict, published: dict, warm: dict, throughput: dict) -> list[tuple]:
    """(figure, cache off, after a publish, cache on, budget, within). Latencies are judged
    with everything new (cache off); requests/second after a publish — what the first visitors
    get, and what item 2 of issue 20 asks the cache to keep — each against the fastest bare
    view of the run, with the figures of everything new beside. (Against its own server's,
    a share flattered a slow moment: the bare view gave 1,534 req/s after a publish and about
    3,500 with the cache off and on, minutes apart.)"""
    rows = []
    for key, title, budget in (("search_api", "search API", BUDGETS["api_p95_ms"]),
                               ("search_page", "search/list page", BUDGETS["page_p95_ms"]),
                               ("lesson_page", "lessons search/list page",
                                BUDGETS["page_p95_ms"])):  # fmt: skip
        off, on = cold[key], warm[key]
        rows.append((f"{title} p95 ms", off["p95_ms"], "", on["p95_ms"], f"≤ {budget}",
                     off["p95_ms"] <= budget))  # fmt: skip
        for kind, p95 in off["p95_ms_by_kind"].items():
            rows.append((f"  {title} p95 ms, {kind}", p95, "", on["p95_ms_by_kind"][kind],
                         f"≤ {budget}", p95 <= budget))  # fmt: skip
    share = BUDGETS["rps_share_of_bare"]
    figures = [mode["load_rps"] for mode in (cold, published, warm)]
    bare = max(f["bare_view"]["rps"] for f in figures)
    for name in ("list_page", "lesson_list_page", "search_page_common", "search_api_multi",
                 "case_page"):  # fmt: skip
        rps = [f"{f[name]['rps']} ({f[name]['rps'] / bare:.0%})" for f in figures]
        within = figures[1][name]["rps"] >= share * bare
        rows.append((f"req/s {name} (share of fastest bare)", *rps, f"≥ {share:.0%}", within))
    rows.append(("req/s bare view", *(m["load_rps"]["bare_view"]["rps"]
                                      for m in (cold, published, warm)), "", True))  # fmt: skip
    rows.append(("indexing ÷ segmenter speed", throughput["indexing_vs_segmenter"], "", "",
                 "≥ 0.5", throughput["indexing_vs_segmenter"] >= 0.5))  # fmt: skip
    return rows + corpus_checks(cold["match_counts"])


def run() -> dict:
    from cases import facet_summary, search
    from cases.models import CaseStudy, Lesson, SearchDocument

    if not shutil.which("wrk"):
        raise SystemExit(
            "[bench search] wrk is not installed: it measures requests per second under load. "
            "Install it (Debian: apt-get install wrk) and run again."
        )
    # The machine is shared: every figure goes with the load average it was measured under.
    load_average = {"start": os.getloadavg()}
    database_url = use_bench_database()
    generated = generate(DOCS)
    with_new_lessons = generate_lessons(LESSONS)
    throughput = indexing_throughput()
    log(f"indexing: {throughput}")
    rebuild = os.environ.get("BENCH_REBUILD", "1") == "1"
    if with_new_lessons and not (generated or rebuild):
        started = time.perf_counter()
        batches = (with_new_lessons[s : s + 500] for s in range(0, len(with_new_lessons), 500))
        for _batch in search.index_cases_in_batches(batches):
            pass
        facet_summary.refresh()
        log(f"indexed the case studies given lessons in {time.perf_counter() - started:.0f} s")
    if generated or rebuild or SearchDocument.objects.count() < DOCS + LESSONS:
        started = time.perf_counter()
        processes = os.environ.get("BENCH_PROCESSES", "2")
        call_command("rebuild_search_index", "--no-progress", "--processes", processes, verbosity=0)
        rebuild_s = round(time.perf_counter() - started, 1)
    else:
        rebuild_s = None
    log(f"rebuild_search_index: {rebuild_s} s")
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE cases_searchdocument")
        # Every table's statistics as autovacuum would have them in production by now (stale
        # ones after the generation made the case page's related query a 15 ms bitmap scan).
        cursor.execute("ANALYZE")
    case = CaseStudy.objects.order_by("pk").first()
    cold = measure(database_url, case, page_cache="0")
    published = measure(database_url, case, page_cache="publish", latency=False)
    warm = measure(database_url, case, page_cache="1")
    table = budget_table(cold, published, warm, throughput)
    log(f"cache: {cold['cache']}")
    log(f"{'figure':<44} {'cache off':>12} {'after publish':>13} {'cache on':>12} {'budget':>7}")
    for name, off, after, on, budget, ok in table:
        log(f"{name:<44} {off!s:>12} {after!s:>13} {on!s:>12} {budget:>7} "
            f"{'ok' if ok else 'OVER'}")  # fmt: skip
    log(f"load average: {load_average['start']} at start, {cold['load_average_before']} before "
        f"the cold run, {warm['load_average_after']} at the end")  # fmt: skip
    return {
        "documents": CaseStudy.objects.count(),
        "lessons": Lesson.objects.count(),
        "index_size": index_size(),
        "index_rows": SearchDocument.objects.count(),
        "requests_per_mode": cold["search_api"]["requests"],
        "cache_off": cold,
        "after_a_publish": published,
        "cache_on": warm,
        "within_budget": {row[0].strip(): row[-1] for row in table},
        "indexing": throughput,
        "rebuild_search_index_s": rebuild_s,
        "load_average": load_average,
    }
