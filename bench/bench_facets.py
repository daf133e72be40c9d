"""Facet counts without the cache, on PostgreSQL with the search bench's generated corpus
(100,000 case studies by default, BENCH_DOCS to change; one lesson for every fourth case).

The public lists cache their facet counts per query and index generation, so a warmed-up
bench never sees what the first visitor after a change pays. Here every list is built with the
cache off, in-process (no HTTP), for the very common words of bench_search (a word found in
up to nine documents out of ten), with no word, and with a facet chosen; p50/p95 of the whole
list (page + counts) and of the list without counts, for cases and for lessons.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lertrat make bench BENCH=facets
"""

import random
import statistics
import time

from django.core.management import call_command
from django.db import connections
from django.http import QueryDict
from django.test.utils import override_settings
from django.utils import timezone

from bench.bench_search import DOCS, QUERIES, generate, log, pct, sentence_pool, use_bench_database

LESSON_EVERY = 4  # one lesson for every fourth case study
REPEAT = 3
TOPICS = [
    ("forests", "ป่าไม้และสิ่งแวดล้อม"), ("health", "สาธารณสุข"), ("digital", "บริการดิจิทัล"),
    ("farming", "เกษตร"), ("water", "การจัดการน้ำ"), ("elderly", "ผู้สูงอายุ"),
    ("education", "การศึกษา"), ("tourism", "การท่องเที่ยว"), ("waste", "ขยะและรีไซเคิล"),
    ("safety", "ความปลอดภัย"),
]  # fmt: skip


def enrich():
    """Topics, SDGs and lessons for the generated cases (bench_search makes none): the facets
    read them. Returns True when something was added (the index must then be rebuilt)."""
    from cases.models import CaseStudy, Lesson, Topic
    from portal.agencies.models import SDG

    rnd = random.Random(2570)
    ids = list(CaseStudy.objects.order_by("pk").values_list("pk", flat=True))
    added = False
    if not CaseStudy.topics.through.objects.exists():
        topics = [
            Topic.objects.get_or_create(slug=slug, defaults={"name_th": name})[0].pk
            for slug, name in TOPICS
        ]
        sdgs = list(SDG.objects.values_list("pk", flat=True))
        links, goals = [], []
        for pk in ids:
            links += [CaseStudy.topics.through(casestudy_id=pk, topic_id=t)
                      for t in rnd.sample(topics, rnd.randint(1, 2))]  # fmt: skip
            goals += [CaseStudy.sdgs.through(casestudy_id=pk, sdg_id=s)
                      for s in rnd.sample(sdgs, rnd.randint(1, 2))]  # fmt: skip
        CaseStudy.topics.through.objects.bulk_create(links, batch_size=5000)
        CaseStudy.sdgs.through.objects.bulk_create(goals, batch_size=5000)
        added = True
    if not Lesson.objects.exists():
        sentences, titles = sentence_pool()
        now = timezone.now()
        lessons = [
            Lesson(
                case_study_id=pk,
                slug=f"bench-lesson-{pk}",
                title="ถอดบทเรียน" + rnd.choice(titles)[:60],
                background=" ".join(rnd.sample(sentences, 3)),
                key_process=" ".join(rnd.sample(sentences, 4)),
                success_factors=" ".join(rnd.sample(sentences, 3)),
                is_published=True,
                published_at=now,
            )
            for pk in ids[::LESSON_EVERY]
        ]
        Lesson.objects.bulk_create(lessons, batch_size=2000)
        added = True
    return added


def timed(build, params):
    started = time.perf_counter()
    build(QueryDict(params))
    return (time.perf_counter() - started) * 1000


def measure(build, cases_of_params):
    """p50/p95 (ms) of build(params) over every params, REPEAT times each, cache off."""
    out = {}
    for name, params_list in cases_of_params.items():
        times = []
        for params in params_list:
            timed(build, params)  # the segmenter's first sight of the words
            times += [timed(build, params) for _ in range(REPEAT)]
        out[name] = {"p50_ms": pct(times, 50), "p95_ms": pct(times, 95),
                     "mean_ms": round(statistics.mean(times), 1), "runs": len(times)}  # fmt: skip
    return out


def run() -> dict:
    from cases import listing
    from cases.models import CaseStudy, Lesson, SearchDocument

    use_bench_database()
    generated = generate(DOCS)
    enriched = enrich()
    lessons = Lesson.objects.count()
    if generated or enriched or SearchDocument.objects.count() < DOCS + lessons:
        started = time.perf_counter()
        call_command("rebuild_search_index", "--no-progress", "--processes", "2", verbosity=0)
        log(f"rebuild_search_index: {time.perf_counter() - started:.0f} s")
    with connections["default"].cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    common = [f"q={w}" for w in QUERIES["common"]]
    scenarios = {
        "common_word": common,
        "common_word_and_facet": [f"{p}&year=2566&province=TH-50" for p in common[:4]],
        "no_word": ["", "year=2566", "branch=service&level=good"],
        "rare_word": [f"q={w}" for w in QUERIES["rare"]],
    }
    dummy = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

    def read(listing_):
        listing_.results  # noqa: B018 (a page's rows are read when first wanted: read them)
        return listing_

    with override_settings(CACHES=dummy):
        results = {
            "cases": measure(lambda p: read(listing.cases(p)), scenarios),
            "cases_without_counts": measure(
                lambda p: read(listing.cases(p, with_facets=False)), {"common_word": common}
            ),  # fmt: skip
            "lessons": measure(lambda p: read(listing.lessons(p)), scenarios),
            "lessons_without_counts": measure(
                lambda p: read(listing.lessons(p, with_facets=False)), {"common_word": common}
            ),  # fmt: skip
        }
    log(f"uncached lists (in-process, ms): {results}")
    return {"documents": CaseStudy.objects.count(), "lessons": lessons, "uncached": results}
