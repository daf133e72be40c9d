"""Schemathesis against the live portal: generated requests for every operation of the
OpenAPI schema, as the public, an official (token) and an assessor (token, issued as the
portal issues it), with every check schemathesis has (`--checks all`): no server error, the
response, its status, content type and headers as documented, valid requests accepted
(positive mode) and invalid ones refused (negative mode), authentication not ignored.
Bounded: a few examples per operation and mode, and a time cap. SCHEMATHESIS_MAX_EXAMPLES=…
raises the budget for a longer hunt. The statuses the throttles add (429) are checked below,
each provoked on purpose and validated against the schema.

The CLI's coverage phase (`schemathesis run --checks all`, by hand: minutes, not seconds)
adds what random generation rarely tries — an unknown query parameter on each list, which
the API refuses (portal/api/policy.refuse_unknown_parameters, tested in test_api.py)."""

import os
import time
from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable

from awards.models import EntryState, Result
from tests.factories import (
    AssignmentFactory,
    CaseStudyFactory,
    CriterionFactory,
    EntryFactory,
    LessonFactory,
    ScoreFactory,
    ScoreSheetFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)

schemathesis = pytest.importorskip("schemathesis")
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.checks import CHECKS  # noqa: E402
from schemathesis.config import SchemathesisConfig  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402  (registers the OpenAPI checks)
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "4"))
TIME_CAP_SECONDS = float(os.environ.get("SCHEMATHESIS_TIME_CAP", "150"))
ALL_CHECKS = CHECKS.get_all()  # what `--checks all` runs
# The one place where a schema-valid request is rightly refused: an entry naming a category
# id that does not exist is a 400 naming `category` (no schema can say which ids exist).
CONFIG = SchemathesisConfig.from_str(
    """
[[operations]]
include-path = "/api/v1/entries/"
include-method = "POST"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404"]
"""
)


def some_data():
    official = UserFactory()
    entry = EntryFactory(agency=official.agency)
    awarded = ScreeningEntryFactory(state=EntryState.AWARDED, category=entry.category)
    Result.objects.create(entry=awarded, award_level="good", decided_by=StaffFactory())
    cycle = entry.category.cycle
    cycle.results_published_at = timezone.now() - timedelta(days=1)
    cycle.save()
    sheet = ScoreSheetFactory(assignment=AssignmentFactory(entry=awarded))
    ScoreFactory(sheet=sheet, criterion=CriterionFactory(category=entry.category), value=None)
    LessonFactory(case_study=CaseStudyFactory(agency=official.agency))
    return {
        "official": api_token(official),
        "assessor": api_token(sheet.assignment.assessor),
    }


def api_token(user) -> str:
    """A token as the portal issues it: an assessor's from a session that proved the second
    factor (where the portal has that rule), so the fuzzing reaches what the role allows."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.accounts.second_factor import issue_api_token as issue

    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    user.otp_device = device  # what django_otp's middleware gives a verified session
    user.is_verified = lambda: True
    return issue(user).key


# What each identity must reach, or its fuzzing would prove nothing (a 403 is no 500).
OWN_DATA = {"official": "/api/v1/entries/", "assessor": "/api/v1/score-sheets/"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(600)
def test_schemathesis_all_checks_find_nothing(live_server, settings_):
    tokens = some_data()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/", config=CONFIG)
    identities = {
        "anonymous": {},
        **{k: {"Authorization": f"Token {v}"} for k, v in tokens.items()},
    }
    for name, path in OWN_DATA.items():
        own = requests.get(f"{live_server.url}{path}", headers=identities[name], timeout=30)
        assert own.status_code == 200 and own.json()["count"] >= 1, (name, own.status_code)
    started = time.monotonic()
    failures, tested = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        public = operation.method.upper() == "GET" and "/entries/" not in operation.path
        for name, headers in identities.items():
            # The public operations as the public, the rest as each signed-in role: the same
            # code answers a signed-in caller on a public list, and this keeps the run short.
            if (name == "anonymous") != public:
                continue
            if time.monotonic() - started > TIME_CAP_SECONDS:
                break

            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                run = fuzz(operation, mode, live_server.url, headers)
                try:
                    run()
                except Unsatisfiable:
                    # No value breaks the schema where a request can carry it (a slug's only
                    # invalid values hold "/", which would be another path): nothing to send.
                    assert mode is GenerationMode.NEGATIVE, operation.path
                except (Exception, BaseExceptionGroup) as error:  # collect, report together
                    summary = " | ".join(str(error).splitlines()[:12])
                    failures.append(
                        f"{name} {mode.value} {operation.method.upper()} {operation.path}: "
                        f"{summary}"
                    )
                tested += 1
    assert tested >= 60, tested
    assert not failures, "\n\n".join(failures)


def fuzz(operation, mode, base_url, headers):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if headers and case.cookies:
            # Schemathesis fills the session cookie (the schema's other sign-in) with a random
            # value; beside a real token, ignored_auth would take the 200 for a random sign-in.
            case.cookies.pop("sessionid", None)
        case.call_and_validate(base_url=base_url, headers=headers, checks=ALL_CHECKS)

    return run


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(300)
def test_every_429_of_the_throttles_is_documented(live_server, settings_):
    """The statuses this API's throttles add, provoked and validated against the schema
    (status documented, body and Retry-After as documented): anonymous traffic per address,
    signed-in searches per user, wrong tokens per address."""
    tokens = some_data()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    settings_.API_ANON_THROTTLE_RATE = "2/minute"
    settings_.RATELIMITS = {"search": "2/h", "api_token": "2/15m"}
    official = {"Authorization": f"Token {tokens['official']}"}
    scenarios = [
        ("anonymous", "/api/v1/branches/", {}, {}),
        ("signed-in search", "/api/v1/cases/", {"q": "ขยะ"}, official),
        ("signed-in search", "/api/v1/lessons/", {"q": "ขยะ"}, official),
        ("wrong token", "/api/v1/cycles/", {}, {"Authorization": "Token wrong"}),
    ]
    checks = [status_code_conformance, response_schema_conformance, response_headers_conformance]
    for name, path, query, headers in scenarios:
        case = schema[path]["GET"].Case(query=query)
        responses = [case.call(base_url=live_server.url, headers=headers) for _ in range(3)]
        assert responses[-1].status_code == 429, (name, path, [r.status_code for r in responses])
        case.validate_response(responses[-1], checks=checks)
        assert int(responses[-1].headers["retry-after"][0]) >= 1


@pytest.fixture
def settings_(settings):
    # Throttling would turn a long run into 429s (ignored_auth sends wrong tokens on purpose:
    # the lockout would refuse the right one next); DEBUG off as in production.
    settings.API_ANON_THROTTLE_RATE = "1000000/minute"
    settings.RATELIMITS = {
        **settings.RATELIMITS,
        "search": "1000000/m",
        "api_token": "1000000/m",
    }
    settings.DEBUG = False
    return settings
