"""Prepare the load-test accounts, then check the database against what locust saw.

    python scripts/loadtest/dbcheck.py setup     # 50 agencies + officials, 3 staff (idempotent)
    python scripts/loadtest/dbcheck.py verify LEDGER BASELINE   # the DB and index vs the ledger

Run with the production environment (scripts/prod-env.sh)."""

import json
import os
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

from load_accounts import (
    CASE_SLUG_PREFIX,
    OFFICIALS,
    PASSWORD,
    STAFF,
    official_username,
    staff_totp_key,
    staff_username,
)

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db.models import Count  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from awards.models import Attachment, Entry, EntryState  # noqa: E402
from cases.models import CaseStudy, SearchDocument  # noqa: E402
from cases.search import query  # noqa: E402
from cases.search.indexing import stale_cases  # noqa: E402
from portal.accounts.demo import STAFF_GROUP  # noqa: E402
from portal.accounts.models import Role, User  # noqa: E402
from portal.agencies.models import Agency, AgencyKind  # noqa: E402

# How long the worker may take, after the run, to index the last changes.
INDEX_WAIT = float(os.environ.get("LOADTEST_INDEX_WAIT", "60"))
SITE_URL = os.environ["SITE_URL"]  # the stack under test (scripts/prod-env.sh)


def setup():
    for n in range(1, OFFICIALS + 1):
        agency, _ = Agency.objects.get_or_create(
            name_th=f"หน่วยงานทดสอบภาระงานที่ {n}",
            defaults={"name_en": f"Load Test Agency {n}", "abbreviation": f"ทภ.{n}",
                      "kind": AgencyKind.DEPARTMENT},
        )  # fmt: skip
        email = official_username(n)
        user, _ = User.objects.get_or_create(
            username=email,
            defaults={"email": email, "first_name": "ผู้ทดสอบ", "last_name": f"ภาระงาน {n}"},
        )
        user.role, user.agency, user.is_active = Role.OFFICIAL, agency, True
        user.set_password(PASSWORD)
        user.save()
    setup_staff()
    # Every run starts from the same public catalogue: an earlier run's case studies go.
    CaseStudy.objects.filter(slug__startswith=CASE_SLUG_PREFIX).delete()
    print(json.dumps(snapshot()))


def setup_staff():
    """Secretariat staff with an authenticator app each (a TOTP device whose key the
    locustfile derives too), new every run so no code counts as already used."""
    secretariat = Agency.objects.get(abbreviation="ก.พ.ร.")  # from the demo data
    group = Group.objects.get(name=STAFF_GROUP)
    for n in range(1, STAFF + 1):
        email = staff_username(n)
        user, _ = User.objects.get_or_create(
            username=email,
            defaults={"email": email, "first_name": "เจ้าหน้าที่ทดสอบ", "last_name": f"ภาระงาน {n}"},
        )
        user.role, user.agency, user.is_staff, user.is_active = Role.STAFF, secretariat, True, True
        user.set_password(PASSWORD)
        user.save()
        user.groups.add(group)
        TOTPDevice.objects.filter(user=user).delete()
        TOTPDevice.objects.create(user=user, name="แอปทดสอบภาระงาน", key=staff_totp_key(n))


def load_entries():
    return Entry.objects.filter(agency__name_th__startswith="หน่วยงานทดสอบภาระงานที่")


def snapshot() -> dict:
    entries = load_entries()
    return {
        "entries": entries.count(),
        "submitted": entries.exclude(state=EntryState.DRAFT).count(),
        "attachments": Attachment.objects.filter(entry__in=entries).count(),
        "ids": [str(u) for u in entries.values_list("public_id", flat=True)],
        "case_ids": list(load_cases().values_list("id", flat=True)),
    }


def load_cases():
    return CaseStudy.objects.filter(slug__startswith=CASE_SLUG_PREFIX)


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
    cases, case_problems = verify_cases(ledger, before)
    problems += case_problems
    result = {
        "entries_in_db": len(new_ids),
        "entries_confirmed_created": len(started),
        "submitted_in_db": len(submitted_ids),
        "submissions_confirmed": len(submitted),
        "attachments": new_attachments,
        **cases,
        "problems": problems,
    }
    print(json.dumps(result, ensure_ascii=False))
    return not problems


