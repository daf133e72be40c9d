"""Deadline rush: officials write, attach evidence to and submit entries while visitors
browse and search model projects. Run by scripts/loadtest.sh against `make prod-up`.

Every official signs in once, then loops: start an entry, fill every section, attach a PDF,
check the answers and submit. What each official believes it created and submitted is
written to LOADTEST_LEDGER when the run stops, so the database can be checked against it."""

import json
import os
import random
import re
import uuid

from locust import HttpUser, between, events, task

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "loadtest-2569-password")
OFFICIALS = int(os.environ.get("LOADTEST_OFFICIALS", "50"))
VISITORS = int(os.environ.get("LOADTEST_VISITORS", "200"))
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

ledger = {"attempted": [], "started": [], "submit_attempted": [], "submitted": [], "attachments": 0}
_accounts = iter(range(1, OFFICIALS + 1))


def csrf_of(response) -> str:
    match = CSRF.search(response.text)
    if not match:
        raise ValueError(f"no CSRF token on {response.url}")
    return match.group(1)


class Official(HttpUser):
    fixed_count = OFFICIALS
    wait_time = between(0.5, 2)

    def on_start(self):
        self.number = next(_accounts)
        page = self.client.get("/accounts/login/", name="login form")
        username = f"loadofficial{self.number}@load.go.th"
        self.client.post(
            "/accounts/login/",
            {"csrfmiddlewaretoken": csrf_of(page), "username": username, "password": PASSWORD,
             "next": "/entries/"},
            name="sign in",
        )  # fmt: skip

    def post(self, url, data, name, files=None, **kwargs):
        page = self.client.get(url, name=f"{name} (form)")
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
        with self.client.post(
            "/entries/new/",
            {"csrfmiddlewaretoken": csrf_of(start), "category": category.group(1), "token": token},
            name="start",
            catch_response=True,
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

    @task(3)
    def search(self):
        word = random.choice(SEARCH_WORDS)
        page = self.client.get("/cases/", params={"q": word}, name="search")
        slugs = re.findall(r'href="(/cases/[^"/]+/)"', page.text)
        if slugs:
            self.client.get(random.choice(slugs), name="case page")

    @task(2)
    def browse(self):
        self.client.get("/", name="home")
        self.client.get("/cases/", name="case list")
        self.client.get("/lessons/", name="lesson list")

    @task(1)
    def api(self):
        self.client.get("/api/v1/", name="api root")


@events.test_stop.add_listener
def write_ledger(environment, **kwargs):
    with open(LEDGER, "w") as out:
        json.dump(ledger, out)
