"""Deadline rush with publishing going on: officials write, attach evidence to and submit
entries while visitors browse and search model projects and the secretariat publishes and
edits case studies in the admin. Run by scripts/loadtest.sh against the production stack.

Arrivals (what each simulated person does first, measured from the start of the run; locust
starts every user within seconds, each waits for its own arrival time before its first request):
- Officials sign in as people arrive at a deadline, over minutes: LOADTEST_OFFICIALS arrival
  times drawn uniformly at random over the first LOADTEST_SIGN_IN_WINDOW seconds (120) — a
  Poisson process given its count, seeded (LOADTEST_SEED) so that runs compare. Each signs in
  once, then loops: start an entry, fill every section, attach a PDF, check, submit — spending
  LOADTEST_OFFICIAL_THINK seconds (2–8, uniform) on each form before saving it.
- Visitors arrive steadily, evenly spaced over the first LOADTEST_VISITOR_WINDOW seconds (30),
  and read a page for 5–15 s before the next click.
- LOADTEST_STAFF secretariat staff (3) are at work from the start (one every 5 s), sign in with
  their password and a code from their authenticator app (computed from the key dbcheck.py
  gave their device), then every 3–8 s, through the Django admin's own forms (CSRF token,
  the add/change form's every field posted back, the change list's actions): publish a new
  case study, edit the title and summary of one they published, or unpublish / republish one.
  Every edit puts a new made-up Latin word (e.g. "ltqhzkwmvd") in the title and summary, so
  the database check can search for it once the worker has indexed the case.

What each official and staff member was told succeeded, and what they tried, is written to
LOADTEST_LEDGER when the run stops, so dbcheck.py can check the database and the search index
against it."""

import json
import os
import random
import re
import string
import time
import uuid
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import gevent
from django_otp.oath import totp  # RFC 6238, no Django needed
from load_accounts import (
    CASE_SLUG_PREFIX,
    OFFICIALS,
    PASSWORD,
    STAFF,
    official_username,
    staff_totp_key,
    staff_username,
)
from locust import HttpUser, between, events, task
from locust.exception import StopUser

VISITORS = int(os.environ.get("LOADTEST_VISITORS", "200"))
SIGN_IN_WINDOW = float(os.environ.get("LOADTEST_SIGN_IN_WINDOW", "120"))
VISITOR_WINDOW = float(os.environ.get("LOADTEST_VISITOR_WINDOW", "30"))
# Seconds an official spends on a form before saving it (reading, typing, pasting from their
# report). Real sections take minutes; 2–8 s keeps several entries per official in a 3-minute
# run while no longer posting ~30 pages back to back (0 s: the earlier worst case).
OFFICIAL_THINK = tuple(
    float(x) for x in os.environ.get("LOADTEST_OFFICIAL_THINK", "2,8").split(",")
)
LEDGER = os.environ.get("LOADTEST_LEDGER", "var/prod/loadtest-ledger.json")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCH_WORDS = ["ขยะ", "สุขภาพ", "เกษตร", "น้ำ", "ดิจิทัล", "PMQA 4.0", "บริการ", "ชุมชน",
                "โรงพยาบาล", "การมีส่วนร่วม", "ท่องเที่ยว", "ลดขั้นตอน"]  # fmt: skip
