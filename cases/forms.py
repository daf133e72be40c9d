"""The public site's form for recording that an agency adopted a model project."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Province
from portal.forms import PortalFormMixin

from .models import Adoption


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
