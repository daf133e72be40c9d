"""The portal's core: people, the agencies they belong to, and shared reference data."""

import uuid

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


def in_reader_language(thai: str, english: str) -> str:
    """The one place deciding which name people read: the English one for a reader who chose
    English, when the data has it; the Thai one otherwise (Thai is the source language)."""
    if english and (translation.get_language() or "").startswith("en"):
        return english
    return thai


class BilingualName:
    """For models with `name_th` and `name_en`: `display_name` in the reader's language (their
    `str()` uses it too). Search, sorting and exported records keep using `name_th`."""

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name_th, self.name_en)


class Region(models.TextChoices):
    NORTH = "north", _("ภาคเหนือ")
    NORTHEAST = "northeast", _("ภาคตะวันออกเฉียงเหนือ")
    CENTRAL = "central", _("ภาคกลาง")
    EAST = "east", _("ภาคตะวันออก")
    WEST = "west", _("ภาคตะวันตก")
    SOUTH = "south", _("ภาคใต้")


class Province(BilingualName, models.Model):
    """One of the 76 provinces or Bangkok; `code` is ISO 3166-2:TH (e.g. TH-10 for Bangkok)."""

    code = models.CharField(_("รหัส"), max_length=6, unique=True)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=100, unique=True)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=100, unique=True)
    region = models.CharField(_("ภาค"), max_length=12, choices=Region.choices)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("จังหวัด")
        verbose_name_plural = _("จังหวัด")

    def __str__(self):
        return self.display_name


class SDG(BilingualName, models.Model):
    """A UN Sustainable Development Goal (1–17) that an entry or a model project serves."""

    number = models.PositiveSmallIntegerField(_("เป้าหมายที่"), unique=True)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=200)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("เป้าหมายการพัฒนาที่ยั่งยืน (SDG)")
        verbose_name_plural = _("เป้าหมายการพัฒนาที่ยั่งยืน (SDGs)")
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17), name="sdg_number_1_to_17"
            )
        ]

    def __str__(self):
        return f"SDG {self.number}: {self.display_name}"


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("กระทรวง")
    DEPARTMENT = "department", _("กรมหรือเทียบเท่า")
    DIVISION = "division", _("สำนัก/กอง")
    PROVINCE = "province", _("จังหวัด")
    DISTRICT = "district", _("อำเภอ")
    LOCAL_GOVERNMENT = "local", _("องค์กรปกครองส่วนท้องถิ่น")
    PUBLIC_ORGANISATION = "public_org", _("องค์การมหาชน")
    UNIVERSITY = "university", _("สถาบันอุดมศึกษา")
    STATE_ENTERPRISE = "state_enterprise", _("รัฐวิสาหกิจ")
    INDEPENDENT = "independent", _("หน่วยงานอิสระ/อื่น ๆ")


class Agency(BilingualName, models.Model):
    """A government agency; `parent` makes the tree ministry › department › division."""

    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=255, unique=True)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=255, blank=True)
    abbreviation = models.CharField(_("อักษรย่อ"), max_length=50, blank=True, db_index=True)
    kind = models.CharField(_("ประเภทหน่วยงาน"), max_length=20, choices=AgencyKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("สังกัด"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    province = models.ForeignKey(
        Province,
        verbose_name=_("จังหวัดที่ตั้ง"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    website = models.URLField(_("เว็บไซต์"), blank=True)
    is_active = models.BooleanField(_("ยังดำเนินงานอยู่"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("หน่วยงาน")
        verbose_name_plural = _("หน่วยงาน")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="agency_not_own_parent"
            )
        ]

    def __str__(self):
        name = self.display_name
        return f"{name} ({self.abbreviation})" if self.abbreviation else name

    def ancestors(self) -> list["Agency"]:
        """From the root (usually a ministry) down to the direct parent."""
        chain, node, seen = [], self.parent, {self.pk}
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            chain.append(node)
            node = node.parent
        return list(reversed(chain))


class Role(models.TextChoices):
    OFFICIAL = "official", _("เจ้าหน้าที่หน่วยงาน (ผู้สมัคร)")
    ASSESSOR = "assessor", _("ผู้ตรวจประเมิน")
    STAFF = "staff", _("เจ้าหน้าที่ สำนักงาน ก.พ.ร.")


class User(AbstractUser):
    """A person signing in. `agency` is the agency they work for, set once membership is
    approved; for an assessor it is their home agency, which decides conflicts of interest."""

    email = models.EmailField(_("อีเมล"), unique=True)
    role = models.CharField(_("บทบาท"), max_length=10, choices=Role.choices, default=Role.OFFICIAL)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("หน่วยงาน"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    position = models.CharField(_("ตำแหน่ง"), max_length=200, blank=True)
    phone = models.CharField(_("โทรศัพท์"), max_length=50, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("ผู้ใช้")
        verbose_name_plural = _("ผู้ใช้")

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def is_official(self) -> bool:
        return self.role == Role.OFFICIAL

    @property
    def is_assessor(self) -> bool:
        return self.role == Role.ASSESSOR

    @property
    def is_secretariat(self) -> bool:
        return self.role == Role.STAFF or self.is_superuser


class MembershipRequest(models.Model):
    """An official asks to join an agency; staff or the agency's coordinator decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("รออนุมัติ")
        APPROVED = "approved", _("อนุมัติแล้ว")
        # The state, not the button of the same wording (context "action").
        REJECTED = "rejected", pgettext_lazy("membership state", "ไม่อนุมัติ")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ขอ"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("หน่วยงาน"),
        on_delete=models.PROTECT,
        related_name="membership_requests",
    )
    state = models.CharField(
        _("สถานะ"), max_length=10, choices=State.choices, default=State.PENDING
    )
    is_coordinator = models.BooleanField(
        _("ผู้ประสานงานของหน่วยงาน"),
        default=False,
        help_text=_("ผู้ประสานงานอนุมัติคำขอเข้าร่วมหน่วยงานของตนได้"),
    )
    note = models.TextField(_("หมายเหตุ"), blank=True)
    requested_at = models.DateTimeField(_("ขอเมื่อ"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้พิจารณา"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("พิจารณาเมื่อ"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("คำขอเข้าร่วมหน่วยงาน")
        verbose_name_plural = _("คำขอเข้าร่วมหน่วยงาน")
        constraints = [
            # A user waits on at most one request at a time.
            models.UniqueConstraint(
                fields=["user"], condition=Q(state="pending"), name="one_pending_membership_request"
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False),
                name="decided_membership_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.agency} ({self.get_state_display()})"


def report_path(instance, filename):
    # Never a user-chosen name on disk: grouped by the report's own unguessable id.
    return f"reports/{instance.public_id}/{filename}"


def private_report_storage():
    from django.core.files.storage import storages

    return storages["private"]


class Report(models.Model):
    """A document built by the worker (PDF, spreadsheet): who asked for what, and where it
    got to. The builders live in the apps (`<app>/reports.py`) and register themselves in
    portal/reports.py; the file is kept in private storage until it expires."""

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


from .pdpa_models import AccountClosure, AuditEvent, PrivacyAcknowledgement  # noqa: E402,F401
from .second_factor_models import VerifiedApiToken  # noqa: E402,F401
