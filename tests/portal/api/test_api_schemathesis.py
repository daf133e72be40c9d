"""Schemathesis against the live portal: generated requests for every operation of the
OpenAPI schema, as the public, an official (token) and an assessor (token). No response may
be a server error or break the schema. Bounded: a few examples per operation and a time cap.
MAX_EXAMPLES=… raises the budget for a longer hunt."""

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token

from awards.models import AwardLevel, EntryState, Result
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
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
)

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "8"))
TIME_CAP_SECONDS = float(os.environ.get("SCHEMATHESIS_TIME_CAP", "150"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def some_data():
    official = UserFactory()
    entry = EntryFactory(agency=official.agency)
    awarded = ScreeningEntryFactory(state=EntryState.AWARDED, category=entry.category)
    Result.objects.create(entry=awarded, award_level=AwardLevel.GOOD, decided_by=StaffFactory())
    cycle = entry.category.cycle
    cycle.results_published_at = timezone.now() - timedelta(days=1)
    cycle.save()
    sheet = ScoreSheetFactory(assignment=AssignmentFactory(entry=awarded))
    ScoreFactory(sheet=sheet, criterion=CriterionFactory(category=entry.category), value=None)
    LessonFactory(case_study=CaseStudyFactory(agency=official.agency))
    return {
        "official": Token.objects.create(user=official).key,
        "assessor": Token.objects.create(user=sheet.assignment.assessor).key,
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.timeout(600)
def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_server, settings_):
    tokens = some_data()
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/schema/")
    identities = {
        "anonymous": {},
        **{k: {"Authorization": f"Token {v}"} for k, v in tokens.items()},
    }
    started = time.monotonic()
    failures, tested = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        public = operation.method.upper() == "GET" and "/entries/" not in operation.path
        for name, headers in identities.items():
            if name == "anonymous" and not public:
                continue
            if time.monotonic() - started > TIME_CAP_SECONDS:
                break

            run = fuzz(operation, live_server.url, headers)
            try:
                run()
            except (Exception, BaseExceptionGroup) as error:  # collect them all, report together
                summary = " | ".join(str(error).splitlines()[:12])
                failures.append(f"{name} {operation.method.upper()} {operation.path}: {summary}")
            tested += 1
    assert tested >= 20, tested
    assert not failures, "\n\n".join(failures)


def fuzz(operation, base_url, headers):
    @given(case=operation.as_strategy())
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    return run


@pytest.fixture
def settings_(settings):
    # Throttling would turn a long run into 429s; DEBUG off as in production.
    settings.API_ANON_THROTTLE_RATE = "1000000/minute"
    settings.DEBUG = False
    return settings
