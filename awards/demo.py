"""Demo award cycles: branches, categories with rubrics, and entries in every state.

Three cycles, with dates relative to today so the demo always makes sense:
2567 closed with published results; the previous fiscal year's cycle under assessment;
the current fiscal year's cycle open for entries. Idempotent."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User
from portal.agencies.models import Agency
from portal.thai import fiscal_year_be

from . import entry_forms, levels
from .models import (
    AssessmentRound,
    Assignment,
    Branch,
    Category,
    Criterion,
    CriterionLevel,
    Cycle,
    EligibilityQuestion,
    EligibilityRule,
    Entry,
    EntryState,
    Panel,
    PanelMember,
    Result,
    RoundDueDate,
    Score,
    ScoreSheet,
    SiteVisit,
)
from .submission import change_state, mark_submitted

BRANCHES = [
    ("service", "สาขาบริการภาครัฐ", "Public Service Award", 1),
    ("pmqa", "สาขาคุณภาพการบริหารจัดการภาครัฐ", "Public Sector Management Quality Award", 2),
    ("participation", "สาขาการบริหารราชการแบบมีส่วนร่วม", "Participatory Governance Award", 3),
]

# (branch, code, Thai name, English name)
CATEGORIES = [
    ("service", "service-innovation", "นวัตกรรมการบริการ", "Service innovation"),
    ("service", "service-scaling", "ขยายผลมาตรฐานการบริการ", "Scaling up service standards"),
    ("service", "service-development", "การพัฒนาการบริการ", "Service development"),
    ("pmqa", "pmqa-40", "PMQA 4.0", "PMQA 4.0"),
    ("pmqa", "pmqa-by-category", "คุณภาพการบริหารจัดการภาครัฐ รายหมวด", "PMQA by category"),
    ("participation", "participation-results", "สัมฤทธิผลประชาชนมีส่วนร่วม", "Participation results"),
    ("participation", "participation-promotion", "ส่งเสริมการมีส่วนร่วม", "Promoting participation"),
]

# Rubrics are data: staff change them per cycle in the admin. (title, weight, maximum)
RUBRIC = {
    AssessmentRound.SCREENING: [
        ("ความสำคัญและสภาพปัญหา", "20", "10"),
        ("ความคิดริเริ่มและนวัตกรรม", "30", "10"),
        ("การดำเนินการและการมีส่วนร่วมของภาคี", "20", "10"),
        ("ผลลัพธ์และความคุ้มค่า", "20", "10"),
        ("ความยั่งยืนและการขยายผล", "10", "10"),
    ],
    AssessmentRound.SITE_VISIT: [
        ("ความสอดคล้องของข้อมูลกับการปฏิบัติจริง", "40", "10"),
        ("ผลลัพธ์ที่ผู้รับบริการได้รับ", "40", "10"),
        ("ความพร้อมในการเป็นต้นแบบ", "20", "10"),
    ],
}


# What each score of a 10-point criterion means, shown on the score sheet:
# (score, Thai label, English label, description)
SCORE_LEVELS = [
    ("2", "ยังไม่ชัดเจน", "Unclear", "มีเพียงแนวคิดหรือกิจกรรมเริ่มต้น ยังไม่มีหลักฐานของผลลัพธ์"),
    ("4", "เริ่มมีแนวทาง", "Emerging", "มีแนวทางชัดเจนแต่ดำเนินการเพียงบางส่วน หลักฐานยังไม่ครบ"),
    ("6", "ดำเนินการอย่างเป็นระบบ", "Systematic",
     "ดำเนินการตามแนวทางทั่วทั้งผลงาน มีข้อมูลติดตามผลอย่างสม่ำเสมอ"),
    ("8", "ผลลัพธ์ชัดเจน", "Effective", "ผลลัพธ์วัดได้และดีขึ้นต่อเนื่อง ผู้รับบริการยืนยันประโยชน์ที่ได้รับ"),
    ("10", "เป็นต้นแบบได้", "Role model", "ผลลัพธ์โดดเด่น และหน่วยงานอื่นนำไปขยายผลแล้ว"),
]  # fmt: skip

# Asked before an entry is started in a category of the open cycle: (Thai question, eligible
# answer, Thai reason when refused). Every category; PMQA 4.0 has one more.
ELIGIBILITY = [
    ("ผลงานนี้ดำเนินการมาแล้วไม่น้อยกว่า 1 ปี และมีผลลัพธ์ที่วัดได้", True,
     "ผลงานต้องดำเนินการมาแล้วไม่น้อยกว่า 1 ปีและมีผลลัพธ์ที่วัดได้ จึงจะสมัครประเภทนี้ได้"),
]  # fmt: skip
PMQA_ELIGIBILITY = [
    ("หน่วยงานจัดทำรายงานผลการดำเนินการตามเกณฑ์ PMQA 4.0 ครบทั้ง 7 หมวดแล้ว", True,
     "การสมัครรางวัล PMQA 4.0 ต้องมีรายงานผลการดำเนินการครบทั้ง 7 หมวด"),
]  # fmt: skip
REPEAT_WIN_YEARS = 3  # an agency that won a category waits this many years to enter it again


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def cycle_dates(year_be: int, today: datetime.date, phase: str) -> dict:
    """Milestones of a cycle in a given phase, relative to today for the live ones."""
    if phase == "open":
        opens = today - datetime.timedelta(days=30)
    elif phase == "assessment":
        opens = today - datetime.timedelta(days=150)
    else:  # a real past cycle: B.E. year → its calendar
        opens = datetime.date(year_be - 543 - 1, 12, 1)
    closes = opens + datetime.timedelta(days=90)
    return {
        "briefing_on": opens - datetime.timedelta(days=14),
        "applications_open_at": _at(opens),
        "applications_close_at": _at(closes, 16),
        "screening_starts_on": closes + datetime.timedelta(days=7),
        "site_visits_start_on": closes + datetime.timedelta(days=60),
        "site_visits_end_on": closes + datetime.timedelta(days=120),
        "decision_on": closes + datetime.timedelta(days=150),
        "announcement_on": closes + datetime.timedelta(days=165),
        "ceremony_on": closes + datetime.timedelta(days=200),
    }


@transaction.atomic
def load_award_structure(today: datetime.date | None = None) -> dict[str, Cycle]:
    today = today or timezone.localdate()
    branches = {}
    for code, name_th, name_en, order in BRANCHES:
        branches[code], _ = Branch.objects.update_or_create(
            code=code, defaults={"name_th": name_th, "name_en": name_en, "order": order}
        )
    current = fiscal_year_be(today)
    phases = {"closed": 2567, "assessment": current - 1, "open": current}
    cycles = {}
    for phase, year_be in phases.items():
        dates = cycle_dates(year_be, today, phase)
        if phase == "closed":
            dates["results_published_at"] = _at(dates["announcement_on"])
        cycles[phase], _ = Cycle.objects.update_or_create(
            year_be=year_be,
            defaults={"title": f"รางวัลเลิศรัฐ ประจำปี พ.ศ. {year_be}", **dates},
        )
        for order, (branch, code, name_th, name_en) in enumerate(CATEGORIES):
            category, _ = Category.objects.update_or_create(
                cycle=cycles[phase],
                code=code,
                defaults={
                    "branch": branches[branch],
                    "name_th": name_th,
                    "name_en": name_en,
                    "order": order,
                },
            )
            install_demo_form(category)
            for round_, rows in RUBRIC.items():
                for position, (title, weight, maximum) in enumerate(rows, start=1):
                    criterion, _ = Criterion.objects.update_or_create(
                        category=category,
                        round=round_,
                        order=position,
                        defaults={
                            "title_th": title,
                            "weight": Decimal(weight),
                            "max_score": Decimal(maximum),
                        },
                    )
                    _load_score_levels(criterion)
            if phase == "open":
                _load_eligibility(category)
        _load_award_levels(cycles[phase], branches)
    return cycles


# The shipped entry form each demo category uses (entry_forms.SHIPPED_FORMS); others: project.
DEMO_FORMS = {"pmqa-40": "pmqa40"}


def install_demo_form(category: Category) -> None:
    """Give the category its shipped form unless its newest version already is that form
    (a database migrated from the fixed form has the project form as version 1: PMQA 4.0
    becomes version 2, and the entries made before keep version 1)."""
    data = entry_forms.shipped(DEMO_FORMS.get(category.code, entry_forms.DEFAULT_FORM))
    current = entry_forms.current_form(category)
    if current is None or current.name != data["name"]:
        entry_forms.form_from_data(category, data)


def _load_award_levels(cycle: Cycle, branches: dict[str, Branch]) -> None:
    """ดีเด่น/ดี for the project branches, PMQA 4.0's maturity levels for PMQA, the honour award
    and "not awarded" for all. A cycle that already has levels (a database migrated from the
    fixed levels: all four for every branch) only gets the PMQA ones added."""
    if not cycle.award_levels.exists():
        standard = {row[0]: row for row in levels.STANDARD_LEVELS}
        levels.add_levels(cycle, [standard["honour"], standard["not_awarded"]])
        for code in ("service", "participation"):
            levels.add_levels(cycle, [standard["outstanding"], standard["good"]], branches[code])
    levels.add_levels(cycle, levels.PMQA_LEVELS, branches["pmqa"])


def _load_score_levels(criterion: Criterion) -> None:
    if criterion.max_score != Decimal("10"):
        return
    for score, label_th, label_en, description in SCORE_LEVELS:
        CriterionLevel.objects.get_or_create(
            criterion=criterion,
            score=Decimal(score),
            defaults={"label_th": label_th, "label_en": label_en, "description": description},
        )


def _load_eligibility(category: Category) -> None:
    questions = ELIGIBILITY + (PMQA_ELIGIBILITY if category.code == "pmqa-40" else [])
    for order, (text, eligible, refusal) in enumerate(questions, start=1):
        EligibilityQuestion.objects.get_or_create(
            category=category,
            text_th=text,
            defaults={"order": order, "eligible_answer": eligible, "refusal_th": refusal},
        )
    EligibilityRule.objects.get_or_create(category=category, defaults={"years": REPEAT_WIN_YEARS})


def _winning_level(entry: Entry) -> str:
    return "pmqa_advance" if entry.category.branch.code == "pmqa" else "outstanding"


# (cycle phase, category code, agency, creator, title, final state)
DEMO_ENTRIES = [
    ("open", "service-innovation", "สวพส.", "official",
     "ระบบติดตามแปลงเกษตรบนพื้นที่สูงด้วยภาพถ่ายดาวเทียม", EntryState.DRAFT),
    ("open", "participation-results", "พช.", "official2",
     "ชุมชนร่วมออกแบบแผนพัฒนาหมู่บ้านด้วยข้อมูล One Plan One Data", EntryState.DRAFT),
    ("open", "pmqa-40", "สวพส.", "official",
     "การยกระดับองค์กรสู่ PMQA 4.0 ด้วยการจัดการความรู้", EntryState.SUBMITTED),
    ("open", "service-scaling", "พช.", "official2",
     "ขยายผลศูนย์บริการชุมชนแบบเบ็ดเสร็จสู่ทุกอำเภอ", EntryState.WITHDRAWN),
    ("assessment", "service-innovation", "ปค.", None,
     "บำบัดทุกข์ บำรุงสุข แบบบูรณาการระดับอำเภอ", EntryState.SCREENING),
    ("assessment", "service-innovation", "สวพส.", "official",
     "คนอยู่ร่วมกับป่า: ระบบสนับสนุนชุมชนพื้นที่สูง", EntryState.SHORTLISTED),
    ("assessment", "service-innovation", "ทน.ยะลา", None,
     "บริการจดทะเบียนพาณิชย์ออนไลน์ของเทศบาล", EntryState.SITE_VISITED),
    ("assessment", "participation-results", "จ.ร้อยเอ็ด", None,
     "ร้อยเอ็ดร่วมใจอนุรักษ์ป่าชุมชน", EntryState.SCREENING),
    ("closed", "service-innovation", "ศสร.", None,
     "ขาเทียมพิมพ์สามมิติเพื่อผู้พิการในชนบท", EntryState.AWARDED),
    ("closed", "pmqa-40", "พช.", "official2",
     "กรมการพัฒนาชุมชนสู่องค์กรสมรรถนะสูงตามเกณฑ์ PMQA 4.0", EntryState.AWARDED),
    ("closed", "participation-promotion", "อบจ.ขอนแก่น", None,
     "งบประมาณแบบมีส่วนร่วมของประชาชนขอนแก่น", EntryState.NOT_AWARDED),
]  # fmt: skip

PROJECT_ANSWERS = {
    "summary": "ผลงานนี้แก้ปัญหาการเข้าถึงบริการของประชาชนในพื้นที่ด้วยการทำงานร่วมกันของหน่วยงาน"
    "ภาครัฐ ชุมชน และภาคเอกชน จนเกิดผลลัพธ์ที่วัดได้และขยายผลไปยังพื้นที่อื่น",
    "problem": "ก่อนเริ่มโครงการ ประชาชนต้องเดินทางไกลและติดต่อหลายหน่วยงานเพื่อรับบริการเดียวกัน "
    "ข้อมูลของแต่ละหน่วยงานไม่เชื่อมโยงกัน ทำให้การช่วยเหลือล่าช้าและซ้ำซ้อน",
    "solution": "หน่วยงานจัดตั้งทีมบูรณาการ ทบทวนขั้นตอนการให้บริการร่วมกับผู้รับบริการ "
    "ลดขั้นตอนที่ไม่จำเป็น และพัฒนาระบบข้อมูลกลางที่ทุกหน่วยงานใช้ร่วมกัน",
    "results": "ระยะเวลาการให้บริการลดลงจาก 15 วันเหลือ 3 วัน ความพึงพอใจของผู้รับบริการเพิ่มขึ้นเป็น"
    "ร้อยละ 92 และมีหน่วยงานอื่นนำแนวทางไปใช้แล้ว 12 แห่ง",
    "indicators": "ระยะเวลาให้บริการเฉลี่ย (วัน), ร้อยละความพึงพอใจ, จำนวนหน่วยงานที่นำไปขยายผล",
    "partners": "ชุมชนในพื้นที่ องค์กรปกครองส่วนท้องถิ่น สถาบันการศึกษา และภาคเอกชนในจังหวัด",
    "sdgs": ["1", "10", "16", "17"],
}
CONTACT = {
    "contact_name": "ผู้ประสานงานโครงการ",
    "contact_email": "contact@demo.lertrat.go.th",
    "contact_phone": "0 2356 9999",
}
LEVEL = "advance"
PMQA_ANSWERS = {
    "profile-1": "ส่วนราชการระดับกรม มีพันธกิจตามกฎหมายจัดตั้งในการพัฒนาคุณภาพชีวิตของประชาชนในพื้นที่ "
    "บริการหลักให้ผ่านสำนักงานในส่วนภูมิภาค 76 จังหวัดและช่องทางออนไลน์ บุคลากรส่วนใหญ่ปฏิบัติงานในพื้นที่",
    "profile-2": "เปรียบเทียบผลการดำเนินการกับส่วนราชการที่มีพันธกิจใกล้เคียงกัน ความท้าทายสำคัญคือข้อมูล"
    "ที่กระจายอยู่หลายระบบและบุคลากรที่ต้องเรียนรู้ทักษะดิจิทัล ใช้วงจร PDCA ทบทวนผลทุกไตรมาส",
    "profile-staff": "2450",
    "profile-network": True,
    **{f"pmqa-{n}-{i}": f"หมวด {n} ข้อ {n}.{i}: หน่วยงานอธิบายแนวทาง การนำไปปฏิบัติ การเรียนรู้ "
       "และการบูรณาการ พร้อมตัวอย่างผลที่เกิดขึ้นจริงในปีที่ผ่านมา"
       for n in range(1, 7) for i in (1, 2)},
    **{f"pmqa-{n}-level": LEVEL for n in range(1, 7)},
    "pmqa-7-1": [
        {"name": "ร้อยละของตัวชี้วัดตามแผนยุทธศาสตร์ที่บรรลุค่าเป้าหมาย", "unit": "ร้อยละ",
         "baseline": "72", "target": "85", "result": "88"},
    ],
    "pmqa-7-2": [
        {"name": "ความพึงพอใจของผู้รับบริการ", "unit": "ร้อยละ",
         "baseline": "81", "target": "88", "result": "92"},
        {"name": "ข้อร้องเรียนที่แก้ไขเสร็จภายใน 15 วัน", "unit": "ร้อยละ",
         "baseline": "60", "target": "80", "result": "86"},
    ],
    "pmqa-7-3": [
        {"name": "ความผูกพันของบุคลากร", "unit": "ร้อยละ", "baseline": "70", "target": "78",
         "result": "80"},
    ],
    "certified-on": "2025-01-20",
    "publish-consent": True,
}  # fmt: skip
ANSWERS = {"project": PROJECT_ANSWERS, "pmqa40": PMQA_ANSWERS}

# What a full path to each state passes through, after submission.
PATH = {
    EntryState.SUBMITTED: [],
    EntryState.WITHDRAWN: [EntryState.WITHDRAWN],
    EntryState.SCREENING: [EntryState.SCREENING],
    EntryState.SHORTLISTED: [EntryState.SCREENING, EntryState.SHORTLISTED],
    EntryState.SITE_VISITED: [
        EntryState.SCREENING, EntryState.SHORTLISTED, EntryState.SITE_VISITED,
    ],
    EntryState.AWARDED: [
        EntryState.SCREENING, EntryState.SHORTLISTED, EntryState.SITE_VISITED, EntryState.AWARDED,
    ],
    EntryState.NOT_AWARDED: [EntryState.SCREENING, EntryState.NOT_AWARDED],
}  # fmt: skip


@transaction.atomic
def load_entries(cycles: dict[str, Cycle], users: dict[str, User]) -> list[Entry]:
    staff = users["staff"]
    agencies = {a.abbreviation: a for a in Agency.objects.all()}
    entries = []
    for phase, category_code, agency, creator, title, state in DEMO_ENTRIES:
        category = Category.objects.get(cycle=cycles[phase], code=category_code)
        entry = Entry.objects.filter(category=category, title=title).first()
        if entry is None:
            complete = state != EntryState.DRAFT or creator == "official2"
            form = entry_forms.current_form(category)
            answers = ANSWERS[DEMO_FORMS.get(category_code, entry_forms.DEFAULT_FORM)]
            if not complete:
                answers = dict(list(answers.items())[:1])
            entry = Entry.objects.create(
                category=category,
                agency=agencies[agency],
                title=title,
                created_by=users.get(creator) or staff,
                form=form,
                answers={**answers, **CONTACT} if complete else answers,
            )
            if state != EntryState.DRAFT:
                submitted_at = cycles[phase].applications_open_at + datetime.timedelta(days=20)
                entry = mark_submitted(entry, entry.created_by, at=submitted_at)
                # The story keeps the confirmation's promise: screening from its date on.
                steps_at = submitted_at + datetime.timedelta(days=30)
                screening = cycles[phase].screening_starts_on
                if screening:
                    starts = datetime.datetime.combine(screening, datetime.time(9))
                    steps_at = max(steps_at, timezone.make_aware(starts))
                for step in PATH[state]:
                    by = entry.created_by if step == EntryState.WITHDRAWN else staff
                    change_state(entry, step, by, at=steps_at)
        entries.append(entry)
    return entries


@transaction.atomic
def load_assessment(cycles: dict[str, Cycle], users: dict[str, User]) -> None:
    """A panel for the cycle under assessment, screening sheets (one conflict kept out),
    a site visit, and results for the closed cycle."""
    assessor, assessor2, chair, staff = (
        users["assessor"], users["assessor2"], users["chair"], users["staff"],
    )  # fmt: skip
    live = cycles["assessment"]
    # Screening sheets are due a week before the site visits start (the work page shows it).
    if live.site_visits_start_on:
        RoundDueDate.objects.get_or_create(
            cycle=live, category=None, round=AssessmentRound.SCREENING,
            defaults={"due_on": live.site_visits_start_on - datetime.timedelta(days=7)},
        )  # fmt: skip
    for phase in ("assessment", "closed"):
        panel, _ = Panel.objects.get_or_create(
            cycle=cycles[phase], name="คณะผู้ตรวจประเมินสาขาบริการภาครัฐ 1", defaults={"chair": chair}
        )
        for member in (assessor, assessor2, chair):
            PanelMember.objects.get_or_create(panel=panel, assessor=member)
        entries = Entry.objects.filter(category__cycle=cycles[phase]).exclude(
            state__in=[EntryState.DRAFT, EntryState.SUBMITTED, EntryState.WITHDRAWN]
        )
        for index, entry in enumerate(entries.select_related("category", "agency")):
            for member in (assessor, assessor2, chair):
                if member.agency_id == entry.agency_id:
                    continue  # conflict of interest: never assigned to their own agency
                assignment, _ = Assignment.objects.get_or_create(
                    entry=entry,
                    assessor=member,
                    round=AssessmentRound.SCREENING,
                    defaults={"panel": panel, "assigned_by": staff},
                )
                sheet, created = ScoreSheet.objects.get_or_create(assignment=assignment)
                if not created:
                    continue
                criteria = entry.category.criteria.filter(round=AssessmentRound.SCREENING)
                # Leave one sheet of the live cycle as a draft for the assessor to finish.
                finished = not (phase == "assessment" and member == assessor and index == 0)
                for criterion in criteria:
                    value = criterion.max_score - Decimal(index % 3) - Decimal(member.pk % 2)
                    Score.objects.create(
                        sheet=sheet,
                        criterion=criterion,
                        value=value if finished or criterion.order <= 2 else None,
                        comment="มีหลักฐานเชิงประจักษ์ชัดเจน" if finished else "",
                    )
                if finished:
                    sheet.state = ScoreSheet.State.SUBMITTED
                    sheet.submitted_at = timezone.now()
                    sheet.save()
            if entry.state in (EntryState.SITE_VISITED, EntryState.AWARDED):
                SiteVisit.objects.get_or_create(
                    entry=entry,
                    panel=panel,
                    defaults={
                        "scheduled_at": _at(cycles[phase].site_visits_start_on, 10),
                        "place": f"สำนักงาน{entry.agency.name_th}",
                        "notes": "คณะผู้ตรวจประเมินพบผู้รับบริการและภาคีเครือข่ายในพื้นที่จริง",
                        "consolidated_score": Decimal("86.50"),
                        "justification": "ผลลัพธ์สอดคล้องกับเอกสาร ผู้รับบริการยืนยันประโยชน์ที่ได้รับ",
                        "proposed_level": _winning_level(entry),
                        "consolidated_by": chair,
                        "consolidated_at": timezone.now(),
                    },
                )
            if entry.state in (EntryState.AWARDED, EntryState.NOT_AWARDED):
                Result.objects.get_or_create(
                    entry=entry,
                    defaults={
                        "award_level": _winning_level(entry)
                        if entry.state == EntryState.AWARDED
                        else "not_awarded",
                        "screening_score": Decimal("84.00"),
                        "site_visit_score": Decimal("86.50")
                        if entry.state == EntryState.AWARDED
                        else None,
                        "decided_by": staff,
                    },
                )
