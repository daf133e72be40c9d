"""Demo model projects and their lessons, from cases/demo_data/case_studies.json
(written in Thai for this project from public facts). Idempotent by external_id."""

import json
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from awards.models import Branch, Category
from portal.agencies.models import SDG, Agency, Province

from .models import Adoption, CaseStudy, Lesson, ThesaurusGroup, Topic
from .slugs import unique_slug

DATA = Path(__file__).parent / "demo_data" / "case_studies.json"

TOPICS_EN = {
    "ป่าไม้และสิ่งแวดล้อม": "Forests and environment",
    "เกษตรและพื้นที่สูง": "Agriculture and highlands",
    "สาธารณสุข": "Public health",
    "บริการดิจิทัล": "Digital services",
    "การพัฒนาชุมชน": "Community development",
    "การบูรณาการระดับพื้นที่": "Area-based integration",
    "การบริหารจัดการองค์กร": "Organisational management",
    "เศรษฐกิจฐานราก": "Grassroots economy",
    "การศึกษา": "Education",
    "ความปลอดภัย": "Safety",
}


def topic_named(name_th: str) -> Topic:
    topic = Topic.objects.filter(name_th=name_th).first()
    if topic is None:
        topic = Topic.objects.create(
            name_th=name_th,
            name_en=TOPICS_EN.get(name_th, ""),
            slug=unique_slug(Topic, TOPICS_EN.get(name_th) or name_th),
        )
    return topic


@transaction.atomic
def load_thesaurus() -> int:
    """The reviewed groups of cases/thesaurus_seed.tsv (migration 0010 adds them to a new
    database; this puts back any a demo database lacks): adds only groups not there by their
    terms, so a second run adds nothing. Returns how many groups there are."""
    from .search import thesaurus

    if thesaurus.seed_groups():
        thesaurus.changed()
    return ThesaurusGroup.objects.count()


def load_case_studies() -> list[CaseStudy]:
    rows = json.loads(DATA.read_text(encoding="utf-8"))
    agencies = {a.abbreviation: a for a in Agency.objects.all()}
    provinces = {p.code: p for p in Province.objects.all()}
    branches = {b.code: b for b in Branch.objects.all()}
    now = timezone.now()
    cases = []
    for row in rows:
        case = CaseStudy.objects.filter(external_id=row["external_id"]).first()
        fields = {
            "title": row["title"],
            "summary": row["summary"],
            "problem": row["problem"],
            "approach": row["approach"],
            "results": row["results"],
            "agency": agencies.get(row["agency"]),
            "year_be": row["year_be"],
            "branch": branches.get(row["branch"]),
            "category": Category.objects.filter(
                cycle__year_be=row["year_be"], name_th=row["category"]
            ).first(),
            "award_level": row["award_level"],
            "source_url": row.get("source_url", ""),
            "is_published": True,
        }
        if case is None:
            case = CaseStudy(
                external_id=row["external_id"],
                slug=unique_slug(CaseStudy, row["title"]),
                published_at=now,
            )
        for name, value in fields.items():
            setattr(case, name, value)
        case.save()
        case.provinces.set([provinces[code] for code in row["provinces"] if code in provinces])
        case.topics.set([topic_named(name) for name in row["topics"]])
        case.sdgs.set(SDG.objects.filter(number__in=row["sdgs"]))
        for lesson_row in row["lessons"]:
            lesson = Lesson.objects.filter(case_study=case, title=lesson_row["title"]).first()
            if lesson is None:
                lesson = Lesson(
                    case_study=case,
                    title=lesson_row["title"],
                    slug=unique_slug(Lesson, lesson_row["title"]),
                    published_at=now,
                )
            for name in (
                "background", "key_process", "success_factors", "obstacles",
                "indicators", "replication", "spread_to", "contact",
            ):  # fmt: skip
                setattr(lesson, name, lesson_row.get(name, ""))
            lesson.is_published = True
            lesson.save()
        cases.append(case)
    return cases


# (model project, adopting agency, province, year B.E., note): demo-005 is Wanon Niwat's own
# take on demo-004's pilot, so both case pages show the link.
ADOPTIONS = [
    ("demo-004", "อ.วานรนิวาส", "TH-47", 2566, "นำแนวทางบำบัดทุกข์ บำรุงสุขไปใช้ทั้งอำเภอ"),
    ("demo-004", "อ.เวียงแหง", "TH-50", 2567, "ปรับใช้กับหมู่บ้านบนพื้นที่สูง"),
    ("demo-011", "มข.", "TH-40", 2568, "ใช้กับคลินิกผู้ป่วยนอกของโรงพยาบาลมหาวิทยาลัย"),
]


def load_adoptions() -> int:
    """The demo's spread of model projects (idempotent: one row per model, agency and
    province). A row whose agency owns the model is skipped (Adoption.clean refuses it)."""
    agencies = {a.abbreviation: a for a in Agency.objects.all()}
    count = 0
    for external_id, abbreviation, code, year_be, note in ADOPTIONS:
        case = CaseStudy.objects.filter(external_id=external_id).first()
        agency = agencies.get(abbreviation)
        if case is None or agency is None or case.agency_id == agency.pk:
            continue
        Adoption.objects.update_or_create(
            case_study=case,
            agency=agency,
            province=Province.objects.get(code=code),
            defaults={"year_be": year_be, "note": note},
        )
        count += 1
    return count
