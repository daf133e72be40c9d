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
from portal.models import Agency, AgencyKind, Role, User  # noqa: E402

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
    }


def verify(ledger_path, baseline_path):
    ledger = json.loads(Path(ledger_path).read_text())
    before = json.loads(Path(baseline_path).read_text())
    after = snapshot()
    started, submitted = set(ledger["started"]), set(ledger["submitted"])
    entries = load_entries()
    problems = []
    in_db = set(str(u) for u in entries.values_list("public_id", flat=True))
    if missing := started - in_db:
        problems.append(f"{len(missing)} started entries are not in the database")
    if after["entries"] - before["entries"] != len(started):
        problems.append(
            f"entries created {after['entries'] - before['entries']} != started {len(started)}"
        )
    not_submitted = entries.filter(public_id__in=submitted, state=EntryState.DRAFT).count()
    if not_submitted:
        problems.append(f"{not_submitted} entries confirmed as submitted are still drafts")
    if after["submitted"] - before["submitted"] != len(submitted):
        problems.append(
            f"submitted in DB {after['submitted'] - before['submitted']} "
            f"!= confirmed {len(submitted)}"
        )
    duplicates = (
        Entry.objects.exclude(reference=None)
        .values("reference")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    if duplicates.exists():
        problems.append(f"duplicate references: {list(duplicates[:5])}")
    new_attachments = after["attachments"] - before["attachments"]
    if new_attachments != ledger["attachments"]:
        problems.append(f"attachments in DB {new_attachments} != uploaded {ledger['attachments']}")
    for attachment in Attachment.objects.filter(entry__public_id__in=started):
        if not attachment.file.storage.exists(attachment.file.name):
            problems.append(f"attachment {attachment.pk} has no file on disk")
            break
    result = {
        "entries_started": len(started),
        "entries_submitted": len(submitted),
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
