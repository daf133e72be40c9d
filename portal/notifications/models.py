"""Notification rows (the outbox and every inbox), the templates staff edit, and reminder
schedules. Kinds are registered by the apps (kinds.py); these tables only store their codes."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from . import kinds


class Notification(models.Model):
    """One message to one person about one thing, on one occasion (a round, a reminder's day,
    a visit's date): never sent twice for the same four (the unique constraint)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("รอส่ง")
        SENT = "sent", _("ส่งแล้ว")
        FAILED = "failed", _("ส่งไม่สำเร็จ")

    kind = models.CharField(_("ชนิด"), max_length=50, db_index=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้รับ"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    email = models.EmailField(_("อีเมลผู้รับ"))
    language = models.CharField(_("ภาษา"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("เรื่อง"), max_length=300)
    body = models.TextField(_("ข้อความ"))
    # Text attachments (an .ics): [{"filename", "content_type", "content"}], sent as queued.
    attachments = models.JSONField(_("ไฟล์แนบ"), default=list, blank=True)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("เกี่ยวกับ (ชนิด)"), on_delete=models.PROTECT
    )
    object_id = models.PositiveBigIntegerField(_("เกี่ยวกับ (รหัส)"))
    about = GenericForeignKey("content_type", "object_id")
    occasion = models.CharField(_("รอบ/โอกาส"), max_length=100, blank=True, default="")
    link = models.CharField(_("ลิงก์"), max_length=500, blank=True)
    state = models.CharField(
        _("สถานะ"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่พยายามส่ง"), default=0)
    last_error = models.TextField(_("ข้อผิดพลาดล่าสุด"), blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True, db_index=True)
    # Set while a worker is sending it: a second delivery of the same message finds it taken.
    claimed_at = models.DateTimeField(_("เริ่มส่งเมื่อ"), null=True, blank=True)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    read_at = models.DateTimeField(_("อ่านเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("การแจ้งเตือน")
        verbose_name_plural = _("กล่องจดหมายออก (การแจ้งเตือน)")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "email", "occasion"],
                name="notification_once_per_occasion",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.subject} → {self.email}"

    @property
    def kind_label(self) -> str:
        kind = kinds.find_kind(self.kind)
        return str(kind.label) if kind else self.kind


class NotificationTemplate(models.Model):
    """Staff's wording of a kind in one language; without one the shipped default is used."""

    kind = models.CharField(_("ชนิดการแจ้งเตือน"), max_length=50)
    language = models.CharField(_("ภาษา"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("เรื่อง"), max_length=300)
    body = models.TextField(_("ข้อความ"))
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "language"]
        verbose_name = _("แม่แบบการแจ้งเตือน")
        verbose_name_plural = _("แม่แบบการแจ้งเตือน")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="template_once_per_language")
        ]

    def __str__(self):
        kind = kinds.find_kind(self.kind)
        return f"{kind.label if kind else self.kind} ({self.get_language_display()})"

    def clean(self):
        kind = kinds.find_kind(self.kind)
        if kind is None:
            raise ValidationError({"kind": _("ไม่มีการแจ้งเตือนชนิดนี้")})
        try:
            kinds.check_template(kind, self.subject, self.body)
        except kinds.TemplateError as error:
            raise ValidationError(str(error)) from error


class NotificationSchedule(models.Model):
    """When a reminder kind is sent: days before its date (e.g. 14, 7, 1); staff change it."""

    kind = models.CharField(_("ชนิดการแจ้งเตือน"), max_length=50, unique=True)
    days_before = models.CharField(
        _("ส่งก่อนกำหนดกี่วัน"),
        max_length=100,
        help_text=_("จำนวนวันก่อนกำหนด คั่นด้วยจุลภาค เช่น 14, 7, 1"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("กำหนดการเตือน")
        verbose_name_plural = _("กำหนดการเตือน")

    def __str__(self):
        kind = kinds.find_kind(self.kind)
        return str(kind.label) if kind else self.kind

    def clean(self):
        try:
            self.days_before = ", ".join(str(day) for day in parse_days(self.days_before))
        except ValueError as error:
            raise ValidationError({"days_before": str(error)}) from error


def parse_days(text: str) -> tuple[int, ...]:
    """ "14, 7, 1" → (14, 7, 1), largest first; ValueError (Thai) for anything else."""
    from django.utils.translation import gettext

    days = set()
    for part in (text or "").replace("،", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not (part.isascii() and part.isdigit()) or not 0 <= int(part) <= 365:
            raise ValueError(gettext("“%(value)s” ไม่ใช่จำนวนวัน 0 ถึง 365") % {"value": part})
        days.add(int(part))
    if not days:
        raise ValueError(gettext("กรุณาระบุจำนวนวันอย่างน้อยหนึ่งค่า"))
    return tuple(sorted(days, reverse=True))
