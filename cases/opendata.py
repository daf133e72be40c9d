"""Open data: the published case studies, lessons, agencies and results as CSV (UTF-8 with a
byte-order mark, so Excel shows Thai) and JSON, under an open licence, documented on
/opendata/. Only what is already public is exported: published case studies and lessons,
the agency list, and results of cycles whose results have been announced. Personal data
(contacts, people) is never in a dataset.

CSV is written through portal/reports/spreadsheets.py: a text value starting with `=`, `+`, `-`,
`@`,
a tab or a carriage return gets a leading `'` (OWASP's CSV-injection guidance), so a title
can't run as a formula in the spreadsheet someone opens it with. JSON carries the values as
they are."""

import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from awards import levels
from awards.permissions import published_results
from portal.agencies.models import Agency
from portal.reports.spreadsheets import CSV, SafeDictWriter
from portal.site_address import absolute

from .models import Adoption, CaseStudy, Lesson

LICENCE = {
    # The portal's own licence (terms on /opendata/#licence): an identifier of its own, as it
    # is no registered licence; its URL is the terms' address.
    "id": "OGL-TH-style",
    "name": "Open Government Licence – Thailand (OGL-TH style)",
    "name_th": "สัญญาอนุญาตข้อมูลเปิดภาครัฐ (แบบ OGL)",
    "attribution": "ที่มา: สำนักงาน ก.พ.ร. (ผลงานเลิศรัฐ) / Source: OPDC, Public Sector Excellence "
    "Awards portal",
}
FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    fields: tuple[tuple[str, str], ...]  # (column, meaning)
    rows: Callable[[], Iterable[dict]]


def _site(path: str) -> str:
    return absolute(path)


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _text(value) -> str | None:
    return value or None


def _level_in_thai(result) -> str:
    """Open data names a level in Thai, as that cycle's branch named it (levels are data)."""
    with translation.override("th"):
        return levels.label_of(result)


def case_rows() -> Iterator[dict]:
    cases = (
        CaseStudy.objects.published()
        .select_related("agency", "branch", "category")
        .prefetch_related("provinces", "topics", "sdgs")
        .order_by("pk")
    )
    for case in cases.iterator(chunk_size=500):
        yield {
            "id": case.pk,
            "slug": case.slug,
            "url": _site(case.get_absolute_url()),
            "title": case.title,
            "summary": case.summary,
            "problem": case.problem,
            "approach": case.approach,
            "results": case.results,
            "year_be": case.year_be,
            "branch": case.branch.code if case.branch else None,
            "branch_name_th": case.branch.name_th if case.branch else None,
            "category_name_th": case.category.name_th if case.category else None,
            "award_level": _text(case.award_level),
            "agency_id": case.agency_id,
            "agency_name_th": case.agency.name_th if case.agency else None,
            "provinces": [p.code for p in case.provinces.all()],
            "topics": [t.slug for t in case.topics.all()],  # the API's identifiers
            "sdgs": [s.number for s in case.sdgs.all()],
            "source_url": _text(case.source_url),
            "published_at": _iso(case.published_at),
        }


def lesson_rows() -> Iterator[dict]:
    lessons = (
        Lesson.objects.published()
        .filter(case_study__is_published=True)
        .select_related("case_study")
        .order_by("pk")
    )
    for lesson in lessons.iterator(chunk_size=500):
        yield {
            "id": lesson.pk,
            "slug": lesson.slug,
            "url": _site(lesson.get_absolute_url()),
            "case_study_id": lesson.case_study_id,
            "title": lesson.title,
            "background": lesson.background,
            "key_process": lesson.key_process,
            "success_factors": lesson.success_factors,
            "obstacles": lesson.obstacles,
            "indicators": lesson.indicators,
            "replication": lesson.replication,
            "spread_to": lesson.spread_to,
            "published_at": _iso(lesson.published_at),
        }


