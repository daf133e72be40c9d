"""Forms of the accounts pages, and form pieces shared by the portal's apps: Thai error
messages, a date typed as day / month / B.E. year, and limits shown as the user types."""

import datetime

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _

from . import accounts
from .models import Agency
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


# --- Accounts -----------------------------------------------------------------------------------


class SignInForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง หรือยังไม่ได้ยืนยันอีเมล (หากผิดหลายครั้ง ระบบจะระงับการเข้าสู่ระบบชั่วคราว)"
        ),
        "inactive": _("บัญชีนี้ยังไม่ได้ยืนยันอีเมล"),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("ชื่อผู้ใช้หรืออีเมล")
        self.fields["username"].error_messages["required"] = _("โปรดกรอกชื่อผู้ใช้หรืออีเมล")
        self.fields["password"].label = _("รหัสผ่าน")
        self.fields["password"].error_messages["required"] = _("โปรดกรอกรหัสผ่าน")


class SignUpForm(PortalFormMixin, forms.Form):
    email = forms.EmailField(
        label=_("อีเมลของหน่วยงาน"),
        help_text=_("ใช้อีเมลราชการ เช่น name@agency.go.th อีเมลนี้ใช้เป็นชื่อผู้ใช้"),
        error_messages={"invalid": _("อีเมลไม่ถูกต้อง เช่น name@agency.go.th")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = forms.CharField(label=_("ชื่อ"), max_length=150)
    last_name = forms.CharField(label=_("นามสกุล"), max_length=150)
    position = forms.CharField(label=_("ตำแหน่ง"), max_length=200, required=False)
    phone = forms.CharField(label=_("โทรศัพท์"), max_length=50, required=False)
    password1 = forms.CharField(
        label=_("รหัสผ่าน"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("อย่างน้อย 8 ตัวอักษร ไม่ใช้ตัวเลขล้วนและไม่ซ้ำกับข้อมูลส่วนตัว"),
    )
    password2 = forms.CharField(
        label=_("ยืนยันรหัสผ่าน"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # PDPA: the acknowledgement of the current privacy notice is stored with the account.
    privacy_notice = forms.BooleanField(
        label=_("ข้าพเจ้าได้อ่านและรับทราบประกาศความเป็นส่วนตัวแล้ว"),
        error_messages={"required": _("โปรดอ่านและรับทราบประกาศความเป็นส่วนตัวก่อนลงทะเบียน")},
    )

    def clean_email(self):
        email = accounts.normalise_email(self.cleaned_data["email"])
        if not accounts.is_official_email(email):
            raise forms.ValidationError(accounts.official_email_message())
        return email

    def clean(self):
        cleaned = super().clean()
        p1, p2 = cleaned.get("password1"), cleaned.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("รหัสผ่านทั้งสองช่องไม่ตรงกัน"))
        elif p1:
            from .models import User

            probe = User(
                username=cleaned.get("email", ""),
                email=cleaned.get("email", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class AgencySearchForm(forms.Form):
    q = forms.CharField(
        label=_("ค้นหาหน่วยงาน"),
        help_text=_("พิมพ์ชื่อภาษาไทยหรืออักษรย่อ เช่น สวพส. หรือ พัฒนาชุมชน"),
        max_length=100,
        required=False,
    )


class MembershipRequestForm(PortalFormMixin, forms.Form):
    agency = forms.ModelChoiceField(
        label=_("หน่วยงาน"),
        queryset=Agency.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("โปรดเลือกหน่วยงานจากผลการค้นหา")},
    )
    note = forms.CharField(
        label=_("ข้อมูลเพิ่มเติมสำหรับผู้อนุมัติ"),
        help_text=_("เช่น สังกัดกอง/ฝ่าย และหน้าที่ที่เกี่ยวข้องกับการสมัครรางวัล"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choices_queryset=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices_queryset is not None:
            self.fields["agency"].widget.choices = [
                (agency.pk, agency) for agency in choices_queryset
            ]


class ThaiPasswordResetForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("อีเมล"),
        max_length=254,
        error_messages={
            "required": _("โปรดกรอกอีเมล"),
            "invalid": _("อีเมลไม่ถูกต้อง เช่น name@agency.go.th"),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class ThaiSetPasswordForm(SetPasswordForm):
    error_messages = {"password_mismatch": _("รหัสผ่านทั้งสองช่องไม่ตรงกัน")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("รหัสผ่านใหม่")
        self.fields["new_password2"].label = _("ยืนยันรหัสผ่านใหม่")
        for field in self.fields.values():
            field.error_messages["required"] = _("โปรดกรอก%(label)s") % {"label": field.label}


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("รหัส 6 หลักจากแอปยืนยันตัวตน"),
        min_length=6,
        max_length=12,  # a recovery code: 8 characters, perhaps with a space or a dash
        error_messages={
            "required": _("โปรดกรอกรหัส 6 หลัก"),
            "min_length": _("รหัสต้องมี 6 หลัก"),
            "max_length": _("รหัสต้องมี 6 หลัก"),
        },
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "size": 8}
        ),
    )

    def clean_token(self):
        """Six digits from the app, or a recovery code (8 letters and digits, any case,
        spaces or a dash allowed)."""
        token = self.cleaned_data["token"].replace(" ", "").replace("-", "").lower()
        base32 = "abcdefghijklmnopqrstuvwxyz234567"
        recovery_code = len(token) == 8 and all(c in base32 for c in token)
        if not token.isdigit() and not recovery_code:
            raise forms.ValidationError(_("รหัสต้องเป็นตัวเลข 6 หลัก"))
        return token
