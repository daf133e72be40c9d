"""Form pieces shared by the portal's apps: Thai error messages, a date typed as day / month /
B.E. year, and limits shown as the user types."""

import datetime

from django import forms
from django.utils import timezone
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
    """Day, month and B.E. year in three boxes, each labelled (the era is said: "ปี พ.ศ.")."""

    template_name = "portal/widgets/thai_date.html"
    part_labels = (_("วันที่"), _("เดือน"), _("ปี พ.ศ."))

    def __init__(self, attrs=None, extra_widgets=()):
        numeric = {"inputmode": "numeric", "autocomplete": "off"}
        super().__init__(
            [
                forms.TextInput(attrs={**numeric, "class": "date-day", "size": 2}),
                forms.TextInput(attrs={**numeric, "class": "date-month", "size": 2}),
                forms.TextInput(attrs={**numeric, "class": "date-year", "size": 4}),
                *extra_widgets,
            ],
            attrs,
        )

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        for subwidget, label in zip(subwidgets, self.part_labels, strict=False):
            subwidget["part_label"] = label
        return context

    def decompress(self, value):
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value) if timezone.is_aware(value) else value
        if isinstance(value, datetime.date):
            return [value.day, value.month, value.year + BE_OFFSET]
        return [None, None, None]


class ThaiDateTimeWidget(ThaiDateWidget):
    """ThaiDateWidget and a time, 24-hour (14:30)."""

    part_labels = (*ThaiDateWidget.part_labels, _("เวลา (ชม.:นาที)"))

    def __init__(self, attrs=None):
        time = forms.TextInput(attrs={"class": "date-time", "size": 5, "autocomplete": "off"})
        super().__init__(attrs, extra_widgets=[time])

    def decompress(self, value):
        if isinstance(value, datetime.datetime):
            local = timezone.localtime(value) if timezone.is_aware(value) else value
            return [*super().decompress(local), local.strftime("%H:%M")]
        return [None, None, None, None]


# A B.E. year this far after the current one is a typing slip or a B.E. year stored as CE and
# converted again (2570 → 3113), not a date anyone means.
LATEST_YEARS_AHEAD = 10


def parse_be_date(day, month, year, label, *, not_in_future: bool = False) -> datetime.date:
    """The one decision on a date typed as day / month / B.E. year, for the site and the admin:
    the year must be B.E. (a year that looks CE — 2026 — is refused, saying so), plausible,
    and the date must exist. Thai error messages; nothing is guessed."""
    day, month, year = (str(part or "").strip() for part in (day, month, year))
    if not (day and month and year):
        raise forms.ValidationError(
            _("%(label)s ต้องมีวัน เดือน และปี พ.ศ.") % {"label": label}, code="incomplete"
        )
    if not (day.isdigit() and month.isdigit() and year.isdigit()):
        raise forms.ValidationError(
            _("%(label)s ต้องเป็นตัวเลข เช่น 15 6 2567") % {"label": label}, code="invalid"
        )
    be_now = timezone.localdate().year + BE_OFFSET
    if len(year) == 4 and 1900 <= int(year) < 2400:
        raise forms.ValidationError(
            _(
                "ปี %(year)s เป็นปี ค.ศ. หรือไม่ ช่องนี้รับปี พ.ศ. "
                "(ค.ศ. %(year)s คือ พ.ศ. %(be)s) โปรดกรอกปีเป็น พ.ศ."
            )
            % {"year": year, "be": int(year) + BE_OFFSET},
            code="christian_era_year",
        )
    if len(year) != 4 or int(year) < 2400:
        raise forms.ValidationError(_("กรอกปีเป็น พ.ศ. 4 หลัก เช่น 2567"), code="invalid_year")
    try:
        value = datetime.date(int(year) - BE_OFFSET, int(month), int(day))
    except ValueError as error:
        raise forms.ValidationError(
            _("%(label)s ต้องเป็นวันที่ที่มีอยู่จริง") % {"label": label}, code="invalid"
        ) from error
    if not_in_future and value > timezone.localdate():
        raise forms.ValidationError(
            _("%(label)s ต้องไม่เป็นวันในอนาคต") % {"label": label}, code="future"
        )
    if int(year) > be_now + LATEST_YEARS_AHEAD:
        raise forms.ValidationError(
            _("ปี พ.ศ. %(year)s ไกลเกินกว่าที่เป็นไปได้ (ไม่เกิน พ.ศ. %(latest)s) โปรดตรวจสอบปีอีกครั้ง")
            % {"year": year, "latest": be_now + LATEST_YEARS_AHEAD},
            code="implausible_year",
        )
    return value


class ThaiDateField(forms.MultiValueField):
    """A date typed as day, month and Buddhist Era year (GOV.UK's date input, in Thai)."""

    widget = ThaiDateWidget

    def __init__(self, *, not_in_future: bool = True, **kwargs):
        self.not_in_future = not_in_future
        for unused in ("max_length", "empty_value"):
            kwargs.pop(unused, None)
        fields = [forms.CharField(required=False) for _part in range(len(self.widget().widgets))]
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        return parse_be_date(*data_list[:3], self.label, not_in_future=self.not_in_future)


class ThaiDateTimeField(ThaiDateField):
    """A moment typed as day / month / B.E. year and a 24-hour time, in Bangkok time."""

    widget = ThaiDateTimeWidget

    def compress(self, data_list):
        if not data_list or not any(data_list):
            return None
        day = super().compress(data_list)
        text = str(data_list[3] or "").strip().replace(".", ":") or "00:00"
        try:
            moment = datetime.datetime.strptime(text, "%H:%M").time()
        except ValueError as error:
            raise forms.ValidationError(
                _("%(label)s: กรอกเวลาแบบ 24 ชั่วโมง เช่น 14:30") % {"label": self.label},
                code="invalid_time",
            ) from error
        return timezone.make_aware(datetime.datetime.combine(day, moment))


class AdminThaiDateField(ThaiDateField):
    """The admin's date: the same B.E. input and rules; planning dates may be in the future."""

    def __init__(self, **kwargs):
        kwargs.setdefault("not_in_future", False)
        super().__init__(**kwargs)


class AdminThaiDateTimeField(ThaiDateTimeField):
    def __init__(self, **kwargs):
        kwargs.setdefault("not_in_future", False)
        super().__init__(**kwargs)
