"""Migration 0010 moves every entry's answers out of the fixed form's columns into
Entry.answers (the shipped project form), with nothing lost: entries are made on the schema
before (0008), the migrations run forward, every answer is checked."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("awards", "0008_panel_member_history")]
AFTER = [("awards", "0010_entry_answers_from_columns")]

FULL = {
    "summary": "สรุปผลงาน\nบรรทัดที่สอง",
    "problem": "<script>alert(1)</script> ปัญหา",
    "solution": "ทำอะไร",
    "results": "ผลลัพธ์",
    "indicators": "ระยะเวลา (วัน), ร้อยละความพึงพอใจ",
    "partners": "ภาคี",
    "contact_name": "สมหญิง",
    "contact_position": "นักวิเคราะห์",
    "contact_email": "somying@example.go.th",
    "contact_phone": "0 2356 9999 ต่อ 123",
}


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_answer_of_every_entry_moves_into_the_project_form():
    old = migrate(BEFORE)
    Agency = old.get_model("portal", "Agency")
    User = old.get_model("portal", "User")
    Branch = old.get_model("awards", "Branch")
    Cycle = old.get_model("awards", "Cycle")
    Category = old.get_model("awards", "Category")
    Entry = old.get_model("awards", "Entry")
    Attachment = old.get_model("awards", "Attachment")
    SDG = old.get_model("portal", "SDG")
    HistoricalEntry = old.get_model("awards", "HistoricalEntry")

    agency = Agency.objects.create(name_th="กรมทดสอบการย้าย", abbreviation="ทย.", kind="department")
    user = User.objects.create(username="migrating", agency=agency)
    branch = Branch.objects.create(code="migration", name_th="สาขาทดสอบการย้าย", name_en="M")
    now = timezone.now()
    cycle = Cycle.objects.create(
        year_be=2566,
        applications_open_at=now - datetime.timedelta(days=400),
        applications_close_at=now - datetime.timedelta(days=300),
    )
    used, unused = (
        Category.objects.create(cycle=cycle, branch=branch, code=code, name_th=code)
        for code in ("used", "unused")
    )
    submitted_at = now - datetime.timedelta(days=350)
    full = Entry.objects.create(
        category=used,
        agency=agency,
        created_by=user,
        title="ผลงานครบทุกข้อ",
        started_on=datetime.date(2023, 6, 15),
        state="submitted",
        reference="LR-2566-000001",
        submitted_at=submitted_at,
        **FULL,
    )
    full.sdgs.set(SDG.objects.filter(number__in=[16, 1, 10]))
    HistoricalEntry.objects.create(
        id=full.pk,
        public_id=full.public_id,
        category_id=used.pk,
        agency_id=agency.pk,
        created_by_id=user.pk,
        title="ชื่อเดิม",
        summary="สรุปฉบับก่อนแก้",
        state="draft",
        created_at=now,
        history_date=now - datetime.timedelta(days=360),
        history_type="~",
    )
    bare = Entry.objects.create(category=used, agency=agency, created_by=user, title="ร่างเปล่า")
    file = Attachment.objects.create(
        entry=full,
        file="attachments/x/y",
        original_name="รายงาน.pdf",
        content_type="application/pdf",
        size=10,
        sha256="0" * 64,
        uploaded_by=user,
    )

    new = migrate(AFTER)
    Entry = new.get_model("awards", "Entry")
    EntryForm = new.get_model("awards", "EntryForm")
    Question = new.get_model("awards", "Question")

    full = Entry.objects.get(pk=full.pk)
    assert full.answers == {
        **FULL,
        "started_on": "2023-06-15",
        "sdgs": ["1", "10", "16"],
    }
    assert full.title == "ผลงานครบทุกข้อ"
    assert Entry.objects.get(pk=bare.pk).answers == {}
    form = EntryForm.objects.get(category_id=used.pk)
    assert (full.form_id, form.version, form.locked_at) == (form.pk, 1, submitted_at)
    assert Entry.objects.get(pk=bare.pk).form_id == form.pk
    # Every answer is a question of that form, of the kind its value needs.
    kinds = dict(Question.objects.filter(form=form).values_list("code", "kind"))
    assert set(full.answers) <= set(kinds)
    assert kinds["started_on"] == "date" and kinds["sdgs"] == "choice"
    assert kinds["contact_email"] == "email"
    # A category without entries gets the form too, unlocked.
    assert EntryForm.objects.get(category_id=unused.pk).locked_at is None
    assert new.get_model("awards", "Attachment").objects.get(pk=file.pk).question == "attachments"
    history = new.get_model("awards", "HistoricalEntry").objects.get(title="ชื่อเดิม")
    assert history.answers == {"summary": "สรุปฉบับก่อนแก้"} and history.form_id == form.pk
    # The columns are gone: one storage.
    with connection.cursor() as cursor:
        table = connection.introspection.get_table_description(cursor, "awards_entry")
    assert not {column.name for column in table} & {"summary", "problem", "contact_email"}

    # Backwards: the answers go back into the columns.
    old = migrate(BEFORE)
    back = old.get_model("awards", "Entry").objects.get(pk=full.pk)
    assert {name: getattr(back, name) for name in FULL} == FULL
    assert back.started_on == datetime.date(2023, 6, 15)
    assert sorted(back.sdgs.values_list("number", flat=True)) == [1, 10, 16]
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to the latest
