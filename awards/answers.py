"""Answers to an entry form's questions: what each kind of question accepts (the one check the
web form, the admin and the API all pass through, via submission.save_section), whether a
question is answered, and an answer as a reader sees it (check your answers, the PDF, the
score sheet, the API's text).

Answers are stored in `Entry.answers`, a JSON object keyed by question code: text as a string,
a number as a decimal string, a date as ISO `YYYY-MM-DD`, a choice as its option code (a list of
codes when several may be chosen), yes/no as true/false, indicators as a list of rows
{name, unit, baseline, target, result}. Files answer attachments questions as Attachment rows
carrying the question's code. A blank answer is no key at all.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.thai import format_date

from .models import Entry, Question, QuestionKind

# Length limits when a question does not set its own (characters).
DEFAULT_MAX_LENGTH = {
    QuestionKind.TEXT: 300,
    QuestionKind.LONG_TEXT: 5000,
    QuestionKind.EMAIL: 254,
    QuestionKind.PHONE: 50,
}
TITLE_MAX_LENGTH = 300  # Entry.title
DEFAULT_MAX_ROWS = 20
INDICATOR_COLUMNS = ("name", "unit", "baseline", "target", "result")
INDICATOR_MAX_LENGTH = {"name": 300, "unit": 50, "baseline": 50, "target": 50, "result": 50}
NUMBER_MAX_DIGITS = 15
PHONE_CHARACTERS = re.compile(r"^[0-9 \-+()#.ต่อ]*$")


def max_length(question: Question) -> int | None:
    return question.max_length or DEFAULT_MAX_LENGTH.get(question.kind)


def _text(question: Question, value) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("%(label)s ต้องเป็นข้อความ") % {"label": question.display_label})
    value = value.strip()
    limit = max_length(question)
    if limit and len(value) > limit:
        raise ValidationError(
            _("%(label)s ต้องไม่เกิน %(limit)s ตัวอักษร (ตอนนี้มี %(length)s ตัวอักษร)")
            % {"label": question.display_label, "limit": f"{limit:,}", "length": f"{len(value):,}"}
        )
    if value and "\x00" in value:
        raise ValidationError(_("%(label)s มีอักขระที่ใช้ไม่ได้") % {"label": question.display_label})
    return value


def _email(question, value) -> str:
    value = _text(question, value)
    if value:
        try:
            validate_email(value)
        except ValidationError as error:
            raise ValidationError(
                _("%(label)s ไม่ถูกต้อง เช่น name@agency.go.th") % {"label": question.display_label}
            ) from error
    return value


def _phone(question, value) -> str:
    value = _text(question, value)
    if not PHONE_CHARACTERS.match(value):
        raise ValidationError(_("หมายเลขโทรศัพท์ต้องเป็นตัวเลข เช่น 0 2356 9999 ต่อ 123"))
    return value


def _number(question, value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValidationError(_("%(label)s ต้องเป็นตัวเลข") % {"label": question.display_label})
    text = str(value).strip().replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise ValidationError(
            _("%(label)s ต้องเป็นตัวเลข เช่น 1250 หรือ 12.5") % {"label": question.display_label}
        ) from error
    if not number.is_finite() or len(number.as_tuple().digits) > NUMBER_MAX_DIGITS:
        raise ValidationError(
            _("%(label)s ต้องเป็นตัวเลขไม่เกิน %(digits)s หลัก")
            % {"label": question.display_label, "digits": NUMBER_MAX_DIGITS}
        )
    return format(number.normalize(), "f")


def _date(question, value) -> str:
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value.strip())
        except ValueError as error:
            raise ValidationError(
                _("%(label)s ต้องเป็นวันที่ในรูปแบบ ปปปป-ดด-วว (ค.ศ.) เช่น 2024-06-15")
                % {"label": question.display_label}
            ) from error
    if not isinstance(value, datetime.date) or not 1900 <= value.year <= 2200:
        raise ValidationError(_("%(label)s ต้องเป็นวันที่ที่มีอยู่จริง") % {"label": question.display_label})
    if value > timezone.localdate():  # an entry reports what has happened
        raise ValidationError(_("%(label)s ต้องไม่เป็นวันในอนาคต") % {"label": question.display_label})
    return value.isoformat()


def _choice(question, value):
    codes = [code for code, _name in question.choices]
    chosen = value if isinstance(value, list | tuple) else [value]
    if not question.multiple and isinstance(value, list | tuple):
        raise ValidationError(_("%(label)s เลือกได้ข้อเดียว") % {"label": question.display_label})
    chosen = [str(item) for item in chosen if item not in (None, "")]
    unknown = [item for item in chosen if item not in codes]
    if unknown:
        raise ValidationError(
            _("%(label)s: โปรดเลือกจากรายการ (ไม่มีตัวเลือก “%(value)s”)")
            % {"label": question.display_label, "value": unknown[0][:50]}
        )
    if question.multiple:
        return [code for code in codes if code in chosen]  # the form's order, no repeats
    return chosen[0] if chosen else None


def _yes_no(question, value) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(
            _("%(label)s: โปรดเลือก ใช่ หรือ ไม่ใช่") % {"label": question.display_label}
        )
    return value


def _indicators(question, value) -> list[dict]:
    if not isinstance(value, list | tuple) or not all(isinstance(row, dict) for row in value):
        raise ValidationError(
            _("%(label)s ต้องเป็นรายการตัวชี้วัด แต่ละแถวมี name, unit, baseline, target, result")
            % {"label": question.display_label}
        )
    rows = []
    for number, row in enumerate(value, start=1):
        unknown = set(row) - set(INDICATOR_COLUMNS)
        if unknown:
            raise ValidationError(
                _("%(label)s แถวที่ %(row)s: ไม่รู้จัก “%(column)s”")
                % {
                    "label": question.display_label,
                    "row": number,
                    "column": sorted(unknown)[0][:50],
                }
            )
        cells = {}
        for column in INDICATOR_COLUMNS:
            cell = row.get(column)
            cell = "" if cell is None else str(cell).strip()
            if len(cell) > INDICATOR_MAX_LENGTH[column] or "\x00" in cell:
                raise ValidationError(
                    _("%(label)s แถวที่ %(row)s: %(column)s ต้องไม่เกิน %(limit)s ตัวอักษร")
                    % {
                        "label": question.display_label,
                        "row": number,
                        "column": INDICATOR_LABELS()[column],
                        "limit": INDICATOR_MAX_LENGTH[column],
                    }
                )
            cells[column] = cell
        if not any(cells.values()):
            continue  # an empty row of the table is no row
        if not cells["name"]:
            raise ValidationError(
                _("%(label)s แถวที่ %(row)s: โปรดกรอกชื่อตัวชี้วัด")
                % {"label": question.display_label, "row": number}
            )
        if not (cells["target"] or cells["result"]):
            raise ValidationError(
                _("%(label)s แถวที่ %(row)s: โปรดกรอกค่าเป้าหมายหรือผลลัพธ์ของ “%(name)s”")
                % {"label": question.display_label, "row": number, "name": cells["name"][:80]}
            )
        rows.append(cells)
    limit = question.max_rows or DEFAULT_MAX_ROWS
    if len(rows) > limit:
        raise ValidationError(
            _("%(label)s มีได้ไม่เกิน %(limit)s ตัวชี้วัด")
            % {"label": question.display_label, "limit": limit}
        )
    return rows


def INDICATOR_LABELS() -> dict[str, str]:  # noqa: N802 (a table, translated when read)
    return {
        "name": _("ตัวชี้วัด"),
        "unit": _("หน่วยนับ"),
        "baseline": _("ค่าฐาน"),
        "target": _("ค่าเป้าหมาย"),
        "result": _("ผลลัพธ์"),
    }


CLEANERS = {
    QuestionKind.TEXT: _text,
    QuestionKind.LONG_TEXT: _text,
    QuestionKind.EMAIL: _email,
    QuestionKind.PHONE: _phone,
    QuestionKind.NUMBER: _number,
    QuestionKind.DATE: _date,
    QuestionKind.CHOICE: _choice,
    QuestionKind.YES_NO: _yes_no,
    QuestionKind.INDICATORS: _indicators,
}


def clean(question: Question, value):
    """The stored form of an answer, or None for a blank one; a Thai ValidationError if the
    question does not accept it."""
    if value is None:
        return None
    if question.kind == QuestionKind.ATTACHMENTS:
        raise ValidationError(
            _("%(label)s ต้องแนบเป็นไฟล์ (หน้าเอกสารแนบ หรือ POST …/attachments/)")
            % {"label": question.display_label}
        )
    cleaned = CLEANERS[question.kind](question, value)
    return None if cleaned in ("", [], None) else cleaned


def clean_title(value) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("ชื่อผลงานต้องเป็นข้อความ"))
    value = value.strip()
    if len(value) > TITLE_MAX_LENGTH:
        raise ValidationError(
            _("ชื่อผลงานต้องไม่เกิน %(limit)s ตัวอักษร (ตอนนี้มี %(length)s ตัวอักษร)")
            % {"limit": TITLE_MAX_LENGTH, "length": f"{len(value):,}"}
        )
    return value


def is_answered(entry: Entry, question: Question, files: set[str]) -> bool:
    """`files`: the codes of the attachments questions the entry has files for."""
    if question.kind == QuestionKind.ATTACHMENTS:
        return question.code in files
    return entry.answers.get(question.code) not in (None, "", [])


def display(question: Question, value):
    """An answer as a reader sees it: a string, a list of strings (choices, files) or, for
    indicators, the rows. None when unanswered."""
    if value in (None, "", []):
        return None
    if question.kind == QuestionKind.DATE:
        return format_date(datetime.date.fromisoformat(value))
    if question.kind == QuestionKind.YES_NO:
        return _("ใช่") if value else _("ไม่ใช่")
    if question.kind == QuestionKind.CHOICE:
        names = dict(question.choices)
        codes = value if isinstance(value, list) else [value]
        names = [names.get(code, code) for code in codes]
        return names if question.multiple else names[0]
    if question.kind == QuestionKind.NUMBER:
        return f"{Decimal(value):,f}"
    return value


def as_text(question: Question, value) -> str:
    """An answer as plain text (the score sheet, the search text of a case)."""
    shown = display(question, value)
    if shown is None:
        return ""
    if question.kind == QuestionKind.INDICATORS:
        return "\n".join(
            " · ".join(f"{INDICATOR_LABELS()[c]} {row[c]}" for c in INDICATOR_COLUMNS if row[c])
            for row in shown
        )
    return ", ".join(shown) if isinstance(shown, list) else str(shown)


def contact_emails(entry: Entry) -> list[str]:
    """The addresses the entry's e-mail questions hold (its contact people), in form order."""
    codes = (
        entry.form.questions.filter(kind=QuestionKind.EMAIL)
        .order_by("section__order", "order")
        .values_list("code", flat=True)
    )
    return [entry.answers[code] for code in codes if entry.answers.get(code)]
