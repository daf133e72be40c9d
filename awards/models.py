"""The award cycle: branches, cycles, categories and their rubrics, entries, assessment.

Models stay thin (fields, constraints, small properties). The rules — who may submit when,
how a sheet is scored, how a result is decided — live in submission.py, scoring.py and
permissions.py, so the web forms, the admin and the API all obey the same ones.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.agencies.models import Agency, Region
from portal.language import BilingualName, in_reader_language


class Branch(BilingualName, models.Model):
    """A branch (สาขา) of the award: บริการภาครัฐ, คุณภาพการบริหารจัดการภาครัฐ, การมีส่วนร่วม."""

    code = models.SlugField(_("รหัส"), max_length=30, unique=True)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=200, unique=True)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=200)
    description = models.TextField(_("คำอธิบาย"), blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("สาขารางวัล")
        verbose_name_plural = _("สาขารางวัล")

    def __str__(self):
        return self.display_name


class Cycle(models.Model):
    """One year of the award (ปีรางวัล), named by its Buddhist Era year, with its milestones."""

    year_be = models.PositiveSmallIntegerField(_("ปีรางวัล (พ.ศ.)"), unique=True)
    title = models.CharField(_("ชื่อรอบ"), max_length=200, blank=True)
    briefing_on = models.DateField(_("วันชี้แจง"), null=True, blank=True)
    applications_open_at = models.DateTimeField(_("เปิดรับสมัคร"))
    applications_close_at = models.DateTimeField(_("ปิดรับสมัคร"))
    screening_starts_on = models.DateField(_("เริ่มกลั่นกรองเอกสาร"), null=True, blank=True)
    site_visits_start_on = models.DateField(_("เริ่มลงพื้นที่ตรวจประเมิน"), null=True, blank=True)
    site_visits_end_on = models.DateField(_("สิ้นสุดการลงพื้นที่"), null=True, blank=True)
    decision_on = models.DateField(_("วันประชุมคณะกรรมการ"), null=True, blank=True)
    announcement_on = models.DateField(_("วันประกาศผล"), null=True, blank=True)
    ceremony_on = models.DateField(_("วันพิธีมอบรางวัล"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("เผยแพร่ผลเมื่อ"), null=True, blank=True)
    is_draft = models.BooleanField(
        _("ฉบับร่าง"),
        default=False,
        help_text=_(
            "ปีรางวัลที่คัดลอกมาเป็นฉบับร่าง: ไม่เปิดรับสมัครและไม่แสดงต่อสาธารณะ จนกว่าจะปรับแก้แล้วเอาเครื่องหมายออก"
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year_be"]
        verbose_name = _("ปีรางวัล")
        verbose_name_plural = _("ปีรางวัล")
        constraints = [
            models.CheckConstraint(
                condition=Q(year_be__gte=2540, year_be__lte=2700), name="cycle_year_is_buddhist_era"
            ),
            models.CheckConstraint(
                condition=Q(applications_close_at__gt=F("applications_open_at")),
                name="cycle_closes_after_it_opens",
            ),
        ]

    def __str__(self):
        return self.title or gettext("รางวัลเลิศรัฐ ประจำปี พ.ศ. %(year)s") % {"year": self.year_be}

    @property
    def year_ce(self) -> int:
        return self.year_be - 543

    def is_open_for_entries(self, at=None) -> bool:
        at = at or timezone.now()
        return not self.is_draft and self.applications_open_at <= at < self.applications_close_at


class Category(BilingualName, models.Model):
    """A type (ประเภท) of a branch in one cycle, e.g. นวัตกรรมการบริการ in บริการภาครัฐ 2568."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("ปีรางวัล"), on_delete=models.PROTECT, related_name="categories"
    )
    branch = models.ForeignKey(
        Branch, verbose_name=_("สาขา"), on_delete=models.PROTECT, related_name="categories"
    )
    code = models.SlugField(_("รหัส"), max_length=50)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=255)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=255, blank=True)
    description = models.TextField(_("คำอธิบายและคุณสมบัติผู้สมัคร"), blank=True)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "branch__order", "order", "code"]
        verbose_name = _("ประเภทรางวัล")
        verbose_name_plural = _("ประเภทรางวัล")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="category_code_unique_in_cycle"),
            models.UniqueConstraint(
                fields=["cycle", "branch", "name_th"], name="category_name_unique_in_branch"
            ),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.branch.display_name} {self.cycle.year_be})"


class AssessmentRound(models.TextChoices):
    SCREENING = "screening", _("กลั่นกรองเอกสาร")
    SITE_VISIT = "site_visit", _("ลงพื้นที่ตรวจประเมิน")


class Criterion(models.Model):
    """One row of a category's rubric for one round. Weights and maxima are data that
    staff edit per cycle, never constants in code."""

    category = models.ForeignKey(
        Category, verbose_name=_("ประเภทรางวัล"), on_delete=models.PROTECT, related_name="criteria"
    )
    round = models.CharField(_("รอบการประเมิน"), max_length=12, choices=AssessmentRound.choices)
    order = models.PositiveSmallIntegerField(_("ลำดับ"))
    title_th = models.CharField(_("เกณฑ์"), max_length=255)
    title_en = models.CharField(_("เกณฑ์ (ภาษาอังกฤษ)"), max_length=255, blank=True)
    guidance = models.TextField(_("แนวทางการให้คะแนน"), blank=True)
    weight = models.DecimalField(
        _("น้ำหนัก (ร้อยละ)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    max_score = models.DecimalField(
        _("คะแนนเต็ม"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "round", "order"]
        verbose_name = _("เกณฑ์การประเมิน")
        verbose_name_plural = _("เกณฑ์การประเมิน (Rubric)")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "round", "order"], name="criterion_order_unique_in_rubric"
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name="criterion_max_positive"),
        ]

    def __str__(self):
        return f"{self.order}. {self.display_title}"

    @property
    def display_title(self) -> str:
        return in_reader_language(self.title_th, self.title_en)


