"""Form pieces shared by the portal's apps: Thai error messages, a date typed as day / month /
B.E. year, and limits shown as the user types."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from .thai import BE_OFFSET

REQUIRED = _("โปรดกรอก%(label)s")


class PortalFormMixin:
    """Thai 'required' messages naming the field, and no browser-side maxlength (the limit
    is shown as the user types by static/js/entries.js and enforced here on the server)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            label = str(field.label or "")
            if (
                field.error_messages.get("required")
                != forms.Field.default_error_messages["required"]
            ):
                pass  # the form gave its own message
            elif isinstance(field, forms.ModelMultipleChoiceField | forms.ChoiceField):
                field.error_messages["required"] = _("โปรดเลือก%(label)s") % {"label": label}
            else:
                field.error_messages["required"] = REQUIRED % {"label": label}
            max_length = getattr(field, "max_length", None)
            if max_length:
                self.apply_limit(field, max_length)
        self._describe()

    @staticmethod
    def apply_limit(field, limit: int):
        """Enforce a length limit on the server and announce it to the character counter."""
        from django.core.validators import MaxLengthValidator

        if getattr(field, "max_length", None) != limit or not any(
            isinstance(v, MaxLengthValidator) for v in field.validators
        ):
            field.validators.append(MaxLengthValidator(limit))
        field.max_length = limit
        field.error_messages["max_length"] = _(
            "%(label)s ต้องไม่เกิน %(limit)s ตัวอักษร (ตอนนี้มี %(show_value)s ตัวอักษร)"
        ) % {"label": field.label, "limit": f"{limit:,}", "show_value": "%(show_value)s"}
        field.widget.attrs.pop("maxlength", None)
        field.widget.attrs["data-maxlength"] = limit
        field.show_counter = isinstance(field.widget, forms.Textarea) or limit >= 200

    def _describe(self):
        """aria-describedby: the hint, the error and the character count of each field."""
        for name, field in self.fields.items():
            auto_id = self[name].auto_id
            parts = []
            if field.help_text:
                parts.append(f"{auto_id}-hint")
            if self.is_bound and self._errors is not None and name in self._errors:
                parts.append(f"{auto_id}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if getattr(field, "show_counter", False):
                parts.append(f"{auto_id}-count")
            if parts and not isinstance(field.widget, forms.MultiWidget):
                field.widget.attrs["aria-describedby"] = " ".join(parts)

    def full_clean(self):
        super().full_clean()
        self._describe()


class ThaiDateWidget(forms.MultiWidget):
    template_name = "portal/widgets/thai_date.html"

    def __init__(self, attrs=None):
        numeric = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(
            [
                forms.TextInput(attrs={**numeric, "class": "date-day", "size": 2}),
                forms.TextInput(attrs={**numeric, "class": "date-month", "size": 2}),
                forms.TextInput(attrs={**numeric, "class": "date-year", "size": 4}),
            ],
            attrs,
        )

    def decompress(self, value):
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year + BE_OFFSET]
        return [None, None, None]


class ThaiDateField(forms.MultiValueField):
    """A date typed as day, month and Buddhist Era year (GOV.UK's date input, in Thai)."""

    widget = ThaiDateWidget

    def __init__(self, *, not_in_future: bool = True, **kwargs):
        self.not_in_future = not_in_future
        fields = [forms.CharField(required=False) for _part in range(3)]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        if not (day and month and year):
            raise forms.ValidationError(
                _("%(label)s ต้องมีวัน เดือน และปี พ.ศ.") % {"label": self.label}, code="incomplete"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(
                _("%(label)s ต้องเป็นตัวเลข เช่น 15 6 2567") % {"label": self.label}, code="invalid"
            )
        if len(year) != 4 or int(year) < 2400:
            raise forms.ValidationError(_("กรอกปีเป็น พ.ศ. 4 หลัก เช่น 2567"), code="invalid_year")
        try:
            value = datetime.date(int(year) - BE_OFFSET, int(month), int(day))
        except ValueError as error:
            raise forms.ValidationError(
                _("%(label)s ต้องเป็นวันที่ที่มีอยู่จริง") % {"label": self.label}, code="invalid"
            ) from error
        if self.not_in_future and value > datetime.date.today():
            raise forms.ValidationError(
                _("%(label)s ต้องไม่เป็นวันในอนาคต") % {"label": self.label}, code="future"
            )
        return value
