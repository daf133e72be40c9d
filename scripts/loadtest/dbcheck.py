"""Prepare the load-test accounts, then check the database against what locust saw.

    python scripts/loadtest/dbcheck.py setup            # 50 agencies + officials (idempotent)
    python scripts/loadtest/dbcheck.py verify LEDGER     # counts in the DB vs the ledger

Run with the production environment (scripts/prod-env.sh)."""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from awards.models import Attachment, Entry, EntryState  # noqa: E402
from portal.accounts.models import Role, User  # noqa: E402
from portal.agencies.models import Agency, AgencyKind  # noqa: E402

OFFICIALS = int(os.environ.get("LOADTEST_OFFICIALS", "50"))
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "loadtest-2569-password")
DOMAIN = "load.go.th"


def setup():
    for n in range(1, OFFICIALS + 1):
        agency, _ = Agency.objects.get_or_create(
            name_th=f"หน่วยงานทดสอบภาระงานที่ {n}",
            defaults={"name_en": f"Load Test Agency {n}", "abbreviation": f"ทภ.{n}",
                      "kind": AgencyKind.DEPARTMENT},
        )  # fmt: skip
        email = f"loadofficial{n}@{DOMAIN}"
        user, _ = User.objects.get_or_create(
            username=email,
            defaults={"email": email, "first_name": "ผู้ทดสอบ", "last_name": f"ภาระงาน {n}"},
        )
        user.role, user.agency, user.is_active = Role.OFFICIAL, agency, True
        user.set_password(PASSWORD)
        user.save()
    print(json.dumps(snapshot()))


def load_entries():
    return Entry.objects.filter(agency__name_th__startswith="หน่วยงานทดสอบภาระงานที่")


def snapshot() -> dict:
    entries = load_entries()
    return {
        "entries": entries.count(),
        "submitted": entries.exclude(state=EntryState.DRAFT).count(),
        "attachments": Attachment.objects.filter(entry__in=entries).count(),
        "ids": [str(u) for u in entries.values_list("public_id", flat=True)],
    }


def verify(ledger_path, baseline_path):
    ledger = json.loads(Path(ledger_path).read_text())
    before = json.loads(Path(baseline_path).read_text())
    after = snapshot()
    started, submitted = set(ledger["started"]), set(ledger["submitted"])
    attempted, submit_attempted = set(ledger["attempted"]), set(ledger["submit_attempted"])
    entries = load_entries()
    problems = []
    new_ids = {str(u) for u in entries.values_list("public_id", flat=True)} - set(before["ids"])
    # Requests cut off when the run stops may or may not have reached the server, so:
    # confirmed ⊆ in the database ⊆ attempted — nothing lost, nothing invented or doubled.
    if missing := started - new_ids:
        problems.append(f"{len(missing)} entries the officials saw created are not in the DB")
    if unknown := new_ids - attempted:
        problems.append(f"{len(unknown)} entries in the DB that no official started")
    submitted_ids = {
        str(u) for u in entries.exclude(state=EntryState.DRAFT).values_list("public_id", flat=True)
    } & new_ids
    if lost := submitted - submitted_ids:
        problems.append(f"{len(lost)} submissions confirmed to officials are drafts in the DB")
    if stray := submitted_ids - submit_attempted:
        problems.append(f"{len(stray)} entries submitted that no official submitted")
    duplicates = (
        Entry.objects.exclude(reference=None)
        .values("reference")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    if duplicates.exists():
        problems.append(f"duplicate references: {list(duplicates[:5])}")
    new_attachments = after["attachments"] - before["attachments"]
    if not ledger["attachments"] <= new_attachments <= len(attempted):
        seen = ledger["attachments"]
        problems.append(f"attachments in DB {new_attachments}, uploads seen {seen}")
    for attachment in Attachment.objects.filter(entry__public_id__in=started):
        if not attachment.file.storage.exists(attachment.file.name):
            problems.append(f"attachment {attachment.pk} has no file on disk")
            break
    result = {
        "entries_in_db": len(new_ids),
        "entries_confirmed_created": len(started),
        "submitted_in_db": len(submitted_ids),
        "submissions_confirmed": len(submitted),
        "attachments": new_attachments,
        "problems": problems,
    }
    print(json.dumps(result, ensure_ascii=False))
    return not problems


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup()
    elif sys.argv[1] == "snapshot":
        print(json.dumps(snapshot()))
    else:
        sys.exit(0 if verify(sys.argv[2], sys.argv[3]) else 1)