class CriterionLevel(models.Model):
    """A labelled score of a criterion (e.g. 3 = "มีแนวทางและนำไปปฏิบัติบางส่วน") with what it
    means, shown on the score sheet so that assessors read a 3 and a 5 alike."""

    criterion = models.ForeignKey(
        Criterion, verbose_name=_("เกณฑ์"), on_delete=models.CASCADE, related_name="levels"
    )
    score = models.DecimalField(
        _("คะแนน"), max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    label_th = models.CharField(_("ชื่อระดับ"), max_length=200)
    label_en = models.CharField(_("ชื่อระดับ (ภาษาอังกฤษ)"), max_length=200, blank=True)
    description = models.TextField(_("คำอธิบาย"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["criterion", "score"]
        verbose_name = _("ระดับคะแนนของเกณฑ์")
        verbose_name_plural = _("ระดับคะแนนของเกณฑ์")
        constraints = [
            models.UniqueConstraint(fields=["criterion", "score"], name="criterion_level_once"),
            models.CheckConstraint(condition=Q(score__gte=0), name="criterion_level_not_negative"),
        ]

    def __str__(self):
        return f"{self.score.normalize():f} — {self.display_label}"

    @property
    def display_label(self) -> str:
        return in_reader_language(self.label_th, self.label_en)

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.criterion_id and self.score is not None and self.score > self.criterion.max_score:
            raise ValidationError(
                {"score": gettext("คะแนนของระดับต้องไม่เกินคะแนนเต็มของเกณฑ์ (%(max)s)")
                 % {"max": f"{self.criterion.max_score.normalize():f}"}}
            )  # fmt: skip


class AwardLevelKind(models.TextChoices):
    LEVEL = "level", _("ระดับรางวัล")
    SPECIAL = "special", _("รางวัลพิเศษ")
    NOT_AWARDED = "not_awarded", _("ไม่ได้รับรางวัล")


class AwardLevel(BilingualName, models.Model):
    """A level a committee may decide in a cycle's branch (ดีเด่น, ดี, PMQA 4.0's Advance …, the
    special รางวัลเกียรติยศ, and "not awarded"): data the secretariat sets up per cycle.

    The code is the stable key results, case studies, open data and imported history carry;
    names and rank order are read from these rows (awards/levels.py). Rows without a cycle
    are the standing levels: they name the codes of years that have no cycle here (history)."""

    cycle = models.ForeignKey(
        Cycle,
        verbose_name=_("ปีรางวัล"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_levels",
        help_text=_("เว้นว่าง: ระดับมาตรฐานที่ใช้อ่านผลงานย้อนหลังของปีที่ไม่มีในระบบ"),
    )
    branch = models.ForeignKey(
        Branch,
        verbose_name=_("สาขา"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_levels",
        help_text=_("เว้นว่าง: ใช้กับทุกสาขาของปีรางวัลนี้"),
    )
    code = models.SlugField(
        _("รหัส"),
        max_length=30,
        help_text=_("รหัสที่ข้อมูลเปิดและ API ใช้ ควรคงเดิมทุกปี เช่น outstanding, pmqa_advance"),
    )
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=200)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=200, blank=True)
    kind = models.CharField(
        _("ชนิด"), max_length=12, choices=AwardLevelKind.choices, default=AwardLevelKind.LEVEL
    )
    rank = models.PositiveSmallIntegerField(
        _("ลำดับ"), help_text=_("1 คือรางวัลสูงสุด ใช้เรียงผลและตัวกรองในหน้าสาธารณะ")
    )
    description = models.TextField(_("คำอธิบาย"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "rank", "code"]
        verbose_name = _("ระดับรางวัล")
        verbose_name_plural = _("ระดับรางวัล")
        # A code once per cycle and branch; NULL (all branches, standing levels) counts as one
        # value, which a plain unique constraint would not do.
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "branch", "code"],
                condition=Q(cycle__isnull=False, branch__isnull=False),
                name="award_level_code_once_in_branch",
            ),
            models.UniqueConstraint(
                fields=["cycle", "code"],
                condition=Q(cycle__isnull=False, branch__isnull=True),
                name="award_level_code_once_in_cycle",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(cycle__isnull=True),
                name="award_level_standing_code_once",
            ),
        ]

    def __str__(self):
        year = self.cycle.year_be if self.cycle_id else gettext("มาตรฐาน")
        branch = self.branch.display_name if self.branch_id else gettext("ทุกสาขา")
        return f"{self.display_name} ({branch} {year})"

    @property
    def is_award(self) -> bool:
        return self.kind != AwardLevelKind.NOT_AWARDED


class EntryState(models.TextChoices):
    DRAFT = "draft", _("ฉบับร่าง")
    SUBMITTED = "submitted", _("ส่งแล้ว")
    SCREENING = "screening", _("อยู่ระหว่างกลั่นกรอง")
    SHORTLISTED = "shortlisted", _("ผ่านเข้ารอบลงพื้นที่")
    SITE_VISITED = "site_visited", _("ลงพื้นที่ตรวจประเมินแล้ว")
    AWARDED = "awarded", _("ได้รับรางวัล")
    NOT_AWARDED = "not_awarded", _("ไม่ได้รับรางวัล")
    # The state, not the action: "ถอนใบสมัคร" is also the withdraw button (context "action").
    WITHDRAWN = "withdrawn", pgettext_lazy("entry state", "ถอนใบสมัคร")


class Entry(models.Model):
    """One agency's application (ผลงานที่สมัคร) in one category of one cycle."""

    public_id = models.UUIDField(
        _("รหัสอ้างอิงภายใน"), default=uuid.uuid4, unique=True, editable=False
    )
    reference = models.CharField(
        _("เลขที่อ้างอิง"), max_length=20, unique=True, null=True, blank=True, editable=False
    )
    category = models.ForeignKey(
        Category, verbose_name=_("ประเภทรางวัล"), on_delete=models.PROTECT, related_name="entries"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("หน่วยงาน"), on_delete=models.PROTECT, related_name="entries"
    )
    state = models.CharField(
        _("สถานะ"),
        max_length=12,
        choices=EntryState.choices,
        default=EntryState.DRAFT,
        db_index=True,
    )
    # Every entry has a title whatever its form asks: lists, references and search use it.
    title = models.CharField(_("ชื่อผลงาน"), max_length=300)
    # The form version this entry answers (kept when staff change the form: entry_forms.py).
    form = models.ForeignKey(
        "EntryForm",
        verbose_name=_("แบบฟอร์มใบสมัคร"),
        on_delete=models.PROTECT,
        related_name="entries",
    )
    # The answers to the form's questions, keyed by question code; validated by answers.py.
    answers = models.JSONField(_("คำตอบ"), default=dict, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("สร้างโดย"),
        on_delete=models.PROTECT,
        related_name="entries_created",
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)
    submitted_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ส่งโดย"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="entries_submitted",
    )
    reopened_until = models.DateTimeField(
        _("เปิดให้แก้ไขถึง"),
        null=True,
        blank=True,
        help_text=_("กำหนดเมื่อเจ้าหน้าที่เปิดผลงานที่ส่งแล้วให้แก้ไขใหม่ (submission.reopen)"),
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ผลงานที่สมัคร")
        verbose_name_plural = _("ผลงานที่สมัคร")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False, reference__isnull=False),
                name="entry_beyond_draft_has_submission",
            ),
        ]
        indexes = [models.Index(fields=["category", "state"], name="entry_category_state")]

    def __str__(self):
        return f"{self.reference or _('(ฉบับร่าง)')} {self.title}"

    @property
    def cycle(self) -> Cycle:
        return self.category.cycle


