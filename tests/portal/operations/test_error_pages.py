"""The handler of uncaught errors (portal/views.server_error): the database being unreachable
is "try again shortly" (503 + Retry-After), anything else an error (500); the API answers JSON.
tests/faults/test_database_restart.py proves the same with a real PostgreSQL stopped."""

import json

import pytest
from django.db import InterfaceError, OperationalError
from django.utils import translation

from portal.operations.errors import server_error


def handled(request, error):
    try:
        raise error
    except Exception:
        return server_error(request)


@pytest.mark.parametrize("error", [OperationalError("connection refused"), InterfaceError()])
def test_database_unreachable_is_a_503_page_with_retry_after(rf, error):
    response = handled(rf.get("/cases/"), error)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "ระบบขัดข้องชั่วคราว" in response.content.decode()


def test_any_other_error_is_a_500_without_retry_after(rf):
    response = handled(rf.get("/cases/"), ValueError("a bug"))
    assert response.status_code == 500 and not response.has_header("Retry-After")
    assert "ขออภัย ระบบขัดข้อง" in response.content.decode()
    assert "a bug" not in response.content.decode()  # never the error itself


def test_the_api_answers_json_in_the_callers_language(rf):
    with translation.override("en"):
        response = handled(rf.get("/api/v1/cases/"), OperationalError("down"))
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    assert json.loads(response.content)["detail"].startswith("The service is temporarily")
    response = handled(rf.get("/api/v1/cases/"), ValueError("a bug"))
    assert response.status_code == 500 and json.loads(response.content)["detail"]
