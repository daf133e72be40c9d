"""Every entry's answers move from the fixed form's columns into `Entry.answers`, as answers to
the shipped project form (awards/fixtures/entry_forms/project.json, read as it was when this
migration was written: the codes are the old column names). Every existing category gets that
form as version 1 (today every category used it), locked at its first submission; attachments
answer its "attachments" question; the history rows get their answers too. Then the columns
go: one storage. Reversible: the answers go back into the columns.

Proven by tests/awards/test_entry_forms_migration.py.
"""

import importlib
import json
from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Min

PROJECT_FORM = Path(__file__).resolve().parent.parent / "fixtures" / "entry_forms" / "project.json"
TEXT_COLUMNS = (
    "summary", "problem", "solution", "results", "indicators", "partners",
    "contact_name", "contact_position", "contact_email", "contact_phone",
)  # fmt: skip
QUESTION_FIELDS = (
    "code", "kind", "label_th", "label_en", "help_th", "help_en", "required", "max_length",
    "options", "multiple", "max_rows", "max_files", "max_file_mb", "file_types",
)  # fmt: skip


def _answers(row, sdgs=()) -> dict:
    answers = {name: getattr(row, name) for name in TEXT_COLUMNS if getattr(row, name)}
    if row.started_on:
        answers["started_on"] = row.started_on.isoformat()
    if sdgs:
        answers["sdgs"] = [str(number) for number in sorted(sdgs)]
    return answers


def _project_form(apps, category, data):
    EntryForm = apps.get_model("awards", "EntryForm")
    FormSection = apps.get_model("awards", "FormSection")
    Question = apps.get_model("awards", "Question")
    first = category.entries.filter(submitted_at__isnull=False).aggregate(at=Min("submitted_at"))
    form = EntryForm.objects.create(
        category=category, version=1, name=data["name"], locked_at=first["at"]
    )
    for section_order, section in enumerate(data["sections"], start=1):
        row = FormSection.objects.create(
            form=form,
            order=section_order,
            **{k: section[k] for k in ("key", "title_th", "title_en", "help_th", "help_en")},
        )
        for order, question in enumerate(section["questions"], start=1):
            values = {k: question[k] for k in QUESTION_FIELDS if k in question}
            for text in ("options", "file_types", "label_en", "help_th", "help_en"):
                values[text] = values.get(text) or ""
            Question.objects.create(form=form, section=row, order=order, **values)
    return form


def columns_to_answers(apps, schema_editor):
    Category = apps.get_model("awards", "Category")
    Entry = apps.get_model("awards", "Entry")
    HistoricalEntry = apps.get_model("awards", "HistoricalEntry")
    Attachment = apps.get_model("awards", "Attachment")
    data = json.loads(PROJECT_FORM.read_text(encoding="utf-8"))
    forms = {}
    for category in Category.objects.order_by("pk"):
        forms[category.pk] = _project_form(apps, category, data)
    for entry in Entry.objects.prefetch_related("sdgs").iterator(chunk_size=500):
        entry.form = forms[entry.category_id]
        entry.answers = _answers(entry, [sdg.number for sdg in entry.sdgs.all()])
        entry.save(update_fields=["form", "answers"])
    for record in HistoricalEntry.objects.iterator(chunk_size=500):
        if record.category_id in forms:
            record.form_id = forms[record.category_id].pk
        record.answers = _answers(record)
        record.save(update_fields=["form", "answers"])
    Attachment.objects.update(question="attachments")
    if schema_editor.connection.vendor == "postgresql":
        # The deferred foreign-key checks run now, so the columns can be dropped below in the
        # same transaction ("pending trigger events" otherwise).
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def answers_to_columns(apps, schema_editor):
    Entry = apps.get_model("awards", "Entry")
    SDG = apps.get_model("portal", "SDG")
    for entry in Entry.objects.iterator(chunk_size=500):
        answers = entry.answers or {}
        for name in TEXT_COLUMNS:
            setattr(entry, name, answers.get(name) or "")
        entry.started_on = answers.get("started_on")
        entry.save()
        numbers = [int(number) for number in answers.get("sdgs", [])]
        entry.sdgs.set(SDG.objects.filter(number__in=numbers))


ENTRY_FORMS = importlib.import_module("awards.migrations.0009_entry_forms")


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0009_entry_forms"),
        ("portal", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(columns_to_answers, answers_to_columns),
        migrations.AlterField(
            model_name="entry",
            name="form",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="entries",
                to="awards.entryform",
                verbose_name="แบบฟอร์มใบสมัคร",
            ),
        ),
        migrations.RemoveField(
            model_name='entry',
            name='contact_email',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='contact_name',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='contact_phone',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='contact_position',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='indicators',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='partners',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='problem',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='results',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='sdgs',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='solution',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='started_on',
        ),
        migrations.RemoveField(
            model_name='entry',
            name='summary',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='contact_email',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='contact_name',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='contact_phone',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='contact_position',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='indicators',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='partners',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='problem',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='results',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='solution',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='started_on',
        ),
        migrations.RemoveField(
            model_name='historicalentry',
            name='summary',
        ),
            # The conflict triggers 0009 dropped on SQLite, made again now awards_entry is final.
        migrations.RunPython(ENTRY_FORMS.make_sqlite_triggers, ENTRY_FORMS.drop_sqlite_triggers),
    ]
