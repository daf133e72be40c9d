"""The officials' forms: choose a category, one short form per section of an entry, attach a
file, withdraw. Limits come from awards.submission.LIMITS; saving goes through submission.py."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import SDG
from portal.forms import PortalFormMixin, ThaiDateField

from . import attachments, eligibility, submission
from .models import Entry


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


class SectionForm(PortalFormMixin, forms.ModelForm):
    """One section of the entry; saved with submission.save_section()."""

    section_key: str = ""

    class Meta:
        model = Entry
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        section = submission.SECTIONS_BY_KEY[self.section_key]
        for name, field in self.fields.items():
            field.required = name in section.required
            if name in submission.LIMITS:
                self.apply_limit(field, submission.LIMITS[name])
        self._describe()

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields}


class BasicForm(SectionForm):
    section_key = "basic"

    class Meta:
        model = Entry
        fields = ["title", "summary"]
        labels = {"summary": _("สรุปผลงานโดยย่อ")}
        help_texts = {
            "title": _("ชื่อที่สื่อว่าผลงานทำอะไร เพื่อใคร"),
            "summary": _("ผลงานแก้ปัญหาอะไร ทำอย่างไร ได้ผลอย่างไร ในไม่กี่ย่อหน้า"),
        }
        widgets = {"title": forms.TextInput(attrs={"class": "wide"})}


class ProblemForm(SectionForm):
    section_key = "problem"

    class Meta:
        model = Entry
        fields = ["problem"]
        help_texts = {
            "problem": _("สถานการณ์ก่อนเริ่มผลงาน ใครได้รับผลกระทบ และข้อมูลที่แสดงความสำคัญของปัญหา")
        }


class SolutionForm(SectionForm):
    section_key = "solution"
    started_on = ThaiDateField(
        label=_("วันที่เริ่มดำเนินการ"),
        required=False,
        help_text=_("เช่น 15 6 2566 (วัน เดือน ปี พ.ศ.)"),
    )

    class Meta:
        model = Entry
        fields = ["solution", "started_on"]
        help_texts = {"solution": _("ขั้นตอนสำคัญ สิ่งที่ทำแตกต่างจากเดิม และการใช้ข้อมูลหรือเทคโนโลยี")}


class ResultsForm(SectionForm):
    section_key = "results"

    class Meta:
        model = Entry
        fields = ["results", "indicators"]
        help_texts = {
            "results": _("ผลลัพธ์ที่เกิดกับผู้รับบริการและหน่วยงาน เทียบก่อนและหลังดำเนินการ"),
            "indicators": _("ตัวชี้วัด ค่าเป้าหมาย และผลที่วัดได้จริง"),
        }


class PartnersForm(SectionForm):
    section_key = "partners"

    class Meta:
        model = Entry
        fields = ["partners"]
        help_texts = {
            "partners": _("หน่วยงาน ชุมชน ภาคเอกชน หรือประชาชนที่ร่วมดำเนินการ และบทบาทของแต่ละฝ่าย")
        }


class SdgForm(SectionForm):
    section_key = "sdgs"
    sdgs = forms.ModelMultipleChoiceField(
        label=_("เป้าหมายการพัฒนาที่ยั่งยืนที่ผลงานสนับสนุน"),
        queryset=SDG.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("เลือกได้มากกว่าหนึ่งข้อ"),
        error_messages={"invalid_choice": _("โปรดเลือกจากรายการเป้าหมาย")},
    )

    class Meta:
        model = Entry
        fields = ["sdgs"]


class ContactForm(SectionForm):
    section_key = "contact"

    class Meta:
        model = Entry
        fields = ["contact_name", "contact_position", "contact_email", "contact_phone"]
        error_messages = {
            "contact_email": {"invalid": _("อีเมลผู้ประสานงานไม่ถูกต้อง เช่น name@agency.go.th")}
        }
        widgets = {
            "contact_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not all(ch.isdigit() or ch in " -+()#ต่อ." for ch in phone):
            raise forms.ValidationError(_("หมายเลขโทรศัพท์ต้องเป็นตัวเลข เช่น 0 2356 9999 ต่อ 123"))
        return phone


SECTION_FORMS = {
    form.section_key: form
    for form in (
        BasicForm,
        ProblemForm,
        SolutionForm,
        ResultsForm,
        PartnersForm,
        SdgForm,
        ContactForm,
    )
}


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("รับ %(types)s %(limits)s") % {
            "types": attachments.accepted_types_text(),
            "limits": attachments.limits_text(),
        }
        self.fields["file"].widget.attrs["data-max-bytes"] = settings.ATTACHMENT_MAX_BYTES
        self.fields["file"].widget.attrs["data-max-text"] = filesizeformat(
            settings.ATTACHMENT_MAX_BYTES
        )
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
        import datetime

        from django.utils import timezone

        day = self.cleaned_data["until"]
        if day is None:
            raise forms.ValidationError(_("โปรดกรอกวันที่เปิดให้แก้ไขถึง"))
        until = timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))
        if until <= timezone.now():
            raise forms.ValidationError(_("วันที่เปิดให้แก้ไขถึงต้องไม่ใช่วันที่ผ่านมาแล้ว"))
        return until