class EntryStateChange(models.Model):
    """Every change of an entry's state: who, when, from, to, and why."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("ผลงาน"), on_delete=models.CASCADE, related_name="state_changes"
    )
    from_state = models.CharField(_("จากสถานะ"), max_length=12, choices=EntryState.choices)
    to_state = models.CharField(_("เป็นสถานะ"), max_length=12, choices=EntryState.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้เปลี่ยน"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("เมื่อ"), default=timezone.now)
    note = models.TextField(_("หมายเหตุ"), blank=True)

    class Meta:
        ordering = ["entry", "changed_at", "id"]
        verbose_name = _("ประวัติสถานะผลงาน")
        verbose_name_plural = _("ประวัติสถานะผลงาน")

    def __str__(self):
        return f"{self.entry_id}: {self.from_state} → {self.to_state}"


# --- Entry forms: the questions of a category's application, as data ---------------------------


class EntryForm(models.Model):
    """The application form of a category, in versions: locked once the first entry answering
    it is submitted; a change afterwards is a new version (entry_forms.new_version), and every
    entry keeps the version it answered."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("ประเภทรางวัล"),
        on_delete=models.PROTECT,
        related_name="entry_forms",
    )
    version = models.PositiveSmallIntegerField(_("ฉบับที่"), default=1)
    name = models.CharField(_("ชื่อแบบฟอร์ม"), max_length=200, blank=True)
    locked_at = models.DateTimeField(
        _("ล็อกเมื่อ"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("เมื่อมีผลงานแรกส่งแล้ว แบบฟอร์มฉบับนี้แก้ไขไม่ได้ ต้องสร้างฉบับใหม่"),
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "-version"]
        verbose_name = _("แบบฟอร์มใบสมัคร")
        verbose_name_plural = _("แบบฟอร์มใบสมัคร")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "version"], name="entry_form_version_unique"
            )
        ]

    def __str__(self):
        return gettext("%(name)s ฉบับที่ %(version)s (%(category)s)") % {
            "name": self.name or gettext("แบบฟอร์มใบสมัคร"),
            "version": self.version,
            "category": self.category,
        }

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None


class BilingualHelp:
    """help_th / help_en read in the reader's language."""

    @property
    def display_help(self) -> str:
        return in_reader_language(self.help_th, self.help_en)


