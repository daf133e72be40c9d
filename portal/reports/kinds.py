"""The kinds of report: each app describes what it can build in its own `reports.py` and
registers it here; the machinery (requesting.py) asks nothing about what a report contains."""

import hashlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


class ReportError(Exception):
    """A report cannot be asked for or built as asked; the message is for the user."""


class ReportDenied(ReportError):
    """The user may not see the data this report is made of."""


def dated_filename(stem: str, extension: str, when=None) -> str:
    """`LR-2570-000123_2569-12-06.pdf`: what the file is about and the B.E. date it was made,
    ASCII only (letters, digits, '-', '.'), so every mail client and file system keeps it."""
    from portal.thai import be_stamp

    safe = re.sub(r"[^A-Za-z0-9.-]+", "-", stem).strip("-.") or "report"
    return f"{safe[:80]}_{be_stamp(when)}.{extension}"


@dataclass(frozen=True)
class BuiltFile:
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class ReportKind:
    """One kind of report an app can build.

    `parameter` names the one thing the report is about (a case study, a cycle, an entry);
    `options(user)` lists the values that user may pick, as (value, label) pairs, and decides
    who may ask: a value not among the user's options is refused. `build(value)` returns the
    file; it is given the value only (primitive, JSON-safe) and reads the database itself.
    """

    code: str
    label: str
    description: str
    parameter: str
    parameter_label: str
    options: Callable[[object], Iterable[tuple[int | str, str]]]
    allowed: Callable[[object, int | str], bool]
    build: Callable[[int | str], BuiltFile]
    # Who may ask at all (before any parameter is chosen): decides the "new report" page.
    available_to: Callable[[object], bool] = lambda user: True


_registry: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    _registry[kind.code] = kind
    return kind


def find_kind(code: str) -> ReportKind | None:
    return _registry.get(code)


def get_kind(code: str) -> ReportKind:
    try:
        return _registry[code]
    except KeyError:
        raise ReportError(_("ไม่มีรายงานชนิดนี้")) from None


def kinds_for(user) -> list[ReportKind]:
    """The kinds of report this user may ask for, in registration order."""
    if not (user.is_authenticated and user.is_active):
        return []
    return [kind for kind in _registry.values() if kind.available_to(user)]


def all_kinds() -> list[ReportKind]:
    return list(_registry.values())


def fingerprint(kind: str, parameters: dict) -> str:
    canonical = json.dumps([kind, parameters], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def clean_value(kind: ReportKind, raw) -> int | str:
    """Parameters are ids: positive integers. Anything else is refused with a clear message."""
    text = "" if raw is None else str(raw).strip()
    value = int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else 0
    if value <= 0:
        raise ReportError(
            _("กรุณาเลือก%(what)s") % {"what": kind.parameter_label},
        )
    return value