def adoption_rows() -> Iterator[dict]:
    adoptions = (
        Adoption.objects.filter(case_study__is_published=True)
        .select_related("agency", "province")
        .order_by("pk")
    )
    for adoption in adoptions.iterator(chunk_size=1000):
        yield {
            "id": adoption.pk,
            "case_study_id": adoption.case_study_id,
            "agency_id": adoption.agency_id,
            "agency_name_th": adoption.agency.name_th,
            "province": adoption.province.code,
            "year_be": adoption.year_be,
            "note": _text(adoption.note),
            "recorded_at": _iso(adoption.recorded_at),
        }


def agency_rows() -> Iterator[dict]:
    agencies = Agency.objects.select_related("province").order_by("pk")
    for agency in agencies.iterator(chunk_size=1000):
        yield {
            "id": agency.pk,
            "name_th": agency.name_th,
            "name_en": _text(agency.name_en),
            "kind": agency.kind,
            "parent_id": agency.parent_id,
            "abbreviation": _text(agency.abbreviation),
            "province": agency.province.code if agency.province else None,
            "website": _text(agency.website),
            "is_active": agency.is_active,
        }


def result_rows() -> Iterator[dict]:
    results = published_results().select_related(
        "entry__category__cycle", "entry__category__branch", "entry__agency"
    )
    for result in results.order_by("pk").iterator(chunk_size=1000):
        entry = result.entry
        yield {
            "id": result.pk,
            "year_be": entry.category.cycle.year_be,
            "branch": entry.category.branch.code,
            "category_name_th": entry.category.name_th,
            "reference": entry.reference or None,
            "title": entry.title,
            "agency_id": entry.agency_id,
            "agency_name_th": entry.agency.name_th,
            "award_level": result.award_level,
            "award_level_th": _level_in_thai(result),
            "published_at": _iso(entry.category.cycle.results_published_at),
        }


