"""What public knowledge tells people: the kinds of notification cases registers with the core
(portal/notifications), and the hooks its domain modules call."""

from django.urls import reverse
from django.utils.translation import gettext_lazy

from awards.notices import ENTRY_PLACEHOLDERS, agency_recipients, entry_values, latest
from portal.notifications.kinds import NotificationKind, register
from portal.notifications.sending import notify
from portal.site_address import absolute

from .models import CaseStudy


def review_path(case: CaseStudy) -> str:
    return reverse("cases:draft_review", kwargs={"pk": case.pk})


def draft_values(case: CaseStudy, recipient) -> dict[str, str]:
    return {**entry_values(case.entry), "review_url": absolute(review_path(case))}


register(
    NotificationKind(
        code="case_study_drafted",
        order=65,
        label=gettext_lazy("เชิญตรวจร่างผลงานต้นแบบและถอดบทเรียน"),
        audience=gettext_lazy(
            "เจ้าหน้าที่ของหน่วยงานและผู้ประสานงานของผลงานที่ได้รับรางวัล "
            "เมื่อประกาศผลและระบบจัดทำร่างผลงานต้นแบบแล้ว"
        ),
        subject=gettext_lazy("โปรดตรวจร่างผลงานต้นแบบและถอดบทเรียน: {entry_title}"),
        body=gettext_lazy(
            "เรียน {agency}\n\n"
            "ขอแสดงความยินดีที่ผลงาน {entry_reference} {entry_title} ได้รับรางวัลเลิศรัฐ "
            "ประจำปี พ.ศ. {cycle_year}\n\n"
            "สำนักงาน ก.พ.ร. จัดทำร่างหน้าผลงานต้นแบบจากใบสมัครของท่านแล้ว "
            "(ใช้เฉพาะคำตอบและไฟล์ที่ท่านเลือกให้เผยแพร่ได้) "
            "โปรดตรวจทานร่างและเขียนถอดบทเรียนของผลงานที่:\n{review_url}\n\n"
            "เจ้าหน้าที่จะตรวจและเผยแพร่ต่อสาธารณะต่อไป\n\nสำนักงาน ก.พ.ร.\n"
        ),
        placeholders={
            **ENTRY_PLACEHOLDERS,
            "review_url": gettext_lazy("ลิงก์หน้าตรวจร่างและถอดบทเรียน"),
        },
        values=draft_values,
        sample=latest(CaseStudy, entry__isnull=False),
    )
)


def draft_ready(case: CaseStudy) -> None:
    """The agency is invited to review its draft and write its lessons learned."""
    notify("case_study_drafted", case, agency_recipients(case.entry), link=review_path(case))
