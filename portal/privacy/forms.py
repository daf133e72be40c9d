from django import forms
from django.utils.translation import gettext_lazy as _


class CloseAccountForm(forms.Form):
    """Closing an account is final for the user: they confirm it and re-enter the password."""

    reason = forms.CharField(
        label=_("เหตุผล"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("ไม่บังคับ ช่วยให้เราปรับปรุงระบบ"),
    )
    password = forms.CharField(
        label=_("รหัสผ่านปัจจุบัน"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("โปรดกรอกรหัสผ่านปัจจุบัน")},
    )
    confirm = forms.BooleanField(
        label=_("ข้าพเจ้าเข้าใจว่าจะเข้าสู่ระบบด้วยบัญชีนี้ไม่ได้อีก"),
        error_messages={"required": _("โปรดยืนยันว่าต้องการปิดบัญชี")},
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("รหัสผ่านไม่ถูกต้อง"))
        return password

    def clean_reason(self):
        # Control characters are never meaningful in a reason; keep newlines and tabs.
        reason = self.cleaned_data["reason"]
        return "".join(ch for ch in reason if ch in "\n\t" or ch.isprintable())
