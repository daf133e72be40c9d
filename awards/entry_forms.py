"""Entry forms as data: which form version a new entry answers, locking a version once an entry
answering it is submitted, new versions, and forms as plain data (the shipped configurations
in awards/fixtures/entry_forms/, importing, copying a form to another category).

A version is never changed once locked: the admin refuses it (admin/forms.py asks `is_locked`)
and `new_version` makes the editable copy; every entry keeps the version it answered.
"""

import json
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Category, EntryForm, FormSection, Question, QuestionKind

SHIPPED = Path(__file__).resolve().parent / "fixtures" / "entry_forms"
# The shipped configurations by name: `manage.py load_entry_form <name> …` and the demo.
SHIPPED_FORMS = {"project": "project.json", "pmqa40": "pmqa40.json"}
# What a category without a form of its own gets: today's project form (no category is
# left without a form, and one created before forms were data keeps working).
DEFAULT_FORM = "project"

SECTION_FIELDS = ("key", "order", "title_th", "title_en", "help_th", "help_en")
QUESTION_FIELDS = (
    "code", "order", "kind", "label_th", "label_en", "help_th", "help_en", "required",
    "max_length", "options", "multiple", "max_rows", "max_files", "max_file_mb", "file_types",
)  # fmt: skip


def shipped(name: str) -> dict:
    """A shipped configuration as data (the JSON file)."""
    return json.loads((SHIPPED / SHIPPED_FORMS[name]).read_text(encoding="utf-8"))


def read(name_or_path: str) -> dict:
    """A shipped configuration by name, or a JSON file of the same format."""
    if name_or_path in SHIPPED_FORMS:
        return shipped(name_or_path)
    return json.loads(Path(name_or_path).read_text(encoding="utf-8"))


def problems(form: EntryForm) -> list[str]:
    """What would keep agencies from completing this form (Thai, for the admin's warnings)."""
    found = []
    sections = list(form.sections.prefetch_related("questions"))
    if not sections:
        found.append(_("แบบฟอร์มยังไม่มีส่วนใด หน่วยงานจะกรอกได้เพียงชื่อผลงาน"))
    for index, section in enumerate(sections):
        questions = list(section.questions.all())
        if index and not questions:
            found.append(_("ส่วน “%(section)s” ยังไม่มีคำถาม") % {"section": section.title})
        for question in questions:
            if question.kind == QuestionKind.CHOICE and not question.choices:
                found.append(_("คำถาม “%(code)s” เป็นตัวเลือกแต่ยังไม่มีตัวเลือก") % {"code": question.code})
    return found


def current_form(category: Category) -> EntryForm | None:
    """The newest version of the category's form: what a new entry answers."""
    return category.entry_forms.order_by("-version").first()


@transaction.atomic
def form_for_new_entry(category: Category) -> EntryForm:
    """The form a new entry of this category answers; a category with none gets the default."""
    form = current_form(category)
    if form is None:
        form = form_from_data(category, shipped(DEFAULT_FORM))
    return form


def form_as_data(form: EntryForm) -> dict:
    """A form version as plain data (the fixtures' format): sections with their questions."""
    questions = list(form.questions.all())
    return {
        "name": form.name,
        "sections": [
            {
                **{name: getattr(section, name) for name in SECTION_FIELDS},
                "questions": [
                    {name: getattr(question, name) for name in QUESTION_FIELDS}
                    for question in questions
                    if question.section_id == section.pk
                ],
            }
            for section in form.sections.all()
        ],
    }


@transaction.atomic
def form_from_data(category: Category, data: dict, name: str | None = None) -> EntryForm:
    """A new version (the next number) of the category's form, built from plain data."""
    last = category.entry_forms.aggregate(last=Max("version"))["last"] or 0
    form = EntryForm.objects.create(
        category=category, version=last + 1, name=data.get("name", "") if name is None else name
    )
    for section_order, section_data in enumerate(data["sections"], start=1):
        values = {k: section_data[k] for k in SECTION_FIELDS if k in section_data}
        section = _checked(FormSection(form=form, **{"order": section_order, **values}))
        for question_order, question_data in enumerate(section_data["questions"], start=1):
            values = {k: question_data[k] for k in QUESTION_FIELDS if k in question_data}
            values.setdefault("order", question_order)
            _checked(Question(form=form, section=section, **_blank_as_default(values)))
    return form


def _checked(row):
    """Saved only if valid (a kind that does not exist, a code that is not a slug, a repeated
    code…): a file from elsewhere is data to check, like a form."""
    row.full_clean()
    row.save()
    return row


def _blank_as_default(values: dict) -> dict:
    """Text fields are never NULL: a missing or null text in the data is ''."""
    for name in ("label_en", "help_th", "help_en", "options", "file_types"):
        if values.get(name) is None:
            values[name] = ""
    return values


def new_version(form: EntryForm) -> EntryForm:
    """An editable copy of a form as the category's next version (a locked one is never
    changed). Entries already started keep the version they answer."""
    return copy_form(form, form.category)


def copy_form(form: EntryForm, to_category: Category) -> EntryForm:
    """The form copied to another category (e.g. next year's in "copy a cycle"), as that
    category's next version, unlocked; the original is not touched."""
    return form_from_data(to_category, form_as_data(form), name=form.name)


def lock(form: EntryForm, at=None) -> None:
    """Lock a version when the first entry answering it is submitted (submission.submit)."""
    EntryForm.objects.filter(pk=form.pk, locked_at__isnull=True).update(
        locked_at=at or timezone.now()
    )
