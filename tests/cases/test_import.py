import json

import pytest
from django.core.management import call_command

from cases import search
from cases.models import CaseStudy, SearchDocument

pytestmark = pytest.mark.django_db(transaction=True)  # indexing runs after each line commits

GOOD = {
    "external_id": "opdc-2567-001",
    "title": "ศูนย์ดำรงธรรมติดตามเรื่องร้องเรียนผ่านไลน์",
    "summary": "จังหวัดนำระบบติดตามเรื่องร้องเรียนออนไลน์มาใช้ ประชาชนไม่ต้องเดินทางมาศาลากลาง",
    "body": "เจ้าหน้าที่ตอบกลับทุกเรื่องภายในสามวันทำการและแจ้งความคืบหน้าทางข้อความ",
    "agency": "ก.พ.ร.",
    "province": "จังหวัดเชียงใหม่",
    "year_be": 2567,
    "branch": "service",
    "award_level": "ดีเด่น",
    "topics": ["บริการดิจิทัล", "การมีส่วนร่วม"],
    "source_url": "https://www.opdc.go.th/content/example",
}


def write(tmp_path, lines):
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(path, capsys):
    call_command("import_cases", str(path))
    return capsys.readouterr()


def test_import_publishes_indexes_and_updates_by_external_id(tmp_path, capsys):
    from portal.agencies.models import Agency, AgencyKind

    Agency.objects.get_or_create(
        abbreviation="ก.พ.ร.",
        defaults={"name_th": "สำนักงาน ก.พ.ร.", "kind": AgencyKind.INDEPENDENT},
    )
    out = run(write(tmp_path, [json.dumps(GOOD, ensure_ascii=False)]), capsys)
    assert "1 created, 0 updated, 0 skipped" in out.out
    case = CaseStudy.objects.get(external_id="opdc-2567-001")
    assert case.is_published and case.published_at and case.agency.abbreviation == "ก.พ.ร."
    assert [p.code for p in case.provinces.all()] == ["TH-50"]
    assert case.award_level == "outstanding" and case.topics.count() == 2
    assert SearchDocument.objects.filter(case_study=case).exists()
    assert search.search_cases(search.parse("ร้องเรียน")).get().case_study_id == case.pk

    changed = {**GOOD, "title": "ศูนย์ดำรงธรรมตอบเรื่องร้องเรียนภายในสามวัน", "award_level": "good"}
    out = run(write(tmp_path, [json.dumps(changed, ensure_ascii=False)]), capsys)
    assert "0 created, 1 updated" in out.out
    assert CaseStudy.objects.filter(external_id="opdc-2567-001").count() == 1
    case.refresh_from_db()
    assert case.title == changed["title"] and case.award_level == "good"
    hit = search.search_cases(search.parse("สามวัน")).get()
    assert hit.case_study_id == case.pk and hit.tier == 0  # the index follows the new title


def test_bad_lines_are_reported_with_numbers_and_skipped(tmp_path, capsys):
    lines = [
        json.dumps({**GOOD, "external_id": "a"}, ensure_ascii=False),
        '{"title": "ไม่ปิดวงเล็บ"',
        json.dumps({**GOOD, "external_id": "b", "summary": ""}, ensure_ascii=False),
        json.dumps({**GOOD, "external_id": "c", "year_be": "ปีที่แล้ว"}, ensure_ascii=False),
        "",
        json.dumps(["not", "an", "object"]),
        json.dumps({**GOOD, "external_id": "d", "award_level": "ทอง"}, ensure_ascii=False),
        json.dumps({**GOOD, "external_id": "e", "source_url": "ไม่ใช่ลิงก์"}, ensure_ascii=False),
        json.dumps(
            {**GOOD, "external_id": "f", "agency": "หน่วยงานใหม่ที่ไม่เคยมี", "province": "ดาวอังคาร"},
            ensure_ascii=False,
        ),  # fmt: skip
    ]
    out = run(write(tmp_path, lines), capsys)
    assert "2 created, 0 updated, 6 skipped" in out.out
    for number in (2, 3, 4, 6, 7, 8):
        assert f"line {number}: skipped" in out.err
    assert "line 1:" not in out.err and "line 9: skipped" not in out.err
    assert "line 9: ไม่รู้จักจังหวัด" in out.out  # imported, with a warning
    assert set(CaseStudy.objects.values_list("external_id", flat=True)) == {"a", "f"}


def test_missing_file_is_an_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_cases", str(tmp_path / "missing.jsonl"))