PDF = (
    (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    + b"%"
    + os.urandom(20_000).hex().encode()
    + b"\n"
)
CASE_ADMIN = "/admin/cases/casestudy/"
BANGKOK = ZoneInfo("Asia/Bangkok")

ledger = {
    "attempted": [], "started": [], "submit_attempted": [], "submitted": [], "attachments": 0,
    # The secretariat's case studies, by slug: the id, the made-up words the title may hold
    # (one once confirmed; two while a change's answer never came), the words it held before,
    # and whether it may be published. `case_attempted`: every slug whose creation was sent.
    "case_attempted": [], "cases": {},
    "case_changes": {"published": 0, "edited": 0, "unpublished": 0, "republished": 0},
    # Visitors who opened a case study listed a moment before, which staff had unpublished
    # meanwhile: a 404, as it should be, not an error.
    "cases_gone_while_reading": 0,
}  # fmt: skip
unpublishing = set()  # slugs of the case studies staff have sent an unpublish for
_officials, _visitors, _staff = (iter(range(1, n + 1)) for n in (OFFICIALS, VISITORS, STAFF))
_arrival_times = random.Random(int(os.environ.get("LOADTEST_SEED", "2569")))
OFFICIAL_ARRIVALS = sorted(_arrival_times.uniform(0, SIGN_IN_WINDOW) for _ in range(OFFICIALS))
run = {"started": time.monotonic()}


@events.test_start.add_listener
def start_the_clock(environment, **kwargs):
    run["started"] = time.monotonic()


def arrive(at: float) -> None:
    """Wait until this person's arrival, `at` seconds after the start of the run."""
    gevent.sleep(max(0.0, run["started"] + at - time.monotonic()))


def csrf_of(response) -> str:
    match = CSRF.search(response.text)
    if not match:
        raise ValueError(f"no CSRF token on {response.url}")
    return match.group(1)


class FormFields(HTMLParser):
    """What a browser would post from the form with this id, field by field (files aside):
    text, hidden and number inputs, ticked boxes, textareas, every select's chosen options."""

    NOT_POSTED = {"submit", "button", "image", "file", "reset"}

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, {}
        self.textarea = self.select = None

    def add(self, name, value):
        if "__prefix__" not in name:  # an inline's template row, not a form
            self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
        name = a.get("name")
        if not (self.inside and name) and tag != "option":
            return
        if tag == "input" and a.get("type", "text") not in self.NOT_POSTED:
            if a.get("type") not in ("checkbox", "radio"):
                self.add(name, a.get("value") or "")
            elif "checked" in a:
                self.add(name, a.get("value") or "on")
        elif tag == "textarea":
            self.textarea = (name, [])
        elif tag == "select":
            self.select = (name, "multiple" in a, [], [])  # name, multiple, options, chosen
        elif tag == "option" and self.select:
            value = a.get("value") or ""
            self.select[2].append(value)
            if "selected" in a:
                self.select[3].append(value)

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1].append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea:
            name, text = self.textarea[0], "".join(self.textarea[1])
            self.add(name, text.removeprefix("\n"))  # HTML drops the newline after <textarea>
            self.textarea = None
        elif tag == "select" and self.select:
            name, multiple, options, chosen = self.select
            for value in chosen if multiple else (chosen[-1:] or options[:1]):
                self.add(name, value)
            self.select = None


def form_fields(html: str, form_id: str) -> dict[str, list[str]]:
    parser = FormFields(form_id)
    parser.feed(html)
    return parser.fields


def errors_of(html: str) -> str:
    """The admin's error messages on a page that refused a form, for the failure report."""
    lists = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", item).strip() for item in lists)[:300]


class Official(HttpUser):
    fixed_count = OFFICIALS
    wait_time = between(0.5, 2)

    def on_start(self):
        self.number = next(_officials)
        arrive(OFFICIAL_ARRIVALS[self.number - 1])
        page = self.client.get("/accounts/login/", name="login form")
        self.client.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": csrf_of(page), "username": official_username(self.number),
             "password": PASSWORD, "next": "/entries/"},
            name="sign in",
        )  # fmt: skip

    def post(self, url, data, name, files=None, **kwargs):
        page = self.client.get(url, name=f"{name} (form)")
        time.sleep(random.uniform(*OFFICIAL_THINK))  # the official fills the form in
        data = {"csrfmiddlewaretoken": csrf_of(page), **data}
        return self.client.post(url, data, files=files, name=name, **kwargs), page

    @task
    def write_and_submit_an_entry(self):
        start = self.client.get("/entries/new/", name="start (form)")
        category = re.search(r'name="category"[^>]*value="(\d+)"', start.text) or re.search(
            r'<option value="(\d+)"', start.text
        )
        token = str(uuid.uuid4())
        ledger["attempted"].append(token)  # before the request: it may be cut off
        form = {
            "csrfmiddlewaretoken": csrf_of(start),
            "category": category.group(1),
            "token": token,
        }
        page = self.client.post("/entries/new/", form, name="choose category")
        if "/entries/" + token not in page.url:
            # The category's eligibility questions: this agency's work qualifies, "yes" to each.
            answers = {q: "yes" for q in re.findall(r'name="(question_\d+)"', page.text)}
            form.update(csrfmiddlewaretoken=csrf_of(page), step="eligibility", **answers)
            with self.client.post(
                "/entries/new/", form, name="start", catch_response=True
            ) as response:
                if "/entries/" + token not in response.url:
                    response.failure(f"entry not created: ended on {response.url}")
                    return
        base = f"/entries/{token}"
        ledger["started"].append(token)
        n = random.randint(1, 10**6)
        sections = {
            "basic": {"title": f"ผลงานเร่งด่วน {self.number}-{n} ระบบบริการอิเล็กทรอนิกส์",
                      "summary": "สรุปผลงาน " * 40},
            "problem": {"problem": "สภาพปัญหาและความเป็นมาของการให้บริการประชาชน " * 30},
            "solution": {"solution": "แนวทางการดำเนินการ " * 50, "started_on_0": "1",
                         "started_on_1": "10", "started_on_2": "2567"},
            "results": {"results": "ผลลัพธ์ " * 40, "indicators": "ลดระยะเวลารอคอยร้อยละ 50"},
            "partners": {"partners": "ภาคีเครือข่ายในจังหวัด"},
        }  # fmt: skip
        for key, data in sections.items():
            self.post(f"{base}/{key}/", {**data, "action": "continue"}, name=f"save {key}")
        sdg_page = self.client.get(f"{base}/sdgs/", name="save sdgs (form)")
        sdgs = re.findall(r'name="sdgs" value="(\d+)"', sdg_page.text)[:3]
        self.client.post(
            f"{base}/sdgs/",
            {"csrfmiddlewaretoken": csrf_of(sdg_page), "sdgs": sdgs, "action": "continue"},
            name="save sdgs",
        )
        upload, _page = self.post(
            f"{base}/attachments/",
            {"description": "รายงานผลการดำเนินงาน"},
            files={"file": (f"รายงาน-{n}.pdf", PDF, "application/pdf")},
            name="upload attachment",
        )
        if upload.ok:
            ledger["attachments"] += 1
        self.post(
            f"{base}/contact/",
            {"contact_name": "สมศรี ทดสอบ", "contact_position": "นักวิเคราะห์นโยบายและแผน",
             "contact_email": f"contact{self.number}@load.go.th", "contact_phone": "0 2356 9999",
             "action": "continue"},
            name="save contact",
        )  # fmt: skip
        check = self.client.get(f"{base}/check/", name="check answers")
        ledger["submit_attempted"].append(token)
        with self.client.post(
            f"{base}/submit/",
            {"csrfmiddlewaretoken": csrf_of(check)},
            name="submit",
            catch_response=True,
        ) as submitted:
            if "/confirmation/" in submitted.url:
                ledger["submitted"].append(token)
                submitted.success()
            else:
                submitted.failure(f"not submitted: ended on {submitted.url}")


