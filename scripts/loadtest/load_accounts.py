"""Who the load test plays, shared by the locustfile (which signs them in) and dbcheck.py (which
creates them): no Django import here, locust loads this too."""

import hashlib
import os

PASSWORD = os.environ.get("LOADTEST_PASSWORD", "loadtest-2569-password")
OFFICIALS = int(os.environ.get("LOADTEST_OFFICIALS", "50"))
STAFF = int(os.environ.get("LOADTEST_STAFF", "3"))
DOMAIN = "load.go.th"
# Case studies the simulated secretariat publishes carry this slug prefix (and only those).
CASE_SLUG_PREFIX = "loadtest-"


def official_username(n: int) -> str:
    return f"loadofficial{n}@{DOMAIN}"


def staff_username(n: int) -> str:
    return f"loadstaff{n}@{DOMAIN}"


def staff_totp_key(n: int) -> str:
    """The hex secret of staff member n's authenticator app (django-otp TOTPDevice.key, 20
    bytes): derived, so the locustfile computes the same codes an app would show."""
    return hashlib.sha1(f"{PASSWORD}:staff:{n}".encode()).hexdigest()
