"""Importing past winners from JSON Lines (python manage.py import_cases FILE.jsonl).

One JSON object a line. Required: title, summary, body. Where known: external_id, agency (Thai
name or abbreviation), province (a name or ISO code, or a list: provinces), year_be, branch
(code or Thai name), category (Thai name), award_level (a level's code or Thai or English
name, e.g. outstanding, ระดับก้าวหน้า (Advance), or ดีเด่น/ดี/เกียรติยศ), topics (a list or a
comma-separated string), source_url; also problem, approach, results, sdgs. The same
external_id (or, without one, the same title and year) updates the case study instead of
duplicating it. Each line is its own transaction: a bad line is reported with its number and
skipped; everything imported is published (and indexed after commit)."""

import json
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from awards import levels
from awards.models import Branch, Category
from portal.agencies.models import SDG, Agency, AgencyKind, Province

from .models import CaseStudy, Topic
from .slugs import unique_slug

REQUIRED = ("title", "summary", "body")
# Short words past winner lists use for the standard levels; any level's code or full Thai or
# English name (awards/levels.py, data) is known too.
LEVEL_WORDS = {"เกียรติยศ": "honour", "ดีเด่น": "outstanding", "ดี": "good", "": ""}
PROVINCE_ALIASES = {"กรุงเทพ": "กรุงเทพมหานคร", "กรุงเทพฯ": "กรุงเทพมหานคร", "กทม": "กรุงเทพมหานคร"}
AGENCY_KINDS = [
    ("กระทรวง", AgencyKind.MINISTRY), ("กรม", AgencyKind.DEPARTMENT),
    ("จังหวัด", AgencyKind.PROVINCE), ("อำเภอ", AgencyKind.DISTRICT),
    ("เทศบาล", AgencyKind.LOCAL_GOVERNMENT), ("องค์การบริหารส่วน", AgencyKind.LOCAL_GOVERNMENT),
    ("มหาวิทยาลัย", AgencyKind.UNIVERSITY), ("สำนัก", AgencyKind.DIVISION),
    ("โรงพยาบาล", AgencyKind.DIVISION),
]  # fmt: skip


class LineError(ValueError):
    pass


@dataclass
class Report:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)  # (line number, message)
    warnings: list = field(default_factory=list)


def topic_named(name_th: str, name_en: str = "") -> Topic:
    topic = Topic.objects.filter(name_th=name_th).first()
    if topic is None:
        topic = Topic.objects.create(
            name_th=name_th, name_en=name_en, slug=unique_slug(Topic, name_en or name_th)
        )
    return topic


def _text(row, key, required=False, max_length=None) -> str:
    value = row.get(key, "")
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise LineError(f"“{key}” ต้องเป็นข้อความ")
    value = value.strip()
    if required and not value:
        raise LineError(f"ไม่มี “{key}”")
    if max_length and len(value) > max_length:
        raise LineError(f"“{key}” ยาวเกิน {max_length} ตัวอักษร")
    return value


def _list(row, *keys) -> list[str]:
    for key in keys:
        value = row.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, str):
            return [v.strip() for v in re.split(r"[,;]", value) if v.strip()]
        if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
            return [str(v).strip() for v in value if str(v).strip()]
        raise LineError(f"“{key}” ต้องเป็นรายการข้อความ")
    return []


def _year(row) -> int:
    value = row.get("year_be")
    if value in (None, ""):
        raise LineError("ไม่มี “year_be” (ปี พ.ศ.)")
    try:
        year = int(str(value).strip())
    except ValueError:
        raise LineError(f"“year_be” ไม่ใช่ปี พ.ศ.: {value!r}") from None
    if year < 2400:
        year += 543  # a C.E. year given by mistake
    if not 2540 <= year <= 2700:
        raise LineError(f"“year_be” อยู่นอกช่วง 2540–2700: {value!r}")
    return year


def find_agency(name: str, warnings: list) -> Agency | None:
    if not name:
        return None
    bare = name.strip()
    agency = (
        Agency.objects.filter(abbreviation__in=[bare, bare.rstrip("."), bare + "."]).first()
        or Agency.objects.filter(name_th=bare).first()
        or Agency.objects.filter(name_en__iexact=bare).first()
    )
    if agency is None:
        kind = next((k for prefix, k in AGENCY_KINDS if bare.startswith(prefix)), None)
        agency = Agency.objects.create(name_th=bare, kind=kind or AgencyKind.INDEPENDENT)
        warnings.append(f"เพิ่มหน่วยงานใหม่ “{bare}”")
    return agency


