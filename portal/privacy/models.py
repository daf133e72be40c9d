"""Personal-data protection (PDPA, พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562) and the audit log.

Thin models; the rules live in portal/privacy/pdpa.py and portal/privacy/audit.py. Imported by
portal/models.py so that they belong to the `portal` app."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PrivacyAcknowledgement(models.Model):
    """A user acknowledged one version of the privacy notice (at sign-up, or later when the
    notice changes)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ใช้"),
        on_delete=models.CASCADE,
        related_name="privacy_acknowledgements",
    )
    notice_version = models.CharField(_("ฉบับของประกาศ"), max_length=20)
    acknowledged_at = models.DateTimeField(_("รับทราบเมื่อ"), default=timezone.now)

    class Meta:
        ordering = ["-acknowledged_at"]
        verbose_name = _("การรับทราบประกาศความเป็นส่วนตัว")
        verbose_name_plural = _("การรับทราบประกาศความเป็นส่วนตัว")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "notice_version"], name="privacy_acknowledged_once_per_version"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.notice_version}"


class AccountClosure(models.Model):
    """A user asked for their account to be closed. Signing in stops at once; the personal
    data is anonymised after the retention period (settings.ACCOUNT_RETENTION_DAYS) by a
    periodic task, while the entries, scores and results they took part in stay intact."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ใช้"),
        on_delete=models.PROTECT,
        related_name="closure",
    )
    requested_at = models.DateTimeField(_("ขอปิดบัญชีเมื่อ"), default=timezone.now)
    reason = models.TextField(_("เหตุผล"), blank=True)
    anonymised_at = models.DateTimeField(_("ลบข้อมูลระบุตัวตนเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("คำขอปิดบัญชี")
        verbose_name_plural = _("คำขอปิดบัญชี")
        indexes = [models.Index(fields=["anonymised_at", "requested_at"], name="closure_due")]

    def __str__(self):
        return f"{self.user_id} @ {self.requested_at:%Y-%m-%d}"


class AuditAction(models.TextChoices):
    VIEW = "view", _("เปิดดู")
    DOWNLOAD = "download", _("ดาวน์โหลด")
    EXPORT = "export", _("ส่งออกข้อมูลส่วนบุคคล")
    # What happened ("Requested …"), not the link of the same wording on the privacy page.
    CLOSE_ACCOUNT = "close_account", pgettext_lazy("audit action", "ขอปิดบัญชี")
    ANONYMISE = "anonymise", _("ลบข้อมูลระบุตัวตน")
    DENIED = "denied", _("ถูกปฏิเสธการเข้าถึง")
    RESET_SECOND_FACTOR = "reset_2fa", _("รีเซ็ตการยืนยันตัวตนขั้นที่สอง")


class AuditEvent(models.Model):
    """Who touched which private object, how and when. Append-only: the admin shows it
    read-only and nothing in the portal updates or deletes a row."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้กระทำ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("การกระทำ"), max_length=20, choices=AuditAction.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("ชนิดข้อมูล"), null=True, blank=True, on_delete=models.PROTECT
    )
    object_id = models.CharField(_("รหัสข้อมูล"), max_length=64, blank=True)
    object_repr = models.CharField(_("ข้อมูล"), max_length=255, blank=True)
    ip_address = models.GenericIPAddressField(_("ที่อยู่ IP"), null=True, blank=True)
    at = models.DateTimeField(_("เมื่อ"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("บันทึกการเข้าถึงข้อมูล")
        verbose_name_plural = _("บันทึกการเข้าถึงข้อมูล (Audit log)")
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_repr}"
