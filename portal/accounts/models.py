"""People who sign in, their roles, their requests to join an agency, and which API tokens were
issued from a session that proved the second factor."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.agencies.models import Agency


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
    # The language their notifications are written in: the one they last signed in with.
    language = models.CharField(
        _("ภาษาที่ใช้ติดต่อ"), max_length=5, choices=settings.LANGUAGES, default="th"
    )

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
