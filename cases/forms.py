"""The public site's forms: an agency records that it adopted a model project, and reviews
the draft of its own awarded work with its lessons learned."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Province
from portal.forms import PortalFormMixin

from .models import Adoption, CaseStudy, Lesson


class AdoptionForm(PortalFormMixin, forms.ModelForm):
    """Year, province and a short note; the agency is the official's own (cases/spread.py),
    never a field of the form."""

    year_be = forms.IntegerField(
        label=_("ปีที่เริ่มนำไปใช้ (พ.ศ.)"),
        help_text=_("เช่น 2568"),
        error_messages={"invalid": _("ปี พ.ศ. ต้องเป็นตัวเลข 4 หลัก เช่น 2568")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    province = forms.ModelChoiceField(
        label=_("จังหวัดที่นำไปใช้"),
        queryset=Province.objects.order_by("name_th"),
        error_messages={"invalid_choice": _("โปรดเลือกจังหวัดจากรายการ")},
    )

    class Meta:
        model = Adoption
        fields = ["year_be", "province", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 4})}


class DraftCaseForm(PortalFormMixin, forms.ModelForm):
    """The agency's review of the draft made from its entry: the words of the public page.
    Places, topics, files and the award stay as staff and the entry set them."""

    class Meta:
        model = CaseStudy
        fields = ["title", "summary", "problem", "approach", "results"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 6})
            for name in ["summary", "problem", "approach", "results"]
        }
        help_texts = {
            "summary": _("สามถึงห้าประโยคที่ผู้อ่านทั่วไปเข้าใจได้ทันที"),
            "results": _("ผลลัพธ์ที่วัดได้ พร้อมตัวชี้วัดและตัวเลขก่อนและหลัง"),
        }


class LessonForm(PortalFormMixin, forms.ModelForm):
    """The lessons learned (ถอดบทเรียน), guided: each field asks one question another agency
    needs answered to do the same."""

    class Meta:
        model = Lesson
        fields = [
            "title",
            "background",
            "key_process",
            "success_factors",
            "obstacles",
            "indicators",
            "replication",
            "spread_to",
            "contact",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 5})
            for name in fields
            if name not in ("title", "contact")
        } | {"contact": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "title": _("เช่น ถอดบทเรียน: ระบบนัดหมายออนไลน์ลดเวลารอคอย"),
            "background": _("ทำไมจึงเริ่มทำ ปัญหาหรือความต้องการของผู้รับบริการคืออะไร"),
            "key_process": _("ขั้นตอนหลักที่ทำตามลำดับ ใครทำอะไร ใช้เวลาเท่าใด"),
            "success_factors": _("อะไรทำให้สำเร็จ เช่น ผู้บริหารสนับสนุน ภาคีเครือข่าย ข้อมูล"),
            "obstacles": _("ปัญหาที่พบระหว่างทางและวิธีที่ใช้แก้"),
            "indicators": _("ตัวชี้วัดที่ใช้ติดตามและผลที่ได้"),
            "replication": _("หน่วยงานอื่นที่จะนำไปใช้ต้องเตรียมอะไร ควรปรับอะไร"),
            "spread_to": _("พื้นที่หรือหน่วยงานที่นำไปใช้แล้ว (ถ้ามี)"),
            "contact": _("ช่องทางติดต่อที่หน่วยงานยินยอมให้เผยแพร่ เช่น อีเมลกลางของหน่วยงาน"),
        }
