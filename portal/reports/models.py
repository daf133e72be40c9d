"""A document built by the worker, from request to download."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def report_path(instance, filename):
    # Never a user-chosen name on disk: grouped by the report's own unguessable id.
    return f"reports/{instance.public_id}/{filename}"


def private_report_storage():
    from django.core.files.storage import storages

    return storages["private"]


class Report(models.Model):
    """A document built by the worker (PDF, spreadsheet): who asked for what, and where it
    got to. The builders live in the apps (`<app>/reports.py`) and register themselves in
    portal/reports/requesting.py; the file is kept in private storage until it expires."""

    class State(models.TextChoices):
        QUEUED = "queued", _("รอคิว")
        RUNNING = "running", _("กำลังจัดทำ")
        READY = "ready", _("พร้อมดาวน์โหลด")
        FAILED = "failed", _("ไม่สำเร็จ")
        EXPIRED = "expired", _("หมดอายุแล้ว")

    public_id = models.UUIDField(_("รหัสอ้างอิง"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("ชนิดรายงาน"), max_length=50)
    parameters = models.JSONField(_("พารามิเตอร์"), default=dict, blank=True)
    # kind + parameters, hashed: the same report is never built twice at the same time.
    fingerprint = models.CharField(_("ลายนิ้วมือ"), max_length=64, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ขอ"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    state = models.CharField(
        _("สถานะ"), max_length=10, choices=State.choices, default=State.QUEUED, db_index=True
    )
    error = models.TextField(_("ข้อผิดพลาด"), blank=True)
    file = models.FileField(
        _("ไฟล์"), upload_to=report_path, storage=private_report_storage, blank=True, max_length=300
    )
    filename = models.CharField(_("ชื่อไฟล์สำหรับดาวน์โหลด"), max_length=200, blank=True)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("จำนวนครั้งที่จัดทำ"), default=0)
    created_at = models.DateTimeField(_("ขอเมื่อ"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("เริ่มจัดทำเมื่อ"), null=True, blank=True)
    finished_at = models.DateTimeField(_("เสร็จเมื่อ"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("รายงาน")
        verbose_name_plural = _("รายงาน")
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=Q(state__in=["queued", "running"]),
                name="report_built_once_at_a_time",
            ),
            models.CheckConstraint(
                condition=~Q(state="ready") | (~Q(file="") & Q(finished_at__isnull=False)),
                name="ready_report_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.parameters} ({self.get_state_display()})"

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
