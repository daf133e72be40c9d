"""The officials' forms: choose a category, one short form per section of an entry (built from
the entry's form version), attach a file, withdraw. What an answer may be is decided in
answers.py; saving goes through submission.py."""

import datetime

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.forms import PortalFormMixin, ThaiDateField

from . import answers, attachments, eligibility, submission
from .models import Question, QuestionKind


def _category_label(category) -> str:
    year = _("พ.ศ. %(year)s") % {"year": category.cycle.year_be}
    return f"{category.display_name} — {category.branch.display_name} ({year})"


class StartEntryForm(PortalFormMixin, forms.Form):
    """Pick a category of a cycle that is open now. `token` makes a double submit harmless:
    it becomes the new entry's public id, so the same form posted twice is one entry."""

    category = forms.ModelChoiceField(
        label=_("ประเภทรางวัล"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"invalid_choice": _("ประเภทรางวัลที่เลือกไม่ได้เปิดรับสมัคร โปรดเลือกจากรายการ")},
    )
    token = forms.UUIDField(widget=forms.HiddenInput)
    # "eligibility" once the chosen category's questions are on the page.
    step = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, category=None, **kwargs):
        super().__init__(*args, **kwargs)
        categories = submission.open_categories().order_by(
            "cycle__year_be", "branch__order", "order"
        )
        self.fields["category"].queryset = categories
        self.fields["category"].label_from_instance = _category_label
        self.fields["token"].error_messages["invalid"] = _("แบบฟอร์มหมดอายุ โปรดเริ่มใหม่")
        # The chosen category's eligibility questions, each a yes/no field.
        if category is None and self.is_bound:
            chosen = self.data.get("category", "")
            category = categories.filter(pk=chosen).first() if chosen.isdigit() else None
        self.chosen_category = category
        self.questions = list(eligibility.questions(category)) if category else []
        if self.asks_eligibility():
            return  # the category was just chosen: its questions are shown next, unanswered
        for question in self.questions:
            self.fields[f"question_{question.pk}"] = forms.TypedChoiceField(
                label=question.display_text,
                choices=[("yes", _("ใช่")), ("no", _("ไม่ใช่"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                error_messages={"required": _("กรุณาตอบคำถามนี้")},
            )

    @property
    def question_fields(self):
        return [self[f"question_{question.pk}"] for question in self.questions]

    def asks_eligibility(self) -> bool:
        """The category was just chosen and has questions the official has not seen yet."""
        return self.is_bound and bool(self.questions) and self.data.get("step") != "eligibility"

    @property
    def answers(self) -> dict[int, bool]:
        return {q.pk: self.cleaned_data[f"question_{q.pk}"] for q in self.questions}


class IndicatorsWidget(forms.Widget):
    """A table of indicators, a row each: name, unit, baseline, target, result; a few empty rows
    to add more (without JavaScript). Inputs are named <field>-<row>-<column>."""

    template_name = "awards/widgets/indicators.html"
    spare_rows = 3

    def __init__(self, max_rows: int, attrs=None):
        super().__init__(attrs)
        self.max_rows = max_rows

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = [row for row in (value or []) if isinstance(row, dict)]
        rows += [{}] * max(0, min(self.spare_rows, self.max_rows - len(rows)))
        labels = answers.INDICATOR_LABELS()
        context["widget"]["columns"] = [(c, labels[c]) for c in answers.INDICATOR_COLUMNS]
        context["widget"]["rows"] = [
            [(column, row.get(column, ""), f"{name}-{number}-{column}") for column in labels]
            for number, row in enumerate(rows)
        ]
        return context

    def value_from_datadict(self, data, files, name):
        rows = []
        for number in range(self.max_rows + self.spare_rows):
            keys = [f"{name}-{number}-{column}" for column in answers.INDICATOR_COLUMNS]
            if not any(key in data for key in keys):
                break
            rows.append(
                {c: data.get(k, "") for c, k in zip(answers.INDICATOR_COLUMNS, keys, strict=False)}
            )
        return rows

    def value_omitted_from_data(self, data, files, name):
        return f"{name}-0-name" not in data


class IndicatorsField(forms.Field):
    """The rows as typed; answers.clean checks them (the web form and the API alike)."""

    def to_python(self, value):
        return [row for row in (value or []) if any(str(cell).strip() for cell in row.values())]


YES_NO = [("yes", _("ใช่")), ("no", _("ไม่ใช่"))]


def question_field(question: Question) -> forms.Field | None:
    """The form field of a question; None for attachments (uploaded on their own page)."""
    common = {
        "label": question.display_label,
        "help_text": question.display_help,
        "required": question.required,
    }
    kind = question.kind
    if kind in (QuestionKind.TEXT, QuestionKind.LONG_TEXT, QuestionKind.EMAIL, QuestionKind.PHONE):
        widget = {
            QuestionKind.TEXT: forms.TextInput(attrs={"class": "wide"}),
            QuestionKind.LONG_TEXT: forms.Textarea,
            QuestionKind.EMAIL: forms.EmailInput(attrs={"autocomplete": "email"}),
            QuestionKind.PHONE: forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }[kind]
        return forms.CharField(widget=widget, max_length=answers.max_length(question), **common)
    if kind == QuestionKind.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    if kind == QuestionKind.DATE:
        return ThaiDateField(**common)  # not in the future, as answers.clean says
    if kind == QuestionKind.CHOICE:
        field = forms.MultipleChoiceField if question.multiple else forms.ChoiceField
        widget = forms.CheckboxSelectMultiple if question.multiple else forms.RadioSelect
        return field(
            choices=question.choices,
            widget=widget,
            error_messages={"invalid_choice": _("โปรดเลือกจากรายการ")},
            **common,
        )
    if kind == QuestionKind.YES_NO:
        return forms.TypedChoiceField(
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            empty_value=None,
            widget=forms.RadioSelect,
            **common,
        )
    if kind == QuestionKind.INDICATORS:
        max_rows = question.max_rows or answers.DEFAULT_MAX_ROWS
        return IndicatorsField(widget=IndicatorsWidget(max_rows), **common)
    return None


def _initial(question: Question, value):
    if value is None:
        return None
    if question.kind == QuestionKind.DATE:
        return datetime.date.fromisoformat(value)
    if question.kind == QuestionKind.YES_NO:
        return "yes" if value else "no"
    return value


class SectionForm(PortalFormMixin, forms.Form):
    """One section of an entry as its form version defines it. Saved with
    submission.save_section(), which checks every answer (answers.clean): its refusals are
    shown on the fields they concern (`show_refusal`)."""

    def __init__(self, entry, section, *args, **kwargs):
        self.entry, self.section = entry, section
        self.base_fields = {}
        if submission.asks_title(entry, section):
            self.base_fields["title"] = forms.CharField(
                label=_("ชื่อผลงาน"),
                help_text=_("ชื่อที่สื่อว่าผลงานทำอะไร เพื่อใคร"),
                max_length=answers.TITLE_MAX_LENGTH,
                widget=forms.TextInput(attrs={"class": "wide"}),
            )
        self.file_questions = []
        initial = {"title": entry.title}
        for question in section.question_list:
            field = question_field(question)
            if field is None:
                self.file_questions.append(question)
                continue
            self.base_fields[question.code] = field
            initial[question.code] = _initial(question, entry.answers.get(question.code))
        super().__init__(*args, initial=initial, **kwargs)

    def values(self) -> dict:
        return dict(self.cleaned_data)

    def show_refusal(self, error: submission.InvalidAnswers):
        for code, message in error.errors.items():
            self.add_error(code if code in self.fields else None, message)


class AttachmentForm(PortalFormMixin, forms.Form):
    file = forms.FileField(
        label=_("เลือกไฟล์"),
        error_messages={
            "required": _("โปรดเลือกไฟล์ที่จะแนบ"),
            "empty": _("ไฟล์ที่เลือกว่างเปล่า โปรดเลือกไฟล์ที่มีเนื้อหา"),
            "invalid": _("ไม่ได้รับไฟล์ โปรดเลือกไฟล์อีกครั้ง"),
        },
        allow_empty_file=True,  # attachments.check_upload says which file is empty
    )
    description = forms.CharField(
        label=_("คำอธิบายไฟล์"),
        help_text=_("เช่น รายงานผลการดำเนินงาน พ.ศ. 2567"),
        max_length=255,
        required=False,
    )
    is_public = forms.BooleanField(
        label=_("เผยแพร่ไฟล์นี้ต่อสาธารณะได้หากผลงานได้รับรางวัล"),
        help_text=_("เช่น ภาพกิจกรรมหรือคู่มือ ห้ามเลือกสำหรับไฟล์ที่มีข้อมูลส่วนบุคคลหรือข้อมูลภายใน"),
        required=False,
    )

    def __init__(self, *args, question=None, **kwargs):
        super().__init__(*args, **kwargs)
        limits = attachments.limits_for(question)
        self.fields["file"].help_text = _("รับ %(types)s %(limits)s") % {
            "types": attachments.accepted_types_text(limits),
            "limits": attachments.limits_text(limits),
        }
        self.fields["file"].widget.attrs["data-max-bytes"] = limits.max_bytes
        self.fields["file"].widget.attrs["data-max-text"] = filesizeformat(limits.max_bytes)
        self._describe()


class WithdrawForm(PortalFormMixin, forms.Form):
    confirm = forms.BooleanField(
        label=_("ยืนยันการถอนใบสมัคร ผลงานที่ถอนแล้วจะไม่ได้รับการพิจารณาในปีนี้"),
        error_messages={"required": _("โปรดยืนยันการถอนใบสมัคร")},
    )
    note = forms.CharField(
        label=_("เหตุผลที่ถอน"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(PortalFormMixin, forms.Form):
    """Staff reopen a submitted entry: until the end of a day, with the reason recorded."""

    until = ThaiDateField(
        label=_("เปิดให้แก้ไขถึงวันที่"),
        not_in_future=False,
        help_text=_("หน่วยงานแก้ไขและส่งใหม่ได้ถึงเวลา 23.59 น. ของวันนี้ เช่น 30 11 2569"),
    )
    note = forms.CharField(
        label=_("เหตุผลที่เปิดให้แก้ไข"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("บันทึกไว้ในประวัติสถานะของผลงาน หน่วยงานเห็นเหตุผลนี้"),
    )

    def clean_until(self):
        from django.utils import timezone

        day = self.cleaned_data["until"]
        if day is None:
            raise forms.ValidationError(_("โปรดกรอกวันที่เปิดให้แก้ไขถึง"))
        until = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
        if until <= timezone.now():
            raise forms.ValidationError(_("วันที่เปิดให้แก้ไขถึงต้องไม่ใช่วันที่ผ่านมาแล้ว"))
        return until
