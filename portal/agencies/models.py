"""Agencies (a tree: ministry › department › division; provinces, local governments…) and the
shared reference data: provinces and the SDGs."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.language import BilingualName


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