def wait_for_index(case_ids) -> float:
    """Seconds until the worker has indexed every change to these cases (none stale: each
    published one's row as new as the case, no row for an unpublished one), at most
    INDEX_WAIT. (The periodic repair runs every 15 minutes, at most once in a run: the
    index tasks the saves queued are what make them fresh.)"""
    started = time.monotonic()
    while stale_cases().filter(pk__in=case_ids).exists():
        if time.monotonic() - started > INDEX_WAIT:
            break
        time.sleep(1)
    return round(time.monotonic() - started, 1)


def found_by(word: str) -> set[int]:
    """The published case studies a visitor's search for this word finds."""
    return set(
        query.search_cases(query.parse(word), ranked=False).values_list("case_study_id", flat=True)
    )


def shown_for(word: str, case: CaseStudy) -> tuple[bool, bool]:
    """Whether the running site's search page and API show the case for this word, as a
    visitor gets them (from the cache, where staff asked for the word during the run)."""
    query_string = urllib.parse.urlencode({"q": word})
    with urllib.request.urlopen(f"{SITE_URL}/cases/?{query_string}", timeout=30) as page:
        on_page = case.get_absolute_url() in page.read().decode()
    with urllib.request.urlopen(f"{SITE_URL}/api/v1/cases/?{query_string}", timeout=30) as api:
        in_api = case.pk in {hit["id"] for hit in json.load(api)["results"]}
    return on_page, in_api


def verify_cases(ledger, before) -> tuple[dict, list[str]]:
    """What the secretariat was told is what the database and the search index hold: every
    case study it published is there, with the title of its last confirmed edit and published
    or not as its last confirmed action; a search for the made-up word in its title finds
    it exactly when it is published, and the words its earlier titles held no longer do."""
    problems = []
    attempted, confirmed = set(ledger["case_attempted"]), ledger["cases"]
    new = {c.slug: c for c in load_cases().exclude(id__in=before["case_ids"])}
    if missing := set(confirmed) - set(new):
        problems.append(f"{len(missing)} case studies staff were told were saved are not in the DB")
    if unknown := set(new) - attempted:
        problems.append(f"{len(unknown)} case studies in the DB that no staff member created")
    waited = wait_for_index([c.id for c in new.values()])
    wrong_title = wrong_state = stale_row = not_found = still_found = stale_answer = 0
    for slug, told in confirmed.items():
        case = new.get(slug)
        if case is None:
            continue
        words = [w for w in told["words"] if w in case.title and w in case.summary]
        wrong_title += not words
        wrong_state += case.is_published not in told["published"]
        rows = SearchDocument.objects.filter(case_study=case, kind=SearchDocument.Kind.CASE)
        if case.is_published:
            stale_row += not rows.filter(source_updated_at=case.updated_at).exists()
            not_found += bool(words) and case.id not in found_by(words[0])
        else:
            stale_row += rows.exists()
        # Words its title no longer holds, and while it is unpublished its current one too.
        not_to_find = told["old_words"] + [w for w in told["words"] if w not in words]
        if not case.is_published:
            not_to_find += words
        still_found += any(case.id in found_by(w) for w in not_to_find)
        # The same through the site: its kept answers gave way to every change.
        stale_answer += any(shown_for(w, case) != (False, False) for w in not_to_find) or (
            case.is_published and bool(words) and shown_for(words[0], case) != (True, True)
        )
    for count, what in [
        (wrong_title, "have a title or summary other than their last confirmed edit"),
        (wrong_state, "are published or not against the last action staff were told was done"),
        (stale_row, f"have a search index row not matching the case {waited} s after the run"),
        (not_found, "published are not found by a search for the word in their title"),
        (still_found, "are found by a word they no longer hold, or while unpublished"),
        (stale_answer, "are shown by the site's search page or API other than the index says"),
    ]:
        if count:
            problems.append(f"{count} case studies {what}")
    published = [c for c in new.values() if c.is_published]
    return {
        "cases_in_db": len(new),
        "cases_confirmed_created": len(confirmed),
        "cases_published_now": len(published),
        "case_changes_confirmed": ledger["case_changes"],
        "index_caught_up_after_s": waited,
        "cases_gone_while_reading": ledger["cases_gone_while_reading"],
    }, problems


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup()
    elif sys.argv[1] == "snapshot":
        print(json.dumps(snapshot()))
    else:
        sys.exit(0 if verify(sys.argv[2], sys.argv[3]) else 1)