class Visitor(HttpUser):
    fixed_count = VISITORS
    wait_time = between(5, 15)  # a person reading a page before the next click

    def on_start(self):
        arrive(VISITOR_WINDOW * (next(_visitors) - 1) / VISITORS)

    @task(3)
    def search(self):
        word = random.choice(SEARCH_WORDS)
        page = self.client.get("/cases/", params={"q": word}, name="search")
        slugs = re.findall(r'href="/cases/([^"/]+)/"', page.text)
        if not slugs:
            return
        slug = random.choice(slugs)
        with self.client.get(f"/cases/{slug}/", name="case page", catch_response=True) as case:
            if case.status_code == 404 and slug in unpublishing:
                case.success()
                ledger["cases_gone_while_reading"] += 1

    @task(2)
    def browse(self):
        self.client.get("/", name="home")
        self.client.get("/cases/", name="case list")
        self.client.get("/lessons/", name="lesson list")

    @task(1)
    def api(self):
        self.client.get("/api/v1/", name="api root")


def made_up_word() -> str:
    """A word found in no other document, so a search for it finds exactly one case."""
    return "lt" + "".join(random.choices(string.ascii_lowercase, k=8))


class Staff(HttpUser):
    """The secretariat publishing model projects during the rush, in the Django admin."""

    fixed_count = STAFF
    wait_time = between(3, 8)

    def on_start(self):
        self.number = next(_staff)
        self.cases = []  # slugs of the case studies this staff member published
        arrive(5 * (self.number - 1))
        page = self.client.get("/accounts/login/", name="login form")
        code_step = self.client.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": csrf_of(page), "username": staff_username(self.number),
             "password": PASSWORD, "next": "/admin/"},
            name="sign in (staff)",
        )  # fmt: skip
        code = f"{totp(bytes.fromhex(staff_totp_key(self.number))):06d}"
        with self.client.post(
            code_step.url,
            {"csrfmiddlewaretoken": csrf_of(code_step), "token": code},
            name="second factor (staff)",
            catch_response=True,
        ) as verified:
            signed_in = verified.url.endswith("/admin/")
            if not signed_in:
                verified.failure(f"second factor refused: ended on {verified.url}")
        if not signed_in:
            raise StopUser()
        self.publish_new_case()

    def record(self, slug):
        return ledger["cases"][slug]

    def search_for(self, word):
        """Staff look their change up on the site at once, as people do, before the worker
        has indexed it: the search page and API answer kept then must give way to the
        change when it is indexed (dbcheck asks again over HTTP after the run)."""
        self.client.get("/cases/", params={"q": word}, name="staff: search the word (page)")
        self.client.get("/api/v1/cases/", params={"q": word}, name="staff: search the word (API)")

    def own(self, published: bool) -> list[str]:
        """This staff member's cases in that state, left out while a change's answer is
        unknown (a failed request: the run fails anyway; the check accepts either state)."""
        records = ((slug, self.record(slug)) for slug in self.cases)
        certain = ((slug, r) for slug, r in records if len(r["words"]) == 1)
        return [slug for slug, r in certain if r["published"] == [published]]

    @task(1)
    def publish_new_case(self):
        form = self.client.get(f"{CASE_ADMIN}add/", name="admin: add case (form)")
        fields, word = form_fields(form.text, "casestudy_form"), made_up_word()
        slug = f"{CASE_SLUG_PREFIX}{uuid.uuid4().hex[:12]}"
        now = datetime.now(BANGKOK)
        fields.update({
            "slug": [slug], "title": [f"ผลงานต้นแบบเร่งเผยแพร่ {word}"],
            "summary": [f"สรุปผลงานบริการประชาชนแบบเบ็ดเสร็จ {word} " + "ลดขั้นตอนการให้บริการ " * 20],
            "problem": ["ประชาชนต้องเดินทางหลายครั้งเพื่อติดต่อราชการ " * 20],
            "approach": ["บูรณาการข้อมูลระหว่างหน่วยงานและให้บริการออนไลน์ " * 20],
            "results": ["ลดระยะเวลารอคอยร้อยละ 60 ผู้รับบริการพึงพอใจ " * 10],
            "year_be": [str(now.year + 543)], "is_published": ["on"],
            "published_at_0": [str(now.day)], "published_at_1": [str(now.month)],
            "published_at_2": [str(now.year + 543)], "published_at_3": [now.strftime("%H:%M")],
            "_continue": ["บันทึกและแก้ไขต่อ"],
        })  # fmt: skip
        ledger["case_attempted"].append(slug)  # before the request: it may be cut off
        with self.client.post(
            f"{CASE_ADMIN}add/", fields, name="admin: publish new case", catch_response=True
        ) as saved:
            created = re.search(r"/admin/cases/casestudy/(\d+)/change/", saved.url)
            if not (saved.history and created):
                saved.failure(f"case not created: ended on {saved.url} {errors_of(saved.text)}")
                return
        ledger["cases"][slug] = {"slug": slug, "id": int(created.group(1)), "words": [word],
                                 "old_words": [], "published": [True]}  # fmt: skip
        ledger["case_changes"]["published"] += 1
        self.cases.append(slug)
        self.search_for(word)

    @task(3)
    def edit_published_case(self):
        """A new title and summary (a new made-up word in both) for a published case."""
        published = self.own(published=True)
        if not published:
            return self.publish_new_case()
        record = self.record(random.choice(published))
        url = f"{CASE_ADMIN}{record['id']}/change/"
        fields = form_fields(self.client.get(url, name="admin: change case (form)").text,
                             "casestudy_form")  # fmt: skip
        old, word = record["words"][-1], made_up_word()
        fields["title"] = [fields["title"][0].replace(old, word)]
        fields["summary"] = [fields["summary"][0].replace(old, word)]
        fields["_save"] = ["บันทึก"]
        record["words"].append(word)  # either may be in the database until the answer comes
        with self.client.post(url, fields, name="admin: edit case", catch_response=True) as saved:
            if not (saved.history and saved.url.split("?")[0].endswith(CASE_ADMIN)):
                saved.failure(f"case not saved: ended on {saved.url} {errors_of(saved.text)}")
                return
        record["old_words"] += record["words"][:-1]
        record["words"] = [word]
        ledger["case_changes"]["edited"] += 1
        self.search_for(old)
        self.search_for(word)

    @task(1)
    def unpublish_or_republish(self):
        """The change list's actions, as staff use them: find the case, tick it, run one."""
        hidden, published = self.own(published=False), self.own(published=True)
        if not (hidden or published):
            return self.publish_new_case()
        to_publish = bool(hidden)
        record = self.record(random.choice(hidden or published))
        action, told = (("publish", "เผยแพร่ 1 รายการ") if to_publish
                        else ("unpublish", "หยุดเผยแพร่ 1 รายการ"))  # fmt: skip
        found = self.client.get(CASE_ADMIN, params={"q": record["words"][-1]},
                                name="admin: find case (list)")  # fmt: skip
        record["published"] = [False, True]  # either, until the answer comes
        if not to_publish:
            unpublishing.add(record["slug"])
        with self.client.post(
            found.url,
            {"csrfmiddlewaretoken": csrf_of(found), "action": action, "index": "0",
             "select_across": "0", "_selected_action": str(record["id"])},
            name=f"admin: {'republish' if to_publish else 'unpublish'} (action)",
            catch_response=True,
        ) as done:  # fmt: skip
            if not re.search(rf">\s*{told}\s*<", done.text):
                done.failure(f"{action}: not told '{told}' (ended on {done.url})")
                return
        record["published"] = [to_publish]
        ledger["case_changes"]["republished" if to_publish else "unpublished"] += 1
        self.search_for(record["words"][-1])


@events.test_stop.add_listener
def write_ledger(environment, **kwargs):
    with open(LEDGER, "w") as out:
        json.dump(ledger, out)