DATASETS = {
    dataset.slug: dataset
    for dataset in (
        Dataset(
            "case-studies",
            _("ผลงานต้นแบบ"),
            _("ผลงานที่ได้รับรางวัลเลิศรัฐและเผยแพร่แล้ว หนึ่งแถวต่อผลงาน"),
            (
                ("id", _("รหัสผลงาน (คงที่)")),
                ("slug", _("ชื่อใน URL")),
                ("url", _("หน้าผลงานบนเว็บไซต์")),
                ("title", _("ชื่อผลงาน")),
                ("summary", _("สรุปย่อ")),
                ("problem", _("สภาพปัญหา")),
                ("approach", _("สิ่งที่ทำ")),
                ("results", _("ผลลัพธ์")),
                ("year_be", _("ปีที่ได้รับรางวัล (พ.ศ.)")),
                ("branch", _("รหัสสาขา")),
                ("branch_name_th", _("ชื่อสาขา")),
                ("category_name_th", _("ประเภทรางวัล")),
                ("award_level", _("รหัสระดับรางวัล (เช่น honour, outstanding, good, pmqa_advance)")),
                ("agency_id", _("รหัสหน่วยงาน (ตรงกับชุดข้อมูลหน่วยงาน)")),
                ("agency_name_th", _("ชื่อหน่วยงาน")),
                ("provinces", _("รหัสจังหวัด ISO 3166-2:TH คั่นด้วย ;")),
                ("topics", _("หัวข้อ (รหัสเดียวกับ /api/v1/topics/) คั่นด้วย ;")),
                ("sdgs", _("เป้าหมาย SDG คั่นด้วย ;")),
                ("source_url", _("แหล่งที่มา")),
                ("published_at", _("เผยแพร่เมื่อ (ISO 8601)")),
            ),
            case_rows,
        ),
        Dataset(
            "lessons",
            _("บทเรียน (ถอดบทเรียน)"),
            _("บทเรียนที่เผยแพร่แล้วของผลงานต้นแบบ ไม่รวมข้อมูลติดต่อบุคคล"),
            (
                ("id", _("รหัสบทเรียน")),
                ("slug", _("ชื่อใน URL")),
                ("url", _("หน้าบทเรียนบนเว็บไซต์")),
                ("case_study_id", _("รหัสผลงานต้นแบบ")),
                ("title", _("ชื่อบทเรียน")),
                ("background", _("ความเป็นมา")),
                ("key_process", _("กระบวนการสำคัญ")),
                ("success_factors", _("ปัจจัยความสำเร็จ")),
                ("obstacles", _("อุปสรรคและวิธีแก้ไข")),
                ("indicators", _("ตัวชี้วัดและผลลัพธ์")),
                ("replication", _("แนวทางการขยายผล")),
                ("spread_to", _("พื้นที่/หน่วยงานที่นำไปขยายผลแล้ว")),
                ("published_at", _("เผยแพร่เมื่อ (ISO 8601)")),
            ),
            lesson_rows,
        ),
        Dataset(
            "adoptions",
            _("การนำผลงานต้นแบบไปขยายผล"),
            _("หน่วยงานที่นำผลงานต้นแบบที่เผยแพร่แล้วไปใช้ จังหวัดและปีที่เริ่ม ไม่รวมผู้บันทึก"),
            (
                ("id", _("รหัสการขยายผล")),
                ("case_study_id", _("รหัสผลงานต้นแบบ (ตรงกับชุดข้อมูลผลงานต้นแบบ)")),
                ("agency_id", _("รหัสหน่วยงานที่นำไปขยายผล (ตรงกับชุดข้อมูลหน่วยงาน)")),
                ("agency_name_th", _("ชื่อหน่วยงาน")),
                ("province", _("รหัสจังหวัด ISO 3166-2:TH")),
                ("year_be", _("ปีที่เริ่มนำไปใช้ (พ.ศ.)")),
                ("note", _("สรุปสั้น ๆ")),
                ("recorded_at", _("บันทึกเมื่อ (ISO 8601)")),
            ),
            adoption_rows,
        ),
        Dataset(
            "agencies",
            _("หน่วยงาน"),
            _("หน่วยงานภาครัฐ พร้อมหน่วยงานต้นสังกัด (parent_id) เพื่อสร้างเป็นโครงสร้างต้นไม้"),
            (
                ("id", _("รหัสหน่วยงาน")),
                ("name_th", _("ชื่อภาษาไทย")),
                ("name_en", _("ชื่อภาษาอังกฤษ")),
                ("abbreviation", _("อักษรย่อ")),
                ("kind", _("ประเภทหน่วยงาน")),
                ("parent_id", _("รหัสหน่วยงานต้นสังกัด")),
                ("province", _("รหัสจังหวัดที่ตั้ง")),
                ("website", _("เว็บไซต์")),
                ("is_active", _("ยังดำเนินงานอยู่")),
            ),
            agency_rows,
        ),
        Dataset(
            "results",
            _("ผลการตัดสินรางวัล"),
            _("ผลการตัดสินของปีรางวัลที่ประกาศผลแล้ว (ไม่รวมคะแนนและความเห็นของผู้ตรวจประเมิน)"),
            (
                ("id", _("รหัสผลการตัดสิน")),
                ("year_be", _("ปีรางวัล (พ.ศ.)")),
                ("branch", _("รหัสสาขา")),
                ("category_name_th", _("ประเภทรางวัล")),
                ("reference", _("เลขที่อ้างอิงผลงาน")),
                ("title", _("ชื่อผลงาน")),
                ("agency_id", _("รหัสหน่วยงาน")),
                ("agency_name_th", _("ชื่อหน่วยงาน")),
                ("award_level", _("ระดับรางวัล (รหัส)")),
                ("award_level_th", _("ระดับรางวัล")),
                ("published_at", _("ประกาศผลเมื่อ (ISO 8601)")),
            ),
            result_rows,
        ),
    )
}


