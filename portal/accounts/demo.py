"""Demo agencies and users. Idempotent: running it again updates, never duplicates."""

import json
from pathlib import Path

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import MembershipRequest, Role, User
from portal.agencies.models import Agency, Province

DATA = Path(__file__).parent / "demo_data"
DEMO_PASSWORD = "lertrat-demo-2569"

# username, role, agency abbreviation, first name, last name, is_staff, is_superuser
DEMO_USERS = [
    ("official", Role.OFFICIAL, "สวพส.", "สมศรี", "ใจดี", False, False),
    ("official2", Role.OFFICIAL, "พช.", "สมชาย", "รักชุมชน", False, False),
    ("assessor", Role.ASSESSOR, "มข.", "วิภา", "ประเมินดี", True, False),
    ("assessor2", Role.ASSESSOR, "สวพส.", "ปรีชา", "ตรวจงาน", True, False),
    ("chair", Role.ASSESSOR, "สพ.", "อรุณ", "ประธานคณะ", True, False),
    ("staff", Role.STAFF, "ก.พ.ร.", "กานดา", "เลขานุการ", True, False),
    ("admin", Role.STAFF, "ก.พ.ร.", "ผู้ดูแล", "ระบบ", True, True),
]

STAFF_GROUP = "เจ้าหน้าที่ สำนักงาน ก.พ.ร."
ASSESSOR_GROUP = "ผู้ตรวจประเมิน"


@transaction.atomic
def load_agencies() -> dict[str, Agency]:
    rows = json.loads((DATA / "agencies.json").read_text(encoding="utf-8"))
    provinces = {p.code: p for p in Province.objects.all()}
    by_abbreviation: dict[str, Agency] = {}
    for row in rows:  # parents come before their children in the file
        agency, _ = Agency.objects.update_or_create(
            name_th=row["name_th"],
            defaults={
                "name_en": row.get("name_en", ""),
                "abbreviation": row.get("abbreviation", ""),
                "kind": row["kind"],
                "parent": by_abbreviation.get(row.get("parent", "")),
                "province": provinces.get(row.get("province", "")),
            },
        )
        by_abbreviation[agency.abbreviation] = agency
    return by_abbreviation


@transaction.atomic
def load_users(agencies: dict[str, Agency]) -> dict[str, User]:
    staff_group, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    staff_group.permissions.set(
        Permission.objects.filter(content_type__app_label__in=["awards", "cases", "portal"])
    )
    users = {}
    for username, role, agency, first, last, is_staff, is_superuser in DEMO_USERS:
        user, created = User.objects.update_or_create(
            username=username,
            defaults={
                "email": f"{username}@demo.lertrat.go.th",
                "role": role,
                "agency": agencies[agency],
                "first_name": first,
                "last_name": last,
                "is_staff": is_staff,
                "is_superuser": is_superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role == Role.STAFF:
            user.groups.add(staff_group)
        if role == Role.ASSESSOR:  # the group's permissions come from awards' migration 0005
            user.groups.add(Group.objects.get(name=ASSESSOR_GROUP))
        users[username] = user
    load_memberships(users, agencies)
    return users


def load_memberships(users: dict[str, User], agencies: dict[str, Agency]) -> None:
    """`official` coordinates สวพส. (approves who joins it); `applicant` has signed up and
    waits for that approval."""
    MembershipRequest.objects.get_or_create(
        user=users["official"],
        agency=agencies["สวพส."],
        state=MembershipRequest.State.APPROVED,
        is_coordinator=True,
        defaults={"decided_by": users["staff"], "decided_at": timezone.now()},
    )
    applicant, created = User.objects.get_or_create(
        username="applicant",
        defaults={
            "email": "applicant@demo.lertrat.go.th",
            "role": Role.OFFICIAL,
            "first_name": "มานี",
            "last_name": "สมัครใหม่",
        },
    )
    if created:
        applicant.set_password(DEMO_PASSWORD)
        applicant.save(update_fields=["password"])
        MembershipRequest.objects.create(
            user=applicant, agency=agencies["สวพส."], note="เจ้าหน้าที่ใหม่ของฝ่ายแผนงาน"
        )
    users["applicant"] = applicant
