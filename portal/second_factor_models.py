"""The second factor's own record: which API tokens were issued from a verified session.

Thin; the rules live in portal/accounts.py. Imported at the end of portal/models.py so that it
belongs to the `portal` app."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class VerifiedApiToken(models.Model):
    """An API token (rest_framework.authtoken) issued from a session that had proved a second
    factor. A staff member's or assessor's token without this row gives no privileged access
    (accounts.second_factor_satisfied)."""

    token = models.OneToOneField(
        "authtoken.Token",
        verbose_name=_("โทเค็น"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="second_factor",
    )
    device_id = models.CharField(_("อุปกรณ์ที่ใช้ยืนยัน"), max_length=255)
    verified_at = models.DateTimeField(_("ยืนยันเมื่อ"), default=timezone.now)

    class Meta:
        verbose_name = _("โทเค็นที่ออกหลังยืนยันตัวตนขั้นที่สอง")
        verbose_name_plural = _("โทเค็นที่ออกหลังยืนยันตัวตนขั้นที่สอง")

    def __str__(self):
        return f"{self.token.user} @ {self.verified_at:%Y-%m-%d %H:%M}"  # not the key