def find_province(name: str) -> Province | None:
    bare = name.strip().removeprefix("จังหวัด").strip().rstrip(".")
    bare = PROVINCE_ALIASES.get(bare, bare)
    return (
        Province.objects.filter(code__iexact=bare).first()
        or Province.objects.filter(name_th=bare).first()
        or Province.objects.filter(name_en__iexact=bare).first()
    )


def parse_row(row, warnings: list) -> dict:
    """Validate one decoded line into the fields of a case study (raises LineError)."""
    if not isinstance(row, dict):
        raise LineError("แต่ละบรรทัดต้องเป็น JSON object")
    data = {
        "title": _text(row, "title", required=True, max_length=300),
        "summary": _text(row, "summary", required=True),
        "body": _text(row, "body", required=True),
        "problem": _text(row, "problem"),
        "approach": _text(row, "approach"),
        "results": _text(row, "results"),
        "external_id": _text(row, "external_id", max_length=200) or None,
        "source_url": _text(row, "source_url", max_length=500),
        "year_be": _year(row),
    }
    if data["source_url"]:
        try:
            URLValidator()(data["source_url"])
        except ValidationError:
            raise LineError(f"“source_url” ไม่ใช่ URL: {data['source_url']!r}") from None
    level = _text(row, "award_level")
    code = LEVEL_WORDS.get(level)
    if code is None:
        code = levels.code_for(level)
    if code is None:
        raise LineError(f"“award_level” ไม่รู้จัก: {level!r}")
    data["award_level"] = code
    data["agency"] = find_agency(_text(row, "agency", max_length=255), warnings)
    branch_name = _text(row, "branch")
    data["branch"] = None
    if branch_name:
        data["branch"] = (
            Branch.objects.filter(code=branch_name).first()
            or Branch.objects.filter(name_th__contains=branch_name.removeprefix("สาขา")).first()
        )
        if data["branch"] is None:
            warnings.append(f"ไม่รู้จักสาขา “{branch_name}”")
    category_name = _text(row, "category")
    data["category"] = None
    if category_name:
        data["category"] = Category.objects.filter(
            cycle__year_be=data["year_be"], name_th=category_name
        ).first()
        if data["category"] is None:
            warnings.append(f"ไม่พบประเภท “{category_name}” ในปี {data['year_be']}")
    provinces = []
    for name in _list(row, "provinces", "province"):
        province = find_province(name)
        if province is None:
            warnings.append(f"ไม่รู้จักจังหวัด “{name}”")
        else:
            provinces.append(province)
    data["provinces"] = provinces
    data["topics"] = _list(row, "topics")
    sdgs = _list(row, "sdgs")
    if any(not s.isdigit() for s in sdgs):
        raise LineError("“sdgs” ต้องเป็นหมายเลข 1–17")
    data["sdgs"] = [int(s) for s in sdgs]
    return data


@transaction.atomic
def save_case(data: dict) -> tuple[CaseStudy, bool]:
    provinces, topics, sdgs = data.pop("provinces"), data.pop("topics"), data.pop("sdgs")
    if data["external_id"]:
        case = CaseStudy.objects.filter(external_id=data["external_id"]).first()
    else:
        case = CaseStudy.objects.filter(title=data["title"], year_be=data["year_be"]).first()
    created = case is None
    if created:
        case = CaseStudy(slug=unique_slug(CaseStudy, data["title"]))
    for name, value in data.items():
        setattr(case, name, value)
    case.is_published = True
    case.published_at = case.published_at or timezone.now()
    case.full_clean(exclude=["slug"])
    case.save()
    case.provinces.set(provinces)
    case.topics.set([topic_named(name) for name in topics])
    case.sdgs.set(SDG.objects.filter(number__in=sdgs))
    return case, created


def import_lines(lines) -> Report:
    report = Report()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        warnings: list = []
        try:
            row = json.loads(line)
            with transaction.atomic():
                data = parse_row(row, warnings)
                _, created = save_case(data)
        except json.JSONDecodeError as exc:
            report.errors.append((number, f"JSON ไม่ถูกต้อง: {exc.msg} (ตำแหน่ง {exc.colno})"))
            continue
        except LineError as exc:
            report.errors.append((number, str(exc)))
            continue
        except ValidationError as exc:
            report.errors.append((number, "; ".join(exc.messages)))
            continue
        report.warnings.extend((number, w) for w in warnings)
        if created:
            report.created += 1
        else:
            report.updated += 1
    return report
