"""Public knowledge: model projects (ต้นแบบ) and their lessons learned (ถอดบทเรียน)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from awards import levels
from awards.models import Branch, Category, Entry
from portal.agencies.models import SDG, Agency, Province
from portal.language import BilingualName
from portal.thai import to_be_year

from .slugs import validate_thai_slug


class Topic(BilingualName, models.Model):
    """A subject tag (ป่าไม้, สาธารณสุข, ดิจิทัล …) used as a facet."""

    slug = models.SlugField(_("รหัส"), max_length=80, unique=True, allow_unicode=True)
    name_th = models.CharField(_("ชื่อภาษาไทย"), max_length=120, unique=True)
    name_en = models.CharField(_("ชื่อภาษาอังกฤษ"), max_length=120, blank=True)

    class Meta:
        ordering = ["name_th"]
        verbose_name = _("หัวข้อ")
        verbose_name_plural = _("หัวข้อ")

    def __str__(self):
        return self.display_name


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class CaseStudy(models.Model):
    """The public page of an awarded work: a model project (ต้นแบบ)."""

    slug = models.CharField(
        _("ชื่อใน URL"), max_length=200, unique=True, validators=[validate_thai_slug]
    )
    title = models.CharField(_("ชื่อผลงาน"), max_length=300)
    summary = models.TextField(_("สรุปย่อ"))
    problem = models.TextField(_("สภาพปัญหา"), blank=True)
    approach = models.TextField(_("สิ่งที่ทำ"), blank=True)
    results = models.TextField(_("ผลลัพธ์"), blank=True)
    body = models.TextField(
        _("เนื้อหาเพิ่มเติม"), blank=True, help_text=_("เรื่องเล่าฉบับเต็ม เช่น ข้อความที่นำเข้า")
    )
    entry = models.OneToOneField(
        Entry,
        verbose_name=_("ผลงานที่สมัคร"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_study",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("หน่วยงาน"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="case_studies",
    )
    provinces = models.ManyToManyField(
        Province, verbose_name=_("จังหวัด"), blank=True, related_name="case_studies"
    )
    year_be = models.PositiveSmallIntegerField(_("ปีที่ได้รับรางวัล (พ.ศ.)"), db_index=True)
    branch = models.ForeignKey(
        Branch, verbose_name=_("สาขา"), null=True, blank=True, on_delete=models.PROTECT
    )
    category = models.ForeignKey(
        Category, verbose_name=_("ประเภท"), null=True, blank=True, on_delete=models.PROTECT
    )
    # An award level's code (awards.AwardLevel.code): named and ranked by awards/levels.py.
    award_level = models.CharField(_("ระดับรางวัล"), max_length=30, blank=True)
    topics = models.ManyToManyField(
        Topic, verbose_name=_("หัวข้อ"), blank=True, related_name="case_studies"
    )
    sdgs = models.ManyToManyField(
        SDG, verbose_name=_("SDGs"), blank=True, related_name="case_studies"
    )
    source_url = models.URLField(_("แหล่งที่มา"), max_length=500, blank=True)
    external_id = models.CharField(
        _("รหัสภายนอก"), max_length=200, unique=True, null=True, blank=True
    )
    is_published = models.BooleanField(_("เผยแพร่"), default=False, db_index=True)
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"), null=True, blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["-year_be", "title"]
        verbose_name = _("ผลงานต้นแบบ")
        verbose_name_plural = _("ผลงานต้นแบบ")
        constraints = [
            models.CheckConstraint(
                condition=Q(year_be__gte=2540, year_be__lte=2700), name="case_year_is_buddhist_era"
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="published_case_has_date",
            ),
        ]
        # The public list's sort orders (cases/listing.py SORTS) walked in order: a page of a
        # common word's matches by title or year stops after the page instead of sorting
        # every match.
        indexes = [
            models.Index(fields=["title", "id"], name="case_published_title",
                         condition=Q(is_published=True)),
            models.Index(fields=["year_be", "published_at", "id"], name="case_published_year",
                         condition=Q(is_published=True)),
        ]  # fmt: skip

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cases:case_detail", kwargs={"slug": self.slug})

    @property
    def award_level_label(self) -> str:
        """The award level as that year's branch named it, in the reader's language."""
        branch = self.branch.code if self.branch_id else None
        return levels.label(self.award_level, self.year_be, branch)


def public_media_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"cases/{uuid.uuid4().hex}.{ext}"


class CasePhoto(models.Model):
    case_study = models.ForeignKey(
        CaseStudy, verbose_name=_("ผลงานต้นแบบ"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("ภาพ"), upload_to=public_media_path)
    caption = models.CharField(_("คำบรรยายภาพ"), max_length=300)
    order = models.PositiveSmallIntegerField(_("ลำดับ"), default=0)

    class Meta:
        ordering = ["case_study", "order", "id"]
        verbose_name = _("ภาพประกอบ")
        verbose_name_plural = _("ภาพประกอบ")

    def __str__(self):
        return self.caption


class CaseDocument(models.Model):
    case_study = models.ForeignKey(
        CaseStudy, verbose_name=_("ผลงานต้นแบบ"), on_delete=models.CASCADE, related_name="documents"
    )
    file = models.FileField(_("ไฟล์"), upload_to=public_media_path)
    title = models.CharField(_("ชื่อเอกสาร"), max_length=300)

    class Meta:
        ordering = ["case_study", "title"]
        verbose_name = _("เอกสารเผยแพร่")
        verbose_name_plural = _("เอกสารเผยแพร่")

    def __str__(self):
        return self.title


class Lesson(models.Model):
    """A lessons-learned record (ถอดบทเรียน) of a model project."""

    case_study = models.ForeignKey(
        CaseStudy, verbose_name=_("ผลงานต้นแบบ"), on_delete=models.PROTECT, related_name="lessons"
    )
    slug = models.CharField(
        _("ชื่อใน URL"), max_length=200, unique=True, validators=[validate_thai_slug]
    )
    title = models.CharField(_("ชื่อบทเรียน"), max_length=300)
    background = models.TextField(_("ความเป็นมา"))
    key_process = models.TextField(_("กระบวนการสำคัญ"))
    success_factors = models.TextField(_("ปัจจัยความสำเร็จ"))
    obstacles = models.TextField(_("อุปสรรคและวิธีแก้ไข"), blank=True)
    indicators = models.TextField(_("ตัวชี้วัดและผลลัพธ์"), blank=True)
    replication = models.TextField(_("แนวทางการขยายผล"), blank=True)
    spread_to = models.TextField(_("พื้นที่/หน่วยงานที่นำไปขยายผลแล้ว"), blank=True)
    contact = models.TextField(_("ติดต่อสอบถาม"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้เขียน"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_published = models.BooleanField(_("เผยแพร่"), default=False, db_index=True)
    published_at = models.DateTimeField(_("เผยแพร่เมื่อ"), null=True, blank=True)
    created_at = models.DateTimeField(_("สร้างเมื่อ"), auto_now_add=True)
    updated_at = models.DateTimeField(_("แก้ไขล่าสุด"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = PublishedQuerySet.as_manager()

    class Meta:
        ordering = ["case_study", "title"]
        verbose_name = _("บทเรียน (ถอดบทเรียน)")
        verbose_name_plural = _("บทเรียน (ถอดบทเรียน)")
        # The lessons list, newest first, walks this and stops after its page (issue 20).
        indexes = [
            models.Index(
                fields=["published_at", "id"],
                condition=Q(is_published=True),
                name="lesson_published_order",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="published_lesson_has_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("cases:lesson_detail", kwargs={"slug": self.slug})


class SearchDocument(models.Model):
    """One row of the search index: a published case study or lesson as segmented Thai words,
    or (a private kind) a submitted entry, for similar past work beside an entry
    (cases/similar.py). Every search names its kind: the public ones never read ENTRY rows.

    The *_terms columns hold space-separated, normalised words (made by cases/search/indexing.py).
    The database engine indexes them: on PostgreSQL, generated `tsvector` columns with GIN
    indexes; on SQLite, an FTS5 table kept in step by triggers (see migration 0003)."""

    class Kind(models.TextChoices):
        CASE = "case", _("ผลงานต้นแบบ")
        LESSON = "lesson", _("บทเรียน")
        # Private: read only by cases/similar.py for those awards/permissions.py lets see it.
        ENTRY = "entry", _("ผลงานที่เคยสมัคร")

    kind = models.CharField(_("ประเภท"), max_length=6, choices=Kind.choices)
    case_study = models.ForeignKey(
        CaseStudy,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("ผลงานต้นแบบ"),
    )
    lesson = models.OneToOneField(
        Lesson, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Indexed through the partial unique constraint below (entry rows only), not a full index
    # of a column NULL in every public row.
    entry = models.ForeignKey(
        Entry,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=_("ผลงานที่สมัคร"),
    )
    title_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    # The sub-word layer (issue 13): the same fields as normalised text, unsegmented (lower-case
    # Latin, Arabic digits, Thai abbreviations without dots, one space for any punctuation), so
    # that a word written in a document is found whatever the segmenter made of it: SQLite FTS5
    # `trigram` table, PostgreSQL character trigram lexemes with positions (migration 0008).
    title_chars = models.TextField(blank=True)
    summary_chars = models.TextField(blank=True)
    body_chars = models.TextField(blank=True)
    # Rows written by an older indexer (before the sub-word layer) are re-indexed by the repair.
    version = models.PositiveSmallIntegerField(default=0)
    # Tie-breaker among equally relevant hits: award level first, then the most recent year.
    boost = models.IntegerField(default=0)
    # The case study's facet values ("year:2566", "province:TH-50"; cases/facets.py), so that
    # facet counts read the matching rows only, not the case studies' many-to-many tables.
    facet_keys = models.JSONField(default=list, blank=True)
    source_updated_at = models.DateTimeField(_("เอกสารแก้ไขเมื่อ"))
    indexed_at = models.DateTimeField(_("ทำดัชนีเมื่อ"), auto_now=True)

    class Meta:
        verbose_name = _("ดัชนีค้นหา")
        verbose_name_plural = _("ดัชนีค้นหา")
        constraints = [
            models.UniqueConstraint(
                fields=["case_study"],
                condition=Q(kind="case"),
                name="search_one_row_per_case",
            ),
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(entry__isnull=False),
                name="search_one_row_per_entry",
            ),
            models.CheckConstraint(
                condition=Q(kind="case", case_study__isnull=False, lesson__isnull=True,
                            entry__isnull=True)
                | Q(kind="lesson", case_study__isnull=False, lesson__isnull=False,
                    entry__isnull=True)
                | Q(kind="entry", case_study__isnull=True, lesson__isnull=True,
                    entry__isnull=False),
                name="search_kind_matches_object",
            ),
        ]  # fmt: skip
        indexes = [models.Index(fields=["kind", "-boost", "id"], name="search_kind_boost")]

    def __str__(self):
        return f"{self.kind}:{self.lesson_id or self.case_study_id or self.entry_id}"


class FacetCount(models.Model):
    """How many index rows of a kind carry each facet key, over all of them: the facet panel of
    a list with nothing searched or chosen (the landing page of model projects and lessons).
    Counting it from the index reads every row (0.5 s at 100,000 cases), so the worker keeps
    this summary after the index changes (cases/facet_summary.py). The row with an empty key
    holds the number of rows of the kind."""

    kind = models.CharField(max_length=6)  # a public kind of SearchDocument: case or lesson
    key = models.CharField(max_length=120, blank=True)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="facet_count_one_per_key")
        ]

    def __str__(self):
        return f"{self.kind}:{self.key}={self.count}"


class ThesaurusGroup(models.Model):
    """Words a search treats as the same (each query word also searches its equivalents):
    abbreviations and their full forms, transliterations, short names, synonyms, spellings.
    Agencies (abbreviation ↔ Thai name) and provinces (Thai ↔ English) need no group: the
    search reads them from their own tables (cases/search/thesaurus.py)."""

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("คำย่อและชื่อเต็ม")
        TRANSLITERATION = "transliteration", _("คำทับศัพท์และคำภาษาอังกฤษ")
        SHORT_NAME = "short_name", _("ชื่อสั้นของสถานที่หรือหน่วยงาน")
        SYNONYM = "synonym", _("คำพ้องความหมาย")
        VARIANT = "variant", _("การสะกดแบบอื่น")

    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)
    terms = models.TextField(
        _("คำที่ค้นแทนกันได้"), help_text=_("อย่างน้อยสองคำ คั่นด้วยเครื่องหมาย | เช่น กทม.|กรุงเทพมหานคร")
    )
    updated_at = models.DateTimeField(_("แก้ไขเมื่อ"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("กลุ่มคำค้นที่เกี่ยวข้อง")
        verbose_name_plural = _("อรรถาภิธานการค้นหา")
        ordering = ["kind", "terms"]

    def __str__(self):
        return self.terms

    def term_list(self) -> list[str]:
        return [t.strip() for t in self.terms.replace("\n", "|").split("|") if t.strip()]

    def clean(self):
        if len(set(self.term_list())) < 2:
            raise ValidationError({"terms": _("ใส่คำอย่างน้อยสองคำ คั่นด้วยเครื่องหมาย |")})
        self.terms = "|".join(dict.fromkeys(self.term_list()))


class SearchWord(models.Model):
    """The index's own vocabulary: whole words (in the dictionary, or Latin words) seen in
    indexed documents, for "did you mean" (cases/search/suggestions.py). Looked up by first
    character and length, so a suggestion reads a bounded number of rows."""

    word = models.CharField(max_length=60, unique=True)
    first = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["first", "length"], name="search_word_first_length")]

    def __str__(self):
        return self.word


class Adoption(models.Model):
    """An agency took up a model project in its own work (ขยายผล): where and when. Recorded by
    an official of the adopting agency on the public site (cases/spread.py), or by staff in
    the admin."""

    case_study = models.ForeignKey(
        CaseStudy,
        verbose_name=_("ผลงานต้นแบบที่นำไปขยายผล"),
        on_delete=models.CASCADE,
        related_name="adoptions",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("หน่วยงานที่นำไปขยายผล"),
        on_delete=models.PROTECT,
        related_name="adoptions",
    )
    year_be = models.PositiveSmallIntegerField(_("ปีที่เริ่มนำไปใช้ (พ.ศ.)"))
    province = models.ForeignKey(
        Province, verbose_name=_("จังหวัด"), on_delete=models.PROTECT, related_name="adoptions"
    )
    note = models.CharField(
        _("สรุปสั้น ๆ"),
        max_length=500,
        blank=True,
        help_text=_("นำไปใช้อย่างไร ปรับอะไร ได้ผลอย่างไร"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ผู้บันทึก"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("บันทึกเมื่อ"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["year_be", "province__name_th", "pk"]
        verbose_name = _("การนำไปขยายผล")
        verbose_name_plural = _("การนำไปขยายผล")
        constraints = [
            models.UniqueConstraint(
                fields=["case_study", "agency", "province"],
                name="adoption_once_per_place",
                violation_error_message=_("หน่วยงานนี้บันทึกการนำผลงานนี้ไปขยายผลในจังหวัดนี้ไว้แล้ว"),
            ),
            models.CheckConstraint(
                condition=Q(year_be__gte=2540, year_be__lte=2700),
                name="adoption_year_is_buddhist_era",
            ),
        ]

    def __str__(self):
        return f"{self.case_study} → {self.agency} ({self.province}, {self.year_be})"

    def clean(self):
        """The rules every door obeys (the public form through cases/spread.py, the admin)."""
        errors = {}
        this_year = to_be_year(timezone.localdate().year)
        if self.year_be is not None and not 2540 <= self.year_be <= this_year:
            errors["year_be"] = _("ปี พ.ศ. ต้องอยู่ระหว่าง 2540 ถึง %(year)s") % {"year": this_year}
        if self.case_study_id and self.agency_id and self.case_study.agency_id == self.agency_id:
            errors["agency"] = _("หน่วยงานเจ้าของผลงานต้นแบบไม่ต้องบันทึกการขยายผลของผลงานตนเอง")
        if errors:
            raise ValidationError(errors)