class FormSection(BilingualHelp, models.Model):
    """One page of the form (one task of the task list)."""

    form = models.ForeignKey(
        EntryForm, verbose_name=_("แบบฟอร์ม"), on_delete=models.CASCADE, related_name="sections"
    )
    key = models.SlugField(
        _("รหัสส่วน"), max_length=50, help_text=_("ใช้ในที่อยู่หน้าเว็บ เช่น basic, pmqa-1")
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    title_th = models.CharField(_("ชื่อส่วน"), max_length=255)
    title_en = models.CharField(_("ชื่อส่วน (ภาษาอังกฤษ)"), max_length=255, blank=True)
    help_th = models.TextField(_("คำอธิบาย"), blank=True)
    help_en = models.TextField(_("คำอธิบาย (ภาษาอังกฤษ)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "order", "id"]
        verbose_name = _("ส่วนของแบบฟอร์ม")
        verbose_name_plural = _("ส่วนของแบบฟอร์ม")
        constraints = [
            models.UniqueConstraint(fields=["form", "key"], name="form_section_key_unique")
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    @property
    def title(self) -> str:
        return in_reader_language(self.title_th, self.title_en)


class QuestionKind(models.TextChoices):
    TEXT = "text", _("ข้อความสั้น")
    LONG_TEXT = "long_text", _("ข้อความยาว")
    INDICATORS = "indicators", _("ตารางตัวชี้วัด (ค่าฐาน ค่าเป้าหมาย ผลลัพธ์ หน่วย)")
    NUMBER = "number", _("ตัวเลข")
    DATE = "date", _("วันที่ (พ.ศ.)")
    CHOICE = "choice", _("ตัวเลือก")
    YES_NO = "yes_no", _("ใช่ / ไม่ใช่")
    EMAIL = "email", _("อีเมล")
    PHONE = "phone", _("หมายเลขโทรศัพท์")
    ATTACHMENTS = "attachments", _("ไฟล์แนบ")


class Question(BilingualHelp, models.Model):
    """One question of a section. What each kind accepts is decided in answers.py."""

    form = models.ForeignKey(
        EntryForm, verbose_name=_("แบบฟอร์ม"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        FormSection, verbose_name=_("ส่วน"), on_delete=models.CASCADE, related_name="questions"
    )
    code = models.SlugField(
        _("รหัสคำถาม"),
        max_length=50,
        help_text=_("ไม่ซ้ำกันในแบบฟอร์ม ใช้เป็นชื่อคำตอบใน API เช่น summary, pmqa-1-1"),
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    kind = models.CharField(_("ชนิดคำตอบ"), max_length=12, choices=QuestionKind.choices)
    label_th = models.CharField(_("คำถาม"), max_length=300)
    label_en = models.CharField(_("คำถาม (ภาษาอังกฤษ)"), max_length=300, blank=True)
    help_th = models.TextField(_("คำแนะนำ"), blank=True)
    help_en = models.TextField(_("คำแนะนำ (ภาษาอังกฤษ)"), blank=True)
    required = models.BooleanField(_("ต้องตอบ"), default=True)
    max_length = models.PositiveIntegerField(
        _("จำนวนตัวอักษรสูงสุด"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("ข้อความสั้นและข้อความยาว"),
    )
    options = models.TextField(
        _("ตัวเลือก"),
        blank=True,
        help_text=_("บรรทัดละหนึ่งตัวเลือก: รหัส|ชื่อภาษาไทย|ชื่อภาษาอังกฤษ"),
    )
    multiple = models.BooleanField(_("เลือกได้หลายข้อ"), default=False)
    max_rows = models.PositiveSmallIntegerField(
        _("จำนวนแถวสูงสุด"), null=True, blank=True, help_text=_("ตารางตัวชี้วัด")
    )
    max_files = models.PositiveSmallIntegerField(
        _("จำนวนไฟล์สูงสุด"), null=True, blank=True, help_text=_("ไฟล์แนบ")
    )
    max_file_mb = models.PositiveSmallIntegerField(
        _("ขนาดไฟล์สูงสุด (MB)"), null=True, blank=True, help_text=_("ไฟล์แนบ")
    )
    file_types = models.CharField(
        _("ชนิดไฟล์ที่รับ"),
        max_length=100,
        blank=True,
        help_text=_("คั่นด้วยจุลภาค จาก pdf, image, office (เว้นว่าง = ทุกชนิดที่ระบบรับ)"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "section__order", "order", "id"]
        verbose_name = _("คำถาม")
        verbose_name_plural = _("คำถาม")
        constraints = [
            models.UniqueConstraint(fields=["form", "code"], name="question_code_unique_in_form")
        ]

    def __str__(self):
        return f"{self.code}: {self.display_label}"

    @property
    def display_label(self) -> str:
        return in_reader_language(self.label_th, self.label_en)

    @property
    def choices(self) -> list[tuple[str, str]]:
        """The options as (code, name in the reader's language)."""
        rows = []
        for line in self.options.splitlines():
            parts = [part.strip() for part in line.split("|")]
            if parts[0]:
                th = parts[1] if len(parts) > 1 and parts[1] else parts[0]
                en = parts[2] if len(parts) > 2 else ""
                rows.append((parts[0], in_reader_language(th, en)))
        return rows


class EligibilityQuestion(models.Model):
    """A yes/no question an official answers before starting an entry in a category, e.g.
    "ผลงานดำเนินการมาแล้วไม่น้อยกว่า 1 ปี"; the wrong answer refuses with `refusal`."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("ประเภทรางวัล"),
        on_delete=models.CASCADE,
        related_name="eligibility_questions",
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    text_th = models.CharField(_("คำถาม"), max_length=500)
    text_en = models.CharField(_("คำถาม (ภาษาอังกฤษ)"), max_length=500, blank=True)
    eligible_answer = models.BooleanField(
        _("คำตอบที่มีสิทธิ์สมัคร"), default=True, help_text=_("เลือก = ใช่, ไม่เลือก = ไม่ใช่")
    )
    refusal_th = models.CharField(_("เหตุผลที่แจ้งเมื่อไม่มีสิทธิ์"), max_length=500)
    refusal_en = models.CharField(_("เหตุผล (ภาษาอังกฤษ)"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "order", "id"]
        verbose_name = _("คำถามคุณสมบัติผู้สมัคร")
        verbose_name_plural = _("คำถามคุณสมบัติผู้สมัคร")

    def __str__(self):
        return self.display_text

    @property
    def display_text(self) -> str:
        return in_reader_language(self.text_th, self.text_en)

    @property
    def display_refusal(self) -> str:
        return in_reader_language(self.refusal_th, self.refusal_en)


class EligibilityRuleKind(models.TextChoices):
    NO_REPEAT_WIN = "no_repeat_win", _("ไม่ได้รับรางวัลในประเภทนี้ภายในจำนวนปีที่กำหนด")


class EligibilityRule(models.Model):
    """An automatic check before an entry is started, read from past results (awards/
    eligibility.py), e.g. no entry in a category within `years` years of winning it."""

    category = models.ForeignKey(
        Category,
        verbose_name=_("ประเภทรางวัล"),
        on_delete=models.CASCADE,
        related_name="eligibility_rules",
    )
    kind = models.CharField(
        _("เงื่อนไข"),
        max_length=20,
        choices=EligibilityRuleKind.choices,
        default=EligibilityRuleKind.NO_REPEAT_WIN,
    )
    years = models.PositiveSmallIntegerField(
        _("จำนวนปี"),
        validators=[MinValueValidator(1)],
        help_text=_("เช่น 3: ได้รับรางวัลปี 2567 สมัครอีกได้ปี 2570"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "kind"]
        verbose_name = _("เงื่อนไขคุณสมบัติอัตโนมัติ")
        verbose_name_plural = _("เงื่อนไขคุณสมบัติอัตโนมัติ")
        constraints = [
            models.UniqueConstraint(fields=["category", "kind"], name="eligibility_rule_once"),
            models.CheckConstraint(condition=Q(years__gte=1), name="eligibility_rule_years"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.years})"


class EligibilityAnswer(models.Model):
    """What the official answered when starting the entry: the record of why it was allowed."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("ผลงาน"), on_delete=models.CASCADE, related_name="eligibility_answers"
    )
    question = models.ForeignKey(
        EligibilityQuestion, verbose_name=_("คำถาม"), on_delete=models.PROTECT, related_name="+"
    )
    answer = models.BooleanField(_("คำตอบ"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ตอบโดย"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("ตอบเมื่อ"), auto_now_add=True)

    class Meta:
        ordering = ["entry", "question__order"]
        verbose_name = _("คำตอบคุณสมบัติผู้สมัคร")
        verbose_name_plural = _("คำตอบคุณสมบัติผู้สมัคร")
        constraints = [
            models.UniqueConstraint(fields=["entry", "question"], name="eligibility_answer_once")
        ]

    def __str__(self):
        return f"{self.question}: {self.answer}"


def attachment_path(instance, filename):
    # Never the uploader's file name: a generated one, grouped by entry.
    return f"attachments/{instance.entry.public_id}/{uuid.uuid4().hex}"


def private_storage():
    from django.core.files.storage import storages

    return storages["private"]


class StoredFile(models.Model):
    """What is kept of an uploaded file beside the file itself (checked by attachments.py)."""

    original_name = models.CharField(_("ชื่อไฟล์เดิม"), max_length=255)
    content_type = models.CharField(_("ชนิดไฟล์"), max_length=100)
    size = models.PositiveBigIntegerField(_("ขนาด (ไบต์)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    description = models.CharField(_("คำอธิบาย"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("อัปโหลดโดย"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("อัปโหลดเมื่อ"), auto_now_add=True)

    class Meta:
        abstract = True


class Attachment(StoredFile):
    """Evidence attached to an entry: stored privately under a generated name."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("ผลงาน"), on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("ไฟล์"), upload_to=attachment_path, storage=private_storage)
    # The agency's choice when it uploads: only such a file may go on the public page of a
    # model project drafted from the entry (cases/drafting.py); every other file stays private.
    is_public = models.BooleanField(
        _("เผยแพร่ต่อสาธารณะได้"),
        default=False,
        help_text=_("หน่วยงานยินยอมให้นำไฟล์นี้ไปเผยแพร่ในหน้าผลงานต้นแบบหากได้รับรางวัล"),
    )
    # The attachments question (its code) this file answers.
    question = models.SlugField(_("คำถาม"), max_length=50, blank=True)
    # Set when the file answers a clarification question (added after submission).
    clarification = models.ForeignKey(
        "Clarification",
        verbose_name=_("คำชี้แจง"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "uploaded_at"]
        verbose_name = _("เอกสารแนบ")
        verbose_name_plural = _("เอกสารแนบ")
        constraints = [models.CheckConstraint(condition=Q(size__gt=0), name="attachment_not_empty")]

    def __str__(self):
        return self.original_name


# --- Assessment --------------------------------------------------------------------------------


class Panel(models.Model):
    """A group of assessors with a chair (ประธานผู้ตรวจประเมิน) for one cycle."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("ปีรางวัล"), on_delete=models.PROTECT, related_name="panels"
    )
    name = models.CharField(_("ชื่อคณะ"), max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ประธานผู้ตรวจประเมิน"),
        on_delete=models.PROTECT,
        related_name="panels_chaired",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ตรวจประเมิน"),
        through="PanelMember",
        related_name="panels",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "name"]
        verbose_name = _("คณะผู้ตรวจประเมิน")
        verbose_name_plural = _("คณะผู้ตรวจประเมิน")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="panel_name_unique_in_cycle")
        ]

    def __str__(self):
        return f"{self.name} ({self.cycle.year_be})"


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, verbose_name=_("คณะ"), on_delete=models.CASCADE)
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("ผู้ตรวจประเมิน"), on_delete=models.PROTECT
    )
    history = HistoricalRecords()  # who joined or left a panel, and when

    class Meta:
        verbose_name = _("สมาชิกคณะ")
        verbose_name_plural = _("สมาชิกคณะ")
        constraints = [
            models.UniqueConstraint(fields=["panel", "assessor"], name="panel_member_once")
        ]

    def __str__(self):
        return f"{self.assessor} @ {self.panel}"


class ConflictDeclaration(models.Model):
    """An assessor declares a conflict of interest with an agency or with a single entry."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ตรวจประเมิน"),
        on_delete=models.PROTECT,
        related_name="conflicts",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("หน่วยงาน"), null=True, blank=True, on_delete=models.PROTECT
    )
    entry = models.ForeignKey(
        Entry, verbose_name=_("ผลงาน"), null=True, blank=True, on_delete=models.PROTECT
    )
    reason = models.TextField(_("เหตุผล"))
    declared_at = models.DateTimeField(_("แจ้งเมื่อ"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = _("การแจ้งส่วนได้เสีย")
        verbose_name_plural = _("การแจ้งส่วนได้เสีย")
        constraints = [
            # Exactly one of agency / entry.
            models.CheckConstraint(
                condition=(Q(agency__isnull=False) & Q(entry__isnull=True))
                | (Q(agency__isnull=True) & Q(entry__isnull=False)),
                name="conflict_names_agency_or_entry",
            ),
        ]

    def __str__(self):
        return f"{self.assessor}: {self.agency or self.entry}"


class Assignment(models.Model):
    """An assessor is to score an entry in a round (optionally as part of a panel)."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("ผลงาน"), on_delete=models.PROTECT, related_name="assignments"
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ตรวจประเมิน"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    round = models.CharField(_("รอบการประเมิน"), max_length=12, choices=AssessmentRound.choices)
    panel = models.ForeignKey(
        Panel, verbose_name=_("คณะ"), null=True, blank=True, on_delete=models.PROTECT
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("มอบหมายโดย"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("มอบหมายเมื่อ"), auto_now_add=True)
    batch = models.ForeignKey(
        "AssignmentBatch",
        verbose_name=_("ชุดการมอบหมาย"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text=_("ชุดที่ระบบเสนอและเจ้าหน้าที่ยืนยัน (ว่างเมื่อมอบหมายทีละรายการ)"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-assigned_at"]
        verbose_name = _("การมอบหมายงานประเมิน")
        verbose_name_plural = _("การมอบหมายงานประเมิน")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "assessor", "round"], name="assignment_once_per_round"
            )
        ]

    def __str__(self):
        return f"{self.assessor} → {self.entry} ({self.get_round_display()})"


class AssessorProfile(models.Model):
    """What an assessor declares for assisted assignment: the branches they know best and the
    region they can travel to for site visits. Preferences, never rules."""

    assessor = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ตรวจประเมิน"),
        on_delete=models.CASCADE,
        related_name="assessor_profile",
    )
    branches = models.ManyToManyField(
        Branch, verbose_name=_("สาขาที่เชี่ยวชาญ"), blank=True, related_name="+"
    )
    region = models.CharField(
        _("ภาคที่สะดวกลงพื้นที่"), max_length=12, choices=Region.choices, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ความเชี่ยวชาญของผู้ตรวจประเมิน")
        verbose_name_plural = _("ความเชี่ยวชาญของผู้ตรวจประเมิน")

    def __str__(self):
        return str(self.assessor)


class AssignmentBatch(models.Model):
    """Assignments the solver proposed and staff committed in one go (awards/assignment.py):
    who committed, when, with which settings; undone as a whole before scoring starts."""

    proposal = models.UUIDField(_("รหัสข้อเสนอ"), unique=True, editable=False)
    category = models.ForeignKey(
        Category, verbose_name=_("ประเภทรางวัล"), on_delete=models.PROTECT, related_name="+"
    )
    round = models.CharField(_("รอบการประเมิน"), max_length=12, choices=AssessmentRound.choices)
    per_entry = models.PositiveSmallIntegerField(_("ผู้ตรวจประเมินต่อผลงาน"))
    cap = models.PositiveSmallIntegerField(_("ภาระงานสูงสุดต่อคน"))
    made = models.JSONField(
        _("คู่ที่มอบหมาย"), default=list, help_text=_("[[ผลงาน, ผู้ตรวจประเมิน], …] ตามที่ยืนยัน")
    )
    committed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ยืนยันโดย"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    committed_at = models.DateTimeField(_("ยืนยันเมื่อ"), default=timezone.now)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ยกเลิกโดย"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    undone_at = models.DateTimeField(_("ยกเลิกเมื่อ"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-committed_at"]
        verbose_name = _("ชุดการมอบหมายอัตโนมัติ")
        verbose_name_plural = _("ชุดการมอบหมายอัตโนมัติ")

    def __str__(self):
        return f"{self.category.display_name} · {self.get_round_display()} · {len(self.made)}"


class RoundDueDate(models.Model):
    """When score sheets of a round are due: for a whole cycle, or for one category (which
    then wins over the cycle's)."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("ปีรางวัล"), on_delete=models.CASCADE, related_name="due_dates"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("ประเภทรางวัล"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("เว้นว่างเพื่อใช้กับทุกประเภทของปีรางวัล"),
    )
    round = models.CharField(_("รอบการประเมิน"), max_length=12, choices=AssessmentRound.choices)
    due_on = models.DateField(_("กำหนดส่งแบบให้คะแนน"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "round", "category"]
        verbose_name = _("กำหนดส่งแบบให้คะแนน")
        verbose_name_plural = _("กำหนดส่งแบบให้คะแนน")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "category", "round"], name="due_date_once_per_category_round"
            ),
            models.UniqueConstraint(
                fields=["cycle", "round"],
                condition=Q(category__isnull=True),
                name="due_date_once_per_cycle_round",
            ),
        ]

    def __str__(self):
        from portal.thai import format_date

        scope = self.category.display_name if self.category_id else str(self.cycle)
        return f"{scope} · {self.get_round_display()} · {format_date(self.due_on)}"


class PanelComment(models.Model):
    """A remark in the discussion of an entry among the assessors assigned to it (and staff);
    nobody else reads it (awards/discussion.py)."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("ผลงาน"), on_delete=models.PROTECT, related_name="panel_comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้เขียน"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    body = models.TextField(_("ความเห็น"))
    written_at = models.DateTimeField(_("เขียนเมื่อ"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "written_at", "pk"]
        verbose_name = _("ความเห็นในการหารือของคณะ")
        verbose_name_plural = _("ความเห็นในการหารือของคณะ")

    def __str__(self):
        return f"{self.author}: {self.body[:40]}"


class ConsensusNote(models.Model):
    """The panel chair's note of the panel's consensus on an entry's screening, written
    before staff decide whether it goes through to the site visit."""

    entry = models.OneToOneField(
        Entry, verbose_name=_("ผลงาน"), on_delete=models.PROTECT, related_name="consensus"
    )
    note = models.TextField(_("ข้อสรุปของคณะ"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("บันทึกโดย"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    written_at = models.DateTimeField(_("บันทึกเมื่อ"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ข้อสรุปของคณะ (รอบกลั่นกรอง)")
        verbose_name_plural = _("ข้อสรุปของคณะ (รอบกลั่นกรอง)")

    def __str__(self):
        return f"{self.entry}: {self.note[:40]}"


class Unavailability(models.Model):
    """Days an assessor declared they cannot travel for site visits (a clash warning, not a
    rule: awards/site_visit_calendar.py)."""

    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้ตรวจประเมิน"),
        on_delete=models.CASCADE,
        related_name="unavailabilities",
    )
    starts_on = models.DateField(_("ตั้งแต่วันที่"))
    ends_on = models.DateField(_("ถึงวันที่"))
    reason = models.CharField(_("เหตุผล"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessor", "starts_on"]
        verbose_name = _("วันที่ไม่สะดวกลงพื้นที่")
        verbose_name_plural = _("วันที่ไม่สะดวกลงพื้นที่")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="unavailability_ends_after_start",
                violation_error_message=_("วันสิ้นสุดต้องไม่ก่อนวันเริ่ม"),
            )
        ]

    def __str__(self):
        from portal.thai import format_date

        return f"{self.assessor}: {format_date(self.starts_on)} – {format_date(self.ends_on)}"


class ScoreSheet(models.Model):
    """An assessor's scores for one assignment: a draft until submitted complete."""

    class State(models.TextChoices):
        DRAFT = "draft", _("ฉบับร่าง")
        SUBMITTED = "submitted", _("ส่งแล้ว")

    assignment = models.OneToOneField(
        Assignment, verbose_name=_("การมอบหมาย"), on_delete=models.PROTECT, related_name="sheet"
    )
    state = models.CharField(_("สถานะ"), max_length=10, choices=State.choices, default=State.DRAFT)
    overall_comment = models.TextField(_("ความเห็นโดยรวม"), blank=True)
    submitted_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("แบบให้คะแนน")
        verbose_name_plural = _("แบบให้คะแนน")
        constraints = [
            models.CheckConstraint(
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
                name="submitted_sheet_has_date",
            )
        ]

    def __str__(self):
        return str(self.assignment)


class Score(models.Model):
    """The score of one criterion on one sheet. 0 ≤ value ≤ criterion.max_score is enforced by
    a database trigger (see the migration), since a CHECK cannot read another table."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("แบบให้คะแนน"), on_delete=models.PROTECT, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("เกณฑ์"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(
        _("คะแนน"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    comment = models.TextField(_("ความเห็น"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "criterion__order"]
        verbose_name = _("คะแนน")
        verbose_name_plural = _("คะแนน")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_once_per_criterion"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=0), name="score_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class SiteVisit(models.Model):
    """A panel's visit (on site or online) to a shortlisted entry, and the chair's
    consolidated result of it."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("ผลงาน"), on_delete=models.PROTECT, related_name="site_visits"
    )
    panel = models.ForeignKey(
        Panel, verbose_name=_("คณะ"), on_delete=models.PROTECT, related_name="site_visits"
    )
    scheduled_at = models.DateTimeField(_("วันและเวลา"))
    place = models.CharField(_("สถานที่"), max_length=300, blank=True)
    is_online = models.BooleanField(_("ตรวจประเมินออนไลน์"), default=False)
    online_url = models.URLField(
        _("ลิงก์ประชุมออนไลน์"), blank=True, help_text=_("หน่วยงานที่รับการตรวจเห็นลิงก์นี้")
    )
    notes = models.TextField(_("บันทึกการลงพื้นที่"), blank=True)
    consolidated_score = models.DecimalField(
        _("คะแนนสรุปของคณะ"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    justification = models.TextField(_("เหตุผลประกอบ"), blank=True)
    # An AwardLevel code of the entry's cycle and branch (awards/levels.py checks it).
    proposed_level = models.CharField(_("ระดับรางวัลที่เสนอ"), max_length=30, blank=True)
    consolidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("สรุปโดย"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    consolidated_at = models.DateTimeField(_("สรุปเมื่อ"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheduled_at"]
        verbose_name = _("การลงพื้นที่ตรวจประเมิน")
        verbose_name_plural = _("การลงพื้นที่ตรวจประเมิน")
        constraints = [
            models.CheckConstraint(
                condition=Q(consolidated_score__isnull=True)
                | Q(consolidated_score__gte=0, consolidated_score__lte=100),
                name="site_visit_score_0_100",
            ),
            models.CheckConstraint(
                condition=Q(consolidated_at__isnull=True)
                | (Q(consolidated_score__isnull=False) & ~Q(justification="")),
                name="consolidated_visit_has_score_and_reason",
            ),
        ]

    def __str__(self):
        from portal.thai import format_date

        return f"{self.entry} @ {format_date(self.scheduled_at)}"  # B.E. in Thai


class Result(models.Model):
    """The committee's decision on an entry in its cycle."""

    entry = models.OneToOneField(
        Entry, verbose_name=_("ผลงาน"), on_delete=models.PROTECT, related_name="result"
    )
    # An AwardLevel code of the entry's cycle and branch (awards/levels.py checks it): the code,
    # not a key, is what public data, open data and imported history carry.
    award_level = models.CharField(_("ระดับรางวัล"), max_length=30)
    screening_score = models.DecimalField(
        _("คะแนนรอบกลั่นกรอง"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    site_visit_score = models.DecimalField(
        _("คะแนนรอบลงพื้นที่"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    remarks = models.TextField(_("ข้อสังเกตของคณะกรรมการ"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("บันทึกโดย"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("บันทึกเมื่อ"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry__category", "award_level"]
        verbose_name = _("ผลการตัดสิน")
        verbose_name_plural = _("ผลการตัดสิน")

    def __str__(self):
        # The level's name is data (awards/levels.py, which models don't import).
        return gettext("ผลการตัดสินของ %(entry)s") % {"entry": self.entry}


class Clarification(models.Model):
    """A question staff or a panel chair ask an agency about a submitted entry, with a due
    date, and the agency's answer (text and files). The entry keeps its state: answering is
    part of its record, not a return to draft (awards/clarifications.py)."""

    entry = models.ForeignKey(
        Entry, verbose_name=_("ผลงาน"), on_delete=models.PROTECT, related_name="clarifications"
    )
    question = models.TextField(_("คำถาม"))
    due_at = models.DateTimeField(_("ตอบภายใน"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ถามโดย"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("ถามเมื่อ"), default=timezone.now)
    answer = models.TextField(_("คำชี้แจง"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ชี้แจงโดย"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("ชี้แจงเมื่อ"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry", "asked_at"]
        verbose_name = _("คำถามขอคำชี้แจง")
        verbose_name_plural = _("คำถามขอคำชี้แจง")
        constraints = [
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True) | ~Q(answer=""),
                name="answered_clarification_has_answer",
            ),
        ]

    def __str__(self):
        return f"{self.entry.reference}: {self.question[:60]}"


class Feedback(models.Model):
    """What an entry's agency is told about its entry once the cycle is announced: strengths
    and areas for improvement per criterion, drafted from the assessors' comments and edited by
    staff or the panel chair (awards/feedback.py). It names no assessor and holds no score."""

    entry = models.OneToOneField(
        Entry, verbose_name=_("ผลงาน"), on_delete=models.PROTECT, related_name="feedback"
    )
    released_at = models.DateTimeField(_("เผยแพร่ให้หน่วยงานเมื่อ"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("เผยแพร่โดย"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["entry"]
        verbose_name = _("ข้อเสนอแนะถึงหน่วยงาน")
        verbose_name_plural = _("ข้อเสนอแนะถึงหน่วยงาน")

    def __str__(self):
        return str(self.entry)


class FeedbackPoint(models.Model):
    """One criterion of a feedback report: what was strong, what could be better."""

    feedback = models.ForeignKey(
        Feedback, verbose_name=_("ข้อเสนอแนะ"), on_delete=models.CASCADE, related_name="points"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("เกณฑ์"), on_delete=models.PROTECT, related_name="+"
    )
    strengths = models.TextField(_("จุดแข็ง"), blank=True)
    improvements = models.TextField(_("โอกาสในการปรับปรุง"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["feedback", "criterion__round", "criterion__order"]
        verbose_name = _("ข้อเสนอแนะรายเกณฑ์")
        verbose_name_plural = _("ข้อเสนอแนะรายเกณฑ์")
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "criterion"], name="feedback_point_once_per_criterion"
            )
        ]

    def __str__(self):
        return str(self.criterion)


# --- Site-visit evidence --------------------------------------------------------------------------


class SiteVisitChecklistItem(models.Model):
    """What a panel checks on site: data per cycle (every category) or per category."""

    cycle = models.ForeignKey(
        Cycle, verbose_name=_("ปีรางวัล"), on_delete=models.CASCADE, related_name="visit_checks"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("ประเภทรางวัล"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="visit_checks",
        help_text=_("เว้นว่างไว้เพื่อใช้กับทุกประเภทรางวัลของปีรางวัลนี้"),
    )
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)
    text_th = models.CharField(_("รายการตรวจ (ภาษาไทย)"), max_length=300)
    text_en = models.CharField(_("รายการตรวจ (ภาษาอังกฤษ)"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["cycle", "category", "order", "pk"]
        verbose_name = _("รายการตรวจในการลงพื้นที่")
        verbose_name_plural = _("รายการตรวจในการลงพื้นที่")

    def __str__(self):
        return in_reader_language(self.text_th, self.text_en)

    def clean(self):
        if self.category_id and self.cycle_id and self.category.cycle_id != self.cycle_id:
            raise ValidationError({"category": gettext("ประเภทรางวัลนี้ไม่อยู่ในปีรางวัลที่เลือก")})


class SiteVisitCheck(models.Model):
    """One checklist item ticked (or not) on one visit, with what the panel saw."""

    visit = models.ForeignKey(
        SiteVisit, verbose_name=_("การลงพื้นที่"), on_delete=models.CASCADE, related_name="checks"
    )
    item = models.ForeignKey(
        SiteVisitChecklistItem,
        verbose_name=_("รายการตรวจ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    done = models.BooleanField(_("ตรวจแล้ว"), default=False)
    note = models.CharField(_("สิ่งที่พบ"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "item__order", "item__pk"]
        verbose_name = _("ผลการตรวจตามรายการ")
        verbose_name_plural = _("ผลการตรวจตามรายการ")
        constraints = [
            models.UniqueConstraint(fields=["visit", "item"], name="visit_check_once_per_item")
        ]

    def __str__(self):
        return str(self.item)


def visit_evidence_path(instance, filename):
    # Never the uploader's file name: a generated one, grouped by the visited entry.
    return f"site-visits/{instance.visit.entry.public_id}/{uuid.uuid4().hex}"


class SiteVisitEvidence(StoredFile):
    """A photo or file the panel recorded on a visit: private, seen by the panel and staff."""

    visit = models.ForeignKey(
        SiteVisit, verbose_name=_("การลงพื้นที่"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("ไฟล์"), upload_to=visit_evidence_path, storage=private_storage)
    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "uploaded_at"]
        verbose_name = _("หลักฐานจากการลงพื้นที่")
        verbose_name_plural = _("หลักฐานจากการลงพื้นที่")
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="visit_evidence_not_empty")
        ]

    def __str__(self):
        return self.original_name


# --- Letters ------------------------------------------------------------------------------------


class Letter(models.Model):
    """A letter staff write to a selection of entries' agencies (awards/letters.py): composed,
    previewed per recipient, then sent through the outbox, once per recipient."""

    title = models.CharField(_("ชื่อจดหมาย (สำหรับเจ้าหน้าที่)"), max_length=200)
    cycle = models.ForeignKey(
        Cycle, verbose_name=_("ปีรางวัล"), on_delete=models.PROTECT, related_name="letters"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("ประเภทรางวัล"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="letters",
        help_text=_("เว้นว่างไว้เพื่อส่งถึงทุกประเภทรางวัลของปีรางวัล"),
    )
    state = models.CharField(
        _("สถานะของผลงาน"),
        max_length=20,
        choices=EntryState.choices,
        blank=True,
        help_text=_("เว้นว่างไว้เพื่อส่งถึงผลงานทุกสถานะ ยกเว้นฉบับร่างและที่ถอนใบสมัครแล้ว"),
    )
    subject = models.CharField(_("เรื่อง"), max_length=300)
    body = models.TextField(_("ข้อความ"))
    subject_en = models.CharField(
        _("เรื่อง (ภาษาอังกฤษ)"),
        max_length=300,
        blank=True,
        help_text=_("ผู้รับที่ใช้ภาษาอังกฤษได้รับฉบับภาษาอังกฤษเมื่อกรอกไว้ มิฉะนั้นได้รับฉบับภาษาไทย"),
    )
    body_en = models.TextField(_("ข้อความ (ภาษาอังกฤษ)"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("สร้างโดย"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    sent_at = models.DateTimeField(_("ส่งเมื่อ"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("จดหมายถึงหน่วยงาน")
        verbose_name_plural = _("จดหมายถึงหน่วยงาน")

    def __str__(self):
        return self.title