# Frictionless Table Schema types (https://specs.frictionlessdata.io/table-schema/); a field not
# listed is a string. In CSV a list is `;`-joined and a missing value is empty; in JSON a list is
# an array and a missing value is null.
TYPES = {
    "id": "integer",
    "year_be": "integer",
    "agency_id": "integer",
    "case_study_id": "integer",
    "parent_id": "integer",
    "is_active": "boolean",
    "published_at": "datetime",
    "recorded_at": "datetime",
    "url": "string",
    "source_url": "string",
    "website": "string",
}
LISTS = {"provinces", "topics", "sdgs"}
REQUIRED = {"id", "title", "url", "name_th", "year_be"}


def field_type(name: str) -> str:
    return TYPES.get(name, "string")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    return value


def csv_chunks(dataset: Dataset) -> Iterator[str]:
    """CSV text: a BOM, the header, then the rows, a chunk at a time (large sets stream)."""
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=[name for name, _ in dataset.fields])
    buffer.write("\ufeff")
    writer.writeheader()
    for count, row in enumerate(dataset.rows(), start=1):
        writer.writerow({key: _csv_value(value) for key, value in row.items()})
        if count % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_document(dataset: Dataset, request=None) -> dict:
    records = list(dataset.rows())
    return {
        "dataset": dataset.slug,
        "title": str(dataset.title),
        "licence": licence(request),
        "generated_at": timezone.now().isoformat(),
        "fields": [
            {
                "name": name,
                "type": "array" if name in LISTS else field_type(name),
                "description": str(meaning),
            }
            for name, meaning in dataset.fields
        ],
        "count": len(records),
        "records": records,
    }


def licence(request) -> dict:
    return {**LICENCE, "url": absolute("/opendata/#licence", request)}


def _download_url(request, dataset: Dataset, fmt: str) -> str:
    return absolute(reverse("cases:opendata_download", args=[dataset.slug, fmt]), request)


def table_schema(dataset: Dataset) -> dict:
    fields = []
    for name, meaning in dataset.fields:
        field = {"name": name, "type": field_type(name), "description": str(meaning)}
        if name in LISTS:
            field["description"] += " (JSON: array)"
        if name in REQUIRED:
            field["constraints"] = {"required": True}
        fields.append(field)
    return {"fields": fields, "primaryKey": ["id"], "missingValues": [""]}


def datapackage(request) -> dict:
    """A Frictionless Data Package (https://specs.frictionlessdata.io/data-package/): each
    dataset's CSV as a tabular resource with typed fields, the licence with its URL."""
    terms = licence(request)
    return {
        "name": "lertrat-open-data",
        "title": "ผลงานเลิศรัฐ — ข้อมูลเปิด / Public Sector Excellence Awards — open data",
        "homepage": absolute(reverse("cases:opendata"), request),
        "licenses": [{"name": terms["id"], "path": terms["url"], "title": terms["name"]}],
        "contributors": [{"title": "สำนักงาน ก.พ.ร. (OPDC)", "role": "publisher"}],
        "resources": [
            {
                "name": dataset.slug,
                "title": str(dataset.title),
                "description": str(dataset.description),
                "path": _download_url(request, dataset, "csv"),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "profile": "tabular-data-resource",
                "schema": table_schema(dataset),
            }
            for dataset in DATASETS.values()
        ],
    }


DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def dcat_catalog(request) -> dict:
    """A DCAT-AP catalogue in JSON-LD: every dataset with its CSV and JSON distributions, the
    licence and the publisher, for harvesters (CKAN's ckanext-dcat, data.go.th)."""
    terms = licence(request)
    home = absolute(reverse("cases:opendata"), request)
    publisher = {
        "@id": "https://www.opdc.go.th/",
        "@type": "foaf:Organization",
        "foaf:name": [
            {"@value": "สำนักงานคณะกรรมการพัฒนาระบบราชการ (สำนักงาน ก.พ.ร.)", "@language": "th"},
            {"@value": "Office of the Public Sector Development Commission (OPDC)",
             "@language": "en"},
        ],
    }  # fmt: skip
    media = {"csv": "text/csv", "json": "application/json"}
    datasets = []
    for dataset in DATASETS.values():
        page = f"{home}#{dataset.slug}"
        with translation.override("en"):
            title_en, description_en = str(dataset.title), str(dataset.description)
        with translation.override("th"):
            title_th, description_th = str(dataset.title), str(dataset.description)
        datasets.append(
            {
                "@id": page,
                "@type": "dcat:Dataset",
                "dct:identifier": f"lertrat-{dataset.slug}",
                "dct:title": [
                    {"@value": title_th, "@language": "th"},
                    {"@value": title_en, "@language": "en"},
                ],
                "dct:description": [
                    {"@value": description_th, "@language": "th"},
                    {"@value": description_en, "@language": "en"},
                ],
                "dct:publisher": {"@id": publisher["@id"]},
                "dct:license": {"@id": terms["url"]},
                "dct:language": {
                    "@id": "http://publications.europa.eu/resource/authority/language/THA"
                },
                "dcat:landingPage": {"@id": page},
                "dcat:keyword": ["ผลงานเลิศรัฐ", "PSEA", "OPDC", dataset.slug],
                "dcat:contactPoint": {
                    "@type": "vcard:Organization",
                    "vcard:fn": "สำนักงาน ก.พ.ร.",
                    "vcard:hasURL": {"@id": "https://www.opdc.go.th/"},
                },
                "dcat:distribution": [
                    {
                        "@id": _download_url(request, dataset, fmt),
                        "@type": "dcat:Distribution",
                        "dct:title": f"{title_en} ({fmt.upper()})",
                        "dcat:accessURL": {"@id": page},
                        "dcat:downloadURL": {"@id": _download_url(request, dataset, fmt)},
                        "dct:format": fmt.upper(),
                        "dcat:mediaType": media[fmt],
                        "dct:license": {"@id": terms["url"]},
                        **(
                            {
                                "dct:conformsTo": {
                                    "@id": absolute(reverse("cases:opendata_datapackage"), request)
                                }
                            }
                            if fmt == "csv"
                            else {}
                        ),
                    }
                    for fmt in FORMATS
                ],
            }
        )
    return {
        "@context": DCAT_CONTEXT,
        "@id": home,
        "@type": "dcat:Catalog",
        "dct:title": [
            {"@value": "ผลงานเลิศรัฐ — ข้อมูลเปิด", "@language": "th"},
            {"@value": "Public Sector Excellence Awards — open data", "@language": "en"},
        ],
        "dct:description": "Case studies, lessons, their adoption by other agencies, agencies and "
        "results of the Public Sector "
        "Excellence Awards (รางวัลเลิศรัฐ), published by OPDC.",
        "dct:publisher": publisher,
        "dct:license": {"@id": terms["url"]},
        "foaf:homepage": {"@id": home},
        "dcat:dataset": datasets,
    }


def _json_response(document: dict, content_type: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=2), content_type=content_type
    )
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def datapackage_view(request):
    return _json_response(datapackage(request), "application/json; charset=utf-8")


@require_GET
def catalog_view(request):
    return _json_response(dcat_catalog(request), "application/ld+json; charset=utf-8")


@require_GET
def index(request):
    return render(
        request,
        "cases/opendata.html",
        {"datasets": DATASETS.values(), "licence": licence(request), "formats": FORMATS},
    )


@require_GET
def download(request, dataset, fmt):
    if dataset not in DATASETS or fmt not in FORMATS:
        raise Http404
    chosen = DATASETS[dataset]
    filename = f"lertrat-{chosen.slug}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in csv_chunks(chosen)),
            content_type=CSV,
        )
    else:
        response = HttpResponse(
            json.dumps(json_document(chosen, request), ensure_ascii=False, default=str),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=3600"
    response["Access-Control-Allow-Origin"] = "*"
    return response
