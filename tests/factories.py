"""factory_boy factories for every model tests need; reference data (provinces, SDGs)
comes from the migrations."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from awards import entry_forms, levels
from awards.models import (
    AssessmentRound,
    Assignment,
    Branch,
    Category,
    ConflictDeclaration,
    Criterion,
    Cycle,
    Entry,
    Panel,
    PanelMember,
    Score,
    ScoreSheet,
)
from cases.models import CaseStudy, Lesson, Topic
from portal.accounts.models import Role, User
from portal.agencies.models import Agency, AgencyKind, Province

PASSWORD = "test-password-2569"
# The project form's text answers (what the fixed form's columns held); SDGs and a file are
# added by tests.awards.entry_helpers.complete.
PROJECT_ANSWERS = {
    "summary": "สรุปผลงาน",
    "problem": "สภาพปัญหา",
    "solution": "การดำเนินการ",
    "results": "ผลลัพธ์",
    "indicators": "ตัวชี้วัด",
    "partners": "ภาคีเครือข่าย",
    "contact_name": "ผู้ประสานงาน",
    "contact_email": "contact@example.go.th",
    "contact_phone": "0 2000 0000",
}
PROJECT_CODES = {*PROJECT_ANSWERS, "contact_position", "started_on", "sdgs"}


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name_th = factory.Sequence(lambda n: f"กรมทดสอบที่ {n}")
    name_en = factory.Sequence(lambda n: f"Test Department {n}")
    abbreviation = factory.Sequence(lambda n: f"ทด.{n}")
    kind = AgencyKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.go.th")
    first_name = "สมหญิง"
    last_name = "ทดสอบ"
    role = Role.OFFICIAL
    agency = factory.SubFactory(AgencyFactory)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AssessorFactory(UserFactory):
    role = Role.ASSESSOR
    is_staff = True


class StaffFactory(UserFactory):
    role = Role.STAFF
    is_staff = True


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Branch
        django_get_or_create = ["code"]

    code = "service"
    name_th = "สาขาบริการภาครัฐ"
    name_en = "Public Service"


class CycleFactory(factory.django.DjangoModelFactory):
    """A cycle open for entries now (opened 10 days ago, closes in 30 days)."""

    class Meta:
        model = Cycle
        django_get_or_create = ["year_be"]
        skip_postgeneration_save = True

    year_be = 2570
    applications_open_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=10)
    )
    applications_close_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=30)
    )

    @factory.post_generation
    def award_levels(obj, create, extracted, **kwargs):
        # Every cycle starts with the standard levels, as one added in the admin does.
        if create:
            levels.add_levels(obj)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    cycle = factory.SubFactory(CycleFactory)
    branch = factory.SubFactory(BranchFactory)
    code = factory.Sequence(lambda n: f"category-{n}")
    name_th = factory.Sequence(lambda n: f"นวัตกรรมการบริการ {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    category = factory.SubFactory(CategoryFactory)
    round = AssessmentRound.SCREENING
    order = factory.Sequence(lambda n: n + 1)
    title_th = factory.Sequence(lambda n: f"เกณฑ์ที่ {n}")
    weight = Decimal("25")
    max_score = Decimal("10")


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    category = factory.SubFactory(CategoryFactory)
    agency = factory.SubFactory(AgencyFactory)
    created_by = factory.SubFactory(UserFactory, agency=factory.SelfAttribute("..agency"))
    title = factory.Sequence(lambda n: f"ผลงานทดสอบที่ {n}")
    # The category's form (the shipped project form unless the test set up another).
    form = factory.LazyAttribute(lambda entry: entry_forms.form_for_new_entry(entry.category))
    answers = factory.LazyFunction(lambda: dict(PROJECT_ANSWERS))

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        """EntryFactory(summary="…") sets that answer ("" removes it), as the columns did."""
        answers = dict(kwargs.get("answers") or {})
        for code in PROJECT_CODES & set(kwargs):
            value = kwargs.pop(code)
            if value in ("", None, []):
                answers.pop(code, None)
            else:
                answers[code] = value
        kwargs["answers"] = answers
        return kwargs


class PanelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Panel

    cycle = factory.SubFactory(CycleFactory)
    name = factory.Sequence(lambda n: f"คณะที่ {n}")
    chair = factory.SubFactory(AssessorFactory)


class PanelMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PanelMember

    panel = factory.SubFactory(PanelFactory)
    assessor = factory.SubFactory(AssessorFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    entry = factory.SubFactory(EntryFactory)
    assessor = factory.SubFactory(AssessorFactory)
    round = AssessmentRound.SCREENING


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreSheet

    assignment = factory.SubFactory(AssignmentFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    sheet = factory.SubFactory(ScoreSheetFactory)
    criterion = factory.SubFactory(
        CriterionFactory, category=factory.SelfAttribute("..sheet.assignment.entry.category")
    )
    value = Decimal("5")


class ConflictDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictDeclaration

    assessor = factory.SubFactory(AssessorFactory)
    agency = factory.SubFactory(AgencyFactory)
    reason = "เคยเป็นที่ปรึกษาโครงการ"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name_th = factory.Sequence(lambda n: f"หัวข้อ {n}")


class CaseStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStudy
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"case-{n}")
    title = factory.Sequence(lambda n: f"ผลงานต้นแบบที่ {n}")
    summary = "สรุปผลงานต้นแบบ"
    year_be = 2567
    agency = factory.SubFactory(AgencyFactory)
    is_published = True
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def provinces(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.provinces.set(extracted)


class LessonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lesson

    case_study = factory.SubFactory(CaseStudyFactory)
    slug = factory.Sequence(lambda n: f"lesson-{n}")
    title = factory.Sequence(lambda n: f"บทเรียนที่ {n}")
    background = "ความเป็นมา"
    key_process = "กระบวนการสำคัญ"
    success_factors = "ปัจจัยความสำเร็จ"
    is_published = True
    published_at = factory.LazyFunction(timezone.now)


def province(code: str = "TH-10") -> Province:
    return Province.objects.get(code=code)


class ScreeningEntryFactory(EntryFactory):
    """An entry under document screening: submitted, with a reference number."""

    state = "screening"
    reference = factory.Sequence(lambda n: f"LR-2570-9{n:05d}")
    submitted_at = factory.LazyFunction(timezone.now)


class AdminAssessorFactory(AssessorFactory):
    """An assessor who can sign in to the admin: a member of the "ผู้ตรวจประเมิน" group."""

    @factory.post_generation
    def admin_group(obj, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group

            obj.groups.add(Group.objects.get(name="ผู้ตรวจประเมิน"))


class AdminStaffFactory(StaffFactory):
    """Secretariat staff with the model permissions of the portal's apps (as the demo's)."""

    @factory.post_generation
    def admin_group(obj, create, extracted, **kwargs):
        if create:
            from django.contrib.auth.models import Group, Permission

            group, _ = Group.objects.get_or_create(name="เจ้าหน้าที่ สำนักงาน ก.พ.ร.")
            group.permissions.set(
                Permission.objects.filter(content_type__app_label__in=["awards", "cases", "portal"])
            )
            obj.groups.add(group)
